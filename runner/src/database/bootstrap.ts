/**
 * The Supabase platform where it is missing. A real Supabase database has these
 * objects before any user migration runs; a bare PostgreSQL (PGlite included)
 * does not. The script is idempotent and runs only when `auth.users` is absent,
 * so a Supabase database is never touched.
 *
 * Definitions follow supabase/postgres (roles, grants, default privileges) and
 * supabase/auth (auth.users columns, auth.uid/role/jwt/email).
 */
import { inTransaction, type Target } from './target.js';

export const BOOTSTRAP_SQL = /* sql */ `
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
  -- Supabase grants these roles to postgres so that tests can "set role authenticated".
  execute format('grant anon, authenticated, service_role to %I', current_user);
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
  phone text default null,
  phone_confirmed_at timestamp with time zone,
  phone_change text default '',
  phone_change_token character varying(255) default '',
  phone_change_sent_at timestamp with time zone,
  confirmed_at timestamp with time zone generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  email_change_token_current character varying(255) default '',
  email_change_confirm_status smallint default 0,
  banned_until timestamp with time zone,
  reauthentication_token character varying(255) default '',
  reauthentication_sent_at timestamp with time zone,
  is_sso_user boolean not null default false,
  deleted_at timestamp with time zone,
  is_anonymous boolean not null default false,
  constraint users_pkey primary key (id),
  constraint users_email_key unique (email),
  constraint users_phone_key unique (phone),
  constraint users_email_change_confirm_status_check check (email_change_confirm_status >= 0 and email_change_confirm_status <= 2)
);
alter table auth.users enable row level security;
comment on table auth.users is 'Auth: Stores user login data within a secure schema.';
create index if not exists users_instance_id_idx on auth.users (instance_id);

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
  if not exists (select from pg_catalog.pg_roles where rolname = 'supabase_admin') then
    create role supabase_admin nologin noinherit;
  end if;
  execute format('grant supabase_admin to %I', current_user);
end
$$;
alter schema auth owner to supabase_admin;
`;

/** True when the target already has Supabase's platform objects (a real Supabase, or a bootstrapped database). */
export async function hasPlatform(target: Target): Promise<boolean> {
  const [row] = await target.query<{ present: boolean }>(`select to_regclass('auth.users') is not null as present`);
  return row?.present === true;
}

/** Creates the platform objects unless `auth.users` exists. Returns whether it ran. */
export async function ensurePlatform(target: Target): Promise<boolean> {
  if (await hasPlatform(target)) return false;
  await inTransaction(target, () => target.exec(BOOTSTRAP_SQL));
  return true;
}

/** pgTAP in schema `extensions`, as `supabase test db` installs it when missing. */
export async function ensurePgTap(target: Target): Promise<void> {
  await target.exec(`create extension if not exists pgtap with schema extensions`);
}
