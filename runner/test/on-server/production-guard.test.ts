/**
 * The production guard where production lives: a Supabase-like server on which
 * the connecting user `postgres` is not a superuser (the cluster's superuser is
 * supabase_admin, as Supabase's init leaves it), in a database `postgres` made
 * and so owns, as it owns the database `postgres` on Supabase.
 * - `alter database ... set app.environment` is refused to `postgres` there,
 *   so the marker is the database's comment, which its owner may set:
 *   `comment on database postgres is 'app.environment=production'`;
 * - the first reset of a database holding what the project did not make asks
 *   for --confirm there too.
 *
 * Needs DATABASE_URL of such a server, as `postgres`; without it the test FAILS,
 * never skips. `.ci/on-server.ts` runs it with the server `.ci/run` builds (see
 * storage-reset.test.ts beside it).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { resetCommand } from '../../src/commands/reset.js';
import { RunnerError } from '../../src/errors.js';
import { memoryOutput } from '../../src/output.js';
import { FIXTURES, fixtureConfig } from '../helpers.js';

const PROJECT = path.join(FIXTURES, 'project');

test('on a server where postgres is not a superuser: the comment marks production, and a first reset asks for consent', { timeout: 120_000 }, async () => {
  const given = process.env['DATABASE_URL'] ?? '';
  assert.ok(given !== '', 'DATABASE_URL is not set: this test needs a Supabase-like server (make server prints its DATABASE_URL)');
  const name = `guard_${process.pid}`;
  const url = Object.assign(new URL(given), { pathname: `/${name}` }).toString();
  const owner = new pg.Client({ connectionString: given });
  await owner.connect();
  let user: pg.Client | null = null;
  try {
    assert.deepEqual(
      (await owner.query(`select rolsuper from pg_roles where rolname = current_user`)).rows,
      [{ rolsuper: false }],
      'postgres is not a superuser',
    );
    await owner.query(`create database ${name}`);
    user = new pg.Client({ connectionString: url });
    await user.connect();

    // the old marker cannot be set by postgres here, the comment can
    await assert.rejects(user.query(`alter database ${name} set app.environment = 'production'`), /permission denied to set parameter "app\.environment"/);
    await user.query(`create table public.precious (id int); insert into public.precious values (1)`);
    await user.query(`comment on database ${name} is 'app.environment=production'`);
    const marked = await resetCommand(fixtureConfig(PROJECT, { 'db-url': url }), memoryOutput()).catch((e: unknown) => e);
    assert.ok(marked instanceof RunnerError && marked.kind === 'refused', String(marked));
    assert.match(
      marked.message,
      /^refusing to reset the database: the database is marked production \(its comment says app\.environment=production\); nothing was touched$/,
    );
    assert.deepEqual((await user.query(`select id from public.precious`)).rows, [{ id: 1 }]);

    // unmarked, it is a database the runner never reset, holding what the project did not make
    await user.query(
      `comment on database ${name} is null; create schema billing_archive; create table billing_archive.invoices as select g as id from generate_series(1, 1000) g`,
    );
    const first = await resetCommand(fixtureConfig(PROJECT, { 'db-url': url }), memoryOutput()).catch((e: unknown) => e);
    assert.ok(first instanceof RunnerError && first.kind === 'refused', String(first));
    assert.match(
      first.message,
      new RegExp(`pg-tap-runner has never reset ${name}[^]*- schema billing_archive\\n {2}- table public\\.precious\\n[^]*--confirm ${name}`),
    );
    assert.deepEqual((await user.query(`select count(*)::int as n from billing_archive.invoices`)).rows, [{ n: 1000 }]);
  } finally {
    await user?.end().catch(() => {});
    await owner.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await owner.end();
  }
});
