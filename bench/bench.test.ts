/** The benchmark's pure parts: statistics, recall, the plan check, the failures that set the exit code, reading the runner's timing lines, the suite's targets; and its one way into the runner. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { benchUuid } from './generate.js';
import { parseBuildLine, parseDuration, parseGnuTime, parseTimeLine, targetChecks, type RunFigures } from './make-test.js';
import { inspectPlan, type PlanNode } from './plans.js';
import { benchUsers } from './queries.js';
import { curveFindings, curveScale, curveSizes, DEFAULT_CURVE, type CurvePoint } from './curve.js';
import { curveLines, failures, renderMarkdown, renderSuiteMarkdown, resultsName, sideBySide, type TargetResults } from './report.js';
import { curveSeries, curveSvg, logTicks } from './svg.js';
import { SCALES, expectedRows } from './scale.js';
import { quantile, spread } from './stats.js';
import { indexOptions, pathProblem, recallAt, recallDistribution, tradeOffs, type SweepPoint } from './vector.js';

test('spread gives the median, quartiles, p95 and range of the samples', () => {
  const s = spread([5, 1, 4, 2, 3]);
  assert.equal(s.n, 5);
  assert.equal(s.median, 3);
  assert.equal(s.min, 1);
  assert.equal(s.max, 5);
  assert.equal(s.q1, 2);
  assert.equal(s.q3, 4);
  assert.equal(quantile([1, 2], 0.5), 1.5);
  assert.ok(Number.isNaN(spread([]).median));
});

test('recall at k is the share of the exact answer found', () => {
  assert.equal(recallAt(['a', 'b', 'c', 'x'], ['a', 'b', 'c', 'd']), 0.75);
  assert.equal(recallAt(['d', 'c', 'b', 'a'], ['a', 'b', 'c', 'd']), 1);
  assert.equal(recallAt([], []), 1);
});

test('the recall distribution names the worst query, the 5th percentile and the median, not only the mean', () => {
  const recalls = [...Array.from({ length: 17 }, () => 1), 0.9, 0.5, 0];
  const d = recallDistribution(recalls);
  assert.equal(d.worst, 0);
  assert.equal(d.p5, 0);
  assert.equal(d.median, 1);
  assert.equal(d.mean, 0.92);
  assert.equal(d.below, 2);
  assert.equal(recallDistribution(Array.from({ length: 100 }, (_, i) => (i < 5 ? 0.5 : 1))).p5, 0.5);
  assert.equal(recallDistribution(Array.from({ length: 100 }, (_, i) => (i < 4 ? 0.5 : 1))).p5, 1);
});

test('a Seq Scan fails the plan check only on a large table', () => {
  const plan: PlanNode = {
    'Node Type': 'Nested Loop',
    Plans: [
      { 'Node Type': 'Seq Scan', 'Relation Name': 'usage_metrics' },
      { 'Node Type': 'Seq Scan', 'Relation Name': 'subscriptions' },
      { 'Node Type': 'Index Scan', 'Relation Name': 'automations', 'Index Name': 'automations_pkey' },
    ],
  };
  const rows = new Map([
    ['usage_metrics', 1_000_000],
    ['subscriptions', 40],
    ['automations', 5_250],
  ]);
  const { scans, problems } = inspectPlan(plan, rows);
  assert.deepEqual(scans, ['Seq Scan on usage_metrics', 'Seq Scan on subscriptions', 'Index Scan using automations_pkey on automations']);
  assert.deepEqual(problems, ['Seq Scan on usage_metrics (1,000,000 rows)']);
});

test('the vector search must use its IVFFlat index once automations is large', () => {
  const sorted: PlanNode = { 'Node Type': 'Sort', Plans: [{ 'Node Type': 'Bitmap Heap Scan', 'Relation Name': 'automations' }] };
  const expect = { index: 'automations_embedding_idx', table: 'automations' };
  assert.deepEqual(inspectPlan(sorted, new Map([['automations', 525]]), expect).problems, []);
  assert.deepEqual(inspectPlan(sorted, new Map([['automations', 5_250]]), expect).problems, ['does not use automations_embedding_idx']);
  const ivfflat: PlanNode = { 'Node Type': 'Index Scan', 'Relation Name': 'automations', 'Index Name': 'automations_embedding_idx' };
  assert.deepEqual(inspectPlan(ivfflat, new Map([['automations', 5_250]]), expect).problems, []);
});

test('the function must search a vector index and the exact run scan the table', () => {
  assert.equal(pathProblem({ path: 'ivfflat', exactPath: 'seq scan' }), null);
  assert.equal(pathProblem({ path: 'hnsw', exactPath: 'seq scan' }), null);
  assert.equal(pathProblem({ path: 'index', exactPath: 'seq scan' }), 'match_automations read automations by index, not its vector index');
  assert.equal(pathProblem({ path: 'seq scan', exactPath: 'seq scan' }), 'match_automations read automations by seq scan, not its vector index');
  assert.equal(pathProblem({ path: 'ivfflat', exactPath: 'ivfflat' }), 'the exact run read automations by ivfflat, not a sequential scan');
});

test("an index's options are read from its reloptions", () => {
  assert.deepEqual(indexOptions(['lists=200']), { lists: '200' });
  assert.deepEqual(indexOptions(['m=16', 'ef_construction=64']), { m: '16', ef_construction: '64' });
  assert.deepEqual(indexOptions([]), {});
});

test('failures name every failed plan and every missed recall target, never a timing', () => {
  const base = { environment: {} as never, scale: SCALES.small, curve: null, suite: null, durationMs: 0 };
  const target = (name: string, more: object): TargetResults =>
    ({
      name,
      label: name,
      postgres: '',
      pgvector: '',
      jit: 'on',
      generation: null,
      vector: null,
      rls: null,
      plans: null,
      calls: null,
      ...more,
    }) as TargetResults;
  assert.deepEqual(failures({ ...base, targets: [target('embedded', {})] }), []);
  const good = { recall: { mean: 0.99, worst: 0.8, p5: 1, median: 1, below: 0 }, shortAnswers: 0, path: 'ivfflat', exactPath: 'seq scan', speedup: 3 };
  const measured = {
    vector: {
      k: 10,
      cases: [
        { ...good, name: 'unfiltered', path: 'index' },
        { ...good, name: 'category', recall: { mean: 0.9, worst: 0.5, p5: 0.7, median: 1, below: 3 }, shortAnswers: 2, exactPath: 'ivfflat' },
      ],
    } as never,
    plans: [{ query: 'usage_this_period', passed: false, problems: ['Seq Scan on usage_metrics (1,000,000 rows)'] } as never],
  };
  const found = failures({ ...base, targets: [target('embedded', measured)] });
  assert.deepEqual(found, [
    'vector search (unfiltered): match_automations read automations by index, not its vector index',
    'vector search (category): mean recall@10 0.900 below 0.98',
    "vector search (category): the worst query's recall@10 0.5 below 0.8 (3 queries below it)",
    'vector search (category): 2 queries got fewer than 10 rows',
    'vector search (category): the exact run read automations by ivfflat, not a sequential scan',
    'plan of usage_this_period: Seq Scan on usage_metrics (1,000,000 rows)',
  ]);
  // with two targets, each failure says whose it is
  const both = failures({ ...base, targets: [target('embedded', {}), target('server', { plans: measured.plans })] });
  assert.deepEqual(both, ['server: plan of usage_this_period: Seq Scan on usage_metrics (1,000,000 rows)']);
});

test('the trade-off per case: the fastest probes at the recall targets, and the fastest at all', () => {
  const point = (c: SweepPoint['case'], probes: number, worst: number, mean: number, speedup: number): SweepPoint => ({
    case: c,
    probes,
    recall: { mean, worst, p5: worst, median: 1, below: 0 },
    latencyMs: spread([1]),
    speedup,
  });
  const sweep = [
    point('unfiltered', 1, 0, 0.8, 15),
    point('unfiltered', 2, 0, 0.97, 12),
    point('unfiltered', 10, 0.8, 0.99, 8),
    point('unfiltered', 200, 1, 1, 7),
    point('category', 1, 0, 0.88, 6),
    point('category', 200, 0.7, 0.99, 1.5),
  ];
  const found = tradeOffs(sweep);
  assert.deepEqual(
    found.map((t) => [t.case, t.atTargets?.probes ?? null, t.fastest.probes]),
    [
      ['unfiltered', 10, 1],
      ['category', null, 1],
    ],
  );
  assert.deepEqual(tradeOffs([]), []);
});

test('the vector section names the IVFFlat index, its lists, its training and the probes the sweep tried', () => {
  const recall = { mean: 1, worst: 1, p5: 1, median: 1, below: 0 };
  const vectorCase = (name: 'unfiltered' | 'category') => ({
    name,
    filter: name === 'unfiltered' ? 'none' : 'filter_category (one of 8, by query)',
    recall,
    functionMs: spread([2]),
    exactMs: spread([20]),
    speedup: 10,
    shortAnswers: 0,
    path: 'ivfflat' as const,
    exactPath: 'seq scan' as const,
    misses: [],
  });
  const sweepPoint = (probes: number, speedup: number): SweepPoint => ({ case: 'unfiltered', probes, recall, latencyMs: spread([1]), speedup });
  const target: TargetResults = {
    name: 'server',
    label: 'server',
    postgres: 'PostgreSQL 15',
    pgvector: '0.8.0',
    jit: 'on',
    generation: {
      tables: [],
      training: { ms: 1500, probes: 10 },
      insertMs: 1,
      analyzeMs: 1,
      totalMs: 2,
      databaseBytes: 1,
      tableBytes: [],
    },
    vector: {
      queries: 100,
      k: 10,
      automations: 5_000,
      index: {
        name: 'automations_embedding_idx',
        method: 'ivfflat',
        definition: 'CREATE INDEX automations_embedding_idx ...',
        options: { lists: '200' },
      },
      settings: ['ivfflat.probes=10', 'ivfflat.iterative_scan=relaxed_order'],
      probes: 10,
      sweep: [sweepPoint(1, 30), sweepPoint(10, 20), sweepPoint(200, 1)],
      cases: [vectorCase('unfiltered'), vectorCase('category')],
      passed: true,
    },
    rls: null,
    plans: null,
    calls: null,
  };
  const environment = { date: '2026-12-07', cpu: 'cpu', cores: 2, memoryGiB: 4, os: 'Linux', node: '20', commit: 'abc' };
  const text = renderMarkdown({ environment, scale: SCALES.full, targets: [target], curve: null, suite: null, failures: [], durationMs: 1 });
  assert.match(text, /Index `automations_embedding_idx` \(ivfflat, lists = 200\), trained on the catalogue by `private\.train_discovery_index\(\)`/);
  assert.match(text, /set match_automations's `ivfflat\.probes` to \*\*10\*\*/);
  assert.match(text, /^\| case \| probes \| worst \|/m);
  assert.match(text, /^\| unfiltered \| 10 \(set\) \| 1\.0 \|/m);
  assert.match(text, /^\| unfiltered \| none \| .* \| ivfflat, 2 ms \(2 ms\) \| seq scan, 20 ms \(20 ms\) \| \*\*10×\*\*/m);
  assert.match(text, /- unfiltered: the fastest setting, probes 1, meets the recall targets, at 30×\. All three targets are met\./);
  assert.doesNotMatch(text, /HNSW|graph|ef_search|ef_construction/);
});

