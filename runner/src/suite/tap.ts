/**
 * TAP, pure: what a pgTAP file's output says (parsed here only, with
 * tap-parser: the summary, each assertion with its diagnostics and line), and
 * the TAP stream the `test` command prints. No database here.
 */
import { Parser, type FinalResults, type Result } from 'tap-parser';

export interface TapSummary {
  planned: number | null;
  /** assertions seen */
  count: number;
  passed: number;
  /** assertions that failed (not counting plan problems) */
  failedAssertions: number;
  /** plan problems ("planned 3 assertions but ran 2", "no plan (ran 1 assertion)"), with or without failed assertions */
  planProblems: string[];
  bailout: string | null;
  skipped: number;
  /** assertions marked TODO (a failing TODO does not fail the file) */
  todo: number;
  /** the plan is `1..0 # SKIP`: the whole file is skipped */
  skipAll: boolean;
  /** the failing assertions: number, description */
  failures: { id: number | null; name: string }[];
}

/** The one place TAP is parsed: tap-parser's results and each assertion, with the index of the text line it is on. */
function parseTap(lines: string[]): { results: FinalResults; asserts: Result[] } {
  let final: FinalResults | null = null;
  const asserts: Result[] = [];
  const parser = new Parser((r) => {
    final = r;
  });
  parser.on('assert', (result: Result) => asserts.push(result));
  // tap-parser completes synchronously when the whole text is written at once
  parser.end(lines.join('\n') + (lines.length > 0 ? '\n' : ''));
  const results = final as FinalResults | null;
  if (results === null) throw new Error('tap-parser did not complete');
  return { results, asserts };
}

export function summariseTap(lines: string[]): TapSummary {
  const { results, asserts } = parseTap(lines);
  const failures = results.failures ?? [];
  // a failing TODO is not a failure; a SKIP is neither passed nor failed
  const failed = asserts.filter((a) => !a.ok && !a.todo);
  const planEnd = results.plan.end;
  const planned = results.plan.skipAll ? 0 : typeof planEnd === 'number' ? planEnd : null;
  const bailout = results.bailout === false ? null : String(results.bailout || 'bailed out');
  // tap-parser reports a wrong count only when every assertion passed: judged here, whatever else failed
  const planProblems = failures.map((f) => String(f.tapError ?? '')).filter((e) => e !== '' && e !== 'incorrect number of tests' && e !== 'no plan');
  if (bailout === null && !results.plan.skipAll) {
    const ran = `${results.count} assertion${results.count === 1 ? '' : 's'}`;
    if (planned === null && results.count > 0) planProblems.push(`no plan (ran ${ran})`);
    else if (planned !== null && planned !== results.count)
      planProblems.push(`planned ${planned} assertion${planned === 1 ? '' : 's'} but ran ${results.count}`);
  }
  return {
    planned,
    count: results.count,
    passed: asserts.filter((a) => a.ok && !a.skip).length,
    failedAssertions: failed.length,
    planProblems,
    bailout,
    skipped: asserts.filter((a) => a.skip).length,
    todo: asserts.filter((a) => a.todo).length,
    // tap-parser calls an empty document skip-all too: only an explicit 1..0 is
    skipAll: results.plan.skipAll === true && lines.some((l) => /^1\.\.0\b/m.test(l)),
    failures: failed.map((f) => ({ id: f.id ?? null, name: f.name ?? '' })),
  };
}

export interface Assertion {
  id: number;
  ok: boolean;
  description: string;
  /** the reason, when the assertion is skipped / a TODO */
  skip: string | null;
  todo: string | null;
  /** pgTAP's diagnostics after the assertion (have / want, the error and SQLSTATE), without "# " */
  diagnostics: string[];
  /** the file line of the statement that returned it */
  line: number | null;
  durationMs: number;
}

