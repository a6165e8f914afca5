/** Applying migrations: read the files and the history, refuse on any problem, apply what is pending. */
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { SqlFileError, refused } from '../errors.js';
import type { Output } from '../output.js';
import { availableExtensions, embeddedExtensionNames, extensionsCreated, missingExtensionProblems } from './extensions.js';
import { applyMigration, readHistory } from './history.js';
import { planMigrations, planProblems, readMigrations, transactionControlProblem, type MigrationFile, type MigrationPlan } from './migration-files.js';
import { splitSql } from './sql-split.js';
import type { Target } from './target.js';

/** Reads files and history, refuses on any problem, applies what is pending. */
export async function migrate(target: Target, config: Config, output: Output): Promise<MigrationPlan> {
  const plan = await loadPlan(target, config, output);
  const problems = [...planProblems(plan, { includeAll: config.includeAll }), ...extensionProblems(plan.pending, target, await availableExtensions(target))];
  if (problems.length > 0) {
    throw refused(['refusing to migrate, nothing was applied:', ...problems.map((p) => `  - ${p}`)].join('\n'));
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
 * The migration files' own problems, whatever a database holds (versions shared
 * by two files, transaction control inside a file, and on the embedded target,
 * whose extensions are known before it opens, an extension it lacks): a reset
 * and a test run check them before they remove or build anything, since the
 * build would stop on them half-way.
 */
export async function checkMigrationFiles(config: Config, action: string): Promise<void> {
  const { files } = await readMigrations(config.migrationsDir, shown(config, config.migrationsDir));
  const problems = [
    ...planProblems(planMigrations(files, []), { includeAll: true }),
    ...files.flatMap((file) => transactionControlProblem(file) ?? []),
    ...(config.target.kind === 'embedded'
      ? extensionProblems(files, { kind: 'embedded', label: 'the embedded database' }, await embeddedExtensionNames())
      : []),
  ];
  refuseUnlessEmpty(problems, action);
}

/** A server's extensions are known once connected: a reset checks them before it drops anything. */
export async function checkServerExtensions(target: Target, config: Config, action: string): Promise<void> {
  const { files } = await readMigrations(config.migrationsDir, shown(config, config.migrationsDir));
  refuseUnlessEmpty(extensionProblems(files, target, await availableExtensions(target)), action);
}

function refuseUnlessEmpty(problems: string[], action: string): void {
  if (problems.length > 0) {
    throw refused([`refusing to ${action}: the migrations cannot all be applied, nothing was touched:`, ...problems.map((p) => `  - ${p}`)].join('\n'));
  }
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
