/** `watch`'s command line; the command is watch.ts. */
import { BUILD, TARGET, type RunnerCommand } from './options.js';

export const watch: RunnerCommand = {
  name: 'watch',
  summary: 'rebuild and rerun the affected tests on every save under supabase/',
  about:
    'An in-memory database (never a server: DATABASE_URL is not used), rebuilt when a migration, the seed\nor config.toml is saved; a saved test file reruns alone. Ctrl-C stops it (exit 130 during a run).',
  options: { 'supabase-dir': TARGET['supabase-dir'], ...BUILD },
  args: { kind: 'none' },
  run: async (config, output) => (await import('./watch.js')).watchCommand(config, output),
};
