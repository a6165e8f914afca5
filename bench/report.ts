/**
 * The benchmark's results: the JSON written to bench/results/<date>.json, and
 * its Markdown summary. renderMarkdown is pure.
 */
import type { Generation } from './generate.js';
import type { PlanCheck } from './plans.js';
import type { RlsCost } from './rls-cost.js';
import type { Scale } from './scale.js';
import type { Spread } from './stats.js';
import type { MakeTestTimes, RunFigures } from './make-test.js';
import type { PhaseTimes } from './suite.js';
import { PHASES } from './suite.js';
import type { CaseResult, VectorResult } from './vector.js';
import type { SeedCalls } from './calls.js';
import { CURVE_TARGETS, curveFindings, type CurvePoint } from './curve.js';
import { TARGETS, pathProblem, tradeOffs } from './vector.js';

export interface Environment {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  commit: string;
}

/** What one target measured: the embedded database, or the server given by its URL. */
export interface TargetResults {
  /** 'embedded' or 'server' */
  name: string;
  /** how it was reached: "embedded (in memory)", "server postgresql://postgres:***@127.0.0.1:54329/postgres" */
  label: string;
  postgres: string;
  pgvector: string;
  /** the server's jit setting as the bench's session found it ('off' on PGlite, which has no JIT) */
  jit: string;
  generation: Generation | null;
  vector: VectorResult | null;
  rls: RlsCost[] | null;
  plans: PlanCheck[] | null;
  /** match_automations per call at the seed's scale */
  calls: SeedCalls | null;
}

export interface BenchResults {
  environment: Environment;
  scale: Scale;
  /** every target measured, side by side: embedded first, then the server */
  targets: TargetResults[];
  /** the scale curve (issue 28), every target's points; null when not asked for */
  curve: CurvePoint[] | null;
  suite: { embedded: PhaseTimes; server: PhaseTimes; makeTest: MakeTestTimes } | null;
  /** every check that failed, in words; empty when all passed */
  failures: string[];
  /** written while the run went on (after a target or a curve point): what is missing was still to come */
  partial?: boolean;
  durationMs: number;
}

/** Everything that makes `make bench` exit 1. Pure. */
export function failures(results: Omit<BenchResults, 'failures'>): string[] {
  const found: string[] = [];
  const several = results.targets.length > 1;
  for (const t of results.targets) found.push(...targetFailures(t).map((f) => (several ? `${t.name}: ${f}` : f)));
  return found;
}

function targetFailures(results: TargetResults): string[] {
  const found: string[] = [];
  for (const c of results.vector?.cases ?? []) {
    const k = results.vector!.k;
    if (c.recall.mean < TARGETS.meanRecall) found.push(`vector search (${c.name}): mean recall@${k} ${c.recall.mean.toFixed(3)} below ${TARGETS.meanRecall}`);
    if (c.recall.worst < TARGETS.worstRecall) {
      found.push(
        `vector search (${c.name}): the worst query's recall@${k} ${c.recall.worst} below ${TARGETS.worstRecall} (${c.recall.below} queries below it)`,
      );
    }
    if (c.shortAnswers > 0) found.push(`vector search (${c.name}): ${c.shortAnswers} queries got fewer than ${k} rows`);
    const problem = pathProblem(c);
    if (problem !== null) found.push(`vector search (${c.name}): ${problem}`);
  }
  for (const check of results.plans ?? []) {
    if (!check.passed) found.push(`plan of ${check.query}: ${check.problems.join('; ')}`);
  }
  for (const cost of results.rls ?? []) {
    if (!cost.sameRows) found.push(`rls: ${cost.query} returned different rows as authenticated and as service_role`);
  }
  return found;
}

