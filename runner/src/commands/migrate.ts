/** `db migrate`: apply pending migrations, after the checks that make applying them safe. */
import type { Config } from '../config.js';
import { ensurePlatform } from '../database/bootstrap.js';
import { migrate } from '../database/migrate.js';
import { openTarget } from '../database/target.js';
import type { Output } from '../output.js';

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
