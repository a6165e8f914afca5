-- The RLS matrix: who may do what to every table of schema public.
--
-- The values list below is the statement of intent for row level security
-- and privileges (migration 20250817000002_add_rls_policies.sql and those
-- after it): one line per table and actor, what each command may reach. Every
-- cell is one assertion. The file acts as the actor on rows it builds, tries
-- the command, and fails the cell where the database does otherwise, in
-- either direction: a leak (more than the line says) or a lost permission
-- (less). The probing is generic, in tests.rls_* (000_test_rls_probe.sql);
-- this file holds what is particular to the schema: the matrix, the fixtures
-- and the rows to probe. `make docs` renders the matrix as docs/rls-matrix.md.
--
-- Besides the 260 cells: the matrix covers every table of public, and anon
-- and authenticated hold no privilege its lines do not use (privileges are
-- the first wall, policies the second).
--
-- To change who may do what: change the migration and the cell together. A
-- new table: its five lines here, its fixtures and probed rows below, and the
-- plan grows by 21 (README, "The RLS matrix").
begin;
select plan(274);

-- ============================================================================
-- Who may do what
-- ============================================================================
-- Actors:
--
-- - **anon**: signed out (the anon role, no user id).
-- - **owner**: a signed-in user, probed on their own rows and on another user's.
-- - **other**: a signed-in user, probed on the owner's rows only.
-- - **admin**: a signed-in user whose profile has role admin, probed on both users' rows.
-- - **service_role**: the backend and the Stripe webhooks; bypasses row level security.
--
-- Outcomes, for each of select, insert, update and delete:
--
-- - **all**: every row the actor is probed on.
-- - **own**: the actor's own rows, and no one else's (owner only).
-- - **published**: rows of a published automation, and none of an unpublished one (catalogue only).
-- - **none**: no row: refused with an error, or silently filtered to nothing.
-- - **own(c1,c2)**, **all(c1,c2)**: update only: those columns may change, and no other.
--
-- So for other, none means another user cannot touch the owner's rows, and
-- all would be a leak. Rows belong to users, except in the catalogue
-- (automations, automation_tools, implementation_steps, step_media), whose rows
-- belong to a published or an unpublished automation.
create temporary table rls_matrix (table_name, actor, "select", "insert", "update", "delete") as values
  ('user_profiles',           'anon',         'none',      'none', 'none',                                'none'),
  ('user_profiles',           'owner',        'own',       'own',  'own',                                 'own'),
  ('user_profiles',           'other',        'none',      'none', 'none',                                'none'),
  ('user_profiles',           'admin',        'all',       'all',  'all',                                 'all'),
  ('user_profiles',           'service_role', 'all',       'all',  'all',                                 'all'),

  ('questionnaire_sessions',  'anon',         'none',      'none', 'none',                                'none'),
  ('questionnaire_sessions',  'owner',        'own',       'own',  'own',                                 'own'),
  ('questionnaire_sessions',  'other',        'none',      'none', 'none',                                'none'),
  ('questionnaire_sessions',  'admin',        'all',       'all',  'all',                                 'all'),
  ('questionnaire_sessions',  'service_role', 'all',       'all',  'all',                                 'all'),

  ('questionnaire_responses', 'anon',         'none',      'none', 'none',                                'none'),
  ('questionnaire_responses', 'owner',        'own',       'own',  'own',                                 'own'),
  ('questionnaire_responses', 'other',        'none',      'none', 'none',                                'none'),
  ('questionnaire_responses', 'admin',        'all',       'all',  'all',                                 'all'),
  ('questionnaire_responses', 'service_role', 'all',       'all',  'all',                                 'all'),

  ('automations',             'anon',         'published', 'none', 'none',                                'none'),
  ('automations',             'owner',        'published', 'none', 'none',                                'none'),
  ('automations',             'other',        'published', 'none', 'none',                                'none'),
  ('automations',             'admin',        'all',       'all',  'all',                                 'all'),
  ('automations',             'service_role', 'all',       'all',  'all',                                 'all'),

  ('automation_tools',        'anon',         'published', 'none', 'none',                                'none'),
  ('automation_tools',        'owner',        'published', 'none', 'none',                                'none'),
  ('automation_tools',        'other',        'published', 'none', 'none',                                'none'),
  ('automation_tools',        'admin',        'all',       'all',  'all',                                 'all'),
  ('automation_tools',        'service_role', 'all',       'all',  'all',                                 'all'),

  ('implementation_steps',    'anon',         'published', 'none', 'none',                                'none'),
  ('implementation_steps',    'owner',        'published', 'none', 'none',                                'none'),
  ('implementation_steps',    'other',        'published', 'none', 'none',                                'none'),
  ('implementation_steps',    'admin',        'all',       'all',  'all',                                 'all'),
  ('implementation_steps',    'service_role', 'all',       'all',  'all',                                 'all'),

  ('step_media',              'anon',         'published', 'none', 'none',                                'none'),
  ('step_media',              'owner',        'published', 'none', 'none',                                'none'),
  ('step_media',              'other',        'published', 'none', 'none',                                'none'),
  ('step_media',              'admin',        'all',       'all',  'all',                                 'all'),
  ('step_media',              'service_role', 'all',       'all',  'all',                                 'all'),

  ('weekly_discoveries',      'anon',         'none',      'none', 'none',                                'none'),
  ('weekly_discoveries',      'owner',        'own',       'none', 'own(viewed_at)',                      'none'),
  ('weekly_discoveries',      'other',        'none',      'none', 'none',                                'none'),
  ('weekly_discoveries',      'admin',        'all',       'none', 'none',                                'none'),
  ('weekly_discoveries',      'service_role', 'all',       'all',  'all',                                 'all'),

  ('discovered_automations',  'anon',         'none',      'none', 'none',                                'none'),
  ('discovered_automations',  'owner',        'own',       'none', 'own(reaction)',                       'none'),
  ('discovered_automations',  'other',        'none',      'none', 'none',                                'none'),
  ('discovered_automations',  'admin',        'all',       'none', 'none',                                'none'),
  ('discovered_automations',  'service_role', 'all',       'all',  'all',                                 'all'),

  ('user_automations',        'anon',         'none',      'none', 'none',                                'none'),
  ('user_automations',        'owner',        'own',       'own',  'own(status,started_at,completed_at)', 'own'),
  ('user_automations',        'other',        'none',      'none', 'none',                                'none'),
  ('user_automations',        'admin',        'all',       'all',  'all(status,started_at,completed_at)', 'all'),
  ('user_automations',        'service_role', 'all',       'all',  'all',                                 'all'),

  ('automation_progress',     'anon',         'none',      'none', 'none',                                'none'),
  ('automation_progress',     'owner',        'own',       'own',  'own',                                 'own'),
  ('automation_progress',     'other',        'none',      'none', 'none',                                'none'),
  ('automation_progress',     'admin',        'all',       'all',  'all',                                 'all'),
  ('automation_progress',     'service_role', 'all',       'all',  'all',                                 'all'),

  ('subscriptions',           'anon',         'none',      'none', 'none',                                'none'),
  ('subscriptions',           'owner',        'own',       'none', 'none',                                'none'),
  ('subscriptions',           'other',        'none',      'none', 'none',                                'none'),
  ('subscriptions',           'admin',        'all',       'none', 'none',                                'none'),
  ('subscriptions',           'service_role', 'all',       'all',  'all',                                 'all'),

  ('usage_metrics',           'anon',         'none',      'none', 'none',                                'none'),
  ('usage_metrics',           'owner',        'own',       'none', 'none',                                'none'),
  ('usage_metrics',           'other',        'none',      'none', 'none',                                'none'),
  ('usage_metrics',           'admin',        'all',       'none', 'none',                                'none'),
  ('usage_metrics',           'service_role', 'all',       'all',  'all',                                 'all');

