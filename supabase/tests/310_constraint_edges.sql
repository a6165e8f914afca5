-- The edges of the check constraints.
--
-- The constraint files (100-130) prove that every value of a vocabulary is
-- accepted and that one value outside it is refused. Neither can notice a
-- value slipped into the list by a later migration: this file reads each list
-- from its constraint, as the generated types do, and proves it holds exactly
-- the values below. Then the one bound the constraint files leave untried at
-- its edge. `make mutate` adds a value to each list and moves each bound by
-- one, and expects a failure here or there.

begin;
select plan(16);

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
insert into public.automations (id, slug, title, summary, category, difficulty) values
  ('31000000-0000-0000-0000-000000000001', 'edge-cases', 'Edge cases', 'Bounds at their edge.', 'operations', 'easy');
insert into public.implementation_steps (id, automation_id, step_number, title, instructions) values
  ('31000000-0000-0000-0000-000000000011', '31000000-0000-0000-0000-000000000001', 1, 'Nothing to do', 'Already done.');

select lives_ok(
  $$ update public.implementation_steps set estimated_minutes = 0 where id = '31000000-0000-0000-0000-000000000011' $$,
  'a step may be estimated at zero minutes: the bound is inclusive'
);

select * from finish();
rollback;
