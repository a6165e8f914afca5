-- Constraints, by behaviour: user profiles, questionnaire sessions and
-- responses. Each controlled vocabulary refuses a value outside its list
-- (23514, naming the constraint) and accepts every listed one.

begin;
select plan(28);

-- ============================================================================
-- Fixtures (as postgres)
-- ============================================================================
insert into auth.users (id, aud, role, email) values
  ('10000000-0000-0000-0000-000000000001', 'authenticated', 'authenticated', 'profile_owner@tests.local'),
  ('10000000-0000-0000-0000-000000000002', 'authenticated', 'authenticated', 'profile_other@tests.local');

insert into public.user_profiles (user_id, full_name) values
  ('10000000-0000-0000-0000-000000000001', 'Profile Owner'),
  ('10000000-0000-0000-0000-000000000002', 'Profile Other');

insert into public.questionnaire_sessions (id, user_id) values
  ('10000000-0000-0000-0000-000000000011', '10000000-0000-0000-0000-000000000001'),
  ('10000000-0000-0000-0000-000000000012', '10000000-0000-0000-0000-000000000001'),
  ('10000000-0000-0000-0000-000000000021', '10000000-0000-0000-0000-000000000002');

-- ============================================================================
-- user_profiles
-- ============================================================================
select throws_ok(
  $$ update public.user_profiles set business_size = 'enterprise' where user_id = '10000000-0000-0000-0000-000000000001' $$,
  '23514', 'new row for relation "user_profiles" violates check constraint "user_profiles_business_size_check"',
  'a business size outside solo, small-team and large-team is refused'
);
select lives_ok(
  format($$ update public.user_profiles set business_size = %L where user_id = '10000000-0000-0000-0000-000000000001' $$, v),
  format('a business size may be %s', v)
) from unnest(array['solo', 'small-team', 'large-team']) v;

select throws_ok(
  $$ update public.user_profiles set experience = 'guru' where user_id = '10000000-0000-0000-0000-000000000001' $$,
  '23514', 'new row for relation "user_profiles" violates check constraint "user_profiles_experience_check"',
  'an experience outside beginner, intermediate and expert is refused'
);
select lives_ok(
  format($$ update public.user_profiles set experience = %L where user_id = '10000000-0000-0000-0000-000000000001' $$, v),
  format('an experience may be %s', v)
) from unnest(array['beginner', 'intermediate', 'expert']) v;

select throws_ok(
  $$ update public.user_profiles set role = 'superuser' where user_id = '10000000-0000-0000-0000-000000000001' $$,
  '23514', 'new row for relation "user_profiles" violates check constraint "user_profiles_role_check"',
  'a role other than user or admin is refused'
);
select lives_ok(
  format($$ update public.user_profiles set role = %L where user_id = '10000000-0000-0000-0000-000000000001' $$, v),
  format('a role may be %s', v)
) from unnest(array['admin', 'user']) v;

select throws_ok(
  $$ update public.user_profiles set onboarding_status = 'done' where user_id = '10000000-0000-0000-0000-000000000001' $$,
  '23514', 'new row for relation "user_profiles" violates check constraint "user_profiles_onboarding_status_check"',
  'an onboarding status outside not_started, in_progress and completed is refused'
);
select lives_ok(
  format($$ update public.user_profiles set onboarding_status = %L where user_id = '10000000-0000-0000-0000-000000000001' $$, v),
  format('an onboarding status may be %s', v)
) from unnest(array['in_progress', 'not_started']) v;

select throws_ok(
  $$ update public.user_profiles set onboarding_status = 'completed' where user_id = '10000000-0000-0000-0000-000000000001' $$,
  '23514', 'new row for relation "user_profiles" violates check constraint "user_profiles_onboarding_completed_at_check"',
  'onboarding cannot be completed without a completion time'
);
select lives_ok(
  $$ update public.user_profiles set onboarding_status = 'completed', onboarding_completed_at = now()
     where user_id = '10000000-0000-0000-0000-000000000001' $$,
  'an onboarding status may be completed, with its completion time'
);

-- ============================================================================
-- questionnaire_sessions
-- ============================================================================
select throws_ok(
  $$ update public.questionnaire_sessions set status = 'paused' where id = '10000000-0000-0000-0000-000000000011' $$,
  '23514', 'new row for relation "questionnaire_sessions" violates check constraint "questionnaire_sessions_status_check"',
  'a session status outside in_progress, completed and abandoned is refused'
);
select lives_ok(
  format($$ update public.questionnaire_sessions set status = %L, completed_at = now() where id = '10000000-0000-0000-0000-000000000011' $$, v),
  format('a session status may be %s', v)
) from unnest(array['abandoned', 'completed', 'in_progress']) v;

select throws_ok(
  $$ update public.questionnaire_sessions set current_step = 0 where id = '10000000-0000-0000-0000-000000000011' $$,
  '23514', 'new row for relation "questionnaire_sessions" violates check constraint "questionnaire_sessions_current_step_check"',
  'a session''s current step is positive: step 0 is refused'
);
select throws_ok(
  $$ update public.questionnaire_sessions set status = 'completed', completed_at = null where id = '10000000-0000-0000-0000-000000000012' $$,
  '23514', 'new row for relation "questionnaire_sessions" violates check constraint "questionnaire_sessions_completed_at_check"',
  'a session cannot be completed without a completion time'
);
select throws_ok(
  $$ update public.questionnaire_sessions set completed_at = started_at - interval '1 minute' where id = '10000000-0000-0000-0000-000000000012' $$,
  '23514', 'new row for relation "questionnaire_sessions" violates check constraint "questionnaire_sessions_completed_after_start_check"',
  'a session cannot be completed before it started'
);

-- ============================================================================
-- questionnaire_responses
-- ============================================================================
select throws_ok(
  $$ insert into public.questionnaire_responses (session_id, user_id, question_key, answer)
     values ('10000000-0000-0000-0000-000000000011', '10000000-0000-0000-0000-000000000001', '', '"solo"') $$,
  '23514', 'new row for relation "questionnaire_responses" violates check constraint "questionnaire_responses_question_key_check"',
  'a response must name its question: an empty question key is refused'
);
select lives_ok(
  $$ insert into public.questionnaire_responses (session_id, user_id, question_key, answer)
     values ('10000000-0000-0000-0000-000000000011', '10000000-0000-0000-0000-000000000001', 'business_size', '"solo"') $$,
  'a user answers a question of their session'
);
select throws_ok(
  $$ insert into public.questionnaire_responses (session_id, user_id, question_key, answer)
     values ('10000000-0000-0000-0000-000000000011', '10000000-0000-0000-0000-000000000001', 'business_size', '"large-team"') $$,
  '23505', 'duplicate key value violates unique constraint "questionnaire_responses_user_id_session_id_question_key_key"',
  'the same question cannot be answered twice in a session'
);
select lives_ok(
  $$ insert into public.questionnaire_responses (session_id, user_id, question_key, answer)
     values ('10000000-0000-0000-0000-000000000012', '10000000-0000-0000-0000-000000000001', 'business_size', '"large-team"') $$,
  'the same question may be answered again in another session'
);
select throws_ok(
  $$ insert into public.questionnaire_responses (session_id, user_id, question_key, answer)
     values ('10000000-0000-0000-0000-000000000021', '10000000-0000-0000-0000-000000000001', 'goals', '["time"]') $$,
  '23503', 'insert or update on table "questionnaire_responses" violates foreign key constraint "questionnaire_responses_user_id_session_id_fkey"',
  'a response cannot carry a user_id other than its session''s owner'
);

select * from finish();
rollback;
