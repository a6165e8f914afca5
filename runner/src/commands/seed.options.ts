/** `db seed`'s command line; the command is seed.ts. */
import { TARGET, type RunnerCommand } from './options.js';

export const seed: RunnerCommand = {
  name: 'db seed',
  summary: 'run the seed files ([db.seed] sql_paths in supabase/config.toml)',
  options: TARGET,
  args: { kind: 'none' },
  run: async (config, output) => (await import('./seed.js')).seedCommand(config, output),
};