const ms = (value: number) => (Number.isFinite(value) ? `${value} ms` : 'n/a');
const s = (value: number) => `${(value / 1000).toFixed(value >= 10_000 ? 1 : 2)} s`;
const range = (x: Spread, unit: (v: number) => string) => `${unit(x.median)} (${unit(x.min)}–${unit(x.max)})`;
const topics = (t: Record<string, number>) =>
  Object.entries(t)
    .map(([name, n]) => `${name.replace(/^topic-/, '')}×${n}`)
    .join(' ');
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/**
 * The results' file name without extension: <date> at full scale, <date>-small (git-ignored) at the small one,
 * <date>-curve when the run measured the scale curve alone (`make bench CURVE=... ARGS=curve`: its figures do not
 * depend on the scale, and a curve run keeps the day's other results). Pure.
 */
export function resultsName(r: Pick<BenchResults, 'environment' | 'scale'> & Partial<Pick<BenchResults, 'targets' | 'curve' | 'suite'>>): string {
  const measured = (r.targets ?? []).some((t) => t.generation !== null || t.vector !== null || t.rls !== null || t.plans !== null || t.calls !== null);
  if (r.curve != null && r.suite == null && !measured) return `${r.environment.date}-curve`;
  return `${r.environment.date}${r.scale.name === 'full' ? '' : `-${r.scale.name}`}`;
}

export function renderMarkdown(r: BenchResults): string {
  const e = r.environment;
  const lines: string[] = [];
  const out = (...more: string[]) => lines.push(...more);
  out(
    `# Benchmark ${e.date} (${r.scale.name} scale)`,
    '',
    `Written by \`make bench${r.scale.name === 'full' ? ' SCALE=full' : ''}${r.targets.some((t) => t.name === 'server') && r.targets.length > 1 ? ' SERVER_URL=…' : ''}` +
      `${r.curve !== null ? ` CURVE=${[...new Set(r.curve.map((p) => p.automations))].join(',')}` : ''}\` (bench/bench.ts) at commit ${e.commit}. ` +
      'Latencies are medians with (min–max) or the 95th percentile as stated; every figure is over repeated runs (n in the JSON beside it).',
    '',
    `- machine: ${e.cpu}, ${e.cores} cores, ${e.memoryGiB} GiB memory, ${e.os}`,
    `- Node.js ${e.node}`,
    ...r.targets.map((t) => `- ${t.name === 'server' ? 'server' : 'embedded'} target: ${t.label}; ${t.postgres}; pgvector ${t.pgvector}; jit ${t.jit}`),
    r.partial ? `- **partial**: written ${s(r.durationMs)} into the run, which went on; what is missing was still to come` : `- total time: ${s(r.durationMs)}`,
    '',
  );
  out('## Result', '');
  if (r.failures.length === 0) out('All checks passed.', '');
  else out(`**${r.failures.length} check${r.failures.length === 1 ? '' : 's'} failed** (make bench exits 1):`, '', ...r.failures.map((f) => `- ${f}`), '');

  if (r.targets.length > 1) out(...sideBySide(r.targets));
  const sectionsOf: [string, keyof TargetResults, (t: TargetResults, out: (...more: string[]) => void) => void][] = [
    ['## 1. Scale data', 'generation', generationLines],
    ['## 2. Vector search', 'vector', vectorLines],
    ['## 3. Row level security cost', 'rls', rlsLines],
    ['## 4. Plans at scale', 'plans', plansLines],
  ];
  for (const [title, key, render] of sectionsOf) {
    const measured = r.targets.filter((t) => t[key] !== null);
    if (measured.length === 0) continue;
    out(title, '');
    for (const t of measured) {
      if (r.targets.length > 1) out(`### ${t.label}`, '');
      render(t, out);
    }
  }
  if (r.targets.some((t) => t.calls !== null)) out(...callsLines(r.targets));
  if (r.curve !== null) out(...curveLines(r.curve, `${resultsName(r)}.svg`));

  if (r.suite !== null) out(...suiteLines(r.suite));
  return lines.join('\n');
}

