/**
 * Green here means green on Supabase. Each gap between the embedded platform
 * and a Supabase database has a fixture project under fixtures/, run by the
 * `test` command on the embedded target and on a server target (a PGlite with
 * the same extensions, served over the wire protocol by pglite-socket and
 * reached with pg, as any server is):
 *
 * - migration-order: versions of different lengths, applied in file-name order;
 * - extensions: uuid_generate_v4(), gen_random_bytes(), crypt(), and citext and
 *   pg_trgm created by a migration; extension-missing: pg_net, refused;
 * - storage: buckets (one with today's columns) and policies on storage.objects, direct deletes refused;
 * - realtime: a table in the supabase_realtime publication, a policy on realtime.messages, realtime.send();
 * - setup-file: a setup file named 00_..., its helpers seen by every later file;
 * - pg-prove: what pg_prove does file by file (a new session for each, psql's meta-commands, files without
 *   begin/rollback, plan(0), bytes that are not UTF-8, a file that commits in the middle of the suite);
 * - pg-files: `.pg` test files beside `.sql` ones;
 * - notices: raise notice and diag() shown with a failure, with --verbose, in JUnit;
 * - index-statistics: an index assertion with and without statistics;
 * - user-factory: a suite on a user factory calling extensions.uuid_generate_v4().
 *
 * Then what has no fixture project of its own: every contrib extension
 * creatable, auth.users, storage and realtime as a Supabase catalogue lists them, and the
 * refusal of a server where the user cannot create the platform.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { XMLParser } from 'fast-xml-parser';
import { resetCommand } from '../src/commands/reset.js';
import { testCommand } from '../src/commands/test.js';
import type { Flags } from '../src/config.js';
import { ensurePlatform } from '../src/database/bootstrap.js';
import { SUPABASE_ONLY_EXTENSIONS, embeddedExtensionNames, embeddedExtensions } from '../src/database/extensions.js';
import { openResetTarget } from '../src/database/reset.js';
import { ServerTarget } from '../src/database/target.js';
import { RunnerError } from '../src/errors.js';
import { memoryOutput } from '../src/output.js';
import { buildDatabase } from '../src/suite/build.js';
import { FIXTURES, SCRATCH, fixtureConfig, serveInMemory } from './helpers.js';

const TARGETS = ['embedded', 'server'] as const;
type TargetName = (typeof TARGETS)[number];

let served: PGlite;
let closeServer: () => Promise<void>;
let url: string;

before(async () => {
  ({ db: served, url, close: closeServer } = await serveInMemory());
});
after(async () => {
  await closeServer();
});

let runs = 0;
/** The `test` command on a fixture project, on one target. */
async function run(project: string, target: TargetName, flags: Flags = {}) {
  const reportsDir = path.join(SCRATCH, `reports-${project}-${target}-${runs++}`);
  const output = memoryOutput();
  const config = fixtureConfig(path.join(FIXTURES, project), {
    'reports-dir': reportsDir,
    ...(target === 'server' ? { 'db-url': url } : {}),
    ...flags,
  });
  const code = await testCommand(config, output);
  return { code, output, text: output.lines.join('\n'), reportsDir };
}

/** Passed: exit 0, the closing line, and every file's line marked ✓. */
function passed(result: Awaited<ReturnType<typeof run>>, closing: string): void {
  assert.equal(result.code, 0, result.text);
  assert.equal(result.output.lines.at(-1), closing, result.text);
  assert.doesNotMatch(result.text, /^✗/m);
}

async function refusal(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof RunnerError && error.kind === 'refused', `expected a refusal, got ${String(error)}`);
  return error.message;
}

