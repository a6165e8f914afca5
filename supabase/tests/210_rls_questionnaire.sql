-- Row level security: questionnaire_sessions and questionnaire_responses.
--
-- The RLS matrix (270_rls_matrix.sql) states who may select, insert, update
-- and delete which sessions and answers, and proves that anon holds no
-- privilege on either table: its refusals are not repeated here. This file
-- follows the actors through writes with values: which rows each one sees,
-- that a session or an answer can never be put under someone else, what
-- refused and filtered writes leave behind, and that every answer stays under
-- its session's owner.
begin;
select plan(42);

-- ============================================================================
-- Fixtures, as postgres
-- ============================================================================
select tests.create_user('alice');
select tests.create_user('bob');
select tests.create_user('ada', 'admin');
select tests.create_user('eve');

insert into public.questionnaire_sessions (id, user_id, current_step) values
  ('a11ce000-5e55-4000-8000-000000000001', tests.user_id_for('alice'), 2),
  ('b0b00000-5e55-4000-8000-000000000001', tests.user_id_for('bob'), 3),
  ('e0e00000-5e55-4000-8000-000000000001', tests.user_id_for('eve'), 1);

insert into public.questionnaire_responses (id, session_id, user_id, question_key, answer) values
  ('a11ce000-7e50-4000-8000-000000000001', 'a11ce000-5e55-4000-8000-000000000001',
   tests.user_id_for('alice'), 'business_size', '"solo"'),
  ('b0b00000-7e50-4000-8000-000000000001', 'b0b00000-5e55-4000-8000-000000000001',
   tests.user_id_for('bob'), 'business_size', '"small-team"'),
  ('e0e00000-7e50-4000-8000-000000000001', 'e0e00000-5e55-4000-8000-000000000001',
   tests.user_id_for('eve'), 'business_size', '"solo"');

-- ============================================================================
-- owner
-- ============================================================================
select tests.authenticate_as('alice');

select results_eq(
  $$ select id from public.questionnaire_sessions $$,
  $$ values ('a11ce000-5e55-4000-8000-000000000001'::uuid) $$,
  'a user sees only their own questionnaire sessions'
);
select results_eq(
  $$ select id from public.questionnaire_responses $$,
  $$ values ('a11ce000-7e50-4000-8000-000000000001'::uuid) $$,
  'a user sees only their own questionnaire answers'
);
-- The server picks the ids of new rows (292_rls_attacks_hardening.sql): the
-- new session is the one at step 7.
select results_eq(
  $$ insert into public.questionnaire_sessions (user_id, current_step)
     values (tests.user_id_for('alice'), 7) returning user_id, current_step $$,
  $$ values (tests.user_id_for('alice'), 7) $$,
  'a user starts a questionnaire session of their own'
);
select results_eq(
  $$ insert into public.questionnaire_responses (session_id, user_id, question_key, answer)
     select id, user_id, 'goals', '["save time"]' from public.questionnaire_sessions where current_step = 7
     returning question_key, answer $$,
  $$ values ('goals', '["save time"]'::jsonb) $$,
  'a user answers a question in their own session'
);
select results_eq(
  $$ update public.questionnaire_sessions set current_step = 3
     where id = 'a11ce000-5e55-4000-8000-000000000001' returning current_step $$,
  $$ values (3) $$,
  'a user advances their own questionnaire session'
);
select results_eq(
  $$ update public.questionnaire_responses set answer = '"large-team"'
     where id = 'a11ce000-7e50-4000-8000-000000000001' returning answer $$,
  $$ values ('"large-team"'::jsonb) $$,
  'a user changes their own answer'
);
select throws_ok(
  $$ insert into public.questionnaire_sessions (user_id) values (tests.user_id_for('bob')) $$,
  '42501', 'new row violates row-level security policy for table "questionnaire_sessions"',
  'a user cannot start a questionnaire session for another user'
);
select throws_ok(
  $$ insert into public.questionnaire_responses (session_id, user_id, question_key, answer)
     values ('b0b00000-5e55-4000-8000-000000000001', tests.user_id_for('bob'), 'goals', '[]') $$,
  '42501', 'new row violates row-level security policy for table "questionnaire_responses"',
  'a user cannot answer a question in another user''s name'
);
select throws_ok(
  $$ update public.questionnaire_sessions set user_id = tests.user_id_for('bob')
     where current_step = 7 $$,
  '42501', 'new row violates row-level security policy for table "questionnaire_sessions"',
  'a user cannot hand their questionnaire session to another user'
);
select throws_ok(
  $$ update public.questionnaire_responses
     set user_id = tests.user_id_for('bob'), session_id = 'b0b00000-5e55-4000-8000-000000000001'
     where question_key = 'goals' $$,
  '42501', 'new row violates row-level security policy for table "questionnaire_responses"',
  'a user cannot move their answer into another user''s session'
);
select results_eq(
  $$ delete from public.questionnaire_responses where question_key = 'goals' returning question_key $$,
  $$ values ('goals') $$,
  'a user deletes their own answer'
);
select results_eq(
  $$ delete from public.questionnaire_sessions where current_step = 7 returning current_step $$,
  $$ values (7) $$,
  'a user deletes their own questionnaire session'
);

