/**
 * `make bench` (`tsx bench/cli.ts [sections...] [--scale small|full]`):
 * measures, never tests. Builds a fresh database (embedded: in memory; server:
 * reset, behind the same guards as `test`), fills it with the scale data, then
 * measures:
 *
 *   data     how long generating takes and how large the database becomes
 *   vector   match_automations (HNSW) against an exact scan, unfiltered and with
 *            a category: recall@10 distribution, latency, speed-up; ef_search sweep
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
import { ensurePlatform, migrate, openResetTarget, shown, usage, type Config, type Output, type Target } from 'pg-tap-runner';
import { $ } from 'zx';
import { QUERIES_SQL } from './embeddings.js';
import { generate } from './generate.js';
import { planChecks } from './plans.js';
import { failures, renderMarkdown, renderSuiteMarkdown, type BenchResults, type Environment } from './report.js';
import { rlsCostBenchmark } from './rls-cost.js';
import { SCALES, type Scale } from './scale.js';
import { makeTestTimes } from './make-test.js';
import { embeddedPhases, serverPhases } from './suite.js';
import { vectorBenchmark } from './vector.js';

export const SECTIONS = ['data', 'vector', 'rls', 'plans', 'suite'] as const;
export type Section = (typeof SECTIONS)[number];

export async function benchCommand(
  config: Config,
  output: Output,
  sectionWords: string[] = [],
  scaleName: Scale['name'] = 'small',
): Promise<number> {
  const unknown = sectionWords.filter((w) => !(SECTIONS as readonly string[]).includes(w));
  if (unknown.length > 0) throw usage(`unknown bench section ${unknown.join(', ')} (sections: ${SECTIONS.join(', ')})`);
  const sections = new Set<Section>(sectionWords.length > 0 ? (sectionWords as Section[]) : SECTIONS);
  const scale = SCALES[scaleName];
  const started = Date.now();
  const progress = (line: string) => output.info(line);
  output.info(`bench: ${scale.name} scale (${scale.users.toLocaleString('en-US')} users, ${scale.automations.toLocaleString('en-US')} automations), sections ${[...sections].join(', ')}`);

  const results: Omit<BenchResults, 'failures'> = {
    environment: await environment(config, null),
    scale,
    generation: null,
    vector: null,
    rls: null,
    plans: null,
    suite: null,
    durationMs: 0,
  };

  if (['data', 'vector', 'rls', 'plans'].some((s) => sections.has(s as Section))) {
    const target = await openResetTarget(config, output, { memory: true, action: 'reset the database for the benchmark' });
    try {
      await ensurePlatform(target);
      await migrate(target, config, { info: () => {}, warn: (l) => output.warn(l) });
      results.environment = await environment(config, target);
      results.generation = await generate(target, scale, progress);
      output.info(`bench: ${target.label} holds ${(results.generation.databaseBytes / 1024 / 1024).toFixed(0)} MiB after ${(results.generation.totalMs / 1000).toFixed(1)} s`);
      await target.exec(QUERIES_SQL(scale.vectorQueries));
      if (sections.has('vector')) results.vector = await vectorBenchmark(target, scale, progress);
      if (sections.has('rls')) results.rls = await rlsCostBenchmark(target, scale, progress);
      if (sections.has('plans')) results.plans = await planChecks(target, scale, progress);
    } finally {
      await target.close();
    }
  }

  if (sections.has('suite')) {
    const url = config.target.kind === 'server' ? config.target.url : null;
    const embedded = await embeddedPhases({ ...config, target: { kind: 'embedded', dataDir: '' } }, scale.suiteRuns, progress);
    const server = await serverPhases(config, url, scale.suiteRuns, progress);
    const makeTest = await makeTestTimes(config, scale.suiteRuns, progress);
    results.suite = { embedded, server, makeTest };
  }

  results.durationMs = Date.now() - started;
  const complete: BenchResults = { ...results, failures: failures(results) };
  const dir = path.join(config.root, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  // full scale: <date>.json, the figures to commit; small scale gets its own, ignored name
  const base = path.join(dir, `${complete.environment.date}${scale.name === 'full' ? '' : `-${scale.name}`}`);
  await writeFile(`${base}.json`, JSON.stringify(complete, null, 2) + '\n');
  await writeFile(`${base}.md`, renderMarkdown(complete));
  output.info(`bench: wrote ${shown(config, `${base}.json`)} and ${shown(config, `${base}.md`)} in ${(complete.durationMs / 1000).toFixed(0)} s`);
  if (complete.suite !== null) {
    // the suite's figures do not depend on the scale: whichever scale measured them, they are kept (and committed) here
    const suite = path.join(dir, 'suite');
    await writeFile(`${suite}.json`, JSON.stringify({ environment: complete.environment, scale: scale.name, suite: complete.suite }, null, 2) + '\n');
    await writeFile(`${suite}.md`, renderSuiteMarkdown(complete));
    output.info(`bench: wrote ${shown(config, `${suite}.json`)} and ${shown(config, `${suite}.md`)}`);
  }
  if (complete.failures.length > 0) {
    output.warn(chalk.red(`bench: ${complete.failures.length} check${complete.failures.length === 1 ? '' : 's'} failed:`));
    for (const failure of complete.failures) output.warn(chalk.red(`  - ${failure}`));
    return 1;
  }
  output.info('bench: every check passed');
  return 0;
}

async function environment(config: Config, target: Target | null): Promise<Environment> {
  let postgres = 'not measured';
  let pgvector = 'not measured';
  if (target !== null) {
    const [row] = await target.query<{ version: string; vector: string | null }>(
      `select version() as version, (select extversion from pg_extension where extname = 'vector') as vector`,
    );
    // "PostgreSQL 18.6 (PGlite 0.5.14) on wasm32-unknown-emscripten, compiled by ..." without the compiler
    postgres = (row?.version ?? '').replace(/, compiled by.*$/, '');
    pgvector = row?.vector ?? 'not installed';
  }
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
    postgres,
    pgvector,
    target: target?.label ?? (config.target.kind === 'server' ? 'server' : 'embedded'),
    commit,
  };
}
