-- Indexes: every index of schema public, in one list with its reason, from
-- which the assertions are generated; and the queries that matter can use
-- their indexes, proved through EXPLAIN with tests.uses_index, whatever the
-- tables' statistics (see supabase/tests/000_test_helpers.sql).
--
-- The list is the statement of intent for indexes, as the RLS matrix
-- (270_rls_matrix.sql) is for row level security: a new index is a line here,
-- with its columns, its access method and why it exists. The plan grows by one
-- for an index a migration creates, and by one for a new table.

begin;
select plan(68);

-- ============================================================================
-- Every index, with its reason
-- ============================================================================
-- One line per index of schema public. columns (in order, with desc where the
-- index is built descending) and access_method are given for every index a
-- migration creates with create index. An index a primary key or unique
-- constraint owns has none: its columns are the constraint's, proved in
-- 020_structure_keys.sql, and it is a btree; its reason says what else it
-- serves.
create temporary table index_list (table_name, index_name, columns, access_method, reason) as values
  ('user_profiles',           'user_profiles_pkey',                                          null::text[],                                  null::text,
   'the primary key; also the foreign key user_id'),
  ('user_profiles',           'user_profiles_current_tools_idx',                             array['current_tools'],                        'gin',
   'discovery: businesses that already use a tool (current_tools @> array[...])'),

  ('questionnaire_sessions',  'questionnaire_sessions_pkey',                                 null, null,
   'the primary key'),
  ('questionnaire_sessions',  'questionnaire_sessions_user_id_id_key',                       null, null,
   'the target of the answers'' composite foreign key (user_id, session_id)'),
  ('questionnaire_sessions',  'questionnaire_sessions_user_id_created_at_idx',               array['user_id', 'created_at desc'],           'btree',
   'the foreign key user_id, and activity: a user''s recent questionnaire sessions, newest first'),
  ('questionnaire_sessions',  'questionnaire_sessions_user_id_status_idx',                   array['user_id', 'status'],                    'btree',
   'a user''s sessions by status: the one in progress to resume'),

  ('questionnaire_responses', 'questionnaire_responses_pkey',                                null, null,
   'the primary key'),
  ('questionnaire_responses', 'questionnaire_responses_user_id_session_id_question_key_key', null, null,
   'one answer per question per session; leads with the foreign key (user_id, session_id): a session''s answers under the owner''s policy'),

  ('automations',             'automations_pkey',                                            null, null,
   'the primary key'),
  ('automations',             'automations_slug_key',                                        null, null,
   'an automation by its slug, in the catalogue''s addresses'),
  ('automations',             'automations_tags_idx',                                        array['tags'],                                 'gin',
   'discovery: automations by tag (tags @> array[...], tags && array[...])'),
  ('automations',             'automations_category_difficulty_idx',                         array['category', 'difficulty'],               'btree',
   'catalogue browsing: published automations by category and difficulty (partial)'),
  ('automations',             'automations_published_at_idx',                                array['published_at desc'],                    'btree',
   'the catalogue: newest published automations first (partial)'),
  ('automations',             'automations_embedding_idx',                                   array['(embedding::halfvec(1536))'],           'ivfflat',
   'discovery: the automations nearest a business, by lists of the catalogue (match_automations; trained by private.train_discovery_index())'),

  ('automation_tools',        'automation_tools_pkey',                                       null, null,
   'the primary key'),
  ('automation_tools',        'automation_tools_automation_id_name_key',                     null, null,
   'a tool once per automation; also the foreign key automation_id'),
  ('automation_tools',        'automation_tools_name_idx',                                   array['name'],                                 'btree',
   'discovery: automations that use a tool the business already has'),

  ('implementation_steps',    'implementation_steps_pkey',                                   null, null,
   'the primary key'),
  ('implementation_steps',    'implementation_steps_automation_id_step_number_key',          null, null,
   'one step per number; also the foreign key automation_id and a guide in step order'),
  ('implementation_steps',    'implementation_steps_automation_id_id_key',                   null, null,
   'the target of progress''s composite foreign key (automation_id, step_id)'),

  ('step_media',              'step_media_pkey',                                             null, null,
   'the primary key'),
  ('step_media',              'step_media_step_id_position_key',                             null, null,
   'one medium per position; also the foreign key step_id and a step''s media in order'),

  ('weekly_discoveries',      'weekly_discoveries_pkey',                                     null, null,
   'the primary key'),
  ('weekly_discoveries',      'weekly_discoveries_user_id_week_of_key',                      null, null,
   'one discovery per user and week; also the foreign key user_id and a user''s discoveries by week'),
  ('weekly_discoveries',      'weekly_discoveries_user_id_id_key',                           null, null,
   'the target of the recommendations'' composite foreign key (user_id, discovery_id)'),
  ('weekly_discoveries',      'weekly_discoveries_week_of_user_id_idx',                      array['week_of', 'user_id'],                   'btree',
   'generation: every user''s discovery for a given week'),
  ('weekly_discoveries',      'weekly_discoveries_status_idx',                               array['status'],                               'btree',
   'the generation queue: discoveries still to generate (partial)'),

  ('discovered_automations',  'discovered_automations_pkey',                                 null, null,
   'the primary key'),
  ('discovered_automations',  'discovered_automations_discovery_id_automation_id_key',       null, null,
   'an automation once per discovery'),
  ('discovered_automations',  'discovered_automations_discovery_id_rank_key',                null, null,
   'one recommendation per rank; also a discovery''s recommendations in rank order'),
  ('discovered_automations',  'discovered_automations_user_id_discovery_id_idx',             array['user_id', 'discovery_id'],              'btree',
   'the foreign key (user_id, discovery_id): a user''s recommendations under the owner''s policy'),
  ('discovered_automations',  'discovered_automations_automation_id_idx',                    array['automation_id'],                        'btree',
   'the foreign key automation_id: deleting an automation finds its recommendations'),

  ('user_automations',        'user_automations_pkey',                                       null, null,
   'the primary key'),
  ('user_automations',        'user_automations_user_id_automation_id_key',                  null, null,
   'an automation adopted once per user; also the foreign key user_id'),
  ('user_automations',        'user_automations_user_id_id_automation_id_key',               null, null,
   'the target of progress''s composite foreign key (user_id, user_automation_id, automation_id)'),
  ('user_automations',        'user_automations_automation_id_idx',                          array['automation_id'],                        'btree',
   'the foreign key automation_id: deleting an automation checks for adopters; adoption counts'),
  ('user_automations',        'user_automations_user_id_status_idx',                         array['user_id', 'status'],                    'btree',
   'the dashboard: a user''s automations by status'),
  ('user_automations',        'user_automations_user_id_created_at_idx',                     array['user_id', 'created_at desc'],           'btree',
   'activity: a user''s recent adoptions, newest first'),

  ('automation_progress',     'automation_progress_pkey',                                    null, null,
   'the primary key'),
  ('automation_progress',     'automation_progress_user_automation_step_key',                null, null,
   'one progress row per step of a user automation; leads with the foreign key to user_automations: the dashboard''s progress'),
  ('automation_progress',     'automation_progress_automation_id_step_id_idx',               array['automation_id', 'step_id'],             'btree',
   'the foreign key (automation_id, step_id): deleting a step finds its progress rows'),

  ('subscriptions',           'subscriptions_pkey',                                          null, null,
   'the primary key'),
  ('subscriptions',           'subscriptions_stripe_subscription_id_key',                    null, null,
   'webhooks: a subscription by its Stripe id'),
  ('subscriptions',           'subscriptions_user_id_live_key',                              array['user_id'],                              'btree',
   'at most one live subscription per user (unique and partial; 130_constraints_billing.sql proves it), and a user''s current plan'),
  ('subscriptions',           'subscriptions_user_id_created_at_idx',                        array['user_id', 'created_at desc'],           'btree',
   'the foreign key user_id, and a user''s billing history, newest first'),
  ('subscriptions',           'subscriptions_stripe_customer_id_idx',                        array['stripe_customer_id'],                   'btree',
   'webhooks: the subscriptions of a Stripe customer'),

  ('usage_metrics',           'usage_metrics_pkey',                                          null, null,
   'the primary key'),
  ('usage_metrics',           'usage_metrics_user_id_metric_period_start_key',               null, null,
   'one counter per user, metric and period; also the foreign key user_id and a user''s usage by period'),
  ('usage_metrics',           'usage_metrics_period_start_metric_idx',                       array['period_start', 'metric'],               'btree',
   'the billing run: every user''s usage of a period, reported to Stripe');

