-- Structure: the triggers, and what they do. One shared function keeps
-- updated_at current on every table; automations_set_published_at fills
-- published_at when an automation is published without one.
--
-- (user_profiles_guard_role, the trigger that stops users raising their own
-- role, is proved per actor in the row level security files; the triggers
-- that keep ids and timestamps the server's for the API roles, and refuse a
-- recommendation of an unpublished automation, in 292_rls_attacks_hardening.sql.)

begin;
select plan(36);

-- ============================================================================
-- The triggers exist, on the right tables, calling the right functions
-- ============================================================================
select has_trigger('public', 'user_profiles', 'user_profiles_set_updated_at', 'user_profiles keeps updated_at by trigger');
select has_trigger('public', 'questionnaire_sessions', 'questionnaire_sessions_set_updated_at', 'questionnaire_sessions keeps updated_at by trigger');
select has_trigger('public', 'questionnaire_responses', 'questionnaire_responses_set_updated_at', 'questionnaire_responses keeps updated_at by trigger');
select has_trigger('public', 'automations', 'automations_set_updated_at', 'automations keeps updated_at by trigger');
select has_trigger('public', 'automation_tools', 'automation_tools_set_updated_at', 'automation_tools keeps updated_at by trigger');
select has_trigger('public', 'implementation_steps', 'implementation_steps_set_updated_at', 'implementation_steps keeps updated_at by trigger');
select has_trigger('public', 'step_media', 'step_media_set_updated_at', 'step_media keeps updated_at by trigger');
select has_trigger('public', 'weekly_discoveries', 'weekly_discoveries_set_updated_at', 'weekly_discoveries keeps updated_at by trigger');
select has_trigger('public', 'discovered_automations', 'discovered_automations_set_updated_at', 'discovered_automations keeps updated_at by trigger');
select has_trigger('public', 'user_automations', 'user_automations_set_updated_at', 'user_automations keeps updated_at by trigger');
select has_trigger('public', 'automation_progress', 'automation_progress_set_updated_at', 'automation_progress keeps updated_at by trigger');
select has_trigger('public', 'subscriptions', 'subscriptions_set_updated_at', 'subscriptions keeps updated_at by trigger');
select has_trigger('public', 'usage_metrics', 'usage_metrics_set_updated_at', 'usage_metrics keeps updated_at by trigger');
select has_trigger('public', 'automations', 'automations_set_published_at', 'automations fills published_at by trigger');
select has_trigger('public', 'user_profiles', 'user_profiles_guard_role', 'user_profiles guards the role by trigger');

