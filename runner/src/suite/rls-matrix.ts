/**
 * The RLS matrix, pure: who may do what to which table. Parses the checked-in
 * statement of intent (supabase/rls-matrix.txt), compares it with what the probe
 * observed (rls-probe.ts), and renders the observed matrix as Markdown and the
 * comparison as TAP. No database here.
 *
 * A cell is one table × actor × command; its outcome is a scope and, for
 * update only, the columns that can change:
 *
 *   all        every row the actor was probed on
 *   own        the actor's own rows, and no one else's
 *   published  rows of published automations, and no unpublished ones
 *   none       no row: refused with an error, or silently filtered to nothing
 *   own(viewed_at), all(a,b)   update limited to those columns
 *
 * The probe may also observe a combination the file never states (say `foreign`,
 * someone else's rows but not one's own): it is rendered from the group names and
 * always differs from the file.
 */

export const ACTORS = ['anon', 'owner', 'other', 'admin', 'service_role'] as const;
export type Actor = (typeof ACTORS)[number];

export const COMMANDS = ['select', 'insert', 'update', 'delete'] as const;
export type Command = (typeof COMMANDS)[number];

export const SCOPES = ['all', 'own', 'published', 'none'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * `user`: rows belong to a user (a user_id); `own` applies.
 * `catalogue`: rows belong to a published or an unpublished automation; `published` applies.
 */
export type TableKind = 'user' | 'catalogue';
export type TableKinds = ReadonlyMap<string, TableKind>;

export interface Outcome {
  /** one of SCOPES; an observed outcome outside the vocabulary is a description such as `foreign` */
  scope: string;
  /** update only: the columns that can change; null when every column can */
  columns: readonly string[] | null;
  /** observed only: what happened, for messages ("the owner's row: permission denied ... (42501)") */
  detail?: string;
}

export interface Matrix {
  /** tables in the order they are shown */
  tables: readonly string[];
  /** every cell, by cellKey(table, actor, command) */
  cells: ReadonlyMap<string, Outcome>;
}

export const cellKey = (table: string, actor: Actor, command: Command): string => `${table}.${actor}.${command}`;

export function cellOf(matrix: Matrix, table: string, actor: Actor, command: Command): Outcome | undefined {
  return matrix.cells.get(cellKey(table, actor, command));
}

export function formatOutcome(outcome: Outcome): string {
  return outcome.columns === null ? outcome.scope : `${outcome.scope}(${outcome.columns.join(',')})`;
}

export function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a.scope !== b.scope) return false;
  if (a.columns === null || b.columns === null) return a.columns === b.columns;
  const left = [...a.columns].sort();
  const right = [...b.columns].sort();
  return left.length === right.length && left.every((c, i) => c === right[i]);
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

/** Every problem of a matrix file at once, each as `file:line: message`. */
export class MatrixError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const HEADER = ['table', 'actor', ...COMMANDS];
const OUTCOME = /^([a-z_]+)(?:\(([^()]*)\))?$/;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Parses a matrix file. Lines: `#` comments and blank lines anywhere; the header
 * `table actor select insert update delete` first; then one line per table ×
 * actor with four outcomes. The file must cover every table in `tables` and
 * every actor exactly once. Throws MatrixError with every problem found.
 */
export function parseMatrix(text: string, tables: TableKinds, file = 'rls-matrix.txt'): Matrix {
  const problems: string[] = [];
  const cells = new Map<string, Outcome>();
  const seen = new Map<string, number>();
  let headerSeen = false;

  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNumber = index + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = (message: string) => problems.push(`${file}:${lineNumber}: ${message}`);
    const fields = line.split(/\s+/);
    if (!headerSeen) {
      headerSeen = true;
      if (fields[0] === HEADER[0]) {
        if (fields.join(' ') !== HEADER.join(' ')) at(`the header must read "${HEADER.join(' ')}"`);
        return;
      }
      // no header at all: say so, and still read the line as a cell
      at(`the first line that is not a comment must be the header "${HEADER.join(' ')}"`);
    }
    if (fields.length !== HEADER.length) {
      at(`expected ${HEADER.length} fields (${HEADER.join(' ')}), found ${fields.length}`);
      return;
    }
    const [table, actorText, ...outcomes] = fields as [string, string, ...string[]];
    const kind = tables.get(table);
    if (kind === undefined) at(`unknown table "${table}" (tables: ${[...tables.keys()].join(', ')})`);
    const actor = ACTORS.find((a) => a === actorText);
    if (actor === undefined) at(`unknown actor "${actorText}" (actors: ${ACTORS.join(', ')})`);
    if (kind === undefined || actor === undefined) return;

    const row = `${table} ${actor}`;
    const earlier = seen.get(row);
    if (earlier !== undefined) {
      at(`${row} is already given on line ${earlier}`);
      return;
    }
    seen.set(row, lineNumber);

    COMMANDS.forEach((command, i) => {
      const text = outcomes[i] as string;
      const outcome = parseOutcome(text, command, kind, actor);
      if (typeof outcome === 'string') at(`${row} ${command}: ${outcome}`);
      else cells.set(cellKey(table, actor, command), outcome);
    });
  });

  if (!headerSeen) problems.push(`${file}: empty: no header "${HEADER.join(' ')}" and no lines`);
  else {
    for (const table of tables.keys()) {
      for (const actor of ACTORS) {
        if (!seen.has(`${table} ${actor}`)) problems.push(`${file}: missing a line for ${table} ${actor}`);
      }
    }
  }
  if (problems.length > 0) throw new MatrixError(problems);
  return { tables: [...tables.keys()], cells };
}