for (const target of TARGETS) {
  test(`migration versions of different lengths apply in file-name order, as the Supabase CLI applies them (${target})`, async () => {
    const result = await run('migration-order', target);
    passed(result, '3 passed, 0 failed');
    const applied = result.output.lines.filter((l) => l.startsWith('applied ')).map((l) => path.basename(l.split(' ')[1]!));
    assert.deepEqual(applied, ['20250101000000_create_notes.sql', '202501011200_add_notes_title.sql', '20250102000000_index_notes_title.sql']);
  });

  test(`uuid-ossp and pgcrypto are installed, citext and pg_trgm created by a migration (${target})`, async () => {
    passed(await run('extensions', target), '8 passed, 0 failed');
  });

  test(`a migration creates a Storage bucket and policies on storage.objects (${target})`, async () => {
    passed(await run('storage', target), '14 passed, 0 failed');
  });

  test(`a table in the supabase_realtime publication, Realtime Authorization policies on realtime.messages, realtime.send() (${target})`, async () => {
    passed(await run('realtime', target), '8 passed, 0 failed');
  });

  test(`a setup file named 00_... makes helpers every later file uses, as under pg_prove (${target})`, async () => {
    const result = await run('setup-file', target);
    passed(result, '5 passed, 0 failed');
    assert.match(result.text, /^✓ supabase\/tests\/00_setup_tests_hooks\.sql {2}1\/1 \(setup\)/m);
  });

  test(`each file as pg_prove runs it: a new session, psql's meta-commands, no begin/rollback, plan(0), Latin-1, a commit mid-suite (${target})`, async () => {
    const result = await run('pg-prove', target);
    assert.equal(result.code, 1, result.text);
    // every file's verdict and count, as pg_prove gives them on the same files (README: pg_prove's rules)
    const verdicts = result.output.lines.filter((l) => /^[✓✗-] /.test(l)).map((l) => l.split(/\s+/).slice(0, 3).join(' '));
    assert.deepEqual(verdicts, [
      '✓ supabase/tests/010_leaves_session.sql 1/1',
      '✓ supabase/tests/020_new_session.sql 4/4',
      '✓ supabase/tests/030_psql_header.sql 3/3',
      '✓ supabase/tests/040_no_transaction.sql 1/1',
      '- supabase/tests/050_plan_zero.sql 0/0',
      '✗ supabase/tests/060_latin1.sql 1/2',
      '✓ supabase/tests/070_forgets_rollback.sql 1/1',
      '✓ supabase/tests/080_sees_it.sql 1/1',
    ]);
    assert.match(result.text, /060_latin1\.sql:5:1: ERROR: invalid byte sequence for encoding "UTF8": 0xe9 0x20 0x61/);
    // the file that committed is named, with what it left, and what happened
    assert.match(
      result.text,
      /^✓ supabase\/tests\/070_forgets_rollback\.sql[^\n]*\n {4}! committed changes instead of rolling back; every later file ran with them, as under pg_prove:\n {6}public\.items: 0 → 1 rows$/m,
    );
    assert.equal(result.output.lines.at(-1), '12 passed, 1 failed');
  });

  test(`.pg files run beside .sql files, in path order, as pg_prove --ext .pg --ext .sql does (${target})`, async () => {
    const result = await run('pg-files', target);
    passed(result, '4 passed, 0 failed');
    const files = result.output.lines.filter((l) => l.startsWith('✓ ')).map((l) => l.split(/\s+/)[1]);
    assert.deepEqual(files, ['supabase/tests/010_first.sql', 'supabase/tests/020_second.pg', 'supabase/tests/sub/030_third.pg']);
  });

  test(`notices and diag() lines: shown with a failure, for every file with --verbose, and in JUnit (${target})`, async () => {
    const quiet = await run('notices', target);
    assert.equal(quiet.code, 1);
    assert.equal(quiet.output.lines.at(-1), '2 passed, 1 failed');
    // the failing file: its failure, then what it said, in order
    assert.match(
      quiet.text,
      /^✗ supabase\/tests\/020_fails_talking\.sql[^\n]*\n {4}✗ 2 - greet says goodbye[^\n]*\n {6}at supabase\/tests\/020_fails_talking\.sql:6\n {6}have: hello eve\n {6}want: goodbye eve\n {4}output \(notices and diag\):\n {6}NOTICE: {2}fixtures ready: 3 rows\n {6}checking the greeting of bob\n {6}NOTICE: {2}greeting bob\n {6}NOTICE: {2}greeting eve$/m,
    );
    // the passing file: nothing but its line
    assert.match(quiet.text, /^✓ supabase\/tests\/010_passes_talking\.sql[^\n]*\n✗/m);
    assert.doesNotMatch(quiet.text, /greeting ada|a passing file's diag line/);

    const verbose = await run('notices', target, { verbose: true });
    assert.match(
      verbose.text,
      /^✓ supabase\/tests\/010_passes_talking\.sql[^\n]*\n {4}output \(notices and diag\):\n {6}a passing file's diag line\n {6}NOTICE: {2}greeting ada$/m,
    );

    // JUnit: each file's system-out is its TAP with the notices where they came
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' }).parse(
      readFileSync(path.join(quiet.reportsDir, 'junit.xml'), 'utf8'),
    );
    const out = (file: string): string => junit.testsuites.testsuite.find((s: { name: string }) => s.name === file)['system-out'];
    assert.match(
      out('supabase/tests/020_fails_talking.sql'),
      /NOTICE: {2}fixtures ready: 3 rows\n# checking the greeting of bob\nNOTICE: {2}greeting bob\nok 1 - greet greets bob\nNOTICE: {2}greeting eve\nnot ok 2/,
    );
    assert.match(out('supabase/tests/010_passes_talking.sql'), /# a passing file's diag line\nNOTICE: {2}greeting ada\nok 1 - greet greets/);
    if (target === 'server') {
      // the TAP reporter: notices as comments of a failing file's subtest (the same code for both targets)
      const tap = await run('notices', target, { reporter: 'tap' });
      assert.match(tap.text, /^ {4}# NOTICE: {2}greeting eve\n {4}not ok 2 - greet says goodbye/m);
      assert.doesNotMatch(tap.text, /# NOTICE: {2}greeting ada/);
    }
  });

  test(`an index assertion gives the same answer with the tables analyzed and with no statistics (${target})`, async () => {
    const analyzed = await run('index-statistics', target);
    passed(analyzed, '4 passed, 0 failed');
    assert.match(analyzed.text, /statistics: analyzed \d+ tables/);
    const none = await run('index-statistics', target, { 'no-analyze': true });
    passed(none, '4 passed, 0 failed');
    assert.match(none.text, /statistics: the tables were not analyzed \(--no-analyze\)/);
  });

  test(`a suite built on a user factory calling extensions.uuid_generate_v4() passes (${target})`, async () => {
    passed(await run('user-factory', target), '10 passed, 0 failed');
  });
}

test("the planner's own choice between two indexes changes with the statistics: why an index assertion checks that the index can serve", async () => {
  const dir = path.join(FIXTURES, 'index-statistics');
  const setup = [path.join(dir, 'supabase/tests/000_helpers.sql')];
  const query = `select id from public.adoptions where user_id = md5('user 7')::uuid and status = 'in_progress'`;
  const answers: { chosen: string; usable: boolean }[] = [];
  for (const analyze of [true, false]) {
    const config = fixtureConfig(dir, { 'db-url': url, 'no-analyze': !analyze });
    const target = await openResetTarget(config, memoryOutput(), { memory: true, action: 'reset the database' });
    try {
      await buildDatabase(target, config, setup, memoryOutput());
      const [row] = await target.query<{ chosen: string; usable: boolean }>(
        `select tests.chosen_index($1) as chosen, tests.plan_uses_index($1, 'adoptions_user_id_status_idx') as usable`,
        [query],
      );
      answers.push(row!);
    } finally {
      await target.close();
    }
  }
  assert.deepEqual(answers, [
    { chosen: 'adoptions_user_id_created_at_idx', usable: true },
    { chosen: 'adoptions_user_id_status_idx', usable: true },
  ]);
});

test('a migration that needs an extension PGlite lacks is refused, naming it, before the embedded database is reset', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'runner-extension-missing-'));
  await writeFile(path.join(dataDir, 'precious'), 'x');
  try {
    const config = fixtureConfig(path.join(FIXTURES, 'extension-missing'), { 'data-dir': dataDir });
    const message = await refusal(resetCommand(config, memoryOutput()));
    assert.match(
      message,
      /supabase\/migrations\/20250102000000_pg_net\.sql:2:1 creates the extension pg_net, which the embedded database \(PGlite\) does not have \(Supabase does\): run against a server target that has it \(DATABASE_URL or --db-url/,
    );
    assert.match(message, /nothing was touched/);
    assert.ok(existsSync(path.join(dataDir, 'precious')), 'the data folder was not touched');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a migration that needs an extension a server lacks is refused before the server is reset', async () => {
  await served.exec('create table public.precious (id int)');
  try {
    const message = await refusal(run('extension-missing', 'server'));
    assert.match(
      message,
      /20250102000000_pg_net\.sql:2:1 creates the extension pg_net, which postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres does not have: install it on the server/,
    );
    assert.ok((await served.query(`select to_regclass('public.precious') as t`)).rows[0], 'nothing was reset');
    assert.notEqual((await served.query<{ t: string | null }>(`select to_regclass('public.precious')::text as t`)).rows[0]?.t, null);
  } finally {
    await served.exec('drop table public.precious');
  }
});

test('a server without the platform where the user cannot create it is refused, naming each missing privilege, before anything is reset', async () => {
  const db = await PGlite.create({ extensions: await embeddedExtensions() });
  const limited = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await limited.start();
  try {
    // the session every connection shares acts as a user who is no superuser and owns a table
    await db.exec(`create role limited login; grant create on schema public to limited; set role limited;
                   create table public.precious (id int)`);
    const dbUrl = `postgresql://limited@${limited.getServerConn()}/postgres?sslmode=disable`;
    // --confirm: the runner never reset this database, which holds a table the project did not make (guard.test.ts)
    const message = await refusal(testCommand(fixtureConfig(path.join(FIXTURES, 'pg-files'), { 'db-url': dbUrl, confirm: 'postgres' }), memoryOutput()));
    assert.match(
      message,
      /lacks the Supabase platform \(roles, extensions, auth, storage, realtime\) and "limited" cannot create it there; refusing to reset the database before testing: nothing was touched\. It needs:/,
    );
    assert.match(
      message,
      /\n {2}- CREATEROLE, to create the roles anon, authenticated, service_role, supabase_admin, supabase_storage_admin, supabase_realtime_admin\n/,
    );
    assert.match(message, /\n {2}- BYPASSRLS, to create service_role with BYPASSRLS\n/);
    assert.match(message, /\n {2}- SUPERUSER, to create the extension vector \(it is not a trusted extension\)\n/);
    assert.match(message, /\n {2}- CREATE on database postgres, to create the extension uuid-ossp\n/);
    assert.match(message, /\n {2}- ownership of database postgres, to set its search_path/);
    assert.equal((await db.query<{ t: string | null }>(`select to_regclass('public.precious')::text as t`)).rows[0]?.t, 'precious');
    assert.equal((await db.query(`select from pg_roles where rolname = 'anon'`)).rows.length, 0, 'no role was created');
  } finally {
    await limited.stop();
    await db.close();
  }
});

test('auth.users has the columns, types and defaults a Supabase database has', async () => {
  const expected = readFileSync(path.join(FIXTURES, 'supabase-catalogue/platform-tables.txt'), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
  // the served database, bootstrapped by the server runs above (and here, should it run alone)
  const target = await ServerTarget.connect(url);
  try {
    await ensurePlatform(target);
    await target.exec(`set search_path = "$user", public, extensions`);
    const actual: string[] = ['auth.users'];
    const rows = await target.rowsAsText(`
      select a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), case when a.attnotnull then 't' else 'f' end,
             coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid), '')
        from pg_catalog.pg_attribute a left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where a.attrelid = 'auth.users'::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum`);
    actual.push(...rows.map((r) => r.split('|').join(' | ')));
    assert.deepEqual(actual, expected);
  } finally {
    await target.close();
  }
});

test('storage and realtime have the tables, columns, constraints, indexes, triggers, functions, types, owners and publication a Supabase database has', async () => {
  const expected = readFileSync(path.join(FIXTURES, 'supabase-catalogue/platform-objects.txt'), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
  const query = readFileSync(path.join(FIXTURES, 'supabase-catalogue/platform-objects.sql'), 'utf8');
  const target = await ServerTarget.connect(url);
  try {
    await ensurePlatform(target);
    const actual = (await target.query<Record<string, string>>(query)).map((row) => Object.values(row)[0]!);
    const sorted = (lines: string[]) => [...lines].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(sorted(actual), sorted(expected));
    // what the catalogue cannot show: grants, and the triggers refusing a direct delete
    const grants = await target.rowsAsText(`
      select r.role, t.name, pg_catalog.has_table_privilege(r.role, t.name, 'select'), pg_catalog.has_table_privilege(r.role, t.name, 'delete')
        from unnest(array['anon', 'authenticated', 'service_role']) r(role),
             unnest(array['storage.buckets', 'storage.objects', 'storage.s3_multipart_uploads', 'realtime.messages']) t(name)
       order by 1, 2`);
    assert.deepEqual(
      grants,
      ['anon', 'authenticated', 'service_role'].flatMap((role) => [
        `${role}|realtime.messages|true|false`,
        `${role}|storage.buckets|true|true`,
        `${role}|storage.objects|true|true`,
        `${role}|storage.s3_multipart_uploads|true|${role === 'service_role'}`,
      ]),
    );
    await assert.rejects(target.exec(`delete from storage.objects`), /Direct deletion from storage tables is not allowed/);
    await target.exec(`begin; select pg_catalog.set_config('storage.allow_delete_query', 'true', true); delete from storage.objects; rollback`);
  } finally {
    await target.close();
  }
});

test("every contrib extension PGlite ships can be created in schema extensions; Supabase's own are not there", async () => {
  const names = await embeddedExtensionNames();
  for (const name of [
    'uuid-ossp',
    'pgcrypto',
    'citext',
    'pg_trgm',
    'ltree',
    'btree_gist',
    'btree_gin',
    'hstore',
    'unaccent',
    'fuzzystrmatch',
    'moddatetime',
    'tablefunc',
    'cube',
    'earthdistance',
    'pg_stat_statements',
    'vector',
    'pgtap',
  ]) {
    assert.ok(names.has(name), `${name} is available embedded`);
  }
  for (const name of SUPABASE_ONLY_EXTENSIONS) assert.ok(!names.has(name), `${name} is not available embedded`);
  // the served database has the embedded extensions; this runs last, so what it installs troubles no other test
  const target = await ServerTarget.connect(url);
  try {
    await target.exec('create schema if not exists extensions');
    for (const name of [...names].filter((n) => n !== 'plpgsql')) {
      await target.exec(`create extension if not exists "${name}" with schema extensions cascade`);
    }
    const installed = new Set((await target.query<{ extname: string }>(`select extname from pg_catalog.pg_extension`)).map((r) => r.extname));
    assert.deepEqual(
      [...names].filter((n) => !installed.has(n)),
      [],
    );
    // and they work: functions of a few, their code loaded when first called
    const [row] = await target.query<{ similarity: number; levenshtein: number; path: string }>(
      `select extensions.similarity('word', 'words') as similarity, extensions.levenshtein('kitten', 'sitting') as levenshtein,
              extensions.subpath('a.b.c'::extensions.ltree, 0, 2)::text as path`,
    );
    assert.deepEqual(row, { similarity: 0.5714286, levenshtein: 3, path: 'a.b' });
  } finally {
    await target.close();
  }
});
