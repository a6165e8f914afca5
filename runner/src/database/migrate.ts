/** Applying migrations: read the files and the history, refuse on any problem, apply what is pending. */
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { refused } from '../errors.js';
import type { Output } from '../output.js';
import { applyMigration, readHistory } from './history.js';
import { planMigrations, planProblems, readMigrations, transactionControlProblem, type MigrationPlan } from './migration-files.js';
import type { Target } from './target.js';

/** Reads files and history, refuses on any problem, applies what is pending. */
export async function migrate(target: Target, config: Config, output: Output): Promise<MigrationPlan> {
  const plan = await loadPlan(target, config, output);
  const problems = planProblems(plan, { includeAll: config.includeAll });
  if (problems.length > 0) {
    throw refused(['refusing to migrate, nothing was applied:', ...problems.map((p) => `  - ${p}`)].join('\n'));
  }
  for (const migration of plan.pending) {
    const started = Date.now();
    await applyMigration(target, migration);
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

/**
 * The migration files' own problems, whatever a database holds (versions shared
 * by two files, transaction control inside a file): a reset and a test run
 * check them before they remove or build anything, since the build would stop
 * on them half-way.
 */
export async function checkMigrationFiles(config: Config, action: string): Promise<void> {
  const { files } = await readMigrations(config.migrationsDir, shown(config, config.migrationsDir));
  const problems = [
    ...planProblems(planMigrations(files, []), { includeAll: true }),
    ...files.flatMap((file) => transactionControlProblem(file) ?? []),
  ];
  if (problems.length > 0) {
    throw refused([`refusing to ${action}: the migrations cannot all be applied, nothing was touched:`, ...problems.map((p) => `  - ${p}`)].join('\n'));
  }
}
