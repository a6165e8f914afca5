/**
 * The suite itself, timed.
 *
 * Phases: the runner's own functions, one after the other, each timed: start
 * (a new in-memory PGlite; on a server, connecting and emptying the database),
 * platform bootstrap, migrations, seed, tests (pgTAP installed, then every
 * file of supabase/tests in path order, in one session). On the embedded
 * target and on a server: DATABASE_URL's, or else the embedded database served
 * by `db serve` on a free port (a real wire-protocol server, PGlite behind it).
 *
 * `make test` itself, cold, warm, one file and watch: make-test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  EmbeddedTarget,
  ensurePgTap,
  filePassed,
  findTestFiles,
  openResetTarget,
  rebuild,
  redact,
  runPgTapFile,
  serveInBackground,
  serverTarget,
  shown,
  type Config,
  type Output,
  type ServedDatabase,
  type Target,
} from 'pg-tap-runner';
import { rounded, spread, type Spread } from './stats.js';

export const PHASES = ['start', 'bootstrap', 'migrations', 'seed', 'tests'] as const;
export type PhaseName = (typeof PHASES)[number];

export interface PhaseTimes {
  target: string;
  runs: number;
  phases: Record<PhaseName, Spread>;
  total: Spread;
  /** test files, and files that failed, in the last run: a broken suite is visible */
  files: number;
  failedFiles: number;
}

const silent: Output = { info: () => {}, warn: () => {} };

/** One run of every phase on a fresh target. `open` is the start phase. */
async function phaseRun(config: Config, open: () => Promise<Target>): Promise<{ ms: Record<PhaseName, number>; files: number; failedFiles: number }> {
  const ms = {} as Record<PhaseName, number>;
  const lap = async <R>(name: PhaseName, work: () => Promise<R>): Promise<R> => {
    const started = performance.now();
    const result = await work();
    ms[name] = performance.now() - started;
    return result;
  };
  const files = await findTestFiles({ ...config, testPaths: [] });
  const target = await lap('start', open);
  let failedFiles = 0;
  try {
    await rebuild(target, config, silent, lap);
    await lap('tests', async () => {
      await ensurePgTap(target);
      for (const file of files) {
        const outcome = await runPgTapFile(target, file, shown(config, file));
        if (!filePassed(outcome)) failedFiles++;
      }
    });
  } finally {
    await target.close();
  }
  return { ms, files: files.length, failedFiles };
}

async function timePhases(
  config: Config,
  runs: number,
  label: string,
  open: () => Promise<Target>,
  progress: (line: string) => void,
  /** before each run, not timed: a new server to run against */
  prepare: () => Promise<void> = async () => {},
): Promise<PhaseTimes> {
  const samples = Object.fromEntries(PHASES.map((p) => [p, [] as number[]])) as Record<PhaseName, number[]>;
  const totals: number[] = [];
  let files = 0;
  let failed = 0;
  for (let run = 0; run < runs; run++) {
    await prepare();
    const result = await phaseRun(config, open);
    for (const phase of PHASES) samples[phase].push(result.ms[phase]);
    const total = PHASES.reduce((sum, p) => sum + result.ms[p], 0);
    totals.push(total);
    files = result.files;
    failed = result.failedFiles;
    progress(`suite: ${label} run ${run + 1}/${runs}: ${PHASES.map((p) => `${p} ${(result.ms[p] / 1000).toFixed(2)} s`).join(', ')}`);
  }
  return {
    target: label,
    runs,
    phases: Object.fromEntries(PHASES.map((p) => [p, rounded(spread(samples[p]))])) as Record<PhaseName, Spread>,
    total: rounded(spread(totals)),
    files,
    failedFiles: failed,
  };
}

/** Phases on the embedded target (in memory, as `make test`). */
export function embeddedPhases(config: Config, runs: number, progress: (line: string) => void): Promise<PhaseTimes> {
  return timePhases(config, runs, 'embedded (in memory)', () => EmbeddedTarget.open(null), progress);
}

/**
 * Phases on a server: `url` (DATABASE_URL), or else `db serve` of a new,
 * empty embedded database on a free port, a new one for every run (so each
 * run meets a server without the platform, as the first `make test` against
 * a new server does; on DATABASE_URL's server the reset keeps the platform,
 * so the bootstrap is skipped after the first run).
 */
export async function serverPhases(config: Config, url: string | null, runs: number, progress: (line: string) => void): Promise<PhaseTimes> {
  let served: { server: ServedDatabase; dir: string } | null = null;
  const serverConfig = (at: string): Config => {
    const target = serverTarget(at, process.env);
    if (typeof target === 'string') throw new Error(target);
    return { ...config, target };
  };
  const stop = async () => {
    if (served === null) return;
    await served.server.stop();
    await rm(served.dir, { recursive: true, force: true });
    served = null;
  };
  let at = url ?? '';
  // a new served database before each run; starting the server is not a phase of make test
  const prepare = async () => {
    if (url !== null) return;
    await stop();
    // an existing, empty folder: serve opens it as a new database without building it
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-serve-'));
    const server = await serveInBackground({ dataDir: dir, cwd: config.root, startSeconds: 60 });
    served = { server, dir };
    at = server.url;
  };
  const open = () => openResetTarget(serverConfig(at), silent, { memory: true, action: 'reset the database to time the suite' });
  const label = url === null ? 'db serve (PGlite over the wire protocol)' : `server ${redact(url)}`;
  try {
    // the config's target only matters for messages; `open` connects
    return await timePhases(serverConfig(url ?? 'postgresql://127.0.0.1/postgres'), runs, label, open, progress, prepare);
  } finally {
    await stop();
  }
}
