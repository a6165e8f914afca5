-- Structure: the thirteen tables, their columns, types, nullability and
-- defaults, row level security on each, and the policies each one carries.
--
-- Behaviour (what the constraints refuse, what cascades) is proved in
-- 100_constraints*.sql and 300_cascades.sql; keys in 020, triggers in 030.

begin;
select plan(173);

-- ============================================================================
-- Tables
-- ============================================================================
select tables_are(
  'public',
  array[
    'user_profiles', 'questionnaire_sessions', 'questionnaire_responses',
    'automations', 'automation_tools', 'implementation_steps', 'step_media',
    'weekly_discoveries', 'discovered_automations',
    'user_automations', 'automation_progress',
    'subscriptions', 'usage_metrics'
  ],
  'the public schema holds exactly the thirteen tables of the data model'
);

-- ============================================================================
-- Columns
-- ============================================================================
select columns_are('public', 'user_profiles', array[
  'user_id', 'full_name', 'business_name', 'industry', 'business_size', 'experience',
  'current_tools', 'goals', 'role', 'onboarding_status', 'onboarding_completed_at',
  'created_at', 'updated_at'
], 'a user profile holds the business attributes, the role and the onboarding state');

select columns_are('public', 'questionnaire_sessions', array[
  'id', 'user_id', 'status', 'current_step', 'ai_context', 'started_at', 'completed_at',
  'created_at', 'updated_at'
], 'a questionnaire session holds its status, current step, AI context and its times');

select columns_are('public', 'questionnaire_responses', array[
  'id', 'session_id', 'user_id', 'question_key', 'answer', 'created_at', 'updated_at'
], 'a questionnaire response holds one answer to one question of one session');

select columns_are('public', 'automations', array[
  'id', 'slug', 'title', 'summary', 'description', 'category', 'difficulty',
  'setup_minutes', 'hours_saved_per_week', 'tags', 'embedding', 'published', 'published_at',
  'created_at', 'updated_at'
], 'an automation holds its text, classification, savings, tags, embedding and publication');

select columns_are('public', 'automation_tools', array[
  'id', 'automation_id', 'name', 'url', 'required', 'pricing_note', 'created_at', 'updated_at'
], 'an automation tool holds its name, link, whether it is required and a pricing note');

select columns_are('public', 'implementation_steps', array[
  'id', 'automation_id', 'step_number', 'title', 'instructions', 'estimated_minutes',
  'created_at', 'updated_at'
], 'an implementation step holds its number, title, instructions and estimated time');

select columns_are('public', 'step_media', array[
  'id', 'step_id', 'media_type', 'url', 'caption', 'position', 'created_at', 'updated_at'
], 'a step medium holds its type, link, caption and position');

select columns_are('public', 'weekly_discoveries', array[
  'id', 'user_id', 'week_of', 'status', 'generated_at', 'viewed_at', 'created_at', 'updated_at'
], 'a weekly discovery holds its week, its generation status and when it was generated and viewed');

select columns_are('public', 'discovered_automations', array[
  'id', 'discovery_id', 'user_id', 'automation_id', 'rank', 'relevance_score', 'reason',
  'reaction', 'created_at', 'updated_at'
], 'a recommendation holds its rank, relevance score, reason and the user''s reaction');

select columns_are('public', 'user_automations', array[
  'id', 'user_id', 'automation_id', 'status', 'started_at', 'completed_at',
  'created_at', 'updated_at'
], 'a user automation holds the adoption status and its start and completion times');

select columns_are('public', 'automation_progress', array[
  'id', 'user_id', 'user_automation_id', 'automation_id', 'step_id', 'status',
  'completed_at', 'notes', 'created_at', 'updated_at'
], 'a progress row holds the status of one step of one user automation');

select columns_are('public', 'subscriptions', array[
  'id', 'user_id', 'stripe_customer_id', 'stripe_subscription_id', 'stripe_price_id',
  'plan', 'status', 'current_period_start', 'current_period_end', 'cancel_at_period_end',
  'canceled_at', 'created_at', 'updated_at'
], 'a subscription mirrors Stripe''s ids, plan, status and current period');

select columns_are('public', 'usage_metrics', array[
  'id', 'user_id', 'metric', 'period_start', 'period_end', 'quantity', 'created_at', 'updated_at'
], 'a usage metric holds one counter per user, metric and period');

