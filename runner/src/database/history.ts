/**
 * The migration history, in the very table the Supabase CLI writes
 * (supabase_migrations.schema_migrations), plus a table of our own holding each
 * file's content hash, so drift can be detected without altering the CLI's table.
 */
import { refused } from '../errors.js';
import type { AppliedMigration, MigrationFile } from './migration-files.js';
import { transactionControlProblem } from './migration-files.js';
import { runSqlFile } from './sql-file.js';
import { splitSql } from './sql-split.js';
import { inTransaction, type Target } from './target.js';

const CREATE_HISTORY = /* sql */ `
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text not null primary key,
  statements text[],
  name text
);
-- Ours, beside the CLI's table: the sha256 of each file as it was applied.
create table if not exists supabase_migrations.runner_checksums (
  version text primary key references supabase_migrations.schema_migrations (version) on delete cascade,
  sha256 text not null,
  applied_at timestamptz not null default now()
);
`;

/** What the database says is applied; empty when it has no history yet. Reads only. */
export async function readHistory(target: Target): Promise<AppliedMigration[]> {
  const [tables] = await target.query<{ history: boolean; checksums: boolean }>(`
    select to_regclass('supabase_migrations.schema_migrations') is not null as history,
           to_regclass('supabase_migrations.runner_checksums') is not null as checksums`);
  if (!tables?.history) return [];
  const rows = await target.query<{ version: string; name: string | null; sha256: string | null }>(
    tables.checksums
      ? `select m.version, m.name, c.sha256
           from supabase_migrations.schema_migrations m
           left join supabase_migrations.runner_checksums c using (version)`
      : `select version, name, null as sha256 from supabase_migrations.schema_migrations`,
  );
  return rows.map((r) => ({ version: r.version, name: r.name, sha256: r.sha256 }));
}

/**
 * Applies one migration and records it, in one transaction: on failure the
 * database stays at the previous version and a SqlFileError says where.
 */
export async function applyMigration(target: Target, migration: MigrationFile): Promise<void> {
  const statements = splitSql(migration.content);
  const control = transactionControlProblem(migration, statements);
  if (control !== null) throw refused(`refusing to migrate: ${control}`);
  await target.exec(CREATE_HISTORY);
  await inTransaction(target, async () => {
    await runSqlFile(target, migration.file, migration.content, statements);
    await target.query(`insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)`, [
      migration.version,
      migration.name,
      statements.map((s) => s.sql),
    ]);
    await target.query(`insert into supabase_migrations.runner_checksums (version, sha256) values ($1, $2)`, [migration.version, migration.sha256]);
  });
}
