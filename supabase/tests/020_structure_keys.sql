-- Structure: primary keys, foreign keys with their on delete actions, unique
-- constraints, the inventory of check constraints, and an index behind every
-- foreign key.
--
-- What the actions and constraints do is proved by behaviour in
-- 100_constraints*.sql and 300_cascades.sql.

begin;
select plan(60);

-- ============================================================================
-- Primary keys
-- ============================================================================
select has_pk('public', 'user_profiles', 'user_profiles has a primary key');
select col_is_pk('public', 'user_profiles', 'user_id', 'a profile is identified by its user: one profile per account');
select has_pk('public', 'questionnaire_sessions', 'questionnaire_sessions has a primary key');
select col_is_pk('public', 'questionnaire_sessions', 'id', 'a session is identified by its id');
select has_pk('public', 'questionnaire_responses', 'questionnaire_responses has a primary key');
select col_is_pk('public', 'questionnaire_responses', 'id', 'a response is identified by its id');
select has_pk('public', 'automations', 'automations has a primary key');
select col_is_pk('public', 'automations', 'id', 'an automation is identified by its id');
select has_pk('public', 'automation_tools', 'automation_tools has a primary key');
select col_is_pk('public', 'automation_tools', 'id', 'a tool is identified by its id');
select has_pk('public', 'implementation_steps', 'implementation_steps has a primary key');
select col_is_pk('public', 'implementation_steps', 'id', 'a step is identified by its id');
select has_pk('public', 'step_media', 'step_media has a primary key');
select col_is_pk('public', 'step_media', 'id', 'a medium is identified by its id');
select has_pk('public', 'weekly_discoveries', 'weekly_discoveries has a primary key');
select col_is_pk('public', 'weekly_discoveries', 'id', 'a discovery is identified by its id');
select has_pk('public', 'discovered_automations', 'discovered_automations has a primary key');
select col_is_pk('public', 'discovered_automations', 'id', 'a recommendation is identified by its id');
select has_pk('public', 'user_automations', 'user_automations has a primary key');
select col_is_pk('public', 'user_automations', 'id', 'a user automation is identified by its id');
select has_pk('public', 'automation_progress', 'automation_progress has a primary key');
select col_is_pk('public', 'automation_progress', 'id', 'a progress row is identified by its id');
select has_pk('public', 'subscriptions', 'subscriptions has a primary key');
select col_is_pk('public', 'subscriptions', 'id', 'a subscription is identified by its id');
select has_pk('public', 'usage_metrics', 'usage_metrics has a primary key');
select col_is_pk('public', 'usage_metrics', 'id', 'a usage counter is identified by its id');

-- ============================================================================
-- Foreign keys
-- ============================================================================
select fk_ok('public', 'user_profiles', array['user_id'], 'auth', 'users', array['id'],
  'a profile belongs to an auth.users row');
select fk_ok('public', 'questionnaire_sessions', array['user_id'], 'auth', 'users', array['id'],
  'a session belongs to an auth.users row');
select fk_ok('public', 'questionnaire_responses', array['user_id', 'session_id'],
  'public', 'questionnaire_sessions', array['user_id', 'id'],
  'a response belongs to a session of the same user (composite key)');
select fk_ok('public', 'automation_tools', array['automation_id'], 'public', 'automations', array['id'],
  'a tool belongs to an automation');
select fk_ok('public', 'implementation_steps', array['automation_id'], 'public', 'automations', array['id'],
  'a step belongs to an automation');
select fk_ok('public', 'step_media', array['step_id'], 'public', 'implementation_steps', array['id'],
  'a medium belongs to a step');
select fk_ok('public', 'weekly_discoveries', array['user_id'], 'auth', 'users', array['id'],
  'a discovery belongs to an auth.users row');
select fk_ok('public', 'discovered_automations', array['user_id', 'discovery_id'],
  'public', 'weekly_discoveries', array['user_id', 'id'],
  'a recommendation belongs to a discovery of the same user (composite key)');
select fk_ok('public', 'discovered_automations', array['automation_id'], 'public', 'automations', array['id'],
  'a recommendation names an existing automation');
select fk_ok('public', 'user_automations', array['user_id'], 'auth', 'users', array['id'],
  'a user automation belongs to an auth.users row');
select fk_ok('public', 'user_automations', array['automation_id'], 'public', 'automations', array['id'],
  'a user automation names an existing automation');
