/**
 * However a run ends, its reports say so, and every fault is a clear error
 * (issue 29, items 5 and 6):
 * - a lost connection, a refused one, a refusal of the reset, --bail and an
 *   interrupt each rewrite junit.xml and tap/ with an error naming what stopped
 *   the run and every file that did not run; the last run's green report never
 *   stays beside a failed one;
 * - a read-only reports or snapshot folder, a full disk under the snapshots or
 *   the data folder: an error with exit code 2 before (or instead of) a stack
 *   trace, and no temporary file left behind;
 * - `test --reporter tap | head` ends quietly.
 *
 * A full disk is a small tmpfs and a read-only folder a read-only tmpfs,
 * mounted for the test: as root (CI), `mount -t tmpfs`; otherwise, a read-only
 * folder is one without write permission, and a full disk needs root.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { resetCommand } from '../src/commands/reset.js';
import { testCommand } from '../src/commands/test.js';
import { Interrupted, RunnerError } from '../src/errors.js';
import { memoryOutput } from '../src/output.js';
import { FIXTURES, SCRATCH, copyFixture, fixtureConfig, serveInMemory } from './helpers.js';

const PROJECT = path.join(FIXTURES, 'project');
const BIN = fileURLToPath(new URL('../bin/pg-tap-runner.js', import.meta.url));
const FILES = ['supabase/tests/010_pass.sql', 'supabase/tests/020_fail.sql', 'supabase/tests/030_error.sql', 'supabase/tests/040_after_error.sql'];
let scratch: string;

before(async () => {
  scratch = path.join(os.tmpdir(), `runner-run-end-${process.pid}`);
  await mkdir(scratch, { recursive: true });
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

interface Junit {
  tests: number;
  errors: number;
  failures: number;
  /** the run's own error, when it was stopped */
  stopped: string | null;
  /** files that ran, and files listed as not run */
  ran: string[];
  notRun: string[];
}

function readJunit(dir: string): Junit {
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(
    readFileSync(path.join(dir, 'junit.xml'), 'utf8'),
  );
  const suites: { name: string; testcase?: { name: string; classname: string; error?: { message: string }; skipped?: unknown }[] }[] =
    parsed.testsuites.testsuite ?? [];
  const run = suites.find((s) => s.name === '(run)');
  return {
    tests: Number(parsed.testsuites.tests),
    errors: Number(parsed.testsuites.errors),
    failures: Number(parsed.testsuites.failures),
    stopped: run?.testcase?.find((c) => c.name === '(the run as a whole)')?.error?.message ?? null,
    ran: suites.filter((s) => s.name !== '(run)').map((s) => s.name),
    notRun: (run?.testcase ?? []).filter((c) => c.name === '(not run)').map((c) => c.classname),
  };
}

/** A green report from an earlier run, in a reports folder of its own. */
async function greenReport(name: string): Promise<string> {
  const reports = path.join(scratch, name);
  const only = { ...fixtureConfig(PROJECT, { 'reports-dir': reports }), testPaths: [path.join(PROJECT, FILES[0]!)] };
  assert.equal(await testCommand(only, memoryOutput()), 0);
  const green = readJunit(reports);
  assert.deepEqual([green.errors, green.failures, green.stopped], [0, 0, null]);
  return reports;
}

// ---------------------------------------------------------------- 5. reports that say what happened

test('a connection lost mid-run: junit.xml and tap/ name the loss and every file that did not run', async () => {
  const server = await serveInMemory();
  const reports = await greenReport('lost');
  try {
    const output = memoryOutput({
      // the server goes away once the first file is done
      onInfo: (line) => void (line.includes(FILES[0]!) ? server.server.stop() : undefined),
    });
    const error = await testCommand(fixtureConfig(PROJECT, { 'db-url': server.url, 'reports-dir': reports }), output).catch((e: unknown) => e);
    assert.ok(error instanceof RunnerError && error.kind === 'connection', String(error));
    const junit = readJunit(reports);
    assert.match(junit.stopped ?? '', /^stopped: lost the connection to postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres: .*; 3 files not run$/);
    assert.deepEqual(junit.ran, [FILES[0]]);
    assert.deepEqual(junit.notRun, FILES.slice(1));
    assert.ok(junit.errors >= 1);
    assert.match(readFileSync(path.join(reports, 'tap', `${FILES[3]}.tap`), 'utf8'), /^Bail out! not run: lost the connection/);
    assert.match(
      readFileSync(path.join(reports, 'tap', 'run-stopped.tap'), 'utf8'),
      /^Bail out! lost the connection[\s\S]*# not run: supabase\/tests\/020_fail\.sql/,
    );
  } finally {
    await server.close();
  }
});

