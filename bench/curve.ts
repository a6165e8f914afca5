/**
 * The scale curve (issue 28): how discovery behaves as the catalogue grows.
 * For each catalogue size, on each target, a fresh database (bootstrap and
 * migrations) receives only the catalogue: `size` published automations and a
 * twentieth more drafts, in CURVE_TOPICS topics (the full scale's: the topics
 * stay, the clusters grow, as a catalogue grows by more automations of the
 * same kinds). The rows go in with the migrations' index in place (one
 * IVFFlat index, 20261206231500: an insert only adds the row to the nearest
 * of lists the empty table gave random centres), then, after vacuum analyze,
 * the catalogue is trained as an operator would after loading it:
 * `select private.train_discovery_index()` rebuilds the index on the rows and
 * sets match_automations's ivfflat.probes (20 from 2,000 embeddings, every
 * list below). That call is the build time asked for, and the probes it
 * returns are recorded; maintenance_work_mem is raised for it, as an operator
 * would for a rebuild. The index size is that of every vector index of
 * automations.
 *
 * Then both cases of vector.ts (unfiltered, one category), each query through
 * match_automations and exactly, alternating: p50 and p95 latency, recall@10
 * (worst and mean), the paths taken. The load average before and after each
 * point says how busy the shared machine was.
 *
 * curveSizes and the summary (curveFindings) are pure.
 */
import os from 'node:os';
import type { Target } from 'pg-tap-runner';
import { EMBEDDING_SQL, QUERIES_SQL } from './embeddings.js';
import { HELPERS, automationsInsertSql, train } from './generate.js';
import { benchUsers } from './queries.js';
import { SCALES, type Scale } from './scale.js';
import { timed } from './stats.js';
import { VECTOR_INDEXES, indexOptions, measureCases, type CaseResult, type Case } from './vector.js';

/** The default sizes of `--curve` given without sizes. */
export const DEFAULT_CURVE = [5_000, 20_000, 50_000];
/** the full scale's topics; the clusters grow with the catalogue */
export const CURVE_TOPICS = 50;
/** query embeddings per point, each timed once per mode and case */
export const CURVE_QUERIES = 100;
const CURVE_PASSES = 1;
const CHUNK = 2_000;
/** the migrations' vector indexes of automations (one IVFFlat index, 20261206231500) */
const INDEXES = VECTOR_INDEXES;
/** for the training: k-means over a sample of the rows (at 50,000, the index is about 200 MB of half-precision vectors) */
const BUILD_MEMORY = '1GB';

export interface CurvePoint {
  /** 'embedded' or 'server': which target */
  target: string;
  automations: number;
  /** inserting the catalogue, the index in place */
  insertMs: number;
  /** select private.train_discovery_index(): the index rebuilt on the catalogue */
  buildMs: number;
  /** the function's ivfflat.probes that training set (what it returned) */
  probes: number;
  /** the index's lists (its reloptions), null when it has none */
  lists: number | null;
  /** every vector index of automations */
  indexBytes: number;
  tableBytes: number;
  /** max_parallel_maintenance_workers during the training */
  buildWorkers: number;
  cases: Pick<CaseResult, 'name' | 'recall' | 'functionMs' | 'exactMs' | 'speedup' | 'shortAnswers' | 'path' | 'exactPath'>[];
  /** 1-minute load average before and after the point */
  load: { before: number; after: number };
  durationMs: number;
}

/** The scale one curve point generates with: the full scale's shape, `size` published automations. */
export function curveScale(size: number): Scale {
  return { ...SCALES.full, automations: size, drafts: Math.round(size / 20), topics: CURVE_TOPICS, vectorQueries: CURVE_QUERIES };
}

/**
 * `--curve` / CURVE: sizes separated by commas ("5000,20000,50000", "20k"),
 * ascending and distinct; an empty text gives DEFAULT_CURVE. Pure.
 */
export function curveSizes(text: string): { sizes: number[]; problems: string[] } {
  if (text.trim() === '' || text === 'true') return { sizes: DEFAULT_CURVE, problems: [] };
  const problems: string[] = [];
  const sizes: number[] = [];
  for (const word of text.split(',').map((w) => w.trim().toLowerCase().replace(/_/g, ''))) {
    const m = /^(\d+)(k?)$/.exec(word);
    const size = m ? Number(m[1]) * (m[2] === 'k' ? 1000 : 1) : Number.NaN;
    if (!Number.isInteger(size) || size < 1_000 || size > 1_000_000)
      problems.push(`--curve sizes must be whole numbers from 1000 to 1000000 (got ${word || 'nothing'})`);
    else sizes.push(size);
  }
  return { sizes: [...new Set(sizes)].sort((a, b) => a - b), problems };
}

