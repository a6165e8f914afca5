/** The `test` command end to end on a fixture project: a fresh in-memory database, pgTAP files, the closing line. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Parser } from 'tap-parser';
import { testCommand } from '../src/commands/test.js';
import { RunnerError } from '../src/errors.js';
import { memoryOutput } from '../src/output.js';
import { FIXTURES, copyFixture, fixtureConfig } from './helpers.js';

const PROJECT = path.join(FIXTURES, 'project');

test('runs every file, keeps going after a failure and an SQL error, exits 1, ends with the closing line', async () => {
  const output = memoryOutput();
  const code = await testCommand(fixtureConfig(PROJECT, { reporter: 'tap' }), output);
  const stream = output.lines.join('\n');
  assert.equal(code, 1);
  assert.equal(output.lines.at(-1), '# 6 passed, 2 failed', 'the closing line, a TAP comment in a TAP stream');
  assert.match(stream, /^ok 1 - supabase\/tests\/010_pass.sql/m);
  assert.match(stream, /^not ok 2 - supabase\/tests\/020_fail.sql/m);
  assert.match(stream, /^ {4}not ok 2 - this one fails on purpose$/m);
  // the assertion before the error is kept; the error is located and explained
  assert.match(stream, /^ {4}ok 1 - the assertion before the error is kept$/m);
  assert.match(stream, /^ {4}# supabase\/tests\/030_error.sql:5:\d+: ERROR: column "no_such_column" does not exist$/m);
  assert.match(stream, /^ {4}# {3}SQLSTATE: 42703$/m);
  assert.match(stream, /^not ok 3 - supabase\/tests\/030_error.sql/m);
  // the session was rolled back: the next file starts clean
  assert.match(stream, /^ok 4 - supabase\/tests\/040_after_error.sql/m);
  assert.equal(output.warnings.at(-1), 'seed: no files match ./missing/*.sql (supabase/config.toml [db.seed] sql_paths)');

  let result: { count: number; pass: number; fail: number } | undefined;
  new Parser((r) => (result = r)).end(stream + '\n');
  assert.deepEqual([result?.count, result?.pass, result?.fail], [4, 2, 2], 'the stream is TAP that tap-parser reads');
});

test('runs only the paths given; a path that does not exist is a usage error', async () => {
  const output = memoryOutput();
  const only = path.join(PROJECT, 'supabase/tests/010_pass.sql');
  assert.equal(await testCommand({ ...fixtureConfig(PROJECT, { reporter: 'tap' }), testPaths: [only] }, output), 0);
  assert.equal(output.lines.at(-1), '# 3 passed, 0 failed');
  const error = await testCommand({ ...fixtureConfig(PROJECT), testPaths: ['nope.sql'] }, memoryOutput()).catch((e: unknown) => e);
  assert.ok(error instanceof RunnerError && error.kind === 'usage');
});

/** "1.2 s" or "340 ms" in milliseconds; shown values are rounded to 0.1 s above a second. */
const ms = (text: string) => (text.endsWith(' ms') ? Number(text.slice(0, -3)) : Number(text.slice(0, -2)) * 1000);

/** Checks that a line's phases ("a 1.2 s, b 24 ms") add up to its total, within the rounding of what is shown. */
function addsUp(total: string, phases: string): void {
  // a phase's detail, in parentheses, is not a phase
  const parts = phases
    .replace(/ \([^)]*\)/g, '')
    .split(', ')
    .map((p) => ms(/ ([\d.]+ m?s)$/.exec(p)![1]!));
  const sum = parts.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - ms(total)) <= 50 * (parts.length + 1), `${phases} add up to ${sum} ms, not ${total}`);
}

test('the time line and the snapshot line account for every second: their phases add up to the total', async () => {
  const dir = await copyFixture('project');
  const output = memoryOutput();
  await testCommand(
    { ...fixtureConfig(dir, { 'snapshot-dir': path.join(dir, 'snapshots') }), testPaths: [path.join(dir, 'supabase/tests/010_pass.sql')] },
    output,
    { startedAt: 0 },
  );
  const text = output.lines.join('\n');
  const built = /^database: snapshot built in ([\d.]+ m?s) \((hash [^;]+); hash [0-9a-f]{16}\)/m.exec(text);
  assert.ok(built, text);
  assert.match(
    built[2]!,
    /^hash [\d.]+ m?s, PGlite with initdb [\d.]+ m?s, bootstrap [\d.]+ m?s, migrations [\d.]+ m?s, seed [\d.]+ m?s, pgTAP [\d.]+ m?s, setup files [\d.]+ m?s, dump [\d.]+ m?s, save [\d.]+ m?s$/,
  );
  addsUp(built[1]!, built[2]!);
  const time = /^time {8}([\d.]+ m?s): (start [^\n]+)$/m.exec(text);
  assert.ok(time, text);
  assert.match(
    time[2]!,
    /^start [\d.]+ m?s, selection [\d.]+ m?s, database [\d.]+ m?s, 1 worker ready [\d.]+ m?s \(each: code [\d.]+ m?s, restore [\d.]+ m?s\), files [\d.]+ m?s, reports [\d.]+ m?s$/,
  );
  addsUp(time[1]!, time[2]!);
});