function generationLines(r: TargetResults, out: (...more: string[]) => void): void {
  if (r.generation === null) return;
  const g = r.generation;
  const total = g.tables.reduce((sum, t) => sum + t.rows, 0);
  out(
    `${total.toLocaleString('en-US')} rows generated in ${s(g.totalMs)} (inserts ${s(g.insertMs)}, vacuum analyze ${s(g.analyzeMs)}; one run). ` +
      `Database size (pg_database_size): **${mib(g.databaseBytes)}**. ` +
      `Once the automations were in, \`select private.train_discovery_index()\` trained the discovery index on them in ${s(g.training.ms)} ` +
      `(within the inserts' time) and set match_automations's \`ivfflat.probes\` to **${g.training.probes}**.`,
    '',
    '| table | rows | insert time | table size | index size |',
    '|---|---:|---:|---:|---:|',
    ...g.tables.map((t) => {
      const size = g.tableBytes.find((b) => b.table === t.table || b.table === `public.${t.table}`);
      return `| ${t.table} | ${t.rows.toLocaleString('en-US')} | ${s(t.ms)} | ${size ? mib(size.bytes) : ''} | ${size ? mib(size.indexBytes) : ''} |`;
    }),
    '',
  );
}

function vectorLines(r: TargetResults, out: (...more: string[]) => void): void {
  if (r.vector === null) return;
  const v = r.vector;
  const dist = (c: Pick<CaseResult, 'recall'>) =>
    `${c.recall.worst.toFixed(1)} | ${c.recall.p5.toFixed(1)} | ${c.recall.median.toFixed(1)} | ${c.recall.mean.toFixed(3)}`;
  out(
    `Top ${v.k} of ${v.automations.toLocaleString('en-US')} published automations (1536 dimensions, cosine) for ${v.queries} query embeddings, ` +
      `through \`public.match_automations\` as an authenticated user (row level security on), against a copy of it without its ` +
      `\`enable_seqscan\` and \`enable_sort = off\`, called with index scans off (exact: a sequential scan and a sort, same body, filters and policies), alternating query by query. ` +
      `Index \`${v.index.name}\` (${v.index.method}${Object.entries(v.index.options)
        .map(([name, value]) => `, ${name} = ${value}`)
        .join('')}), trained on the catalogue by \`private.train_discovery_index()\` after it was loaded; ` +
      `the function's settings: ${v.settings.map((x) => `\`${x}\``).join(', ')}.`,
    '',
    `Targets: mean recall@${v.k} ≥ ${TARGETS.meanRecall}, worst query ≥ ${TARGETS.worstRecall}, speed-up ≥ ${TARGETS.speedup}× (a timing: reported, never a failure).`,
    '',
    `| case | filter | worst | p5 | median | mean recall@${v.k} | function: path, median (p95) | exact: path, median (p95) | speed-up |`,
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...v.cases.map(
      (c) =>
        `| ${c.name} | ${c.filter} | ${dist(c)} | ${c.path}, ${ms(c.functionMs.median)} (${ms(c.functionMs.p95)}) | ${c.exactPath}, ${ms(c.exactMs.median)} (${ms(c.exactMs.p95)}) | ` +
        `**${c.speedup}×**${c.speedup < TARGETS.speedup ? ' (below target)' : ''} |`,
    ),
    '',
    `n = ${v.cases[0]?.functionMs.n ?? 0} calls per mode and case. Queries that got fewer than ${v.k} rows: ${v.cases.map((c) => `${c.name} ${c.shortAnswers}`).join(', ')}.`,
    '',
  );
  const misses = v.cases.flatMap((c) => c.misses.map((m) => ({ ...m, case: c.name })));
  if (misses.length > 0) {
    out(
      `Queries below ${TARGETS.worstRecall}: the topics of the true ten and of the ten returned (topic × rows), and their cosine distances to the query (nearest..furthest).`,
      '',
      '| case | query | recall | true topics | distance | returned topics | distance |',
      '|---|---:|---:|---|---:|---|---:|',
      ...misses.map(
        (m) =>
          `| ${m.case} | ${m.query} | ${m.recall} | ${topics(m.trueTopics)} | ${m.trueDistance.join('..')} | ${topics(m.returnedTopics)} | ${m.returnedDistance.join('..')} |`,
      ),
      '',
    );
  }
  out(
    `What each ivfflat.probes buys, the lists read of ${v.index.options.lists ?? 'the index'} (the function's setting altered for the sweep, then restored; one pass; speed-up over the case's exact median above):`,
    '',
    `| case | probes | worst | p5 | median | mean recall@${v.k} | median | p95 | speed-up |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...v.sweep.map(
      (p) =>
        `| ${p.case} | ${p.probes}${p.probes === v.probes ? ' (set)' : ''} | ${dist(p)} | ${ms(p.latencyMs.median)} | ${ms(p.latencyMs.p95)} | ${p.speedup}× |`,
    ),
    '',
    `The targets together (mean ≥ ${TARGETS.meanRecall}, worst ≥ ${TARGETS.worstRecall}, speed-up ≥ ${TARGETS.speedup}×):`,
    '',
    ...tradeOffs(v.sweep).map((t) => {
      const at = t.atTargets;
      const reached = at !== null && at.speedup >= TARGETS.speedup;
      const verdict = reached ? 'All three targets are met.' : 'No setting meets all three.';
      if (at === t.fastest) return `- ${t.case}: the fastest setting, probes ${at.probes}, meets the recall targets, at ${at.speedup}×. ${verdict}`;
      const best =
        at === null ? 'no probes of the sweep meets the recall targets' : `the best speed-up at the recall targets is ${at.speedup}× (probes ${at.probes})`;
      return (
        `- ${t.case}: ${best}; the fastest setting, probes ${t.fastest.probes}, is ${t.fastest.speedup}× with its worst query at ${t.fastest.recall.worst.toFixed(1)} ` +
        `and a mean of ${t.fastest.recall.mean.toFixed(3)}. ${verdict}`
      );
    }),
    '',
  );
}

