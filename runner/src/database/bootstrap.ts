/**
 * The Supabase platform where it is missing. A real Supabase database has these
 * objects before any user migration runs; a bare PostgreSQL (PGlite included)
 * does not. Three idempotent parts, each run only when what it creates is
 * absent, so a Supabase database is never touched:
 *
 * - auth (when `auth.users` is missing): the roles, Supabase's grants on
 *   public, schema extensions with vector and pgTAP, schema auth with
 *   GoTrue's auth.users and auth.uid/role/email/jwt;
 * - extensions (when one is missing): uuid-ossp and pgcrypto in schema
 *   extensions, installed on every Supabase database;
 * - storage (when `storage.buckets` is missing): the Storage schema's
 *   baseline, buckets and objects with row level security on objects, and
 *   foldername/filename/extension/search.
 *
 * Definitions follow supabase/postgres (roles, grants, default privileges),
 * supabase/auth (auth.users: columns, defaults, indexes) and supabase/storage
 * (the storage schema's first migration), checked against a fresh Supabase
 * project's catalogue.
 */
import { describe, refused } from '../errors.js';
import { inTransaction, type Target } from './target.js';

/**
 * supabase_admin, with the connecting user a member (statements of a do block):
 * auth and storage belong to it, and either part may be created alone.
 */
const SUPABASE_ADMIN_ROLE = /* sql */ `
  if not exists (select from pg_catalog.pg_roles where rolname = 'supabase_admin') then
    create role supabase_admin nologin noinherit;
  end if;
  if not pg_catalog.pg_has_role(current_user, 'supabase_admin', 'member') then
    execute format('grant supabase_admin to %I', current_user);
  end if;
`;

/** Roles, public's grants, schema extensions, schema auth. */
export const AUTH_SQL = /* sql */ `
-- Roles PostgREST switches to: anon (no JWT), authenticated (a signed-in user),
-- service_role (server-side code; bypasses RLS).
do $$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select from pg_catalog.pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select from pg_catalog.pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  -- Supabase grants these roles to postgres so that tests can "set role authenticated";
  -- granted only where missing, so a user who has them already needs no right to grant them
  if not pg_catalog.pg_has_role(current_user, 'anon', 'member') then
    execute format('grant anon to %I', current_user);
  end if;
  if not pg_catalog.pg_has_role(current_user, 'authenticated', 'member') then
    execute format('grant authenticated to %I', current_user);
  end if;
  if not pg_catalog.pg_has_role(current_user, 'service_role', 'member') then
    execute format('grant service_role to %I', current_user);
  end if;
end
$$;

-- public: Supabase grants everything to the API roles; row level security is the wall.
grant usage on schema public to anon, authenticated, service_role;
grant all on all tables in schema public to anon, authenticated, service_role;
grant all on all sequences in schema public to anon, authenticated, service_role;
grant all on all routines in schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on routines to anon, authenticated, service_role;

-- extensions: where Supabase installs extensions, on everyone's search_path.
create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;
alter default privileges in schema extensions grant all on tables to anon, authenticated, service_role;
alter default privileges in schema extensions grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema extensions grant all on routines to anon, authenticated, service_role;
create extension if not exists vector with schema extensions;
create extension if not exists pgtap with schema extensions;
do $$
begin
  execute format('alter database %I set search_path = "$user", public, extensions', current_database());
end
$$;
set search_path = "$user", public, extensions;

-- auth: the part of Supabase Auth's schema that migrations, seeds and policies use.
create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

-- GoTrue's auth.users as its migrations leave it today: columns, types and
-- defaults (the casts to character varying included: phone was a varchar once),
-- constraints and indexes, the partial unique index on email among them (an SSO
-- user may share an address).
create table if not exists auth.users (
  instance_id uuid,
  id uuid not null,
  aud character varying(255),
  role character varying(255),
  email character varying(255),
  encrypted_password character varying(255),
  email_confirmed_at timestamp with time zone,
  invited_at timestamp with time zone,
  confirmation_token character varying(255),
  confirmation_sent_at timestamp with time zone,
  recovery_token character varying(255),
  recovery_sent_at timestamp with time zone,
  email_change_token_new character varying(255),
  email_change character varying(255),
  email_change_sent_at timestamp with time zone,
  last_sign_in_at timestamp with time zone,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamp with time zone,
  updated_at timestamp with time zone,
  phone text default null::character varying,
  phone_confirmed_at timestamp with time zone,
  phone_change text default ''::character varying,
  phone_change_token character varying(255) default ''::character varying,
  phone_change_sent_at timestamp with time zone,
  confirmed_at timestamp with time zone generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  email_change_token_current character varying(255) default ''::character varying,
  email_change_confirm_status smallint default 0,
  banned_until timestamp with time zone,
  reauthentication_token character varying(255) default ''::character varying,
  reauthentication_sent_at timestamp with time zone,
  is_sso_user boolean not null default false,
  deleted_at timestamp with time zone,
  is_anonymous boolean not null default false,
  constraint users_pkey primary key (id),
  constraint users_phone_key unique (phone),
  constraint users_email_change_confirm_status_check check (email_change_confirm_status >= 0 and email_change_confirm_status <= 2)
);
alter table auth.users enable row level security;
comment on table auth.users is 'Auth: Stores user login data within a secure schema.';
comment on column auth.users.is_sso_user is 'Auth: Set this column to true when the account comes from SSO. These accounts can have duplicate emails.';
create unique index if not exists users_email_partial_key on auth.users (email) where (is_sso_user = false);
comment on index auth.users_email_partial_key is 'Auth: A partial unique index that applies only when is_sso_user is false';
create unique index if not exists confirmation_token_idx on auth.users (confirmation_token) where ((confirmation_token)::text !~ '^[0-9 ]*$'::text);
create unique index if not exists recovery_token_idx on auth.users (recovery_token) where ((recovery_token)::text !~ '^[0-9 ]*$'::text);
create unique index if not exists email_change_token_current_idx on auth.users (email_change_token_current) where ((email_change_token_current)::text !~ '^[0-9 ]*$'::text);
create unique index if not exists email_change_token_new_idx on auth.users (email_change_token_new) where ((email_change_token_new)::text !~ '^[0-9 ]*$'::text);
create unique index if not exists reauthentication_token_idx on auth.users (reauthentication_token) where ((reauthentication_token)::text !~ '^[0-9 ]*$'::text);
create index if not exists users_instance_id_email_idx on auth.users (instance_id, lower((email)::text));
create index if not exists users_instance_id_idx on auth.users (instance_id);
create index if not exists users_is_anonymous_idx on auth.users (is_anonymous);

create or replace function auth.uid()
returns uuid
language sql stable
as $$
  select
  coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;
comment on function auth.uid() is 'Deprecated. Use auth.jwt() -> ''sub'' instead.';

create or replace function auth.role()
returns text
language sql stable
as $$
  select
  coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;
comment on function auth.role() is 'Deprecated. Use auth.jwt() -> ''role'' instead.';

create or replace function auth.email()
returns text
language sql stable
as $$
  select
  coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;
comment on function auth.email() is 'Deprecated. Use auth.jwt() -> ''email'' instead.';

create or replace function auth.jwt()
returns jsonb
language sql stable
as $$
  select
    coalesce(
        nullif(current_setting('request.jwt.claim', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')
    )::jsonb
$$;

grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt() to anon, authenticated, service_role;

-- In Supabase, schema auth belongs to supabase_admin, and tools rely on it: the
-- Supabase CLI's remote "db reset --db-url" drops every schema but its managed
-- ones and those owned by supabase_admin. Left to postgres, auth would go.
do $$
begin
${SUPABASE_ADMIN_ROLE}end
$$;
alter schema auth owner to supabase_admin;
`;

