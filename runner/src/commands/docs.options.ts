/** `docs`'s command line; the command is docs.ts. */
import { TARGET, type RunnerCommand } from './options.js';

export const docs: RunnerCommand = {
  name: 'docs',
  summary: 'generate docs/schema.md, docs/rls-matrix.md and types/database.ts',
  about: 'From a fresh in-memory database built from the migrations (never a server: DATABASE_URL is not used).',
  options: {
    'supabase-dir': TARGET['supabase-dir'],
    check: { help: 'write nothing; exit 1 when a committed file is stale, showing the difference' },
  },
  args: { kind: 'none' },
  run: async (config, output, _args, values) => (await import('./docs.js')).docsCommand(config, output, { check: values.check === true }),
};
