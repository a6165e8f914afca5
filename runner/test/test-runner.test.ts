/**
 * The test runner end to end, on fixture projects whose files each provoke one
 * fault: a failed assertion, an SQL error, a plan mismatch, a missing plan, no
 * assertions, an empty file, a commit (no fault: later files run with it), a file that never finishes, a
 * BAIL OUT, an unreadable file, no files at all, a lost server connection.
 * Also: the snapshot cache (cold, warm, --no-cache), --jobs 2 and --shard giving
 * the serial run's results, JUnit XML read back with a real XML parser.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Parser } from 'tap-parser';
import { testCommand } from '../src/commands/test.js';
import type { Flags } from '../src/config.js';
import { snapshotHash } from '../src/database/snapshot.js';
import { RunnerError } from '../src/errors.js';
import { memoryOutput } from '../src/output.js';
import { FIXTURES, SCRATCH, copyFixture, fixtureConfig, serveInMemory } from './helpers.js';

const FAULTS = path.join(FIXTURES, 'faults');
const TIMEOUT = 4;

interface Suite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** reports/junit.xml, validated and read with fast-xml-parser: suite name -> counts. */
// biome-ignore lint/suspicious/noExplicitAny: fast-xml-parser's result is untyped; the tests read it as the XML says
function readJunit(reportsDir: string): { suites: Map<string, Suite>; raw: string; parsed: any } {
  const raw = readFileSync(path.join(reportsDir, 'junit.xml'), 'utf8');
  const valid = XMLValidator.validate(raw);
  assert.equal(valid, true, `junit.xml is not well-formed XML: ${JSON.stringify(valid)}`);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(raw);
  const suites = new Map<string, Suite>();
  for (const s of parsed.testsuites.testsuite ?? []) {
    suites.set(s.name, { name: s.name, tests: Number(s.tests), failures: Number(s.failures), errors: Number(s.errors), skipped: Number(s.skipped) });
  }
  return { suites, raw, parsed };
}

async function run(name: string, flags: Flags, project = FAULTS) {
  const reportsDir = path.join(SCRATCH, `reports-${name}`);
  const output = memoryOutput();
  const code = await testCommand(fixtureConfig(project, { timeout: TIMEOUT, 'reports-dir': reportsDir, ...flags }), output);
  return { code, output, text: output.lines.join('\n'), reportsDir };
}

let serial: Awaited<ReturnType<typeof run>>;
before(async () => {
  serial = await run('serial', { 'no-cache': true });
});

