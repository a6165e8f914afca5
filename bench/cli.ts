/**
 * The benchmark's command line (`make bench`, `SCALE=full`):
 *
 *   tsx bench/cli.ts [data|vector|rls|plans|suite...] [--scale small|full] [runner options]
 *
 * `--scale` (or BENCH_SCALE) is the bench's own option; the others are
 * pg-tap-runner's (--db-url, --supabase-dir, ...), read by its loadConfig.
 * Exit 0 when every check passed, 1 when one failed, 2 on usage or configuration.
 */
import { consoleOutput, parseCommandLine, problemsError, readConfig, runMain } from 'pg-tap-runner';
import { SECTIONS, benchCommand } from './bench.js';

runMain(async () => {
  // the bench is one command: its sections, the runner's target options, and its own --scale
  const bench = { name: '', label: 'bench', options: ['db-url', 'data-dir', 'supabase-dir', 'allow-remote', 'confirm', 'scale'], args: { kind: 'many', choices: SECTIONS } } as const;
  const { args, flags, problems } = parseCommandLine(process.argv.slice(2), [bench], { scale: { type: 'string', value: 'small|full' } });
  const given = flags['scale'];
  const scale = (typeof given === 'string' ? given : undefined) ?? (process.env['BENCH_SCALE'] || 'small');
  if (scale !== 'small' && scale !== 'full') problems.push(`--scale / BENCH_SCALE must be small or full (got ${scale})`);
  // every problem at once: the command line's, the bench's and the runner's configuration
  const { config, problems: configProblems } = readConfig(flags, process.env, process.cwd());
  if (problems.length > 0 || configProblems.length > 0) throw problemsError(problems.length > 0 ? 'usage' : 'config', [...problems, ...configProblems]);
  return benchCommand(config, consoleOutput, args, scale === 'full' ? 'full' : 'small');
});
