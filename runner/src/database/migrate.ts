/** Applying migrations: read the files and the history, refuse on any problem, apply what is pending. */
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { refused } from '../errors.js';
import type { Output } from '../output.js';
import { applyMigration, readHistory } from './history.js';
import { planMigrations, planProblems, readMigrations, type MigrationPlan } from './migration-files.js';
import type { Target } from './target.js';

/** Reads files and history, refuses on any problem, applies what is pending. */
export async function migrate(target: Target, config: Config, output: Output): Promise<MigrationPlan> {
  const plan = await loadPlan(target, config, output);
  const problems = planProblems(plan, { includeAll: config.includeAll });
  if (problems.length > 0) {
    throw refused(['refusing to migrate:', ...problems.map((p) => `  - ${p}`), 'nothing was applied.'].join('\n'));
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
