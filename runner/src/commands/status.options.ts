/** `db status`'s command line; the command is status.ts. */
import { MIGRATIONS, TARGET, type RunnerCommand } from './options.js';

export const status: RunnerCommand = {
  name: 'db status',
  summary: 'applied, pending, drifted and missing migrations; exit 1 on a problem',
  options: { ...TARGET, ...MIGRATIONS },
  args: { kind: 'none' },
  run: async (config, output) => (await import('./status.js')).statusCommand(config, output),
};
