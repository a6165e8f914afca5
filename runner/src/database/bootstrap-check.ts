/**
 * Before a server is reset: can the connecting user create the parts of the
 * Supabase platform the server lacks? A Supabase database has them all and
 * needs nothing. A plain server needs the right to create roles, extensions
 * and schemas; `postgres` on Supabase is no superuser, and neither is an
 * application's own user. Without this check a reset would empty the
 * database, then stop half-way with PostgreSQL's "must be superuser to alter
 * superusers".
 *
 * Two steps, neither leaving anything behind: the privileges the bootstrap
 * needs, named one by one from the catalogue (every missing one reported, not
 * the first); then, when those are all there, the bootstrap itself in a
 * transaction that is rolled back, which finds whatever the first step does
 * not know about.
 */
import { describe, refused } from '../errors.js';
import { bootstrapSql, missingPlatform, type PlatformPart } from './bootstrap.js';
import type { Target } from './target.js';

/** Roles, extensions and schemas each part creates when missing. */
const NEEDS: Record<PlatformPart, { roles: string[]; extensions: string[]; schemas: string[]; databaseSettings: boolean }> = {
  roles: { roles: ['anon', 'authenticated', 'service_role', 'supabase_admin'], extensions: [], schemas: [], databaseSettings: false },
  extensions: { roles: [], extensions: ['uuid-ossp', 'pgcrypto', 'vector', 'pgtap'], schemas: ['extensions'], databaseSettings: true },
  auth: { roles: ['supabase_admin'], extensions: [], schemas: ['auth'], databaseSettings: false },
  storage: { roles: ['supabase_admin', 'supabase_storage_admin'], extensions: [], schemas: ['storage'], databaseSettings: false },
  realtime: { roles: ['supabase_admin', 'supabase_realtime_admin'], extensions: [], schemas: ['realtime'], databaseSettings: false },
};

type Me = {
  user: string;
  database: string;
  superuser: boolean;
  createrole: boolean;
  bypassrls: boolean;
  version: number;
  create_on_database: boolean;
  owns_database: boolean;
};

type RoleState = {
  name: string;
  exists: boolean;
  superuser: boolean;
  member: boolean;
  admin: boolean;
};

type ExtensionState = {
  name: string;
  installed: boolean;
  available: boolean;
  /** a user who is no superuser may create it: trusted, or not marked superuser-only */
  trusted: boolean;
};

/**
 * Why the connecting user cannot create what the target lacks of the platform;
 * empty when it can, or when nothing is missing.
 */
async function bootstrapProblems(target: Target): Promise<{ missing: PlatformPart[]; problems: string[]; user: string | null }> {
  const missing = await missingPlatform(target);
  if (missing.length === 0) return { missing, problems: [], user: null };
  const needs = {
    roles: [...new Set(missing.flatMap((part) => NEEDS[part].roles))],
    extensions: [...new Set(missing.flatMap((part) => NEEDS[part].extensions))],
    schemas: [...new Set(missing.flatMap((part) => NEEDS[part].schemas))],
    databaseSettings: missing.some((part) => NEEDS[part].databaseSettings),
  };
  const [me] = await target.query<Me>(`
    select r.rolname as user, d.datname as database, r.rolsuper as superuser, r.rolcreaterole as createrole,
           r.rolbypassrls as bypassrls, current_setting('server_version_num')::int as version,
           pg_catalog.has_database_privilege(d.oid, 'CREATE') as create_on_database,
           pg_catalog.pg_has_role(d.datdba, 'USAGE') as owns_database
      from pg_catalog.pg_roles r, pg_catalog.pg_database d
     where r.rolname = current_user and d.datname = current_database()`);
  if (me === undefined) throw new Error('cannot read the connecting role from pg_roles');
  const problems = await privilegeProblems(target, me, needs);
  if (problems.length === 0) {
    // what the catalogue cannot tell: run the bootstrap, then roll it back
    const trial = await trialRun(target, missing);
    if (trial !== null) problems.push(trial);
  }
  return { missing, problems, user: me.user };
}

