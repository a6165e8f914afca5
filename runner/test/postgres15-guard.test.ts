/**
 * The production guard where production lives: a PostgreSQL 15 server on which
 * the connecting user `postgres` is not a superuser, as on Supabase (the
 * cluster's superuser is supabase_admin, and `postgres` owns the database
 * `postgres`, as Supabase's migrate.sh leaves it).
 * - `alter database ... set app.environment` is refused to `postgres` there,
 *   so the marker is the database's comment, which its owner may set:
 *   `comment on database postgres is 'app.environment=production'`;
 * - the first reset of a database holding what the project did not make asks
 *   for --confirm there too.
 *
 * It needs PostgreSQL 15's server binaries (initdb, pg_ctl) in
 * /usr/lib/postgresql/15/bin (Debian's postgresql-15) or PG15_BINDIR, a free
 * port of 127.0.0.1 (PG15_TEST_PORT, or any), and, when run as root, the
 * system user `postgres` (the package makes it) and `runuser`, since
 * PostgreSQL refuses to run as root. Without the binaries the test does not
 * run, except under CI (CI=true), where that is a failure.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { chown, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { resetCommand } from '../src/commands/reset.js';
import { freePort } from '../src/database/served.js';
import { RunnerError } from '../src/errors.js';
import { memoryOutput } from '../src/output.js';
import { FIXTURES, fixtureConfig } from './helpers.js';

const BIN = process.env['PG15_BINDIR'] ?? '/usr/lib/postgresql/15/bin';
const present = existsSync(path.join(BIN, 'initdb')) && existsSync(path.join(BIN, 'pg_ctl'));
const PROJECT = path.join(FIXTURES, 'project');

if (!present && process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false') {
  test('PostgreSQL 15 is installed for the non-superuser guard test', () => {
    assert.fail(`no initdb and pg_ctl in ${BIN}: install postgresql-15 (or set PG15_BINDIR)`);
  });
}

if (present) {
  test('on PostgreSQL 15 with postgres not a superuser: the comment marks production, and a first reset asks for consent', { timeout: 120_000 }, async () => {
    const root = process.getuid?.() === 0;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pg15-guard-'));
    if (root) await chown(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
    const asPostgres = (bin: string, args: string[]) =>
      execFileSync(root ? 'runuser' : path.join(BIN, bin), root ? ['-u', 'postgres', '--', path.join(BIN, bin), ...args] : args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const data = path.join(dir, 'data');
    const port = Number(process.env['PG15_TEST_PORT'] ?? (await freePort()));
    asPostgres('initdb', ['-D', data, '-U', 'supabase_admin', '-A', 'trust']);
    asPostgres('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir}`, 'start']);
    const admin = new pg.Client({ connectionString: `postgresql://supabase_admin@127.0.0.1:${port}/postgres` });
    const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    const user = new pg.Client({ connectionString: url });
    try {
      await admin.connect();
      // as Supabase has it: postgres a login role that is no superuser, owning the database postgres
      await admin.query(`create role postgres login createrole createdb bypassrls nosuperuser`);
      await admin.query(`alter database postgres owner to postgres`);
      await user.connect();
      assert.deepEqual((await user.query(`select rolsuper from pg_roles where rolname = current_user`)).rows, [{ rolsuper: false }]);

      // the old marker cannot be set by postgres here, the comment can
      await assert.rejects(user.query(`alter database postgres set app.environment = 'production'`), /permission denied to set parameter "app\.environment"/);
      await user.query(`create table public.precious (id int); insert into public.precious values (1)`);
      await user.query(`comment on database postgres is 'app.environment=production'`);
      const marked = await resetCommand(fixtureConfig(PROJECT, { 'db-url': url }), memoryOutput()).catch((e: unknown) => e);
      assert.ok(marked instanceof RunnerError && marked.kind === 'refused', String(marked));
      assert.match(marked.message, /^refusing to reset the database: the database is marked production \(its comment says app\.environment=production\); nothing was touched$/);
      assert.deepEqual((await user.query(`select id from public.precious`)).rows, [{ id: 1 }]);

      // unmarked, it is a database the runner never reset, holding what the project did not make
      await user.query(`comment on database postgres is null; create schema billing_archive; create table billing_archive.invoices as select g as id from generate_series(1, 1000) g`);
      const first = await resetCommand(fixtureConfig(PROJECT, { 'db-url': url }), memoryOutput()).catch((e: unknown) => e);
      assert.ok(first instanceof RunnerError && first.kind === 'refused', String(first));
      assert.match(first.message, /pg-tap-runner has never reset postgres[^]*- schema billing_archive\n {2}- table public\.precious\n[^]*--confirm postgres/);
      assert.deepEqual((await user.query(`select count(*)::int as n from billing_archive.invoices`)).rows, [{ n: 1000 }]);
    } finally {
      await user.end().catch(() => {});
      await admin.end().catch(() => {});
      try {
        asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  });
}