function rlsLines(r: TargetResults, out: (...more: string[]) => void): void {
  if (r.rls === null) return;
  out(
    'Each dashboard query with the same explicit user filter, as `authenticated` for the user (policies apply) and as `service_role` (bypassed).',
    '',
    '| query | authenticated median (p95) | service_role median (p95) | ratio |',
    '|---|---:|---:|---:|',
    ...r.rls.map(
      (c) =>
        `| ${c.query} | ${ms(c.authenticatedMs.median)} (${ms(c.authenticatedMs.p95)}) | ${ms(c.serviceRoleMs.median)} (${ms(c.serviceRoleMs.p95)}) | **${c.ratio}** |`,
    ),
    '',
  );
}

function plansLines(r: TargetResults, out: (...more: string[]) => void): void {
  if (r.plans === null) return;
  out(
    '`explain (analyze, buffers, format json)` of each hot query as an authenticated user (plans in the JSON). ' +
      'A Seq Scan of a table over 1,000 rows fails the check.',
    '',
    '| query | check | execution | scans |',
    '|---|---|---:|---|',
    ...r.plans.map(
      (p) =>
        `| ${p.query} | ${p.passed ? 'pass' : `**FAIL**: ${p.problems.join('; ')}`} | ${ms(Number(p.executionMs.toFixed(3)))} | ${[...new Set(p.scans)].join('; ')} |`,
    ),
    '',
  );
}