-- ============================================================================
-- Every line, proved
-- ============================================================================
-- Each table of public has exactly the indexes the list gives it (a table the
-- list does not name has none).
select indexes_are(
  'public', t.table_name, t.index_names,
  format('%s has exactly the indexes the list gives it, and no other', t.table_name)
)
from (
  select c.relname as table_name,
         coalesce(array_agg(l.index_name::name order by l.ctid) filter (where l.index_name is not null), '{}') as index_names,
         min(l.ctid) as first_line
    from pg_catalog.pg_class c
    left join index_list l on l.table_name = c.relname::text
   where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
   group by c.relname
) t
order by t.first_line nulls last, t.table_name;

-- The list leaves columns and access method out exactly for the indexes a
-- constraint owns.
select is(
  array(
    select l.index_name::text from index_list l
     where (l.columns is null) is distinct from exists (
       select from pg_catalog.pg_constraint k
        where k.conindid = to_regclass(format('public.%I', l.index_name))
          and k.conrelid = to_regclass(format('public.%I', l.table_name))
          and k.contype in ('p', 'u', 'x')
     )
     order by l.ctid
  ),
  '{}'::text[],
  'the list gives columns and an access method for every index no constraint owns, and for no other'
);

-- Each index a migration creates: on its table, with its columns in order
-- (desc where built descending) and its access method.
select is(
  (
    select format('%s (%s)', am.amname, array_to_string(array(
             select pg_catalog.pg_get_indexdef(i.indexrelid, k, true)
                    || case when pg_catalog.pg_index_column_has_property(i.indexrelid, k, 'desc') then ' desc' else '' end
               from generate_series(1, i.indnkeyatts) k order by k
           ), ', '))
      from pg_catalog.pg_index i
      join pg_catalog.pg_class ic on ic.oid = i.indexrelid
      join pg_catalog.pg_am am on am.oid = ic.relam
     where i.indexrelid = to_regclass(format('public.%I', l.index_name))
       and i.indrelid = to_regclass(format('public.%I', l.table_name))
  ),
  format('%s (%s)', l.access_method, array_to_string(l.columns, ', ')),
  format('%s indexes %s (%s) with %s, for %s',
    l.index_name, l.table_name, array_to_string(l.columns, ', '), l.access_method, l.reason)
)
from index_list l
where l.columns is not null
order by l.ctid;

