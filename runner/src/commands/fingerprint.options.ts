/** `db fingerprint`'s command line; the command is fingerprint.ts. */
import { TARGET, type RunnerCommand } from './options.js';

export const fingerprint: RunnerCommand = {
  name: 'db fingerprint',
  summary: 'the schema from the catalogue, one sorted item a line, to compare with diff',
  options: TARGET,
  args: { kind: 'none' },
  run: async (config, output) => (await import('./fingerprint.js')).fingerprintCommand(config, output),
};
