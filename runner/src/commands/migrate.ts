/** `db migrate`: apply pending migrations, after the checks that make applying them safe. */
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { ensurePlatform } from '../lib/bootstrap.js';
import { refused } from '../lib/errors.js';
import { applyMigration, readHistory } from '../lib/history.js';
import { planMigrations, planProblems, readMigrations, transactionControlProblem, type MigrationPlan } from '../lib/migration-files.js';
import type { Output } from '../lib/output.js';
import { openTarget, type Target } from '../lib/target.js';

export async function migrateCommand(config: Config, output: Output): Promise<number> {
  const target = await openTarget(config, output, { memory: false });
  try {
    if (await ensurePlatform(target)) output.info(`bootstrap: created the Supabase platform objects on ${target.label}`);
    await migrate(target, config, output);
    return 0;
  } finally {
    await target.close();
  }
}

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
 * by two files, transaction control inside a file): a reset checks them before
 * it removes anything, since the rebuild would stop on them half-way.
 */
export async function checkMigrationFiles(config: Config): Promise<void> {
  const { files } = await readMigrations(config.migrationsDir, shown(config, config.migrationsDir));
  const problems = [
    ...planProblems(planMigrations(files, []), { includeAll: true }),
    ...files.flatMap((file) => transactionControlProblem(file) ?? []),
  ];
  if (problems.length > 0) {
    throw refused(['refusing to reset: the migrations cannot all be applied, nothing was touched:', ...problems.map((p) => `  - ${p}`)].join('\n'));
  }
}
