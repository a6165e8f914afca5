-- Indexes: every index exists with its columns and access method (btree,
-- gin, hnsw), and the queries that matter can use them, proved through
-- EXPLAIN with tests.uses_index (sequential scans are disabled while
-- planning, so the plans do not depend on table statistics).

begin;
select plan(91);

-- ============================================================================
-- Every index of every table, exactly
-- ============================================================================
select indexes_are('public', 'user_profiles', array[
  'user_profiles_pkey', 'user_profiles_current_tools_idx'
], 'user_profiles has exactly its primary key and the index of current tools');
select indexes_are('public', 'questionnaire_sessions', array[
  'questionnaire_sessions_pkey', 'questionnaire_sessions_user_id_id_key',
  'questionnaire_sessions_user_id_created_at_idx', 'questionnaire_sessions_user_id_status_idx'
], 'questionnaire_sessions has exactly its key, composite-key target, activity and status indexes');
select indexes_are('public', 'questionnaire_responses', array[
  'questionnaire_responses_pkey', 'questionnaire_responses_user_id_session_id_question_key_key'
], 'questionnaire_responses has exactly its key and the one-answer-per-question key, which serves its foreign key');
select indexes_are('public', 'automations', array[
  'automations_pkey', 'automations_slug_key', 'automations_tags_idx',
  'automations_category_difficulty_idx', 'automations_published_at_idx', 'automations_embedding_idx'
], 'automations has exactly its key, slug, tags, browsing, newest and embedding indexes');
select indexes_are('public', 'automation_tools', array[
  'automation_tools_pkey', 'automation_tools_automation_id_name_key', 'automation_tools_name_idx'
], 'automation_tools has exactly its key, one-tool-per-automation and tool name indexes');
select indexes_are('public', 'implementation_steps', array[
  'implementation_steps_pkey', 'implementation_steps_automation_id_step_number_key',
  'implementation_steps_automation_id_id_key'
], 'implementation_steps has exactly its key, step order and composite-key target indexes');
select indexes_are('public', 'step_media', array[
  'step_media_pkey', 'step_media_step_id_position_key'
], 'step_media has exactly its key and position indexes');
select indexes_are('public', 'weekly_discoveries', array[
  'weekly_discoveries_pkey', 'weekly_discoveries_user_id_week_of_key', 'weekly_discoveries_user_id_id_key',
  'weekly_discoveries_week_of_user_id_idx', 'weekly_discoveries_status_idx'
], 'weekly_discoveries has exactly its key, one-per-week, composite-key target, week and queue indexes');
select indexes_are('public', 'discovered_automations', array[
  'discovered_automations_pkey', 'discovered_automations_discovery_id_automation_id_key',
  'discovered_automations_discovery_id_rank_key', 'discovered_automations_user_id_discovery_id_idx',
  'discovered_automations_automation_id_idx'
], 'discovered_automations has exactly its key, uniqueness and foreign key indexes');
select indexes_are('public', 'user_automations', array[
  'user_automations_pkey', 'user_automations_user_id_automation_id_key',
  'user_automations_user_id_id_automation_id_key', 'user_automations_automation_id_idx',
  'user_automations_user_id_status_idx', 'user_automations_user_id_created_at_idx'
], 'user_automations has exactly its key, uniqueness, foreign key, dashboard and activity indexes');
select indexes_are('public', 'automation_progress', array[
  'automation_progress_pkey', 'automation_progress_user_automation_step_key',
  'automation_progress_automation_id_step_id_idx'
], 'automation_progress has exactly its key, the one-per-step key (which serves a foreign key) and the other foreign key index');
select indexes_are('public', 'subscriptions', array[
  'subscriptions_pkey', 'subscriptions_stripe_subscription_id_key', 'subscriptions_user_id_live_key',
  'subscriptions_user_id_created_at_idx', 'subscriptions_stripe_customer_id_idx'
], 'subscriptions has exactly its key, Stripe id, one-live, history and customer indexes');
select indexes_are('public', 'usage_metrics', array[
  'usage_metrics_pkey', 'usage_metrics_user_id_metric_period_start_key', 'usage_metrics_period_start_metric_idx'
], 'usage_metrics has exactly its key, one-counter-per-period and billing run indexes');

-- ============================================================================
-- Columns and access method of each index the migrations create by name
-- ============================================================================
select has_index('public', 'user_profiles', 'user_profiles_current_tools_idx', array['current_tools'],
  'profiles are indexed by current tools');