/** The assertions of a file, each with the diagnostics that follow it and the line it came from. */
export function assertionsOf(outcome: FileOutcome): Assertion[] {
  // one entry per text line, remembering the row (statement) it came from
  const flat: { text: string; row: number }[] = [];
  outcome.tap.forEach((row, i) => {
    for (const text of row.split('\n')) flat.push({ text, row: i });
  });
  const { asserts } = parseTap(flat.map((f) => f.text));
  const positions = flat.flatMap((f, i) => (/^(not )?ok\b/.test(f.text) ? [i] : []));
  return asserts.map((result, k) => {
    const at = positions[k] ?? -1;
    const next = positions[k + 1] ?? flat.length;
    const diagnostics: string[] = [];
    for (let i = at + 1; i < next; i++) {
      const text = flat[i]!.text;
      if (!text.startsWith('#')) continue;
      if (/^# (Failed (\(TODO\) )?test \d+|Looks like you)/.test(text)) continue;
      diagnostics.push(text.replace(/^# ?/, ''));
    }
    const row = at >= 0 ? flat[at]!.row : -1;
    const skip = result.skip === false ? null : String(result.skip === true ? '' : result.skip);
    const todo = result.todo === false ? null : String(result.todo === true ? '' : result.todo);
    return {
      id: result.id ?? k + 1,
      ok: result.ok,
      description: result.name ?? '',
      skip,
      todo,
      diagnostics: dedent(diagnostics),
      line: row >= 0 ? (outcome.lines?.[row] ?? null) : null,
      durationMs: row >= 0 ? (outcome.statementMs?.[row] ?? 0) : 0,
    };
  });
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(common));
}

/** A TAP row that holds a failed assertion (`not ok`, not a TODO). */
export function isFailure(row: string): boolean {
  return row.split('\n').some((line) => /^not ok\b/.test(line) && !/#\s*todo\b/i.test(line));
}

export interface FileOutcome {
  file: string;
  /** the TAP lines the file's statements returned, in order */
  tap: string[];
  /** the formatted SQL error that stopped the file, if any */
  error: string | null;
  durationMs: number;
  summary: TapSummary;
  /** how many statements the file has */
  statements?: number;
  /** for each line of `tap`: the file line of the statement that returned it (null when unknown) */
  lines?: (number | null)[];
  /** for each line of `tap`: how long its statement took */
  statementMs?: number[];
  /** the file did not finish within this many seconds and was stopped */
  timedOutAfter?: number;
  /**
   * what the file committed that stays (it did not roll back): not a failure,
   * as under pg_prove; every later file runs on a database that has it
   */
  leaks?: string[];
  /** a setup file (selection.ts): a leading file that commits on purpose, run before the snapshot is taken */
  setup?: boolean;
  /**
   * not a test file: the database could not be built, and this is the step that
   * failed ("migration", "seed", ...), its file in `file`, its error in `error`
   */
  buildStep?: string;
  /** the notices the server sent during the file (raise notice, warnings), as psql prints them */
  notices?: FileNotice[];
}

/** A notice, and where it came in the file's output: after the first `at` rows of `tap`, from the statement at `line`. */
export interface FileNotice {
  at: number;
  line: number | null;
  text: string;
}

/** The file's output as pg_prove --verbose shows it: its TAP rows, with the notices where they came. */
export function transcript(outcome: FileOutcome): string[] {
  const notices = outcome.notices ?? [];
  const out: string[] = [];
  let next = 0;
  outcome.tap.forEach((row, i) => {
    while (next < notices.length && notices[next]!.at <= i) out.push(notices[next++]!.text);
    out.push(...row.split('\n'));
  });
  while (next < notices.length) out.push(notices[next++]!.text);
  return out;
}

/** Why a file failed, beyond its failed assertions: SQL error, plan problem, no assertions, bail out. */
export function fileFaults(outcome: FileOutcome): string[] {
  const faults: string[] = [];
  if (outcome.buildStep !== undefined) return [`the ${outcome.buildStep} failed: the database could not be built, no test ran`];
  if (outcome.timedOutAfter !== undefined) faults.push(`did not finish within ${outcome.timedOutAfter} s (--timeout)`);
  else if (outcome.error !== null) faults.push('SQL error');
  if (outcome.summary.bailout !== null) faults.push(`Bail out! ${outcome.summary.bailout}`);
  // after an SQL error or a time-out the plan is necessarily off: the error says it already
  const stopped = outcome.error !== null || outcome.timedOutAfter !== undefined;
  if (!stopped) faults.push(...outcome.summary.planProblems);
  if (!stopped && outcome.summary.count === 0 && !outcome.summary.skipAll) {
    faults.push(outcome.statements === 0 ? 'empty file: no statements' : 'no assertions');
  }
  return faults;
}

/**
 * What a file that committed left for every later file, said as what happened
 * (not a fault: pg_prove, which runs the files in order on one database, judges
 * only the TAP); empty for a file that left nothing, or a setup file.
 */
export function keptChanges(outcome: FileOutcome): string[] {
  if (outcome.leaks === undefined || outcome.leaks.length === 0 || outcome.setup === true) return [];
  return ['committed changes instead of rolling back; every later file ran with them, as under pg_prove:', ...outcome.leaks.map((leak) => `  ${leak}`)];
}

/** A file passed: no failed assertion and no fault. */
export function filePassed(outcome: FileOutcome): boolean {
  return outcome.summary.failedAssertions === 0 && fileFaults(outcome).length === 0;
}

/** Assertions passed and failed, a file's faults counting as one failure each file. */
export function tally(outcomes: FileOutcome[]): { passed: number; failed: number; failedFiles: number } {
  let passed = 0;
  let failed = 0;
  let failedFiles = 0;
  for (const outcome of outcomes) {
    const faulty = fileFaults(outcome).length > 0;
    passed += outcome.summary.passed;
    failed += outcome.summary.failedAssertions + (faulty ? 1 : 0);
    if (faulty || outcome.summary.failedAssertions > 0) failedFiles++;
  }
  return { passed, failed, failedFiles };
}

/**
 * A line TAP allows: a test point, a plan, a comment, `Bail out!`, a version or
 * a pragma. Anything else a statement returned (a helper's uuid, a row of
 * `select`) is not TAP: a strict consumer (`tap-parser --strict`) rejects it.
 */
export function isTapLine(line: string): boolean {
  return /^(ok|not ok)\b|^1\.\.\d+|^#|^Bail out!|^TAP version \d+$|^pragma [+-]/.test(line);
}

/**
 * One file as a TAP 14 subtest: its own lines indented, then the parent's ok /
 * not ok line. Rows that are not TAP are left out (as comments with its notices,
 * for a failing file and with --verbose); a failed assertion carries its
 * `file:line` in a YAML block, and a failed file its faults and error in one
 * after its not ok line, so a TAP consumer sees what the human report shows.
 */
export function subtest(outcome: FileOutcome, index: number, withNotices = false): string[] {
  const out = [`# Subtest: ${outcome.file}`];
  const notices = withNotices ? (outcome.notices ?? []) : [];
  let next = 0;
  const noticesUpTo = (row: number) => {
    while (next < notices.length && notices[next]!.at <= row) out.push(`    # ${notices[next++]!.text}`);
  };
  outcome.tap.forEach((row, i) => {
    noticesUpTo(i);
    const line = outcome.lines?.[i] ?? null;
    for (const text of row.split('\n')) {
      // rows of statements that are not assertions (a helper returning void) print as empty lines: dropped
      if (text === '') continue;
      if (!isTapLine(text)) {
        if (withNotices) out.push(`    # ${text}`);
        continue;
      }
      out.push(`    ${text}`);
      if (isFailure(text)) {
        const name = /^not ok\s*\d*\s*-?\s*(.*?)(\s+#\s*(skip|todo)\b.*)?$/i.exec(text)?.[1] ?? '';
        out.push(...yamlBlock({ message: name, severity: 'fail', ...(line !== null ? { at: `${outcome.file}:${line}` } : {}) }, '      '));
      }
    }
  });
  noticesUpTo(Number.POSITIVE_INFINITY);
  if (outcome.error !== null) out.push(...outcome.error.split('\n').map((l) => `    # ${l}`));
  const faults = fileFaults(outcome);
  const ok = faults.length === 0 && outcome.summary.failedAssertions === 0;
  out.push(`${ok ? 'ok' : 'not ok'} ${index} - ${outcome.file} # time=${outcome.durationMs}ms`);
  if (!ok) {
    const where = outcome.error === null ? null : /^(.+?:\d+:\d+): /.exec(outcome.error)?.[1];
    out.push(
      ...yamlBlock(
        {
          message:
            faults.length > 0 ? faults.join('; ') : `${outcome.summary.failedAssertions} failed assertion${outcome.summary.failedAssertions === 1 ? '' : 's'}`,
          severity: 'fail',
          ...(where ? { at: where } : {}),
          ...(outcome.error !== null ? { error: outcome.error } : {}),
        },
        '  ',
      ),
    );
  }
  // what a file left for the later files, after its line (and its YAML block), as comments
  for (const line of keptChanges(outcome)) out.push(`# ${outcome.file}: ${line}`);
  return out;
}

/** A TAP 14 YAML diagnostics block: strings quoted as JSON (which YAML reads), several lines as a literal block. */
function yamlBlock(fields: Record<string, string>, indent: string): string[] {
  const out = [`${indent}---`];
  for (const [key, value] of Object.entries(fields)) {
    if (value.includes('\n')) {
      out.push(`${indent}${key}: |-`, ...value.split('\n').map((l) => `${indent}  ${l}`));
    } else {
      out.push(
        `${indent}${key}: ${/^[\w./@+-]+(:\d+)*$/.test(value) && !/^(true|false|null|yes|no|~|[\d.+-]+)$/i.test(value) ? value : JSON.stringify(value)}`,
      );
    }
  }
  out.push(`${indent}...`);
  return out;
}

/** The closing line, alone on its line (in a TAP stream, as a comment: `# 3 passed, 0 failed`). */
export function closingLine(passed: number, failed: number): string {
  return `${passed} passed, ${failed} failed`;
}
