/**
 * Vector search as the platform runs it: public.match_automations, called as
 * an authenticated user (row level security on), for every query of
 * pg_temp.bench_queries (embeddings.ts's QUERIES_SQL, run first), in two
 * cases: unfiltered, and with one selective filter (a category, an eighth of
 * the catalogue).
 *
 * Each call is made twice: with the function's own settings (the IVFFlat
 * index, trained by private.train_discovery_index() once the catalogue was
 * loaded, and the ivfflat.probes that training set) and exactly: through a
 * copy of the function without its enable_seqscan and enable_sort = off,
 * called with index scans off, so that what is left is a sequential scan and
 * a sort, with the same body, filters and policies. The two alternate query
 * by query, so that a busy machine slows both alike. Recall at 10 is the share of the exact answer the function
 * returns, reported per query as a distribution (worst, 5th percentile,
 * median, mean): a mean hides the business that gets the wrong neighbours.
 * Queries below WORST_TARGET are described: the topics of the rows returned
 * and of the true ones, and how far each lies from the query.
 *
 * A sweep over ivfflat.probes (the function's setting altered for the sweep,
 * then restored to what it was), in both cases, shows what each number of
 * lists read buys: recall, latency and speed-up over the case's exact scan,
 * and so the best speed-up any setting reaches at the recall targets
 * (tradeOff). Counters of a transaction's scans (pg_stat_get_xact_numscans,
 * before and after one call) show the path each mode took: every search of
 * the function a scan of the vector index (its access method: ivfflat), every
 * exact run a sequential scan.
 */
import type { Target } from 'pg-tap-runner';
import { benchUsers, type BenchUser } from './queries.js';
import { actAs, actAsOwner } from './rls-cost.js';
import type { Scale } from './scale.js';
import { quantile, rounded, spread, timed, type Spread } from './stats.js';

export const K = 10;
/** issue 17 and 19: the mean, the worst query, and the speed-up over the exact scan */
export const TARGETS = { meanRecall: 0.98, worstRecall: 0.8, speedup: 20 } as const;
/** from the cheapest search (one list) to every list of the migration's 200 (an exact search through the index) */
const SWEEP = [1, 2, 5, 10, 20, 50, 200];
/** timed passes over every query, each with the function and the exact scan */
const PASSES = 2;
const FUNCTION = 'public.match_automations(extensions.vector, integer, text, text, uuid, boolean)';
/** pgvector's access methods: the migration's (20261206231500) and the graphs', should they come back */
export const VECTOR_METHODS = ['ivfflat', 'hnsw'] as const;
/** the vector indexes of automations (one IVFFlat index since 20261206231500), by their access method rather than their names */
export const VECTOR_INDEXES = `select i.indexrelid from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam
  where i.indrelid = 'public.automations'::regclass and am.amname in (${VECTOR_METHODS.map((m) => `'${m}'`).join(', ')})`;
/** the bench's copy of the function, for the exact runs */
const EXACT = 'pg_temp.bench_match_exact';
const CATEGORIES = ['marketing', 'sales', 'customer-support', 'operations', 'finance', 'hr', 'productivity', 'ecommerce'];

export interface Case {
  name: 'unfiltered' | 'category';
  /** in words, for the report */
  filter: string;
  /** the call, with $1 the query's id and $2 its category */
  sql: string;
}

export const CASES: Case[] = [
  {
    name: 'unfiltered',
    filter: 'none',
    sql: `select id from public.match_automations((select q.embedding from pg_temp.bench_queries q where q.id = $1), ${K})`,
  },
  {
    name: 'category',
    filter: 'filter_category (one of 8, by query)',
    sql: `select id from public.match_automations((select q.embedding from pg_temp.bench_queries q where q.id = $1), ${K}, filter_category => $2)`,
  },
];

export interface RecallDistribution {
  mean: number;
  worst: number;
  p5: number;
  median: number;
  /** queries below TARGETS.worstRecall */
  below: number;
}

