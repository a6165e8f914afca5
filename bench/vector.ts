/**
 * Vector search: the 10 published automations nearest to a query embedding,
 * through the HNSW index and by an exact scan (index scans off: a sequential
 * scan and a top-10 sort), for every query of pg_temp.bench_queries
 * (embeddings.ts's QUERIES_SQL, run first). The HNSW runs turn sorts off
 * (enable_sort), so that the index, which returns rows in order, is measured
 * even where the planner would rather read the published rows and sort them;
 * whether the planner picks the index by itself is plans.ts's check.
 * Recall at 10 is the share of the exact answer the index returns. ef_search
 * rises through EF_SEARCH until recall reaches TARGET_RECALL; that value is
 * then timed again, and compared with the exact scan.
 */
import type { Target } from 'pg-tap-runner';
import type { Scale } from './scale.js';
import { rounded, spread, timed, type Spread } from './stats.js';

export const TARGET_RECALL = 0.95;
export const K = 10;
const EF_SEARCH = [10, 20, 40, 64, 100, 200, 400];
/** pgvector's default hnsw.ef_search */
const DEFAULT_EF_SEARCH = 40;
/** timed passes over every query at the chosen ef_search, and of the exact scan */
const PASSES = 2;

const NEAREST = `select id from public.automations
 where published
 order by embedding <=> (select q.embedding from pg_temp.bench_queries q where q.id = $1)
 limit ${K}`;

export interface EfSearchPoint {
  efSearch: number;
  recall: number;
  /** the lowest recall of a single query */
  worstRecall: number;
  latencyMs: Spread;
}

export interface VectorResult {
  queries: number;
  k: number;
  automations: number;
  index: { name: string; definition: string; m: number; efConstruction: number };
  sweep: EfSearchPoint[];
  /** the smallest ef_search reaching TARGET_RECALL, null when none does */
  efSearch: number | null;
  recall: number;
  hnswMs: Spread;
  exactMs: Spread;
  /** exact median / HNSW median */
  speedup: number;
  /** the plans, to show that each mode does what it says */
  hnswPlan: string;
  exactPlan: string;
  passed: boolean;
  recommendation: string | null;
}

export async function vectorBenchmark(target: Target, scale: Scale, progress: (line: string) => void): Promise<VectorResult> {
  const ids = Array.from({ length: scale.vectorQueries }, (_, i) => i + 1);
  const [{ count } = { count: 0 }] = await target.query<{ count: number }>(`select count(*)::int as count from public.automations where published`);
  const [indexRow] = await target.query<{ definition: string; options: string[] | null }>(`
    select pg_get_indexdef(c.oid) as definition, c.reloptions as options
      from pg_class c where c.oid = 'public.automations_embedding_idx'::regclass`);
  const option = (name: string, fallback: number) => {
    const found = (indexRow?.options ?? []).find((o) => o.startsWith(`${name}=`));
    return found ? Number(found.split('=')[1]) : fallback;
  };

  // the exact answer, timed
  await target.exec('set enable_indexscan = off');
  let exact: string[][] = [];
  const exactSamples: number[] = [];
  let exactPlan: string;
  try {
    exactPlan = await planText(target, ids[0]!);
    await runAll(target, ids.slice(0, 5)); // warm-up
    for (let pass = 0; pass < PASSES; pass++) {
      const { answers, samples } = await runAll(target, ids);
      exact = answers;
      exactSamples.push(...samples);
    }
  } finally {
    await target.exec('reset enable_indexscan');
  }
  progress(`vector: exact scan of ${count} automations, ${ids.length} queries, median ${spread(exactSamples).median.toFixed(2)} ms`);

  const sweep: EfSearchPoint[] = [];
  let chosen: number | null = null;
  await target.exec('set enable_sort = off');
  try {
    for (const ef of EF_SEARCH) {
      await target.exec(`set hnsw.ef_search = ${ef}`);
      await runAll(target, ids.slice(0, 5));
      const { answers, samples } = await runAll(target, ids);
      const recalls = answers.map((got, i) => recallAt(got, exact[i]!));
      const point = { efSearch: ef, recall: mean(recalls), worstRecall: Math.min(...recalls), latencyMs: rounded(spread(samples)) };
      sweep.push(point);
      progress(`vector: ef_search ${ef}: recall@${K} ${point.recall.toFixed(3)}, median ${point.latencyMs.median} ms`);
      if (point.recall >= TARGET_RECALL) {
        chosen = ef;
        break;
      }
    }
    const ef = chosen ?? EF_SEARCH[EF_SEARCH.length - 1]!;
    await target.exec(`set hnsw.ef_search = ${ef}`);
    const hnswPlan = await planText(target, ids[0]!);
    const hnswSamples: number[] = [];
    let recalls: number[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      const { answers, samples } = await runAll(target, ids);
      recalls = answers.map((got, i) => recallAt(got, exact[i]!));
      hnswSamples.push(...samples);
    }
    const hnswMs = spread(hnswSamples);
    const exactMs = spread(exactSamples);
    const recall = mean(recalls);
    const passed = chosen !== null && hnswPlan.includes('automations_embedding_idx') && !exactPlan.includes('automations_embedding_idx');
    return {
      queries: ids.length,
      k: K,
      automations: count,
      index: {
        name: 'automations_embedding_idx',
        definition: indexRow?.definition ?? '',
        m: option('m', 16),
        efConstruction: option('ef_construction', 64),
      },
      sweep,
      efSearch: chosen,
      recall,
      hnswMs: rounded(hnswMs),
      exactMs: rounded(exactMs),
      speedup: Number((exactMs.median / hnswMs.median).toFixed(1)),
      hnswPlan,
      exactPlan,
      passed,
      recommendation:
        chosen === null
          ? `recall@${K} stays below ${TARGET_RECALL} up to ef_search ${ef}: rebuild automations_embedding_idx with a larger m or ef_construction (for example m = 24, ef_construction = 128) in a new migration`
          : chosen > DEFAULT_EF_SEARCH
            ? `pgvector's default ef_search (${DEFAULT_EF_SEARCH}) gives recall@${K} ${(sweep.find((p) => p.efSearch === DEFAULT_EF_SEARCH)?.recall ?? Number.NaN).toFixed(3)} here: ` +
              `the discovery query should run with \`set local hnsw.ef_search = ${chosen}\` (or a role setting in a new migration); ` +
              'a larger m / ef_construction in a new migration would reach the target at a lower ef_search, at the cost of build time and size'
            : null,
    };
  } finally {
    await target.exec('reset hnsw.ef_search; reset enable_sort');
  }
}

async function runAll(target: Target, ids: number[]): Promise<{ answers: string[][]; samples: number[] }> {
  const answers: string[][] = [];
  const samples: number[] = [];
  for (const id of ids) {
    const { ms, result } = await timed(() => target.query<{ id: string }>(NEAREST, [id]));
    answers.push(result.map((r) => r.id));
    samples.push(ms);
  }
  return { answers, samples };
}

async function planText(target: Target, id: number): Promise<string> {
  const rows = await target.query<Record<string, unknown>>(`explain (costs off) ${NEAREST}`, [id]);
  return rows.map((r) => String(Object.values(r)[0])).join('\n');
}

/** The share of `exact` found in `got`. Pure. */
export function recallAt(got: string[], exact: string[]): number {
  if (exact.length === 0) return 1;
  const found = new Set(got);
  return exact.filter((id) => found.has(id)).length / exact.length;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
