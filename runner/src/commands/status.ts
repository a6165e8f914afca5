/**
 * `db status`: applied, pending, drifted and missing migrations. Reads only.
 * Exit 1 when anything would stop `db migrate` (drift, a missing file, a shared
 * version, an older pending file without --include-all) or when a `db reset`
 * of the embedded database did not finish (database/build-mark.ts), 0 otherwise.
 */
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { incompleteBuild } from '../database/build-mark.js';
import { loadPlan } from '../database/migrate.js';
import { planProblems } from '../database/migration-files.js';
import { openExistingTarget } from '../database/target.js';
import type { Output } from '../output.js';

export async function statusCommand(config: Config, output: Output): Promise<number> {
  const target = await openExistingTarget(config, output, { warnIncomplete: false });
  try {
    const plan = await loadPlan(target, config, output);
    output.info(`migrations on ${target.label}`);
    const outOfOrder = new Set(plan.outOfOrder);
    const rows: [string, string][] = [
      ...plan.applied.map(
        ({ migration, verified }) => [verified ? 'applied' : 'applied (unverified: no checksum, applied by another tool)', migration.file] as [string, string],
      ),
      ...plan.drifted.map(({ migration }) => ['DRIFTED (changed since applied)', migration.file] as [string, string]),
      ...plan.pending.map((m) => [outOfOrder.has(m) ? 'pending (OUT OF ORDER)' : 'pending', m.file] as [string, string]),
      ...plan.missing.map((m) => ['MISSING (applied, no file)', `${m.version}_${m.name ?? ''}`] as [string, string]),
    ];
    const width = Math.max(0, ...rows.map(([state]) => state.length));
    for (const [state, what] of rows) output.info(`  ${state.padEnd(width)}  ${what}`);
    output.info(`${plan.applied.length} applied, ${plan.pending.length} pending, ${plan.drifted.length} drifted, ${plan.missing.length} missing`);
    // what would stop db migrate: exit 1, so a script or CI can rely on the code
    const problems = planProblems(plan, { includeAll: config.includeAll });
    // a reset that did not finish: the migrations may all be applied, and the seed not run
    const incomplete = config.target.kind === 'embedded' ? incompleteBuild(config.target.dataDir, shown(config, config.target.dataDir)) : null;
    if (incomplete !== null) problems.unshift(incomplete);
    for (const problem of problems) output.warn(`problem: ${problem}`);
    return problems.length > 0 ? 1 : 0;
  } finally {
    await target.close();
  }
}