test("the scales give the issue's row counts, and ids follow the generator's scheme", () => {
  const full = expectedRows(SCALES.full);
  assert.equal(full['auth.users'], 10_000);
  assert.equal(full['weekly_discoveries'], 50_000);
  assert.equal(full['automation_progress'], 200_000);
  assert.equal(full['usage_metrics'], 1_000_000);
  assert.equal(SCALES.full.automations, 5_000);
  assert.equal(benchUuid(1, 255), '00000001-0000-4000-8000-0000000000ff');
});

test('benchmark users are distinct and never admins', () => {
  const users = benchUsers(SCALES.small);
  assert.equal(users.length, SCALES.small.dashboardUsers);
  assert.equal(new Set(users.map((u) => u.n)).size, users.length);
  assert.ok(users.every((u) => u.n % 1000 !== 0 && u.n >= 1 && u.n <= SCALES.small.users));
});

test("the bench reaches the runner only through the package's API (import from 'pg-tap-runner')", () => {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const reaching: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(path.join(dir, file), 'utf8').matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'/g)) {
      const specifier = m[1] ?? m[2]!;
      if (/(^|\/)runner\//.test(specifier) || specifier.startsWith('pg-tap-runner/')) reaching.push(`bench/${file}: ${specifier}`);
    }
  }
  assert.deepEqual(reaching, []);
});