/** The figures of every target in one table, a column each: what changes between embedded and a server. Pure. */
export function sideBySide(targets: TargetResults[]): string[] {
  const rows: [string, (t: TargetResults) => string][] = [
    ['PostgreSQL', (t) => t.postgres.replace(/ on .*$/, '')],
    ['jit', (t) => t.jit],
    ['scale data generated', (t) => (t.generation ? `${s(t.generation.totalMs)}, ${mib(t.generation.databaseBytes)}` : '–')],
  ];
  const names = [...new Set(targets.flatMap((t) => t.vector?.cases.map((c) => c.name) ?? []))];
  for (const name of names) {
    const c = (t: TargetResults) => t.vector?.cases.find((x) => x.name === name);
    rows.push(
      [`vector, ${name}: match_automations median (p95)`, (t) => (c(t) ? `${ms(c(t)!.functionMs.median)} (${ms(c(t)!.functionMs.p95)})` : '–')],
      [`vector, ${name}: exact scan median (p95)`, (t) => (c(t) ? `${ms(c(t)!.exactMs.median)} (${ms(c(t)!.exactMs.p95)})` : '–')],
      [`vector, ${name}: recall@10 worst / mean`, (t) => (c(t) ? `${c(t)!.recall.worst.toFixed(1)} / ${c(t)!.recall.mean.toFixed(3)}` : '–')],
    );
  }
  for (const query of [...new Set(targets.flatMap((t) => t.rls?.map((x) => x.query) ?? []))]) {
    rows.push([
      `rls, ${query}: authenticated / service_role`,
      (t) => {
        const x = t.rls?.find((y) => y.query === query);
        return x ? `${ms(x.authenticatedMs.median)} / ${ms(x.serviceRoleMs.median)} (**${x.ratio}**)` : '–';
      },
    ]);
  }
  for (const query of [...new Set(targets.flatMap((t) => t.plans?.map((x) => x.query) ?? []))]) {
    rows.push([
      `plan, ${query}: check, execution`,
      (t) => {
        const x = t.plans?.find((y) => y.query === query);
        return x ? `${x.passed ? 'pass' : '**FAIL**'}, ${ms(Number(x.executionMs.toFixed(3)))}` : '–';
      },
    ]);
  }
  rows.push(
    [
      "match_automations at the seed's scale, per call (jit as shipped)",
      (t) => (t.calls ? `**${ms(t.calls.shippedMs.median)}** (p95 ${ms(t.calls.shippedMs.p95)})` : '–'),
    ],
    [
      "match_automations at the seed's scale, per call (jit = off)",
      (t) => (t.calls ? `${ms(t.calls.jitOffMs.median)} (p95 ${ms(t.calls.jitOffMs.p95)})` : '–'),
    ],
  );
  return [
    '## Side by side',
    '',
    'The same measurements on each target in one run; the sections below have every figure. Medians unless stated.',
    '',
    `| figure | ${targets.map((t) => t.name).join(' | ')} |`,
    `|---|${targets.map(() => '---:').join('|')}|`,
    ...rows.map(([label, cell]) => `| ${label} | ${targets.map(cell).join(' | ')} |`),
    '',
  ];
}