-- The embedding index compares half-precision vectors by cosine distance, in
-- 200 lists (migration 20261206231500), and is the only index over the
-- embeddings.
select results_eq(
  $$
    select c.relname::text collate "default", am.amname::text collate "default", o.opcname::text collate "default", c.reloptions collate "default"
    from pg_catalog.pg_index i
    join pg_catalog.pg_class c on c.oid = i.indexrelid
    join pg_catalog.pg_am am on am.oid = c.relam
    join pg_catalog.pg_opclass o on o.oid = i.indclass[0]
    where i.indrelid = 'public.automations'::regclass and am.amname in ('ivfflat', 'hnsw')
    order by 1
  $$,
  $$ values ('automations_embedding_idx', 'ivfflat', 'halfvec_cosine_ops', array['lists=200']) $$,
  'the one embedding index compares half-precision vectors by cosine distance (halfvec_cosine_ops) in 200 lists'
);

-- Until the index is trained, match_automations reads every list: its probes
-- (as migrated) are the index's lists, so a search through an index built on
-- an empty table is exact.
select is(
  (select split_part(c, '=', 2) from pg_catalog.pg_proc p, unnest(p.proconfig) c
    where p.oid = 'public.match_automations(extensions.vector, integer, text, text, uuid, boolean)'::regprocedure
      and c like 'ivfflat.probes=%'),
  (select split_part(o, '=', 2) from pg_catalog.pg_class c, unnest(c.reloptions) o
    where c.oid = 'public.automations_embedding_idx'::regclass and o like 'lists=%'),
  'until trained, match_automations probes every list of the embedding index'
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
    order by embedding::extensions.halfvec(1536) operator(extensions.<=>) array_fill(0.5::real, array[1536])::extensions.halfvec(1536)
    limit 5
  $$,
  'automations_embedding_idx',
  'the nearest automations by cosine distance of their half-precision embeddings (order by embedding::halfvec(1536) <=> $1 limit k) come from the ivfflat index'
);
select tests.uses_index(
  $$
    select id from public.automations
    where category = 'finance'
    order by embedding::extensions.halfvec(1536) operator(extensions.<=>) array_fill(0.5::real, array[1536])::extensions.halfvec(1536)
    limit 5
  $$,
  'automations_embedding_idx',
  'so do the nearest of a category (the same lists, the category kept)'
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
