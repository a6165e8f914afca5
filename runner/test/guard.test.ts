/**
 * What a reset may delete, and where it really goes (issue 29, items 1 to 4):
 * - only folders the runner made (or empty ones) are emptied: a data folder
 *   given by mistake (`--data-dir`, PGLITE_DATA_DIR=supabase), a snapshot or
 *   reports folder holding other files, are refused untouched; a PGlite data
 *   folder from before the marker is recognised and adopted;
 * - a server database the runner never reset, holding what neither the
 *   platform nor the project made, is reset only with --confirm; after that the
 *   runner's mark lets later resets go ahead; a new database needs no consent;
 * - the guard judges the host the driver connects to (`host` and `hostaddr`
 *   parameters, PGHOST, PGHOSTADDR), and prints it;
 * - the production marker a database's owner can set without being a
 *   superuser: its comment (on a server served by PGlite here;
 *   on-server/production-guard.test.ts proves it where the user is not a superuser).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { resetCommand } from '../src/commands/reset.js';
import { testCommand } from '../src/commands/test.js';
import { serverTarget } from '../src/config.js';
import { ensurePlatform } from '../src/database/bootstrap.js';
import { guardBeforeConnecting } from '../src/database/guards.js';
import { MARKER } from '../src/database/folders.js';
import { ServerTarget } from '../src/database/target.js';
import { RunnerError } from '../src/errors.js';
import { memoryOutput } from '../src/output.js';
import { FIXTURES, copyFixture, fixtureConfig, serveInMemory } from './helpers.js';

const PROJECT = path.join(FIXTURES, 'project');
let scratch: string;

before(async () => {
  scratch = await mkdtempIn('runner-guard-');
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function mkdtempIn(prefix: string): Promise<string> {
  const dir = path.join(os.tmpdir(), `${prefix}${process.pid}-${Math.random().toString(36).slice(2)}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

async function refusal(work: Promise<unknown>, pattern: RegExp): Promise<RunnerError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof RunnerError && error.kind === 'refused', `expected a refusal, got ${String(error)}`);
  assert.equal(error.exitCode, 2);
  assert.match(error.message, pattern);
  return error;
}

/** Every file under `dir`, relative, with its content: to prove nothing changed. */
async function contents(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())) {
    const full = path.join(name.parentPath, name.name);
    out[path.relative(dir, full)] = readFileSync(full, 'utf8');
  }
  return out;
}

// ---------------------------------------------------------------- 1. only what the runner made

test('db reset refuses a data folder it did not make, naming what is there, and deletes nothing', async () => {
  const victim = path.join(scratch, 'victim');
  await mkdir(path.join(victim, 'docs'), { recursive: true });
  await writeFile(path.join(victim, 'docs', 'thesis.txt'), 'four years of work');
  await refusal(
    resetCommand(fixtureConfig(PROJECT, { 'data-dir': victim }), memoryOutput()),
    /^refusing to reset the database: .*victim is not the embedded database's data folder pg-tap-runner made, .*It holds docs\..*nothing was touched$/,
  );
  assert.deepEqual(await contents(victim), { 'docs/thesis.txt': 'four years of work' });
});

test('PGLITE_DATA_DIR=supabase: the reset is refused and every migration, test, seed and config.toml stays', async () => {
  const dir = await copyFixture('project');
  const supabase = path.join(dir, 'supabase');
  const before = await contents(supabase);
  const config = fixtureConfig(dir, {}, { PGLITE_DATA_DIR: 'supabase' });
  assert.equal(config.target.kind === 'embedded' && config.target.dataDir, supabase);
  await refusal(
    resetCommand(config, memoryOutput()),
    /supabase is not the embedded database's data folder .*It holds config\.toml, migrations, seeds, tests\./,
  );
  assert.deepEqual(await contents(supabase), before);
});