select index_is_type('public', 'user_profiles', 'user_profiles_current_tools_idx', 'gin',
  'the current tools index is a gin index, for array containment');
select has_index('public', 'questionnaire_sessions', 'questionnaire_sessions_user_id_created_at_idx', array['user_id', 'created_at'],
  'sessions are indexed by user and creation time');
select index_is_type('public', 'questionnaire_sessions', 'questionnaire_sessions_user_id_created_at_idx', 'btree',
  'the sessions activity index is a btree');
select has_index('public', 'questionnaire_sessions', 'questionnaire_sessions_user_id_status_idx', array['user_id', 'status'],
  'sessions are indexed by user and status');
select index_is_type('public', 'questionnaire_sessions', 'questionnaire_sessions_user_id_status_idx', 'btree',
  'the sessions status index is a btree');
select has_index('public', 'questionnaire_responses', 'questionnaire_responses_user_id_session_id_question_key_key',
  array['user_id', 'session_id', 'question_key'],
  'responses are keyed by (user_id, session_id, question_key), which leads with their composite foreign key');
select index_is_type('public', 'questionnaire_responses', 'questionnaire_responses_user_id_session_id_question_key_key', 'btree',
  'the responses key is a btree');
select has_index('public', 'automations', 'automations_tags_idx', array['tags'],
  'automations are indexed by tags');
select index_is_type('public', 'automations', 'automations_tags_idx', 'gin',
  'the tags index is a gin index, for array containment and overlap');
select has_index('public', 'automations', 'automations_category_difficulty_idx', array['category', 'difficulty'],
  'published automations are indexed by category and difficulty');
select index_is_type('public', 'automations', 'automations_category_difficulty_idx', 'btree',
  'the browsing index is a btree');
select has_index('public', 'automations', 'automations_published_at_idx', array['published_at'],
  'published automations are indexed by publication time');
select index_is_type('public', 'automations', 'automations_published_at_idx', 'btree',
  'the newest-first index is a btree');
select has_index('public', 'automations', 'automations_embedding_idx', array['embedding'],
  'automations are indexed by embedding');
select index_is_type('public', 'automations', 'automations_embedding_idx', 'hnsw',
  'the embedding index is an hnsw index, for nearest-neighbour search');
select has_index('public', 'automation_tools', 'automation_tools_name_idx', array['name'],
  'tools are indexed by name');
select index_is_type('public', 'automation_tools', 'automation_tools_name_idx', 'btree',
  'the tool name index is a btree');
select has_index('public', 'weekly_discoveries', 'weekly_discoveries_week_of_user_id_idx', array['week_of', 'user_id'],
  'discoveries are indexed by week, then user');
select index_is_type('public', 'weekly_discoveries', 'weekly_discoveries_week_of_user_id_idx', 'btree',
  'the weekly discoveries index is a btree');
select has_index('public', 'weekly_discoveries', 'weekly_discoveries_status_idx', array['status'],
  'discoveries still to generate are indexed by status');
select index_is_type('public', 'weekly_discoveries', 'weekly_discoveries_status_idx', 'btree',
  'the generation queue index is a btree');
select has_index('public', 'discovered_automations', 'discovered_automations_user_id_discovery_id_idx', array['user_id', 'discovery_id'],
  'recommendations are indexed by their composite foreign key (user_id, discovery_id)');
select index_is_type('public', 'discovered_automations', 'discovered_automations_user_id_discovery_id_idx', 'btree',
  'the recommendations foreign key index is a btree');
select has_index('public', 'discovered_automations', 'discovered_automations_automation_id_idx', array['automation_id'],
  'recommendations are indexed by automation');
select index_is_type('public', 'discovered_automations', 'discovered_automations_automation_id_idx', 'btree',
  'the recommendations by automation index is a btree');
select has_index('public', 'user_automations', 'user_automations_automation_id_idx', array['automation_id'],
  'user automations are indexed by automation');
select index_is_type('public', 'user_automations', 'user_automations_automation_id_idx', 'btree',
  'the adopters index is a btree');
select has_index('public', 'user_automations', 'user_automations_user_id_status_idx', array['user_id', 'status'],
  'user automations are indexed by user and status');
select index_is_type('public', 'user_automations', 'user_automations_user_id_status_idx', 'btree',
  'the dashboard index is a btree');