/** match_automations per call at the seed's scale, per target. Pure. */
function callsLines(targets: TargetResults[]): string[] {
  const measured = targets.filter((t) => t.calls !== null);
  return [
    "## 6. match_automations per call at the seed's scale",
    '',
    "On a database built as `make db` builds it (bootstrap, migrations, seed.sql), as anon, each seeded published automation's embedding a query, " +
      `${measured[0]?.calls?.shippedMs.n ?? 0} calls per mode alternating: the session as the server ships it, and with \`jit = off\`. ` +
      'A plan priced above jit_above_cost is compiled on every call with JIT on (issue 23); PGlite has no JIT.',
    '',
    '| target | automations | jit, jit_above_cost | function settings | per call, as shipped: median (p95) | per call, jit = off: median (p95) |',
    '|---|---:|---|---|---:|---:|',
    ...measured.map((t) => {
      const c = t.calls!;
      return `| ${t.name} | ${c.automations} | ${c.jit}, ${c.jitAboveCost} | ${c.settings.map((x) => `\`${x}\``).join(', ')} | **${ms(c.shippedMs.median)}** (${ms(c.shippedMs.p95)}) | ${ms(c.jitOffMs.median)} (${ms(c.jitOffMs.p95)}) |`;
    }),
    '',
  ];
}

/** The scale curve: a row per target, size and case, then issue 28's targets at the largest size. Pure. */
export function curveLines(points: CurvePoint[], picture: string): string[] {
  const sorted = [...points].sort((a, b) => a.target.localeCompare(b.target) || a.automations - b.automations);
  const findings = curveFindings(points);
  return [
    '## 7. Scale curve',
    '',
    `![latency against catalogue size](${picture})`,
    '',
    'For each size, a fresh database with only the catalogue (the size in published automations, a twentieth more drafts, 50 topics: the clusters grow), ' +
      "the rows inserted with the migrations' IVFFlat index in place, then (after vacuum analyze) the index trained on them as an operator would: " +
      "`select private.train_discovery_index()` rebuilds its lists and sets the function's `ivfflat.probes` (the index build is that call, maintenance_work_mem 1GB; " +
      "probes / lists is what it set, of the index's lists), then " +
      `${points[0]?.cases[0]?.functionMs.n ?? 0} query embeddings through match_automations and exactly, alternating, unfiltered and with a category filter. ` +
      "Latency in ms; the load average is the machine's (1 minute) before and after the point.",
    '',
    '| target | automations | case | function p50 | p95 | exact p50 | p95 | p50 speed-up | recall@10 worst / mean | insert | index build | index size | probes / lists | load |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...sorted.flatMap((p) =>
      p.cases.map(
        (c) =>
          `| ${p.target} | ${p.automations.toLocaleString('en-US')} | ${c.name} | ${ms(c.functionMs.median)} | ${ms(c.functionMs.p95)} | ${ms(c.exactMs.median)} | ${ms(c.exactMs.p95)} | ` +
          `${c.speedup}× | ${c.recall.worst.toFixed(1)} / ${c.recall.mean.toFixed(3)} | ${s(p.insertMs)} | ${s(p.buildMs)} | ${mib(p.indexBytes)} | ${p.probes} / ${p.lists ?? '–'} | ${p.load.before}–${p.load.after} |`,
      ),
    ),
    '',
    `Issue 28's targets at each target's largest size (worst recall@10 ≥ ${CURVE_TARGETS.worstRecall}, mean ≥ ${CURVE_TARGETS.meanRecall}; ` +
      `the function's p95 ${CURVE_TARGETS.p95Speedup}× below the exact scan's, unfiltered, on the server; reported, never a failure):`,
    '',
    ...findings.map(
      (f) =>
        `- ${f.target}, ${f.automations.toLocaleString('en-US')}, ${f.case}: recall ${f.recallMet ? 'met' : '**missed**'}; p95 speed-up ${f.p95Speedup}×` +
        (f.case === 'unfiltered' ? (f.p95Speedup >= CURVE_TARGETS.p95Speedup ? ' (met)' : ' (**below 20×**)') : ''),
    ),
    '',
  ];
}

/** Section 5: the suite's phases, then `make test` as a developer runs it. */
function suiteLines({ embedded, server, makeTest }: NonNullable<BenchResults['suite']>): string[] {
  return [
    '## 5. The suite',
    '',
    `Each phase of \`make test\`, timed with the runner's own functions, median (min–max) of ${embedded.runs} runs.`,
    '',
    `| phase | ${embedded.target} | ${server.target} |`,
    '|---|---:|---:|',
    ...PHASES.map((p) => `| ${p} | ${range(embedded.phases[p], s)} | ${range(server.phases[p], s)} |`),
    `| total | ${range(embedded.total, s)} | ${range(server.total, s)} |`,
    '',
    `${embedded.files} test files; files that failed: ${embedded.failedFiles} embedded, ${server.failedFiles} server.`,
    '',
    ...makeTestLines(makeTest),
  ];
}

/**
 * bench/results/suite.md: the suite's figures alone, which do not depend on the
 * scale, with the machine and the commit they were measured on.
 */
export function renderSuiteMarkdown(r: BenchResults): string {
  const e = r.environment;
  if (r.suite === null) throw new Error('no suite figures');
  return [
    `# The suite's speed, ${e.date}`,
    '',
    `Written by \`make bench\` (bench/bench.ts, section suite, ${r.scale.name} scale) at commit ${e.commit}; the JSON beside it has every figure.`,
    '',
    `- machine: ${e.cpu}, ${e.cores} cores, ${e.memoryGiB} GiB memory, ${e.os}`,
    `- Node.js ${e.node}`,
    '',
    ...suiteLines(r.suite),
  ].join('\n');
}

