-- Test helpers, installed before every other test file.
--
-- pg_prove (and so `supabase test db`) and our runner both run the files of
-- supabase/tests in path order, so this file, first in that order, installs
-- the helpers the others use. It is the one file that commits: the helpers
-- must outlive it. They never ship in a migration: production has no schema
-- `tests`. Everything here is idempotent, so the file can run any number of
-- times against the same database.
--
--   tests.create_user(handle, role)    a user in auth.users with a profile;
--                                      the id is derived from the handle
--   tests.get_user_id(handle)          that user's id
--   tests.authenticate_as(handle)      act as that user (authenticated)
--   tests.authenticate_as_anon()       act as a signed-out visitor
--   tests.authenticate_as_service_role()  act as the backend
--   tests.clear_authentication()       back to the connecting role
--   tests.uses_index(query, index, description)
--                                      a TAP line: the query's plan uses the index
--
-- Acting as someone sets `role` and `request.jwt.claims` for the current
-- transaction only (set_config(..., true)), as Supabase's API does per request,
-- so nothing outlives a test file's rollback.

create extension if not exists pgtap with schema extensions;

create schema if not exists tests;

comment on schema tests is
  'pgTAP helpers; installed by supabase/tests/000_test_helpers.sql, never by a migration.';

grant usage on schema tests to anon, authenticated, service_role;

-- The id of a test user is a function of its handle, so a file can name the
-- same user in fixtures and expected results without looking it up.
create or replace function tests.user_id_for(handle text)
returns uuid
language sql
immutable
set search_path = ''
as $$
  select md5('tests.user:' || handle)::uuid;
$$;

create or replace function tests.create_user(handle text, role text default 'user')
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  user_id uuid := tests.user_id_for(handle);
begin
  insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, email_confirmed_at)
  values (
    user_id, 'authenticated', 'authenticated', handle || '@tests.local',
    '{"provider": "email", "providers": ["email"]}', jsonb_build_object('handle', handle), now()
  );
  insert into public.user_profiles (user_id, full_name, business_name, role)
  values (user_id, initcap(handle), initcap(handle) || ' Ltd', create_user.role);
  return user_id;
end;
$$;

-- Security definer: callers acting as anon or authenticated cannot read
-- auth.users, and must still be able to name a test user.
create or replace function tests.get_user_id(handle text)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  found uuid;
begin
  select u.id into found from auth.users u where u.id = tests.user_id_for(handle);
  if found is null then
    raise exception 'test user "%" does not exist: create it with tests.create_user()', handle;
  end if;
  return found;
end;
$$;

create or replace function tests.authenticate_as(handle text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  user_id uuid := tests.get_user_id(handle);
begin
  perform set_config('role', 'authenticated', true);
  perform set_config('request.jwt.claims', jsonb_build_object(
    'sub', user_id,
    'role', 'authenticated',
    'email', handle || '@tests.local',
    'aud', 'authenticated'
  )::text, true);
end;
$$;

create or replace function tests.authenticate_as_anon()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'anon', true);
  perform set_config('request.jwt.claims', '{"role": "anon"}', true);
end;
$$;

create or replace function tests.authenticate_as_service_role()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'service_role', true);
  perform set_config('request.jwt.claims', '{"role": "service_role"}', true);
end;
$$;

create or replace function tests.clear_authentication()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', session_user, true);
  perform set_config('request.jwt.claims', '', true);
end;
$$;

-- pgTAP cannot say that a query uses an index. uses_index reads the plan as
-- JSON and looks for the index in any node (index scan, index only scan, bitmap index
-- scan). Plans must not depend on table statistics, which vary with the
-- fixtures and the last analyze: sequential scans are disabled while planning,
-- so the test proves that the index can serve the query, whatever the
-- planner would pick for a handful of fixture rows. The query is planned as
-- the current role, with its policies applied.
create or replace function tests.plan_of(query text)
returns jsonb
language plpgsql
set search_path = ''
set enable_seqscan = off
as $$
declare
  plan jsonb;
begin
  execute 'explain (format json, costs off) ' || query into plan;
  return plan;
end;
$$;

create or replace function tests.plan_uses_index(query text, index_name text)
returns boolean
language sql
set search_path = ''
as $$
  select jsonb_path_exists(
    tests.plan_of(query), 'strict $.**."Index Name" ? (@ == $name)', jsonb_build_object('name', index_name)
  );
$$;

create or replace function tests.uses_index(query text, index_name text, description text)
returns text
-- pgTAP's functions find their own helpers through the search_path: pgTAP's schema.
set search_path = extensions, public
language plpgsql
as $$
begin
  if tests.plan_uses_index(query, index_name) then
    return ok(true, description);
  end if;
  return ok(false, description) || e'\n' || diag(
    'index ' || index_name || ' is not in the plan:' || e'\n' || jsonb_pretty(tests.plan_of(query))
  );
end;
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

-- The helpers themselves, proved.
begin;
select plan(12);

select is(
  tests.create_user('helper_alice'), tests.user_id_for('helper_alice'),
  'create_user returns the id derived from the handle'
);
select is(
  (select role from public.user_profiles where user_id = tests.get_user_id('helper_alice')), 'user',
  'create_user gives the user a profile with role user'
);
select throws_ok(
  $$ select tests.get_user_id('helper_nobody') $$, 'P0001',
  'test user "helper_nobody" does not exist: create it with tests.create_user()',
  'get_user_id refuses a handle that was never created'
);

select tests.authenticate_as('helper_alice');
select is(current_user::text, 'authenticated', 'authenticate_as switches to the authenticated role');
select is(auth.uid(), tests.user_id_for('helper_alice'), 'authenticate_as makes auth.uid() the user''s id');
select is(auth.jwt() ->> 'aud', 'authenticated', 'authenticate_as sets the claims Supabase sets');

select tests.authenticate_as_anon();
select is(current_user::text, 'anon', 'authenticate_as_anon switches to the anon role');
select is(auth.uid(), null, 'a signed-out visitor has no auth.uid()');

select tests.authenticate_as_service_role();
select is(current_user::text, 'service_role', 'authenticate_as_service_role switches to service_role');

select tests.clear_authentication();
select is(current_user::text, session_user::text, 'clear_authentication returns to the connecting role');

select tests.uses_index(
  $$ select * from public.automations where slug = 'x' $$, 'automations_slug_key',
  'uses_index finds an index the plan uses'
);
select is(
  tests.plan_uses_index($$ select * from public.automations where slug = 'x' $$, 'automations_tags_idx'),
  false,
  'plan_uses_index is false for an index the plan does not use'
);

select * from finish();
rollback;