select has_index('public', 'user_automations', 'user_automations_user_id_created_at_idx', array['user_id', 'created_at'],
  'user automations are indexed by user and creation time');
select index_is_type('public', 'user_automations', 'user_automations_user_id_created_at_idx', 'btree',
  'the adoptions activity index is a btree');
select has_index('public', 'automation_progress', 'automation_progress_user_automation_step_key',
  array['user_id', 'user_automation_id', 'automation_id', 'step_id'],
  'progress is keyed by its composite foreign key to user automations, then the step');
select index_is_type('public', 'automation_progress', 'automation_progress_user_automation_step_key', 'btree',
  'the progress key is a btree');
select has_index('public', 'automation_progress', 'automation_progress_automation_id_step_id_idx', array['automation_id', 'step_id'],
  'progress is indexed by its composite foreign key to steps');
select index_is_type('public', 'automation_progress', 'automation_progress_automation_id_step_id_idx', 'btree',
  'the progress-to-step index is a btree');
select has_index('public', 'subscriptions', 'subscriptions_user_id_created_at_idx', array['user_id', 'created_at'],
  'subscriptions are indexed by user and creation time');
select index_is_type('public', 'subscriptions', 'subscriptions_user_id_created_at_idx', 'btree',
  'the billing history index is a btree');
select has_index('public', 'subscriptions', 'subscriptions_stripe_customer_id_idx', array['stripe_customer_id'],
  'subscriptions are indexed by Stripe customer');
select index_is_type('public', 'subscriptions', 'subscriptions_stripe_customer_id_idx', 'btree',
  'the Stripe customer index is a btree');
select has_index('public', 'subscriptions', 'subscriptions_user_id_live_key', array['user_id'],
  'live subscriptions are indexed by user');
select index_is_type('public', 'subscriptions', 'subscriptions_user_id_live_key', 'btree',
  'the live subscription index is a btree');
select index_is_unique('public', 'subscriptions', 'subscriptions_user_id_live_key',
  'the live subscription index is unique: one live subscription per user');
select has_index('public', 'usage_metrics', 'usage_metrics_period_start_metric_idx', array['period_start', 'metric'],
  'usage counters are indexed by period, then metric');
select index_is_type('public', 'usage_metrics', 'usage_metrics_period_start_metric_idx', 'btree',
  'the billing run index is a btree');

-- The hnsw index compares by cosine distance, with pgvector's default build
-- parameters.
select results_eq(
  $$
    select o.opcname::text collate "default", c.reloptions collate "default"
    from pg_catalog.pg_index i
    join pg_catalog.pg_class c on c.oid = i.indexrelid
    join pg_catalog.pg_opclass o on o.oid = i.indclass[0]
    where i.indexrelid = 'public.automations_embedding_idx'::regclass
  $$,
  $$ values ('vector_cosine_ops', array['m=16', 'ef_construction=64']) $$,
  'the embedding index uses cosine distance (vector_cosine_ops) with m = 16 and ef_construction = 64'
);

-- Newest-first indexes are built descending.
select set_eq(
  $$
    select c.relname::text collate "default"
    from pg_catalog.pg_index i
    join pg_catalog.pg_class c on c.oid = i.indexrelid
    where c.relnamespace = 'public'::regnamespace
      and exists (
        select 1 from generate_series(1, i.indnatts) n
        where pg_catalog.pg_index_column_has_property(i.indexrelid, n, 'desc')
      )
  $$,
  array[
    'questionnaire_sessions_user_id_created_at_idx', 'user_automations_user_id_created_at_idx',
    'subscriptions_user_id_created_at_idx', 'automations_published_at_idx'
  ],
  'exactly the activity, billing history and newest-published indexes are descending'
);

-- Partial indexes: small, and only where the query always filters the same way.
select set_eq(
  $$
    select c.relname::text collate "default", pg_catalog.pg_get_expr(i.indpred, i.indrelid)
    from pg_catalog.pg_index i
    join pg_catalog.pg_class c on c.oid = i.indexrelid
    where c.relnamespace = 'public'::regnamespace and i.indpred is not null
  $$,
  $$ values
    ('automations_category_difficulty_idx', 'published'),
    ('automations_published_at_idx', 'published'),
    ('weekly_discoveries_status_idx', '(status = ANY (ARRAY[''pending''::text, ''generating''::text]))'),
    ('subscriptions_user_id_live_key', '(status = ANY (ARRAY[''trialing''::text, ''active''::text, ''past_due''::text]))')
  $$,
  'exactly the catalogue, generation queue and live subscription indexes are partial, with these predicates'
);

