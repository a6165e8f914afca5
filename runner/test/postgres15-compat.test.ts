/**
 * Production is Supabase on PostgreSQL 15 (and 17) with pgTAP 1.2.0; here
 * everything runs on PGlite, PostgreSQL 18 with pgTAP 1.3.5. This test proves,
 * statically, that the migrations, the seed and the pgTAP files use nothing
 * newer: PostgreSQL 15's grammar parses every statement (function bodies and
 * the queries handed to pgTAP included), and every function called (with its
 * number of arguments) and every type named exists in PostgreSQL 15, pgvector,
 * pgTAP 1.2.0 or our own SQL. The reference lists are committed beside
 * runner/test/fixtures/postgres15/generate.ts, which explains how to rebuild them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { BOOTSTRAP_SQL } from '../src/database/bootstrap.js';
import { readSupabaseConfig } from '../src/config.js';
import { resolveSeedFiles } from '../src/database/supabase-config.js';
import { FIXTURES } from './helpers.js';
import {
  checkNames,
  formatFinding,
  loadSqlParser,
  mergeReferences,
  readFunctionList,
  readNameList,
  scanSql,
  type Finding,
  type Reference,
} from './sql-compat.js';

const ROOT = path.resolve(FIXTURES, '..', '..', '..');
const SUPABASE = path.join(ROOT, 'supabase');
const LISTS = path.join(FIXTURES, 'postgres15');

function list(file: string): string {
  return readFileSync(path.join(LISTS, file), 'utf8');
}

const BUILT_IN: Reference[] = [
  { source: 'PostgreSQL 15', functions: readFunctionList(list('postgresql-15-functions.txt')), types: readNameList(list('postgresql-15-types.txt')) },
  { source: 'pgvector 0.8', functions: readFunctionList(list('pgvector-functions.txt')), types: readNameList(list('pgvector-types.txt')) },
  { source: 'pgTAP 1.2.0', functions: readFunctionList(list('pgtap-1.2.0-functions.txt')), types: new Set() },
];

/** Syntax errors, unreadable statements and unknown names in these files, as `file:line:col: why`. */
function check(files: string[], extraDefinitions: string[] = []): string[] {
  const scans = files.map((file) => scanSql(path.relative(ROOT, file), readFileSync(file, 'utf8')));
  const definitions = [...scans, ...extraDefinitions.map((sql, i) => scanSql(`definitions ${i}`, sql))];
  const ours = mergeReferences(
    'our SQL',
    definitions.map((s) => s.defines),
  );
  const problems: Finding[] = [
    ...scans.flatMap((s) => s.problems),
    ...checkNames(
      scans.flatMap((s) => s.uses),
      [...BUILT_IN, ours],
    ),
  ];
  return problems.map(formatFinding);
}

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => path.join(dir, f));
}

before(async () => {
  await loadSqlParser();
});

test('the migrations, the seed and the pgTAP files use only PostgreSQL 15, pgvector and pgTAP 1.2.0', async () => {
  const seed = await resolveSeedFiles(SUPABASE, readSupabaseConfig(SUPABASE, 'supabase/config.toml').config.seed.sqlPaths);
  const files = [...sqlFiles(path.join(SUPABASE, 'migrations')), ...seed.files, ...sqlFiles(path.join(SUPABASE, 'tests'))];
  assert.ok(files.length > 10, `only ${files.length} files found`);
  // The bootstrap stands in for Supabase's auth.uid(), auth.role(), auth.jwt(), auth.email() and auth.users.
  const problems = check(files, [BOOTSTRAP_SQL]);
  assert.deepEqual(problems, [], `not PostgreSQL 15 / pgTAP 1.2.0:\n${problems.join('\n')}`);
});

test('the check reports what PostgreSQL 15 and pgTAP 1.2.0 lack, where it is', () => {
  assert.deepEqual(check([path.join(LISTS, 'newer-than-15.sql')]), [
    'runner/test/fixtures/postgres15/newer-than-15.sql:6:23: PostgreSQL 15 cannot parse this: syntax error at or near ":"',
    'runner/test/fixtures/postgres15/newer-than-15.sql:23:64: PostgreSQL 15 cannot parse this: syntax error at or near "returning" (in the body of pg_temp.merged)',
    'runner/test/fixtures/postgres15/newer-than-15.sql:5:8: function any_value(): no such function in PostgreSQL 15, pgvector 0.8, pgTAP 1.2.0 or our SQL',
    'runner/test/fixtures/postgres15/newer-than-15.sql:14:20: function random_normal(): no such function in PostgreSQL 15, pgvector 0.8, pgTAP 1.2.0 or our SQL',
    'runner/test/fixtures/postgres15/newer-than-15.sql:27:8: function json_object() with 3 arguments: PostgreSQL 15 has it with 1 or 2',
    'runner/test/fixtures/postgres15/newer-than-15.sql:30:8: function index_is_partial(): no such function in PostgreSQL 15, pgvector 0.8, pgTAP 1.2.0 or our SQL',
    'runner/test/fixtures/postgres15/newer-than-15.sql:33:14: type pg_catalog.nosuchtype: no such type in PostgreSQL 15, pgvector 0.8, pgTAP 1.2.0 or our SQL',
  ]);
});

