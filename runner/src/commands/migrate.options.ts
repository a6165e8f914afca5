/** `db migrate`'s command line; the command is migrate.ts. */
import { MIGRATIONS, TARGET, type RunnerCommand } from './options.js';

export const migrate: RunnerCommand = {
  name: 'db migrate',
  summary: 'apply pending migrations',
  options: { ...TARGET, ...MIGRATIONS },
  args: { kind: 'none' },
  run: async (config, output) => (await import('./migrate.js')).migrateCommand(config, output),
};