-- ============================================================================
-- Every table: uuid id, created_at and updated_at
-- ============================================================================
select is_empty(
  $$
    select c.relname
    from pg_catalog.pg_class c
    where c.relnamespace = 'public'::regnamespace
      and c.relkind = 'r'
      and (
        select count(*)
        from pg_catalog.pg_attribute a
        join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where a.attrelid = c.oid
          and a.attname in ('created_at', 'updated_at')
          and a.atttypid = 'timestamptz'::regtype
          and a.attnotnull
          and pg_catalog.pg_get_expr(d.adbin, d.adrelid) = 'now()'
      ) <> 2
  $$,
  'every table has created_at and updated_at, timestamptz not null default now()'
);

select is_empty(
  $$
    select c.relname
    from pg_catalog.pg_class c
    left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attname = 'id'
    left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where c.relnamespace = 'public'::regnamespace
      and c.relkind = 'r'
      and c.relname <> 'user_profiles'
      and (
        a.atttypid is distinct from 'uuid'::regtype
        or not a.attnotnull
        or pg_catalog.pg_get_expr(d.adbin, d.adrelid) is distinct from 'gen_random_uuid()'
      )
  $$,
  'every table but user_profiles has an id, uuid not null default gen_random_uuid()'
);

-- ============================================================================
-- Key column types
-- ============================================================================
-- user_profiles
select col_type_is('public', 'user_profiles', 'user_id', 'uuid', 'a profile is keyed by the auth.users id (uuid)');
select col_type_is('public', 'user_profiles', 'current_tools', 'text[]', 'a profile lists the current tools as a text array');
select col_type_is('public', 'user_profiles', 'goals', 'text[]', 'a profile lists the goals as a text array');
select col_type_is('public', 'user_profiles', 'role', 'text', 'a profile''s role is text');
select col_type_is('public', 'user_profiles', 'onboarding_completed_at', 'timestamp with time zone', 'a profile records when onboarding completed as a timestamptz');
-- questionnaire_sessions
select col_type_is('public', 'questionnaire_sessions', 'user_id', 'uuid', 'a session belongs to a user by uuid');
select col_type_is('public', 'questionnaire_sessions', 'current_step', 'integer', 'a session''s current step is an integer');
select col_type_is('public', 'questionnaire_sessions', 'ai_context', 'jsonb', 'a session''s AI context is jsonb');
select col_type_is('public', 'questionnaire_sessions', 'started_at', 'timestamp with time zone', 'a session''s start is a timestamptz');
select col_type_is('public', 'questionnaire_sessions', 'completed_at', 'timestamp with time zone', 'a session''s completion is a timestamptz');
-- questionnaire_responses
select col_type_is('public', 'questionnaire_responses', 'session_id', 'uuid', 'a response belongs to a session by uuid');
select col_type_is('public', 'questionnaire_responses', 'user_id', 'uuid', 'a response carries its owner''s uuid');
select col_type_is('public', 'questionnaire_responses', 'question_key', 'text', 'a response names its question by a text key');
select col_type_is('public', 'questionnaire_responses', 'answer', 'jsonb', 'a response''s answer is jsonb');
-- automations
select col_type_is('public', 'automations', 'slug', 'text', 'an automation''s slug is text');
select col_type_is('public', 'automations', 'setup_minutes', 'integer', 'an automation''s setup time is an integer number of minutes');
select col_type_is('public', 'automations', 'hours_saved_per_week', 'numeric(6,2)', 'an automation''s weekly savings are numeric(6,2) hours');
select col_type_is('public', 'automations', 'tags', 'text[]', 'an automation''s tags are a text array');
select col_type_is('public', 'automations', 'published', 'boolean', 'an automation''s published flag is boolean');
select col_type_is('public', 'automations', 'published_at', 'timestamp with time zone', 'an automation''s publication time is a timestamptz');
-- The type lives in schema extensions; pgvector keeps the dimension in the typmod.
select results_eq(
  $$
    select n.nspname::text collate "default", t.typname::text collate "default", a.atttypmod
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_type t on t.oid = a.atttypid
    join pg_catalog.pg_namespace n on n.oid = t.typnamespace
    where a.attrelid = 'public.automations'::regclass and a.attname = 'embedding'
  $$,
  $$ values ('extensions', 'vector', 1536) $$,
  'an automation''s embedding is an extensions.vector(1536)'
);
-- automation_tools
select col_type_is('public', 'automation_tools', 'automation_id', 'uuid', 'a tool belongs to an automation by uuid');
select col_type_is('public', 'automation_tools', 'required', 'boolean', 'whether a tool is required is boolean');
-- implementation_steps
select col_type_is('public', 'implementation_steps', 'automation_id', 'uuid', 'a step belongs to an automation by uuid');
select col_type_is('public', 'implementation_steps', 'step_number', 'integer', 'a step''s number is an integer');
select col_type_is('public', 'implementation_steps', 'estimated_minutes', 'integer', 'a step''s estimate is an integer number of minutes');
-- step_media
select col_type_is('public', 'step_media', 'step_id', 'uuid', 'a medium belongs to a step by uuid');
select col_type_is('public', 'step_media', 'position', 'integer', 'a medium''s position is an integer');
-- weekly_discoveries
select col_type_is('public', 'weekly_discoveries', 'user_id', 'uuid', 'a discovery belongs to a user by uuid');
select col_type_is('public', 'weekly_discoveries', 'week_of', 'date', 'a discovery''s week is a date');
select col_type_is('public', 'weekly_discoveries', 'generated_at', 'timestamp with time zone', 'a discovery''s generation time is a timestamptz');
select col_type_is('public', 'weekly_discoveries', 'viewed_at', 'timestamp with time zone', 'a discovery''s viewing time is a timestamptz');
-- discovered_automations
select col_type_is('public', 'discovered_automations', 'discovery_id', 'uuid', 'a recommendation belongs to a discovery by uuid');
select col_type_is('public', 'discovered_automations', 'user_id', 'uuid', 'a recommendation carries its owner''s uuid');
select col_type_is('public', 'discovered_automations', 'automation_id', 'uuid', 'a recommendation names an automation by uuid');
select col_type_is('public', 'discovered_automations', 'rank', 'integer', 'a recommendation''s rank is an integer');
select col_type_is('public', 'discovered_automations', 'relevance_score', 'numeric(5,4)', 'a recommendation''s relevance score is numeric(5,4)');
-- user_automations
select col_type_is('public', 'user_automations', 'user_id', 'uuid', 'a user automation belongs to a user by uuid');
select col_type_is('public', 'user_automations', 'automation_id', 'uuid', 'a user automation names an automation by uuid');
select col_type_is('public', 'user_automations', 'started_at', 'timestamp with time zone', 'a user automation''s start is a timestamptz');
select col_type_is('public', 'user_automations', 'completed_at', 'timestamp with time zone', 'a user automation''s completion is a timestamptz');
-- automation_progress
select col_type_is('public', 'automation_progress', 'user_id', 'uuid', 'a progress row carries its owner''s uuid');
select col_type_is('public', 'automation_progress', 'user_automation_id', 'uuid', 'a progress row belongs to a user automation by uuid');
select col_type_is('public', 'automation_progress', 'automation_id', 'uuid', 'a progress row carries its automation''s uuid');
select col_type_is('public', 'automation_progress', 'step_id', 'uuid', 'a progress row names a step by uuid');
select col_type_is('public', 'automation_progress', 'completed_at', 'timestamp with time zone', 'a progress row''s completion is a timestamptz');
-- subscriptions
select col_type_is('public', 'subscriptions', 'user_id', 'uuid', 'a subscription belongs to a user by uuid');
select col_type_is('public', 'subscriptions', 'stripe_customer_id', 'text', 'a subscription''s Stripe customer id is text');
select col_type_is('public', 'subscriptions', 'stripe_subscription_id', 'text', 'a subscription''s Stripe subscription id is text');
select col_type_is('public', 'subscriptions', 'current_period_start', 'timestamp with time zone', 'a subscription''s period start is a timestamptz');
select col_type_is('public', 'subscriptions', 'current_period_end', 'timestamp with time zone', 'a subscription''s period end is a timestamptz');
select col_type_is('public', 'subscriptions', 'cancel_at_period_end', 'boolean', 'whether a subscription cancels at period end is boolean');
-- usage_metrics
select col_type_is('public', 'usage_metrics', 'user_id', 'uuid', 'a usage counter belongs to a user by uuid');
select col_type_is('public', 'usage_metrics', 'period_start', 'date', 'a usage period starts on a date');
select col_type_is('public', 'usage_metrics', 'period_end', 'date', 'a usage period ends on a date');
select col_type_is('public', 'usage_metrics', 'quantity', 'bigint', 'a usage quantity is a bigint');