test('every fault is reported in its file, and the other files still run', () => {
  const { code, output, text } = serial;
  assert.equal(code, 1);
  assert.equal(output.lines.at(-1), '16 passed, 7 failed', 'the closing line, alone on the last line');
  assert.match(
    text,
    /database: snapshot built in [\d.]+ m?s \(hash [\d.]+ m?s, PGlite with initdb [\d.]+ m?s, bootstrap [\d.]+ m?s, migrations [^;]*; hash [0-9a-f]{16}\)/,
  );

  assert.match(text, /^✓ supabase\/tests\/000_setup\.sql {2}1\/1 \(setup\)/m);
  assert.match(text, /^✓ supabase\/tests\/010_pass\.sql {2}2\/2 /m);
  // a failed assertion: description, file:line, pgTAP's have / want
  assert.match(text, /^✗ supabase\/tests\/020_fail\.sql {2}1\/2 /m);
  assert.match(text, /^ {4}✗ 2 - arithmetic & <xml> "escaping" fails on purpose\n {6}at supabase\/tests\/020_fail\.sql:4\n {6}have: 2\n {6}want: 3$/m);
  // an SQL error: the TAP before it kept, file:line:col, SQLSTATE; the next file starts clean
  assert.match(text, /^✗ supabase\/tests\/030_sql_error\.sql {2}1\/3 /m);
  assert.match(text, /supabase\/tests\/030_sql_error\.sql:5:25: ERROR: relation "public\.no_such_table" does not exist/);
  assert.match(text, /SQLSTATE: 42P01/);
  assert.match(text, /^✓ supabase\/tests\/040_after_error\.sql/m);
  // plan problems, no assertions, an empty file
  assert.match(text, /^✗ supabase\/tests\/050_plan_mismatch\.sql[^\n]*\n {4}✗ planned 3 assertions but ran 2$/m);
  assert.match(text, /^✗ supabase\/tests\/060_no_plan\.sql[^\n]*\n {4}✗ no plan \(ran 1 assertion\)$/m);
  assert.match(text, /^✗ supabase\/tests\/070_no_assertions\.sql[^\n]*\n {4}✗ no assertions$/m);
  assert.match(text, /^✗ supabase\/tests\/080_empty\.sql[^\n]*\n {4}✗ empty file: no statements$/m);
  // a file that commits passes on its assertions, as under pg_prove, named with what it left;
  // the files after it ran again in order on a database that has it
  assert.match(
    text,
    /^✓ supabase\/tests\/090_leak\.sql {2}1\/1 [^\n]*\n {4}! committed changes instead of rolling back; every later file ran with them, as under pg_prove:/m,
  );
  assert.match(text, /^ {6}new table public\.leftover$/m);
  assert.match(text, /^ {6}public\.notes: 2 → 3 rows$/m);
  assert.match(text, /^✓ supabase\/tests\/100_after_leak\.sql/m);
  // a file that never finishes: stopped at its limit, named; a new worker runs the next file
  assert.match(
    text,
    new RegExp(
      `^✗ supabase/tests/110_timeout\\.sql {2}1/2 [^\\n]*\\n {4}✗ did not finish within ${TIMEOUT} s \\(--timeout\\)\\n {6}stopped after ${TIMEOUT} s at supabase/tests/110_timeout\\.sql:4`,
      'm',
    ),
  );
  assert.match(text, /^✓ supabase\/tests\/120_after_timeout\.sql/m);
  // a commit that leaves only pgTAP's own state in the session: nothing to say, the next file has a new session
  assert.match(text, /^✓ supabase\/tests\/125_commit_only\.sql {2}1\/1 [^\n]*\n✓/m);
  assert.match(text, /^✓ supabase\/tests\/130_after_commit_only\.sql/m);
  // the summary, no colours off a terminal
  assert.match(text, /^files {7}8 passed, 7 failed, 0 skipped \(15\)$/m);
  assert.match(text, /^assertions {2}16 passed, 1 failed, 0 skipped$/m);
  assert.doesNotMatch(text, /\x1b\[/);
});

test('reports/junit.xml is valid JUnit: a suite per file, a case per assertion, diagnostics as the failure body', () => {
  const { suites, parsed } = readJunit(serial.reportsDir);
  assert.equal(suites.size, 15);
  assert.deepEqual(suites.get('supabase/tests/020_fail.sql'), { name: 'supabase/tests/020_fail.sql', tests: 2, failures: 1, errors: 0, skipped: 0 });
  assert.deepEqual(suites.get('supabase/tests/030_sql_error.sql')?.errors, 1);
  assert.deepEqual(suites.get('supabase/tests/110_timeout.sql')?.errors, 1);
  assert.deepEqual(suites.get('supabase/tests/090_leak.sql')?.failures, 0);
  const fail = parsed.testsuites.testsuite.find((s: { name: string }) => s.name === 'supabase/tests/020_fail.sql');
  const failing = fail.testcase.find((c: { failure?: unknown }) => c.failure !== undefined);
  assert.equal(failing.name, '2 - arithmetic & <xml> "escaping" fails on purpose', 'escaped and read back intact');
  assert.equal(failing.line, '4');
  assert.match(failing.failure['#text'], /have: 2\nwant: 3/);
  assert.ok(Number(parsed.testsuites.tests) > 0 && parsed.testsuites.failures !== undefined);
  // the raw TAP of each file
  const tap = readFileSync(path.join(serial.reportsDir, 'tap/supabase/tests/020_fail.sql.tap'), 'utf8');
  assert.match(tap, /^not ok 2 - arithmetic/m);
});

test("--jobs 2 gives the serial run's results, in the same order; the snapshot is reused", async () => {
  const parallel = await run('jobs2', { jobs: 2 });
  assert.equal(parallel.code, 1);
  assert.match(parallel.text, /database: snapshot reused in [\d.]+ m?s \(hash [\d.]+ m?s, read [\d.]+ m?s; hash [0-9a-f]{16}, built /);
  const order = (text: string) => text.split('\n').filter((l) => /^[✓✗-] /.test(l));
  assert.deepEqual(
    order(parallel.text).map((l) => l.replace(/ {2}[\d.]+ m?s$/, '')),
    order(serial.text).map((l) => l.replace(/ {2}[\d.]+ m?s$/, '')),
  );
  assert.deepEqual(readJunit(parallel.reportsDir).suites, readJunit(serial.reportsDir).suites);
});

test('--shard 1/2 and 2/2 split the files; together they are the serial run', async () => {
  const one = await run('shard1', { shard: { index: 1, count: 2 } });
  const two = await run('shard2', { shard: { index: 2, count: 2 }, jobs: 2 });
  const a = readJunit(one.reportsDir).suites;
  const b = readJunit(two.reportsDir).suites;
  assert.ok(a.has('supabase/tests/000_setup.sql') && !b.has('supabase/tests/000_setup.sql'), 'setup files are reported by shard 1 only');
  for (const name of a.keys()) assert.ok(!b.has(name), `${name} is in both shards`);
  assert.deepEqual(new Map([...a, ...b].sort(([x], [y]) => x.localeCompare(y))), readJunit(serial.reportsDir).suites);
  assert.match(two.text, /^✓ supabase\/tests\/120_after_timeout\.sql/m, "shard 2 has the setup file's helpers too");
});

test('--reporter tap streams one TAP document tap-parser reads; --grep picks files by name', async () => {
  const tap = await run('tap', { reporter: 'tap', grep: /0[1-5]0_/ });
  assert.equal(tap.code, 1);
  assert.equal(tap.output.lines[0], 'TAP version 14');
  assert.equal(tap.output.lines.at(-1), '# 7 passed, 3 failed', 'the closing line, as a TAP comment');
  let result: { ok: boolean; count: number; pass: number; fail: number } | undefined;
  const parser = new Parser((r) => (result = r));
  const problems: string[] = [];
  parser.on('extra', (line: string) => problems.push(line));
  parser.end(tap.text + '\n');
  assert.deepEqual(problems, []);
  assert.deepEqual([result?.count, result?.pass, result?.fail], [5, 2, 3]);
  assert.match(tap.text, /^# Subtest: supabase\/tests\/030_sql_error\.sql$/m);
  assert.match(tap.text, /^ {4}# supabase\/tests\/030_sql_error\.sql:5:25: ERROR/m);
});

test('BAIL OUT stops the run and exits 1; --bail stops at the first failing file', async () => {
  const bail = await run('bail', {}, path.join(FIXTURES, 'bail'));
  assert.equal(bail.code, 1);
  assert.match(bail.text, /^✗ supabase\/tests\/020_bail\.sql[^\n]*\n {4}✗ Bail out! the fixtures cannot be built$/m);
  assert.match(bail.text, /^stopped: Bail out! in supabase\/tests\/020_bail\.sql: the fixtures cannot be built; 1 file not run$/m);
  assert.doesNotMatch(bail.text, /030_never/);
  const tap = await run('bail-tap', { reporter: 'tap' }, path.join(FIXTURES, 'bail'));
  let result: { ok: boolean; bailout: string | boolean } | undefined;
  new Parser((r) => (result = r)).end(tap.text + '\n');
  assert.equal(result?.ok, false);
  assert.match(String(result?.bailout), /the fixtures cannot be built/);

  const first = await run('bail-flag', { bail: true, grep: /0[0-3]0_/ });
  assert.equal(first.code, 1);
  assert.match(first.text, /^stopped: --bail: supabase\/tests\/020_fail\.sql failed; 1 file not run$/m);
  assert.doesNotMatch(first.text, /030_sql_error/);
});

test('an unreadable file, no files at all, and a --grep matching nothing exit 2 before anything is built', async () => {
  const error = async (project: string, flags: Flags = {}) => {
    const caught = await testCommand(fixtureConfig(path.join(FIXTURES, project), flags), memoryOutput()).catch((e: unknown) => e);
    assert.ok(caught instanceof RunnerError, `expected a RunnerError, got ${String(caught)}`);
    assert.equal(caught.exitCode, 2);
    return caught.message;
  };
  assert.match(await error('unreadable'), /cannot read test file:\n {2}- supabase\/tests\/020_gone\.sql \(ENOENT/);
  assert.match(await error('no-tests'), /no pgTAP files \(\*\.sql, \*\.pg\) under supabase\/tests/);
  assert.match(await error('faults', { grep: /nothing-is-called-this/ }), /no test file matches --grep/);
});

test('a lost connection to a server ends the run with exit 2 and a clear message', async () => {
  const { server, url, close } = await serveInMemory();
  try {
    let stopping: Promise<void> | null = null;
    // the server goes away as soon as the first file's result is printed
    const output = memoryOutput({
      onInfo: (line) => {
        if (stopping === null && /^✓ supabase\/tests\/010_pass\.sql/.test(line)) stopping = server.stop();
      },
    });
    const config = fixtureConfig(FAULTS, { 'db-url': url, grep: /0[0-4]0_/, 'reports-dir': path.join(SCRATCH, 'reports-lost') });
    const caught = await testCommand(config, output).catch((e: unknown) => e);
    assert.ok(caught instanceof RunnerError && caught.kind === 'connection', `expected a connection error, got ${String(caught)}`);
    assert.equal(caught.exitCode, 2);
    assert.match(caught.message, /lost the connection to postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres/);
    assert.doesNotMatch(output.lines.at(-1) ?? '', /^\d+ passed, \d+ failed$/, 'no closing line: the run did not finish');
    assert.ok(existsSync(path.join(SCRATCH, 'reports-lost', 'junit.xml')), 'what ran is still reported');
  } finally {
    await close();
  }
});

test("the snapshot's hash changes with the seed, the migrations, config.toml and the setup files", async () => {
  // a copy of a project of real files (the faults project links to these)
  const dir = await copyFixture('project');
  const config = fixtureConfig(dir);
  const setup = [path.join(dir, 'supabase/tests/000_setup.sql')];
  await writeFile(setup[0]!, 'create schema helpers;\n');
  const seen = new Set([await snapshotHash(config, setup)]);
  assert.ok(seen.has(await snapshotHash(config, setup)), 'nothing changed: the same hash');
  for (const file of ['seeds/02_notes.sql', 'migrations/2_second.sql', 'config.toml', 'tests/000_setup.sql']) {
    await appendFile(path.join(dir, 'supabase', file), file.endsWith('.toml') ? '\n# changed\n' : '\n-- changed\n');
    const hash = await snapshotHash(config, setup);
    assert.ok(!seen.has(hash), `a change to ${file} gives a new hash`);
    seen.add(hash);
  }
});

test('a rebuild starts from the kept initdb, --no-cache makes it anew; the results are the same', { timeout: 300_000 }, async () => {
  const dir = await copyFixture('project');
  const flags = { 'snapshot-dir': path.join(dir, 'snapshots'), 'reports-dir': path.join(dir, 'reports') };
  const runOnce = async (extra: Record<string, unknown> = {}) => {
    const output = memoryOutput();
    const code = await testCommand(fixtureConfig(dir, { ...flags, ...extra }), output);
    return { code, text: output.lines.join('\n'), closing: output.lines.at(-1) };
  };
  const cold = await runOnce();
  assert.match(cold.text, /snapshot built in [\d.]+ m?s \(hash [\d.]+ m?s, PGlite with initdb /);
  await appendFile(path.join(dir, 'supabase/migrations/2_second.sql'), '\n-- changed\n');
  const rebuilt = await runOnce();
  assert.match(rebuilt.text, /snapshot built in [\d.]+ m?s \(hash [\d.]+ m?s, PGlite from the initdb cache /);
  const again = await runOnce({ 'no-cache': true });
  assert.match(again.text, /snapshot built in [\d.]+ m?s \(hash [\d.]+ m?s, PGlite with initdb /);
  assert.deepEqual([rebuilt.code, rebuilt.closing, again.code, again.closing], [cold.code, cold.closing, cold.code, cold.closing]);
});
