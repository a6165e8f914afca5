/** The seed: the files of [db.seed] sql_paths in supabase/config.toml, all in one transaction. */
import { readFile } from 'node:fs/promises';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import type { Output } from '../output.js';
import { runSqlFile } from './sql-file.js';
import { resolveSeedFiles } from './supabase-config.js';
import { inTransaction, type Target } from './target.js';

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
