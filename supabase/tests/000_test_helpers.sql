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
--                                      a TAP line: the index can serve the query
--                                      (see below: whatever the statistics)
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

-- Index assertions: does an index serve a query? pgTAP cannot say, so
-- uses_index reads the plan (EXPLAIN, as JSON) and looks for the index in any
-- node (index scan, index only scan, bitmap index scan).
--
-- The question it answers is whether the index can serve the query (it is
-- usable), not whether the planner chooses it today. The planner's choice
-- between several indexes that could serve a query depends on the table's
-- statistics, and on a server autovacuum analyzes the seeded tables at a
-- moment nobody controls: (automation_id, step_number) and (automation_id, id)
-- both serve "a guide's step by number", and which one wins flipped from run to
-- run on PostgreSQL 15. Disabling sequential scans does not settle that. So
-- plan_of plans the query with every other index of the index's table out of
-- the way (dropped inside a subtransaction that is always rolled back) and
-- sequential scans disabled: if the index can serve the query, it is the only
-- access path not disabled and the plan uses it, whatever the statistics say
-- (none, fresh or stale); if it cannot, the plan is a sequential scan. The
-- indexes are dropped as the session user (the tables' owner, postgres on
-- Supabase), and the query is planned as the current role, with its policies.
create or replace function tests.plan_of(query text, index_name text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  caller text := current_user;
  indexed regclass;
  plan jsonb;
begin
  select i.indrelid::regclass into indexed
  from pg_catalog.pg_index i
  join pg_catalog.pg_class c on c.oid = i.indexrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where c.relname = index_name and n.nspname not in ('pg_catalog', 'information_schema');
  if indexed is null then
    raise exception 'index "%" does not exist', index_name;
  end if;
  begin
    perform pg_catalog.set_config('role', session_user::text, true);
    -- every other index of the table; one behind a key goes with its constraint (and foreign keys to it with that)
    execute coalesce((
      select string_agg(
        case when con.conname is null then pg_catalog.format('drop index %s', c.oid::regclass)
             else pg_catalog.format('alter table %s drop constraint %I cascade', indexed, con.conname) end,
        '; ')
      from pg_catalog.pg_index i
      join pg_catalog.pg_class c on c.oid = i.indexrelid
      left join pg_catalog.pg_constraint con
        on con.conindid = i.indexrelid and con.conrelid = i.indrelid and con.contype in ('p', 'u', 'x')
      where i.indrelid = indexed and c.relname <> index_name
    ), 'select');
    perform pg_catalog.set_config('role', caller, true);
    perform pg_catalog.set_config('enable_seqscan', 'off', true);
    execute 'explain (format json, costs off) ' || query into plan;
    -- undo the drops (and the settings): the plan, a variable, survives the rollback
    raise sqlstate 'TSIDX';
  exception when sqlstate 'TSIDX' then
    null;
  end;
  return plan;
end;
$$;

create or replace function tests.plan_uses_index(query text, index_name text)
returns boolean
language sql
set search_path = ''
as $$
  select jsonb_path_exists(
    tests.plan_of(query, index_name), 'strict $.**."Index Name" ? (@ == $name)', jsonb_build_object('name', index_name)
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
    'index ' || index_name || ' cannot serve the query: with the table''s other indexes set aside and sequential scans disabled, the plan is' || e'\n' || jsonb_pretty(tests.plan_of(query, index_name))
  );
end;
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

-- The helpers themselves, proved.
begin;
select plan(15);

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
  'uses_index passes for an index that serves the query'
);
select is(
  tests.plan_uses_index($$ select * from public.automations where slug = 'x' $$, 'automations_tags_idx'),
  false,
  'plan_uses_index is false for an index that cannot serve the query'
);
select set_eq(
  $$ select indexname::text from pg_catalog.pg_indexes where schemaname = 'public' and tablename = 'automations' $$,
  array['automations_pkey', 'automations_slug_key', 'automations_tags_idx', 'automations_category_difficulty_idx',
        'automations_published_at_idx', 'automations_embedding_idx'],
  'the indexes plan_of sets aside are all back afterwards'
);
select tests.authenticate_as('helper_alice');
select ok(
  tests.plan_uses_index($$ select id from public.user_automations where user_id = auth.uid() and status = 'saved' $$, 'user_automations_user_id_status_idx')
    and current_user = 'authenticated',
  'plan_of plans as the current role, which it keeps'
);
select tests.clear_authentication();
select is(current_setting('enable_seqscan'), 'on', 'plan_of leaves enable_seqscan as it was');

select * from finish();
rollback;
