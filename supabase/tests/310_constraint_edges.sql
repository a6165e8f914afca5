-- The edges of the check constraints.
--
-- The constraint files (100-130) prove that every value of a vocabulary is
-- accepted and that one value outside it is refused. Neither can notice a
-- value slipped into the list by a later migration: this file reads each list
-- from its constraint, as the generated types do, and proves it holds exactly
-- the values below. Then the bounds at their edge: 292_rls_attacks_hardening
-- proves each size limit refuses a value one over it, and this file that the
-- limit itself is allowed, so `<=` cannot become `<` unnoticed. `make mutate`
-- adds a value to each list and moves each bound by one, and expects a failure
-- here or there.

begin;
select plan(39);

-- ============================================================================
-- Vocabularies: exactly these values, no more
-- ============================================================================
select set_eq(
  format(
    $$ select (regexp_matches(pg_catalog.pg_get_constraintdef(c.oid), '''([^'']*)''', 'g'))[1]
         from pg_catalog.pg_constraint c
        where c.conrelid = %L::regclass and c.conname = %L $$,
    vocabulary.table_name, vocabulary.constraint_name
  ),
  vocabulary.allowed,
  format('%s allows exactly: %s', vocabulary.what, array_to_string(vocabulary.allowed, ', '))
)
from (values
  ('public.user_profiles', 'user_profiles_business_size_check', 'a business size',
    array['solo', 'small-team', 'large-team']),
  ('public.user_profiles', 'user_profiles_experience_check', 'an experience level',
    array['beginner', 'intermediate', 'expert']),
  ('public.user_profiles', 'user_profiles_role_check', 'a profile''s role',
    array['user', 'admin']),
  ('public.user_profiles', 'user_profiles_onboarding_status_check', 'an onboarding status',
    array['not_started', 'in_progress', 'completed']),
  ('public.questionnaire_sessions', 'questionnaire_sessions_status_check', 'a questionnaire session''s status',
    array['in_progress', 'completed', 'abandoned']),
  ('public.automations', 'automations_category_check', 'an automation''s category',
    array['marketing', 'sales', 'customer-support', 'operations', 'finance', 'hr', 'productivity', 'ecommerce']),
  ('public.automations', 'automations_difficulty_check', 'an automation''s difficulty',
    array['easy', 'medium', 'hard']),
  ('public.step_media', 'step_media_media_type_check', 'a step medium''s type',
    array['image', 'video', 'gif', 'document']),
  ('public.weekly_discoveries', 'weekly_discoveries_status_check', 'a weekly discovery''s status',
    array['pending', 'generating', 'ready', 'failed']),
  ('public.discovered_automations', 'discovered_automations_reaction_check', 'a reaction to a recommendation',
    array['new', 'saved', 'dismissed', 'started']),
  ('public.user_automations', 'user_automations_status_check', 'an adopted automation''s status',
    array['saved', 'in_progress', 'completed', 'abandoned']),
  ('public.automation_progress', 'automation_progress_status_check', 'a step''s progress status',
    array['not_started', 'in_progress', 'completed', 'skipped']),
  ('public.subscriptions', 'subscriptions_plan_check', 'a subscription''s plan',
    array['free', 'pro', 'business']),
  ('public.subscriptions', 'subscriptions_status_check', 'a subscription''s status (Stripe''s own)',
    array['trialing', 'active', 'past_due', 'canceled', 'unpaid', 'incomplete', 'incomplete_expired', 'paused']),
  ('public.usage_metrics', 'usage_metrics_metric_check', 'a usage metric',
    array['discoveries', 'ai_queries', 'guide_views', 'automations_started'])
) as vocabulary(table_name, constraint_name, what, allowed)
order by vocabulary.table_name, vocabulary.constraint_name;

-- ============================================================================
-- Bounds: the edge itself
-- ============================================================================
-- Fixtures, as postgres. Sizes: text in characters; an array or jsonb in bytes
-- of its text form, so {…} adds 2 to one element's length and "…" adds 2 to a
-- string's.
select tests.create_user('edge_user');
insert into public.automations (id, slug, title, summary, category, difficulty) values
  ('31000000-0000-0000-0000-000000000001', 'edge-cases', 'Edge cases', 'Bounds at their edge.', 'operations', 'easy');
insert into public.automation_tools (id, automation_id, name) values
  ('31000000-0000-0000-0000-000000000002', '31000000-0000-0000-0000-000000000001', 'Ruler');
insert into public.implementation_steps (id, automation_id, step_number, title, instructions) values
  ('31000000-0000-0000-0000-000000000011', '31000000-0000-0000-0000-000000000001', 1, 'Nothing to do', 'Already done.');
insert into public.step_media (id, step_id, media_type, url) values
  ('31000000-0000-0000-0000-000000000012', '31000000-0000-0000-0000-000000000011', 'image', 'https://example.com/edge.png');
insert into public.questionnaire_sessions (id, user_id) values
  ('31000000-0000-0000-0000-000000000021', tests.user_id_for('edge_user'));
insert into public.questionnaire_responses (id, session_id, user_id, question_key, answer) values
  ('31000000-0000-0000-0000-000000000022', '31000000-0000-0000-0000-000000000021', tests.user_id_for('edge_user'), 'goal', '"grow"');
