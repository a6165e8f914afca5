/**
 * The benchmark's command line (`make bench`, `SCALE=full`):
 *
 *   tsx bench/cli.ts [data|vector|rls|plans|suite...] [--scale small|full] [runner options]
 *
 * `--scale` (or BENCH_SCALE) is the bench's own option; the others are
 * pg-tap-runner's (--db-url, --supabase-dir, ...), read by its loadConfig.
 * Exit 0 when every check passed, 1 when one failed, 2 on usage or configuration.
 */
import { RunnerError, consoleOutput, loadConfig, parseCommandLine, runMain, type Config } from 'pg-tap-runner';
import { benchCommand } from './bench.js';

runMain(async () => {
  const { words, flags } = parseCommandLine(process.argv.slice(2), { string: ['scale'] });
  const problems: string[] = [];
  const given = flags['scale'];
  if (Array.isArray(given)) problems.push('--scale is given more than once');
  const scale = (typeof given === 'string' && given !== '' ? given : undefined) ?? (process.env['BENCH_SCALE'] || 'small');
  if (scale !== 'small' && scale !== 'full') problems.push(`--scale / BENCH_SCALE must be small or full (got ${scale})`);
  let config: Config;
  try {
    config = loadConfig(flags, process.env, process.cwd());
  } catch (error) {
    // every configuration problem at once: the runner's and the bench's
    if (!(error instanceof RunnerError) || error.kind !== 'config' || problems.length === 0) throw error;
    throw new RunnerError('config', [error.message, ...problems.map((p) => `  - ${p}`)].join('\n'));
  }
  if (problems.length > 0) throw new RunnerError('config', ['configuration problems:', ...problems.map((p) => `  - ${p}`)].join('\n'));
  return benchCommand(config, consoleOutput, words, scale === 'full' ? 'full' : 'small');
});
