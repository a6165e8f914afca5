/**
 * What a new user meets (issue 29, items 7 to 14): Ctrl-C in `watch` and during
 * `db reset`, `docs --check`'s diff, misspelt config.toml keys, DATABASE_URL for
 * commands that never use a server, a subdirectory, a strict TAP stream, help
 * and version, and test descriptions that would drive the terminal.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Parser, type Result } from 'tap-parser';
import { describeDifference } from '../src/commands/docs.js';
import { watchCommand } from '../src/commands/watch.js';
import { parseSupabaseConfig } from '../src/config.js';
import { memoryOutput } from '../src/output.js';
import { humanReporter } from '../src/report/reporters/human.js';
import { summariseTap, type FileOutcome } from '../src/suite/tap.js';
import { FIXTURES, SCRATCH, copyFixture, fixtureConfig } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/pg-tap-runner.js', import.meta.url));
const ROOT = path.resolve(path.dirname(BIN), '..', '..');

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The package's bin in its own process; `onStdout` sees what it printed so far, and may signal it. */
function cli(
  args: string[],
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; onStdout?: (text: string, child: ReturnType<typeof spawn>) => void } = {},
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Output for watch that stops it (as Ctrl-C would) once it starts watching, after its first run. */
function stopWhenWatching(): { output: ReturnType<typeof memoryOutput>; stop: Promise<void> } {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  return { output: memoryOutput({ onInfo: (line) => line.startsWith('watching ') && stop() }), stop: stopped };
}

const scratchReports = () => ['--reports-dir', path.join(SCRATCH, 'usability-reports'), '--snapshot-dir', path.join(SCRATCH, 'snapshots')];

// ---------------------------------------------------------------- 7. watch

test('7. watch: a failure shows its file:line and have/want, an SQL error its location, as test does', async () => {
  const { output, stop } = stopWhenWatching();
  assert.equal(await watchCommand(fixtureConfig(path.join(FIXTURES, 'project')), output, stop), 0);
  const text = output.lines.join('\n');
  assert.match(text, /2 - this one fails on purpose\n\s+at supabase\/tests\/020_fail\.sql:4\n\s+have: 1\n\s+want: 2/);
  assert.match(text, /supabase\/tests\/030_error\.sql:5:49: ERROR: column "no_such_column" does not exist/);
});

test('7. watch: Ctrl-C during a rerun reports the files not run as not run, and exits 130', async () => {
  const dir = await copyFixture('project');
  let interrupt!: () => void;
  const stop = new Promise<void>((resolve) => (interrupt = resolve));
  let saved = false;
  const output = memoryOutput({
    onInfo: (line) => {
      if (line.startsWith('watching ') && !saved) {
        saved = true;
        // a saved migration: the database is rebuilt and every file rerun
        void appendFile(path.join(dir, 'supabase', 'migrations', '3_third.sql'), '\n-- saved again\n');
      }
      if (line.startsWith('rebuilding the database')) interrupt();
    },
  });
  const code = await watchCommand(fixtureConfig(dir), output, stop);
  const rerun = output.lines.slice(output.lines.findIndex((l) => l.startsWith('rebuilding the database')));
  assert.equal(code, 130, 'the exit code says it was interrupted');
  assert.match(rerun.join('\n'), /^interrupted: 4 files not run/m);
  assert.doesNotMatch(rerun.join('\n'), /FAIL|SQL error/, 'a file not run is not a failure');
});

// ---------------------------------------------------------------- 8. db reset interrupted

