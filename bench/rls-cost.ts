/**
 * Row level security's cost: each dashboard query, with the same explicit
 * filter on the user, run as `authenticated` for that user (policies apply)
 * and as `service_role` (it bypasses them), alternating, over many users and
 * PASSES passes. The ratio of the two medians is the cost of the policies.
 */
import type { Target } from 'pg-tap-runner';
import { HOT_QUERIES, benchUsers, claims, type BenchUser } from './queries.js';
import type { Scale } from './scale.js';
import { rounded, spread, timed, type Spread } from './stats.js';

const PASSES = 3;

export interface RlsCost {
  query: string;
  purpose: string;
  authenticatedMs: Spread;
  serviceRoleMs: Spread;
  /** authenticated median / service_role median */
  ratio: number;
  /** both roles saw the same rows for every user (the filter is the user's own) */
  sameRows: boolean;
}

export async function rlsCostBenchmark(target: Target, scale: Scale, progress: (line: string) => void): Promise<RlsCost[]> {
  const users = benchUsers(scale);
  const results: RlsCost[] = [];
  for (const query of HOT_QUERIES.filter((q) => q.dashboard)) {
    const samples = { authenticated: [] as number[], service_role: [] as number[] };
    let sameRows = true;
    for (let pass = -1; pass < PASSES; pass++) {
      for (const [index, user] of users.entries()) {
        // alternate which role goes first, so neither always finds the cache warm
        const order = (index + pass) % 2 === 0 ? (['authenticated', 'service_role'] as const) : (['service_role', 'authenticated'] as const);
        const rows: Record<string, number> = {};
        for (const role of order) {
          const { ms, count } = await runAs(target, role, user, query.sql, query.params(user, scale, { queryEmbedding: '' }));
          rows[role] = count;
          if (pass >= 0) samples[role].push(ms);
        }
        if (rows['authenticated'] !== rows['service_role']) sameRows = false;
      }
    }
    const authenticatedMs = spread(samples.authenticated);
    const serviceRoleMs = spread(samples.service_role);
    const ratio = Number((authenticatedMs.median / serviceRoleMs.median).toFixed(2));
    progress(`rls: ${query.name}: authenticated ${authenticatedMs.median.toFixed(2)} ms, service_role ${serviceRoleMs.median.toFixed(2)} ms, ratio ${ratio}`);
    results.push({
      query: query.name,
      purpose: query.purpose,
      authenticatedMs: rounded(authenticatedMs),
      serviceRoleMs: rounded(serviceRoleMs),
      ratio,
      sameRows,
    });
  }
  return results;
}

/** Runs `sql` as the role (authenticated: with the user's claims); only the query itself is timed. */
async function runAs(
  target: Target,
  role: 'authenticated' | 'service_role',
  user: BenchUser,
  sql: string,
  params: unknown[],
): Promise<{ ms: number; count: number }> {
  await actAs(target, role, user);
  try {
    const { ms, result } = await timed(() => target.query(sql, params));
    return { ms, count: result.length };
  } finally {
    await actAsOwner(target);
  }
}

/** Sets the session's role and JWT claims as PostgREST does for a request. */
export async function actAs(target: Target, role: 'authenticated' | 'service_role', user: BenchUser): Promise<void> {
  const jwt = role === 'authenticated' ? claims(user) : JSON.stringify({ role: 'service_role' });
  await target.query(`select set_config('request.jwt.claims', $1, false), set_config('role', $2, false)`, [jwt, role]);
}

export async function actAsOwner(target: Target): Promise<void> {
  await target.exec(`reset role; reset request.jwt.claims`);
}
