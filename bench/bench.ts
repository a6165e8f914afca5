/**
 * `make bench` (`tsx bench/cli.ts [sections...] [--scale small|full]`):
 * measures, never tests. Builds a fresh database (embedded: in memory; server:
 * reset, behind the same guards as `test`), fills it with the scale data, then
 * measures:
 *
 *   data     how long generating takes and how large the database becomes; the
 *            discovery index is trained on the catalogue (private.train_discovery_index())
 *   vector   match_automations (its IVFFlat index) against an exact scan, unfiltered
 *            and with a category: recall@10 distribution, latency, speed-up;
 *            ivfflat.probes sweep
 *   rls      each dashboard query as authenticated and as service_role
 *   plans    explain (analyze, buffers) of every hot query; no whole-table scans
 *   suite    each phase of `make test` on the embedded target and on a server;
 *            `make test` cold, warm and for one file, and watch's rerun of a
 *            saved file: wall, CPU, peak memory, the runner's own phases,
 *            against issue 16's targets
 *
 * (default: all of them), and writes bench/results/<date>.json and .md
 * (<date>-small.json and .md at the small scale, git-ignored, so a quick run
 * never overwrites the committed full-scale figures). The suite's figures do
 * not depend on the scale: they also go to bench/results/suite.json and .md,
 * committed, the figures of the code beside them.
 * Exit 0 when every check passed, 1 when a plan scans a large table or the
 * recall target is missed (a finding), 2 on usage or configuration problems.
 * The code lives beside it in bench/: cli.ts (the command line), scale.ts (how
 * much), generate.ts and embeddings.ts (the data), queries.ts (the hot
 * queries), one file per measurement, report.ts (JSON and Markdown). It reaches
 * the database through pg-tap-runner's API, as any program built on it would.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import chalk from 'chalk';
import { ensurePlatform, migrate, openResetTarget, rebuild, redact, serverTarget, shown, usage, type Config, type Output, type Target } from 'pg-tap-runner';
import { $ } from 'zx';
import { QUERIES_SQL } from './embeddings.js';
import { generate } from './generate.js';
import { planChecks } from './plans.js';
import { seedCalls } from './calls.js';
import { DEFAULT_CURVE, curvePoint } from './curve.js';
import { failures, renderMarkdown, renderSuiteMarkdown, resultsName, type BenchResults, type Environment, type TargetResults } from './report.js';
import { curveSeries, curveSvg } from './svg.js';
import { rlsCostBenchmark } from './rls-cost.js';
import { SCALES, type Scale } from './scale.js';
import { makeTestTimes } from './make-test.js';
import { embeddedPhases, serverPhases } from './suite.js';
import { vectorBenchmark } from './vector.js';

export const SECTIONS = ['data', 'vector', 'rls', 'plans', 'calls', 'curve', 'suite'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  sections: string[];
  scale: Scale['name'];
  /** a server to measure beside the embedded target (--server-url, SERVER_URL); null: the configured target alone */
  serverUrl: string | null;
  /** the scale curve's sizes (--curve); null: no curve unless the section is named (then DEFAULT_CURVE) */
  curve: number[] | null;
  /** the largest curve size measured on the embedded target (--curve-embedded-max) */
  curveEmbeddedMax: number;
}

/** The targets of one run: the configured one (embedded, or DATABASE_URL's server), then --server-url's. */
function targetsOf(config: Config, serverUrl: string | null): { name: string; config: Config }[] {
  const targets = [{ name: config.target.kind, config }];
  if (serverUrl !== null) targets.push({ name: 'server', config: serverConfig(config, serverUrl) });
  return targets;
}

export function serverConfig(config: Config, url: string): Config {
  const target = serverTarget(url, process.env);
  if (typeof target === 'string') throw usage(`--server-url / SERVER_URL: ${target}`);
  return { ...config, target };
}