export interface Miss {
  query: number;
  recall: number;
  /** topic => rows, of the exact answer and of the function's */
  trueTopics: Record<string, number>;
  returnedTopics: Record<string, number>;
  /** cosine distances to the query, nearest and furthest of the ten */
  trueDistance: [number, number];
  returnedDistance: [number, number];
}

export interface CaseResult {
  name: Case['name'];
  filter: string;
  recall: RecallDistribution;
  functionMs: Spread;
  exactMs: Spread;
  /** exact median / function median */
  speedup: number;
  /** queries that got fewer than K rows from the function */
  shortAnswers: number;
  /** how the function's search and the exact one read automations (one call each) */
  path: Path;
  exactPath: Path;
  misses: Miss[];
}

/** ivfflat or hnsw: a vector index of automations, by its access method; index: another index of automations; seq scan: the whole table */
export type Path = (typeof VECTOR_METHODS)[number] | 'index' | 'seq scan' | 'none';

export interface SweepPoint {
  case: Case['name'];
  /** ivfflat.probes: the lists read */
  probes: number;
  recall: RecallDistribution;
  latencyMs: Spread;
  /** the case's exact median (timed passes) / this point's median */
  speedup: number;
}

export interface VectorResult {
  queries: number;
  k: number;
  automations: number;
  /** the vector indexes (names joined), their access method, and the first one's definition and options (reloptions: lists) */
  index: { name: string; method: string; definition: string; options: Record<string, string> };
  /** the function's own settings (proconfig), as migrated and trained */
  settings: string[];
  /** the function's ivfflat.probes (pgvector's default, 1, when it sets none) */
  probes: number;
  sweep: SweepPoint[];
  cases: CaseResult[];
  /** the recall targets met and the index used, in every case */
  passed: boolean;
}

export async function vectorBenchmark(target: Target, scale: Scale, progress: (line: string) => void): Promise<VectorResult> {
  const ids = Array.from({ length: scale.vectorQueries }, (_, i) => i + 1);
  const user = benchUsers(scale)[0]!;
  const [{ count } = { count: 0 }] = await target.query<{ count: number }>(`select count(*)::int as count from public.automations where published`);
  // one index since 20261206231500; should there be several, the first one's definition and options stand for all
  const [indexRow] = await target.query<{ name: string; method: string; definition: string; options: string[] | null }>(`
    select string_agg(c.relname, ', ' order by c.relname) as name, string_agg(distinct am.amname, ', ') as method,
           min(pg_get_indexdef(c.oid)) as definition, min(c.reloptions::text)::text[] as options
    from pg_class c join pg_am am on am.oid = c.relam where c.oid in (${VECTOR_INDEXES})`);
  const [fn] = await target.query<{ settings: string[] }>(`select coalesce(proconfig, '{}') as settings from pg_proc where oid = '${FUNCTION}'::regprocedure`);
  const settings = fn?.settings ?? [];
  const setProbes = settings.find((s) => s.startsWith('ivfflat.probes='))?.split('=')[1];
  const probes = Number(setProbes ?? 1);
  const { cases, exactAnswers } = await measureCases(target, user, ids, PASSES, progress);
  const category = (id: number) => CATEGORIES[id % CATEGORIES.length]!;

  // what each number of probes buys, in each case, through the same function
  const sweep: SweepPoint[] = [];
  try {
    for (const c of CASES) {
      const params = (id: number) => (c.name === 'category' ? [id, category(id)] : [id]);
      const exact = exactAnswers.get(c.name)!;
      const exactMedian = cases.find((r) => r.name === c.name)!.exactMs.median;
      for (const n of SWEEP) {
        await target.exec(`alter function ${FUNCTION} set ivfflat.probes = ${n}`);
        await actAs(target, 'authenticated', user);
        try {
          await runAll(target, c.sql, ids.slice(0, 5), params);
          const { answers, samples } = await runAll(target, c.sql, ids, params);
          const latencyMs = spread(samples);
          const point: SweepPoint = {
            case: c.name,
            probes: n,
            recall: recallDistribution(answers.map((got, i) => recallAt(got, exact[i]!))),
            latencyMs: rounded(latencyMs),
            speedup: Number((exactMedian / latencyMs.median).toFixed(1)),
          };
          sweep.push(point);
          progress(
            `vector: ${c.name}, probes ${n}: recall@${K} mean ${point.recall.mean.toFixed(3)}, worst ${point.recall.worst}, median ${point.latencyMs.median} ms (${point.speedup}x)`,
          );
        } finally {
          await actAsOwner(target);
        }
      }
    }
  } finally {
    // as it was: the value training set, or none
    await target.exec(`alter function ${FUNCTION} ${setProbes === undefined ? 'reset ivfflat.probes' : `set ivfflat.probes = ${setProbes}`}`);
  }

  return {
    queries: ids.length,
    k: K,
    automations: count,
    index: {
      name: indexRow?.name ?? '',
      method: indexRow?.method ?? '',
      definition: indexRow?.definition ?? '',
      options: indexOptions(indexRow?.options ?? []),
    },
    settings,
    probes,
    sweep,
    cases,
    passed: cases.every((c) => pathProblem(c) === null && c.recall.mean >= TARGETS.meanRecall && c.recall.worst >= TARGETS.worstRecall && c.shortAnswers === 0),
  };
}

