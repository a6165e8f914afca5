-- private.is_admin(): how every policy recognises an admin.
--
-- A security definer function with an empty search_path that reads the
-- caller's own profile outside row level security, so that user_profiles'
-- policies can ask "is the caller an admin?" without recursing. It takes no
-- argument: it answers only for the caller. anon cannot call it at all.
begin;
select plan(16);

-- ============================================================================
-- Fixtures, as postgres
-- ============================================================================
select tests.create_user('alice');
select tests.create_user('ada', 'admin');

-- ============================================================================
-- The function itself
-- ============================================================================
select is_definer(
  'private', 'is_admin', array[]::name[],
  'the admin helper runs as its owner, outside row level security'
);
select is(
  (select proconfig from pg_catalog.pg_proc where oid = 'private.is_admin()'::regprocedure),
  array['search_path=""'],
  'the admin helper runs with an empty search_path, so no caller can shadow what it reads'
);
select is(
  (select array_agg(p.pronargs)
   from pg_catalog.pg_proc p
   where p.proname = 'is_admin' and p.pronamespace = 'private'::regnamespace),
  array[0::smallint],
  'the admin helper takes no argument: nobody can ask it about another user'
);
select ok(
  not exists (
    select 1
    from pg_catalog.pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
    where p.oid = 'private.is_admin()'::regprocedure
      and a.grantee = 0 and a.privilege_type = 'EXECUTE'
  ),
  'the admin helper is not executable by public'
);
select function_privs_are(
  'private', 'is_admin', array[]::name[], 'anon', array[]::text[],
  'a signed-out visitor has no execute privilege on the admin helper'
);
select schema_privs_are(
  'private', 'anon', array[]::text[],
  'a signed-out visitor cannot even see the schema of the admin helper'
);
select function_privs_are(
  'private', 'is_admin', array[]::name[], 'authenticated', array['EXECUTE'],
  'signed-in users may execute the admin helper, as every policy calls it'
);

-- ============================================================================
-- anon
-- ============================================================================
select tests.authenticate_as_anon();

select throws_ok(
  $$ select private.is_admin() $$,
  '42501', 'permission denied for schema private',
  'a signed-out visitor cannot call the admin helper'
);

-- ============================================================================
-- a user
-- ============================================================================
select tests.authenticate_as('alice');

select is(
  private.is_admin(), false,
  'the admin helper tells a user that they are not an admin'
);
select lives_ok(
  $$ select * from public.user_profiles $$,
  'a user reads user_profiles without the admin check recursing through its policies'
);
select results_eq(
  $$ select full_name from public.user_profiles $$,
  $$ values ('Alice') $$,
  'the admin check lets a user read only their own profile, not the admin''s'
);

-- ============================================================================
-- an admin
-- ============================================================================
select tests.authenticate_as('ada');

select is(
  private.is_admin(), true,
  'the admin helper recognises an admin'
);
select results_eq(
  $$ select full_name from public.user_profiles
     where user_id in (tests.user_id_for('alice'), tests.user_id_for('ada'))
     order by full_name $$,
  $$ values ('Ada'), ('Alice') $$,
  'an admin reads other users'' profiles without the admin check recursing'
);

-- ============================================================================
-- someone signed in whose user has no profile, and the service role
-- ============================================================================
select tests.clear_authentication();
do $$
begin
  perform set_config('role', 'authenticated', true);
  perform set_config('request.jwt.claims', '{"sub": "00000000-0000-4000-8000-00000000dead", "role": "authenticated"}', true);
end
$$;

select is(
  private.is_admin(), false,
  'a signed-in caller without a profile is not an admin'
);
select is_empty(
  $$ select * from public.user_profiles $$,
  'a signed-in caller without a profile reads no profile'
);

select tests.authenticate_as_service_role();

select is(
  private.is_admin(), false,
  'the service role, which acts for no user, is not an admin (it needs no policy)'
);

select tests.clear_authentication();

select * from finish();
rollback;