test('a refused connection and a refused reset replace the last green report with one that says so', async () => {
  const reports = await greenReport('refused');
  const refused = await testCommand(
    fixtureConfig(PROJECT, { 'db-url': 'postgresql://postgres@127.0.0.1:1/postgres', 'reports-dir': reports }),
    memoryOutput(),
  ).catch((e: unknown) => e);
  assert.ok(refused instanceof RunnerError && refused.kind === 'connection', String(refused));
  let junit = readJunit(reports);
  assert.match(junit.stopped ?? '', /^stopped: cannot connect to postgresql:\/\/postgres@127\.0\.0\.1:1\/postgres: connect ECONNREFUSED/);
  assert.deepEqual([junit.ran, junit.notRun], [[], FILES]);
  assert.ok(!existsSync(path.join(reports, 'tap', `${FILES[0]}.tap`)) || /^Bail out!/.test(readFileSync(path.join(reports, 'tap', `${FILES[0]}.tap`), 'utf8')));

  // the reset itself refused: a database marked production
  const server = await serveInMemory();
  try {
    await server.db.exec(`comment on database postgres is 'app.environment=production'`);
    await assert.rejects(testCommand(fixtureConfig(PROJECT, { 'db-url': server.url, 'reports-dir': reports }), memoryOutput()), /marked production/);
    junit = readJunit(reports);
    assert.match(junit.stopped ?? '', /^stopped: refusing to reset the database before testing: the database is marked production/);
  } finally {
    await server.close();
  }
});

test('--bail lists the files it did not run', async () => {
  const reports = path.join(scratch, 'bail');
  assert.equal(await testCommand(fixtureConfig(PROJECT, { bail: true, 'reports-dir': reports }), memoryOutput()), 1);
  const junit = readJunit(reports);
  assert.equal(junit.stopped, 'stopped: --bail: supabase/tests/020_fail.sql failed; 2 files not run');
  assert.deepEqual([junit.ran, junit.notRun], [FILES.slice(0, 2), FILES.slice(2)]);
});

test('an interrupt (SIGINT) stops the run, and the reports name it and every file not run', async () => {
  const reports = path.join(scratch, 'interrupt');
  const listeners = process.listenerCount('SIGINT');
  const output = memoryOutput({ onInfo: (line) => void (line.includes(FILES[0]!) ? process.emit('SIGINT') : undefined) });
  const error = await testCommand(fixtureConfig(PROJECT, { 'reports-dir': reports }), output).catch((e: unknown) => e);
  assert.ok(error instanceof Interrupted && error.exitCode === 130, String(error));
  const junit = readJunit(reports);
  assert.equal(junit.stopped, 'stopped: interrupted by SIGINT (Ctrl-C); 3 files not run');
  assert.deepEqual([junit.ran, junit.notRun], [[FILES[0]], FILES.slice(1)]);
  assert.equal(process.listenerCount('SIGINT'), listeners, 'the run leaves no signal handler behind');
});

test('a damaged snapshot: a clear error with its remedy, and the reports say so', async () => {
  const snapshots = path.join(scratch, 'damaged-snapshots');
  const reports = path.join(scratch, 'damaged-reports');
  const config = fixtureConfig(PROJECT, { 'snapshot-dir': snapshots, 'reports-dir': reports });
  assert.equal(await testCommand(config, memoryOutput()), 1);
  const tar = (await readdir(snapshots)).find((n) => /^[0-9a-f]{16}\.tar$/.test(n));
  assert.ok(tar !== undefined);
  await writeFile(path.join(snapshots, tar), Buffer.alloc(4096, 7));
  const error = await testCommand(config, memoryOutput()).catch((e: unknown) => e);
  assert.ok(error instanceof RunnerError && error.exitCode === 2, String(error));
  // a worker that cannot go on is a crash, never a configuration problem
  assert.equal(error.kind, 'crash');
  assert.match(error.message, /a test worker could not start: .*\(a damaged snapshot\? try --no-cache\)/);
  const junit = readJunit(reports);
  assert.match(junit.stopped ?? '', /^stopped: a test worker could not start: .*; 4 files not run$/);
  assert.deepEqual(junit.ran, []);
});

test('a run killed before it ends leaves a junit.xml saying it did not finish, never the last green one', async () => {
  const dir = await copyFixture('project');
  // a file that cannot finish before the kill
  await writeFile(path.join(dir, 'supabase/tests/050_slow.sql'), "begin;\nselect plan(1);\nselect pg_sleep(600);\nselect pass('never');\nrollback;\n");
  const reports = path.join(dir, 'reports');
  await mkdir(reports);
  await writeFile(path.join(reports, 'junit.xml'), '<testsuites tests="1342" failures="0" errors="0"/>');
  const child = spawn(process.execPath, [BIN, 'test', '--snapshot-dir', path.join(SCRATCH, 'snapshots')], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '' },
  });
  // killed, with no chance to write anything, once the last quick file is done
  let seen = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(FILES[3]!)) resolve();
    });
    child.on('exit', () => resolve());
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.on('close', resolve));
  const junit = readJunit(reports);
  assert.match(junit.stopped ?? '', /^stopped: the run did not finish/);
  assert.deepEqual(junit.notRun, [...FILES, 'supabase/tests/050_slow.sql']);
});

// ---------------------------------------------------------------- 6. faults: a clear error, nothing left behind

const root = process.getuid?.() === 0;

