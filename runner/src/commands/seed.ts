/** `db seed`: run the seed files from supabase/config.toml, all in one transaction. */
import { readFile } from 'node:fs/promises';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import type { Output } from '../lib/output.js';
import { runSqlFile } from '../lib/sql-file.js';
import { resolveSeedFiles } from '../lib/supabase-config.js';
import { inTransaction, openExistingTarget, type Target } from '../lib/target.js';

export async function seedCommand(config: Config, output: Output): Promise<number> {
  const target = await openExistingTarget(config, output);
  try {
    await seed(target, config, output);
    return 0;
  } finally {
    await target.close();
  }
}

export async function seed(target: Target, config: Config, output: Output): Promise<void> {
  const seedConfig = config.seed;
  if (!seedConfig.enabled) {
    output.info('seed: disabled in supabase/config.toml ([db.seed] enabled = false)');
    return;
  }
  const { files, unmatched } = await resolveSeedFiles(config.supabaseDir, seedConfig.sqlPaths);
  for (const pattern of unmatched) output.warn(`seed: no files match ${pattern} (supabase/config.toml [db.seed] sql_paths)`);
  if (files.length === 0) return;
  await inTransaction(target, async () => {
    for (const file of files) {
      await runSqlFile(target, shown(config, file), await readFile(file, 'utf8'));
    }
  });
  output.info(`seeded ${files.map((f) => shown(config, f)).join(', ')}`);
}
