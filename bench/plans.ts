/**
 * Plans at scale: `explain (analyze, buffers, format json)` of every hot query
 * as an authenticated user, and the check that none reads a whole large table
 * (a Seq Scan of a table over LARGE_TABLE_ROWS rows) and that each uses the
 * index it must (the vector search, IVFFlat, once the table is large).
 * inspectPlan is pure.
 */
import type { Target } from 'pg-tap-runner';
import { HOT_QUERIES, benchUsers } from './queries.js';
import { actAs, actAsOwner } from './rls-cost.js';
import type { Scale } from './scale.js';

/** A table with more rows than this is large: reading all of it for one user is a finding. */
export const LARGE_TABLE_ROWS = 1_000;

export interface PlanCheck {
  query: string;
  purpose: string;
  sql: string;
  passed: boolean;
  /** "Seq Scan on usage_metrics (1,000,000 rows)", "does not use automations_embedding_idx" */
  problems: string[];
  /** every relation scanned and how: "Index Scan using x on t" */
  scans: string[];
  executionMs: number;
  planningMs: number;
  /** the whole explain output */
  plan: unknown;
}

export interface PlanNode {
  'Node Type'?: string;
  'Relation Name'?: string;
  Schema?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/** Every node of a plan tree, depth first. */
export function* planNodes(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* planNodes(child);
}

/** The scans of a plan and the Seq Scans of large tables (rows by table name). Pure. */
export function inspectPlan(root: PlanNode, rows: Map<string, number>, expect?: { index: string; table: string }): { scans: string[]; problems: string[] } {
  const scans: string[] = [];
  const problems: string[] = [];
  for (const node of planNodes(root)) {
    const type = node['Node Type'] ?? '';
    const relation = node['Relation Name'];
    if (relation === undefined) continue;
    scans.push(`${type}${node['Index Name'] ? ` using ${node['Index Name']}` : ''} on ${relation}`);
    const count = rows.get(relation) ?? 0;
    if (type === 'Seq Scan' && count > LARGE_TABLE_ROWS) {
      problems.push(`Seq Scan on ${relation} (${count.toLocaleString('en-US')} rows)`);
    }
  }
  // on a small table the planner may rightly prefer reading it all
  const large = expect !== undefined && (rows.get(expect.table) ?? 0) > LARGE_TABLE_ROWS;
  if (large && !scans.some((s) => s.includes(` using ${expect.index} `))) {
    problems.push(`does not use ${expect.index}`);
  }
  return { scans, problems };
}

export async function planChecks(target: Target, scale: Scale, progress: (line: string) => void): Promise<PlanCheck[]> {
  const counts = await target.query<{ relname: string; rows: string }>(`
    select c.relname, greatest(c.reltuples, 0)::bigint::text as rows
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind = 'r' and n.nspname in ('public', 'auth')`);
  const rows = new Map(counts.map((r) => [r.relname, Number(r.rows)]));
  const [embedding] = await target.query<{ e: string }>(`select embedding::text as e from pg_temp.bench_queries order by id limit 1`);
  const user = benchUsers(scale)[0]!;
  const checks: PlanCheck[] = [];
  for (const query of HOT_QUERIES) {
    const params = query.params(user, scale, { queryEmbedding: embedding?.e ?? '' });
    await actAs(target, 'authenticated', user);
    let result: Record<string, unknown>[];
    try {
      result = await target.query(`explain (analyze, buffers, format json) ${query.sql}`, params);
    } finally {
      await actAsOwner(target);
    }
    const raw = Object.values(result[0] ?? {})[0];
    const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode; 'Execution Time'?: number; 'Planning Time'?: number }[];
    const { scans, problems } = inspectPlan(plan[0]!.Plan, rows, query.expectIndex);
    const check: PlanCheck = {
      query: query.name,
      purpose: query.purpose,
      sql: query.sql,
      passed: problems.length === 0,
      problems,
      scans,
      executionMs: plan[0]!['Execution Time'] ?? Number.NaN,
      planningMs: plan[0]!['Planning Time'] ?? Number.NaN,
      plan,
    };
    progress(`plans: ${query.name}: ${check.passed ? 'ok' : `FAIL ${problems.join('; ')}`} (${[...new Set(scans)].join(', ')})`);
    checks.push(check);
  }
  return checks;
}