insert into public.user_automations (id, user_id, automation_id) values
  ('31000000-0000-0000-0000-000000000031', tests.user_id_for('edge_user'), '31000000-0000-0000-0000-000000000001');
insert into public.automation_progress (id, user_id, user_automation_id, automation_id, step_id) values
  ('31000000-0000-0000-0000-000000000032', tests.user_id_for('edge_user'), '31000000-0000-0000-0000-000000000031',
   '31000000-0000-0000-0000-000000000001', '31000000-0000-0000-0000-000000000011');

select lives_ok(
  $$ update public.implementation_steps set estimated_minutes = 0 where id = '31000000-0000-0000-0000-000000000011' $$,
  'a step may be estimated at zero minutes: the bound is inclusive'
);

select lives_ok(edge.statement, edge.description)
from (values
  ($$ update public.user_profiles set full_name = repeat('x', 200) where user_id = tests.user_id_for('edge_user') $$,
   'a full name of exactly 200 characters is accepted'),
  ($$ update public.user_profiles set business_name = repeat('x', 200) where user_id = tests.user_id_for('edge_user') $$,
   'a business name of exactly 200 characters is accepted'),
  ($$ update public.user_profiles set industry = repeat('x', 100) where user_id = tests.user_id_for('edge_user') $$,
   'an industry of exactly 100 characters is accepted'),
  ($$ update public.user_profiles set current_tools = array(select 't' || i from generate_series(1, 50) as i)
     where user_id = tests.user_id_for('edge_user') $$,
   'exactly 50 current tools are accepted'),
  ($$ update public.user_profiles set current_tools = array[repeat('x', 2000 - 2)] where user_id = tests.user_id_for('edge_user') $$,
   'current tools of exactly 2,000 bytes are accepted'),
  ($$ update public.user_profiles set goals = array(select 'g' || i from generate_series(1, 20) as i)
     where user_id = tests.user_id_for('edge_user') $$,
   'exactly 20 goals are accepted'),
  ($$ update public.user_profiles set goals = array[repeat('x', 2000 - 2)] where user_id = tests.user_id_for('edge_user') $$,
   'goals of exactly 2,000 bytes are accepted'),
  ($$ update public.questionnaire_responses set question_key = repeat('k', 100) where id = '31000000-0000-0000-0000-000000000022' $$,
   'a question key of exactly 100 characters is accepted'),
  ($$ update public.questionnaire_responses set answer = to_jsonb(repeat('x', 16384 - 2)) where id = '31000000-0000-0000-0000-000000000022' $$,
   'an answer of exactly 16 KiB is accepted'),
  ($$ update public.automation_progress set notes = repeat('x', 10000) where id = '31000000-0000-0000-0000-000000000032' $$,
   'progress notes of exactly 10,000 characters are accepted'),
  ($$ update public.automations set slug = repeat('a', 100) where id = '31000000-0000-0000-0000-000000000001' $$,
   'a slug of exactly 100 characters is accepted'),
  ($$ update public.automations set title = repeat('x', 200) where id = '31000000-0000-0000-0000-000000000001' $$,
   'an automation title of exactly 200 characters is accepted'),
  ($$ update public.automations set summary = repeat('x', 1000) where id = '31000000-0000-0000-0000-000000000001' $$,
   'a summary of exactly 1,000 characters is accepted'),
  ($$ update public.automations set description = repeat('x', 50000) where id = '31000000-0000-0000-0000-000000000001' $$,
   'a description of exactly 50,000 characters is accepted'),
  ($$ update public.automations set tags = array(select 't' || i from generate_series(1, 30) as i)
     where id = '31000000-0000-0000-0000-000000000001' $$,
   'exactly 30 tags are accepted'),
  ($$ update public.automations set tags = array[repeat('x', 1000 - 2)] where id = '31000000-0000-0000-0000-000000000001' $$,
   'tags of exactly 1,000 bytes are accepted'),
  ($$ update public.automation_tools set name = repeat('x', 100) where id = '31000000-0000-0000-0000-000000000002' $$,
   'a tool name of exactly 100 characters is accepted'),
  ($$ update public.automation_tools set url = 'https://' || repeat('x', 2048 - 8) where id = '31000000-0000-0000-0000-000000000002' $$,
   'a tool URL of exactly 2,048 characters is accepted'),
  ($$ update public.automation_tools set pricing_note = repeat('x', 500) where id = '31000000-0000-0000-0000-000000000002' $$,
   'a pricing note of exactly 500 characters is accepted'),
  ($$ update public.implementation_steps set title = repeat('x', 200) where id = '31000000-0000-0000-0000-000000000011' $$,
   'a step title of exactly 200 characters is accepted'),
  ($$ update public.implementation_steps set instructions = repeat('x', 50000) where id = '31000000-0000-0000-0000-000000000011' $$,
   'instructions of exactly 50,000 characters are accepted'),
  ($$ update public.step_media set url = 'https://' || repeat('x', 2048 - 8) where id = '31000000-0000-0000-0000-000000000012' $$,
   'a medium''s URL of exactly 2,048 characters is accepted'),
  ($$ update public.step_media set caption = repeat('x', 1000) where id = '31000000-0000-0000-0000-000000000012' $$,
   'a caption of exactly 1,000 characters is accepted')
) as edge(statement, description);

select * from finish();
rollback;
