/** Migrations against a real PGlite: one instance, emptied between scenarios as a server reset would. */
import assert from 'node:assert/strict';
import { appendFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ensurePlatform, hasPlatform } from '../src/database/bootstrap.js';
import { readHistory } from '../src/database/history.js';
import { migrate } from '../src/database/migrate.js';
import { emptyServerDatabase } from '../src/database/server-reset.js';
import { EmbeddedTarget } from '../src/database/target.js';
import { RunnerError, SqlFileError } from '../src/errors.js';
import { memoryOutput } from '../src/output.js';
import { FIXTURES, copyFixture, fixtureConfig } from './helpers.js';

let db: EmbeddedTarget;
before(async () => {
  db = await EmbeddedTarget.open(null);
});
after(async () => {
  await db.close();
});

/** An empty, bootstrapped database for the next scenario. */
async function fresh(): Promise<void> {
  await emptyServerDatabase(db);
  await ensurePlatform(db);
}

const versions = async () => (await readHistory(db)).map((h) => h.version).sort((a, b) => Number(a) - Number(b));
const tableExists = async (name: string) => (await db.query<{ t: string | null }>(`select to_regclass($1)::text as t`, [name]))[0]?.t !== null;

async function refusal(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof RunnerError, `expected a refusal, got ${String(error)}`);
  assert.equal(error.kind, 'refused');
  assert.equal(error.exitCode, 2);
  return error.message;
}

test('each part of the bootstrap runs only where its objects are missing, and is idempotent', async () => {
  await db.exec('create schema auth; create table auth.users (id uuid primary key)');
  assert.deepEqual(await ensurePlatform(db), ['roles', 'extensions', 'storage', 'realtime'], 'auth.users is there: only the other parts run');
  assert.equal((await db.query(`select from pg_namespace where nspowner = 'supabase_admin'::regrole and nspname = 'auth'`)).length, 0, 'auth was left alone');
  await db.exec('drop schema auth cascade');
  assert.deepEqual(await ensurePlatform(db), ['roles', 'auth'], 'with auth, the grants on public');
  assert.equal(await hasPlatform(db), true);
  assert.deepEqual(await ensurePlatform(db), []);
  const roles = await db.query<{ rolname: string; rolbypassrls: boolean; rolcanlogin: boolean }>(
    `select rolname, rolbypassrls, rolcanlogin from pg_roles where rolname in ('anon', 'authenticated', 'service_role') order by 1`,
  );
  assert.deepEqual(roles, [
    { rolname: 'anon', rolbypassrls: false, rolcanlogin: false },
    { rolname: 'authenticated', rolbypassrls: false, rolcanlogin: false },
    { rolname: 'service_role', rolbypassrls: true, rolcanlogin: false },
  ]);
});

test('auth.uid(), auth.role() and auth.jwt() read the claims as Supabase does', async () => {
  const [claims] = await db.query<{ uid: string; role: string; email: string }>(`
    select set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-00000000000a","role":"authenticated","email":"a@x"}', false),
           auth.uid()::text as uid, auth.role() as role, auth.jwt() ->> 'email' as email`);
  assert.deepEqual([claims?.uid, claims?.role, claims?.email], ['00000000-0000-0000-0000-00000000000a', 'authenticated', 'a@x']);
  const [legacy] = await db.query<{ uid: string; role: string }>(`
    select set_config('request.jwt.claims', '', false), set_config('request.jwt.claim.sub', '00000000-0000-0000-0000-00000000000b', false),
           set_config('request.jwt.claim.role', 'anon', false), auth.uid()::text as uid, auth.role() as role`);
  assert.deepEqual([legacy?.uid, legacy?.role], ['00000000-0000-0000-0000-00000000000b', 'anon']);
  await db.exec(`reset request.jwt.claim.sub; reset request.jwt.claim.role; reset request.jwt.claims`);
});

test('migrations apply in file-name order, with the CLI history and our checksums', async () => {
  await fresh();
  const output = memoryOutput();
  await migrate(db, fixtureConfig(path.join(FIXTURES, 'project')), output);
  assert.deepEqual(
    output.lines,
    [
      expect('applied supabase/migrations/1_first.sql'),
      expect('applied supabase/migrations/2_second.sql'),
      expect('applied supabase/migrations/3_third.sql'),
    ].map((re, i) => (re.test(output.lines[i]!) ? output.lines[i] : `${output.lines[i]} !~ ${re}`)),
  );
  assert.deepEqual(output.warnings, [
    'skipping migration bad-name.sql: file name must match <version>_<name>.sql',
    'skipping migration notes.md: file name must match <version>_<name>.sql',
  ]);
  const history = await db.query<{ version: string; name: string; statements: string[]; sha256: string }>(
    `select m.version, m.name, m.statements, c.sha256 from supabase_migrations.schema_migrations m
       join supabase_migrations.runner_checksums c using (version) order by c.applied_at, m.version::int`,
  );
  assert.deepEqual(
    history.map((h) => [h.version, h.name, h.statements.length]),
    [
      ['1', 'first', 5],
      ['2', 'second', 2],
      ['3', 'third', 3],
    ],
  );
  assert.match(history[0]!.statements[0]!, /^create extension if not exists vector/);
  const again = memoryOutput();
  await migrate(db, fixtureConfig(path.join(FIXTURES, 'project')), again);
  assert.deepEqual(again.lines, ['migrations: up to date (3 applied)']);
});

