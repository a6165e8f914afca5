/** `new-migration`'s command line; the command is new-migration.ts. */
import { TARGET, type RunnerCommand } from './options.js';

export const newMigration: RunnerCommand = {
  name: 'new-migration',
  usage: 'NAME [options]',
  summary: 'create supabase/migrations/<UTC timestamp>_NAME.sql',
  options: { 'supabase-dir': TARGET['supabase-dir'] },
  args: { kind: 'one', name: 'NAME' },
  run: async (config, output, args) => (await import('./new-migration.js')).newMigrationCommand(config, output, args[0]),
};