async function privilegeProblems(
  target: Target,
  me: Me,
  needs: { roles: string[]; extensions: string[]; schemas: string[]; databaseSettings: boolean },
): Promise<string[]> {
  const problems: string[] = [];
  const major = Math.floor(me.version / 10000);
  const extensions = await target.query<ExtensionState>(
    `select wanted.name, e.oid is not null as installed, a.name is not null as available,
            coalesce(v.trusted or not v.superuser, false) as trusted
       from unnest($1::text[]) with ordinality as wanted(name, position)
       left join pg_catalog.pg_extension e on e.extname = wanted.name
       left join pg_catalog.pg_available_extensions a on a.name = wanted.name
       left join pg_catalog.pg_available_extension_versions v on v.name = a.name and v.version = a.default_version
      order by wanted.position`,
    [needs.extensions],
  );
  // a superuser may do anything but install what the server lacks
  for (const extension of extensions.filter((e) => !e.installed && !e.available)) {
    problems.push(`the extension ${extension.name}, which this server does not have: install it on the server`);
  }
  if (me.superuser) return problems;
  const roles = await target.query<RoleState>(
    `select wanted.name, r.oid is not null as exists, coalesce(r.rolsuper, false) as superuser,
            coalesce(pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER'), false) as member,
            exists (select from pg_catalog.pg_auth_members m
                     where m.roleid = r.oid and m.member = (select oid from pg_catalog.pg_roles where rolname = current_user)
                       and m.admin_option) as admin
       from unnest($1::text[]) with ordinality as wanted(name, position)
       left join pg_catalog.pg_roles r on r.rolname = wanted.name
      order by wanted.position`,
    [needs.roles],
  );
  const toCreate = roles.filter((r) => !r.exists).map((r) => r.name);
  if (toCreate.length > 0 && !me.createrole) problems.push(`CREATEROLE, to create the roles ${toCreate.join(', ')}`);
  if (toCreate.includes('service_role')) {
    if (major < 16) problems.push(`SUPERUSER, to create service_role with BYPASSRLS (PostgreSQL ${major} lets only superusers create such a role)`);
    else if (!me.bypassrls) problems.push('BYPASSRLS, to create service_role with BYPASSRLS');
  }
  for (const role of roles.filter((r) => r.exists && !r.member)) {
    if (role.superuser) problems.push(`SUPERUSER, to grant ${role.name} (a superuser) to ${me.user}`);
    else if (major < 16 && !me.createrole && !role.admin) problems.push(`CREATEROLE or ADMIN OPTION on ${role.name}, to grant it to ${me.user}`);
    else if (major >= 16 && !role.admin) problems.push(`ADMIN OPTION on ${role.name}, to grant it to ${me.user}`);
  }
  for (const extension of extensions.filter((e) => !e.installed && e.available)) {
    if (!extension.trusted) problems.push(`SUPERUSER, to create the extension ${extension.name} (it is not a trusted extension)`);
    else if (!me.create_on_database) problems.push(`CREATE on database ${me.database}, to create the extension ${extension.name}`);
  }
  const schemas = await target.query<{ name: string }>(`select name from unnest($1::text[]) as wanted(name) where to_regnamespace(name) is null`, [
    needs.schemas,
  ]);
  if (schemas.length > 0 && !me.create_on_database) {
    problems.push(`CREATE on database ${me.database}, to create the schemas ${schemas.map((s) => s.name).join(', ')}`);
  }
  if (needs.databaseSettings && !me.owns_database) {
    problems.push(`ownership of database ${me.database}, to set its search_path to "$user", public, extensions`);
  }
  return problems;
}

/** The bootstrap of the missing parts, rolled back: null when it ran, else what PostgreSQL said. */
async function trialRun(target: Target, missing: PlatformPart[]): Promise<string | null> {
  await target.exec('begin');
  try {
    await target.exec(bootstrapSql(missing));
    return null;
  } catch (error) {
    return `the bootstrap fails: ${describe(error)}`;
  } finally {
    await target.exec('rollback');
  }
}

/**
 * Refuses (exit 2) when the target lacks part of the platform and the
 * connecting user cannot create it; `consequence` says what did not happen
 * ("nothing was touched").
 */
export async function assertCanBootstrap(target: Target, consequence: string): Promise<void> {
  const { missing, problems, user } = await bootstrapProblems(target);
  if (problems.length === 0) return;
  throw refused(
    [
      `${target.label} lacks the Supabase platform (${missing.join(', ')}) and "${user}" cannot create it there; ${consequence}. It needs:`,
      ...problems.map((p) => `  - ${p}`),
      'Connect as a superuser, grant these, or point at a Supabase database (which has the platform).',
    ].join('\n'),
  );
}
