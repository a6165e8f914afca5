/** `db reset`'s command line; the command is reset.ts. */
import { BUILD, RESET, TARGET, type RunnerCommand } from './options.js';

export const reset: RunnerCommand = {
  name: 'db reset',
  summary: 'rebuild the database: platform bootstrap, migrations, seed',
  about:
    'A new embedded database folder (or the server emptied, behind the production guard), then the platform\nbootstrap when missing, every migration, the seed and an analyze. Interrupted, the database is\nmarked incomplete (db status says so) until a reset completes.',
  options: {
    ...TARGET,
    ...RESET,
    ...BUILD,
    summary: { help: 'then print the server version, extensions, migrations and rows per table' },
  },
  args: { kind: 'none' },
  run: async (config, output) => (await import('./reset.js')).resetCommand(config, output),
};