-- ============================================================================
-- Fixtures, as postgres
-- ============================================================================
-- The three signed-in actors (tests.rls_act_as knows them by these handles).
select tests.create_user('rls_owner');
select tests.create_user('rls_other');
select tests.create_user('rls_admin', 'admin');

-- The catalogue: a published and an unpublished automation, each with a tool,
-- a step and a medium, which are probed; and two published automations the
-- users' rows point at, so that no probe of the catalogue touches those: one
-- adopted and recommended (two steps, progress on the first), one not yet.
insert into public.automations (id, slug, title, summary, category, difficulty, published) values
  ('f1500000-0000-4000-8000-000000000010', 'rls-published', 'Published', 'Probed', 'operations', 'easy', true),
  ('f1500000-0000-4000-8000-000000000011', 'rls-unpublished', 'Unpublished', 'Probed', 'operations', 'easy', false),
  ('f1500000-0000-4000-8000-000000000012', 'rls-adopted', 'Adopted', 'Adopted by both users', 'operations', 'easy', true),
  ('f1500000-0000-4000-8000-000000000013', 'rls-not-adopted', 'Not adopted', 'Adopted by no one', 'operations', 'easy', true);

insert into public.automation_tools (id, automation_id, name) values
  ('f1500000-0000-4000-8000-000000000014', 'f1500000-0000-4000-8000-000000000010', 'Tool'),
  ('f1500000-0000-4000-8000-000000000015', 'f1500000-0000-4000-8000-000000000011', 'Tool');