-- ============================================================================
-- Not null where the model needs a value
-- ============================================================================
-- (a check constraint such as `status in (...)` lets null through: not null
-- is what makes a controlled vocabulary mandatory)
select col_not_null('public', 'user_profiles', 'current_tools', 'a profile always has a (possibly empty) list of tools');
select col_not_null('public', 'user_profiles', 'goals', 'a profile always has a (possibly empty) list of goals');
select col_not_null('public', 'user_profiles', 'role', 'a profile always has a role');
select col_not_null('public', 'user_profiles', 'onboarding_status', 'a profile always has an onboarding status');
select col_not_null('public', 'questionnaire_sessions', 'user_id', 'a session always belongs to a user');
select col_not_null('public', 'questionnaire_sessions', 'status', 'a session always has a status');
select col_not_null('public', 'questionnaire_sessions', 'current_step', 'a session always has a current step');
select col_not_null('public', 'questionnaire_sessions', 'ai_context', 'a session always has an AI context, empty at first');
select col_not_null('public', 'questionnaire_sessions', 'started_at', 'a session always has a start time');
select col_not_null('public', 'questionnaire_responses', 'session_id', 'a response always belongs to a session');
select col_not_null('public', 'questionnaire_responses', 'user_id', 'a response always carries its owner');
select col_not_null('public', 'questionnaire_responses', 'question_key', 'a response always names its question');
select col_not_null('public', 'questionnaire_responses', 'answer', 'a response always has an answer');
select col_not_null('public', 'automations', 'slug', 'an automation always has a slug');
select col_not_null('public', 'automations', 'title', 'an automation always has a title');
select col_not_null('public', 'automations', 'summary', 'an automation always has a summary');
select col_not_null('public', 'automations', 'description', 'an automation always has a description, empty at first');
select col_not_null('public', 'automations', 'category', 'an automation always has a category');
select col_not_null('public', 'automations', 'difficulty', 'an automation always has a difficulty');
select col_not_null('public', 'automations', 'setup_minutes', 'an automation always has a setup time');
select col_not_null('public', 'automations', 'hours_saved_per_week', 'an automation always has its weekly savings');
select col_not_null('public', 'automations', 'tags', 'an automation always has a (possibly empty) list of tags');
select col_not_null('public', 'automations', 'published', 'an automation is always either published or not');
select col_not_null('public', 'automation_tools', 'automation_id', 'a tool always belongs to an automation');
select col_not_null('public', 'automation_tools', 'name', 'a tool always has a name');
select col_not_null('public', 'automation_tools', 'required', 'a tool is always either required or optional');
select col_not_null('public', 'implementation_steps', 'automation_id', 'a step always belongs to an automation');
select col_not_null('public', 'implementation_steps', 'step_number', 'a step always has a number');
select col_not_null('public', 'implementation_steps', 'title', 'a step always has a title');
select col_not_null('public', 'implementation_steps', 'instructions', 'a step always has instructions');
select col_not_null('public', 'step_media', 'step_id', 'a medium always belongs to a step');
select col_not_null('public', 'step_media', 'media_type', 'a medium always has a type');
select col_not_null('public', 'step_media', 'url', 'a medium always has a link');
select col_not_null('public', 'step_media', 'position', 'a medium always has a position');
select col_not_null('public', 'weekly_discoveries', 'user_id', 'a discovery always belongs to a user');
select col_not_null('public', 'weekly_discoveries', 'week_of', 'a discovery is always for a week');
select col_not_null('public', 'weekly_discoveries', 'status', 'a discovery always has a status');
select col_not_null('public', 'discovered_automations', 'discovery_id', 'a recommendation always belongs to a discovery');
select col_not_null('public', 'discovered_automations', 'user_id', 'a recommendation always carries its owner');
select col_not_null('public', 'discovered_automations', 'automation_id', 'a recommendation always names an automation');
select col_not_null('public', 'discovered_automations', 'rank', 'a recommendation always has a rank');
select col_not_null('public', 'discovered_automations', 'relevance_score', 'a recommendation always has a relevance score');
select col_not_null('public', 'discovered_automations', 'reaction', 'a recommendation always has a reaction, new at first');
select col_not_null('public', 'user_automations', 'user_id', 'a user automation always belongs to a user');
select col_not_null('public', 'user_automations', 'automation_id', 'a user automation always names an automation');
select col_not_null('public', 'user_automations', 'status', 'a user automation always has a status');
select col_not_null('public', 'automation_progress', 'user_id', 'a progress row always carries its owner');
select col_not_null('public', 'automation_progress', 'user_automation_id', 'a progress row always belongs to a user automation');
select col_not_null('public', 'automation_progress', 'automation_id', 'a progress row always carries its automation');
select col_not_null('public', 'automation_progress', 'step_id', 'a progress row always names a step');
select col_not_null('public', 'automation_progress', 'status', 'a progress row always has a status');
select col_not_null('public', 'subscriptions', 'user_id', 'a subscription always belongs to a user');
select col_not_null('public', 'subscriptions', 'stripe_customer_id', 'a subscription always has a Stripe customer');
select col_not_null('public', 'subscriptions', 'plan', 'a subscription always has a plan');
select col_not_null('public', 'subscriptions', 'status', 'a subscription always has a status');
select col_not_null('public', 'subscriptions', 'cancel_at_period_end', 'a subscription always says whether it cancels at period end');
select col_not_null('public', 'usage_metrics', 'user_id', 'a usage counter always belongs to a user');
select col_not_null('public', 'usage_metrics', 'metric', 'a usage counter always names its metric');
select col_not_null('public', 'usage_metrics', 'period_start', 'a usage counter always has a period start');
select col_not_null('public', 'usage_metrics', 'period_end', 'a usage counter always has a period end');
select col_not_null('public', 'usage_metrics', 'quantity', 'a usage counter always has a quantity');