test("a PGlite data folder from before the marker is adopted; a PostgreSQL server's folder is not", async () => {
  const dataDir = path.join(scratch, 'legacy');
  assert.equal(await resetCommand(fixtureConfig(PROJECT, { 'data-dir': dataDir }), memoryOutput()), 0);
  assert.ok(existsSync(path.join(dataDir, MARKER)), 'a folder the runner makes carries its marker');
  // as an earlier runner left it: a PGlite data folder without the marker
  await rm(path.join(dataDir, MARKER));
  const adopted = memoryOutput();
  assert.equal(await resetCommand(fixtureConfig(PROJECT, { 'data-dir': dataDir }), adopted), 0);
  assert.match(adopted.lines.join('\n'), /legacy is a PGlite data folder from an earlier pg-tap-runner: replacing it/);
  assert.ok(existsSync(path.join(dataDir, MARKER)));

  // a PostgreSQL server has run in this one (postmaster.opts): never PGlite's
  const server = path.join(scratch, 'server-cluster');
  await cp(dataDir, server, { recursive: true });
  await rm(path.join(server, MARKER));
  await writeFile(path.join(server, 'postmaster.opts'), '/usr/lib/postgresql/18/bin/postgres "-D" "/var/lib/postgresql/18/main"\n');
  await refusal(resetCommand(fixtureConfig(PROJECT, { 'data-dir': server }), memoryOutput()), /It holds postmaster\.opts\./);
  assert.ok(existsSync(path.join(server, 'PG_VERSION')));
});

test('test refuses a snapshot or reports folder holding files it did not make, before anything is built', async () => {
  const notes = path.join(scratch, 'notes');
  await mkdir(notes, { recursive: true });
  await writeFile(path.join(notes, 'todo.txt'), 'keep me');
  await writeFile(path.join(notes, 'junit.xml'), '<mine/>');
  const output = memoryOutput();
  await refusal(
    testCommand(fixtureConfig(PROJECT, { 'snapshot-dir': notes }), output),
    /^refusing to keep snapshots there: .*notes is not the snapshot folder pg-tap-runner made, .*It holds junit\.xml, todo\.txt\./,
  );
  await refusal(
    testCommand(fixtureConfig(PROJECT, { 'reports-dir': notes }), output),
    /^refusing to write the reports there: .*notes is not the reports folder pg-tap-runner made, .*It holds todo\.txt\./,
  );
  // the project's own root as the reports folder: its supabase/ is not a report
  await refusal(testCommand(fixtureConfig(PROJECT, { 'reports-dir': PROJECT }), output), /It holds supabase\./);
  assert.deepEqual(await contents(notes), { 'todo.txt': 'keep me', 'junit.xml': '<mine/>' });
  assert.deepEqual(output.lines, [], 'nothing was built or run');
});

// ---------------------------------------------------------------- 2. consent before a first reset

test('a database the runner never reset, holding what the project did not make, is reset only with --confirm', async () => {
  const server = await serveInMemory();
  try {
    // an application's local database: a schema of its own with 1,000 rows, a table in public, a user
    await server.db.exec(`
      create schema billing_archive;
      create table billing_archive.invoices as select g as id from generate_series(1, 1000) g;
      create table public.customers (id int primary key, name text);
      insert into public.customers values (1, 'Ada');`);
    const config = (flags = {}) => fixtureConfig(PROJECT, { 'db-url': server.url, ...flags });
    const output = memoryOutput();
    const error = await refusal(
      testCommand(config(), output),
      /^refusing to reset the database before testing: pg-tap-runner has never reset postgres, and it holds what neither the Supabase platform nor this project's migrations made; a reset would drop:\n {2}- schema billing_archive\n {2}- table public\.customers\nNothing was touched\. .*pass --confirm postgres once/,
    );
    assert.doesNotMatch(error.message, /reset: emptied/);
    assert.deepEqual((await server.db.query<{ n: number }>('select count(*)::int as n from billing_archive.invoices')).rows, [{ n: 1000 }]);
    assert.deepEqual((await server.db.query<{ name: string }>('select name from public.customers')).rows, [{ name: 'Ada' }]);

    // consent, once: the reset says what it drops and goes ahead
    const confirmed = memoryOutput();
    assert.equal(await resetCommand(config({ confirm: 'postgres' }), confirmed), 0);
    assert.match(confirmed.warnings.join('\n'), /--confirm postgres: dropping what this project did not make: schema billing_archive, table public\.customers/);
    assert.equal((await server.db.query(`select to_regnamespace('billing_archive') as s`)).rows[0]?.['s' as never], null);

    // the runner's mark: later resets go ahead, whatever was added since
    await server.db.exec('create table public.scratch_pad (id int)');
    assert.equal(await resetCommand(config(), memoryOutput()), 0);
    assert.equal((await server.db.query(`select to_regclass('public.scratch_pad') as t`)).rows[0]?.['t' as never], null);
  } finally {
    await server.close();
  }
});

