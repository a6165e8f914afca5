/**
 * The RLS matrix file would catch a weakened rule: on a copy of this
 * repository's database, every policy of schema public dropped, and privileges
 * granted to anon and authenticated that no line of the matrix uses, one at a
 * time, each make supabase/tests/270_rls_matrix.sql fail by its assertions.
 *
 * Each mutant is a copy of the matrix file whose first statement, `begin;`,
 * also applies the mutation, so the file's own rollback undoes it. They run
 * the way `make test` runs files: test workers restored from one snapshot of
 * the migrated, seeded database with the setup files applied.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../src/config.js';
import { quoteIdent } from '../src/database/sql-quote.js';
import { EmbeddedTarget } from '../src/database/target.js';
import { memoryOutput } from '../src/output.js';
import { buildDatabase } from '../src/suite/build.js';
import { WorkerExecutor } from '../src/suite/executor.js';
import type { Job } from '../src/suite/jobs.js';
import { chooseFiles } from '../src/suite/files.js';
import { filePassed, type FileOutcome } from '../src/suite/tap.js';
import { FIXTURES } from './helpers.js';

const ROOT = path.resolve(FIXTURES, '../../..');
const MATRIX_FILE = path.join(ROOT, 'supabase/tests/270_rls_matrix.sql');
const API_ROLES = ['anon', 'authenticated'] as const;
const PRIVILEGES = ['select', 'insert', 'update', 'delete', 'truncate'] as const;

interface Mutant {
  /** what the mutation does, as the test reports it */
  name: string;
  sql: string;
  /** the table whose assertions must fail */
  table: string;
}

test('dropping any policy, or granting a privilege the matrix does not use, fails the RLS matrix file', { timeout: 600_000 }, async () => {
  const config = loadConfig({}, {}, ROOT);
  const { setupFiles } = await chooseFiles(config);

  // the database, once; the mutants come from its catalogue
  const target = await EmbeddedTarget.forSnapshot();
  let snapshot: Uint8Array;
  const mutants: Mutant[] = [];
  try {
    const built = await buildDatabase(target, config, setupFiles, memoryOutput());
    assert.ok(built.setup.every(filePassed), 'the setup files pass');
    const policies = await target.query<{ table: string; policy: string }>(
      `select tablename::text as table, policyname::text as policy from pg_catalog.pg_policies
        where schemaname = 'public' order by 1, 2`,
    );
    assert.ok(policies.length > 0);
    for (const { table, policy } of policies) {
      mutants.push({ name: `drop policy ${policy}`, sql: `drop policy ${quoteIdent(policy)} on public.${quoteIdent(table)}`, table });
    }
    // for each API role and privilege, the first table (by name) where the role lacks it
    const lacking = await target.query<{ role: string; privilege: string; table: string }>(
      `select distinct on (r.role, p.privilege) r.role, p.privilege, c.relname::text as table
         from unnest($1::text[]) r (role)
        cross join unnest($2::text[]) p (privilege)
        cross join pg_catalog.pg_class c
        where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
          and not has_table_privilege(r.role, c.oid, p.privilege)
          and not (p.privilege in ('select', 'insert', 'update') and has_any_column_privilege(r.role, c.oid, p.privilege))
        order by r.role, p.privilege, c.relname`,
      [API_ROLES, PRIVILEGES],
    );
    for (const { role, privilege, table } of lacking) {
      mutants.push({ name: `grant ${privilege} on ${table} to ${role}`, sql: `grant ${privilege} on public.${quoteIdent(table)} to ${role}`, table });
    }
    // a column-limited update widened by one column
    const [column] = await target.query<{ table: string; column: string }>(
      `select c.relname::text as table, a.attname::text as column
         from pg_catalog.pg_class c join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
          and not has_table_privilege('authenticated', c.oid, 'update') and has_any_column_privilege('authenticated', c.oid, 'update')
          and not has_column_privilege('authenticated', c.oid, a.attnum, 'update')
        order by c.relname, a.attnum limit 1`,
    );
    assert.ok(column !== undefined, 'a table whose update authenticated may do on some columns only');
    mutants.push({
      name: `grant update (${column.column}) on ${column.table} to authenticated`,
      sql: `grant update (${quoteIdent(column.column)}) on public.${quoteIdent(column.table)} to authenticated`,
      table: column.table,
    });
    snapshot = await target.snapshot();
  } finally {
    await target.close();
  }

  // each mutant a copy of the matrix file, mutated inside its own transaction
  const original = await readFile(MATRIX_FILE, 'utf8');
  assert.match(original, /^begin;$/m, 'the matrix file starts its transaction on a line of its own');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rls-mutants-'));
  const jobs: { job: Job; mutant: Mutant | null }[] = [{ job: { file: MATRIX_FILE, shown: '270_rls_matrix.sql' }, mutant: null }];
  for (const [i, mutant] of mutants.entries()) {
    const file = path.join(dir, `${String(i).padStart(3, '0')}.sql`);
    // on the same line, so every other statement keeps its line number
    await writeFile(file, original.replace(/^begin;$/m, `begin; ${mutant.sql};`));
    jobs.push({ job: { file, shown: `270_rls_matrix.sql, ${mutant.name}` }, mutant });
  }

  // two workers, as `make test --jobs 2`
  const snapshotFile = path.join(dir, 'snapshot.tar');
  await writeFile(snapshotFile, snapshot);
  const executors = [0, 1].map(() => new WorkerExecutor(Promise.resolve(snapshotFile), 120));
  const outcomes = new Map<Job, FileOutcome>();
  try {
    let next = 0;
    await Promise.all(
      executors.map(async (executor) => {
        await executor.whenReady();
        while (next < jobs.length) {
          const { job } = jobs[next++]!;
          outcomes.set(job, await executor.run(job));
        }
      }),
    );
  } finally {
    await Promise.all(executors.map((e) => e.close()));
  }

  const [baseline, ...rest] = jobs.map(({ job, mutant }) => ({ mutant, outcome: outcomes.get(job)! }));
  assert.ok(baseline !== undefined);
  assert.ok(filePassed(baseline.outcome), `the matrix file passes as it is: ${baseline.outcome.summary.failures.map((f) => f.name).join('; ')}`);
  const planned = baseline.outcome.summary.planned;

  const survivors: string[] = [];
  for (const { mutant, outcome } of rest) {
    const { summary } = outcome;
    // failed by its assertions, having run them all: not by an SQL error
    assert.equal(outcome.error, null, `${mutant!.name}: ${outcome.error}`);
    assert.equal(summary.count, planned, `${mutant!.name}: every assertion ran`);
    const aboutTable = summary.failures.filter((f) => new RegExp(`\\b${mutant!.table}\\b`).test(f.name));
    if (aboutTable.length === 0) survivors.push(`${mutant!.name} (failed: ${summary.failures.map((f) => f.name).join('; ') || 'nothing'})`);
  }
  assert.deepEqual(survivors, [], 'every mutant fails an assertion about its table');
  assert.ok(rest.length >= 50, `${rest.length} mutants`);
});
