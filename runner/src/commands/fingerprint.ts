/**
 * `db fingerprint`: the schema as the catalogue describes it, one sorted item a
 * line (tables, columns, constraints, indexes, policies, grants, functions,
 * triggers, extensions, applied migrations, rows per table), so two databases
 * built by different tools compare with `diff`: the project's schemas, not the
 * test helpers' the setup files create. Reads only.
 */
import type { Config } from '../config.js';
import { schemaItems } from '../database/fingerprint.js';
import { openExistingTarget } from '../database/target.js';
import type { Output } from '../output.js';
import { findSetupFiles, setupSchemas } from '../suite/files.js';

export async function fingerprintCommand(config: Config, output: Output): Promise<number> {
  const helpers = await setupSchemas(await findSetupFiles(config));
  const target = await openExistingTarget(config, output);
  try {
    for (const item of await schemaItems(target, helpers)) output.info(item);
    return 0;
  } finally {
    await target.close();
  }
}
