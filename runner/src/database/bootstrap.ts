/**
 * The Supabase platform where it is missing. A real Supabase database has these
 * objects before any user migration runs; a bare PostgreSQL (PGlite included)
 * does not. Five parts, each a `.sql` file of runner/sql/ read when this module
 * loads, each run only when what it creates is absent, so a Supabase database
 * is never touched:
 *
 * - roles (runner/sql/roles.sql): anon, authenticated, service_role and
 *   supabase_admin, and Supabase's grants on public (run where a role or the
 *   connecting user's membership is missing, and with auth: roles belong to
 *   the cluster, grants to the database);
 * - extensions: schema extensions with uuid-ossp, pgcrypto, vector and pgTAP,
 *   on the database's search_path;
 * - auth: GoTrue's auth.users and auth.uid/role/email/jwt;
 * - storage: the Storage API's schema after its tenant migrations;
 * - realtime: Realtime's schema and the supabase_realtime publication.
 *
 * This file decides which parts a target lacks and runs them; what they create
 * is in the SQL. bootstrap-check.ts says beforehand whether the connecting user
 * can create them.
 */
import { readFileSync } from 'node:fs';
import { describe, refused } from '../errors.js';
import { inTransaction, type Target } from './target.js';

export type PlatformPart = 'roles' | 'extensions' | 'auth' | 'storage' | 'realtime';

/** The parts in the order they run (each may use what an earlier one made). */
export const PLATFORM_PARTS: readonly PlatformPart[] = ['roles', 'extensions', 'auth', 'storage', 'realtime'];

/**
 * The platform's schemas (Supabase's or PostgreSQL's): never dropped by a
 * server reset, never a project's own in a fingerprint. The first five are the
 * ones the parts create; the others belong to Supabase services a project may have.
 */
export const PLATFORM_SCHEMAS = [
  'auth',
  'storage',
  'realtime',
  'extensions',
  'public',
  'graphql',
  'graphql_public',
  '_realtime',
  'vault',
  'pgsodium',
  'pgsodium_masks',
  'net',
  'cron',
  'pgbouncer',
  'supabase_functions',
  'supabase_migrations',
  '_analytics',
  '_supavisor',
  'pgtle',
  'repack',
  'topology',
  'tiger',
  'tiger_data',
  'information_schema',
];

/** runner/sql/, from src/database/ and from dist/database/ alike. */
const SQL_DIR = new URL('../../sql/', import.meta.url);

/** Each part's SQL, read once. */
export const BOOTSTRAP_PARTS: Record<PlatformPart, string> = Object.fromEntries(
  PLATFORM_PARTS.map((part) => [part, readFileSync(new URL(`${part}.sql`, SQL_DIR), 'utf8')]),
) as Record<PlatformPart, string>;

/** Every part, in the order they run: what the PostgreSQL 15 check reads as our SQL. */
export const BOOTSTRAP_SQL = PLATFORM_PARTS.map((part) => BOOTSTRAP_PARTS[part]).join('\n');

/** What each part creates, for messages. */
export const PART_DESCRIPTION: Record<PlatformPart, string> = {
  roles: 'roles anon/authenticated/service_role/supabase_admin with grants on public',
  extensions: 'schema extensions with uuid-ossp, pgcrypto, vector and pgtap',
  auth: 'schema auth with auth.users and auth.uid()/role()/email()/jwt()',
  storage: 'schema storage as the Storage API leaves it (buckets, objects, their functions and triggers)',
  realtime: 'schema realtime (messages, send(), topic(), …) and the supabase_realtime publication',
};

/** The parts of the platform the target lacks, in the order they must run. Reads only. */
export async function missingPlatform(target: Target): Promise<PlatformPart[]> {
  const [row] = await target.query<Record<PlatformPart, boolean>>(`
    select exists (select from unnest(array['anon', 'authenticated', 'service_role', 'supabase_admin']) r(name)
                    where pg_catalog.to_regrole(r.name) is null)
           or exists (select from unnest(array['anon', 'authenticated', 'service_role']) r(name)
                       where not pg_catalog.pg_has_role(current_user, r.name, 'member'))
           -- roles are the cluster's, grants the database's: a database without auth has not had them
           or to_regclass('auth.users') is null as roles,
           (select count(*) from pg_catalog.pg_extension where extname in ('uuid-ossp', 'pgcrypto')) < 2 as extensions,
           to_regclass('auth.users') is null as auth,
           to_regclass('storage.buckets') is null as storage,
           to_regclass('realtime.messages') is null as realtime`);
  return PLATFORM_PARTS.filter((part) => row?.[part] === true);
}

/** True when the target already has Supabase's auth.users (a real Supabase, or a bootstrapped database). */
export async function hasPlatform(target: Target): Promise<boolean> {
  return !(await missingPlatform(target)).includes('auth');
}

/** The SQL of the given parts, in order. */
export function bootstrapSql(parts: PlatformPart[]): string {
  return parts.map((part) => BOOTSTRAP_PARTS[part]).join('\n');
}

/**
 * Creates the parts of the platform the target lacks, in one transaction, and
 * returns them (none on a Supabase database). A server that refuses (a missing
 * privilege) is a refusal, with nothing created; `checkBootstrap` says why
 * before anything is reset.
 */
export async function ensurePlatform(target: Target): Promise<PlatformPart[]> {
  const missing = await missingPlatform(target);
  if (missing.length === 0) return missing;
  try {
    await inTransaction(target, () => target.exec(bootstrapSql(missing)));
  } catch (error) {
    throw refused(`the Supabase platform (${missing.join(', ')}) cannot be created on ${target.label}: ${describe(error)}; nothing was created`);
  }
  return missing;
}

/** pgTAP in schema `extensions`, as `supabase test db` installs it when missing. */
export async function ensurePgTap(target: Target): Promise<void> {
  await target.exec(`create extension if not exists pgtap with schema extensions`);
}