test("the runner's time line is read phase by phase, and its phases add up to its total", () => {
  const output = [
    'database: snapshot built in 6.2 s (hash 20 ms, PGlite with initdb 2.1 s, bootstrap 393 ms, migrations 452 ms, setup files 1.2 s, dump 300 ms, save 40 ms; hash 0123456789abcdef) and kept in .data/snapshots/0123456789abcdef.tar',
    'time        4.4 s: start 467 ms, selection 12 ms, database 42 ms, 1 worker ready 982 ms (each: code 814 ms, restore 689 ms), files 2.9 s, reports 46 ms',
    '1265 passed, 0 failed',
  ].join('\n');
  const times = parseTimeLine(output);
  const phases = ['start', 'selection', 'database', 'workers', 'files', 'reports'].reduce((sum, p) => sum + times[p]!, 0);
  assert.deepEqual(times, {
    total: 4400,
    start: 467,
    selection: 12,
    database: 42,
    workers: 982,
    'worker code': 814,
    'worker restore': 689,
    files: 2900,
    reports: 46,
  });
  assert.equal(phases, 4449);
  assert.deepEqual(parseTimeLine('time        9.1 s: start 300 ms, selection 10 ms, database 4.0 s, connections 5 ms, files 4.7 s, reports 20 ms'), {
    total: 9100,
    start: 300,
    selection: 10,
    database: 4000,
    connections: 5,
    files: 4700,
    reports: 20,
  });
  assert.deepEqual(parseTimeLine('2 workers ready'), {});
  assert.deepEqual(parseBuildLine(output), {
    hash: 20,
    'PGlite with initdb': 2100,
    bootstrap: 393,
    migrations: 452,
    'setup files': 1200,
    dump: 300,
    save: 40,
  });
  assert.equal(parseDuration('2.9 s'), 2900);
  assert.ok(Number.isNaN(parseDuration('soon')));
  assert.deepEqual(parseGnuTime('3.62 3.10 0.30 281600\n'), { wallMs: 3620, cpuMs: 3400, peakMiB: 275 });
  assert.equal(parseGnuTime('Command exited with non-zero status 1\n'), null);
});