/** An outcome, or why the text is not one. */
function parseOutcome(text: string, command: Command, kind: TableKind, actor: Actor): Outcome | string {
  const match = OUTCOME.exec(text);
  const scope = SCOPES.find((s) => s === match?.[1]);
  if (match === null || scope === undefined) {
    return `unknown outcome "${text}" (outcomes: ${SCOPES.join(', ')}, and for update ${SCOPES[0]}(column,...))`;
  }
  if (scope === 'own' && kind !== 'user') return `"own" needs rows that belong to a user; this table's rows belong to automations`;
  if (scope === 'published' && kind !== 'catalogue') return `"published" applies to the catalogue only; this table's rows belong to users`;
  if (scope === 'own' && actor !== 'owner') {
    return `"own" applies to the owner only: ${actor} is probed on rows that are not its own, so the outcome is all or none`;
  }
  const list = match[2];
  if (list === undefined) return { scope, columns: null };
  if (command !== 'update') return `a column list applies to update only`;
  if (scope === 'none') return `"none" takes no column list`;
  const columns = list.split(',');
  const bad = columns.filter((c) => !IDENTIFIER.test(c));
  if (bad.length > 0 || columns.length === 0) return `bad column list "(${list})": column names separated by commas, no spaces`;
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length > 0) return `column ${repeated[0]} is listed twice`;
  return { scope, columns };
}

// ---------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------

export interface CellDiff {
  table: string;
  actor: Actor;
  command: Command;
  expected: Outcome;
  /** null when the probe has no such cell */
  observed: Outcome | null;
  /** `allow`: the database lets the actor do more than the file says (the dangerous kind); `deny`: less */
  direction: 'allow' | 'deny';
}

const RANK: Record<string, number> = { none: 0, own: 1, published: 1, all: 2 };

/** Whether `observed` lets the actor do something `expected` does not. */
export function allowsMore(expected: Outcome, observed: Outcome): boolean {
  const e = RANK[expected.scope];
  const o = RANK[observed.scope];
  // an outcome outside the vocabulary is never trusted
  if (e === undefined || o === undefined) return observed.scope !== 'none';
  if (o !== e) return o > e;
  if (observed.scope !== expected.scope) return true;
  if (observed.columns === null) return expected.columns !== null;
  if (expected.columns === null) return false;
  return observed.columns.some((c) => !expected.columns?.includes(c));
}

/** Every cell of `expected` whose observed outcome differs, in table, actor, command order. */
export function diffMatrices(expected: Matrix, observed: Matrix): CellDiff[] {
  const diffs: CellDiff[] = [];
  for (const table of expected.tables) {
    for (const actor of ACTORS) {
      for (const command of COMMANDS) {
        const want = cellOf(expected, table, actor, command);
        if (want === undefined) continue;
        const got = cellOf(observed, table, actor, command) ?? null;
        if (got !== null && sameOutcome(want, got)) continue;
        diffs.push({
          table,
          actor,
          command,
          expected: want,
          observed: got,
          direction: got !== null && allowsMore(want, got) ? 'allow' : 'deny',
        });
      }
    }
  }
  return diffs;
}

/** The differences as aligned lines for a terminal: table, actor, command, expected, observed, why. */
export function formatDiffs(diffs: CellDiff[]): string[] {
  const rows = diffs.map((d) => [
    d.table,
    d.actor,
    d.command,
    formatOutcome(d.expected),
    d.observed === null ? '(not probed)' : formatOutcome(d.observed),
    d.direction === 'allow' ? 'UNEXPECTED ALLOW' : 'unexpected deny',
  ]);
  const lines = alignColumns([['table', 'actor', 'command', 'expected', 'observed', ''], ...rows]);
  const out = [lines[0] as string];
  diffs.forEach((d, i) => {
    out.push(lines[i + 1] as string);
    if (d.observed?.detail) out.push(`    ${d.observed.detail}`);
  });
  return out;
}

// ---------------------------------------------------------------------------
// TAP
// ---------------------------------------------------------------------------

/** The assertion's sentence: "admin may update automations: all". */
export function cellDescription(table: string, actor: Actor, command: Command, outcome: Outcome): string {
  return `${actor} may ${command} ${table}: ${formatOutcome(outcome)}`;
}