/**
 * Both cases, each query through the function and exactly, alternating, over
 * `passes` timed passes (after a warm-up): recall, latency and paths. Needs
 * pg_temp.bench_queries (QUERIES_SQL). The scale curve (curve.ts) uses it too.
 */
export async function measureCases(
  target: Target,
  user: BenchUser,
  ids: number[],
  passes: number,
  progress: (line: string) => void,
): Promise<{ cases: CaseResult[]; exactAnswers: Map<Case['name'], string[][]> }> {
  await target.exec('grant select on pg_temp.bench_queries to authenticated');
  await createExactCopy(target);
  const category = (id: number) => CATEGORIES[id % CATEGORIES.length]!;

  const cases: CaseResult[] = [];
  const exactAnswers = new Map<Case['name'], string[][]>();
  for (const c of CASES) {
    const params = (id: number) => (c.name === 'category' ? [id, category(id)] : [id]);
    const exactSql = c.sql.replace('public.match_automations(', `${EXACT}(`);
    const functionSamples: number[] = [];
    const exactSamples: number[] = [];
    let answers: string[][] = [];
    let exact: string[][] = [];
    await actAs(target, 'authenticated', user);
    try {
      await runAll(target, c.sql, ids.slice(0, 5), params); // warm-up
      for (let pass = 0; pass < passes; pass++) {
        answers = [];
        exact = [];
        for (const [n, id] of ids.entries()) {
          // alternate which goes first, so neither always finds the cache warm
          const order = (n + pass) % 2 === 0 ? (['function', 'exact'] as const) : (['exact', 'function'] as const);
          for (const mode of order) {
            if (mode === 'exact') await exactScan(target, true);
            try {
              const { ms, result } = await timed(() => target.query<{ id: string }>(mode === 'exact' ? exactSql : c.sql, params(id)));
              (mode === 'exact' ? exactSamples : functionSamples).push(ms);
              (mode === 'exact' ? exact : answers).push(result.map((r) => r.id));
            } finally {
              if (mode === 'exact') await exactScan(target, false);
            }
          }
        }
      }
    } finally {
      await actAsOwner(target);
    }
    exactAnswers.set(c.name, exact);
    const recalls = answers.map((got, i) => recallAt(got, exact[i]!));
    const recall = recallDistribution(recalls);
    const functionMs = spread(functionSamples);
    const exactMs = spread(exactSamples);
    const misses: Miss[] = [];
    for (const [i, r] of recalls.entries()) {
      if (r < TARGETS.worstRecall) misses.push(await describeMiss(target, ids[i]!, r, exact[i]!, answers[i]!));
    }
    const result: CaseResult = {
      name: c.name,
      filter: c.filter,
      recall,
      functionMs: rounded(functionMs),
      exactMs: rounded(exactMs),
      speedup: Number((exactMs.median / functionMs.median).toFixed(1)),
      shortAnswers: answers.filter((a) => a.length < K).length,
      path: await pathOf(target, user, c.sql, params(ids[0]!), false),
      exactPath: await pathOf(target, user, exactSql, params(ids[0]!), true),
      misses,
    };
    progress(
      `vector: ${c.name}: recall@${K} mean ${recall.mean.toFixed(3)}, worst ${recall.worst}, p5 ${recall.p5}, median ${recall.median}; ` +
        `function (${result.path}) ${functionMs.median.toFixed(2)} ms, exact (${result.exactPath}) ${exactMs.median.toFixed(2)} ms (${result.speedup}x)`,
    );
    cases.push(result);
  }

  return { cases, exactAnswers };
}

