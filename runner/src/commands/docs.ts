/**
 * `docs`: generates the files its options name from a fresh in-memory
 * database built from the migrations (never from a server: a DATABASE_URL is
 * not used, and it says so; nothing is reset): the schema's Markdown page
 * (--schema-doc), the RLS matrix page (--rls-matrix, from the test file that
 * states the matrix: docs/rls-matrix-doc.ts) and the TypeScript types
 * (--types); the schema page shows each table's lines of the matrix. Each file
 * names the command that regenerates it (--regenerate-command, default this
 * command line). `docs --check` writes nothing and fails (exit 1) when a
 * committed file differs from what it would generate, showing the first lines
 * that differ, both sides.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { readMigrations } from '../database/migration-files.js';
import { rebuild } from '../database/reset.js';
import { EmbeddedTarget, redact } from '../database/target.js';
import { findMatrixSource, readMatrixTable, renderMatrixMarkdown } from '../docs/rls-matrix-doc.js';
import { readSchema } from '../docs/schema-catalogue.js';
import { renderSchemaMarkdown } from '../docs/schema-markdown.js';
import { generateDatabaseTypes } from '../docs/typegen.js';
import { usage } from '../errors.js';
import type { Output } from '../output.js';

export interface DocsFlags {
  check: boolean;
}

export async function docsCommand(config: Config, output: Output, flags: DocsFlags = { check: false }): Promise<number> {
  const files = [config.docs.schemaDoc, config.docs.rlsMatrix, config.docs.types].filter((f): f is string => f !== null);
  if (files.length === 0) {
    throw usage('docs needs the files to write: --schema-doc FILE, --rls-matrix FILE, --types FILE (one or more; docs --help says what each holds)');
  }
  const twice = files.filter((f, i) => files.indexOf(f) !== i);
  if (twice.length > 0) throw usage(`docs would write ${shown(config, twice[0]!)} twice: give each option its own file`);
  if (config.target.kind === 'server') {
    output.warn(
      `note: DATABASE_URL is set, but docs always builds its own in-memory database from the migrations: the server ${redact(config.target.url)} is not used`,
    );
  }
  const regenerate = regenerateCommand(config);
  const generated = await generateDocs(config, output, regenerate);
  if (!flags.check) {
    for (const [file, content] of generated) {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      output.info(`wrote ${shown(config, file)}`);
    }
    return 0;
  }
  let stale = 0;
  for (const [file, content] of generated) {
    const committed = existsSync(file) ? await readFile(file, 'utf8') : null;
    if (committed === content) {
      output.info(`up to date: ${shown(config, file)}`);
      continue;
    }
    stale++;
    if (committed === null) output.warn(`MISSING: ${shown(config, file)} is not generated`);
    else {
      const [head, ...diff] = describeDifference(committed, content);
      output.warn(`STALE: ${shown(config, file)} differs from the database the migrations build, ${head}`);
      for (const line of diff) output.warn(line);
    }
  }
  if (stale > 0) {
    output.warn(`run "${regenerate}" and commit the result: generated files are never edited by hand`);
    return 1;
  }
  return 0;
}

/** --regenerate-command, or this command line: `pg-tap-runner docs` and the files it writes. */
function regenerateCommand(config: Config): string {
  if (config.docs.regenerateCommand !== null) return config.docs.regenerateCommand;
  const { schemaDoc, rlsMatrix, types } = config.docs;
  const options = [
    ['--schema-doc', schemaDoc],
    ['--rls-matrix', rlsMatrix],
    ['--types', types],
  ] as const;
  return ['pg-tap-runner docs', ...options.flatMap(([name, file]) => (file === null ? [] : [`${name} ${shown(config, file)}`]))].join(' ');
}

/**
 * The files the options name and their content, from a fresh in-memory
 * database. The test file that states the matrix is found first: --rls-matrix
 * without one is a usage error, before anything is built.
 */
