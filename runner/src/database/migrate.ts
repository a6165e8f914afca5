/** Applying migrations: read the files and the history, refuse on any problem, apply what is pending. */
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { SqlFileError, refused } from '../errors.js';
import type { Output } from '../output.js';
import { availableExtensions, extensionsCreated, missingExtensionProblems } from './extensions.js';
import { applyMigration, readHistory } from './history.js';
import { planMigrations, planProblems, readMigrations, type MigrationFile, type MigrationPlan } from './migration-files.js';
import { splitSql } from './sql-split.js';
import type { Target } from './target.js';

/** Reads files and history, refuses on any problem, applies what is pending. */
export async function migrate(target: Target, config: Config, output: Output): Promise<MigrationPlan> {
  const plan = await loadPlan(target, config, output);
  const problems = [
    ...planProblems(plan, { includeAll: config.includeAll }),
    ...extensionProblems(plan.pending, target, await availableExtensions(target)),
  ];
  if (problems.length > 0) {
    throw refused(['refusing to migrate:', ...problems.map((p) => `  - ${p}`), 'nothing was applied.'].join('\n'));
  }
  for (const migration of plan.pending) {
    const started = Date.now();
    try {
      await applyMigration(target, migration);
    } catch (error) {
      throw target.kind === 'embedded' ? explainMissingExtension(error) : error;
    }
    output.info(`applied ${migration.file} (${Date.now() - started} ms)`);
  }
  if (plan.pending.length === 0) output.info(`migrations: up to date (${plan.applied.length} applied)`);
  return plan;
}

export async function loadPlan(target: Target, config: Config, output: Output): Promise<MigrationPlan> {
  const { files, skipped } = await readMigrations(config.migrationsDir, shown(config, config.migrationsDir));
  for (const name of skipped) {
    output.warn(`skipping migration ${name}: file name must match <version>_<name>.sql`);
  }
  return planMigrations(files, await readHistory(target));
}

/** The `create extension` statements of these migrations that the target cannot run. */
function extensionProblems(migrations: MigrationFile[], target: Pick<Target, 'kind' | 'label'>, available: Set<string>): string[] {
  const uses = migrations.flatMap((m) => extensionsCreated(m.file, splitSql(m.content)));
  return missingExtensionProblems(uses, available, target);
}

/**
 * What stops every migration from applying on a fresh database, whatever its
 * history: versions shared by two files, extensions the target lacks. A reset
 * checks these before it destroys anything.
 */
export async function migrationFileProblems(
  config: Config,
  target: Pick<Target, 'kind' | 'label'>,
  available: Set<string>,
): Promise<string[]> {
  const { files } = await readMigrations(config.migrationsDir, shown(config, config.migrationsDir));
  const plan = planMigrations(files, []);
  return [...planProblems(plan, { includeAll: true }), ...extensionProblems(files, target, available)];
}

/**
 * An extension created where the check above cannot see it (dynamic SQL in a
 * `do` block) and PGlite lacks: PostgreSQL's hint is about installing it on the
 * server; say what to do here.
 */
function explainMissingExtension(error: unknown): unknown {
  if (!(error instanceof SqlFileError)) return error;
  const match = /extension "([^"]+)" is not available/.exec(error.formatted);
  if (match === null) return error;
  const advice = `  the embedded database (PGlite) does not have the extension ${match[1]}: run against a server target that has it (DATABASE_URL or --db-url, such as a Supabase stack)`;
  return new SqlFileError(error.file, error.line, error.column, `${error.formatted}\n${advice}`, error.cause);
}