/** Index scans off (and bitmap scans, their other form): what is left is a sequential scan and a sort. */
async function exactScan(target: Target, on: boolean): Promise<void> {
  await target.exec(on ? 'set enable_indexscan = off; set enable_bitmapscan = off' : 'reset enable_indexscan; reset enable_bitmapscan');
}

async function runAll(target: Target, sql: string, ids: number[], params: (id: number) => unknown[]): Promise<{ answers: string[][]; samples: number[] }> {
  const answers: string[][] = [];
  const samples: number[] = [];
  for (const id of ids) {
    const { ms, result } = await timed(() => target.query<{ id: string }>(sql, params(id)));
    answers.push(result.map((r) => r.id));
    samples.push(ms);
  }
  return { answers, samples };
}

/**
 * The bench's copy of match_automations for the exact runs: the same body and
 * settings but enable_seqscan = off and enable_sort = off, which a caller
 * cannot override (a function's own settings win over the session's).
 */
async function createExactCopy(target: Target): Promise<void> {
  const [row] = await target.query<{ definition: string }>(`select pg_get_functiondef('${FUNCTION}'::regprocedure) as definition`);
  const definition = (row?.definition ?? '')
    .replace(/^CREATE OR REPLACE FUNCTION public\.match_automations\(/, `CREATE FUNCTION ${EXACT}(`)
    .replace(/^ SET enable_(seqscan|sort) TO 'off'\n/gm, '');
  await target.exec(definition);
  await target.exec(`grant execute on function ${EXACT} to authenticated`);
}

/** How one call read automations: the scan counters of its own transaction, before and after. */
async function pathOf(target: Target, user: Parameters<typeof actAs>[2], sql: string, params: unknown[], exact: boolean): Promise<Path> {
  const counts = async () => {
    const [row] = await target.query<{ vector: Record<string, number>; others: number; seq: number }>(`
      select (select coalesce(jsonb_object_agg(v.method, v.scans), '{}') from (
                select am.amname as method, sum(pg_stat_get_xact_numscans(c.oid))::int as scans
                  from pg_class c join pg_am am on am.oid = c.relam where c.oid in (${VECTOR_INDEXES}) group by am.amname) v) as vector,
             (select coalesce(sum(pg_stat_get_xact_numscans(i.indexrelid)), 0)::int from pg_index i
               where i.indrelid = 'public.automations'::regclass and i.indexrelid not in (${VECTOR_INDEXES})) as others,
             pg_stat_get_xact_numscans('public.automations'::regclass)::int as seq`);
    return row ?? { vector: {}, others: 0, seq: 0 };
  };
  await target.exec('begin');
  try {
    const before = await counts();
    if (exact) await target.exec('set local enable_indexscan = off; set local enable_bitmapscan = off');
    await actAs(target, 'authenticated', user);
    await target.query(sql, params);
    await actAsOwner(target);
    const after = await counts();
    const method = VECTOR_METHODS.find((m) => (after.vector[m] ?? 0) > (before.vector[m] ?? 0));
    if (method !== undefined) return method;
    if (after.others > before.others) return 'index';
    return after.seq > before.seq ? 'seq scan' : 'none';
  } finally {
    await target.exec('rollback');
    await actAsOwner(target);
  }
}

/** What is wrong with the paths of a case, or null: the function searches a vector index (ivfflat), the exact run scans the table. Pure. */
export function pathProblem(c: Pick<CaseResult, 'path' | 'exactPath'>): string | null {
  if (!(VECTOR_METHODS as readonly string[]).includes(c.path)) return `match_automations read automations by ${c.path}, not its vector index`;
  if (c.exactPath !== 'seq scan') return `the exact run read automations by ${c.exactPath}, not a sequential scan`;
  return null;
}

/** The topics ('topic-N', the generator's first tag) and distances of a query's true and returned rows. */
async function describeMiss(target: Target, query: number, recall: number, exact: string[], returned: string[]): Promise<Miss> {
  const rows = async (ids: string[]) =>
    target.query<{ topic: string; distance: number }>(
      `select a.tags[1] as topic, a.embedding <=> (select q.embedding from pg_temp.bench_queries q where q.id = $1) as distance
         from public.automations a where a.id = any ($2::uuid[]) order by 2`,
      [query, ids],
    );
  const truth = await rows(exact);
  const got = await rows(returned);
  const topics = (list: { topic: string }[]) => Object.fromEntries([...countBy(list.map((r) => r.topic))].sort((a, b) => b[1] - a[1]));
  const range = (list: { distance: number }[]): [number, number] => [
    round4(list[0]?.distance ?? Number.NaN),
    round4(list[list.length - 1]?.distance ?? Number.NaN),
  ];
  return { query, recall, trueTopics: topics(truth), returnedTopics: topics(got), trueDistance: range(truth), returnedDistance: range(got) };
}

/** An index's reloptions ("lists=200") by name. Pure. */
export function indexOptions(reloptions: string[]): Record<string, string> {
  return Object.fromEntries(reloptions.map((o) => [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)]));
}