test('a failed build: the failing migration or seed replaces the last reports, and the closing line says so', async () => {
  const dir = await copyFixture('project');
  const reportsDir = path.join(dir, 'reports');
  const config = () => ({
    ...fixtureConfig(dir, { 'reports-dir': reportsDir, 'snapshot-dir': path.join(dir, 'snapshots') }),
    testPaths: [path.join(dir, 'supabase/tests/010_pass.sql')],
  });
  assert.equal(await testCommand(config(), memoryOutput()), 0);
  assert.match(readFileSync(path.join(reportsDir, 'junit.xml'), 'utf8'), /<testsuites name="pgTAP" tests="3" failures="0" errors="0"/);

  for (const [file, content] of [
    ['supabase/migrations/11_broken.sql', 'create table broken (;\n'],
    ['supabase/seeds/02_notes.sql', 'insert into no_such_table values (1);\n'],
  ] as const) {
    await writeFile(path.join(dir, file), content);
    const output = memoryOutput();
    assert.equal(await testCommand(config(), output), 1);
    const text = output.lines.join('\n');
    assert.match(
      text,
      new RegExp(
        `^✗ ${file.replace(/[./]/g, '\\$&')} {2}0/0 [^\\n]*\\n {4}✗ the ${file.includes('seed') ? 'seed' : 'migration'} failed: the database could not be built, no test ran\\n {6}${file.replace(/[./]/g, '\\$&')}:1:\\d+: ERROR: `,
        'm',
      ),
    );
    assert.match(text, /^stopped: the database could not be built; 1 file not run$/m);
    assert.equal(output.lines.at(-1), '0 passed, 1 failed');
    const junit = readFileSync(path.join(reportsDir, 'junit.xml'), 'utf8');
    // the failed step, and the run stopped with the file it did not run
    assert.match(junit, /<testsuites name="pgTAP" tests="3" failures="0" errors="2" skipped="1"/, "the last run's green report is gone");
    assert.match(junit, /<error message="stopped: the database could not be built \((seed|migration)\); 1 file not run" type="stopped">/);
    assert.match(
      junit,
      new RegExp(`<testsuite name="${file}"[^>]*>\\n {4}<testcase name="\\(the file as a whole\\)"[^>]*>\\n {6}<error message="the (seed|migration) failed`),
    );
    assert.deepEqual(
      await readdir(path.join(reportsDir, 'tap'), { recursive: true }).then((l) => l.filter((f) => f.endsWith('.tap')).sort()),
      ['run-stopped.tap', `${file}.tap`, 'supabase/tests/010_pass.sql.tap'].sort(),
    );
    await rm(path.join(dir, file));
    if (file.includes('seed')) await writeFile(path.join(dir, file), readFileSync(path.join(PROJECT, file)));
  }
});

test('migration files that cannot all be applied refuse the run before anything is built or reported', async () => {
  const dir = await copyFixture('project');
  const reportsDir = path.join(dir, 'reports');
  await writeFile(path.join(dir, 'supabase/migrations/2_again.sql'), 'select 1;\n');
  const output = memoryOutput();
  const error = await testCommand(fixtureConfig(dir, { 'reports-dir': reportsDir }), output).catch((e: unknown) => e);
  assert.ok(error instanceof RunnerError && error.kind === 'refused', String(error));
  assert.match(
    error.message,
    /^refusing to build the database: the migrations cannot all be applied, nothing was touched:\n {2}- version 2 is shared by supabase\/migrations\/2_again\.sql and supabase\/migrations\/2_second\.sql/,
  );
  assert.deepEqual(output.lines, []);
  assert.ok(!existsSync(reportsDir), 'no report was written');
});
