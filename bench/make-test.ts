/**
 * `make test` as a developer runs it, measured from outside, `runs` times:
 * cold (an empty snapshot folder, PGLITE_SNAPSHOT_DIR), warm (the snapshot the
 * cold run left), one file warm (`make test ARGS=<file>`), rebuilt (the
 * project's snapshot removed, as when a migration changes: the kept initdb
 * is restored), and `watch` rerunning a saved test file.
 *
 * For each run: wall time, CPU time (user and system, every process and
 * thread) and peak resident memory (of the largest process: the runner, its
 * workers being threads), through GNU time (/usr/bin/time) when the machine
 * has it; and the runner's own account of the run, its `time` line (start,
 * snapshot, workers with each one's code and restore, files, reports) and, cold,
 * the snapshot build's phases. The 1-minute load average before and after says
 * how busy the machine was.
 *
 * The figures are compared with the targets of issue 16; a missed target is
 * reported, never a failure of the benchmark. parseTimeLine, parseBuildLine,
 * parseGnuTime and targetChecks are pure.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from 'pg-tap-runner';
import { $ } from 'zx';
import { rounded, spread, type Spread } from './stats.js';

/** The file the one-file run and the watch rerun use. */
export const ONE_FILE = 'supabase/tests/200_rls_user_profiles.sql';
const GNU_TIME = '/usr/bin/time';

export interface RunFigures {
  wallMs: Spread;
  /** null without GNU time */
  cpuMs: Spread | null;
  peakMiB: Spread | null;
  /** the runner's own `time` line, phase by phase (ms) */
  phases: Record<string, Spread>;
  /** cold: the snapshot build's phases (ms) */
  build: Record<string, Spread>;
  /** the `time` line of the run with the median wall time, as printed */
  line: string;
}

export interface WatchTimes {
  file: string;
  /** from saving the file to watch's result line: what a developer waits (debounce included) */
  saveToResultMs: Spread;
  /** the rerun as watch reports it ("in N ms") */
  rerunMs: Spread;
}

export interface TargetCheck {
  name: string;
  limit: string;
  measured: string;
  met: boolean;
}

export interface MakeTestTimes {
  runs: number;
  /** false: a warm run did not report "snapshot reused" */
  snapshot: boolean;
  cold: RunFigures;
  warm: RunFigures;
  oneFile: RunFigures & { file: string };
  /** a migration changed: the snapshot rebuilt from the kept initdb */
  rebuilt: RunFigures;
  watch: WatchTimes | null;
  /** the 1-minute load average before and after the runs */
  load: { before: number; after: number };
  /** CPU time and peak memory measured (GNU time present) */
  resources: boolean;
  targets: TargetCheck[];
  exitCodes: number[];
  note: string | null;
}

interface Sample {
  wallMs: number;
  cpuMs: number | null;
  peakMiB: number | null;
  phases: Record<string, number>;
  build: Record<string, number>;
  line: string;
  code: number;
  output: string;
}

/** "2.9 s" or "467 ms" in milliseconds; NaN for anything else. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?) (ms|s)$/.exec(text.trim());
  if (match === null) return Number.NaN;
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

/** Splits on ", " outside parentheses. */
function topLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && text.startsWith(', ', i)) {
      parts.push(current);
      current = '';
      i++;
      continue;
    }
    current += ch;
  }
  if (current !== '') parts.push(current);
  return parts;
}

const DURATION = /(\d+(?:\.\d+)? (?:ms|s))/;

/**
 * The runner's closing `time` line, phase by phase: `total`, `start`,
 * `selection`, `database` (the snapshot reused or built), `workers` (the wait
 * for them), `worker code`, `worker restore`, `files`, `reports` (and
 * `connections`, on a server).
 */
export function parseTimeLine(output: string): Record<string, number> {
  const line = output.split('\n').find((l) => /^time\s+\d/.test(l));
  if (line === undefined) return {};
  const match = /^time\s+(\d+(?:\.\d+)? (?:ms|s))(?:: (.*))?\s*$/.exec(line);
  if (match === null) return {};
  const times: Record<string, number> = { total: parseDuration(match[1]!) };
  for (const part of topLevel(match[2] ?? '')) {
    const [head, detail] = part.split(/ \((.*)\)$/);
    const at = DURATION.exec(head!);
    if (at === null) continue;
    const name = head!
      .slice(0, at.index)
      .trim()
      .replace(/^\d+ workers? ready$/, 'workers');
    times[name] = parseDuration(at[1]!);
    for (const inner of topLevel((detail ?? '').replace(/^each: /, ''))) {
      const innerAt = DURATION.exec(inner);
      if (innerAt !== null) times[`worker ${inner.slice(0, innerAt.index).trim()}`] = parseDuration(innerAt[1]!);
    }
  }
  return times;
}