test('8. db reset interrupted: says so on SIGINT, and db status calls the database incomplete until a reset completes', async () => {
  const dir = await copyFixture('bookshelf');
  const dataDir = path.join(dir, '.data', 'pglite');
  let sent = false;
  const reset = await cli(['db', 'reset', '--data-dir', dataDir], dir, {
    onStdout: (text, child) => {
      if (!sent && /^bootstrap: /m.test(text)) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.equal(reset.code, 130, `interrupted: ${reset.stdout}${reset.stderr}`);
  assert.match(reset.stderr, /interrupted: the database at \.data\/pglite is incomplete/);
  // stopped after the bootstrap: the folder exists, its migrations may all be applied, the seed is not
  assert.ok(existsSync(dataDir));
  const incomplete = await cli(['db', 'status', '--data-dir', dataDir], dir);
  assert.equal(incomplete.code, 1, incomplete.stdout + incomplete.stderr);
  assert.match(incomplete.stderr, /incomplete: a db reset .*did not finish/);
  const again = await cli(['db', 'reset', '--data-dir', dataDir], dir);
  assert.equal(again.code, 0, again.stderr);
  const status = await cli(['db', 'status', '--data-dir', dataDir], dir);
  assert.equal(status.code, 0, status.stderr);
  assert.doesNotMatch(status.stderr, /incomplete/);
});

// ---------------------------------------------------------------- 9. docs --check

test('9. docs --check: a difference at the end of a long line is shown, with both sides and where it starts', () => {
  const prefix = `| public.things | ${'a column with a long description '.repeat(4)}`;
  const lines = describeDifference(`# title\n${prefix}the old end |\nsame\n`, `# title\n${prefix}the new end |\nsame\n`);
  const text = lines.join('\n');
  assert.match(text, /line 2/);
  assert.match(text, /the old end \|/);
  assert.match(text, /the new end \|/);
  assert.match(text, /\^/, 'a caret under the first differing character');
  // trailing white space is made visible
  assert.match(describeDifference('a\nb\n', 'a\nb \n').join('\n'), /b·|"b "/);
  // a line added or removed reads as one
  assert.match(describeDifference('a\nc\n', 'a\nb\nc\n').join('\n'), /^ {2}\+ 2 \| b$/m);
});

// ---------------------------------------------------------------- 10. config.toml keys

test('10. config.toml: a misspelt key the runner reads warns with file:line and the nearest key; valid Supabase CLI keys do not', () => {
  const misspelt = parseSupabaseConfig('[db]\nport = 54322\n\n[db.seed]\nenabled = true\nsql_path = ["./extra.sql"]\n', 'supabase/config.toml');
  assert.deepEqual(misspelt.problems, []);
  assert.equal(misspelt.warnings.length, 1);
  assert.match(misspelt.warnings[0]!, /^supabase\/config\.toml:6:1: \[db\.seed\] sql_path is not a key .*did you mean sql_paths\?/);
  const table = parseSupabaseConfig('[db.sed]\nsql_paths = ["./extra.sql"]\n', 'supabase/config.toml');
  assert.match(table.warnings.join('\n'), /^supabase\/config\.toml:1:1: \[db\.sed\] .*did you mean \[db\.seed\]\?/);
  // this repository's config.toml, written by `supabase init` and kept current: every key is the CLI's
  const own = parseSupabaseConfig(readFileSync(path.join(ROOT, 'supabase', 'config.toml'), 'utf8'), 'supabase/config.toml');
  assert.deepEqual(own.warnings, []);
  const cli = parseSupabaseConfig(
    '[db]\nport = 1\nshadow_port = 2\nhealth_timeout = "2m"\nmajor_version = 15\nroot_key = "x"\n[db.settings]\nwork_mem = "4MB"\n[db.vault]\nsecret = "x"\n[db.migrations]\nenabled = true\nschema_paths = []\n[auth]\nsed = 1\n',
    'supabase/config.toml',
  );
  assert.deepEqual(cli.warnings, [], 'keys the CLI knows, and sections the runner does not read, are left alone');
});

// ---------------------------------------------------------------- 11. DATABASE_URL where no server is used

test('11. watch and docs say that they do not use DATABASE_URL', async () => {
  const env = { DATABASE_URL: 'postgresql://postgres:postgres@127.0.0.1:1/postgres' };
  const { output, stop } = stopWhenWatching();
  assert.equal(await watchCommand(fixtureConfig(path.join(FIXTURES, 'project'), {}, env), output, stop), 0);
  assert.match(output.warnings.join('\n'), /DATABASE_URL is set, but watch .*in-memory database.*127\.0\.0\.1:1.* is not used/);
  const docs = await cli(['docs', '--check', '--types', path.join(SCRATCH, 'bookshelf-types.ts')], path.join(FIXTURES, 'bookshelf'), { env });
  assert.match(docs.stderr, /DATABASE_URL is set, but docs .*in-memory database/);
});

// ---------------------------------------------------------------- 12. a subdirectory

test('12. from a subdirectory the project is found above; with none above, a hint says where to run', async () => {
  const dir = await copyFixture('bookshelf');
  const made = await cli(['new-migration', 'from_below'], path.join(dir, 'supabase', 'tests'));
  assert.equal(made.code, 0, made.stderr);
  assert.ok((await readdir(path.join(dir, 'supabase', 'migrations'))).some((f) => f.endsWith('_from_below.sql')));
  const nowhere = await mkdtemp(path.join(os.tmpdir(), 'runner-nowhere-'));
  const lost = await cli(['db', 'status'], nowhere);
  assert.equal(lost.code, 2);
  assert.match(lost.stderr, /no supabase folder in .* or any folder above it: run from the project's root/);
});

// ---------------------------------------------------------------- 13. TAP

test('13. --reporter tap: strict TAP (raw rows kept out), faults as not ok with diagnostics, failed assertions with file:line', async () => {
  const dir = await copyFixture('project');
  await writeFile(
    path.join(dir, 'supabase', 'tests', '050_raw_rows.sql'),
    "begin;\nselect plan(1);\nselect '0b5f4e1c-5d43-4c3e-9a51-7d6f6b0e2a11'::uuid;\nselect ok(true, 'after a raw row');\nselect * from finish();\nrollback;\n",
  );
  const ran = await cli(['test', '--reporter', 'tap', ...scratchReports()], dir);
  assert.equal(ran.code, 1, ran.stderr);
  assert.doesNotMatch(ran.stdout, /0b5f4e1c-5d43-4c3e-9a51-7d6f6b0e2a11/, 'a raw row is not in the stream');
  const failures: Result[] = [];
  const parser = new Parser({ strict: true });
  parser.on('fail', (r: Result) => failures.push(r));
  const nonTap: string[] = [];
  parser.on('extra', (line: string) => nonTap.push(line));
  parser.end(ran.stdout);
  assert.deepEqual(nonTap, [], 'every line is TAP');
  assert.ok(!failures.some((f) => /Non-TAP/i.test(String(f.name ?? '') + String(f.tapError ?? ''))), 'strict: no non-TAP data');
  // a failed assertion carries file:line in YAML diagnostics
  assert.match(ran.stdout, /\n {4}not ok 2 - this one fails on purpose\n {6}---\n(?: {6}.*\n)*? {6}at: supabase\/tests\/020_fail\.sql:4\n/);
  // the file that errored is a not ok line with its error as diagnostics
  assert.match(
    ran.stdout,
    /\nnot ok 3 - supabase\/tests\/030_error\.sql[^\n]*\n {2}---\n(?: {2}.*\n)*? {2}message: "SQL error"\n(?: {2}.*\n)*? {2}at: supabase\/tests\/030_error\.sql:5:49\n/,
  );
});

// ---------------------------------------------------------------- 14. help, version, escapes

test("14. -h, help and --version; a command's --help is its own; no arguments is usage on stderr, exit 2", async () => {
  const cwd = path.join(FIXTURES, 'bookshelf');
  for (const args of [['-h'], ['--help'], ['help']]) {
    const ran = await cli(args, cwd);
    assert.equal(ran.code, 0, `${args.join(' ')}: ${ran.stderr}`);
    assert.match(ran.stdout, /^usage: pg-tap-runner <command>/);
    assert.match(ran.stdout, /\n {2}watch\b/);
  }
  const version = await cli(['--version'], cwd);
  assert.equal(version.code, 0, version.stderr);
  const { version: expected } = JSON.parse(readFileSync(path.join(path.dirname(BIN), '..', 'package.json'), 'utf8')) as { version: string };
  assert.equal(version.stdout.trim(), `pg-tap-runner ${expected}`);

  for (const args of [
    ['watch', '--help'],
    ['help', 'watch'],
    ['watch', '-h'],
  ]) {
    const watch = await cli(args, cwd);
    assert.equal(watch.code, 0, `${args.join(' ')}: ${watch.stderr}`);
    assert.match(watch.stdout, /^usage: pg-tap-runner watch \[options\]/);
    assert.match(watch.stdout, /--supabase-dir DIR/);
    assert.doesNotMatch(watch.stdout, /db reset|--jobs/, "watch's help only");
  }
  const testHelp = await cli(['test', '--help'], cwd);
  assert.match(testHelp.stdout, /--jobs N/);
  assert.doesNotMatch(testHelp.stdout, /--port|--equivalents/);

  const none = await cli([], cwd);
  assert.equal(none.code, 2);
  assert.equal(none.stdout, '');
  assert.match(none.stderr, /^usage: pg-tap-runner <command>/);
});

test('14. control characters and ANSI escapes in a description are escaped before the terminal', () => {
  const tap = ['1..1', 'not ok 1 - evil \x1b[2J\x1b]0;owned\x07 description\r', '#   have: \x1b[31mred\x1b[0m', '#   want: plain'];
  const outcome: FileOutcome = { file: 'supabase/tests/evil\x1b[1m.sql', tap, error: null, durationMs: 1, summary: summariseTap(tap), lines: [3, 3, 3, 3] };
  const output = memoryOutput();
  const reporter = humanReporter(output, fixtureConfig(path.join(FIXTURES, 'bookshelf')));
  reporter.started(1);
  reporter.fileDone(outcome);
  const text = output.lines.join('\n');
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f]/, 'no control character reaches the terminal');
  assert.match(text, /evil \\x1b\[2J\\x1b\]0;owned\\x07 description/);
  assert.match(text, /have: \\x1b\[31mred\\x1b\[0m/);
});
