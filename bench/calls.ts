/**
 * match_automations per call at the seed's scale (issue 23): on a database
 * built as `make db` builds it (bootstrap, migrations, seed.sql), called as
 * anon, as the discovery page does over the API, with each seeded published
 * automation's embedding as a query. Two modes, alternating call by call: the
 * session as the server ships it (JIT on where the server has it), and with
 * `jit = off` in the session. A function whose plan is priced above
 * jit_above_cost is compiled on every call with JIT on, and the two differ by
 * the compilation (100-400 ms a call before the fix of issue 23); a function
 * that carries its own `jit` setting, or whose plan is cheap, costs the same
 * in both. PGlite has no JIT: there the two are the same by construction.
 */
import type { Target } from 'pg-tap-runner';
import { rounded, spread, timed, type Spread } from './stats.js';

const FUNCTION = 'public.match_automations(extensions.vector, integer, text, text, uuid, boolean)';
/** timed calls per mode, after WARM_UP of each */
const CALLS = 200;
const WARM_UP = 3;

export interface SeedCalls {
  /** published automations in the seed, each one's embedding a query */
  automations: number;
  /** the server's jit and jit_above_cost, as the session found them */
  jit: string;
  jitAboveCost: string;
  /** the function's own settings (proconfig) */
  settings: string[];
  /** per call, the session's jit as shipped */
  shippedMs: Spread;
  /** per call, jit = off in the session */
  jitOffMs: Spread;
}

export async function seedCalls(target: Target, progress: (line: string) => void): Promise<SeedCalls> {
  await target.exec(`
    drop table if exists pg_temp.bench_seed_queries;
    create temporary table bench_seed_queries as
      select row_number() over (order by a.id)::integer as id, a.embedding
        from public.automations a where a.published and a.embedding is not null;
    grant select on pg_temp.bench_seed_queries to anon;`);
  const [row] = await target.query<{ n: number; jit: string; cost: string; settings: string[] }>(`
    select (select count(*)::int from pg_temp.bench_seed_queries) as n,
           case when pg_jit_available() then current_setting('jit') else 'off (no JIT provider)' end as jit,
           coalesce(current_setting('jit_above_cost', true), 'not available') as cost,
           (select coalesce(proconfig, '{}') from pg_proc where oid = '${FUNCTION}'::regprocedure) as settings`);
  const n = row?.n ?? 0;
  if (n === 0) throw new Error('the seed has no published automation with an embedding to search with');
  const sql = `select id from public.match_automations((select q.embedding from pg_temp.bench_seed_queries q where q.id = $1), 10)`;
  const samples = { shipped: [] as number[], off: [] as number[] };
  await target.exec(`select set_config('request.jwt.claims', '{"role":"anon"}', false); set role anon`);
  try {
    for (let call = -WARM_UP; call < CALLS; call++) {
      const id = 1 + (((call % n) + n) % n);
      // alternate which mode goes first, so neither always finds the cache warm
      for (const mode of call % 2 === 0 ? (['shipped', 'off'] as const) : (['off', 'shipped'] as const)) {
        if (mode === 'off') await target.exec('set jit = off');
        try {
          const { ms } = await timed(() => target.query(sql, [id]));
          if (call >= 0) samples[mode].push(ms);
        } finally {
          if (mode === 'off') await target.exec('reset jit');
        }
      }
    }
  } finally {
    await target.exec('reset role; reset request.jwt.claims');
  }
  const result: SeedCalls = {
    automations: n,
    jit: row?.jit ?? 'not available',
    jitAboveCost: row?.cost ?? 'not available',
    settings: row?.settings ?? [],
    shippedMs: rounded(spread(samples.shipped)),
    jitOffMs: rounded(spread(samples.off)),
  };
  progress(
    `calls: match_automations at the seed's scale (${n} automations) as anon: ${result.shippedMs.median} ms a call (jit ${result.jit}), ${result.jitOffMs.median} ms with jit = off`,
  );
  return result;
}
