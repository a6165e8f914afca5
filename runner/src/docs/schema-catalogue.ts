/**
 * The data model as the catalogue describes it, read into plain objects for the
 * generated documentation (schema-markdown.ts): the tables of `public` in the
 * order the migrations created them, with their columns, constraints, indexes
 * and the reasons given for them, policies, triggers and privileges, and the
 * functions of the project's schemas (database/project-schemas.ts). Reads only.
 */
import { projectSchemas } from '../database/project-schemas.js';
import { withSearchPath, type Target } from '../database/target.js';

export interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
  comment: string | null;
  /** roles granted a privilege on this column alone: "update: authenticated" */
  columnGrants: string[];
}

export interface ConstraintInfo {
  name: string;
  /** p primary key, u unique, f foreign key, c check, x exclusion */
  kind: 'p' | 'u' | 'f' | 'c' | 'x';
  columns: string[];
  definition: string;
  /** foreign keys: the referenced table (schema-qualified unless public) and columns */
  references: { table: string; columns: string[] } | null;
  onDelete: string | null;
}

export type IndexInfo = {
  name: string;
  definition: string;
  unique: boolean;
  /** the constraint this index implements, if any */
  constraint: string | null;
  comment: string | null;
};

export interface PolicyInfo {
  name: string;
  command: string;
  roles: string[];
  permissive: boolean;
  using: string | null;
  check: string | null;
}

export interface TableInfo {
  name: string;
  comment: string | null;
  rls: boolean;
  columns: ColumnInfo[];
  constraints: ConstraintInfo[];
  indexes: IndexInfo[];
  policies: PolicyInfo[];
  triggers: { name: string; definition: string }[];
  /** table privileges per role: "authenticated" -> ["select", "insert"] */
  grants: { role: string; privileges: string[] }[];
}

export interface FunctionInfo {
  signature: string;
  returns: string;
  language: string;
  securityDefiner: boolean;
  config: string[];
  comment: string | null;
  executableBy: string[];
}

export interface SchemaModel {
  /** the project's schemas, the one described first */
  schemas: string[];
  tables: TableInfo[];
  functions: FunctionInfo[];
}

/** The roles whose privileges matter to an application (and the owner is not listed). */
const API_ROLES = ['anon', 'authenticated', 'service_role'];

const ON_DELETE: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

export async function readSchema(target: Target, schema = 'public'): Promise<SchemaModel> {
  // qualified names in every definition, except the schema being described
  return withSearchPath(target, schema, () => read(target, schema));
}

async function read(target: Target, schema: string): Promise<SchemaModel> {
  const tables = await target.query<{ oid: number; name: string; comment: string | null; rls: boolean }>(
    `select c.oid::int as oid, c.relname as name, obj_description(c.oid, 'pg_class') as comment, c.relrowsecurity as rls
       from pg_catalog.pg_class c
      where c.relnamespace = $1::regnamespace and c.relkind in ('r', 'p')
      order by c.oid`,
    [schema],
  );
  const result: TableInfo[] = [];
  for (const table of tables) {
    result.push({
      name: table.name,
      comment: table.comment,
      rls: table.rls,
      columns: await readColumns(target, table.oid),
      constraints: await readConstraints(target, table.oid),
      indexes: await readIndexes(target, table.oid),
      policies: await readPolicies(target, table.oid),
      triggers: await target.query<{ name: string; definition: string }>(
        `select t.tgname as name, pg_get_triggerdef(t.oid) as definition
           from pg_catalog.pg_trigger t where t.tgrelid = $1::oid and not t.tgisinternal order by t.tgname`,
        [table.oid],
      ),
      grants: await readGrants(target, table.oid),
    });
  }
  const schemas = await projectSchemas(target);
  return {
    schemas: [schema, ...schemas.filter((s) => s !== schema)],
    tables: result,
    functions: await readFunctions(target, schemas, schema),
  };
}