export async function benchCommand(config: Config, output: Output, options: BenchOptions): Promise<number> {
  const unknown = options.sections.filter((w) => !(SECTIONS as readonly string[]).includes(w));
  if (unknown.length > 0) throw usage(`unknown bench section ${unknown.join(', ')} (sections: ${SECTIONS.join(', ')})`);
  if (options.serverUrl !== null && config.target.kind === 'server')
    throw usage('give the server either as DATABASE_URL (the only target) or as --server-url / SERVER_URL (beside the embedded target), not both');
  const defaults = SECTIONS.filter((s) => s !== 'curve' || options.curve !== null);
  const sections = new Set<Section>(options.sections.length > 0 ? (options.sections as Section[]) : defaults);
  const scale = SCALES[options.scale];
  const started = Date.now();
  const progress = (line: string) => output.info(line);
  const targets = targetsOf(config, options.serverUrl);
  output.info(
    `bench: ${scale.name} scale (${scale.users.toLocaleString('en-US')} users, ${scale.automations.toLocaleString('en-US')} automations), ` +
      `sections ${[...sections].join(', ')}, targets ${targets.map((t) => (t.config.target.kind === 'server' ? redact(t.config.target.url) : 'embedded')).join(' and ')}`,
  );

  const results: Omit<BenchResults, 'failures'> = {
    environment: await environment(config),
    scale,
    targets: [],
    // a curve run is named for the curve from its first save on (resultsName)
    curve: sections.has('curve') ? [] : null,
    suite: null,
    durationMs: 0,
  };

  const dir = path.join(config.root, 'bench', 'results');
  /**
   * Writes what has been measured so far: after each target and each curve
   * point (partial, so a long run that is stopped still leaves its figures),
   * and at the end.
   */
  const save = async (partial: boolean): Promise<BenchResults> => {
    results.durationMs = Date.now() - started;
    const complete: BenchResults = { ...results, partial, failures: failures(results) };
    await mkdir(dir, { recursive: true });
    // full scale: <date>.json, the figures to commit; small scale gets its own, ignored name
    const base = path.join(dir, resultsName(complete));
    await writeFile(`${base}.json`, JSON.stringify(complete, null, 2) + '\n');
    await writeFile(`${base}.md`, renderMarkdown(complete));
    if (complete.curve !== null && complete.curve.length > 0) {
      // the picture beside the results, which link it
      await writeFile(
        `${base}.svg`,
        curveSvg(curveSeries(complete.curve), `match_automations and the exact scan by catalogue size (${complete.environment.date})`),
      );
    }
    if (partial) return complete;
    output.info(
      `bench: wrote ${shown(config, `${base}.json`)}, .md${complete.curve?.length ? ' and .svg' : ''} in ${(complete.durationMs / 1000).toFixed(0)} s`,
    );
    if (complete.suite !== null) {
      // the suite's figures do not depend on the scale: whichever scale measured them, they are kept (and committed) here
      const suite = path.join(dir, 'suite');
      await writeFile(`${suite}.json`, JSON.stringify({ environment: complete.environment, scale: scale.name, suite: complete.suite }, null, 2) + '\n');
      await writeFile(`${suite}.md`, renderSuiteMarkdown(complete));
      output.info(`bench: wrote ${shown(config, `${suite}.json`)} and ${shown(config, `${suite}.md`)}`);
    }
    return complete;
  };

  for (const { name, config: targetConfig } of targets) {
    const measured: TargetResults = {
      name,
      label: name,
      postgres: 'not measured',
      pgvector: 'not measured',
      jit: 'not measured',
      generation: null,
      vector: null,
      rls: null,
      plans: null,
      calls: null,
    };
    results.targets.push(measured);
    const tell = (line: string) => progress(targets.length > 1 ? `${name}: ${line}` : line);
    if (['data', 'vector', 'rls', 'plans'].some((s) => sections.has(s as Section))) {
      const target = await openResetTarget(targetConfig, output, { memory: true, action: 'reset the database for the benchmark' });
      try {
        await ensurePlatform(target);
        await migrate(target, targetConfig, { info: () => {}, warn: (l) => output.warn(l) });
        Object.assign(measured, await describeTarget(target));
        measured.generation = await generate(target, scale, tell);
        tell(
          `bench: ${target.label} holds ${(measured.generation.databaseBytes / 1024 / 1024).toFixed(0)} MiB after ${(measured.generation.totalMs / 1000).toFixed(1)} s`,
        );
        await target.exec(QUERIES_SQL(scale.vectorQueries));
        if (sections.has('vector')) measured.vector = await vectorBenchmark(target, scale, tell);
        if (sections.has('rls')) measured.rls = await rlsCostBenchmark(target, scale, tell);
        if (sections.has('plans')) measured.plans = await planChecks(target, scale, tell);
      } finally {
        await target.close();
      }
    }
    if (sections.has('calls')) {
      // the seed's scale: the database `make db` builds
      const target = await openResetTarget(targetConfig, output, { memory: true, action: 'reset the database for the benchmark' });
      try {
        await rebuild(target, targetConfig, { info: () => {}, warn: (l) => output.warn(l) });
        Object.assign(measured, await describeTarget(target));
        measured.calls = await seedCalls(target, tell);
      } finally {
        await target.close();
      }
    }
    await save(true);
  }

  if (sections.has('curve')) {
    const sizes = options.curve ?? DEFAULT_CURVE;
    results.curve = [];
    for (const size of sizes) {
      for (const { name, config: targetConfig } of targets) {
        if (name === 'embedded' && size > options.curveEmbeddedMax) {
          progress(`curve: embedded ${size.toLocaleString('en-US')}: skipped (above --curve-embedded-max ${options.curveEmbeddedMax.toLocaleString('en-US')})`);
          continue;
        }
        const target = await openResetTarget(targetConfig, output, { memory: true, action: 'reset the database for the benchmark' });
        try {
          await ensurePlatform(target);
          await migrate(target, targetConfig, { info: () => {}, warn: (l) => output.warn(l) });
          const point = await curvePoint(target, name, size, progress);
          results.curve.push(point);
          progress(`curve: ${name} ${size.toLocaleString('en-US')} in ${(point.durationMs / 1000).toFixed(0)} s`);
          await save(true);
        } finally {
          await target.close();
        }
      }
    }
  }

  if (sections.has('suite')) {
    const server = targets.find((t) => t.config.target.kind === 'server')?.config.target;
    const url = server?.kind === 'server' ? server.url : null;
    const embedded = await embeddedPhases({ ...config, target: { kind: 'embedded', dataDir: '' } }, scale.suiteRuns, progress);
    const served = await serverPhases(config, url, scale.suiteRuns, progress);
    const makeTest = await makeTestTimes({ ...config, target: { kind: 'embedded', dataDir: '' } }, scale.suiteRuns, progress);
    results.suite = { embedded, server: served, makeTest };
  }

  const complete = await save(false);
  if (complete.failures.length > 0) {
    output.warn(chalk.red(`bench: ${complete.failures.length} check${complete.failures.length === 1 ? '' : 's'} failed:`));
    for (const failure of complete.failures) output.warn(chalk.red(`  - ${failure}`));
    return 1;
  }
  output.info('bench: every check passed');
  return 0;
}

/** The target's PostgreSQL, pgvector and jit, as its session reports them. */
async function describeTarget(target: Target): Promise<Pick<TargetResults, 'label' | 'postgres' | 'pgvector' | 'jit'>> {
  const [row] = await target.query<{ version: string; vector: string | null; jit: string | null }>(
    `select version() as version, (select extversion from pg_extension where extname = 'vector') as vector, case when pg_jit_available() then current_setting('jit') else 'off (no JIT provider)' end as jit`,
  );
  // "PostgreSQL 18.6 (PGlite 0.5.14) on wasm32-unknown-emscripten, compiled by ..." without the compiler
  return {
    label: target.label,
    postgres: (row?.version ?? '').replace(/, compiled by.*$/, ''),
    pgvector: row?.vector ?? 'not installed',
    jit: row?.jit ?? 'not available',
  };
}

async function environment(config: Config): Promise<Environment> {
  // 'unknown' outside a git checkout
  const git = await $({ cwd: config.root, quiet: true, nothrow: true })`git rev-parse --short HEAD`;
  const commit = git.exitCode === 0 ? git.stdout.trim() : 'unknown';
  const cpus = os.cpus();
  return {
    date: new Date().toISOString().slice(0, 10),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.versions.node,
    commit,
  };
}