test("the suite's targets compare medians with issue 16's limits", () => {
  const run = (wall: number, cpu: number | null, peak: number | null): RunFigures => ({
    wallMs: spread([wall]),
    cpuMs: cpu === null ? null : spread([cpu]),
    peakMiB: peak === null ? null : spread([peak]),
    phases: {},
    build: {},
    line: '',
  });
  const checks = targetChecks({
    warm: run(4400, 3500, 410),
    cold: run(8100, 7000, 500),
    oneFile: { ...run(1500, 1000, 200), file: 'supabase/tests/200_rls_user_profiles.sql' },
    watch: { file: 'x', saveToResultMs: spread([450]), rerunMs: spread([200]) },
  });
  assert.deepEqual(
    checks.map((c) => [c.name, c.measured, c.met]),
    [
      ['warm make test, wall', '4.40 s', true],
      ['warm make test, CPU', '3.50 s', true],
      ['warm make test, peak memory', '410 MiB', false],
      ['cold make test, wall', '8.10 s', false],
      ['one file warm (200_rls_user_profiles.sql), wall', '1.50 s', true],
      ['watch: a saved test file to its result', '0.45 s', true],
    ],
  );
  assert.deepEqual(
    targetChecks({ warm: run(4000, null, null), cold: run(7000, null, null), oneFile: { ...run(1000, null, null), file: 'f.sql' }, watch: null }).map(
      (c) => c.name,
    ),
    ['warm make test, wall', 'cold make test, wall', 'one file warm (f.sql), wall'],
  );
});

