-- Roles and grants: the roles PostgREST switches to, supabase_admin (owner of the
-- platform's schemas), and Supabase's grants on schema public. Run when one of
-- anon, authenticated, service_role, supabase_admin is missing, when the connecting
-- user is not a member of the first three, and with auth.sql (the roles are the
-- cluster's, the grants the database's).

-- anon (no JWT), authenticated (a signed-in user), service_role (server-side code;
-- bypasses row level security). Supabase grants them to postgres so that tests can
-- "set role authenticated"; granted only where missing, so a user who has them
-- already needs no right to grant them.
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
  if not exists (select from pg_catalog.pg_roles where rolname = 'supabase_admin') then
    create role supabase_admin nologin noinherit;
  end if;
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