-- ============================================================================
-- another user: bob acting on alice's session and answers
-- ============================================================================
select tests.authenticate_as('bob');

select is_empty(
  $$ select * from public.questionnaire_sessions where user_id = tests.user_id_for('alice') $$,
  'a user cannot read another user''s questionnaire sessions'
);
select is_empty(
  $$ select * from public.questionnaire_responses where user_id = tests.user_id_for('alice') $$,
  'a user cannot read another user''s questionnaire answers'
);
select is_empty(
  $$ update public.questionnaire_sessions set current_step = 9
     where id = 'a11ce000-5e55-4000-8000-000000000001' returning id $$,
  'a user''s update of another user''s questionnaire session changes no row'
);
select is_empty(
  $$ update public.questionnaire_responses set answer = '"hacked"'
     where id = 'a11ce000-7e50-4000-8000-000000000001' returning id $$,
  'a user''s update of another user''s answer changes no row'
);
select is_empty(
  $$ delete from public.questionnaire_responses where id = 'a11ce000-7e50-4000-8000-000000000001' returning id $$,
  'a user''s delete of another user''s answer removes no row'
);
select is_empty(
  $$ delete from public.questionnaire_sessions where id = 'a11ce000-5e55-4000-8000-000000000001' returning id $$,
  'a user''s delete of another user''s questionnaire session removes no row'
);

-- ============================================================================
-- another user writing blind: eve updates and deletes with no where and no
-- returning clause. Such a statement reads no column, so no select policy
-- filters it: the update and delete policies alone must keep eve to her own
-- rows, and their with check must keep her rows hers.
-- ============================================================================
select tests.authenticate_as('eve');

select throws_ok(
  $$ update public.questionnaire_sessions set user_id = tests.user_id_for('bob') $$,
  '42501', 'new row violates row-level security policy for table "questionnaire_sessions"',
  'a user''s blind update cannot move their questionnaire sessions to another user'
);
select throws_ok(
  $$ update public.questionnaire_responses set user_id = tests.user_id_for('bob') $$,
  '42501', 'new row violates row-level security policy for table "questionnaire_responses"',
  'a user''s blind update cannot move their answers to another user'
);
select lives_ok(
  $$ update public.questionnaire_sessions set current_step = 7 $$,
  'a user''s blind update of every questionnaire session changes only their own'
);
select lives_ok(
  $$ update public.questionnaire_responses set answer = '"eve"' $$,
  'a user''s blind update of every answer changes only their own'
);
select lives_ok(
  $$ delete from public.questionnaire_responses $$,
  'a user''s blind delete of every answer removes only their own'
);
select lives_ok(
  $$ delete from public.questionnaire_sessions $$,
  'a user''s blind delete of every questionnaire session removes only their own'
);

select tests.clear_authentication();

select results_eq(
  $$ select s.current_step, r.answer
     from public.questionnaire_sessions s
     join public.questionnaire_responses r on r.session_id = s.id
     where s.id = 'a11ce000-5e55-4000-8000-000000000001' $$,
  $$ values (3, '"large-team"'::jsonb) $$,
  'another user''s attempts leave the session and its answer unchanged'
);

-- ============================================================================
-- admin
-- ============================================================================
select tests.authenticate_as('ada');