test('the suite section renders in the full results and alone in suite.md, with the targets', () => {
  const run = (wall: number): RunFigures => ({
    wallMs: spread([wall]),
    cpuMs: spread([wall / 2]),
    peakMiB: spread([250]),
    phases: { start: spread([300]), selection: spread([10]), database: spread([50]), workers: spread([400]), files: spread([2500]), reports: spread([40]) },
    build: { 'PGlite with initdb': spread([2000]) },
    line: '3.3 s: start 300 ms, …',
  });
  const phases = Object.fromEntries(['start', 'bootstrap', 'migrations', 'seed', 'tests'].map((p) => [p, spread([100])]));
  const suite = {
    embedded: { target: 'embedded (in memory)', runs: 5, phases, total: spread([500]), files: 22, failedFiles: 0 },
    server: { target: 'db serve', runs: 5, phases, total: spread([600]), files: 22, failedFiles: 0 },
    makeTest: {
      runs: 5,
      snapshot: true,
      cold: run(6000),
      warm: run(3300),
      oneFile: { ...run(1200), file: 'supabase/tests/200_rls_user_profiles.sql' },
      rebuilt: run(4000),
      watch: { file: 'supabase/tests/200_rls_user_profiles.sql', saveToResultMs: spread([400]), rerunMs: spread([150]) },
      load: { before: 0.5, after: 0.7 },
      resources: true,
      targets: [],
      exitCodes: [0],
      note: null,
    },
  } as never;
  const environment = { date: '2026-12-01', cpu: 'cpu', cores: 2, memoryGiB: 4, os: 'Linux', node: '20', commit: 'abc' };
  const results = { environment, scale: SCALES.small, targets: [], curve: null, suite, failures: [], durationMs: 1 };
  const full = renderMarkdown(results);
  const alone = renderSuiteMarkdown(results);
  for (const text of [full, alone]) {
    assert.match(text, /^## 5\. The suite$/m);
    assert.match(
      text,
      /^\| warm \| 3\.30 s \(3\.30 s–3\.30 s\) \| 1\.65 s \(1\.65 s–1\.65 s\) \| 250 MiB \(250–250\) \| 0\.30 s \| 0\.01 s \| 0\.05 s \| 0\.40 s \| 2\.50 s \| 0\.04 s \|$/m,
    );
  }
  assert.match(alone, /^# The suite's speed, 2026-12-01$/m);
  assert.doesNotMatch(alone, /## 1\. Scale data/);
});

/** A curve point with the given medians and p95s (function, exact) per case. */
function point(target: string, automations: number, unfiltered: [number, number], category: [number, number], worst = 1): CurvePoint {
  const c = (name: 'unfiltered' | 'category', [f, e]: [number, number]) => ({
    name,
    recall: { mean: worst === 1 ? 1 : 0.995, worst, p5: 1, median: 1, below: 0 },
    functionMs: { ...spread([f]), p95: f * 2 },
    exactMs: { ...spread([e]), p95: e * 1.5 },
    speedup: Number((e / f).toFixed(1)),
    shortAnswers: 0,
    path: 'ivfflat' as const,
    exactPath: 'seq scan' as const,
  });
  return {
    target,
    automations,
    insertMs: 1000,
    buildMs: 2000,
    probes: automations >= 2_000 ? 10 : 200,
    lists: 200,
    indexBytes: 40 * 1024 * 1024,
    tableBytes: 1,
    buildWorkers: 2,
    cases: [c('unfiltered', unfiltered), c('category', category)],
    load: { before: 1, after: 2 },
    durationMs: 1,
  };
}

test('curve sizes: commas, k for thousands, sorted and distinct; none gives the default; nonsense is a usage problem', () => {
  assert.deepEqual(curveSizes('50000,5000,20k,5_000'), { sizes: [5_000, 20_000, 50_000], problems: [] });
  assert.deepEqual(curveSizes(''), { sizes: DEFAULT_CURVE, problems: [] });
  assert.deepEqual(curveSizes('5000,lots').problems, ['--curve sizes must be whole numbers from 1000 to 1000000 (got lots)']);
  assert.deepEqual(curveSizes('10').problems, ['--curve sizes must be whole numbers from 1000 to 1000000 (got 10)']);
  const scale = curveScale(20_000);
  assert.equal(scale.automations, 20_000);
  assert.equal(scale.drafts, 1_000);
  assert.equal(scale.topics, 50);
});

test("the curve's findings are taken at each target's largest size: p95 speed-up and the recall targets", () => {
  const points = [point('server', 50_000, [2, 100], [3, 20], 0.8), point('server', 5_000, [1, 10], [1, 2]), point('embedded', 20_000, [5, 200], [6, 40])];
  assert.deepEqual(
    curveFindings(points).map((f) => [f.target, f.automations, f.case, f.p95Speedup, f.recallMet]),
    [
      ['server', 50_000, 'unfiltered', 37.5, false],
      ['server', 50_000, 'category', 5, false],
      ['embedded', 20_000, 'unfiltered', 30, true],
      ['embedded', 20_000, 'category', 5, true],
    ],
  );
  const lines = curveLines(points, '2026-12-06.svg').join('\n');
  assert.match(lines, /!\[latency against catalogue size\]\(2026-12-06\.svg\)/);
  assert.match(
    lines,
    /^\| server \| 5,000 \| unfiltered \| 1 ms \| 2 ms \| 10 ms \| 15 ms \| 10× \| 1\.0 \/ 1\.000 \| 1\.00 s \| 2\.00 s \| 40 MiB \| 10 \/ 200 \| 1–2 \|$/m,
  );
  assert.match(lines, /private\.train_discovery_index\(\)/);
  assert.doesNotMatch(lines, /HNSW|graph|ef_search/);
  assert.match(lines, /- server, 50,000, unfiltered: recall \*\*missed\*\*; p95 speed-up 37\.5× \(met\)/);
});

test('the picture has a line per target, case and mode, in size order, on log axes', () => {
  const points = [point('server', 50_000, [2, 100], [3, 20]), point('server', 5_000, [1, 10], [1, 2]), point('embedded', 5_000, [5, 50], [6, 9])];
  const series = curveSeries(points);
  assert.deepEqual(
    series.map((s) => [s.label, s.dashed, s.points.map((p) => p.x)]),
    [
      ['server, unfiltered, match_automations', false, [5_000, 50_000]],
      ['server, unfiltered, exact scan', true, [5_000, 50_000]],
      ['server, category, match_automations', false, [5_000, 50_000]],
      ['server, category, exact scan', true, [5_000, 50_000]],
      ['embedded, unfiltered, match_automations', false, [5_000]],
      ['embedded, unfiltered, exact scan', true, [5_000]],
      ['embedded, category, match_automations', false, [5_000]],
      ['embedded, category, exact scan', true, [5_000]],
    ],
  );
  assert.deepEqual(
    series[1]!.points.map((p) => p.y),
    [10, 100],
  );
  // one colour per target and case, shared by its two modes
  assert.equal(series[0]!.colour, series[1]!.colour);
  assert.notEqual(series[0]!.colour, series[2]!.colour);
  assert.deepEqual(logTicks(1, 100), [1, 2, 5, 10, 20, 50, 100]);
  assert.deepEqual(logTicks(0.1, 1), [0.1, 0.2, 0.5, 1]);

  const svg = curveSvg(series, 'sizes & <latency>');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>\n$/);
  assert.match(svg, /sizes &amp; &lt;latency&gt;/);
  const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1]!.split(' ').map((xy) => xy.split(',').map(Number)));
  assert.equal(lines.length, 8);
  assert.equal(lines[0]!.length, 2);
  // larger catalogues further right, slower searches higher up (smaller y)
  assert.ok(lines[1]![1]![0]! > lines[1]![0]![0]!);
  assert.ok(lines[1]![1]![1]! < lines[1]![0]![1]!);
  // the exact scan (100 ms) above the function (2 ms) at 50,000
  assert.ok(lines[1]![1]![1]! < lines[0]![1]![1]!);
  assert.equal((svg.match(/stroke-dasharray/g) ?? []).length, 8);
  assert.match(svg, />50k</);
  assert.match(svg, />100 ms</);
  assert.doesNotMatch(curveSvg([], 'nothing yet'), /NaN|Infinity/);
});