-- ============================================================================
-- Fixtures (as postgres) for the plans
-- ============================================================================
do $$ begin perform tests.create_user('index_owner'); end $$;

insert into auth.users (id, aud, role, email) values
  ('40000000-0000-0000-0000-000000000002', 'authenticated', 'authenticated', 'index_other@tests.local');
insert into public.user_profiles (user_id, current_tools) values
  ('40000000-0000-0000-0000-000000000002', array['Slack', 'Stripe']);

-- Twenty automations, half published, each with a deterministic embedding,
-- a tool and two steps.
insert into public.automations (id, slug, title, summary, category, difficulty, tags, published, embedding)
select
  md5('400.automation.' || n)::uuid, 'index-automation-' || n, 'Automation ' || n, 'x',
  (array['marketing', 'sales', 'finance', 'operations'])[1 + n % 4], (array['easy', 'medium', 'hard'])[1 + n % 3],
  array['tag-' || (n % 5), 'invoices'], n % 2 = 0,
  (select array_agg(sin(n * d)::real order by d) from generate_series(1, 1536) d)::extensions.vector
from generate_series(1, 20) n;

insert into public.automation_tools (automation_id, name)
select md5('400.automation.' || n)::uuid, 'Tool ' || (n % 6) from generate_series(1, 20) n;

insert into public.implementation_steps (id, automation_id, step_number, title, instructions)
select md5('400.step.' || n || '.' || s)::uuid, md5('400.automation.' || n)::uuid, s, 'Step ' || s, 'x'
from generate_series(1, 20) n, generate_series(1, 2) s;

insert into public.questionnaire_sessions (id, user_id, status, completed_at, created_at)
select md5('400.session.' || n)::uuid, tests.get_user_id('index_owner'),
  case when n = 1 then 'in_progress' else 'completed' end, case when n = 1 then null else now() end,
  now() - n * interval '1 day'
from generate_series(1, 5) n;

insert into public.questionnaire_responses (session_id, user_id, question_key, answer)
select md5('400.session.' || n)::uuid, tests.get_user_id('index_owner'), 'q' || q, '"a"'
from generate_series(1, 5) n, generate_series(1, 3) q;

insert into public.user_automations (id, user_id, automation_id, status, created_at)
select md5('400.adoption.' || n)::uuid, tests.get_user_id('index_owner'), md5('400.automation.' || n)::uuid,
  (array['saved', 'in_progress', 'abandoned'])[1 + n % 3], now() - n * interval '1 day'
from generate_series(1, 10) n;

insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
select tests.get_user_id('index_owner'), md5('400.adoption.' || n)::uuid, md5('400.automation.' || n)::uuid,
  md5('400.step.' || n || '.' || s)::uuid
from generate_series(1, 10) n, generate_series(1, 2) s;

insert into public.weekly_discoveries (id, user_id, week_of, status, generated_at)
select md5('400.discovery.' || u || '.' || w)::uuid, uid, date '2025-08-18' - 7 * w,
  case when w = 0 then 'pending' else 'ready' end, case when w = 0 then null else now() end
from (values (1, tests.get_user_id('index_owner')), (2, '40000000-0000-0000-0000-000000000002'::uuid)) users(u, uid),
  generate_series(0, 3) w;

insert into public.discovered_automations (discovery_id, user_id, automation_id, rank, relevance_score)
select md5('400.discovery.1.' || w)::uuid, tests.get_user_id('index_owner'), md5('400.automation.' || 2 * r)::uuid, r, 0.5
from generate_series(0, 3) w, generate_series(1, 5) r;

insert into public.subscriptions (user_id, stripe_customer_id, stripe_subscription_id, status)
values
  (tests.get_user_id('index_owner'), 'cus_index_owner', 'sub_index_owner_1', 'canceled'),
  (tests.get_user_id('index_owner'), 'cus_index_owner', 'sub_index_owner_2', 'active'),
  ('40000000-0000-0000-0000-000000000002', 'cus_index_other', 'sub_index_other_1', 'active');

insert into public.usage_metrics (user_id, metric, period_start, period_end, quantity)
select tests.get_user_id('index_owner'), m, date '2025-01-01' + (p || ' month')::interval, date '2025-02-01' + (p || ' month')::interval, p
from unnest(array['discoveries', 'ai_queries']) m, generate_series(0, 5) p;