/** The order of the runner's own phases in its `time` line. */
const RUN_PHASES = ['start', 'selection', 'database', 'workers', 'files', 'reports'] as const;

function makeTestLines(m: MakeTestTimes): string[] {
  const mem = (x: Spread) => `${Math.round(x.median)} MiB (${Math.round(x.min)}–${Math.round(x.max)})`;
  const row = (name: string, f: RunFigures) =>
    `| ${name} | ${range(f.wallMs, s)} | ${f.cpuMs ? range(f.cpuMs, s) : '–'} | ${f.peakMiB ? mem(f.peakMiB) : '–'} | ` +
    `${RUN_PHASES.map((p) => (f.phases[p] ? s(f.phases[p]!.median) : '–')).join(' | ')} |`;
  const build = Object.entries(m.cold.build)
    .map(([name, x]) => `${name} ${s(x.median)}`)
    .join(', ');
  const worker = (f: RunFigures) =>
    f.phases['worker code'] && f.phases['worker restore'] ? `code ${s(f.phases['worker code'].median)}, restore ${s(f.phases['worker restore'].median)}` : '–';
  return [
    '### `make test` as a developer runs it',
    '',
    `Median (min–max) of ${m.runs} runs each: cold (an empty snapshot folder), warm (the snapshot reused${m.snapshot ? ', as every warm run reported' : ''}), ` +
      `one file warm (\`make test ARGS=${m.oneFile.file}\`). Wall time from outside; ` +
      (m.resources
        ? 'CPU time (user + system, every thread) and peak resident memory by GNU time; '
        : 'no CPU time or peak memory: GNU time (/usr/bin/time) is not installed; ') +
      "the phases are the runner's own `time` line (medians), which add up to its total.",
    '',
    `| run | wall | CPU | peak memory | ${RUN_PHASES.join(' | ')} |`,
    `|---|---:|---:|---:|${RUN_PHASES.map(() => '---:').join('|')}|`,
    row('cold', m.cold),
    row('warm', m.warm),
    row('one file', m.oneFile),
    row('rebuilt', m.rebuilt),
    '',
    "`rebuilt`: the project's snapshot removed, as when a migration changes; the build restores the initdb kept beside it.",
    '',
    `- Cold, the snapshot's build (medians): ${build || '–'}.`,
    `- Rebuilt, the snapshot's build (medians): ${
      Object.entries(m.rebuilt.build)
        .map(([name, x]) => `${name} ${s(x.median)}`)
        .join(', ') || '–'
    }.`,
    `- Each worker, warm (medians): ${worker(m.warm)}; its code loads while the snapshot is checked, so only the rest is waited for (\`workers\`).`,
    `- The warm run's time line (median run): \`${m.warm.line}\`.`,
    `- The cold run's time line (median run): \`${m.cold.line}\`.`,
    ...(m.watch
      ? [
          `- \`watch\`, ${m.watch.file} saved ${m.watch.saveToResultMs.n} times: ${range(m.watch.saveToResultMs, s)} from the save to the result ` +
            `(a 200 ms debounce included); the rerun itself ${range(m.watch.rerunMs, s)}.`,
        ]
      : []),
    `- Machine load (1-minute average): ${m.load.before.toFixed(2)} before, ${m.load.after.toFixed(2)} after.`,
    ...(m.note ? ['', `Note: ${m.note}.`] : []),
    '',
    "Issue 16's targets (2 cores), against the medians:",
    '',
    '| target | limit | measured | |',
    '|---|---:|---:|---|',
    ...m.targets.map((t) => `| ${t.name} | ${t.limit} | ${t.measured} | ${t.met ? 'met' : '**missed**'} |`),
    '',
  ];
}
