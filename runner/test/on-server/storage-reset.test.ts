/**
 * The server target on a real Supabase-like database, whose storage schema the
 * Storage API's own tenant migrations built (0055-prevent-direct-deletes
 * included): a reset empties buckets and objects the way the Storage API does,
 * and a refusal by the database is a clear error, with nothing changed.
 *
 * Needs DATABASE_URL of such a database, as `postgres` (a fresh one from
 * `make server`, or a `supabase start` stack's): without it every test here
 * FAILS, never skips. It is not in `npm run test:runner` (runner/test/*.test.ts)
 * because that runs on a laptop with only Node.js; `.ci/on-server.ts` runs it
 * against the server every CI run:
 *   DATABASE_URL=postgresql://... node --import tsx --test runner/test/on-server/*.test.ts
 * It resets that database (the storage fixture's migration), so give it a fresh one.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import pg from 'pg';
import { $ } from 'zx';
import { copyFixture } from '../helpers.js';

const BIN = fileURLToPath(new URL('../../bin/pg-tap-runner.js', import.meta.url));
const URL_ = process.env['DATABASE_URL'] ?? '';

function serverUrl(): string {
  assert.ok(
    URL_ !== '',
    'DATABASE_URL is not set: these tests need a Supabase-like server (make server prints its DATABASE_URL); ' + '.ci/on-server.ts runs them with it',
  );
  return URL_;
}

/** `pg-tap-runner ...args` in the fixture's folder against `url`, never throwing. */
async function runner(cwd: string, url: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['DATABASE_URL'];
  const result = await $({ cwd, env, quiet: true, nothrow: true })`${process.execPath} ${BIN} ${args} --db-url ${url}`;
  return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const rows = async (client: pg.Client, sql: string): Promise<string[]> => (await client.query<{ v: string }>(sql)).rows.map((r) => String(r.v));

test('the database is one the Storage API migrated: direct deletes from storage are refused, as on Supabase', async () => {
  await withClient(serverUrl(), async (client) => {
    assert.deepEqual(
      await rows(client, `select name as v from storage.migrations where name = 'prevent-direct-deletes'`),
      ['prevent-direct-deletes'],
      "storage.migrations records the Storage API's 0055-prevent-direct-deletes",
    );
    assert.deepEqual(await rows(client, `select rolsuper::text as v from pg_roles where rolname = current_user`), ['false'], 'postgres is not a superuser');
    await assert.rejects(client.query('delete from storage.objects'), (error: Error & { code?: string }) => {
      assert.equal(error.code, '42501');
      assert.match(error.message, /Direct deletion from storage tables is not allowed/);
      return true;
    });
  });
});

test('a reset and a test run empty buckets and objects the Storage API protects, then rebuild the project', async () => {
  const url = serverUrl();
  const dir = await copyFixture('storage');
  const first = await runner(dir, url, 'test');
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /^14 passed, 0 failed$/m);

  // rows the Storage API would have written: an object in the project's bucket, another bucket
  await withClient(url, async (client) => {
    await client.query(`insert into storage.buckets (id, name) values ('uploads', 'uploads')`);
    await client.query(`insert into storage.objects (bucket_id, name) values ('step-media', 'a/b.png'), ('uploads', 'c.png')`);
  });

  const reset = await runner(dir, url, 'db', 'reset');
  assert.equal(reset.code, 0, reset.stdout + reset.stderr);
  assert.match(reset.stdout + reset.stderr, /reset: emptied .*storage/);
  await withClient(url, async (client) => {
    assert.deepEqual(
      await rows(client, 'select id as v from storage.buckets order by 1'),
      ['avatars', 'step-media'],
      "only the migrations' buckets, made again",
    );
    assert.deepEqual(await rows(client, 'select name as v from storage.objects'), [], 'no objects');
    assert.deepEqual(
      await rows(client, `select policyname as v from pg_policies where schemaname = 'storage' order by 1`),
      ['avatars_select_public', 'step_media_insert_own', 'step_media_select_own'],
      "the migrations' policies, made again",
    );
  });

  const again = await runner(dir, url, 'test');
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /^14 passed, 0 failed$/m);
});

test('a reset the database refuses is a clear error without a stack trace, and nothing is changed', async () => {
  const url = serverUrl();
  const dir = await copyFixture('storage');
  const role = `runner_refused_${process.pid}`;
  const limited = new URL(url);
  limited.username = role;
  limited.password = 'refused';
  await withClient(url, async (client) => {
    await client.query(`insert into storage.objects (bucket_id, name) values ('step-media', 'kept.png')`);
    // a login role that may connect but owns nothing and may delete nothing
    await client.query(`create role ${role} login password 'refused'`);
  });
  try {
    const refused = await runner(dir, limited.href, 'db', 'reset');
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /^refusing to reset .*refused what the reset needs, and nothing was changed .*\(SQLSTATE 42501\)/m);
    assert.doesNotMatch(refused.stderr, /^\s+at /m, 'no stack trace');
    assert.doesNotMatch(refused.stderr, /unexpected error/);
    await withClient(url, async (client) => {
      assert.deepEqual(await rows(client, `select name as v from storage.objects where name = 'kept.png'`), ['kept.png'], 'the object is still there');
    });
  } finally {
    await withClient(url, async (client) => {
      await client.query(`drop role if exists ${role}`);
    });
  }
});