test('a new database with only the platform (auth, storage, extensions) needs no consent', async () => {
  const server = await serveInMemory();
  try {
    const target = await ServerTarget.connect(server.url);
    try {
      // what a new Supabase project has before any migration, as the bootstrap makes it
      assert.ok((await ensurePlatform(target)).length > 0);
    } finally {
      await target.close();
    }
    const output = memoryOutput();
    assert.equal(await resetCommand(fixtureConfig(PROJECT, { 'db-url': server.url }), output), 0);
    assert.match(output.lines.join('\n'), /reset: emptied/);
    assert.match(output.lines.join('\n'), /bootstrap: skipped/);
  } finally {
    await server.close();
  }
});

// ---------------------------------------------------------------- 3. where the connection really goes

test('the guard judges the host the driver connects to: host and hostaddr parameters, PGHOST, PGHOSTADDR', () => {
  const guard = (url: string, env: NodeJS.ProcessEnv = {}) => {
    const config = fixtureConfig(PROJECT, { 'db-url': url }, env);
    return () => guardBeforeConnecting(config, 'reset the database');
  };
  // the URL's host is loopback, the driver goes to the host parameter
  assert.throws(
    guard('postgresql://postgres:postgres@127.0.0.1:54329/db?host=remote-host'),
    /refusing to reset the database: remote-host:54329 is not on this machine; pass --allow-remote --confirm db/,
  );
  assert.throws(guard('postgresql://postgres@127.0.0.1:5432/db?hostaddr=10.0.0.7'), /the connection string also names 10\.0\.0\.7 \(hostaddr or PGHOSTADDR\)/);
  assert.throws(guard('postgresql://postgres@127.0.0.1:5432/db', { PGHOSTADDR: '10.0.0.7' }), /names 10\.0\.0\.7/);
  // no host in the URL: the driver takes PGHOST
  assert.throws(guard('postgresql://postgres@/db', { PGHOST: 'db.example.com' }), /db\.example\.com:5432 is not on this machine/);
  assert.throws(
    guard('postgresql://postgres@127.0.0.1:5432/db?host=127.0.0.1,db.example.com'),
    /db\.example\.com:5432 is not on this machine|names db\.example\.com/,
  );
  // loopback however it is written, a Unix socket's folder included
  guard('postgresql://postgres@/db?host=/var/run/postgresql')();
  guard('postgresql://postgres@/db', { PGHOST: 'localhost' })();
  guard('postgresql://postgres@db.prod.example.com:5432/db?host=127.0.0.1')();
  const target = serverTarget('postgresql://postgres@db.prod.example.com:6000/app?host=127.0.0.1&port=54329', {});
  assert.ok(typeof target !== 'string');
  assert.deepEqual([target.host, target.port, target.database, target.hosts], ['127.0.0.1', 54329, 'app', ['127.0.0.1']]);
});

test('a URL whose host parameter is loopback resets the local server, and says so by its real address', async () => {
  const server = await serveInMemory();
  try {
    const port = new URL(server.url).port;
    const url = `postgresql://postgres:postgres@db.prod.example.invalid:${port}/postgres?host=127.0.0.1&sslmode=disable`;
    const output = memoryOutput();
    assert.equal(await resetCommand(fixtureConfig(PROJECT, { 'db-url': url }), output), 0);
    const said = output.lines.join('\n');
    assert.match(said, new RegExp(`reset: emptied postgresql://postgres@127\\.0\\.0\\.1:${port}/postgres `));
    assert.doesNotMatch(said, /db\.prod\.example/);
  } finally {
    await server.close();
  }
});

// ---------------------------------------------------------------- 4. a production marker the owner can set

test('a database whose comment says app.environment=production is refused, touching nothing', async () => {
  const server = await serveInMemory();
  try {
    await server.db.exec(`create table public.precious (id int); comment on database postgres is 'Acme billing: app.environment=production'`);
    await refusal(
      resetCommand(fixtureConfig(PROJECT, { 'db-url': server.url }), memoryOutput()),
      /the database is marked production \(its comment says app\.environment=production\); nothing was touched$/,
    );
    assert.equal((await server.db.query(`select to_regclass('public.precious')::text as t`)).rows[0]?.['t' as never], 'precious');
  } finally {
    await server.close();
  }
});
