/** `db serve`'s command line; the command is serve.ts. */
import { DEFAULT_PORT } from '../config.js';
import { Invalid } from '../command-line.js';
import { BUILD, TARGET, type RunnerCommand } from './options.js';

export const serve: RunnerCommand = {
  name: 'db serve',
  summary: 'serve the embedded database on 127.0.0.1 until Ctrl-C',
  options: {
    'data-dir': TARGET['data-dir'],
    'supabase-dir': TARGET['supabase-dir'],
    port: {
      value: 'PORT',
      help: 'the port on 127.0.0.1',
      default: DEFAULT_PORT,
      parse: (text) =>
        /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 65535
          ? Number(text)
          : new Invalid(`--port must be a port number from 1 to 65535 (got ${text})`),
    },
    ...BUILD,
  },
  args: { kind: 'none' },
  run: async (config, output) => (await import('./serve.js')).serveCommand(config, output),
};
