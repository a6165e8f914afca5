/**
 * Migration files and how they compare with a database's history. Everything
 * here is pure except `readMigrations`, which only reads a directory.
 *
 * Order is the Supabase CLI's: file-name order (it lists the directory sorted
 * by name and applies the files in that order), not the versions' numeric
 * values. With versions of one length the two agree; with hand-named versions
 * of different lengths they do not: `20250101000000_a.sql` sorts before
 * `202501011200_b.sql`, whose number is smaller. "Out of order" and "newest
 * applied" are positions in the same file-name order.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { splitSql } from './sql-split.js';

/** The Supabase CLI's rule for a migration file name. */
export const MIGRATION_NAME = /^([0-9]+)_(.*)\.sql$/;

export interface MigrationFile {
  version: string;
  name: string;
  /** path as shown in messages, e.g. supabase/migrations/20240101000000_init.sql */
  file: string;
  content: string;
  sha256: string;
}

export interface AppliedMigration {
  version: string;
  name: string | null;
  /** null when the migration was applied by another tool (the Supabase CLI) */
  sha256: string | null;
}

export interface MigrationPlan {
  /** applied and unchanged (or applied by another tool, sha256 unknown) */
  applied: { migration: MigrationFile; verified: boolean }[];
  pending: MigrationFile[];
  /** pending, but before an applied migration in file-name order */
  outOfOrder: MigrationFile[];
  /** applied, but the file's content has changed since */
  drifted: { migration: MigrationFile; recorded: string }[];
  /** applied, but no file has its version */
  missing: AppliedMigration[];
  /** files sharing a version */
  duplicates: MigrationFile[][];
}

export interface Discovery {
  files: MigrationFile[];
  /** names that do not match MIGRATION_NAME, skipped as the Supabase CLI skips them */
  skipped: string[];
}

export function sha256(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** File names compared byte by byte (UTF-8), as Go's sort of a directory listing does. */
export function compareFileNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Reads `dir` (shown as `shownDir` in messages); a missing directory has no migrations. */
export async function readMigrations(dir: string, shownDir: string): Promise<Discovery> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { files: [], skipped: [] };
    throw error;
  }
  const files: MigrationFile[] = [];
  const skipped: string[] = [];
  for (const name of names.sort(compareFileNames)) {
    const match = MIGRATION_NAME.exec(name);
    if (!match) {
      skipped.push(name);
      continue;
    }
    const content = await readFile(path.join(dir, name), 'utf8');
    files.push({ version: match[1]!, name: match[2]!, file: path.join(shownDir, name), content, sha256: sha256(content) });
  }
  return { files, skipped };
}

/** The file name an applied migration had, from the history: `<version>_<name>.sql`. */
const recordedName = (applied: AppliedMigration): string => `${applied.version}_${applied.name ?? ''}.sql`;

/** `files` in file-name order, as `readMigrations` returns them. */
export function planMigrations(files: MigrationFile[], history: AppliedMigration[]): MigrationPlan {
  const byVersion = new Map<string, MigrationFile[]>();
  for (const file of files) byVersion.set(file.version, [...(byVersion.get(file.version) ?? []), file]);
  const recorded = new Map(history.map((h) => [h.version, h]));
  // the applied migration that sorts last: by its file's name, or by the name it was recorded with when its file is gone
  const appliedNames = history.map((h) => {
    const file = byVersion.get(h.version)?.[0];
    return file ? path.basename(file.file) : recordedName(h);
  });
  const lastApplied = appliedNames.sort(compareFileNames).at(-1);

  const plan: MigrationPlan = { applied: [], pending: [], outOfOrder: [], drifted: [], missing: [], duplicates: [] };
  for (const group of byVersion.values()) if (group.length > 1) plan.duplicates.push(group);
  for (const migration of files) {
    const entry = recorded.get(migration.version);
    if (!entry) {
      plan.pending.push(migration);
      if (lastApplied !== undefined && compareFileNames(path.basename(migration.file), lastApplied) < 0) {
        plan.outOfOrder.push(migration);
      }
    } else if (entry.sha256 !== null && entry.sha256 !== migration.sha256) {
      plan.drifted.push({ migration, recorded: entry.sha256 });
    } else {
      plan.applied.push({ migration, verified: entry.sha256 !== null });
    }
  }
  plan.missing = history.filter((h) => !byVersion.has(h.version)).sort((a, b) => compareFileNames(recordedName(a), recordedName(b)));
  return plan;
}

/** Why the plan must not be applied; empty when it may. Every problem, not the first. */
export function planProblems(plan: MigrationPlan, options: { includeAll: boolean }): string[] {
  const problems: string[] = [];
  for (const group of plan.duplicates) {
    problems.push(`version ${group[0]!.version} is shared by ${group.map((m) => m.file).join(' and ')}: rename one`);
  }
  for (const m of plan.missing) {
    problems.push(`migration ${m.version}${m.name ? `_${m.name}` : ''} is applied to the database but its file is missing: restore the file`);
  }
  for (const { migration } of plan.drifted) {
    problems.push(`${migration.file} has changed since it was applied: never edit an applied migration; restore it and add a new one`);
  }
  if (!options.includeAll) {
    for (const m of plan.outOfOrder) {
      problems.push(`${m.file} comes before an applied migration in file-name order: give it a newer version, or pass --include-all to apply it anyway`);
    }
  }
  return problems;
}

/** A migration's transaction control (`begin;`), which would break the one-transaction-per-file rule; null when it has none. */
export function transactionControlProblem(migration: MigrationFile, statements = splitSql(migration.content)): string | null {
  const control = statements.find((s) => isTransactionControl(s.sql));
  if (control === undefined) return null;
  return `${migration.file}:${control.line}:${control.column}: "${control.sql}" in a migration: each file already runs in one transaction; remove the transaction control`;
}

/** Transaction control inside a migration would break the one-transaction-per-file rule. */
export function isTransactionControl(statement: string): boolean {
  return /^(begin|commit|rollback|end|abort|start\s+transaction)\s*(work|transaction)?\s*$/i.test(statement.trim());
}