/** uuid-ossp and pgcrypto, in schema extensions as on every Supabase database. */
export const EXTENSIONS_SQL = /* sql */ `
create schema if not exists extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;
`;

/**
 * Storage's baseline, as a fresh Supabase project has it before the Storage
 * service adds its later columns (public, file_size_limit, …): the schema
 * belongs to supabase_admin, its tables and functions to
 * supabase_storage_admin, and the API roles get everything, as the Storage
 * migrations grant it. The connecting user is made a member of
 * supabase_storage_admin, as postgres is on a Supabase stack, so a migration
 * can create policies on storage.objects.
 */
export const STORAGE_SQL = /* sql */ `
do $$
begin
${SUPABASE_ADMIN_ROLE}  if not exists (select from pg_catalog.pg_roles where rolname = 'supabase_storage_admin') then
    create role supabase_storage_admin nologin noinherit createrole;
  end if;
  if not pg_catalog.pg_has_role(current_user, 'supabase_storage_admin', 'member') then
    execute format('grant supabase_storage_admin to %I', current_user);
  end if;
end
$$;

create schema if not exists storage;
grant all on schema storage to supabase_storage_admin with grant option;

create table if not exists storage.buckets (
  id text not null,
  name text not null,
  owner uuid,
  created_at timestamp with time zone default now(),
  updated_at timestamp with time zone default now(),
  constraint buckets_pkey primary key (id)
);
create unique index if not exists bname on storage.buckets using btree (name);

create table if not exists storage.objects (
  id uuid not null default extensions.uuid_generate_v4(),
  bucket_id text,
  name text,
  owner uuid,
  created_at timestamp with time zone default now(),
  updated_at timestamp with time zone default now(),
  last_accessed_at timestamp with time zone default now(),
  metadata jsonb,
  constraint objects_pkey primary key (id),
  constraint "objects_bucketId_fkey" foreign key (bucket_id) references storage.buckets (id)
);
create unique index if not exists bucketid_objname on storage.objects using btree (bucket_id, name);
create index if not exists name_prefix_search on storage.objects using btree (name text_pattern_ops);
alter table storage.objects enable row level security;

create or replace function storage.foldername(name text)
returns text[]
language plpgsql
as $function$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[1:array_length(_parts, 1) - 1];
end
$function$;

create or replace function storage.filename(name text)
returns text
language plpgsql
as $function$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[array_length(_parts, 1)];
end
$function$;

create or replace function storage.extension(name text)
returns text
language plpgsql
as $function$
declare
  _parts text[];
  _filename text;
begin
  select string_to_array(name, '/') into _parts;
  select _parts[array_length(_parts, 1)] into _filename;
  return reverse(split_part(reverse(_filename), '.', 1));
end
$function$;

create or replace function storage.search(prefix text, bucketname text, limits int default 100, levels int default 1, offsets int default 0)
returns table (name text, id uuid, updated_at timestamptz, created_at timestamptz, last_accessed_at timestamptz, metadata jsonb)
language plpgsql
as $function$
begin
  return query
    with files_folders as (
      select ((string_to_array(objects.name, '/'))[levels]) as folder
      from storage.objects
      where objects.name ilike prefix || '%'
        and bucket_id = bucketname
      group by folder
      limit limits
      offset offsets
    )
    select files_folders.folder as name, objects.id, objects.updated_at, objects.created_at, objects.last_accessed_at, objects.metadata
    from files_folders
    left join storage.objects on prefix || files_folders.folder = objects.name and objects.bucket_id = bucketname;
end
$function$;

-- the API roles get everything, as Storage's migrations grant it; the connecting user
-- keeps its rights on the tables, as postgres has them on Supabase
do $$
declare
  grantee text;
begin
  for grantee in select rolname from pg_catalog.pg_roles
                  where rolname in ('anon', 'authenticated', 'service_role', current_user) loop
    execute format('grant usage on schema storage to %I', grantee);
    execute format('grant all on storage.buckets, storage.objects to %I', grantee);
    execute format('grant all on function storage.foldername(text), storage.filename(text), storage.extension(text), '
                   'storage.search(text, text, int, int, int) to %I', grantee);
  end loop;
end
$$;
alter table storage.buckets owner to supabase_storage_admin;
alter table storage.objects owner to supabase_storage_admin;
alter function storage.foldername(text) owner to supabase_storage_admin;
alter function storage.filename(text) owner to supabase_storage_admin;
alter function storage.extension(text) owner to supabase_storage_admin;
alter function storage.search(text, text, int, int, int) owner to supabase_storage_admin;
alter schema storage owner to supabase_admin;
`;

