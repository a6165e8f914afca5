/**
 * `mutate` end to end on a fixture project whose suite never tests one policy
 * (runner/test/fixtures/mutate): that policy's mutants survive and fail the
 * run, on the embedded target and on a server; the equivalents file takes them
 * out of the score, and is itself checked. Then the pure parts: the mutants'
 * SQL from definitions, the equivalents file, the transaction translation and
 * the order of files.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { PGlite } from '@electric-sql/pglite';
import { mutateCommand } from '../src/commands/mutate.js';
import { schemasCreatedBy } from '../src/database/project-schemas.js';
import type { Flags } from '../src/config.js';
import { EmbeddedTarget, type Row, type Target } from '../src/database/target.js';
import { RunnerError } from '../src/errors.js';
import { EquivalentsError, parseEquivalents } from '../src/mutate/equivalents.js';
import { addedValueMutations, boundMutations, withBody, withOnDelete, type Mutant } from '../src/mutate/mutants.js';
import { KillerMemory, type SuiteFile } from '../src/mutate/order.js';
import { insideTransaction, runMutant } from '../src/suite/mutant-run.js';
import { memoryOutput } from '../src/output.js';
import { FIXTURES, SCRATCH, fixtureConfig, serveInMemory } from './helpers.js';

const PROJECT = path.join(FIXTURES, 'mutate');
const SURVIVORS = ['drop-policy public.notes.notes_insert_own', 'with-check-true public.notes.notes_insert_own'];

const survivorsOf = (lines: string[]) => lines.flatMap((l) => /^✗ survived {2}(.+)$/.exec(l)?.[1] ?? []).sort();

async function mutate(flags: Flags = {}) {
  const output = memoryOutput();
  const code = await mutateCommand(fixtureConfig(PROJECT, { jobs: 1, ...flags }), output);
  return { code, output, text: output.lines.join('\n') };
}

test('an untested policy: its mutants survive, are shown with their SQL, and fail the run (exit 1)', async () => {
  const { code, output, text } = await mutate({ jobs: 2 });
  assert.equal(code, 1);
  assert.match(text, /^mutate: 16 mutants to run \(4 inert, not run\) on 2 workers, after a control run of the suite \(1 file\)$/m);
  assert.deepEqual(survivorsOf(output.lines), SURVIVORS);
  assert.match(text, /^ {4}sql {6}drop policy notes_insert_own on public\.notes$/m);
  assert.match(text, /^ {4}weakens {2}policy notes_insert_own on public\.notes: insert to authenticated with check/m);
  // the tested policy's mutants and the rest are killed; the widened role lists reach no one who holds a privilege
  assert.match(text, /^drop-policy +1\/2 +1 /m);
  assert.match(text, /^using-true +1\/1 /m);
  assert.match(text, /^roles-add-anon +0\/0 +0 +0 +2 /m);
  assert.equal(output.lines.at(-1), 'mutation score: 14 of 16 killed');
  // the setup file's schema (test helpers) is never mutated
  assert.doesNotMatch(text, /tests\.act_as/);

  const junit = await readFile(path.join(SCRATCH, 'reports', 'mutate-junit.xml'), 'utf8');
  assert.match(junit, /<testsuites name="mutation" tests="20" failures="2" errors="0" skipped="4"/);
  assert.match(
    junit,
    /<testcase name="drop-policy public\.notes\.notes_insert_own" classname="drop-policy" time="[\d.]+">\s*<failure message="survived: every file passed" type="survivor">/,
  );
  assert.match(
    junit,
    /<testcase name="drop-policy public\.notes\.notes_select_own"[^>]*>\s*<system-out>killed by supabase\/tests\/010_notes\.sql: not ok \d+ - /,
  );
});

test('listed as equivalent, a survivor leaves the score and the run passes; a wrong or stale entry fails it', async () => {
  const file = path.join(SCRATCH, 'equivalents.txt');
  await writeFile(file, SURVIVORS.map((id) => `${id}\n    no test inserts a note: this fixture says so on purpose.\n`).join('\n'));
  const listed = await mutate({ equivalents: file });
  assert.equal(listed.code, 0, listed.text);
  assert.equal(listed.output.lines.at(-1), 'mutation score: 14 of 14 killed');
  assert.match(listed.text, /2 equivalent \(.*equivalents\.txt\), 4 inert \(not run\)/);

  await writeFile(file, [...SURVIVORS, 'disable-rls public.notes', 'drop-check public.notes.gone_check'].map((id) => `${id}\n    a reason\n`).join('\n'));
  const wrong = await mutate({ equivalents: file });
  assert.equal(wrong.code, 1);
  assert.match(wrong.text, /^✗ listed as equivalent, but killed {2}disable-rls public\.notes$/m);
  assert.match(wrong.text, /lists mutants? that no longer exist[^\n]*\n {4}drop-check public\.notes\.gone_check$/m);
});

test('a malformed equivalents file and a --grep that matches nothing are usage errors (exit 2)', async () => {
  const file = path.join(SCRATCH, 'malformed.txt');
  await writeFile(file, 'drop-policy public.notes.notes_insert_own\n\nnot-an-operator x\n');
  const malformed = await mutate({ equivalents: file }).catch((e: unknown) => e);
  assert.ok(malformed instanceof RunnerError && malformed.kind === 'usage');
  assert.match(malformed.message, /malformed\.txt:1: drop-policy public\.notes\.notes_insert_own has no reason/);
  assert.match(malformed.message, /malformed\.txt:3: "not-an-operator x" is not a mutant id/);

  const nothing = await mutate({ grep: /no-such-operator/ }).catch((e: unknown) => e);
  assert.ok(nothing instanceof RunnerError && nothing.kind === 'usage' && /no mutant matches --grep/.test(nothing.message));
});

test('--grep selects mutants by id; --list prints them and their SQL without running any', async () => {
  const some = await mutate({ grep: /notes_insert_own$/ });
  assert.equal(some.code, 1);
  assert.deepEqual(survivorsOf(some.output.lines), SURVIVORS);
  assert.equal(some.output.lines.at(-1), 'mutation score: 0 of 2 killed');

  const listed = await mutate({ list: true, grep: /^grant-back/ });
  assert.equal(listed.code, 0);
  assert.ok(listed.output.lines.includes('grant-back public.notes:truncate:authenticated'));
  assert.ok(listed.output.lines.includes('    grant truncate on public.notes to authenticated'));
  assert.equal(listed.output.lines.at(-1), '8 mutants, 0 of them inert');
});

let served: PGlite;
let closeServer: () => Promise<void>;
let url: string;
before(async () => {
  ({ db: served, url, close: closeServer } = await serveInMemory());
});
after(async () => {
  await closeServer();
});

test('on a server: the same survivors, one mutant at a time, and nothing committed', async () => {
  const { code, output, text } = await mutate({ 'db-url': url });
  assert.equal(code, 1, text);
  assert.deepEqual(survivorsOf(output.lines), SURVIVORS);
  assert.match(text, /on 1 connection/);
  assert.equal(output.lines.at(-1), 'mutation score: 14 of 16 killed');
  // every mutant was rolled back: both policies and row level security are still there
  const { rows } = await served.query<{ policies: number; rls: boolean }>(
    `select (select count(*)::int from pg_policy where polrelid = 'public.notes'::regclass) as policies,
            (select relrowsecurity from pg_class where oid = 'public.notes'::regclass) as rls`,
  );
  assert.deepEqual(rows[0], { policies: 2, rls: true });
});

// ------------------------------------------------------------------ pure parts

test("a check's bounds move by one; an allowed list gains a value", () => {
  assert.deepEqual(
    boundMutations('CHECK (((score >= (0)::numeric) AND (score <= (1)::numeric)))').map((m) => m.definition),
    ['CHECK (((score > (0)::numeric) AND (score <= (1)::numeric)))', 'CHECK (((score >= (0)::numeric) AND (score < (1)::numeric)))'],
  );
  assert.deepEqual(boundMutations('CHECK ((ends_at > starts_at))')[0]?.from, 'ends_at > starts_at');
  // operators inside string literals, <> and @> are left alone
  assert.deepEqual(boundMutations("CHECK (((note <> '>= 1'::text) AND (tags @> ARRAY['a'::text])))"), []);
  assert.deepEqual(addedValueMutations("CHECK ((status = ANY (ARRAY['new'::text, 'it''s'::text])))"), [
    { definition: "CHECK ((status = ANY (ARRAY['new'::text, 'it''s'::text, 'mutant'::text])))", value: "'mutant'::text" },
  ]);
  assert.equal(addedValueMutations('CHECK ((level = ANY (ARRAY[1, 2, 3])))')[0]?.definition, 'CHECK ((level = ANY (ARRAY[1, 2, 3, 4])))');
  assert.deepEqual(addedValueMutations("CHECK ((slug ~ '^[a-z]+$'::text))"), []);
});

test("a foreign key's on delete is swapped in its definition; a function keeps its header with a new body", () => {
  assert.equal(
    withOnDelete('FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE', 'restrict'),
    'FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE RESTRICT',
  );
  assert.equal(
    withOnDelete('FOREIGN KEY (a, b) REFERENCES public.t(x, y) MATCH FULL ON UPDATE CASCADE DEFERRABLE', 'cascade'),
    'FOREIGN KEY (a, b) REFERENCES public.t(x, y) MATCH FULL ON UPDATE CASCADE ON DELETE CASCADE DEFERRABLE',
  );
  const definition =
    "CREATE OR REPLACE FUNCTION private.is_admin()\n RETURNS boolean\n LANGUAGE sql\n STABLE SECURITY DEFINER\n SET search_path TO ''\nAS $function$\n  select false;\n$function$\n";
  assert.equal(
    withBody(definition, 'select true'),
    "CREATE OR REPLACE FUNCTION private.is_admin()\n RETURNS boolean\n LANGUAGE sql\n STABLE SECURITY DEFINER\n SET search_path TO ''\nAS $mutant$ select true $mutant$",
  );
  assert.equal(withBody('CREATE FUNCTION f()\n RETURNS int\n LANGUAGE sql\nBEGIN ATOMIC\n SELECT 1;\nEND\n', 'select 2'), null);
});

test('the equivalents file: ids with indented reasons; every problem reported at once', () => {
  const parsed = parseEquivalents('# comment\n\ndrop-index public.a_idx\n    first line\n    second line\n', 'eq.txt');
  assert.deepEqual([...parsed], [['drop-index public.a_idx', 'first line second line']]);
  try {
    parseEquivalents('  orphan reason\ndrop-index public.a_idx\n    why\ndrop-index public.a_idx\n    again\nbogus\n', 'eq.txt');
    assert.fail('expected an error');
  } catch (error) {
    assert.ok(error instanceof EquivalentsError);
    assert.deepEqual(error.problems, [
      'eq.txt:1: a reason with no mutant id above it',
      'eq.txt:4: drop-index public.a_idx is listed twice',
      `eq.txt:6: "bogus" is not a mutant id (<operator> <object>, operator one of ${(error.problems[2] ?? '').replace(/^.*operator one of /, '').replace(/\)$/, '')})`,
    ]);
  }
});

test("setup files' schemas are found; a file's transaction becomes savepoints inside the mutant's", async () => {
  assert.deepEqual(schemasCreatedBy(['create schema if not exists tests;\ncreate schema "Odd ""One""";', 'select 1; CREATE SCHEMA Helpers']), [
    'Odd "One"',
    'helpers',
    'tests',
  ]);
  const sent: string[] = [];
  const fake: Target = {
    kind: 'embedded',
    label: 'fake',
    query: async <T extends Row = Row>(sql: string) => {
      sent.push(sql);
      return [] as T[];
    },
    exec: async (sql: string) => void sent.push(sql),
    rowsAsText: async (sql: string) => {
      sent.push(sql);
      return [];
    },
    onNotice: () => () => {},
    close: async () => {},
  };
  const inside = insideTransaction(fake);
  for (const sql of [
    'begin',
    'BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE',
    'start transaction',
    '-- done\ncommit',
    'end',
    'rollback',
    'abort work',
    'rollback to savepoint x',
    'select plan(1)',
  ]) {
    await inside.rowsAsText(sql);
  }
  await inside.exec('rollback');
  assert.deepEqual(sent, [
    'savepoint pg_tap_runner_file',
    'savepoint pg_tap_runner_file',
    'savepoint pg_tap_runner_file',
    'release savepoint pg_tap_runner_file',
    'release savepoint pg_tap_runner_file',
    'rollback to savepoint pg_tap_runner_file',
    'rollback to savepoint pg_tap_runner_file',
    'rollback to savepoint x',
    'select plan(1)',
    'rollback to savepoint pg_tap_runner_file',
  ]);
});

test('every mutant runs on the database the control run had: the rows its files wrote and rolled back are vacuumed', async () => {
  // A rollback leaves the rows a file wrote as dead rows, with their index
  // entries, until a vacuum, and PGlite never vacuums on its own. Through an
  // HNSW index those entries changed what later searches found (run.ts).
  const target = await EmbeddedTarget.forSnapshot();
  // where the next row goes: the first free slot of the table's first page,
  // taken by a dead row until a vacuum frees it
  const nextSlot = async () => {
    await target.exec('begin');
    const rows = await target.query<{ ctid: string }>(`insert into public.items values (100, null) returning ctid::text`);
    await target.exec('rollback');
    return rows[0]?.ctid;
  };
  try {
    await target.exec(`
      create extension vector;
      create extension pgtap;
      create table public.items (id integer primary key, embedding vector(3));
      create index on public.items using hnsw (embedding vector_cosine_ops);
      insert into public.items values (1, '[0,1,0]'), (2, '[0,0,1]');`);
    const file = path.join(SCRATCH, 'nearest.sql');
    const sql = `begin;
select plan(1);
insert into public.items select n, '[1,0,0]' from generate_series(3, 12) n;
set local enable_seqscan = off;
select is((select count(*)::int from (select id from public.items order by embedding <=> '[1,0,0]' limit 20) s), 12, 'every row is found');
select * from finish();
rollback;
`;
    await writeFile(file, sql);
    // run as a file runs anywhere else: the rows it inserted stay behind, dead
    for (const statement of sql.split(';\n').filter((s) => s.trim() !== '')) await target.exec(statement);
    assert.equal(await nextSlot(), '(0,13)');
    const result = await runMutant(target, { id: 'control', sql: null, files: [{ file, shown: 'nearest.sql' }] }, { stopAtFirstFailure: true });
    assert.equal(result.status, 'survived', result.killedBy?.reason);
    assert.equal(await nextSlot(), '(0,3)');
  } finally {
    await target.close();
  }
});

test("the order: last run's killer first, then what this run learnt, then the files that name the table", () => {
  const file = (shown: string, text: string, ms: number): SuiteFile => ({ job: { file: shown, shown }, text, ms });
  const files = [file('a.sql', 'nothing here', 10), file('b.sql', 'public.notes and notes again', 50), file('c.sql', 'other', 40)];
  const mutant = (operator: Mutant['operator'], table: string): Mutant => ({
    id: `${operator} public.${table}.x`,
    operator,
    object: `public.${table}.x`,
    weakens: '',
    sql: '',
    table: `public.${table}`,
    names: ['x', table],
    inert: null,
  });
  const memory = new KillerMemory(new Map([['drop-policy public.notes.x', 'c.sql']]));
  assert.deepEqual(
    memory.order(mutant('drop-policy', 'notes'), files).map((j) => j.shown),
    ['c.sql', 'b.sql', 'a.sql'],
  );
  assert.deepEqual(
    memory.order(mutant('using-true', 'notes'), files).map((j) => j.shown),
    ['b.sql', 'a.sql', 'c.sql'],
  );
  memory.learn(mutant('drop-not-null', 'notes'), 'c.sql');
  memory.learn(mutant('drop-not-null', 'other'), 'c.sql');
  assert.equal(memory.order(mutant('drop-not-null', 'third'), files)[0]?.shown, 'c.sql');
});