-- ============================================================================
-- The queries that matter use their indexes
-- ============================================================================
-- dashboard
select tests.uses_index(
  format($$ select id from public.user_automations where user_id = %L and status = 'in_progress' $$, tests.get_user_id('index_owner')),
  'user_automations_user_id_status_idx',
  'the dashboard finds a user''s automations by status through (user_id, status)'
);
select tests.uses_index(
  format($$ select step_id, status from public.automation_progress where user_id = %L and user_automation_id = %L and automation_id = %L $$,
         tests.get_user_id('index_owner'), md5('400.adoption.1')::uuid, md5('400.automation.1')::uuid),
  'automation_progress_user_automation_step_key',
  'the dashboard finds a user automation''s progress through the key that leads with its composite foreign key'
);
select tests.uses_index(
  $$ select title, instructions from public.implementation_steps where automation_id = md5('400.automation.1')::uuid and step_number = 2 $$,
  'implementation_steps_automation_id_step_number_key',
  'a guide finds its next step by number through (automation_id, step_number)'
);

-- activity
select tests.uses_index(
  format($$ select id from public.questionnaire_sessions where user_id = %L and created_at > now() - interval '30 days' order by created_at desc $$, tests.get_user_id('index_owner')),
  'questionnaire_sessions_user_id_created_at_idx',
  'a user''s questionnaire sessions of the last 30 days, newest first, come from (user_id, created_at desc)'
);
select tests.uses_index(
  format($$ select id from public.user_automations where user_id = %L and created_at > now() - interval '30 days' order by created_at desc $$, tests.get_user_id('index_owner')),
  'user_automations_user_id_created_at_idx',
  'a user''s adoptions of the last 30 days, newest first, come from (user_id, created_at desc)'
);
select tests.uses_index(
  format($$ select id from public.questionnaire_sessions where user_id = %L and status = 'in_progress' $$, tests.get_user_id('index_owner')),
  'questionnaire_sessions_user_id_status_idx',
  'the session in progress to resume is found through (user_id, status)'
);

-- discovery
select tests.uses_index(
  $$ select user_id, status from public.weekly_discoveries where week_of = date '2025-08-18' $$,
  'weekly_discoveries_week_of_user_id_idx',
  'this week''s discoveries of every user come from (week_of, user_id)'
);
select tests.uses_index(
  format($$ select id, week_of from public.weekly_discoveries where user_id = %L and week_of >= date '2025-07-28' order by week_of desc $$, tests.get_user_id('index_owner')),
  'weekly_discoveries_user_id_week_of_key',
  'a user''s recent discoveries, newest week first, come from (user_id, week_of)'
);
select tests.uses_index(
  $$ select id from public.weekly_discoveries where status = 'pending' $$,
  'weekly_discoveries_status_idx',
  'the generation queue (pending discoveries) comes from the partial status index'
);
select tests.uses_index(
  format($$ select automation_id from public.discovered_automations where discovery_id = %L order by rank $$, md5('400.discovery.1.0')::uuid),
  'discovered_automations_discovery_id_rank_key',
  'a discovery''s recommendations in rank order come from (discovery_id, rank)'
);
select tests.uses_index(
  $$ select id from public.automations where tags @> array['invoices'] $$,
  'automations_tags_idx',
  'automations by tag (tags @> array[...]) come from the gin tags index'
);
select tests.uses_index(
  $$ select id from public.automations where tags && array['tag-1', 'tag-2'] $$,
  'automations_tags_idx',
  'automations with any of some tags (tags && array[...]) come from the gin tags index'
);
select tests.uses_index(
  $$
    select id from public.automations
    order by embedding operator(extensions.<=>) array_fill(0.5::real, array[1536])::extensions.vector
    limit 5
  $$,
  'automations_embedding_idx',
  'the nearest automations by cosine distance (order by embedding <=> $1 limit k) come from the hnsw index'
);
select tests.uses_index(
  $$ select user_id from public.user_profiles where current_tools @> array['Slack'] $$,
  'user_profiles_current_tools_idx',
  'businesses that already use a tool (current_tools @> array[...]) come from the gin index'
);
select tests.uses_index(
  $$ select automation_id from public.automation_tools where name = 'Tool 1' $$,
  'automation_tools_name_idx',
  'automations that use a given tool come from the tool name index'
);

