/**
 * Fingerprints of a database's catalogue, one item a line, sorted, so two
 * databases compare with a plain diff.
 *
 * - catalogueItems: everything outside pg_catalog (platform included), the
 *   history and row counts: two resets in a row must give the same.
 * - schemaItems: what the migrations and the seed define, and nothing of the
 *   platform (roles, auth, extensions' own objects): the same whichever tool
 *   built the database (our `db reset`, the Supabase CLI's `db reset`,
 *   `migration up`), so the two can be compared. `db fingerprint` prints it.
 */
import { projectSchemas } from './project-schemas.js';
import { withSearchPath, type Target } from './target.js';

const USER_SCHEMAS = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'`;

// both with an empty search_path: names qualified in full, whatever the session's

export async function catalogueItems(target: Target): Promise<string[]> {
  return withSearchPath(target, '', () => items(target));
}

/** `helperSchemas`: the schemas the suite's setup files create (project-schemas.ts), never the project's. */
export async function schemaItems(target: Target, helperSchemas: string[] = []): Promise<string[]> {
  return withSearchPath(target, '', async () => schemaOnlyItems(target, await projectSchemas(target, helperSchemas)));
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
  const history = await target.query<{ version: string }>(`select version from supabase_migrations.schema_migrations`).catch(() => []);
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

/** The project's schemas (project-schemas.ts), given as $1. */
const OWN_SCHEMAS = `n.nspname = any($1::text[])`;

/**
 * pgTAP is test tooling: the bootstrap and `supabase test db` install it, the
 * Supabase CLI's remote `db reset` drops it, no migration asks for it.
 */
const TOOLING_EXTENSIONS = ['pgtap'];

async function schemaOnlyItems(target: Target, own: string[]): Promise<string[]> {
  const rows = await target.query<{ item: string }>(
    `
    select 'schema ' || n.nspname || ' acl=' || coalesce(n.nspacl::text, '')
           || coalesce(' comment=' || obj_description(n.oid, 'pg_namespace'), '') as item
      from pg_catalog.pg_namespace n where ${OWN_SCHEMAS}
    union all
    select 'relation ' || n.nspname || '.' || c.relname || ' kind=' || c.relkind::text
           || ' rls=' || c.relrowsecurity || ' force=' || c.relforcerowsecurity
           || ' acl=' || coalesce(c.relacl::text, '')
           || coalesce(' comment=' || obj_description(c.oid, 'pg_class'), '')
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where ${OWN_SCHEMAS} and c.relkind <> 'i'
    union all
    select 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
           || case when a.attnotnull then ' not null' else '' end
           || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
           || coalesce(' acl=' || a.attacl::text, '')
           || coalesce(' comment=' || col_description(c.oid, a.attnum), '')
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on c.oid = a.attrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
     where ${OWN_SCHEMAS} and a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f')
    union all
    select 'constraint ' || n.nspname || '.' || c.relname || '.' || co.conname || ' ' || pg_get_constraintdef(co.oid)
      from pg_catalog.pg_constraint co
      join pg_catalog.pg_class c on c.oid = co.conrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where ${OWN_SCHEMAS}
    union all
    select 'index ' || n.nspname || '.' || ic.relname || ' ' || pg_get_indexdef(ic.oid)
           || coalesce(' comment=' || obj_description(ic.oid, 'pg_class'), '')
      from pg_catalog.pg_index i
      join pg_catalog.pg_class ic on ic.oid = i.indexrelid
      join pg_catalog.pg_namespace n on n.oid = ic.relnamespace
     where ${OWN_SCHEMAS}
    union all
    select 'policy ' || p.schemaname || '.' || p.tablename || '.' || p.policyname || ' ' || p.permissive || ' ' || p.cmd
           || ' ' || p.roles::text || ' using ' || coalesce(p.qual, '') || ' check ' || coalesce(p.with_check, '')
      from pg_catalog.pg_policies p join pg_catalog.pg_namespace n on n.nspname = p.schemaname
     where ${OWN_SCHEMAS}
    union all
    select 'function ' || p.oid::regprocedure::text || ' returns ' || pg_get_function_result(p.oid)
           || ' ' || md5(p.prosrc) || ' volatility=' || p.provolatile::text || ' definer=' || p.prosecdef
           || ' config=' || coalesce(p.proconfig::text, '') || ' acl=' || coalesce(p.proacl::text, '')
      from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     where ${OWN_SCHEMAS}
       and not exists (select from pg_catalog.pg_depend d
                        where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
    union all
    select 'trigger ' || n.nspname || '.' || c.relname || '.' || t.tgname || ' ' || pg_get_triggerdef(t.oid)
      from pg_catalog.pg_trigger t
      join pg_catalog.pg_class c on c.oid = t.tgrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where not t.tgisinternal and ${OWN_SCHEMAS}
    union all
    select 'extension ' || e.extname || ' ' || e.extversion || ' in ' || e.extnamespace::regnamespace::text
      from pg_catalog.pg_extension e
     where e.extname <> all($2::text[]) and e.extname <> 'plpgsql'
    `,
    [own, TOOLING_EXTENSIONS],
  );
  const items = rows.map((r) => r.item);
  const history = await target
    .query<{ version: string; name: string | null }>(`select version, name from supabase_migrations.schema_migrations`)
    .catch(() => []);
  items.push(...history.map((h) => `migration ${h.version} ${h.name ?? ''}`));
  // row counts: what the seed put in the tables (and in auth.users)
  const tables = await target.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name
       from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and (${OWN_SCHEMAS} or (n.nspname = 'auth' and c.relname = 'users'))`,
    [own],
  );
  for (const { name } of tables) {
    const [count] = await target.query<{ n: number }>(`select count(*)::int as n from ${name}`);
    items.push(`rows ${name} ${count?.n}`);
  }
  return items.sort();
}