insert into public.implementation_steps (id, automation_id, step_number, title, instructions) values
  ('f1500000-0000-4000-8000-000000000016', 'f1500000-0000-4000-8000-000000000010', 1, 'Step one', 'Do it'),
  ('f1500000-0000-4000-8000-000000000017', 'f1500000-0000-4000-8000-000000000011', 1, 'Step one', 'Do it'),
  ('f1500000-0000-4000-8000-000000000018', 'f1500000-0000-4000-8000-000000000012', 1, 'Step one', 'Do it'),
  ('f1500000-0000-4000-8000-000000000019', 'f1500000-0000-4000-8000-000000000012', 2, 'Step two', 'Do it again');

insert into public.step_media (id, step_id, media_type, url) values
  ('f1500000-0000-4000-8000-000000000020', 'f1500000-0000-4000-8000-000000000016', 'image', 'https://example.com/published.png'),
  ('f1500000-0000-4000-8000-000000000021', 'f1500000-0000-4000-8000-000000000017', 'image', 'https://example.com/unpublished.png');

-- Each user's own rows, one in every table: the owner's ids end in even
-- numbers, the other user's in odd ones.
insert into public.questionnaire_sessions (id, user_id) values
  ('f1500000-0000-4000-8000-000000000030', tests.user_id_for('rls_owner')),
  ('f1500000-0000-4000-8000-000000000031', tests.user_id_for('rls_other'));

insert into public.questionnaire_responses (id, session_id, user_id, question_key, answer) values
  ('f1500000-0000-4000-8000-000000000032', 'f1500000-0000-4000-8000-000000000030', tests.user_id_for('rls_owner'), 'business_size', '"solo"'),
  ('f1500000-0000-4000-8000-000000000033', 'f1500000-0000-4000-8000-000000000031', tests.user_id_for('rls_other'), 'business_size', '"solo"');

insert into public.weekly_discoveries (id, user_id, week_of, status, generated_at) values
  ('f1500000-0000-4000-8000-000000000034', tests.user_id_for('rls_owner'), '2025-08-18', 'ready', now()),
  ('f1500000-0000-4000-8000-000000000035', tests.user_id_for('rls_other'), '2025-08-18', 'ready', now());

insert into public.discovered_automations (id, discovery_id, user_id, automation_id, rank, relevance_score) values
  ('f1500000-0000-4000-8000-000000000036', 'f1500000-0000-4000-8000-000000000034', tests.user_id_for('rls_owner'),
   'f1500000-0000-4000-8000-000000000012', 1, 0.9),
  ('f1500000-0000-4000-8000-000000000037', 'f1500000-0000-4000-8000-000000000035', tests.user_id_for('rls_other'),
   'f1500000-0000-4000-8000-000000000012', 1, 0.9);

insert into public.user_automations (id, user_id, automation_id, status, started_at) values
  ('f1500000-0000-4000-8000-000000000038', tests.user_id_for('rls_owner'), 'f1500000-0000-4000-8000-000000000012', 'in_progress', now()),
  ('f1500000-0000-4000-8000-000000000039', tests.user_id_for('rls_other'), 'f1500000-0000-4000-8000-000000000012', 'in_progress', now());

insert into public.automation_progress (id, user_id, user_automation_id, automation_id, step_id, status) values
  ('f1500000-0000-4000-8000-000000000040', tests.user_id_for('rls_owner'), 'f1500000-0000-4000-8000-000000000038',
   'f1500000-0000-4000-8000-000000000012', 'f1500000-0000-4000-8000-000000000018', 'in_progress'),
  ('f1500000-0000-4000-8000-000000000041', tests.user_id_for('rls_other'), 'f1500000-0000-4000-8000-000000000039',
   'f1500000-0000-4000-8000-000000000012', 'f1500000-0000-4000-8000-000000000018', 'in_progress');

