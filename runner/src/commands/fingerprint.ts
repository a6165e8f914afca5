/**
 * `db fingerprint`: the schema as the catalogue describes it, one sorted item a
 * line (tables, columns, constraints, indexes, policies, grants, functions,
 * triggers, extensions, applied migrations, rows per table), so two databases
 * built by different tools compare with `diff`. Reads only.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { usage } from '../lib/errors.js';
import { schemaItems } from '../lib/fingerprint.js';
import type { Output } from '../lib/output.js';
import { openTarget } from '../lib/target.js';

export async function fingerprintCommand(config: Config, output: Output): Promise<number> {
  if (config.target.kind === 'embedded' && !existsSync(config.target.dataDir)) {
    throw usage(`no database at ${shown(config, config.target.dataDir)}: run "make db" first`);
  }
  const target = await openTarget(config.target, { memory: false });
  try {
    for (const item of await schemaItems(target)) output.info(item);
    return 0;
  } finally {
    await target.close();
  }
}
