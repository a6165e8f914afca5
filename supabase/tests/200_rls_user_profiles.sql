-- Row level security: user_profiles.
--
-- The RLS matrix (270_rls_matrix.sql) states who may select, insert, update
-- and delete which profiles, and proves that anon holds no privilege at all:
-- its refusals are not repeated here. This file follows the actors through
-- writes with values: which profiles each one sees, that the role is an
-- admin's to give (a trigger, with its message), that a profile stays its
-- owner's, what refused and filtered writes leave behind, and that a demoted
-- admin loses an admin's rights at once.
begin;
select plan(28);

-- ============================================================================
-- Fixtures, as postgres
-- ============================================================================
select tests.create_user('alice');
select tests.create_user('bob');
select tests.create_user('ada', 'admin');
-- carol and dave have signed up but have no profile yet.
select tests.create_user('carol');
select tests.create_user('dave');
select tests.create_user('eve');
delete from public.user_profiles
where user_id in (tests.user_id_for('carol'), tests.user_id_for('dave'));

-- ============================================================================
-- owner
-- ============================================================================
select tests.authenticate_as('alice');

select results_eq(
  $$ select full_name from public.user_profiles $$,
  $$ values ('Alice') $$,
  'a user sees their own profile and no one else''s'
);
select results_eq(
  $$ update public.user_profiles set business_name = 'Alice Consulting'
     where user_id = tests.user_id_for('alice') returning business_name $$,
  $$ values ('Alice Consulting') $$,
  'a user changes their own profile'
);
select throws_ok(
  $$ update public.user_profiles set role = 'admin' where user_id = tests.user_id_for('alice') $$,
  '42501', 'only an admin can change a user''s role',
  'a user cannot make themselves an admin'
);
select throws_ok(
  $$ update public.user_profiles set user_id = tests.user_id_for('dave')
     where user_id = tests.user_id_for('alice') $$,
  '42501', 'new row violates row-level security policy for table "user_profiles"',
  'a user cannot move their profile to another user'
);
select throws_ok(
  $$ insert into public.user_profiles (user_id, full_name) values (tests.user_id_for('dave'), 'Not Dave') $$,
  '42501', 'new row violates row-level security policy for table "user_profiles"',
  'a user cannot create a profile for another user'
);

select tests.authenticate_as('carol');

select throws_ok(
  $$ insert into public.user_profiles (user_id, role) values (tests.user_id_for('carol'), 'admin') $$,
  '42501', 'only an admin can create a profile with role admin',
  'a new user cannot create their profile with role admin'
);
select results_eq(
  $$ insert into public.user_profiles (user_id, full_name) values (tests.user_id_for('carol'), 'Carol')
     returning full_name, role $$,
  $$ values ('Carol', 'user') $$,
  'a new user creates their own profile, with role user'
);
select results_eq(
  $$ delete from public.user_profiles where user_id = tests.user_id_for('carol') returning full_name $$,
  $$ values ('Carol') $$,
  'a user deletes their own profile'
);

-- ============================================================================
-- another user: bob acting on alice's profile
-- ============================================================================
select tests.authenticate_as('bob');

select is_empty(
  $$ select * from public.user_profiles where user_id = tests.user_id_for('alice') $$,
  'a user cannot read another user''s profile'
);
select is_empty(
  $$ update public.user_profiles set business_name = 'Hacked'
     where user_id = tests.user_id_for('alice') returning user_id $$,
  'a user''s update of another user''s profile changes no row'
);
select is_empty(
  $$ update public.user_profiles set role = 'admin'
     where user_id = tests.user_id_for('alice') returning user_id $$,
  'a user cannot promote another user: the update changes no row'
);
select is_empty(
  $$ delete from public.user_profiles where user_id = tests.user_id_for('alice') returning user_id $$,
  'a user''s delete of another user''s profile removes no row'
);

-- ============================================================================
-- another user writing blind: eve updates and deletes with no where and no
-- returning clause. Such a statement reads no column, so no select policy
-- filters it: the update and delete policies alone must keep eve to her own
-- rows, and their with check must keep her rows hers.
-- ============================================================================
select tests.authenticate_as('eve');