/** One point: the catalogue of `size` on a fresh, migrated target. */
export async function curvePoint(target: Target, label: string, size: number, progress: (line: string) => void): Promise<CurvePoint> {
  const started = Date.now();
  const load = os.loadavg()[0]!;
  const scale = curveScale(size);
  await target.exec(HELPERS);
  await target.exec(EMBEDDING_SQL(scale));
  const total = scale.automations + scale.drafts;
  const insert = automationsInsertSql(scale);
  const { ms: insertMs } = await timed(async () => {
    for (let first = 1; first <= total; first += CHUNK) {
      await target.query(insert, [first, Math.min(total, first + CHUNK - 1)]);
      progress(
        `curve: ${label} ${size.toLocaleString('en-US')}: automations ${Math.min(total, first + CHUNK - 1).toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`,
      );
    }
  });
  await target.exec('vacuum (analyze) public.automations');
  await target.exec(`set maintenance_work_mem = '${BUILD_MEMORY}'`);
  const { ms: buildMs, probes } = await train(target);
  await target.exec('reset maintenance_work_mem');
  const [sizes] = await target.query<{ index: string; table: string; workers: string; options: string[] | null }>(`
    select (select sum(pg_relation_size(indexrelid)) from (${INDEXES}) i)::text as index, pg_table_size('public.automations'::regclass)::text as table,
           current_setting('max_parallel_maintenance_workers') as workers,
           (select min(c.reloptions::text)::text[] from pg_class c where c.oid in (${INDEXES})) as options`);
  const lists = indexOptions(sizes?.options ?? []).lists;
  progress(
    `curve: ${label} ${size.toLocaleString('en-US')}: inserted in ${(insertMs / 1000).toFixed(1)} s, ` +
      `index trained in ${(buildMs / 1000).toFixed(1)} s (private.train_discovery_index(): probes ${probes}${lists ? ` of ${lists} lists` : ''})`,
  );
  await target.exec('analyze public.automations');
  await target.exec(QUERIES_SQL(scale.vectorQueries));
  const ids = Array.from({ length: scale.vectorQueries }, (_, i) => i + 1);
  const { cases } = await measureCases(target, benchUsers(scale)[0]!, ids, CURVE_PASSES, (line) =>
    progress(`curve: ${label} ${size.toLocaleString('en-US')}: ${line}`),
  );
  return {
    target: label,
    automations: size,
    insertMs: Math.round(insertMs),
    buildMs: Math.round(buildMs),
    probes,
    lists: lists === undefined ? null : Number(lists),
    indexBytes: Number(sizes?.index ?? 0),
    tableBytes: Number(sizes?.table ?? 0),
    buildWorkers: Number(sizes?.workers ?? 0),
    cases: cases.map(({ name, recall, functionMs, exactMs, speedup, shortAnswers, path, exactPath }) => ({
      name,
      recall,
      functionMs,
      exactMs,
      speedup,
      shortAnswers,
      path,
      exactPath,
    })),
    load: { before: Number(load.toFixed(2)), after: Number(os.loadavg()[0]!.toFixed(2)) },
    durationMs: Date.now() - started,
  };
}

/** Issue 28's targets at the largest size: worst recall@10 ≥ 0.9, mean ≥ 0.99, and the function's p95 on the server 20× below the exact scan's unfiltered. */
export const CURVE_TARGETS = { worstRecall: 0.9, meanRecall: 0.99, p95Speedup: 20 } as const;

export interface CurveFinding {
  target: string;
  automations: number;
  case: Case['name'];
  /** exact p95 / function p95 */
  p95Speedup: number;
  recallMet: boolean;
}

/** At each target's largest size, per case: the p95 speed-up and whether the recall targets hold. Pure. */
export function curveFindings(points: CurvePoint[]): CurveFinding[] {
  const findings: CurveFinding[] = [];
  for (const target of [...new Set(points.map((p) => p.target))]) {
    const largest = points.filter((p) => p.target === target).reduce((a, b) => (b.automations > a.automations ? b : a));
    for (const c of largest.cases) {
      findings.push({
        target,
        automations: largest.automations,
        case: c.name,
        p95Speedup: Number((c.exactMs.p95 / c.functionMs.p95).toFixed(1)),
        recallMet: c.recall.worst >= CURVE_TARGETS.worstRecall && c.recall.mean >= CURVE_TARGETS.meanRecall,
      });
    }
  }
  return findings;
}
