import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Parser } from 'tap-parser';
import { closingLine, fileFaults, subtest, summariseTap, tally, type FileOutcome } from '../src/suite/tap.js';
import { FIXTURES } from './helpers.js';

const tapLines = (name: string) =>
  readFileSync(path.join(FIXTURES, 'tap', `${name}.tap`), 'utf8')
    .trimEnd()
    .split('\n');
const outcome = (name: string, error: string | null = null): FileOutcome => {
  const tap = tapLines(name);
  return { file: `${name}.sql`, tap, error, durationMs: 1, summary: summariseTap(tap) };
};

test('a passing file', () => {
  const o = outcome('pass');
  assert.deepEqual([o.summary.planned, o.summary.passed, o.summary.failedAssertions], [2, 2, 0]);
  assert.deepEqual(fileFaults(o), []);
});

test('a failed assertion is named', () => {
  const o = outcome('fail');
  assert.equal(o.summary.failedAssertions, 1);
  assert.deepEqual(o.summary.failures, [{ id: 2, name: 'the anonymous visitor sees no drafts' }]);
  assert.deepEqual(fileFaults(o), []);
});

test('plan problems, bail out, SQL errors and empty files are faults of the file', () => {
  assert.deepEqual(fileFaults(outcome('short-plan')), ['planned 3 assertions but ran 1']);
  assert.deepEqual(fileFaults(outcome('no-plan')), ['no plan (ran 1 assertion)']);
  assert.deepEqual(fileFaults(outcome('bail')), ['Bail out! the fixtures are broken']);
  assert.deepEqual(fileFaults(outcome('short-plan', 'x.sql:3:1: ERROR: boom')), ['SQL error']);
  const empty: FileOutcome = { file: 'e.sql', tap: [], error: null, durationMs: 0, summary: summariseTap([]) };
  assert.deepEqual(fileFaults(empty), ['no assertions']);
});

test('a wrong plan is a fault of the file even when an assertion failed too', () => {
  const o = outcome('plan-and-fail');
  assert.equal(o.summary.failedAssertions, 1);
  assert.deepEqual(o.summary.planProblems, ['planned 5 assertions but ran 2']);
  assert.deepEqual(fileFaults(o), ['planned 5 assertions but ran 2']);
  assert.deepEqual(tally([o]), { passed: 1, failed: 2, failedFiles: 1 }, 'the assertion, and the file for its plan');
});

test('a build failure is the one fault of its outcome', () => {
  const failed: FileOutcome = {
    file: 'supabase/seed.sql',
    tap: [],
    error: 'supabase/seed.sql:1:1: ERROR: boom',
    durationMs: 1,
    summary: summariseTap([]),
    buildStep: 'seed',
  };
  assert.deepEqual(fileFaults(failed), ['the seed failed: the database could not be built, no test ran']);
});

test('tally counts assertions, and each faulty file once', () => {
  const all = ['pass', 'fail', 'short-plan'].map((n) => outcome(n));
  assert.deepEqual(tally(all), { passed: 2 + 2 + 1, failed: 1 + 1, failedFiles: 2 });
  assert.equal(closingLine(5, 2), '5 passed, 2 failed');
});

test('the subtests form a TAP stream tap-parser accepts', () => {
  const all = ['pass', 'fail'].map((n) => outcome(n));
  const stream = ['TAP version 14', ...all.flatMap((o, i) => subtest(o, i + 1)), '1..2'].join('\n') + '\n';
  let result: { count: number; pass: number; fail: number } | undefined;
  new Parser((r) => (result = r)).end(stream);
  assert.deepEqual([result?.count, result?.pass, result?.fail], [2, 1, 1]);
});
