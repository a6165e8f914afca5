/** `docs`'s command line; the command is docs.ts. */
import { TARGET, type RunnerCommand } from './options.js';

export const docs: RunnerCommand = {
  name: 'docs',
  usage: '[--schema-doc FILE] [--rls-matrix FILE] [--types FILE] [options]',
  summary: "generate the schema's Markdown page, its RLS matrix page and its TypeScript types",
  about: 'The files the options name (one at least), from a fresh in-memory database built from the migrations\n(never a server: DATABASE_URL is not used).',
  options: {
    'supabase-dir': TARGET['supabase-dir'],
    'schema-doc': { value: 'FILE', help: "write the schema's Markdown page to FILE: tables, columns, constraints, indexes, policies, functions" },
    'rls-matrix': {
      value: 'FILE',
      help: 'write the RLS matrix a test file states (its `create temporary table rls_matrix ... as values`) to FILE, as Markdown',
    },
    types: { value: 'FILE', help: "write the schema's TypeScript types (supabase-js's Database shape) to FILE" },
    'regenerate-command': { value: 'COMMAND', help: 'the command the generated files say regenerates them', default: 'this docs command line' },
    check: { help: 'write nothing; exit 1 when a committed file is stale, showing the difference' },
  },
  args: { kind: 'none' },
  run: async (config, output, _args, values) => (await import('./docs.js')).docsCommand(config, output, { check: values.check === true }),
};