-- Deliberately optional: filled in later, or not known for every row.
select col_is_null('public', 'user_profiles', 'business_size', 'a profile may not know its business size before onboarding');
select col_is_null('public', 'user_profiles', 'experience', 'a profile may not know its experience before onboarding');
select col_is_null('public', 'questionnaire_sessions', 'completed_at', 'a session in progress has no completion time');
select col_is_null('public', 'automations', 'embedding', 'an automation may wait for its embedding');
select col_is_null('public', 'automations', 'published_at', 'an unpublished automation has no publication time');
select col_is_null('public', 'subscriptions', 'stripe_subscription_id', 'a free plan has no Stripe subscription id');

-- ============================================================================
-- Defaults
-- ============================================================================
select col_default_is('public', 'user_profiles', 'role', 'user'::text, 'a new profile is an ordinary user');
select col_default_is('public', 'user_profiles', 'onboarding_status', 'not_started'::text, 'a new profile has not started onboarding');
select col_default_is('public', 'user_profiles', 'current_tools', '{}'::text[], 'a new profile lists no tools');
select col_default_is('public', 'questionnaire_sessions', 'status', 'in_progress'::text, 'a new session is in progress');
select col_default_is('public', 'questionnaire_sessions', 'current_step', 1, 'a new session is at step 1');
select col_default_is('public', 'questionnaire_sessions', 'ai_context', '{}'::jsonb, 'a new session has an empty AI context');
select col_default_is('public', 'questionnaire_sessions', 'started_at', 'now()', 'a new session starts now');
select col_default_is('public', 'automations', 'published', false, 'a new automation is not published');
select col_default_is('public', 'automations', 'tags', '{}'::text[], 'a new automation has no tags');
select col_default_is('public', 'automations', 'setup_minutes', 0, 'a new automation takes no setup time until told otherwise');
select col_default_is('public', 'automation_tools', 'required', true, 'a tool is required unless marked optional');
select col_default_is('public', 'step_media', 'position', 1, 'a step''s first medium is at position 1');
select col_default_is('public', 'weekly_discoveries', 'status', 'pending'::text, 'a new discovery is pending generation');
select col_default_is('public', 'discovered_automations', 'reaction', 'new'::text, 'a new recommendation has the reaction new');
select col_default_is('public', 'user_automations', 'status', 'saved'::text, 'a new user automation is saved');
select col_default_is('public', 'automation_progress', 'status', 'not_started'::text, 'a new progress row is not started');
select col_default_is('public', 'subscriptions', 'plan', 'free'::text, 'a new subscription is on the free plan');
select col_default_is('public', 'subscriptions', 'cancel_at_period_end', false, 'a new subscription does not cancel at period end');
select col_hasnt_default('public', 'subscriptions', 'status', 'a subscription''s status always comes from Stripe, never from a default');
select col_default_is('public', 'usage_metrics', 'quantity', 0::bigint, 'a new usage counter starts at zero');

