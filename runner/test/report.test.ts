/** The pure parts of reporting and choosing: assertions with diagnostics, JUnit XML, shards, colours, leaks. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Chalk } from 'chalk';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Invalid } from '../src/command-line.js';
import { TEST } from '../src/commands/options.js';
import { loadConfig } from '../src/config.js';
import { memoryOutput } from '../src/output.js';
import { failureLines, junitXml, xmlEscape } from '../src/report/report.js';
import { REPORTER_NAMES } from '../src/report/registry.js';
import { humanReporter } from '../src/report/reporters/human.js';
import { diffFingerprints } from '../src/suite/leaks.js';
import { splitSql } from '../src/database/sql-split.js';
import { commitsChanges, grepFiles, setupPrefix, shardFiles } from '../src/suite/selection.js';
import { assertionsOf, summariseTap, type FileOutcome } from '../src/suite/tap.js';
import { FIXTURES } from './helpers.js';

const plain = new Chalk({ level: 0 });
const fromFixture = (name: string, extra: Partial<FileOutcome> = {}): FileOutcome => {
  const tap = readFileSync(path.join(FIXTURES, 'tap', `${name}.tap`), 'utf8')
    .trimEnd()
    .split('\n');
  return { file: `supabase/tests/${name}.sql`, tap, error: null, durationMs: 12, summary: summariseTap(tap), ...extra };
};

test('each assertion keeps its diagnostics and the line of the statement that returned it', () => {
  const tap = [
    '1..3',
    'ok 1 - passes',
    'not ok 2 - the anonymous visitor sees no drafts\n# Failed test 2: "the anonymous visitor sees no drafts"\n#         have: 1\n#         want: 0',
    'ok 3 - skipped # SKIP no drafts yet',
    '# Looks like you failed 1 test of 3',
  ];
  const outcome: FileOutcome = {
    file: 'x.sql',
    tap,
    error: null,
    durationMs: 5,
    summary: summariseTap(tap),
    lines: [2, 3, 9, 12, 13],
    statementMs: [0, 1, 4, 1, 0],
  };
  const [one, two, three] = assertionsOf(outcome);
  assert.deepEqual([one?.ok, one?.line], [true, 3]);
  assert.deepEqual(two, {
    id: 2,
    ok: false,
    description: 'the anonymous visitor sees no drafts',
    skip: null,
    todo: null,
    diagnostics: ['have: 1', 'want: 0'],
    line: 9,
    durationMs: 4,
  });
  assert.equal(three?.skip, 'no drafts yet');
  assert.equal(outcome.summary.skipped, 1);
  assert.equal(outcome.summary.passed, 1, 'a skipped assertion is not counted as passed');
  assert.deepEqual(failureLines(outcome, plain), ['    ✗ 2 - the anonymous visitor sees no drafts', '      at x.sql:9', '      have: 1', '      want: 0']);
});

test('JUnit XML escapes what XML cannot hold and parses back to the same text', () => {
  assert.equal(xmlEscape(`a & b < c > d "e" 'f'\u0001`), 'a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;');
  const nasty = `<![CDATA[ ]]> & "quotes" \u0007 ${'é'}`;
  const tap = ['1..1', `not ok 1 - ${nasty}`, '#     have: </failure>', '#     want: ]]>'];
  const outcomes = [
    { file: 'supabase/tests/a&b.sql', tap, error: null, durationMs: 3, summary: summariseTap(tap) },
    fromFixture('short-plan', { error: 'x.sql:3:1: ERROR: boom <here>\n  SQLSTATE: 42601' }),
    fromFixture('pass'),
  ];
  const xml = junitXml(outcomes, { timestamp: new Date('2025-01-01T00:00:00Z') });
  assert.equal(XMLValidator.validate(xml), true);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(xml);
  const [first, second, third] = parsed.testsuites.testsuite;
  assert.equal(first.name, 'supabase/tests/a&b.sql');
  assert.equal(first.testcase[0].name, `1 - ${nasty.replace('\u0007', '')}`);
  assert.match(first.testcase[0].failure['#text'], /have: <\/failure>\nwant: \]\]>/);
  assert.equal(second.errors, '1');
  assert.match(second.testcase.at(-1).error['#text'], /ERROR: boom <here>/);
  assert.deepEqual([third.tests, third.failures, third.errors], ['2', '0', '0']);
  assert.deepEqual([parsed.testsuites.tests, parsed.testsuites.failures, parsed.testsuites.errors], ['5', '1', '1']);
});

test('a wrong plan and a failed assertion: both under the file, and JUnit says what the screen says', () => {
  const outcome = fromFixture('plan-and-fail', { lines: [2, 3, 4, 4, 4, 6, 6, 6] });
  assert.deepEqual(failureLines(outcome, plain), [
    '    ✗ 2 - the anonymous visitor sees no drafts',
    '      at supabase/tests/plan-and-fail.sql:4',
    '      have: 1',
    '      want: 0',
    '    ✗ planned 5 assertions but ran 2',
  ]);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(
    junitXml([outcome]),
  );
  const suite = parsed.testsuites.testsuite[0];
  assert.deepEqual([suite.tests, suite.failures, suite.errors], ['3', '2', '0']);
  assert.equal(suite.testcase.at(-1).failure.message, 'planned 5 assertions but ran 2');
});

test('shards deal the sorted files round-robin; setup files go to shard 1 only', () => {
  const files = ['t/300.sql', 't/00_helpers.sql', 't/100.sql', 't/200.sql', 't/400.sql'];
  const setup = ['t/00_helpers.sql'];
  assert.deepEqual(shardFiles(files, null, setup), ['t/00_helpers.sql', 't/100.sql', 't/200.sql', 't/300.sql', 't/400.sql']);
  assert.deepEqual(shardFiles(files, { index: 1, count: 2 }, setup), ['t/00_helpers.sql', 't/100.sql', 't/300.sql']);
  assert.deepEqual(shardFiles(files, { index: 2, count: 2 }, setup), ['t/200.sql', 't/400.sql']);
  assert.deepEqual(shardFiles(files, { index: 3, count: 3 }, setup), ['t/300.sql']);
  assert.deepEqual(grepFiles(files, /[12]00/), ['t/100.sql', 't/200.sql']);
});

test('setup files are the leading files that commit changes by what they say, whatever their names', () => {
  const says = (script: string) =>
    commitsChanges(
      splitSql(script, { psql: true })
        .filter((s) => s.meta !== true)
        .map((s) => s.sql),
    );
  assert.equal(says('create schema tests;\ncreate function tests.f() returns int language sql as $$ select 1 $$;'), true);
  assert.equal(says('\\set QUIET 1\nbegin;\nselect plan(1);\ncreate table t (id int);\nselect ok(true);\nselect * from finish();\nrollback;'), false);
  assert.equal(says('select plan(1);\nselect ok(true, $$x$$);\nselect * from finish();'), false, 'pgTAP in autocommit: only its temporary tables');
  assert.equal(says('begin;\ninsert into t values (1);\ncommit;'), true);
  assert.equal(says('set role anon;\ncreate temporary table scratch (id int);'), false, 'session state and temporary tables end with the session');
  assert.equal(says('begin;\nsavepoint a;\nrollback to savepoint a;\ninsert into t values (1);\nrollback;'), false);
  const commits = new Map([
    ['t/00_setup.sql', true],
    ['t/010.sql', false],
    ['t/020_forgets.sql', true],
  ]);
  assert.deepEqual(
    setupPrefix([...commits.keys()], (f) => commits.get(f)!),
    ['t/00_setup.sql'],
    'a file after the first that does not commit is no setup file',
  );
});

test('colours on a terminal only, and never with NO_COLOR', () => {
  const failing = fromFixture('fail');
  const render = (isTTY: boolean, env: NodeJS.ProcessEnv) => {
    const output = { ...memoryOutput(), isTTY };
    const reporter = humanReporter(output, loadConfig({}, env, path.join(FIXTURES, 'project')));
    reporter.fileDone(failing);
    reporter.finished({ outcomes: [failing], notRun: 0, stopped: null, totalMs: 10, phases: '', closing: true });
    return output.lines.join('\n');
  };
  assert.match(render(true, {}), /\x1b\[31m/);
  assert.doesNotMatch(render(true, { NO_COLOR: '1' }), /\x1b\[/);
  assert.doesNotMatch(render(false, {}), /\x1b\[/);
  assert.equal(render(false, {}).split('\n').at(-1), '2 passed, 1 failed');
});

test('a leak names what changed', () => {
  const before = new Map([
    ['table public.a', 'rls=true'],
    ['rows of public.a', '2 rows, newest version 700'],
    ['policy p on public.a', 'x'],
  ]);
  const after = new Map([
    ['table public.a', 'rls=false'],
    ['rows of public.a', '2 rows, newest version 731'],
    ['table public.b', 'rls=false'],
  ]);
  assert.deepEqual(diffFingerprints(before, after), [
    'changed table public.a',
    'dropped policy p on public.a',
    'new table public.b',
    'public.a: rows updated (2 rows)',
  ]);
  assert.deepEqual(diffFingerprints(before, before), []);
  // a table created empty is named once; its rows only when it has some; a dropped table is not its rows too
  const created = new Map([...before, ['table public.c', 'rls=false'], ['rows of public.c', '0 rows, newest version -']]);
  assert.deepEqual(diffFingerprints(before, created), ['new table public.c']);
  created.set('rows of public.c', '3 rows, newest version 740');
  assert.deepEqual(diffFingerprints(before, created), ['new table public.c', 'public.c: 3 rows in a new table']);
  assert.deepEqual(diffFingerprints(created, before), ['dropped table public.c']);
});

test('--reporter takes exactly the registered reporters, the default first', () => {
  assert.equal(TEST.reporter.value, REPORTER_NAMES.join('|'));
  const project = path.join(FIXTURES, 'project');
  assert.equal(loadConfig({}, {}, project).test.reporter, REPORTER_NAMES[0]);
  for (const name of REPORTER_NAMES) assert.equal(TEST.reporter.parse(name), name);
  const refused = TEST.reporter.parse('dots');
  assert.ok(refused instanceof Invalid);
  assert.equal(refused.problem, '--reporter must be human or tap (got dots)');
});