insert into public.subscriptions (
  id, user_id, stripe_customer_id, stripe_subscription_id, plan, status, current_period_start, current_period_end
) values
  ('f1500000-0000-4000-8000-000000000042', tests.user_id_for('rls_owner'), 'cus_rls_owner', 'sub_rls_owner', 'pro', 'active',
   now(), now() + interval '1 month'),
  ('f1500000-0000-4000-8000-000000000043', tests.user_id_for('rls_other'), 'cus_rls_other', 'sub_rls_other', 'pro', 'active',
   now(), now() + interval '1 month');

insert into public.usage_metrics (id, user_id, metric, period_start, period_end, quantity) values
  ('f1500000-0000-4000-8000-000000000044', tests.user_id_for('rls_owner'), 'discoveries', '2025-08-01', '2025-09-01', 3),
  ('f1500000-0000-4000-8000-000000000045', tests.user_id_for('rls_other'), 'discoveries', '2025-08-01', '2025-09-01', 3);

-- ============================================================================
-- What is probed
-- ============================================================================
-- In each table, the primary keys of the rows the actors are probed on: the
-- owner's and the other user's, or the published automation's and the
-- unpublished one's. An insert tries a copy of the probed row (the server
-- makes its id and timestamps) with new_row's changes, so that it collides
-- with no unique key.
create temporary table rls_probes (table_name, owner_row, other_row, published_row, unpublished_row, new_row) as values
  ('user_profiles',           tests.user_id_for('rls_owner')::text,   tests.user_id_for('rls_other')::text,   null, null,
   '{}'::jsonb),
  ('questionnaire_sessions',  'f1500000-0000-4000-8000-000000000030', 'f1500000-0000-4000-8000-000000000031', null, null,
   '{}'),
  ('questionnaire_responses', 'f1500000-0000-4000-8000-000000000032', 'f1500000-0000-4000-8000-000000000033', null, null,
   '{"question_key": "goals"}'),
  ('automations',             null, null, 'f1500000-0000-4000-8000-000000000010', 'f1500000-0000-4000-8000-000000000011',
   '{"slug": "rls-copy"}'),
  ('automation_tools',        null, null, 'f1500000-0000-4000-8000-000000000014', 'f1500000-0000-4000-8000-000000000015',
   '{"name": "Another tool"}'),
  ('implementation_steps',    null, null, 'f1500000-0000-4000-8000-000000000016', 'f1500000-0000-4000-8000-000000000017',
   '{"step_number": 2}'),
  ('step_media',              null, null, 'f1500000-0000-4000-8000-000000000020', 'f1500000-0000-4000-8000-000000000021',
   '{"position": 2}'),
  ('weekly_discoveries',      'f1500000-0000-4000-8000-000000000034', 'f1500000-0000-4000-8000-000000000035', null, null,
   '{"week_of": "2025-08-25"}'),
  ('discovered_automations',  'f1500000-0000-4000-8000-000000000036', 'f1500000-0000-4000-8000-000000000037', null, null,
   '{"automation_id": "f1500000-0000-4000-8000-000000000013", "rank": 2}'),
  ('user_automations',        'f1500000-0000-4000-8000-000000000038', 'f1500000-0000-4000-8000-000000000039', null, null,
   '{"automation_id": "f1500000-0000-4000-8000-000000000013"}'),
  ('automation_progress',     'f1500000-0000-4000-8000-000000000040', 'f1500000-0000-4000-8000-000000000041', null, null,
   '{"step_id": "f1500000-0000-4000-8000-000000000019"}'),
  ('subscriptions',           'f1500000-0000-4000-8000-000000000042', 'f1500000-0000-4000-8000-000000000043', null, null,
   '{"stripe_subscription_id": null, "status": "canceled"}'),
  ('usage_metrics',           'f1500000-0000-4000-8000-000000000044', 'f1500000-0000-4000-8000-000000000045', null, null,
   '{"metric": "ai_queries"}');

-- ============================================================================
-- Every cell, proved
-- ============================================================================
select tests.rls_matrix_covers('rls_matrix');
select * from tests.rls_matrix_privileges('rls_matrix');
select * from tests.rls_matrix_check('rls_matrix', 'rls_probes');

select * from finish();
rollback;