test('side by side: a column per target, a row per figure', () => {
  const t = (name: string, shipped: number): TargetResults => ({
    name,
    label: name,
    postgres: `PostgreSQL 15 on ${name}`,
    pgvector: '0.8',
    jit: name === 'server' ? 'on' : 'off (no JIT provider)',
    generation: null,
    vector: null,
    rls: null,
    plans: null,
    calls: { automations: 39, jit: 'on', jitAboveCost: '100000', settings: [], shippedMs: spread([shipped]), jitOffMs: spread([1]) },
  });
  const lines = sideBySide([t('embedded', 1.5), t('server', 300)]).join('\n');
  assert.match(lines, /^\| figure \| embedded \| server \|$/m);
  assert.match(lines, /^\| jit \| off \(no JIT provider\) \| on \|$/m);
  assert.match(
    lines,
    /^\| match_automations at the seed's scale, per call \(jit as shipped\) \| \*\*1\.5 ms\*\* \(p95 1\.5 ms\) \| \*\*300 ms\*\* \(p95 300 ms\) \|$/m,
  );
  assert.equal(resultsName({ environment: { date: '2026-12-06' } as never, scale: SCALES.full }), '2026-12-06');
  assert.equal(resultsName({ environment: { date: '2026-12-06' } as never, scale: SCALES.small }), '2026-12-06-small');
  // the curve alone keeps the day's other results
  assert.equal(
    resultsName({
      environment: { date: '2026-12-06' } as never,
      scale: SCALES.small,
      targets: [t('server', 1)].map((x) => ({ ...x, calls: null })),
      curve: [],
      suite: null,
    }),
    '2026-12-06-curve',
  );
  assert.equal(
    resultsName({ environment: { date: '2026-12-06' } as never, scale: SCALES.small, targets: [t('server', 1)], curve: [], suite: null }),
    '2026-12-06-small',
  );
});
