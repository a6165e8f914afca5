/**
 * Leak detection: did a test file commit changes that stay, for every later
 * file? Under pg_prove they do (one database, files in name order), so the
 * runner does not fail the file for it; it says what the file left, and the
 * files after it run on a database that has it (commands/test.ts). What a
 * session holds (role, settings, temporary tables, pgTAP's plan) is no leak:
 * every file starts with a new session (pgtap.ts), as in its own psql.
 *
 * Two steps, so that the common case costs a millisecond:
 * 1. `nextXid` before the file, `committedSince` after it: whether any
 *    transaction ID handed out while the file ran was committed. A file that
 *    only reads, or rolls back everything it writes, commits none.
 * 2. Only then, `fingerprint`: what the user's schemas hold (relations with
 *    their row level security and grants, columns, functions, policies,
 *    triggers, types, schemas, extensions, roles) and, for every user table,
 *    its row count and newest row version (max xmin, so an update that keeps
 *    the count is seen too), compared with the database the file started from.
 *    Sequences are left out: nextval() is not rolled back, so a well-behaved
 *    file moves them as well, and a commit that changed nothing that stays
 *    (nextval, pgTAP's temporary tables outside a transaction) is no leak.
 *
 * `nextXid`, `committedSince` and `fingerprint` read the database;
 * `diffFingerprints` is pure.
 */
import { quoteLiteral } from '../database/sql-quote.js';
import type { Target } from '../database/target.js';

const USER_SCHEMA = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'`;

/**
 * Schemas whose rows Supabase's own background workers change (a request queue,
 * a job log): their row counts would move without any test's help.
 */
const BUSY_SCHEMAS = ['net', 'cron', 'realtime', '_realtime', '_analytics', 'supabase_functions', 'pgsodium', 'vault', 'storage'];

export type Fingerprint = Map<string, string>;

/** The next transaction ID the server will hand out (asking does not use one up). */
export async function nextXid(target: Target): Promise<string> {
  const [row] = await target.query<{ xid: string }>(`select pg_catalog.pg_snapshot_xmax(pg_catalog.pg_current_snapshot())::text as xid`);
  return row!.xid;
}

/** True when a transaction that started at or after `xid` has committed. */
export async function committedSince(target: Target, xid: string): Promise<boolean> {
  const [row] = await target.query<{ committed: boolean }>(
    `select exists (
       select from pg_catalog.generate_series($1::bigint, pg_catalog.pg_snapshot_xmax(pg_catalog.pg_current_snapshot())::text::bigint - 1) x
        where pg_catalog.pg_xact_status(x::text::xid8) = 'committed') as committed`,
    [xid],
  );
  return row?.committed === true;
}

/** Key: what the thing is ("table public.notes"); value: its state ("rls=true acl=..."). */
export async function fingerprint(target: Target): Promise<Fingerprint> {
  const catalogue = await target.query<{ key: string; value: string }>(`
    select 'role ' || r.rolname as key, 'exists' as value from pg_catalog.pg_roles r
     where r.rolname not like 'pg\\_%'
    union all
    select 'schema ' || n.nspname, coalesce(n.nspacl::text, '') from pg_catalog.pg_namespace n where ${USER_SCHEMA}
    union all
    select pg_catalog.format('%s %I.%I',
             case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view' when 'm' then 'materialized view'
                            when 'i' then 'index' when 'I' then 'index' when 'S' then 'sequence' when 'f' then 'foreign table'
                            when 'c' then 'type' else 'relation' end,
             n.nspname, c.relname),
           'rls=' || c.relrowsecurity || ' acl=' || coalesce(c.relacl::text, '')
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where ${USER_SCHEMA} and c.relkind <> 't'
    union all
    select pg_catalog.format('column %I.%I.%I', n.nspname, c.relname, a.attname),
           pg_catalog.format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on c.oid = a.attrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where ${USER_SCHEMA} and a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm')
    union all
    select 'function ' || p.oid::pg_catalog.regprocedure::text,
           pg_catalog.md5(p.prosrc) || ' acl=' || coalesce(p.proacl::text, '')
      from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     where ${USER_SCHEMA}
    union all
    select pg_catalog.format('policy %I on %I.%I', pol.polname, n.nspname, c.relname),
           pg_catalog.md5(coalesce(pg_catalog.pg_get_expr(pol.polqual, pol.polrelid), '') || '|' ||
                          coalesce(pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid), '') || '|' || pol.polroles::text)
      from pg_catalog.pg_policy pol
      join pg_catalog.pg_class c on c.oid = pol.polrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    union all
    select pg_catalog.format('trigger %I on %I.%I', t.tgname, n.nspname, c.relname), t.tgenabled::text
      from pg_catalog.pg_trigger t
      join pg_catalog.pg_class c on c.oid = t.tgrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where not t.tgisinternal
    union all
    select pg_catalog.format('type %I.%I', n.nspname, t.typname), t.typtype::text
      from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
     where ${USER_SCHEMA} and t.typtype in ('e', 'd') 
    union all
    select 'extension ' || e.extname, e.extversion from pg_catalog.pg_extension e`);
  const result: Fingerprint = new Map(catalogue.map((row) => [row.key, row.value]));

  const tables = await target.query<{ name: string }>(
    `
    select pg_catalog.format('%I.%I', n.nspname, c.relname) as name
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and not c.relispartition and ${USER_SCHEMA}
       and n.nspname <> all ($1::text[])
     order by 1`,
    [BUSY_SCHEMAS],
  );
  if (tables.length > 0) {
    const counts = await target.query<{ name: string; n: string; newest: string | null }>(
      tables
        .map(({ name }) => `select ${quoteLiteral(name)} as name, count(*)::text as n, max(xmin::text::bigint)::text as newest from ${name}`)
        .join('\nunion all\n'),
    );
    for (const { name, n, newest } of counts) result.set(`rows of ${name}`, `${n} rows, newest version ${newest ?? '-'}`);
  }
  return result;
}

/** What changed between two fingerprints, one readable line each; empty when nothing did. */
export function diffFingerprints(before: Fingerprint, after: Fingerprint): string[] {
  const changes: string[] = [];
  const rows = (key: string) => key.startsWith('rows of ');
  for (const [key, value] of after) {
    const old = before.get(key);
    if (old !== undefined && old !== value) changes.push(rows(key) ? rowChange(key, old, value) : `changed ${key}`);
    else if (old !== undefined) continue;
    // a new table is named once, as a table; its rows only when it has some
    else if (!rows(key)) changes.push(`new ${key}`);
    else if (count(value) > 0) changes.push(`${key.slice('rows of '.length)}: ${count(value)} row${count(value) === 1 ? '' : 's'} in a new table`);
  }
  // a dropped table is named as a table, not its rows as well
  for (const key of before.keys()) if (!after.has(key) && !rows(key)) changes.push(`dropped ${key}`);
  return changes.sort();
}

const count = (text: string) => Number(/^(\d+) rows/.exec(text)?.[1]);

function rowChange(key: string, old: string, now: string): string {
  const [a, b] = [count(old), count(now)];
  return a === b ? `${key.slice('rows of '.length)}: rows updated (${b} rows)` : `${key.slice('rows of '.length)}: ${a} → ${b} rows`;
}