-- ============================================================================
-- Row level security
-- ============================================================================
select is_empty(
  $$
    select relname
    from pg_catalog.pg_class
    where relnamespace = 'public'::regnamespace
      and relkind in ('r', 'p')
      and not relrowsecurity
  $$,
  'row level security is enabled on every table of the public schema'
);

-- ============================================================================
-- Policies per table (the behaviour of each is proved in the 2xx files)
-- ============================================================================
select policies_are('public', 'user_profiles', array[
  'user_profiles_select_own', 'user_profiles_insert_own',
  'user_profiles_update_own', 'user_profiles_delete_own'
], 'user_profiles has exactly its four owner-or-admin policies');

select policies_are('public', 'questionnaire_sessions', array[
  'questionnaire_sessions_select_own', 'questionnaire_sessions_insert_own',
  'questionnaire_sessions_update_own', 'questionnaire_sessions_delete_own'
], 'questionnaire_sessions has exactly its four owner-or-admin policies');

select policies_are('public', 'questionnaire_responses', array[
  'questionnaire_responses_select_own', 'questionnaire_responses_insert_own',
  'questionnaire_responses_update_own', 'questionnaire_responses_delete_own'
], 'questionnaire_responses has exactly its four owner-or-admin policies');

select policies_are('public', 'automations', array[
  'automations_select_published', 'automations_select_published_or_admin',
  'automations_insert_admin', 'automations_update_admin', 'automations_delete_admin'
], 'automations has exactly its read-published and admin-write policies');