/**
 * The comparison as a TAP document: a plan, then one assertion per cell of the
 * expected matrix (described by the intent), failures followed by `#` diagnostics,
 * then any `extra` assertions.
 */
export interface TapAssertion {
  ok: boolean;
  description: string;
  diagnostics?: string[];
}

export function matrixTap(expected: Matrix, observed: Matrix, extra: TapAssertion[] = []): string[] {
  const failing = new Map(diffMatrices(expected, observed).map((d) => [cellKey(d.table, d.actor, d.command), d]));
  const out: string[] = [];
  let n = 0;
  for (const table of expected.tables) {
    for (const actor of ACTORS) {
      for (const command of COMMANDS) {
        const want = cellOf(expected, table, actor, command);
        if (want === undefined) continue;
        n++;
        const diff = failing.get(cellKey(table, actor, command));
        const description = cellDescription(table, actor, command, want);
        if (diff === undefined) {
          out.push(`ok ${n} - ${description}`);
          continue;
        }
        out.push(`not ok ${n} - ${description}`);
        out.push(`# Failed test ${n}: "${description}"`);
        out.push(`#     expected: ${formatOutcome(want)}`);
        out.push(`#     observed: ${diff.observed === null ? '(not probed)' : formatOutcome(diff.observed)}`);
        if (diff.direction === 'allow') out.push(`#     the database allows more than the matrix says`);
        if (diff.observed?.detail) out.push(`#     ${diff.observed.detail}`);
      }
    }
  }
  for (const assertion of extra) {
    n++;
    out.push(`${assertion.ok ? 'ok' : 'not ok'} ${n} - ${assertion.description}`);
    for (const line of assertion.diagnostics ?? []) out.push(`# ${line}`);
  }
  return [`1..${n}`, ...out];
}

/** A TAP document for a matrix file that could not be read: one failing assertion with the problems. */
export function matrixErrorTap(file: string, problems: string[]): string[] {
  return [`1..1`, `not ok 1 - ${file} covers every table, actor and command`, ...problems.map((p) => `# ${p}`)];
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

export interface MarkdownOptions {
  /** how each table's rows belong: shown under its heading */
  kinds: TableKinds;
  /** the command that regenerates the file */
  regenerate: string;
  /** the file of intent, for the reader */
  intentFile: string;
}

/**
 * The observed matrix for reviewers: a legend, then one table with a line per
 * database table × actor. Every line names its table, so a changed policy shows
 * in a diff as a self-explanatory changed line.
 */
export function renderMarkdown(matrix: Matrix, options: MarkdownOptions): string {
  const out = [
    `<!-- Generated by \`${options.regenerate}\` from the database itself; do not edit by hand. -->`,
    '',
    '# Row level security: who may do what',
    '',
    `Generated by \`${options.regenerate}\`, which builds the database from the migrations, acts as each actor ` +
      `inside a transaction that is rolled back, and records what each command could reach. ` +
      `The intent is \`${options.intentFile}\`; \`rls\` fails when the two differ.`,
    '',
    '- Actors: **anon** signed out; **owner** a signed-in user, on their own rows and another user\'s; ' +
      '**other** a signed-in user, on the owner\'s rows; **admin** signed in with profile role admin; ' +
      '**service_role** the backend, which bypasses row level security.',
    '- Outcomes: **all** every row probed; **own** the actor\'s own rows only; **published** rows of published ' +
      'automations only; **none** refused, or filtered to nothing; `(columns)` after an update outcome: only those columns change.',
    `- Rows belong to users in ${[...options.kinds].filter(([, k]) => k === 'user').map(([t]) => t).join(', ')}; ` +
      `to automations (the catalogue) in ${[...options.kinds].filter(([, k]) => k === 'catalogue').map(([t]) => t).join(', ')}.`,
    '',
  ];
  const rows = matrix.tables.flatMap((table) =>
    ACTORS.map((actor) => [
      table,
      actor,
      ...COMMANDS.map((command) => {
        const outcome = cellOf(matrix, table, actor, command);
        return outcome === undefined ? '?' : formatOutcome(outcome);
      }),
    ]),
  );
  // widths that do not depend on the outcomes, so a changed cell changes one line of a diff
  const widths = [
    Math.max('table'.length, ...matrix.tables.map((t) => t.length)),
    Math.max(...ACTORS.map((a) => a.length)),
    ...COMMANDS.map(() => OUTCOME_WIDTH),
  ];
  out.push(...markdownTable(['table', 'actor', ...COMMANDS], rows, widths), '');
  return out.join('\n');
}

const OUTCOME_WIDTH = 16;

function markdownTable(header: string[], rows: string[][], widths: number[]): string[] {
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
}

/** Rows of cells, padded so the columns line up; trailing spaces trimmed. */
export function alignColumns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}