/** The phases of `database: snapshot built in 6.2 s (hash 20 ms, PGlite with initdb 2.1 s, …; hash …) and kept in …`. */
export function parseBuildLine(output: string): Record<string, number> {
  const match = /database: snapshot built in [^(]*\((.*); hash [0-9a-f]+\) and kept in/.exec(output);
  if (match === null) return {};
  const phases: Record<string, number> = {};
  for (const part of topLevel(match[1]!)) {
    const at = DURATION.exec(part);
    if (at !== null) phases[part.slice(0, at.index).trim()] = parseDuration(at[1]!);
  }
  return phases;
}

/** GNU time's `-f '%e %U %S %M'`: wall, CPU (user + system) and peak resident memory. */
export function parseGnuTime(text: string): { wallMs: number; cpuMs: number; peakMiB: number } | null {
  const line = text.trim().split('\n').pop() ?? '';
  const match = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)$/.exec(line);
  if (match === null) return null;
  return { wallMs: Number(match[1]) * 1000, cpuMs: (Number(match[2]) + Number(match[3])) * 1000, peakMiB: Number(match[4]) / 1024 };
}

/** One `make test`, embedded (DATABASE_URL removed), snapshots in `snapshotDir`. */
async function makeTest(config: Config, snapshotDir: string, args: string[] = []): Promise<Sample> {
  const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_SNAPSHOT_DIR: snapshotDir, NO_COLOR: '1' };
  delete env['DATABASE_URL'];
  // `make bench ARGS=...` passes its variables to every make below it (MAKEFLAGS): ARGS=suite would become make test's files
  for (const name of ['MAKEFLAGS', 'MFLAGS', 'MAKEOVERRIDES', 'MAKELEVEL']) delete env[name];
  const make = ['make', '--no-print-directory', 'test', ...(args.length > 0 ? [`ARGS=${args.join(' ')}`] : [])];
  const usage = path.join(snapshotDir, '..', `${path.basename(snapshotDir)}.time`);
  const command = existsSync(GNU_TIME) ? [GNU_TIME, '-f', '%e %U %S %M', '-o', usage, ...make] : make;
  const started = performance.now();
  const result = await $({ cwd: config.root, env, quiet: true, nothrow: true })`${command}`;
  const wallMs = performance.now() - started;
  const resources = existsSync(usage) ? parseGnuTime(await readFile(usage, 'utf8')) : null;
  await rm(usage, { force: true });
  const output = result.stdall;
  return {
    wallMs,
    cpuMs: resources?.cpuMs ?? null,
    peakMiB: resources?.peakMiB ?? null,
    phases: parseTimeLine(output),
    build: parseBuildLine(output),
    line:
      output
        .split('\n')
        .find((l) => /^time\s+\d/.test(l))
        ?.replace(/^time\s+/, '') ?? '',
    code: result.exitCode ?? 2,
    output,
  };
}

function figures(samples: Sample[]): RunFigures {
  const all = <K extends 'cpuMs' | 'peakMiB'>(key: K) => (samples.every((s) => s[key] !== null) ? rounded(spread(samples.map((s) => s[key]!))) : null);
  const byName = (pick: (s: Sample) => Record<string, number>) => {
    const names = [...new Set(samples.flatMap((s) => Object.keys(pick(s))))];
    return Object.fromEntries(
      names.map((n) => [n, rounded(spread(samples.map((s) => pick(s)[n]).filter((v): v is number => v !== undefined && Number.isFinite(v))))]),
    );
  };
  const median = [...samples].sort((a, b) => a.wallMs - b.wallMs)[Math.floor((samples.length - 1) / 2)];
  return {
    wallMs: rounded(spread(samples.map((s) => s.wallMs))),
    cpuMs: all('cpuMs'),
    peakMiB: all('peakMiB'),
    phases: byName((s) => s.phases),
    build: byName((s) => s.build),
    line: median?.line ?? '',
  };
}

/**
 * `watch` over a copy of the supabase folder: once it watches, the test file is
 * saved `runs` times (same content), each time waiting for the rerun's result.
 */
