/** `db seed`: run the seed files from supabase/config.toml, all in one transaction. */
import type { Config } from '../config.js';
import { seed } from '../database/seed.js';
import { openExistingTarget } from '../database/target.js';
import type { Output } from '../output.js';

export async function seedCommand(config: Config, output: Output): Promise<number> {
  const target = await openExistingTarget(config, output);
  try {
    await seed(target, config, output);
    return 0;
  } finally {
    await target.close();
  }
}