select fk_ok('public', 'automation_progress', array['user_id', 'user_automation_id', 'automation_id'],
  'public', 'user_automations', array['user_id', 'id', 'automation_id'],
  'a progress row belongs to a user automation with the same owner and automation (composite key)');
select fk_ok('public', 'automation_progress', array['automation_id', 'step_id'],
  'public', 'implementation_steps', array['automation_id', 'id'],
  'a progress row names a step of the same automation (composite key)');
select fk_ok('public', 'subscriptions', array['user_id'], 'auth', 'users', array['id'],
  'a subscription belongs to an auth.users row');
select fk_ok('public', 'usage_metrics', array['user_id'], 'auth', 'users', array['id'],
  'a usage counter belongs to an auth.users row');

-- Every foreign key of the schema, with its on delete action (c: cascade,
-- r: restrict): a new key, a dropped one or a changed action turns this red.
select results_eq(
  $$
    select conrelid::regclass::text, conname::text collate "default", confdeltype::text
    from pg_catalog.pg_constraint
    where contype = 'f' and connamespace = 'public'::regnamespace
    order by 1, 2
  $$,
  $$ values
    ('automation_progress', 'automation_progress_automation_id_step_id_fkey', 'c'),
    ('automation_progress', 'automation_progress_user_automation_fkey', 'c'),
    ('automation_tools', 'automation_tools_automation_id_fkey', 'c'),
    ('discovered_automations', 'discovered_automations_automation_id_fkey', 'c'),
    ('discovered_automations', 'discovered_automations_user_id_discovery_id_fkey', 'c'),
    ('implementation_steps', 'implementation_steps_automation_id_fkey', 'c'),
    ('questionnaire_responses', 'questionnaire_responses_user_id_session_id_fkey', 'c'),
    ('questionnaire_sessions', 'questionnaire_sessions_user_id_fkey', 'c'),
    ('step_media', 'step_media_step_id_fkey', 'c'),
    ('subscriptions', 'subscriptions_user_id_fkey', 'c'),
    ('usage_metrics', 'usage_metrics_user_id_fkey', 'c'),
    ('user_automations', 'user_automations_automation_id_fkey', 'r'),
    ('user_automations', 'user_automations_user_id_fkey', 'c'),
    ('user_profiles', 'user_profiles_user_id_fkey', 'c'),
    ('weekly_discoveries', 'weekly_discoveries_user_id_fkey', 'c')
  $$,
  'every foreign key cascades on delete, except that an adopted automation cannot be deleted (restrict)'
);

-- ============================================================================
-- Unique constraints
-- ============================================================================
select col_is_unique('public', 'questionnaire_sessions', array['user_id', 'id'],
  'a session is unique by (user_id, id), the target of its responses'' composite key');
select col_is_unique('public', 'questionnaire_responses', array['user_id', 'session_id', 'question_key'],
  'a question is answered once per session, keyed by the owner first so that only one''s own answers collide');
select col_is_unique('public', 'automations', array['slug'],
  'an automation''s slug is unique');
select col_is_unique('public', 'automation_tools', array['automation_id', 'name'],
  'a tool appears once per automation');
select col_is_unique('public', 'implementation_steps', array['automation_id', 'step_number'],
  'a step number appears once per automation');
select col_is_unique('public', 'implementation_steps', array['automation_id', 'id'],
  'a step is unique by (automation_id, id), the target of progress''s composite key');
select col_is_unique('public', 'step_media', array['step_id', 'position'],
  'a position appears once among a step''s media');
select col_is_unique('public', 'weekly_discoveries', array['user_id', 'week_of'],
  'a user has one discovery per week');
select col_is_unique('public', 'weekly_discoveries', array['user_id', 'id'],
  'a discovery is unique by (user_id, id), the target of its recommendations'' composite key');
select col_is_unique('public', 'discovered_automations', array['discovery_id', 'automation_id'],
  'an automation appears once per discovery');
select col_is_unique('public', 'discovered_automations', array['discovery_id', 'rank'],
  'a rank appears once per discovery');
select col_is_unique('public', 'user_automations', array['user_id', 'automation_id'],
  'a user adopts an automation once');
select col_is_unique('public', 'user_automations', array['user_id', 'id', 'automation_id'],
  'a user automation is unique by (user_id, id, automation_id), the target of progress''s composite key');
select col_is_unique('public', 'automation_progress', array['user_id', 'user_automation_id', 'automation_id', 'step_id'],
  'a user automation has one progress row per step, keyed by the owner first so that only one''s own progress collides');
