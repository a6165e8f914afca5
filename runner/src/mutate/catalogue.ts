/**
 * What a mutant can weaken, read from the catalogue of a built database: the
 * tables of the project's schemas with their row level security, columns,
 * policies, constraints, indexes, triggers and the API roles' privileges, and
 * the project's functions. Generic: it names no table, only PostgreSQL's and
 * Supabase's roles. Reads only; mutants.ts turns it into mutants.
 *
 * The project's schemas are database/project-schemas.ts's; `excluded` names
 * the ones the setup files create.
 */
import { projectSchemas } from '../database/project-schemas.js';
import { withSearchPath, type Target } from '../database/target.js';

/** Supabase's API roles: a privilege "granted back" goes to one of them. */
export const API_ROLES = ['anon', 'authenticated'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export type PolicyCommand = 'select' | 'insert' | 'update' | 'delete' | 'all';

export interface CatalogueTable {
  schema: string;
  name: string;
  /** schema.table as SQL names it, quoted where needed */
  sql: string;
  rls: boolean;
  columns: { name: string; sql: string; notNull: boolean; primaryKey: boolean; identity: boolean }[];
  policies: CataloguePolicy[];
  constraints: CatalogueConstraint[];
  /** indexes that no constraint owns (a unique index included) */
  indexes: { name: string; sql: string; definition: string }[];
  triggers: { name: string; sql: string; definition: string; function: string }[];
  /** privileges of each API role: on the whole table, and on some columns only */
  grants: Record<ApiRole, { table: string[]; columns: Record<string, string[]> }>;
  /** whether each API role may use the table's schema */
  schemaUsage: Record<ApiRole, boolean>;
}

export interface CataloguePolicy {
  name: string;
  sql: string;
  command: PolicyCommand;
  /** role names, `public` for PUBLIC */
  roles: string[];
  /** the roles, as SQL names them */
  rolesSql: string[];
  using: string | null;
  check: string | null;
  /**
   * The roles a widened role list would newly subject to this policy and that
   * can run its command on the table (a privilege for it, usage of the schema)
   * without bypassing row level security (superuser, bypassrls, the owner). An
   * empty list: the widening reaches nobody who could use it.
   */
  reaches: { public: string[]; anon: string[] };
}

export interface CatalogueConstraint {
  name: string;
  sql: string;
  kind: 'check' | 'unique' | 'foreign key';
  definition: string;
  columns: string[];
  /** foreign keys: every referencing column accepts null (so `on delete set null` can apply) */
  nullable: boolean;
  /** foreign keys: no action, restrict, cascade, set null, set default */
  onDelete: string | null;
}

export interface CatalogueFunction {
  schema: string;
  /** schema.name(argument types), as regprocedure prints it */
  signature: string;
  returns: string;
  language: string;
  securityDefiner: boolean;
  /** pg_get_functiondef: the whole `create or replace function` */
  definition: string;
  /** the API roles that may execute it */
  executableBy: ApiRole[];
  schemaUsage: Record<ApiRole, boolean>;
  /** triggers that call it, "schema.table.trigger" */
  triggers: string[];
}

export interface MutationCatalogue {
  schemas: string[];
  tables: CatalogueTable[];
  functions: CatalogueFunction[];
}

const COMMANDS: Record<string, PolicyCommand> = { r: 'select', a: 'insert', w: 'update', d: 'delete', '*': 'all' };
const ON_DELETE: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

export async function readMutationCatalogue(target: Target, excluded: string[]): Promise<MutationCatalogue> {
  // an empty search_path: every name in a definition or signature comes qualified, ready for a mutant's SQL
  return withSearchPath(target, '', () => read(target, excluded));
}

async function read(target: Target, excluded: string[]): Promise<MutationCatalogue> {
  const schemas = await projectSchemas(target, excluded);

  const tables = await target.query<{
    oid: number;
    schema: string;
    name: string;
    sql: string;
    rls: boolean;
    usage_anon: boolean;
    usage_authenticated: boolean;
  }>(
    `select c.oid::int as oid, n.nspname as schema, c.relname as name, pg_catalog.format('%I.%I', n.nspname, c.relname) as sql,
            c.relrowsecurity as rls,
            pg_catalog.has_schema_privilege('anon', n.oid, 'USAGE') as usage_anon,
            pg_catalog.has_schema_privilege('authenticated', n.oid, 'USAGE') as usage_authenticated
       from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any ($1::text[]) and c.relkind in ('r', 'p') and not c.relispartition
        and not exists (select from pg_catalog.pg_depend d
                         where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
      order by n.nspname, c.relname`,
    [schemas],
  );

  const result: CatalogueTable[] = [];
  for (const t of tables) {
    result.push({
      schema: t.schema,
      name: t.name,
      sql: t.sql,
      rls: t.rls,
      columns: await readColumns(target, t.oid),
      policies: await readPolicies(target, t.oid),
      constraints: await readConstraints(target, t.oid),
      indexes: await target.query(
        `select ic.relname as name, pg_catalog.format('%I.%I', n.nspname, ic.relname) as sql, pg_catalog.pg_get_indexdef(i.indexrelid) as definition
           from pg_catalog.pg_index i
           join pg_catalog.pg_class ic on ic.oid = i.indexrelid
           join pg_catalog.pg_namespace n on n.oid = ic.relnamespace
          where i.indrelid = $1::oid
            and not exists (select from pg_catalog.pg_constraint co where co.conindid = i.indexrelid and co.conrelid = i.indrelid)
          order by 1`,
        [t.oid],
      ),
      triggers: await target.query(
        `select tg.tgname as name, pg_catalog.quote_ident(tg.tgname) as sql, pg_catalog.pg_get_triggerdef(tg.oid) as definition,
                tg.tgfoid::regprocedure::text as function
           from pg_catalog.pg_trigger tg where tg.tgrelid = $1::oid and not tg.tgisinternal order by 1`,
        [t.oid],
      ),
      grants: {
        anon: await readGrants(target, t.oid, 'anon'),
        authenticated: await readGrants(target, t.oid, 'authenticated'),
      },
      schemaUsage: { anon: t.usage_anon, authenticated: t.usage_authenticated },
    });
  }
  return { schemas, tables: result, functions: await readFunctions(target, schemas, result) };
}

async function readColumns(target: Target, table: number): Promise<CatalogueTable['columns']> {
  const rows = await target.query<{ name: string; sql: string; not_null: boolean; primary_key: boolean; identity: boolean }>(
    `select a.attname as name, pg_catalog.quote_ident(a.attname) as sql, a.attnotnull as not_null,
            exists (select from pg_catalog.pg_constraint co
                     where co.conrelid = a.attrelid and co.contype = 'p' and a.attnum = any (co.conkey)) as primary_key,
            a.attidentity <> '' as identity
       from pg_catalog.pg_attribute a
      where a.attrelid = $1::oid and a.attnum > 0 and not a.attisdropped
      order by a.attnum`,
    [table],
  );
  return rows.map((r) => ({ name: r.name, sql: r.sql, notNull: r.not_null, primaryKey: r.primary_key, identity: r.identity }));
}

/** The roles a policy would newly reach, and that could run its command without bypassing row level security. */
const REACHES = (widened: string) => /* sql */ `
  array(select r.rolname::text from pg_catalog.pg_roles r
         where ${widened}
           and r.rolname not like 'pg\\_%' and not r.rolsuper and not r.rolbypassrls
           and not pg_catalog.pg_has_role(r.oid, c.relowner, 'USAGE')
           and not (0::oid = any (p.polroles))
           and not exists (select from unnest(p.polroles) pr where pg_catalog.pg_has_role(r.oid, pr, 'MEMBER'))
           and pg_catalog.has_schema_privilege(r.oid, c.relnamespace, 'USAGE')
           and case p.polcmd
                 when 'r' then pg_catalog.has_any_column_privilege(r.oid, c.oid, 'SELECT')
                 when 'a' then pg_catalog.has_any_column_privilege(r.oid, c.oid, 'INSERT')
                 when 'w' then pg_catalog.has_any_column_privilege(r.oid, c.oid, 'UPDATE')
                 when 'd' then pg_catalog.has_table_privilege(r.oid, c.oid, 'DELETE')
                 else pg_catalog.has_any_column_privilege(r.oid, c.oid, 'SELECT, INSERT, UPDATE')
                      or pg_catalog.has_table_privilege(r.oid, c.oid, 'DELETE')
               end
         order by 1)`;

async function readPolicies(target: Target, table: number): Promise<CataloguePolicy[]> {
  const rows = await target.query<{
    name: string;
    sql: string;
    command: string;
    roles: string[];
    roles_sql: string[];
    using: string | null;
    check: string | null;
    reaches_public: string[];
    reaches_anon: string[];
  }>(
    `select p.polname as name, pg_catalog.quote_ident(p.polname) as sql, p.polcmd::text as command,
            array(select case when r = 0 then 'public' else r::regrole::text end from unnest(p.polroles) r order by 1) as roles,
            array(select case when r = 0 then 'public' else pg_catalog.quote_ident(r::regrole::text) end from unnest(p.polroles) r order by 1) as roles_sql,
            pg_catalog.pg_get_expr(p.polqual, p.polrelid) as using,
            pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) as check,
            ${REACHES('true')} as reaches_public,
            ${REACHES(`pg_catalog.pg_has_role(r.oid, 'anon', 'MEMBER')`)} as reaches_anon
       from pg_catalog.pg_policy p join pg_catalog.pg_class c on c.oid = p.polrelid
      where p.polrelid = $1::oid
      order by p.polname`,
    [table],
  );
  return rows.map((r) => ({
    name: r.name,
    sql: r.sql,
    command: COMMANDS[r.command] ?? 'all',
    roles: r.roles,
    rolesSql: r.roles_sql,
    using: r.using,
    check: r.check,
    reaches: { public: r.reaches_public, anon: r.reaches_anon },
  }));
}

async function readConstraints(target: Target, table: number): Promise<CatalogueConstraint[]> {
  const rows = await target.query<{
    name: string;
    sql: string;
    kind: string;
    definition: string;
    columns: string[];
    nullable: boolean;
    on_delete: string;
  }>(
    `select co.conname as name, pg_catalog.quote_ident(co.conname) as sql, co.contype::text as kind,
            pg_catalog.pg_get_constraintdef(co.oid) as definition,
            array(select a.attname::text from unnest(co.conkey) with ordinality k(n, i)
                    join pg_catalog.pg_attribute a on a.attrelid = co.conrelid and a.attnum = k.n order by k.i) as columns,
            not exists (select from unnest(co.conkey) k(n)
                          join pg_catalog.pg_attribute a on a.attrelid = co.conrelid and a.attnum = k.n
                         where a.attnotnull) as nullable,
            co.confdeltype::text as on_delete
       from pg_catalog.pg_constraint co
      where co.conrelid = $1::oid and co.contype in ('c', 'u', 'f')
      order by co.conname`,
    [table],
  );
  return rows.map((r) => ({
    name: r.name,
    sql: r.sql,
    kind: r.kind === 'c' ? 'check' : r.kind === 'u' ? 'unique' : 'foreign key',
    definition: r.definition,
    columns: r.columns,
    nullable: r.nullable,
    onDelete: r.kind === 'f' ? (ON_DELETE[r.on_delete] ?? r.on_delete) : null,
  }));
}

async function readGrants(target: Target, table: number, role: ApiRole): Promise<{ table: string[]; columns: Record<string, string[]> }> {
  const tableLevel = await target.query<{ privilege: string }>(
    `select lower(x.privilege_type) as privilege
       from pg_catalog.pg_class c, aclexplode(c.relacl) x
      where c.oid = $1::oid and x.grantee in (0, $2::regrole)
      order by 1`,
    [table, role],
  );
  const columnLevel = await target.query<{ privilege: string; columns: string[] }>(
    `select lower(x.privilege_type) as privilege, array_agg(a.attname::text order by a.attnum) as columns
       from pg_catalog.pg_attribute a, aclexplode(a.attacl) x
      where a.attrelid = $1::oid and a.attnum > 0 and not a.attisdropped and x.grantee in (0, $2::regrole)
      group by 1 order by 1`,
    [table, role],
  );
  return {
    table: [...new Set(tableLevel.map((r) => r.privilege))],
    columns: Object.fromEntries(columnLevel.map((r) => [r.privilege, r.columns])),
  };
}

async function readFunctions(target: Target, schemas: string[], tables: CatalogueTable[]): Promise<CatalogueFunction[]> {
  const rows = await target.query<{
    schema: string;
    signature: string;
    returns: string;
    language: string;
    definer: boolean;
    definition: string;
    exec_anon: boolean;
    exec_authenticated: boolean;
    usage_anon: boolean;
    usage_authenticated: boolean;
  }>(
    `select n.nspname as schema, p.oid::regprocedure::text as signature, pg_catalog.pg_get_function_result(p.oid) as returns,
            l.lanname as language, p.prosecdef as definer, pg_catalog.pg_get_functiondef(p.oid) as definition,
            pg_catalog.has_function_privilege('anon', p.oid, 'EXECUTE') as exec_anon,
            pg_catalog.has_function_privilege('authenticated', p.oid, 'EXECUTE') as exec_authenticated,
            pg_catalog.has_schema_privilege('anon', n.oid, 'USAGE') as usage_anon,
            pg_catalog.has_schema_privilege('authenticated', n.oid, 'USAGE') as usage_authenticated
       from pg_catalog.pg_proc p
       join pg_catalog.pg_namespace n on n.oid = p.pronamespace
       join pg_catalog.pg_language l on l.oid = p.prolang
      where n.nspname = any ($1::text[]) and p.prokind = 'f'
        and not exists (select from pg_catalog.pg_depend d
                         where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
      order by 2`,
    [schemas],
  );
  return rows.map((r) => ({
    schema: r.schema,
    signature: r.signature,
    returns: r.returns,
    language: r.language,
    securityDefiner: r.definer,
    definition: r.definition,
    executableBy: API_ROLES.filter((role) => (role === 'anon' ? r.exec_anon : r.exec_authenticated)),
    schemaUsage: { anon: r.usage_anon, authenticated: r.usage_authenticated },
    triggers: tables.flatMap((t) => t.triggers.filter((tg) => tg.function === r.signature).map((tg) => `${t.schema}.${t.name}.${tg.name}`)),
  }));
}