export async function watchRerunTimes(config: Config, runs: number, file = ONE_FILE): Promise<WatchTimes> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-watch-'));
  const supabase = path.join(dir, 'supabase');
  await cp(config.supabaseDir, supabase, { recursive: true });
  const saved = path.join(dir, file);
  const content = await readFile(saved);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['DATABASE_URL'];
  const bin = path.join(config.root, 'node_modules', '.bin', 'pg-tap-runner');
  const child = spawn(bin, ['watch', '--supabase-dir', supabase], { cwd: config.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const waitFor = async (pattern: RegExp, from: number, limitMs: number): Promise<RegExpExecArray> => {
    const deadline = performance.now() + limitMs;
    for (;;) {
      const match = pattern.exec(output.slice(from));
      if (match !== null) return match;
      if (child.exitCode !== null || performance.now() > deadline) throw new Error(`watch did not print ${pattern} within ${limitMs / 1000} s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const saveToResult: number[] = [];
  const rerun: number[] = [];
  try {
    await waitFor(/^watching /m, 0, 300_000);
    for (let run = 0; run < runs; run++) {
      const from = output.length;
      const started = performance.now();
      await writeFile(saved, content);
      const match = await waitFor(/ in (\d+) ms$/m, from, 60_000);
      saveToResult.push(performance.now() - started);
      rerun.push(Number(match[1]));
      // let the watcher settle before the next save
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    child.kill('SIGINT');
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
  return { file, saveToResultMs: rounded(spread(saveToResult)), rerunMs: rounded(spread(rerun)) };
}

/** Issue 16's targets for a 2-core machine, against the medians. */
export function targetChecks(m: Pick<MakeTestTimes, 'cold' | 'warm' | 'oneFile' | 'watch'>): TargetCheck[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const checks: TargetCheck[] = [{ name: 'warm make test, wall', limit: '4.5 s', measured: s(m.warm.wallMs.median), met: m.warm.wallMs.median <= 4500 }];
  if (m.warm.cpuMs !== null) checks.push({ name: 'warm make test, CPU', limit: '6 s', measured: s(m.warm.cpuMs.median), met: m.warm.cpuMs.median <= 6000 });
  if (m.warm.peakMiB !== null) {
    checks.push({
      name: 'warm make test, peak memory',
      limit: '400 MiB',
      measured: `${Math.round(m.warm.peakMiB.median)} MiB`,
      met: m.warm.peakMiB.median <= 400,
    });
  }
  checks.push({ name: 'cold make test, wall', limit: '8 s', measured: s(m.cold.wallMs.median), met: m.cold.wallMs.median <= 8000 });
  checks.push({
    name: `one file warm (${path.basename(m.oneFile.file)}), wall`,
    limit: '2 s',
    measured: s(m.oneFile.wallMs.median),
    met: m.oneFile.wallMs.median <= 2000,
  });
  if (m.watch !== null) {
    checks.push({
      name: 'watch: a saved test file to its result',
      limit: '0.5 s',
      measured: s(m.watch.saveToResultMs.median),
      met: m.watch.saveToResultMs.median <= 500,
    });
  }
  return checks;
}

/** `runs` times: cold, warm, one file warm; then watch's reruns. */
export async function makeTestTimes(config: Config, runs: number, progress: (line: string) => void): Promise<MakeTestTimes> {
  const load = { before: os.loadavg()[0]!, after: 0 };
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  const oneFile: Sample[] = [];
  const rebuilt: Sample[] = [];
  let reused = 0;
  for (let run = 0; run < runs; run++) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-snapshots-'));
    try {
      cold.push(await makeTest(config, dir));
      warm.push(await makeTest(config, dir));
      oneFile.push(await makeTest(config, dir, [ONE_FILE]));
      // as when a migration changes: the project's snapshot goes, the initdb kept beside it stays
      for (const name of await readdir(dir)) if (/^[0-9a-f]{16}\./.test(name)) await rm(path.join(dir, name));
      rebuilt.push(await makeTest(config, dir));
      if (/snapshot reused/.test(warm.at(-1)!.output)) reused++;
      const f = (x: Sample) =>
        `${(x.wallMs / 1000).toFixed(1)} s${x.cpuMs !== null ? ` (CPU ${(x.cpuMs / 1000).toFixed(1)} s, ${Math.round(x.peakMiB!)} MiB)` : ''}`;
      progress(
        `suite: make test run ${run + 1}/${runs}: cold ${f(cold.at(-1)!)}, warm ${f(warm.at(-1)!)}, one file ${f(oneFile.at(-1)!)}, rebuilt ${f(rebuilt.at(-1)!)}`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const watch = await watchRerunTimes(config, runs);
  progress(`suite: watch reran ${watch.file} ${runs} times: ${(watch.saveToResultMs.median / 1000).toFixed(2)} s from save to result (median)`);
  load.after = os.loadavg()[0]!;

  const exitCodes = [...cold, ...warm, ...oneFile, ...rebuilt].map((s) => s.code);
  const snapshot = reused === runs;
  const notes: string[] = [];
  if (!snapshot) notes.push('the warm runs did not report "snapshot reused": warm equals cold');
  if (exitCodes.some((c) => c !== 0)) notes.push(`make test exited ${exitCodes.join(', ')}: the suite did not pass on every run`);
  const measured = { cold: figures(cold), warm: figures(warm), oneFile: { ...figures(oneFile), file: ONE_FILE }, rebuilt: figures(rebuilt), watch };
  return {
    runs,
    snapshot,
    ...measured,
    load,
    resources: measured.warm.cpuMs !== null,
    targets: targetChecks(measured),
    exitCodes,
    note: notes.length > 0 ? notes.join('; ') : null,
  };
}
