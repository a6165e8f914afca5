/**
 * `db reset`: the database exactly as the repository defines it: platform
 * bootstrap (when missing), every migration, the seed. Embedded: a new database
 * folder. Server: what migrations and seed created is dropped, the platform stays.
 */
import type { Config } from '../config.js';
import { openResetTarget, rebuild } from '../database/reset.js';
import { summary } from '../database/summary.js';
import type { Output } from '../output.js';

export async function resetCommand(config: Config, output: Output): Promise<number> {
  const target = await openResetTarget(config, output, { memory: false, action: 'reset the database' });
  try {
    await rebuild(target, config, output);
    if (config.summary) await summary(target, output);
    return 0;
  } finally {
    await target.close();
  }
}
