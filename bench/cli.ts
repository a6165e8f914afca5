/**
 * The benchmark's command line (`make bench`, `SCALE=full`, `SERVER_URL=...`, `CURVE=...`):
 *
 *   tsx bench/cli.ts [data|vector|rls|plans|calls|curve|suite...] [--scale small|full]
 *                    [--server-url postgresql://...] [--curve 5000,20000,50000]
 *                    [--curve-embedded-max N] [runner options]
 *
 * `--scale` (or BENCH_SCALE), `--server-url` (or SERVER_URL: a server measured
 * beside the embedded target, in the same run and results file), `--curve`
 * (or CURVE: the scale curve's catalogue sizes; without sizes 5000,20000,50000)
 * and `--curve-embedded-max` (the largest size the embedded target builds;
 * default 20000) are the bench's own options; the others are pg-tap-runner's
 * (--db-url, --supabase-dir, ...), read by its readConfig; `--help` lists them all.
 * Exit 0 when every check passed, 1 when one failed, 2 on usage or configuration.
 */
import { RESET, TARGET, commandHelp, consoleOutput, parseCommandLine, problemsError, readConfig, runMain, type CommandSpec, type Flags } from 'pg-tap-runner';
import { SECTIONS, benchCommand } from './bench.js';
import { curveSizes } from './curve.js';

/** The bench is one command: its sections, the runner's target options, and its own (checked below, with their variables). */
const BENCH = {
  name: '',
  label: 'bench',
  usage: `[${SECTIONS.join('|')}...] [options]`,
  summary: "this platform's benchmark: bench/results/<date>.json and .md",
  options: {
    ...TARGET,
    ...RESET,
    scale: { value: 'small|full', help: "the seed's scale, or the platform's full scale", default: 'small, or BENCH_SCALE' },
    'server-url': { value: 'postgresql://...', help: 'a server measured beside the embedded target (or SERVER_URL)' },
    curve: { value: '5000,20000,50000', help: "the scale curve's catalogue sizes (or CURVE)" },
    'curve-embedded-max': { value: 'N', help: 'the largest size the embedded target builds', default: '20000, or CURVE_EMBEDDED_MAX' },
  },
  args: { kind: 'many', choices: SECTIONS },
} satisfies CommandSpec;

runMain(async () => {
  const { args, values, problems, invalid } = parseCommandLine(process.argv.slice(2), [BENCH]);
  if (values['help'] === true) {
    consoleOutput.info(commandHelp('tsx bench/cli.ts', BENCH));
    return 0;
  }
  const text = (name: 'scale' | 'server-url' | 'curve' | 'curve-embedded-max', env: string) => {
    const given = values[name];
    return (typeof given === 'string' ? given : undefined) ?? (process.env[env] || undefined);
  };
  const scale = text('scale', 'BENCH_SCALE') ?? 'small';
  if (scale !== 'small' && scale !== 'full') problems.push(`--scale / BENCH_SCALE must be small or full (got ${scale})`);
  const serverUrl = text('server-url', 'SERVER_URL') ?? null;
  if (serverUrl !== null && !/^postgres(ql)?:\/\/./.test(serverUrl)) problems.push('--server-url / SERVER_URL must be a postgresql:// URL');
  const curveText = text('curve', 'CURVE');
  const curve = curveText === undefined ? null : curveSizes(curveText);
  if (curve !== null) problems.push(...curve.problems);
  const maxText = text('curve-embedded-max', 'CURVE_EMBEDDED_MAX') ?? '20000';
  const curveEmbeddedMax = Number(maxText);
  if (!/^\d+$/.test(maxText)) problems.push(`--curve-embedded-max must be a whole number (got ${maxText})`);
  // every problem at once: the command line's, the bench's and the runner's configuration
  const { config, problems: configProblems } = readConfig(values as Flags, process.env, process.cwd());
  if (problems.length + invalid.length + configProblems.length > 0) {
    throw problemsError(problems.length > 0 ? 'usage' : 'config', [...problems, ...invalid, ...configProblems]);
  }
  return benchCommand(config, consoleOutput, {
    sections: args,
    scale: scale === 'full' ? 'full' : 'small',
    serverUrl,
    curve: curve?.sizes ?? null,
    curveEmbeddedMax,
  });
});