select throws_ok(
  $$ update public.user_profiles set user_id = tests.user_id_for('dave') $$,
  '42501', 'new row violates row-level security policy for table "user_profiles"',
  'a user''s blind update cannot move their profile to another user'
);
select lives_ok(
  $$ update public.user_profiles set business_name = 'Eve was here' $$,
  'a user''s blind update of every profile changes only their own'
);
select lives_ok(
  $$ delete from public.user_profiles $$,
  'a user''s blind delete of every profile removes only their own'
);

select tests.clear_authentication();

select results_eq(
  $$ select business_name, role from public.user_profiles where user_id = tests.user_id_for('alice') $$,
  $$ values ('Alice Consulting', 'user') $$,
  'another user''s attempts leave the profile and its role unchanged'
);

-- ============================================================================
-- admin
-- ============================================================================
select tests.authenticate_as('ada');

select results_eq(
  $$ select full_name from public.user_profiles
     where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'), tests.user_id_for('ada'))
     order by full_name $$,
  $$ values ('Ada'), ('Alice'), ('Bob') $$,
  'an admin reads other users'' profiles as well as their own'
);
select results_eq(
  $$ update public.user_profiles set business_name = 'Bob Bakery'
     where user_id = tests.user_id_for('bob') returning business_name $$,
  $$ values ('Bob Bakery') $$,
  'an admin changes another user''s profile'
);
select results_eq(
  $$ insert into public.user_profiles (user_id, full_name, role) values (tests.user_id_for('dave'), 'Dave', 'admin')
     returning role $$,
  $$ values ('admin') $$,
  'an admin creates a profile for another user, with role admin'
);
select results_eq(
  $$ update public.user_profiles set role = 'user' where user_id = tests.user_id_for('dave') returning role $$,
  $$ values ('user') $$,
  'an admin changes another user''s role'
);
select results_eq(
  $$ delete from public.user_profiles where user_id = tests.user_id_for('dave') returning full_name $$,
  $$ values ('Dave') $$,
  'an admin deletes another user''s profile'
);

-- An admin who is demoted is no longer an admin: the next statement decides
-- from the profile, not from anything cached in the session.
select tests.clear_authentication();
update public.user_profiles set role = 'user' where user_id = tests.user_id_for('ada');
select tests.authenticate_as('ada');

select results_eq(
  $$ select full_name from public.user_profiles $$,
  $$ values ('Ada') $$,
  'a demoted admin sees only their own profile again'
);
select throws_ok(
  $$ update public.user_profiles set role = 'admin' where user_id = tests.user_id_for('ada') $$,
  '42501', 'only an admin can change a user''s role',
  'a demoted admin cannot promote themselves back'
);

select tests.clear_authentication();
update public.user_profiles set role = 'admin' where user_id = tests.user_id_for('ada');

-- ============================================================================
-- service_role: the backend, outside row level security
-- ============================================================================
select tests.authenticate_as_service_role();

select is(
  (select count(*) from public.user_profiles
   where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'), tests.user_id_for('ada'))), 3::bigint,
  'the service role reads every profile'
);
select results_eq(
  $$ insert into public.user_profiles (user_id, full_name, role) values (tests.user_id_for('carol'), 'Carol', 'admin')
     returning role $$,
  $$ values ('admin') $$,
  'the service role creates a profile with any role'
);
select results_eq(
  $$ update public.user_profiles set role = 'user' where user_id = tests.user_id_for('carol') returning role $$,
  $$ values ('user') $$,
  'the service role changes a user''s role'
);
select results_eq(
  $$ delete from public.user_profiles where user_id = tests.user_id_for('carol') returning full_name $$,
  $$ values ('Carol') $$,
  'the service role deletes a profile'
);

select tests.clear_authentication();

-- ============================================================================
-- As postgres, the end state: what was refused left no trace.
-- ============================================================================
select results_eq(
  $$ select full_name, business_name, role from public.user_profiles
     where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'), tests.user_id_for('ada'),
                       tests.user_id_for('carol'), tests.user_id_for('dave'), tests.user_id_for('eve'))
     order by full_name $$,
  $$ values ('Ada', 'Ada Ltd', 'admin'), ('Alice', 'Alice Consulting', 'user'), ('Bob', 'Bob Bakery', 'user') $$,
  'only the allowed changes reached the profiles'
);

select * from finish();
rollback;