select col_is_unique('public', 'subscriptions', array['stripe_subscription_id'],
  'a Stripe subscription id appears once');
select col_is_unique('public', 'usage_metrics', array['user_id', 'metric', 'period_start'],
  'a user has one counter per metric and period');

-- ============================================================================
-- Check constraints: the inventory (each is proved by behaviour in 100_*;
-- the size limits in 292_rls_attacks_hardening.sql; array shapes, JSON depth
-- and the questionnaire's last step in 294_trusted_values.sql)
-- ============================================================================
select set_eq(
  $$
    select conname::text collate "default"
    from pg_catalog.pg_constraint
    where contype = 'c' and connamespace = 'public'::regnamespace
  $$,
  array[
    'user_profiles_business_size_check', 'user_profiles_experience_check',
    'user_profiles_role_check', 'user_profiles_onboarding_status_check',
    'user_profiles_onboarding_completed_at_check',
    'user_profiles_full_name_size_check', 'user_profiles_business_name_size_check',
    'user_profiles_industry_size_check', 'user_profiles_current_tools_size_check',
    'user_profiles_goals_size_check',
    'user_profiles_current_tools_elements_check', 'user_profiles_goals_elements_check',
    'questionnaire_sessions_status_check', 'questionnaire_sessions_current_step_check',
    'questionnaire_sessions_completed_at_check', 'questionnaire_sessions_completed_after_start_check',
    'questionnaire_sessions_ai_context_size_check',
    'questionnaire_sessions_current_step_max_check', 'questionnaire_sessions_ai_context_depth_check',
    'questionnaire_responses_question_key_check',
    'questionnaire_responses_question_key_size_check', 'questionnaire_responses_answer_size_check',
    'questionnaire_responses_answer_depth_check',
    'automations_slug_check', 'automations_title_check', 'automations_category_check',
    'automations_difficulty_check', 'automations_setup_minutes_check',
    'automations_hours_saved_per_week_check', 'automations_published_at_check',
    'automations_slug_size_check', 'automations_title_size_check', 'automations_summary_size_check',
    'automations_description_size_check', 'automations_tags_size_check',
    'automations_tags_elements_check',
    'automation_tools_name_check', 'automation_tools_url_check',
    'automation_tools_name_size_check', 'automation_tools_url_size_check',
    'automation_tools_pricing_note_size_check',
    'implementation_steps_step_number_check', 'implementation_steps_title_check',
    'implementation_steps_estimated_minutes_check',
    'implementation_steps_title_size_check', 'implementation_steps_instructions_size_check',
    'step_media_media_type_check', 'step_media_url_check', 'step_media_position_check',
    'step_media_url_size_check', 'step_media_caption_size_check',
    'weekly_discoveries_week_of_check', 'weekly_discoveries_status_check',
    'weekly_discoveries_generated_at_check',
    'discovered_automations_rank_check', 'discovered_automations_relevance_score_check',
    'discovered_automations_reaction_check',
    'user_automations_status_check', 'user_automations_completed_at_check',
    'user_automations_completed_after_start_check',
    'automation_progress_status_check', 'automation_progress_completed_at_check',
    'automation_progress_notes_size_check',
    'subscriptions_stripe_customer_id_check', 'subscriptions_stripe_subscription_id_check',
    'subscriptions_plan_check', 'subscriptions_status_check', 'subscriptions_current_period_check',
    'usage_metrics_metric_check', 'usage_metrics_quantity_check', 'usage_metrics_period_check'
  ],
  'the schema has exactly its named check constraints'
);

-- ============================================================================
-- An index behind every foreign key
-- ============================================================================
-- PostgreSQL does not create them. An index serves a foreign key when its
-- leading columns are the key's columns (in any order); a partial index does
-- not, as it cannot find every child row.
select is_empty(
  $$
    select c.conrelid::regclass::text, c.conname::text collate "default"
    from pg_catalog.pg_constraint c
    where c.contype = 'f'
      and c.connamespace = 'public'::regnamespace
      and not exists (
        select 1
        from pg_catalog.pg_index i
        where i.indrelid = c.conrelid
          and i.indpred is null
          and (
            select array_agg(k order by k)
            from unnest((i.indkey::int2[])[0:cardinality(c.conkey) - 1]) k
          ) = (
            select array_agg(k order by k) from unnest(c.conkey) k
          )
      )
  $$,
  'every foreign key has a (non-partial) index that leads with its columns'
);

select * from finish();
rollback;