test('PL/pgSQL bodies are read statement by statement, expressions at their own positions', () => {
  const sql = [
    'create function f(a int, b text default null, variadic c int[] default null) returns void language plpgsql as $$',
    'declare',
    '  x extensions.vector(3) := l2_normalize(a);',
    'begin',
    '  if cosine_distance(x, x) > 0 then perform pg_sleep(1); end if;',
    '  select count(*) into x from t where y = any_value(1);',
    '  execute format($q$select %s$q$, a) into x using b;',
    '  x := random_normal();',
    '  return;',
    'end $$;',
  ].join('\n');
  const scan = scanSql('f.sql', sql);
  assert.deepEqual(scan.problems, []);
  assert.deepEqual(
    scan.uses.filter((u) => u.kind === 'function').map((u) => `${u.line}:${u.column} ${u.name}/${u.args}`),
    ['3:29 l2_normalize/1', '5:6 cosine_distance/2', '5:45 pg_sleep/1', '6:10 count/0', '6:43 any_value/1', '7:11 format/2', '8:8 random_normal/0'],
  );
  assert.deepEqual(
    scan.uses.filter((u) => u.kind === 'type').map((u) => u.name),
    ['pg_catalog.int4', 'text', 'pg_catalog.int4', 'void', 'extensions.vector'],
  );
  assert.deepEqual(scan.defines.functions.get('f'), [{ min: 1, max: null }]);
});

test("pgTAP's queries are checked, unless the assertion expects the name to be missing", () => {
  const scan = scanSql(
    't.sql',
    [
      "select lives_ok($$ select any_value(1) $$, 'reads');",
      "select throws_ok($$ select private.nothing(1) $$, '42883', 'function private.nothing(integer) does not exist', 'is missing');",
      "select throws_ok($$ select json_object('a': 1) $$, '42601', 'a syntax error');",
      "select results_eq('my_prepared_statement', $$ values (now()) $$, 'a prepared statement and a query');",
    ].join('\n'),
  );
  assert.deepEqual(scan.problems, []);
  assert.deepEqual(
    scan.uses.filter((u) => u.kind === 'function').map((u) => `${u.line}:${u.column} ${u.name}`),
    ['1:8 lives_ok', '1:27 any_value', '2:8 throws_ok', '3:8 throws_ok', '4:8 results_eq', '4:55 now'],
  );
});

test('PL/pgSQL loops and case statements are read: their queries, arrays, ranges and selectors', () => {
  const sql = [
    'do $$ declare r record; i int; begin',
    '  for r in select any_value(1) from t loop null; end loop;',
    '  for r in execute format($q$select 1$q$) using random_normal() loop null; end loop;',
    '  foreach i in array string_to_array($q$1$q$, $q$,$q$) loop null; end loop;',
    '  for i in reverse abs(3) .. cardinality(array[1]) loop null; end loop;',
    '  case upper(i::text) when $q$A$q$ then perform pg_sleep(0); else null; end case;',
    'end $$;',
  ].join('\n');
  const scan = scanSql('f.sql', sql);
  assert.deepEqual(scan.problems, []);
  assert.deepEqual(
    scan.uses.filter((u) => u.kind === 'function').map((u) => `${u.line}:${u.column} ${u.name}`),
    ['2:19 any_value', '3:20 format', '3:49 random_normal', '4:22 string_to_array', '5:20 abs', '5:30 cardinality', '6:8 upper', '6:49 pg_sleep'],
  );
});

test('a PL/pgSQL statement the check cannot read is reported, not skipped', () => {
  const scan = scanSql('f.sql', 'do $$ begin\n  assert any_value(1);\nend $$;');
  assert.deepEqual(scan.problems.map(formatFinding), ['f.sql:2:3: PL/pgSQL statement the check cannot read (a do block): assert any_value(1)']);
});

test('the reference lists hold what they should, and not what came later', () => {
  const [postgres, pgvector, pgtap] = BUILT_IN as [Reference, Reference, Reference];
  for (const name of ['gen_random_uuid', 'jsonb_path_exists', 'set_config', 'json_object']) assert.ok(postgres.functions.has(name), name);
  for (const name of ['any_value', 'random_normal', 'json_scalar', 'system_user']) assert.ok(!postgres.functions.has(name), name);
  for (const name of ['int4', 'timestamptz', 'bool', 'numeric', 'varchar', 'jsonb', 'uuid', 'serial']) assert.ok(postgres.types.has(name), name);
  for (const name of ['vector', 'halfvec', 'sparsevec', 'cosine_distance', 'l2_distance', 'inner_product', 'vector_norm']) {
    assert.ok(pgvector.functions.has(name), name);
  }
  for (const name of ['vector', 'halfvec', 'sparsevec']) assert.ok(pgvector.types.has(name), name);
  for (const name of ['plan', 'finish', 'throws_ok', 'results_eq', 'policies_are']) assert.ok(pgtap.functions.has(name), name);
  assert.ok(!pgtap.functions.has('index_is_partial'));
});