async function readColumns(target: Target, table: number): Promise<ColumnInfo[]> {
  const rows = await target.query<{
    name: string;
    type: string;
    notnull: boolean;
    default: string | null;
    comment: string | null;
    acl: string[] | null;
  }>(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull,
            pg_get_expr(d.adbin, d.adrelid) as default, col_description(a.attrelid, a.attnum) as comment,
            (select array_agg(x.privilege_type || ':' || x.grantee::regrole::text order by 1)
               from aclexplode(a.attacl) x) as acl
       from pg_catalog.pg_attribute a
       left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where a.attrelid = $1::oid and a.attnum > 0 and not a.attisdropped
      order by a.attnum`,
    [table],
  );
  return rows.map((r) => ({
    name: r.name,
    type: r.type,
    nullable: !r.notnull,
    default: r.default,
    comment: r.comment,
    columnGrants: (r.acl ?? []).map((entry) => {
      const [privilege, role] = entry.split(':');
      return `${(privilege ?? '').toLowerCase()}: ${role}`;
    }),
  }));
}

async function readConstraints(target: Target, table: number): Promise<ConstraintInfo[]> {
  const rows = await target.query<{
    name: string;
    kind: ConstraintInfo['kind'];
    columns: string[];
    definition: string;
    ref_table: string | null;
    ref_columns: string[] | null;
    on_delete: string;
  }>(
    `select co.conname as name, co.contype::text as kind,
            array(select a.attname from unnest(co.conkey) with ordinality k(n, i)
                    join pg_catalog.pg_attribute a on a.attrelid = co.conrelid and a.attnum = k.n order by k.i) as columns,
            pg_get_constraintdef(co.oid) as definition,
            case when co.contype = 'f' then co.confrelid::regclass::text end as ref_table,
            case when co.contype = 'f' then
              array(select a.attname from unnest(co.confkey) with ordinality k(n, i)
                      join pg_catalog.pg_attribute a on a.attrelid = co.confrelid and a.attnum = k.n order by k.i)
            end as ref_columns,
            co.confdeltype::text as on_delete
       from pg_catalog.pg_constraint co
      -- PostgreSQL 18 keeps not-null constraints here too (contype n): nullability is shown with the columns
      where co.conrelid = $1::oid and co.contype in ('p', 'u', 'f', 'c', 'x')
      order by position(co.contype::text in 'pufcx'), co.conname`,
    [table],
  );
  return rows.map((r) => ({
    name: r.name,
    kind: r.kind,
    columns: r.columns,
    definition: r.definition,
    references: r.ref_table === null ? null : { table: r.ref_table, columns: r.ref_columns ?? [] },
    onDelete: r.kind === 'f' ? (ON_DELETE[r.on_delete] ?? r.on_delete) : null,
  }));
}

async function readIndexes(target: Target, table: number): Promise<IndexInfo[]> {
  return target.query<IndexInfo>(
    `select ic.relname as name, pg_get_indexdef(i.indexrelid) as definition, i.indisunique as unique,
            (select co.conname from pg_catalog.pg_constraint co where co.conindid = i.indexrelid and co.conrelid = i.indrelid) as constraint,
            obj_description(i.indexrelid, 'pg_class') as comment
       from pg_catalog.pg_index i join pg_catalog.pg_class ic on ic.oid = i.indexrelid
      where i.indrelid = $1::oid
      order by ic.relname`,
    [table],
  );
}

async function readPolicies(target: Target, table: number): Promise<PolicyInfo[]> {
  const rows = await target.query<{
    name: string;
    command: string;
    roles: string[];
    permissive: boolean;
    using: string | null;
    check: string | null;
  }>(
    `select p.polname as name,
            case p.polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update'
                          when 'd' then 'delete' else 'all' end as command,
            array(select case when r = 0 then 'public' else r::regrole::text end from unnest(p.polroles) r order by 1) as roles,
            p.polpermissive as permissive,
            pg_get_expr(p.polqual, p.polrelid) as using,
            pg_get_expr(p.polwithcheck, p.polrelid) as check
       from pg_catalog.pg_policy p
      where p.polrelid = $1::oid
      order by position(p.polcmd::text in 'rawd*'), p.polname`,
    [table],
  );
  return rows;
}

async function readGrants(target: Target, table: number): Promise<{ role: string; privileges: string[] }[]> {
  const rows = await target.query<{ role: string; privileges: string[] }>(
    `select x.grantee::regrole::text as role,
            array_agg(lower(x.privilege_type) order by position(x.privilege_type in 'SELECT INSERT UPDATE DELETE TRUNCATE REFERENCES TRIGGER MAINTAIN')) as privileges
       from pg_catalog.pg_class c, aclexplode(c.relacl) x
      where c.oid = $1::oid and x.grantee <> 0 and x.grantee::regrole::text = any($2::text[])
      group by 1`,
    [table, API_ROLES],
  );
  return API_ROLES.map((role) => ({ role, privileges: rows.find((r) => r.role === role)?.privileges ?? [] }));
}

/** The functions of `schemas`, the described schema's last. */
async function readFunctions(target: Target, schemas: string[], described: string): Promise<FunctionInfo[]> {
  const rows = await target.query<{
    signature: string;
    returns: string;
    language: string;
    definer: boolean;
    config: string[] | null;
    comment: string | null;
    executable: string[] | null;
  }>(
    `select p.oid::regprocedure::text as signature, pg_get_function_result(p.oid) as returns, l.lanname as language,
            p.prosecdef as definer, p.proconfig as config, obj_description(p.oid, 'pg_proc') as comment,
            case when p.proacl is null then array['public']
                 else (select array_agg(distinct case when x.grantee = 0 then 'public' else x.grantee::regrole::text end)
                         from aclexplode(p.proacl) x where x.privilege_type = 'EXECUTE' and x.grantee <> p.proowner) end as executable
       from pg_catalog.pg_proc p
       join pg_catalog.pg_namespace n on n.oid = p.pronamespace
       join pg_catalog.pg_language l on l.oid = p.prolang
      where n.nspname = any($1::text[])
        and not exists (select from pg_catalog.pg_depend d
                         where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
      order by n.nspname = $2, 1`,
    [schemas, described],
  );
  return rows.map((r) => ({
    signature: r.signature,
    returns: r.returns,
    language: r.language,
    securityDefiner: r.definer,
    config: r.config ?? [],
    comment: r.comment,
    executableBy: r.executable ?? [],
  }));
}