export async function generateDocs(config: Config, output: Output, regenerate: string): Promise<Map<string, string>> {
  const { schemaDoc, rlsMatrix: rlsMatrixDoc, types: typesFile } = config.docs;
  // the matrix: its own page, and each table's lines of it on the schema page
  const source = schemaDoc === null && rlsMatrixDoc === null ? null : await findMatrixSource(config.testsDir, (file) => shown(config, file));
  if (rlsMatrixDoc !== null && source === null) {
    throw usage(
      `--rls-matrix: no test file under ${shown(config, config.testsDir)} states an RLS matrix (a \`create temporary table rls_matrix (...) as values ...\` statement)`,
    );
  }
  const quiet: Output = { info: () => {}, warn: (l) => output.warn(l) };
  const target = await EmbeddedTarget.open(null);
  try {
    await rebuild(target, config, quiet);
    const files = new Map<string, string>();
    const rlsMatrix = source === null ? null : renderMatrixMarkdown(await readMatrixTable(target, source), source, regenerate);
    if (schemaDoc !== null) {
      const { files: migrations } = await readMigrations(config.migrationsDir, shown(config, config.migrationsDir));
      files.set(schemaDoc, renderSchemaMarkdown(await readSchema(target), { regenerate, migrations: migrations.map((m) => path.basename(m.file)), rlsMatrix }));
    }
    if (rlsMatrixDoc !== null && rlsMatrix !== null) files.set(rlsMatrixDoc, rlsMatrix);
    if (typesFile !== null) {
      const header = [
        `// Generated by \`${regenerate}\` from the database built from ${shown(config, config.migrationsDir)}; do not edit by hand.`,
        '// Made by @supabase/postgrest-typegen (what `supabase gen types typescript` runs); check-constrained',
        '// vocabularies (`col in (...)`) are typed as unions of their values and listed under Enums.',
      ];
      files.set(typesFile, await generateDatabaseTypes(target, header.join('\n')));
    }
    return files;
  } finally {
    await target.close();
  }
}

/**
 * The difference between a committed file and what would be generated, as a
 * short diff from the first line that differs: `-` the committed lines, `+` the
 * generated ones, each with its line number; a changed line long enough to be
 * cut is cut at the same place on both sides, around where they first differ,
 * with a caret there; tabs and trailing spaces are made visible (→, ·).
 */
export function describeDifference(committed: string, generated: string, maxLines = 12): string[] {
  const a = committed.split('\n');
  const b = generated.split('\n');
  let first = 0;
  while (first < a.length && first < b.length && a[first] === b[first]) first++;
  if (first === a.length && first === b.length) return ['no line differs'];
  // a diff of the next few hundred lines on each side (longest common subsequence), enough for the first change
  const window = 300;
  const x = a.slice(first, first + window);
  const y = b.slice(first, first + window);
  const common: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) common[i]![j] = x[i] === y[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
  }
  const ops: { kind: '-' | '+'; line: number; text: string }[] = [];
  let i = 0;
  let j = 0;
  // the first run of changes: up to the next line both sides share
  while ((i < x.length || j < y.length) && ops.length < maxLines) {
    if (i < x.length && j < y.length && x[i] === y[j]) break;
    if (j >= y.length || (i < x.length && common[i + 1]![j]! >= common[i]![j + 1]!)) ops.push({ kind: '-', line: first + 1 + i, text: x[i++]! });
    else ops.push({ kind: '+', line: first + 1 + j, text: y[j++]! });
  }
  const width = String(Math.max(...ops.map((o) => o.line))).length;
  const out = [`first at line ${first + 1} (- committed, + generated):`];
  const removed = ops.filter((o) => o.kind === '-');
  const added = ops.filter((o) => o.kind === '+');
  // a changed line (one removed, one added in its place): both cut at the same column, a caret where they part
  if (removed.length === 1 && added.length === 1) {
    const [old, now] = [removed[0]!, added[0]!];
    let column = 0;
    while (column < old.text.length && column < now.text.length && old.text[column] === now.text[column]) column++;
    const from = column > 60 ? column - 40 : 0;
    const cut = (text: string) =>
      (from > 0 ? '…' : '') + visible(text.slice(from, from + 120), text.length <= from + 120) + (text.length > from + 120 ? '…' : '');
    out.push(`  - ${String(old.line).padStart(width)} | ${cut(old.text)}`);
    out.push(`  + ${String(now.line).padStart(width)} | ${cut(now.text)}`);
    out.push(`    ${' '.repeat(width)}   ${' '.repeat(column - from + (from > 0 ? 1 : 0))}^ column ${column + 1}`);
    return out;
  }
  for (const op of ops)
    out.push(
      `  ${op.kind} ${String(op.line).padStart(width)} | ${visible(op.text.length > 160 ? `${op.text.slice(0, 159)}…` : op.text, op.text.length <= 160)}`,
    );
  if (ops.length === maxLines) out.push('  …');
  return out;
}

/** Tabs as →, and (at the end of a line) trailing spaces as ·, so a difference in white space shows. */
function visible(text: string, atEnd: boolean): string {
  const shown = text.replace(/\t/g, '→');
  return atEnd ? shown.replace(/ +$/, (spaces) => '·'.repeat(spaces.length)) : shown;
}
