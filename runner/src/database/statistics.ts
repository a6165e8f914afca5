/**
 * What autovacuum does on a server and PGlite never does: table statistics
 * after a build, and dead rows removed between mutants (suite/mutant-run.ts).
 *
 * Statistics: as a server has them once autovacuum has analyzed the seeded
 * tables. A server analyzes at a moment nobody controls;
 * PGlite never does. The runner analyzes right after the seed (unless
 * `--no-analyze`), so the embedded run plans its queries with the statistics a
 * Supabase CI run will have soon after its reset, and the suite is run both
 * ways in CI: anything that depends on statistics fails here first.
 */
import type { Target } from './target.js';

/**
 * Every table, partitioned table and materialized view outside the system
 * schemas that the connecting user may analyze and vacuum (it has its owner's
 * privileges), as quoted names.
 */
async function maintainedTables(target: Target): Promise<string[]> {
  const tables = await target.query<{ name: string }>(`
    select pg_catalog.format('%I.%I', n.nspname, c.relname) as name
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p', 'm')
       and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
       and pg_catalog.pg_has_role(c.relowner, 'USAGE')
     order by 1`);
  return tables.map((t) => t.name);
}

/** Analyzes those tables in one statement. Returns how many. */
export async function analyzeTables(target: Target): Promise<number> {
  const tables = await maintainedTables(target);
  if (tables.length > 0) await target.exec(`analyze ${tables.join(', ')}`);
  return tables.length;
}

/**
 * Vacuums those tables in one statement (outside a transaction), as
 * autovacuum would, which PGlite never runs: a rolled-back transaction leaves
 * the rows it wrote as dead rows, and their entries in every index, until a
 * vacuum removes them. Most indexes skip those entries unseen; an HNSW graph
 * keeps them as nodes that searches walk through and insertions link to, so
 * what a later search finds depends on what earlier, rolled-back transactions
 * inserted.
 */
export async function vacuumTables(target: Target): Promise<void> {
  const tables = await maintainedTables(target);
  if (tables.length > 0) await target.exec(`vacuum ${tables.join(', ')}`);
}