const round4 = (x: number) => Number(x.toFixed(4));
const countBy = (values: string[]) => values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>());

export interface TradeOff {
  case: Case['name'];
  /** the fastest point that meets both recall targets, or null when none does */
  atTargets: SweepPoint | null;
  /** the fastest point of all, whatever its recall */
  fastest: SweepPoint;
}

/**
 * Per case, what the sweep says about the targets together: the best
 * speed-up at the recall targets, and the best speed-up at all (with the
 * recall it costs). Speed-up ≥ TARGETS.speedup at the recall targets is
 * reached when atTargets reaches it. Pure.
 */
export function tradeOffs(sweep: SweepPoint[]): TradeOff[] {
  const names = [...new Set(sweep.map((p) => p.case))];
  const fastestOf = (points: SweepPoint[]) => points.reduce<SweepPoint | null>((best, p) => (best === null || p.speedup > best.speedup ? p : best), null);
  return names.map((name) => {
    const points = sweep.filter((p) => p.case === name);
    const meeting = points.filter((p) => p.recall.mean >= TARGETS.meanRecall && p.recall.worst >= TARGETS.worstRecall);
    return { case: name, atTargets: fastestOf(meeting), fastest: fastestOf(points)! };
  });
}

/** The share of `exact` found in `got`. Pure. */
export function recallAt(got: string[], exact: string[]): number {
  if (exact.length === 0) return 1;
  const found = new Set(got);
  return exact.filter((id) => found.has(id)).length / exact.length;
}

/** Mean, worst, 5th percentile and median of per-query recalls (the percentile is a query's, not interpolated). Pure. */
export function recallDistribution(recalls: number[]): RecallDistribution {
  const sorted = [...recalls].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.floor((sorted.length - 1) * q)] ?? Number.NaN;
  return {
    mean: Number((recalls.reduce((a, b) => a + b, 0) / Math.max(1, recalls.length)).toFixed(4)),
    worst: sorted[0] ?? Number.NaN,
    p5: at(0.05),
    median: quantile(sorted, 0.5),
    below: recalls.filter((r) => r < TARGETS.worstRecall).length,
  };
}
