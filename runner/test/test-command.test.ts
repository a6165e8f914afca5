/** The `test` command end to end on a fixture project: a fresh in-memory database, pgTAP files, the closing line. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Parser } from 'tap-parser';
import { testCommand } from '../src/commands/test.js';
import { RunnerError } from '../src/errors.js';
import { memoryOutput } from '../src/output.js';
import { FIXTURES, fixtureConfig } from './helpers.js';

const PROJECT = path.join(FIXTURES, 'project');

test('runs every file, keeps going after a failure and an SQL error, exits 1, ends with the closing line', async () => {
  const output = memoryOutput();
  const code = await testCommand(fixtureConfig(PROJECT, { reporter: 'tap' }), output);
  const stream = output.lines.join('\n');
  assert.equal(code, 1);
  assert.equal(output.lines.at(-1), '6 passed, 2 failed');
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
  assert.equal(output.lines.at(-1), '3 passed, 0 failed');
  const error = await testCommand({ ...fixtureConfig(PROJECT), testPaths: ['nope.sql'] }, memoryOutput()).catch((e: unknown) => e);
  assert.ok(error instanceof RunnerError && error.kind === 'usage');
});