select policies_are('public', 'automation_tools', array[
  'automation_tools_select_published', 'automation_tools_select_published_or_admin',
  'automation_tools_insert_admin', 'automation_tools_update_admin', 'automation_tools_delete_admin'
], 'automation_tools has exactly its read-published and admin-write policies');

select policies_are('public', 'implementation_steps', array[
  'implementation_steps_select_published', 'implementation_steps_select_published_or_admin',
  'implementation_steps_insert_admin', 'implementation_steps_update_admin', 'implementation_steps_delete_admin'
], 'implementation_steps has exactly its read-published and admin-write policies');

select policies_are('public', 'step_media', array[
  'step_media_select_published', 'step_media_select_published_or_admin',
  'step_media_insert_admin', 'step_media_update_admin', 'step_media_delete_admin'
], 'step_media has exactly its read-published and admin-write policies');

select policies_are('public', 'weekly_discoveries', array[
  'weekly_discoveries_select_own', 'weekly_discoveries_update_own'
], 'weekly_discoveries has exactly a read policy and an owner update policy');

select policies_are('public', 'discovered_automations', array[
  'discovered_automations_select_own', 'discovered_automations_update_own'
], 'discovered_automations has exactly a read policy and an owner update policy');

select policies_are('public', 'user_automations', array[
  'user_automations_select_own', 'user_automations_insert_own',
  'user_automations_update_own', 'user_automations_delete_own'
], 'user_automations has exactly its four owner-or-admin policies');

select policies_are('public', 'automation_progress', array[
  'automation_progress_select_own', 'automation_progress_insert_own',
  'automation_progress_update_own', 'automation_progress_delete_own'
], 'automation_progress has exactly its four owner-or-admin policies');

select policies_are('public', 'subscriptions', array[
  'subscriptions_select_own'
], 'subscriptions has exactly one read policy: only service_role writes billing');

select policies_are('public', 'usage_metrics', array[
  'usage_metrics_select_own'
], 'usage_metrics has exactly one read policy: only service_role writes usage');

select * from finish();
rollback;