select results_eq(
  $$
    select c.relname::text collate "default", t.tgname::text collate "default", p.proname::text collate "default"
    from pg_catalog.pg_trigger t
    join pg_catalog.pg_class c on c.oid = t.tgrelid
    join pg_catalog.pg_proc p on p.oid = t.tgfoid and p.pronamespace = 'public'::regnamespace
    where c.relnamespace = 'public'::regnamespace and not t.tgisinternal
    order by 1, 2
  $$,
  $$ values
    ('automation_progress', 'automation_progress_keep_server_id', 'keep_server_id'),
    ('automation_progress', 'automation_progress_keep_server_times', 'automation_progress_keep_server_times'),
    ('automation_progress', 'automation_progress_keep_server_timestamps', 'keep_server_timestamps'),
    ('automation_progress', 'automation_progress_set_updated_at', 'set_updated_at'),
    ('automation_tools', 'automation_tools_keep_server_timestamps', 'keep_server_timestamps'),
    ('automation_tools', 'automation_tools_set_updated_at', 'set_updated_at'),
    ('automations', 'automations_keep_server_timestamps', 'keep_server_timestamps'),
    ('automations', 'automations_set_published_at', 'automations_set_published_at'),
    ('automations', 'automations_set_updated_at', 'set_updated_at'),
    ('discovered_automations', 'discovered_automations_require_published', 'discovered_automations_require_published'),
    ('discovered_automations', 'discovered_automations_set_updated_at', 'set_updated_at'),
    ('implementation_steps', 'implementation_steps_keep_server_timestamps', 'keep_server_timestamps'),
    ('implementation_steps', 'implementation_steps_set_updated_at', 'set_updated_at'),
    ('questionnaire_responses', 'questionnaire_responses_keep_server_id', 'keep_server_id'),
    ('questionnaire_responses', 'questionnaire_responses_keep_server_timestamps', 'keep_server_timestamps'),
    ('questionnaire_responses', 'questionnaire_responses_set_updated_at', 'set_updated_at'),
    ('questionnaire_sessions', 'questionnaire_sessions_keep_server_id', 'keep_server_id'),
    ('questionnaire_sessions', 'questionnaire_sessions_keep_server_times', 'questionnaire_sessions_keep_server_times'),
    ('questionnaire_sessions', 'questionnaire_sessions_keep_server_timestamps', 'keep_server_timestamps'),
    ('questionnaire_sessions', 'questionnaire_sessions_set_updated_at', 'set_updated_at'),
    ('step_media', 'step_media_keep_server_timestamps', 'keep_server_timestamps'),
    ('step_media', 'step_media_set_updated_at', 'set_updated_at'),
    ('subscriptions', 'subscriptions_set_updated_at', 'set_updated_at'),
    ('usage_metrics', 'usage_metrics_set_updated_at', 'set_updated_at'),
    ('user_automations', 'user_automations_keep_server_id', 'keep_server_id'),
    ('user_automations', 'user_automations_keep_server_times', 'user_automations_keep_server_times'),
    ('user_automations', 'user_automations_keep_server_timestamps', 'keep_server_timestamps'),
    ('user_automations', 'user_automations_set_updated_at', 'set_updated_at'),
    ('user_profiles', 'user_profiles_guard_role', 'user_profiles_guard_role'),
    ('user_profiles', 'user_profiles_keep_server_timestamps', 'keep_server_timestamps'),
    ('user_profiles', 'user_profiles_set_updated_at', 'set_updated_at'),
    ('weekly_discoveries', 'weekly_discoveries_mark_viewed', 'weekly_discoveries_mark_viewed'),
    ('weekly_discoveries', 'weekly_discoveries_set_updated_at', 'set_updated_at')
  $$,
  'the public tables have exactly these triggers, each calling its function'
);

-- ============================================================================
-- Fixtures (as postgres): one row per table, last updated long ago
-- ============================================================================
-- Inserted with an old updated_at: an insert does not fire the update
-- trigger, so the old value stays until the first update.
insert into auth.users (id, aud, role, email)
values ('03000000-0000-0000-0000-000000000001', 'authenticated', 'authenticated', 'trigger_owner@tests.local');

insert into public.user_profiles (user_id, full_name, created_at, updated_at)
values ('03000000-0000-0000-0000-000000000001', 'Trigger Owner', '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00');

insert into public.questionnaire_sessions (id, user_id, created_at, updated_at)
values ('03000000-0000-0000-0000-000000000011', '03000000-0000-0000-0000-000000000001', '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00');

insert into public.questionnaire_responses (id, session_id, user_id, question_key, answer, created_at, updated_at)
values ('03000000-0000-0000-0000-000000000012', '03000000-0000-0000-0000-000000000011', '03000000-0000-0000-0000-000000000001',
        'business_size', '"solo"', '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00');

insert into public.automations (id, slug, title, summary, category, difficulty, published, created_at, updated_at)
values ('03000000-0000-0000-0000-000000000021', 'trigger-invoices', 'Send invoices', 'Invoices go out by themselves.',
        'finance', 'easy', true, '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00');

insert into public.automation_tools (id, automation_id, name, created_at, updated_at)
values ('03000000-0000-0000-0000-000000000022', '03000000-0000-0000-0000-000000000021', 'Zapier', '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00');

