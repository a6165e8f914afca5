/**
 * Reset: every refusal (nothing touched), and two resets in a row giving the
 * same database, on the embedded target and on a server target (a PGlite served
 * over the wire protocol by pglite-socket, reached with pg as any server would be).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { PGlite } from '@electric-sql/pglite';
import { resetCommand } from '../src/commands/reset.js';
import { statusCommand } from '../src/commands/status.js';
import { catalogueItems } from '../src/database/fingerprint.js';
import { guardBeforeConnecting, isLoopback } from '../src/database/guards.js';
import { EmbeddedTarget, ServerTarget } from '../src/database/target.js';
import { RunnerError } from '../src/errors.js';
import { memoryOutput } from '../src/output.js';
import { FIXTURES, copyFixture, fixtureConfig, serveInMemory } from './helpers.js';

const PROJECT = path.join(FIXTURES, 'project');
let served: PGlite;
let closeServer: () => Promise<void>;
let url: string;
let scratch: string;

before(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'runner-reset-'));
  ({ db: served, url, close: closeServer } = await serveInMemory());
});
after(async () => {
  await closeServer();
  await rm(scratch, { recursive: true, force: true });
});

async function refusal(work: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof RunnerError && error.kind === 'refused', `expected a refusal, got ${String(error)}`);
  assert.equal(error.exitCode, 2);
  assert.match(error.message, pattern);
}

/** An embedded data folder with a file in it, to prove a refused reset touched nothing. */
async function occupiedDataDir(): Promise<string> {
  const dir = path.join(scratch, `data-${Math.random().toString(36).slice(2)}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'precious'), 'x');
  return dir;
}

for (const name of ['APP_ENV', 'NODE_ENV']) {
  test(`refuses when ${name} is production, touching nothing`, async () => {
    const dataDir = await occupiedDataDir();
    await refusal(
      resetCommand(fixtureConfig(PROJECT, { 'data-dir': dataDir }, { [name]: 'Production' }), memoryOutput()),
      new RegExp(`${name} is "production"`),
    );
    assert.ok(existsSync(path.join(dataDir, 'precious')));
  });
}

test('refuses a server that is not on loopback, before connecting', async () => {
  // the host does not resolve: a connection attempt would be a connection error, not a refusal
  const remote = 'postgresql://postgres:secret@db.example.invalid:5432/app_db';
  await refusal(resetCommand(fixtureConfig(PROJECT, { 'db-url': remote }), memoryOutput()), /pass --allow-remote --confirm app_db/);
  await refusal(resetCommand(fixtureConfig(PROJECT, { 'db-url': remote, 'allow-remote': true }), memoryOutput()), /--allow-remote needs --confirm app_db/);
  await refusal(
    resetCommand(fixtureConfig(PROJECT, { 'db-url': remote, 'allow-remote': true, confirm: 'postgres' }), memoryOutput()),
    /--confirm app_db \(the database's name\), not --confirm postgres$/,
  );
  // with both, the guard lets it through (to the connection, which this test does not make)
  guardBeforeConnecting(fixtureConfig(PROJECT, { 'db-url': remote, 'allow-remote': true, confirm: 'app_db' }), 'reset');
  for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '/var/run/postgresql']) assert.ok(isLoopback(host), host);
  for (const host of ['db.example.com', '10.0.0.1', '0.0.0.0']) assert.ok(!isLoopback(host), host);
});

test("a server that does not answer: a connection error with Node.js's words, not taken for a SQLSTATE", async () => {
  const error = await ServerTarget.connect('postgresql://postgres:secret@127.0.0.1:1/postgres').catch((e: unknown) => e);
  assert.ok(error instanceof RunnerError && error.kind === 'connection', String(error));
  assert.match(error.message, /^cannot connect to postgresql:\/\/postgres@127\.0\.0\.1:1\/postgres: connect ECONNREFUSED 127\.0\.0\.1:1$/);
});

test('refuses a database marked production, touching nothing', async () => {
  await served.exec(`create table public.precious (id int); alter database postgres set app.environment = 'production'`);
  try {
    await refusal(resetCommand(fixtureConfig(PROJECT, { 'db-url': url }), memoryOutput()), /database is marked production/);
    assert.equal((await served.query(`select to_regclass('public.precious') as t`)).rows.length, 1);
    assert.notEqual((await served.query<{ t: string }>(`select to_regclass('public.precious')::text as t`)).rows[0]?.t, null);
  } finally {
    await served.exec(`alter database postgres reset app.environment; drop table public.precious`);
  }
});

test('two resets in a row give the same database, on a server and embedded', async () => {
  const fingerprint = async () => {
    const target = await ServerTarget.connect(url);
    try {
      return await catalogueItems(target);
    } finally {
      await target.close();
    }
  };
  const first = memoryOutput();
  assert.equal(await resetCommand(fixtureConfig(PROJECT, { 'db-url': url }), first), 0);
  assert.match(first.lines.join('\n'), /bootstrap: created roles/);
  const once = await fingerprint();
  // something the reset must take away: a user's schema, a row, a table no migration made
  await served.exec(`create schema scratch; create table public.stray (id int);
    insert into auth.users (id, email) values ('00000000-0000-0000-0000-0000000000ff', 'stray@example.com')`);
  const second = memoryOutput();
  assert.equal(await resetCommand(fixtureConfig(PROJECT, { 'db-url': url }), second), 0);
  assert.match(second.lines.join('\n'), /reset: emptied .*\(public, app, scratch; migration history; storage; realtime; auth\.users\)/);
  assert.match(second.lines.join('\n'), /bootstrap: skipped/);
  const twice = await fingerprint();
  assert.deepEqual(twice, once);
  assert.ok(once.includes('rows public.notes 2') && once.includes('rows app.profiles 2'), 'migrations and seed ran');
  assert.ok(once.includes('rows auth.users 2'));

  const dataDir = path.join(scratch, 'data-two-resets');
  assert.equal(await resetCommand(fixtureConfig(PROJECT, { 'data-dir': dataDir }), memoryOutput()), 0);
  await writeFile(path.join(dataDir, 'stray'), 'x');
  assert.equal(await resetCommand(fixtureConfig(PROJECT, { 'data-dir': dataDir }), memoryOutput()), 0);
  assert.ok(!existsSync(path.join(dataDir, 'stray')), 'an embedded reset starts a new folder in place of its own');
  const embedded = await EmbeddedTarget.open(dataDir);
  try {
    assert.deepEqual(await catalogueItems(embedded), once, 'embedded and server builds agree');
  } finally {
    await embedded.close();
  }
});

test('a reset refuses migration files that cannot all be applied before it removes anything', async () => {
  const dataDir = await occupiedDataDir();
  const error = await resetCommand(fixtureConfig(path.join(FIXTURES, 'duplicate'), { 'data-dir': dataDir }), memoryOutput()).catch((e: unknown) => e);
  assert.ok(error instanceof RunnerError && error.kind === 'refused', String(error));
  assert.match(error.message, /^refusing to reset the database: the migrations cannot all be applied, nothing was touched:\n {2}- version 1 is shared by /);
  assert.ok(existsSync(path.join(dataDir, 'precious')));
});

test('db status exits 1 when anything would stop db migrate, and its columns line up', async () => {
  const dir = await copyFixture('project');
  const dataDir = path.join(dir, 'data');
  const config = () => fixtureConfig(dir, { 'data-dir': dataDir });
  assert.equal(await resetCommand(config(), memoryOutput()), 0);
  const clean = memoryOutput();
  assert.equal(await statusCommand(config(), clean), 0);
  assert.match(clean.lines.join('\n'), /3 applied, 0 pending, 0 drifted, 0 missing/);

  await appendFile(path.join(dir, 'supabase/migrations/1_first.sql'), '\n-- edited after it was applied\n');
  await rm(path.join(dir, 'supabase/migrations/3_third.sql'));
  const drifted = memoryOutput();
  assert.equal(await statusCommand(config(), drifted), 1);
  const rows = drifted.lines.filter((l) => l.startsWith('  '));
  const column = (l: string) => l.search(/supabase\/|3_third/);
  assert.equal(new Set(rows.map(column)).size, 1, `the file names start in one column:\n${rows.join('\n')}`);
  assert.match(drifted.warnings.join('\n'), /problem: supabase\/migrations\/1_first\.sql has changed since it was applied/);
  assert.match(drifted.warnings.join('\n'), /problem: migration 3_third is applied to the database but its file is missing/);
});