/** A tmpfs of `size` at `dir`, read-only when asked; unmounted by the function returned. */
function mountTmpfs(dir: string, options: string): () => void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  // lazily: a PGlite that failed to start on a full disk keeps its files open until the process ends
  return () => execFileSync('umount', ['--lazy', dir]);
}

/** A folder nobody may write into: a read-only tmpfs as root (root ignores permissions), else mode 555. */
async function readOnlyFolder(name: string): Promise<{ dir: string; release: () => Promise<void> }> {
  const dir = path.join(scratch, name);
  await mkdir(dir, { recursive: true });
  if (root) {
    const unmount = mountTmpfs(dir, 'ro,size=1m');
    return { dir, release: async () => unmount() };
  }
  await chmod(dir, 0o555);
  return { dir, release: () => chmod(dir, 0o755) };
}

test('a read-only reports folder or snapshot folder: a clear error before any test runs', async () => {
  for (const option of ['reports-dir', 'snapshot-dir'] as const) {
    const { dir, release } = await readOnlyFolder(`read-only-${option}`);
    try {
      const output = memoryOutput();
      const error = await testCommand(fixtureConfig(PROJECT, { [option]: dir }), output).catch((e: unknown) => e);
      assert.ok(error instanceof RunnerError && error.exitCode === 2, String(error));
      assert.match(
        error.message,
        new RegExp(
          `^cannot write .*read-only-${option} \\(the (reports|snapshot) folder\\): (the file system is read-only \\(EROFS\\)|permission denied \\(EACCES\\))$`,
        ),
      );
      assert.ok(!output.lines.some((l) => l.includes('010_pass')), 'no test ran');
    } finally {
      await release();
    }
  }
});

test('a full disk under the snapshots: a clear error, the reports say so, and no partial snapshot is left', async () => {
  assert.ok(root, 'a full disk is a small tmpfs: this test needs root (CI runs as root) to mount one');
  const snapshots = path.join(scratch, 'full-snapshots');
  await mkdir(snapshots, { recursive: true });
  const reports = path.join(scratch, 'full-reports');
  // room for the initdb cache (about 30 MB), not for the built database's snapshot after it
  const unmount = mountTmpfs(snapshots, 'size=40m');
  try {
    for (const attempt of [1, 2]) {
      const error = await testCommand(fixtureConfig(PROJECT, { 'snapshot-dir': snapshots, 'reports-dir': reports, 'no-cache': true }), memoryOutput()).catch(
        (e: unknown) => e,
      );
      assert.ok(error instanceof RunnerError && error.exitCode === 2, `attempt ${attempt}: ${String(error)}`);
      assert.match(error.message, /^cannot write the (snapshot|initdb cache) .*: the disk is full \(ENOSPC\)$/);
      const left = (await readdir(snapshots)).filter((n) => !/^initdb-[0-9a-f]{16}\.tar$/.test(n) && n !== '.pg-tap-runner');
      assert.deepEqual(left, [], `attempt ${attempt}: no partial file is left`);
      assert.match(readJunit(reports).stopped ?? '', /the disk is full \(ENOSPC\); 4 files not run$/);
    }
  } finally {
    unmount();
  }
});

test('a full disk under the data folder: a clear error, exit 2, the lock released', async () => {
  assert.ok(root, 'a full disk is a small tmpfs: this test needs root (CI runs as root) to mount one');
  const disk = path.join(scratch, 'full-data');
  await mkdir(disk, { recursive: true });
  const unmount = mountTmpfs(disk, 'size=8m');
  try {
    const dataDir = path.join(disk, 'db');
    const error = await resetCommand(fixtureConfig(PROJECT, { 'data-dir': dataDir }), memoryOutput()).catch((e: unknown) => e);
    assert.ok(error instanceof RunnerError && error.exitCode === 2, String(error));
    assert.match(error.message, /^cannot open the embedded database in .*full-data\/db: the disk is full \(ENOSPC\)$/);
    assert.ok(!existsSync(`${dataDir}.lock`), 'the lock is released');
    // the half-made folder is the runner's: the next reset may replace it (and meets the same full disk)
    const again = await resetCommand(fixtureConfig(PROJECT, { 'data-dir': dataDir }), memoryOutput()).catch((e: unknown) => e);
    assert.match(String(again), /the disk is full \(ENOSPC\)/);
  } finally {
    unmount();
  }
});

test('test --reporter tap | head: ends quietly when the reader goes away', async () => {
  const dir = await copyFixture('project');
  const child = spawn(process.execPath, [BIN, 'test', '--reporter', 'tap', '--snapshot-dir', path.join(SCRATCH, 'snapshots')], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let lines = 0;
  // as head -3 does: read three lines, then close the pipe
  child.stdout.on('data', (chunk: Buffer) => {
    lines += chunk.toString().split('\n').length - 1;
    if (lines >= 3) child.stdout.destroy();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.doesNotMatch(stderr, /EPIPE|Unhandled|at .*\.(js|ts):\d+/, stderr);
  assert.equal(code, 141, `exit ${code}: 128 + SIGPIPE, as a shell reports it\n${stderr}`);
  assert.match(readJunit(path.join(dir, 'reports')).stopped ?? '', /standard output was closed by its reader \(EPIPE\)/);
});
