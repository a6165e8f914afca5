/**
 * A fingerprint of a database's catalogue and history: relations, columns,
 * constraints, indexes, policies, functions, triggers, extensions, grants on
 * user relations, applied migrations and row counts. Two databases built from
 * the same files must have the same fingerprint.
 */
import type { Target } from './target.js';

const USER_SCHEMAS = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'`;

export async function catalogueItems(target: Target): Promise<string[]> {
  // names qualified in full, whatever the session's search_path
  const [saved] = await target.query<{ path: string }>(`select current_setting('search_path') as path`);
  await target.query(`select pg_catalog.set_config('search_path', '', false)`);
  try {
    return await items(target);
  } finally {
    await target.query(`select pg_catalog.set_config('search_path', $1, false)`, [saved?.path ?? '']);
  }
}

async function items(target: Target): Promise<string[]> {
  const rows = await target.query<{ item: string }>(`
    select 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' rls=' || c.relrowsecurity
           || ' acl=' || coalesce(c.relacl::text, '') as item
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where ${USER_SCHEMAS}
    union all
    select 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
           || case when a.attnotnull then ' not null' else '' end
           || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on c.oid = a.attrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
     where ${USER_SCHEMAS} and a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm')
    union all
    select 'constraint ' || n.nspname || '.' || co.conname || ' ' || pg_get_constraintdef(co.oid)
      from pg_catalog.pg_constraint co join pg_catalog.pg_namespace n on n.oid = co.connamespace
     where ${USER_SCHEMAS}
    union all
    select 'index ' || schemaname || '.' || indexname || ' ' || indexdef from pg_catalog.pg_indexes n
     where n.schemaname not in ('pg_catalog', 'information_schema')
    union all
    select 'policy ' || schemaname || '.' || tablename || '.' || policyname || ' ' || permissive || ' ' || cmd
           || ' ' || roles::text || ' using ' || coalesce(qual, '') || ' check ' || coalesce(with_check, '')
      from pg_catalog.pg_policies
    union all
    select 'function ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc) || ' definer=' || p.prosecdef
           || ' config=' || coalesce(p.proconfig::text, '') || ' acl=' || coalesce(p.proacl::text, '')
      from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     where ${USER_SCHEMAS}
    union all
    select 'trigger ' || t.tgrelid::regclass::text || '.' || t.tgname || ' ' || pg_get_triggerdef(t.oid)
      from pg_catalog.pg_trigger t where not t.tgisinternal
    union all
    select 'extension ' || e.extname || ' ' || e.extversion || ' ' || e.extnamespace::regnamespace::text
      from pg_catalog.pg_extension e
    union all
    select 'schema ' || n.nspname || ' acl=' || coalesce(n.nspacl::text, '')
      from pg_catalog.pg_namespace n where ${USER_SCHEMAS}
  `);
  const items = rows.map((r) => r.item);
  const history = await target
    .query<{ version: string }>(`select version from supabase_migrations.schema_migrations`)
    .catch(() => []);
  items.push(...history.map((h) => `migration ${h.version}`));
  const tables = await target.query<{ name: string }>(`
    select format('%I.%I', n.nspname, c.relname) as name
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and ${USER_SCHEMAS}`);
  for (const { name } of tables) {
    const [count] = await target.query<{ n: number }>(`select count(*)::int as n from ${name}`);
    items.push(`rows ${name} ${count?.n}`);
  }
  return items.sort();
}
