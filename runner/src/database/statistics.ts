/**
 * Table statistics after a build, as a server has them once autovacuum has
 * analyzed the seeded tables. A server analyzes at a moment nobody controls;
 * PGlite never does. The runner analyzes right after the seed (unless
 * `--no-analyze`), so the embedded run plans its queries with the statistics a
 * Supabase CI run will have soon after its reset, and the suite is run both
 * ways in CI: anything that depends on statistics fails here first.
 */
import type { Target } from './target.js';

/**
 * Analyzes every table, partitioned table and materialized view outside the
 * system schemas that the connecting user may analyze (it has its owner's
 * privileges), in one statement. Returns how many.
 */
export async function analyzeTables(target: Target): Promise<number> {
  const tables = await target.query<{ name: string }>(`
    select pg_catalog.format('%I.%I', n.nspname, c.relname) as name
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p', 'm')
       and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
       and pg_catalog.pg_has_role(c.relowner, 'USAGE')
     order by 1`);
  if (tables.length > 0) await target.exec(`analyze ${tables.map((t) => t.name).join(', ')}`);
  return tables.length;
}