-- catalogue
select tests.uses_index(
  $$ select id from public.automations where published and category = 'finance' and difficulty = 'easy' $$,
  'automations_category_difficulty_idx',
  'published automations by category and difficulty come from the partial browsing index'
);
select tests.uses_index(
  $$ select id from public.automations where published order by published_at desc limit 10 $$,
  'automations_published_at_idx',
  'the newest published automations come from the partial published_at desc index'
);

-- webhooks and billing
select tests.uses_index(
  $$ select id from public.subscriptions where stripe_customer_id = 'cus_index_owner' $$,
  'subscriptions_stripe_customer_id_idx',
  'a webhook finds a Stripe customer''s subscriptions through the customer index'
);
select tests.uses_index(
  $$ select id from public.subscriptions where stripe_subscription_id = 'sub_index_owner_2' $$,
  'subscriptions_stripe_subscription_id_key',
  'a webhook finds a subscription by its Stripe id through the unique index'
);
select tests.uses_index(
  format($$ select plan from public.subscriptions where user_id = %L and status in ('trialing', 'active', 'past_due') $$, tests.get_user_id('index_owner')),
  'subscriptions_user_id_live_key',
  'a user''s current plan comes from the partial live subscription index'
);
select tests.uses_index(
  format($$ select id from public.subscriptions where user_id = %L order by created_at desc $$, tests.get_user_id('index_owner')),
  'subscriptions_user_id_created_at_idx',
  'a user''s billing history, newest first, comes from (user_id, created_at desc)'
);
select tests.uses_index(
  $$ select user_id, quantity from public.usage_metrics where period_start = date '2025-03-01' and metric = 'ai_queries' $$,
  'usage_metrics_period_start_metric_idx',
  'the billing run finds every user''s usage of a period through (period_start, metric)'
);
select tests.uses_index(
  format($$ select period_start, quantity from public.usage_metrics where user_id = %L and metric = 'ai_queries' order by period_start $$, tests.get_user_id('index_owner')),
  'usage_metrics_user_id_metric_period_start_key',
  'a user''s usage of a metric, period by period, comes from (user_id, metric, period_start)'
);

-- deletes of a parent find the children through the foreign key indexes
select tests.uses_index(
  $$ select id from public.user_automations where automation_id = md5('400.automation.1')::uuid $$,
  'user_automations_automation_id_idx',
  'deleting an automation finds its adopters through the automation_id index'
);
select tests.uses_index(
  $$ select id from public.discovered_automations where automation_id = md5('400.automation.1')::uuid $$,
  'discovered_automations_automation_id_idx',
  'deleting an automation finds its recommendations through the automation_id index'
);
select tests.uses_index(
  $$ select id from public.automation_progress where automation_id = md5('400.automation.1')::uuid and step_id = md5('400.step.1.1')::uuid $$,
  'automation_progress_automation_id_step_id_idx',
  'deleting a step finds its progress rows through (automation_id, step_id)'
);

-- ============================================================================
-- As the owner, through the policies
-- ============================================================================
select tests.authenticate_as('index_owner');

select tests.uses_index(
  format($$ select id from public.user_automations where user_id = %L and status = 'in_progress' $$, tests.get_user_id('index_owner')),
  'user_automations_user_id_status_idx',
  'a signed-in user''s dashboard query uses (user_id, status) under row level security'
);
select tests.uses_index(
  format($$ select id from public.questionnaire_sessions where user_id = %L and created_at > now() - interval '30 days' order by created_at desc $$, tests.get_user_id('index_owner')),
  'questionnaire_sessions_user_id_created_at_idx',
  'a signed-in user''s recent sessions use (user_id, created_at desc) under row level security'
);
select tests.uses_index(
  format($$ select question_key, answer from public.questionnaire_responses where user_id = %L and session_id = %L $$,
         tests.get_user_id('index_owner'), md5('400.session.1')::uuid),
  'questionnaire_responses_user_id_session_id_question_key_key',
  'a signed-in user''s answers of a session use the key that leads with (user_id, session_id) under row level security'
);
select tests.uses_index(
  format($$ select automation_id, rank from public.discovered_automations where user_id = %L and discovery_id = %L $$,
         tests.get_user_id('index_owner'), md5('400.discovery.1.0')::uuid),
  'discovered_automations_user_id_discovery_id_idx',
  'a signed-in user''s recommendations of a discovery use (user_id, discovery_id) under row level security'
);

select tests.clear_authentication();

select * from finish();
rollback;