insert into public.implementation_steps (id, automation_id, step_number, title, instructions, created_at, updated_at)
values ('03000000-0000-0000-0000-000000000023', '03000000-0000-0000-0000-000000000021', 1, 'Connect', 'Connect the accounts.',
        '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00');

insert into public.step_media (id, step_id, media_type, url, created_at, updated_at)
values ('03000000-0000-0000-0000-000000000024', '03000000-0000-0000-0000-000000000023', 'image', 'https://example.com/a.png',
        '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00');

insert into public.weekly_discoveries (id, user_id, week_of, created_at, updated_at)
values ('03000000-0000-0000-0000-000000000031', '03000000-0000-0000-0000-000000000001', '2025-08-18',
        '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00');

insert into public.discovered_automations (id, discovery_id, user_id, automation_id, rank, relevance_score, created_at, updated_at)
values ('03000000-0000-0000-0000-000000000032', '03000000-0000-0000-0000-000000000031', '03000000-0000-0000-0000-000000000001',
        '03000000-0000-0000-0000-000000000021', 1, 0.9, '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00');

insert into public.user_automations (id, user_id, automation_id, created_at, updated_at)
values ('03000000-0000-0000-0000-000000000041', '03000000-0000-0000-0000-000000000001', '03000000-0000-0000-0000-000000000021',
        '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00');

insert into public.automation_progress (id, user_id, user_automation_id, automation_id, step_id, created_at, updated_at)
values ('03000000-0000-0000-0000-000000000042', '03000000-0000-0000-0000-000000000001', '03000000-0000-0000-0000-000000000041',
        '03000000-0000-0000-0000-000000000021', '03000000-0000-0000-0000-000000000023', '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00');

insert into public.subscriptions (id, user_id, stripe_customer_id, status, created_at, updated_at)
values ('03000000-0000-0000-0000-000000000051', '03000000-0000-0000-0000-000000000001', 'cus_trigger', 'active',
        '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00');

insert into public.usage_metrics (id, user_id, metric, period_start, period_end, created_at, updated_at)
values ('03000000-0000-0000-0000-000000000052', '03000000-0000-0000-0000-000000000001', 'ai_queries', '2025-08-01', '2025-09-01',
        '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00');

-- ============================================================================
-- updated_at: every update of any other column moves it to now()
-- ============================================================================
update public.user_profiles set industry = 'retail' where user_id = '03000000-0000-0000-0000-000000000001';
update public.questionnaire_sessions set current_step = 2 where id = '03000000-0000-0000-0000-000000000011';
update public.questionnaire_responses set answer = '"small-team"' where id = '03000000-0000-0000-0000-000000000012';
update public.automations set summary = 'Invoices go out on time.' where id = '03000000-0000-0000-0000-000000000021';
update public.automation_tools set required = false where id = '03000000-0000-0000-0000-000000000022';
update public.implementation_steps set estimated_minutes = 5 where id = '03000000-0000-0000-0000-000000000023';
update public.step_media set caption = 'The settings page' where id = '03000000-0000-0000-0000-000000000024';
update public.weekly_discoveries set viewed_at = now() where id = '03000000-0000-0000-0000-000000000031';
update public.discovered_automations set reaction = 'saved' where id = '03000000-0000-0000-0000-000000000032';
update public.user_automations set status = 'in_progress' where id = '03000000-0000-0000-0000-000000000041';
update public.automation_progress set notes = 'halfway' where id = '03000000-0000-0000-0000-000000000042';
update public.subscriptions set cancel_at_period_end = true where id = '03000000-0000-0000-0000-000000000051';
update public.usage_metrics set quantity = 3 where id = '03000000-0000-0000-0000-000000000052';

select is((select updated_at from public.user_profiles where user_id = '03000000-0000-0000-0000-000000000001'), now(),
  'updating a profile sets its updated_at to the time of the update');
select is((select updated_at from public.questionnaire_sessions where id = '03000000-0000-0000-0000-000000000011'), now(),
  'updating a session sets its updated_at to the time of the update');
