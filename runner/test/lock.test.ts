/**
 * The embedded database's folder lock (database/lock.ts): the reproduction of
 * the corruption (a reset while `db serve` serves the folder) with real
 * processes, a second `db serve` refused, the data intact after the server
 * stops, and a stale lock left by a killed server taken over. Then the lock
 * itself in this process: held, refused, released, a dead pid, a reused pid.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { lockDataDir, lockFileOf } from '../src/database/lock.js';
import { RunnerError } from '../src/errors.js';
import { copyFixture } from './helpers.js';

/** The package's bin: one process (tsx registers in it), so its pid is the lock's. */
const BIN = fileURLToPath(new URL('../bin/pg-tap-runner.js', import.meta.url));
const ENV = { ...process.env, NO_COLOR: '1', DATABASE_URL: '' };

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: ENV }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 2, stdout, stderr }),
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** `db serve` in its own process. */
async function serve(args: string[]): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'db', 'serve', '--port', String(port), ...args], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('press Ctrl-C')) resolve();
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    void exited.then((code) => reject(new Error(`db serve exited (${code}) before serving:\n${output}`)));
  });
  return { child, url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`, exited };
}

test('db reset and a second db serve on a folder being served are refused, naming the server; its data survives', async () => {
  const project = await copyFixture('project');
  const dataDir = path.join(project, 'data');
  const folder = ['--data-dir', dataDir, '--supabase-dir', path.join(project, 'supabase')];
  const server = await serve(folder);
  try {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('create table public.written_through_server (id int); insert into public.written_through_server values (1)');
    await client.end();

    const reset = await cli(['db', 'reset', ...folder]);
    assert.equal(reset.code, 2, reset.stderr);
    assert.match(
      reset.stderr,
      new RegExp(`^refusing to open .*data: it is in use by process ${server.child.pid}: pg-tap-runner db serve --port \\d+ --data-dir `),
    );
    assert.match(reset.stderr, /Two processes on one embedded database corrupt it: stop that one first/);
    assert.match(reset.stderr, /reach the database through it: DATABASE_URL='postgresql:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres\?sslmode=disable'/);
    assert.doesNotMatch(reset.stdout, /reset: new embedded database/, 'the folder was not replaced');

    const second = await serve(folder).then(
      async (s) => {
        s.child.kill('SIGINT');
        await s.exited;
        return null;
      },
      (error: Error) => error.message,
    );
    assert.match(second ?? 'a second server started', /exited \(2\) before serving:\nrefusing to open .*data: it is in use by process/);
  } finally {
    server.child.kill('SIGINT');
  }
  assert.equal(await server.exited, 0);
  assert.ok(!existsSync(lockFileOf(dataDir)), 'the server released its lock');

  // the corruption's symptom was an abort on the next open: the data is whole, the write kept
  const fingerprint = await cli(['db', 'fingerprint', ...folder]);
  assert.equal(fingerprint.code, 0, fingerprint.stderr);
  assert.match(fingerprint.stdout, /written_through_server/);
});

test('a lock left by a killed server is stale: the next command takes it over and says so', async () => {
  const project = await copyFixture('project');
  const dataDir = path.join(project, 'data');
  const folder = ['--data-dir', dataDir, '--supabase-dir', path.join(project, 'supabase')];
  const server = await serve(folder);
  server.child.kill('SIGKILL');
  await server.exited;
  assert.ok(existsSync(lockFileOf(dataDir)), 'a killed process leaves its lock');
  const status = await cli(['db', 'status', ...folder]);
  assert.equal(status.code, 0, status.stderr);
  assert.match(
    status.stderr,
    new RegExp(`data\\.lock: process ${server.child.pid} \\(pg-tap-runner db serve [^)]*\\) left this lock and is no longer running; taking it over`),
  );
  assert.match(status.stdout, /3 applied, 0 pending, 0 drifted, 0 missing/);
  assert.ok(!existsSync(lockFileOf(dataDir)));
});

test('the lock in one process: held, refused, released; a dead pid and a reused pid do not hold it', async () => {
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'runner-lock-')), 'db');
  const first = await lockDataDir(dir, 'db', 'db serve');
  const refused = await lockDataDir(dir, 'db', 'db reset').catch((e: unknown) => e);
  assert.ok(refused instanceof RunnerError && refused.kind === 'refused' && refused.exitCode === 2);
  assert.match(refused.message, new RegExp(`^refusing to open db: it is in use by this process \\(${process.pid}\\): db serve \\(since `));
  await first.release();
  const second = await lockDataDir(dir, 'db', 'db status');
  assert.equal(second.replaced, null);
  await second.release();
  assert.ok(!existsSync(lockFileOf(dir)));

  // a process that has exited
  const gone = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => gone.once('exit', resolve));
  const held = (pid: number, processStart: string | null) =>
    JSON.stringify({ pid, command: 'cli.ts db serve', host: os.hostname(), processStart, since: '2026-01-01T00:00:00.000Z', token: 'old' });
  await writeFile(lockFileOf(dir), held(gone.pid!, null));
  const taken = await lockDataDir(dir, 'db', 'db seed');
  assert.equal(taken.replaced?.pid, gone.pid);
  assert.equal(JSON.parse(await readFile(lockFileOf(dir), 'utf8')).command, 'db seed');
  await taken.release();

  // a live pid that started at another time: the system gave the dead holder's pid to another process
  await writeFile(lockFileOf(dir), held(process.pid, '1'));
  const reused = await lockDataDir(dir, 'db', 'db seed');
  assert.equal(reused.replaced?.processStart, '1');
  await reused.release();
});