function expect(prefix: string): RegExp {
  return new RegExp(`^${prefix.replace(/[.]/g, '\\.')} \\(\\d+ ms\\)$`);
}

test('a failing migration leaves the database at the previous version, the error at file:line:col', async () => {
  await fresh();
  const error = await migrate(db, fixtureConfig(path.join(FIXTURES, 'failing')), memoryOutput()).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof SqlFileError);
  assert.equal(error.file, 'supabase/migrations/2_broken.sql');
  assert.deepEqual([error.line, error.column], [5, 14]);
  assert.match(error.formatted, /^supabase\/migrations\/2_broken.sql:5:14: ERROR: invalid input syntax for type integer/);
  assert.match(error.formatted, /\n  5 \| values \(1\), \('not a number'\);\n    \| {14}\^\n  SQLSTATE: 22P02/);
  assert.deepEqual(await versions(), ['1']);
  assert.equal(await tableExists('public.kept'), true);
  assert.equal(await tableExists('public.half_done'), false, 'the failed file left nothing behind');
  assert.equal(db.db.isInTransaction(), false);
});

test('drift: a changed applied migration refuses everything, pending files included', async () => {
  await fresh();
  const dir = await copyFixture('project');
  const config = fixtureConfig(dir);
  await migrate(db, config, memoryOutput());
  await appendFile(path.join(dir, 'supabase/migrations/1_first.sql'), '\n-- an edit after the fact\n');
  await writeFile(path.join(dir, 'supabase/migrations/11_next.sql'), 'create table public.next (id int);\n');
  const message = await refusal(migrate(db, config, memoryOutput()));
  assert.match(message, /1_first.sql has changed since it was applied/);
  assert.equal(await tableExists('public.next'), false);
  await rm(dir, { recursive: true });
});

test('out of order: a pending file before an applied one in file-name order is refused unless --include-all', async () => {
  await fresh();
  const dir = await copyFixture('project');
  await migrate(db, fixtureConfig(dir), memoryOutput());
  // 21_late.sql sorts between 1_first.sql and 2_second.sql ('1' before '_'): before applied files
  await writeFile(path.join(dir, 'supabase/migrations/21_late.sql'), 'create table public.late (id int);\n');
  assert.match(await refusal(migrate(db, fixtureConfig(dir), memoryOutput())), /21_late.sql comes before an applied migration in file-name order/);
  assert.equal(await tableExists('public.late'), false);
  await migrate(db, fixtureConfig(dir, { 'include-all': true }), memoryOutput());
  assert.equal(await tableExists('public.late'), true);
  await rm(dir, { recursive: true });
});

test('missing: an applied migration whose file is gone is refused', async () => {
  await fresh();
  const dir = await copyFixture('project');
  await migrate(db, fixtureConfig(dir), memoryOutput());
  await rm(path.join(dir, 'supabase/migrations/3_third.sql'));
  assert.match(await refusal(migrate(db, fixtureConfig(dir), memoryOutput())), /3_third is applied to the database but its file is missing/);
  await rm(dir, { recursive: true });
});

test('duplicate versions are refused before anything is applied', async () => {
  await fresh();
  assert.match(await refusal(migrate(db, fixtureConfig(path.join(FIXTURES, 'duplicate')), memoryOutput())), /version 1 is shared/);
  assert.deepEqual(await versions(), []);
  assert.equal(await tableExists('public.a'), false);
});

test('transaction control inside a migration is refused with its location', async () => {
  await fresh();
  const dir = await copyFixture('failing');
  await writeFile(path.join(dir, 'supabase/migrations/2_broken.sql'), 'begin;\ncreate table public.x (id int);\ncommit;\n');
  assert.match(await refusal(migrate(db, fixtureConfig(dir), memoryOutput())), /2_broken.sql:1:1: "begin" in a migration/);
  assert.deepEqual(await versions(), ['1']);
  await rm(dir, { recursive: true });
});

test('an extension PGlite lacks, created where the check cannot see it, fails with the advice to use a server target', async () => {
  await fresh();
  const dir = await copyFixture('extension-missing');
  await writeFile(
    path.join(dir, 'supabase/migrations/20250102000000_pg_net.sql'),
    "do $$ begin execute 'create extension if not exists pg_net with schema extensions'; end $$;\n",
  );
  const error = await migrate(db, fixtureConfig(dir), memoryOutput()).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof SqlFileError, `expected the migration to fail, got ${String(error)}`);
  assert.match(error.formatted, /ERROR: extension "pg_net" is not available/);
  assert.match(error.formatted, /the embedded database \(PGlite\) does not have the extension pg_net: run against a server target that has it/);
  assert.deepEqual(await versions(), ['20250101000000'], 'the migrations before it are applied, not it');
  await rm(dir, { recursive: true });
});