select results_eq(
  $$ select id from public.questionnaire_sessions
     where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob')) order by id $$,
  $$ values ('a11ce000-5e55-4000-8000-000000000001'::uuid), ('b0b00000-5e55-4000-8000-000000000001'::uuid) $$,
  'an admin reads every questionnaire session'
);
select results_eq(
  $$ select id from public.questionnaire_responses
     where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob')) order by id $$,
  $$ values ('a11ce000-7e50-4000-8000-000000000001'::uuid), ('b0b00000-7e50-4000-8000-000000000001'::uuid) $$,
  'an admin reads every questionnaire answer'
);
-- The new session is bob's at step 8 (the server picks its id).
select results_eq(
  $$ insert into public.questionnaire_sessions (user_id, current_step)
     values (tests.user_id_for('bob'), 8) returning user_id, current_step $$,
  $$ values (tests.user_id_for('bob'), 8) $$,
  'an admin starts a questionnaire session for another user'
);
select results_eq(
  $$ insert into public.questionnaire_responses (session_id, user_id, question_key, answer)
     select id, user_id, 'goals', '[]' from public.questionnaire_sessions
     where user_id = tests.user_id_for('bob') and current_step = 8
     returning user_id, question_key $$,
  $$ values (tests.user_id_for('bob'), 'goals') $$,
  'an admin answers a question in another user''s session'
);
select results_eq(
  $$ update public.questionnaire_sessions set status = 'abandoned'
     where id = 'b0b00000-5e55-4000-8000-000000000001' returning status $$,
  $$ values ('abandoned') $$,
  'an admin changes another user''s questionnaire session'
);
select results_eq(
  $$ update public.questionnaire_responses set answer = '"solo"'
     where id = 'b0b00000-7e50-4000-8000-000000000001' returning answer $$,
  $$ values ('"solo"'::jsonb) $$,
  'an admin changes another user''s answer'
);
select results_eq(
  $$ delete from public.questionnaire_responses
     where user_id = tests.user_id_for('bob') and question_key = 'goals' returning question_key $$,
  $$ values ('goals') $$,
  'an admin deletes another user''s answer'
);
select results_eq(
  $$ delete from public.questionnaire_sessions
     where user_id = tests.user_id_for('bob') and current_step = 8 returning current_step $$,
  $$ values (8) $$,
  'an admin deletes another user''s questionnaire session'
);

-- ============================================================================
-- service_role
-- ============================================================================
select tests.authenticate_as_service_role();

select is(
  (select count(*) from public.questionnaire_sessions
   where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'))), 2::bigint,
  'the service role reads every questionnaire session'
);
select is(
  (select count(*) from public.questionnaire_responses
   where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'))), 2::bigint,
  'the service role reads every questionnaire answer'
);
select results_eq(
  $$ insert into public.questionnaire_sessions (id, user_id)
     values ('b0b00000-5e55-4000-8000-000000000003', tests.user_id_for('bob')) returning id $$,
  $$ values ('b0b00000-5e55-4000-8000-000000000003'::uuid) $$,
  'the service role starts a questionnaire session for a user'
);
select results_eq(
  $$ insert into public.questionnaire_responses (id, session_id, user_id, question_key, answer)
     values ('b0b00000-7e50-4000-8000-000000000003', 'b0b00000-5e55-4000-8000-000000000003',
             tests.user_id_for('bob'), 'goals', '[]') returning id $$,
  $$ values ('b0b00000-7e50-4000-8000-000000000003'::uuid) $$,
  'the service role records an answer for a user'
);
select results_eq(
  $$ update public.questionnaire_sessions set current_step = 5
     where id = 'b0b00000-5e55-4000-8000-000000000003' returning current_step $$,
  $$ values (5) $$,
  'the service role changes a questionnaire session'
);
select results_eq(
  $$ update public.questionnaire_responses set answer = '["grow"]'
     where id = 'b0b00000-7e50-4000-8000-000000000003' returning answer $$,
  $$ values ('["grow"]'::jsonb) $$,
  'the service role changes an answer'
);
select results_eq(
  $$ delete from public.questionnaire_responses where id = 'b0b00000-7e50-4000-8000-000000000003' returning id $$,
  $$ values ('b0b00000-7e50-4000-8000-000000000003'::uuid) $$,
  'the service role deletes an answer'
);
select results_eq(
  $$ delete from public.questionnaire_sessions where id = 'b0b00000-5e55-4000-8000-000000000003' returning id $$,
  $$ values ('b0b00000-5e55-4000-8000-000000000003'::uuid) $$,
  'the service role deletes a questionnaire session'
);

select tests.clear_authentication();

-- ============================================================================
-- As postgres, the end state: what was refused left no trace.
-- ============================================================================
select results_eq(
  $$ select r.id, r.user_id, s.user_id, r.answer
     from public.questionnaire_responses r
     join public.questionnaire_sessions s on s.id = r.session_id
     where s.user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'))
     order by r.id $$,
  $$ values
       ('a11ce000-7e50-4000-8000-000000000001'::uuid, tests.user_id_for('alice'), tests.user_id_for('alice'), '"large-team"'::jsonb),
       ('b0b00000-7e50-4000-8000-000000000001'::uuid, tests.user_id_for('bob'), tests.user_id_for('bob'), '"solo"'::jsonb) $$,
  'only the allowed changes reached the answers, each still under its session''s owner'
);

select * from finish();
rollback;
