/**
 * `new-migration NAME`: creates supabase/migrations/<UTC yyyymmddhhmmss>_NAME.sql,
 * empty, as `supabase migration new NAME` does, after checking the name.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { migrationFileName, newMigrationProblems, utcVersion } from '../database/migration-name.js';
import { usage } from '../errors.js';
import type { Output } from '../output.js';

export async function newMigrationCommand(config: Config, output: Output, name: string | undefined, now: Date = new Date()): Promise<number> {
  if (name === undefined || name === '') throw usage('new-migration needs a name: new-migration add_something');
  const existing = existsSync(config.migrationsDir) ? await readdir(config.migrationsDir) : [];
  const problems = newMigrationProblems(name, utcVersion(now), existing);
  if (problems.length > 0) throw usage(['cannot create the migration:', ...problems.map((p) => `  - ${p}`)].join('\n'));
  await mkdir(config.migrationsDir, { recursive: true });
  const file = path.join(config.migrationsDir, migrationFileName(name, now));
  await writeFile(file, '', { flag: 'wx' });
  output.info(`created ${shown(config, file)}`);
  return 0;
}