select is((select updated_at from public.questionnaire_responses where id = '03000000-0000-0000-0000-000000000012'), now(),
  'updating a response sets its updated_at to the time of the update');
select is((select updated_at from public.automations where id = '03000000-0000-0000-0000-000000000021'), now(),
  'updating an automation sets its updated_at to the time of the update');
select is((select updated_at from public.automation_tools where id = '03000000-0000-0000-0000-000000000022'), now(),
  'updating a tool sets its updated_at to the time of the update');
select is((select updated_at from public.implementation_steps where id = '03000000-0000-0000-0000-000000000023'), now(),
  'updating a step sets its updated_at to the time of the update');
select is((select updated_at from public.step_media where id = '03000000-0000-0000-0000-000000000024'), now(),
  'updating a medium sets its updated_at to the time of the update');
select is((select updated_at from public.weekly_discoveries where id = '03000000-0000-0000-0000-000000000031'), now(),
  'updating a discovery sets its updated_at to the time of the update');
select is((select updated_at from public.discovered_automations where id = '03000000-0000-0000-0000-000000000032'), now(),
  'updating a recommendation sets its updated_at to the time of the update');
select is((select updated_at from public.user_automations where id = '03000000-0000-0000-0000-000000000041'), now(),
  'updating a user automation sets its updated_at to the time of the update');
select is((select updated_at from public.automation_progress where id = '03000000-0000-0000-0000-000000000042'), now(),
  'updating a progress row sets its updated_at to the time of the update');
select is((select updated_at from public.subscriptions where id = '03000000-0000-0000-0000-000000000051'), now(),
  'updating a subscription sets its updated_at to the time of the update');
select is((select updated_at from public.usage_metrics where id = '03000000-0000-0000-0000-000000000052'), now(),
  'updating a usage counter sets its updated_at to the time of the update');

select is((select created_at from public.automations where id = '03000000-0000-0000-0000-000000000021'),
  '2001-02-03 04:05:06+00'::timestamptz,
  'an update leaves created_at as it was');

update public.automations set updated_at = '1999-01-01 00:00:00+00', title = 'Send invoices automatically'
where id = '03000000-0000-0000-0000-000000000021';
select is((select updated_at from public.automations where id = '03000000-0000-0000-0000-000000000021'), now(),
  'an update cannot backdate updated_at: the trigger records the time of the update');

-- ============================================================================
-- published_at: filled whenever an automation is published without one
-- ============================================================================
insert into public.automations (id, slug, title, summary, category, difficulty, published)
values
  ('03000000-0000-0000-0000-000000000061', 'trigger-published-now', 'Published now', 'x', 'sales', 'easy', true),
  ('03000000-0000-0000-0000-000000000062', 'trigger-draft', 'Draft', 'x', 'sales', 'easy', false);
insert into public.automations (id, slug, title, summary, category, difficulty, published, published_at)
values ('03000000-0000-0000-0000-000000000063', 'trigger-published-before', 'Published before', 'x', 'sales', 'easy', true,
        '2020-01-06 09:00:00+00');

select is((select published_at from public.automations where id = '03000000-0000-0000-0000-000000000061'), now(),
  'an automation inserted as published without published_at gets published_at now()');
select is((select published_at from public.automations where id = '03000000-0000-0000-0000-000000000062'), null,
  'an unpublished automation has no published_at');
select is((select published_at from public.automations where id = '03000000-0000-0000-0000-000000000063'),
  '2020-01-06 09:00:00+00'::timestamptz,
  'an automation published with an explicit published_at keeps it');

update public.automations set published = true where id = '03000000-0000-0000-0000-000000000062';
select is((select published_at from public.automations where id = '03000000-0000-0000-0000-000000000062'), now(),
  'publishing a draft sets its published_at to now()');

update public.automations set published_at = null where id = '03000000-0000-0000-0000-000000000063';
select is((select published_at from public.automations where id = '03000000-0000-0000-0000-000000000063'), now(),
  'clearing the published_at of a published automation refills it rather than breaking the check');

select * from finish();
rollback;
