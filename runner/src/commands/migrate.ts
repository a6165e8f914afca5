/** `db migrate`: apply pending migrations, after the checks that make applying them safe. */
import type { Config } from '../config.js';
import { PART_DESCRIPTION, ensurePlatform } from '../database/bootstrap.js';
import { assertCanBootstrap } from '../database/bootstrap-check.js';
import { migrate } from '../database/migrate.js';
import { openTarget } from '../database/target.js';
import type { Output } from '../output.js';

export async function migrateCommand(config: Config, output: Output): Promise<number> {
  const target = await openTarget(config, output, { memory: false });
  try {
    await assertCanBootstrap(target, 'nothing was applied');
    const created = await ensurePlatform(target);
    if (created.length > 0) output.info(`bootstrap: created ${created.map((part) => PART_DESCRIPTION[part]).join('; ')} on ${target.label}`);
    await migrate(target, config, output);
    return 0;
  } finally {
    await target.close();
  }
}
