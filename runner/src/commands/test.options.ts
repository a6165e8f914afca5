/** `test`'s command line; the command is test.ts. */
import { BUILD, RESET, TARGET, TEST, type RunnerCommand } from './options.js';

export const test: RunnerCommand = {
  name: 'test',
  usage: '[paths|globs...] [options]',
  summary: 'the pgTAP files under supabase/tests; reports/junit.xml, reports/tap/',
  about:
    'Every supabase/tests/**/*.sql and *.pg file (or the paths and globs given), on the snapshot of the\nmigrated, seeded database (embedded) or on the server after a reset.',
  options: { ...TARGET, ...RESET, ...BUILD, ...TEST },
  args: { kind: 'many' },
  run: async (config, output) => (await import('./test.js')).testCommand(config, output, { startedAt: 0 }),
};