/** Every part, in the order they run: what the PostgreSQL 15 check reads as our SQL. */
export const BOOTSTRAP_SQL = [AUTH_SQL, EXTENSIONS_SQL, STORAGE_SQL].join('\n');

export type PlatformPart = 'auth' | 'extensions' | 'storage';

export const BOOTSTRAP_PARTS: Record<PlatformPart, string> = { auth: AUTH_SQL, extensions: EXTENSIONS_SQL, storage: STORAGE_SQL };

/** What each part creates, for messages. */
export const PART_DESCRIPTION: Record<PlatformPart, string> = {
  auth: 'roles anon/authenticated/service_role, schemas extensions and auth, auth.users, auth.uid()/role()/jwt()',
  extensions: 'uuid-ossp and pgcrypto in schema extensions',
  storage: 'schema storage with buckets, objects and its functions',
};

/** The parts of the platform the target lacks, in the order they must run. Reads only. */
export async function missingPlatform(target: Target): Promise<PlatformPart[]> {
  const [row] = await target.query<{ auth: boolean; extensions: boolean; storage: boolean }>(`
    select to_regclass('auth.users') is null as auth,
           (select count(*) from pg_catalog.pg_extension where extname in ('uuid-ossp', 'pgcrypto')) < 2 as extensions,
           to_regclass('storage.buckets') is null as storage`);
  return (['auth', 'extensions', 'storage'] as const).filter((part) => row?.[part] === true);
}

/** True when the target already has Supabase's auth.users (a real Supabase, or a bootstrapped database). */
export async function hasPlatform(target: Target): Promise<boolean> {
  return !(await missingPlatform(target)).includes('auth');
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
    await inTransaction(target, () => target.exec(missing.map((part) => BOOTSTRAP_PARTS[part]).join('\n')));
  } catch (error) {
    throw refused(`the Supabase platform (${missing.join(', ')}) cannot be created on ${target.label}: ${describe(error)}; nothing was created`);
  }
  return missing;
}

/** pgTAP in schema `extensions`, as `supabase test db` installs it when missing. */
export async function ensurePgTap(target: Target): Promise<void> {
  await target.exec(`create extension if not exists pgtap with schema extensions`);
}
