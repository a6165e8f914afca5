-- Cascades and their absence, by behaviour.
--
--   * deleting a user (auth.users) removes everything the user owned and
--     nothing else: another user's rows and the catalogue stay;
--   * deleting an automation nobody adopted removes its tools, steps, media
--     and recommendations; deleting an adopted one is refused (restrict), so
--     nobody's progress vanishes under them;
--   * a step takes its media and progress rows with it, a session its
--     responses, a discovery its recommendations.

begin;
select plan(27);

-- ============================================================================
-- Fixtures (as postgres)
-- ============================================================================
-- alice ...01 and bob ...02 own one of everything (alice two sessions and two
-- discoveries). "adopted" ...11 is adopted by both; "lonely" ...12 by nobody.
insert into auth.users (id, aud, role, email) values
  ('30000000-0000-0000-0000-000000000001', 'authenticated', 'authenticated', 'cascade_alice@tests.local'),
  ('30000000-0000-0000-0000-000000000002', 'authenticated', 'authenticated', 'cascade_bob@tests.local');

insert into public.user_profiles (user_id, full_name) values
  ('30000000-0000-0000-0000-000000000001', 'Alice'),
  ('30000000-0000-0000-0000-000000000002', 'Bob');

insert into public.automations (id, slug, title, summary, category, difficulty, published) values
  ('30000000-0000-0000-0000-000000000011', 'cascade-adopted', 'Adopted', 'x', 'sales', 'easy', true),
  ('30000000-0000-0000-0000-000000000012', 'cascade-lonely', 'Lonely', 'x', 'sales', 'easy', true);

insert into public.automation_tools (id, automation_id, name) values
  ('30000000-0000-0000-0000-000000000013', '30000000-0000-0000-0000-000000000011', 'Zapier'),
  ('30000000-0000-0000-0000-000000000014', '30000000-0000-0000-0000-000000000012', 'Zapier');

insert into public.implementation_steps (id, automation_id, step_number, title, instructions) values
  ('30000000-0000-0000-0000-000000000021', '30000000-0000-0000-0000-000000000011', 1, 'One', 'x'),
  ('30000000-0000-0000-0000-000000000022', '30000000-0000-0000-0000-000000000011', 2, 'Two', 'x'),
  ('30000000-0000-0000-0000-000000000023', '30000000-0000-0000-0000-000000000012', 1, 'One', 'x');

insert into public.step_media (id, step_id, media_type, url) values
  ('30000000-0000-0000-0000-000000000024', '30000000-0000-0000-0000-000000000021', 'image', 'https://example.com/1.png'),
  ('30000000-0000-0000-0000-000000000025', '30000000-0000-0000-0000-000000000022', 'image', 'https://example.com/2.png'),
  ('30000000-0000-0000-0000-000000000026', '30000000-0000-0000-0000-000000000023', 'image', 'https://example.com/3.png');

insert into public.questionnaire_sessions (id, user_id) values
  ('30000000-0000-0000-0000-000000000031', '30000000-0000-0000-0000-000000000001'),
  ('30000000-0000-0000-0000-000000000032', '30000000-0000-0000-0000-000000000001'),
  ('30000000-0000-0000-0000-000000000033', '30000000-0000-0000-0000-000000000002');

insert into public.questionnaire_responses (session_id, user_id, question_key, answer) values
  ('30000000-0000-0000-0000-000000000031', '30000000-0000-0000-0000-000000000001', 'business_size', '"solo"'),
  ('30000000-0000-0000-0000-000000000031', '30000000-0000-0000-0000-000000000001', 'goals', '["time"]'),
  ('30000000-0000-0000-0000-000000000032', '30000000-0000-0000-0000-000000000001', 'business_size', '"small-team"'),
  ('30000000-0000-0000-0000-000000000033', '30000000-0000-0000-0000-000000000002', 'business_size', '"large-team"');

insert into public.weekly_discoveries (id, user_id, week_of) values
  ('30000000-0000-0000-0000-000000000041', '30000000-0000-0000-0000-000000000001', '2025-08-11'),
  ('30000000-0000-0000-0000-000000000042', '30000000-0000-0000-0000-000000000001', '2025-08-18'),
  ('30000000-0000-0000-0000-000000000043', '30000000-0000-0000-0000-000000000002', '2025-08-18');

insert into public.discovered_automations (discovery_id, user_id, automation_id, rank, relevance_score) values
  ('30000000-0000-0000-0000-000000000041', '30000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000011', 1, 0.9),
  ('30000000-0000-0000-0000-000000000042', '30000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000011', 1, 0.9),
  ('30000000-0000-0000-0000-000000000042', '30000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000012', 2, 0.8),
  ('30000000-0000-0000-0000-000000000043', '30000000-0000-0000-0000-000000000002', '30000000-0000-0000-0000-000000000011', 1, 0.9),
  ('30000000-0000-0000-0000-000000000043', '30000000-0000-0000-0000-000000000002', '30000000-0000-0000-0000-000000000012', 2, 0.7);

insert into public.user_automations (id, user_id, automation_id, status, started_at) values
  ('30000000-0000-0000-0000-000000000051', '30000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000011', 'in_progress', now()),
  ('30000000-0000-0000-0000-000000000052', '30000000-0000-0000-0000-000000000002', '30000000-0000-0000-0000-000000000011', 'in_progress', now());

insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id) values
  ('30000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000051', '30000000-0000-0000-0000-000000000011', '30000000-0000-0000-0000-000000000021'),
  ('30000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000051', '30000000-0000-0000-0000-000000000011', '30000000-0000-0000-0000-000000000022'),
  ('30000000-0000-0000-0000-000000000002', '30000000-0000-0000-0000-000000000052', '30000000-0000-0000-0000-000000000011', '30000000-0000-0000-0000-000000000021'),
  ('30000000-0000-0000-0000-000000000002', '30000000-0000-0000-0000-000000000052', '30000000-0000-0000-0000-000000000011', '30000000-0000-0000-0000-000000000022');

insert into public.subscriptions (user_id, stripe_customer_id, stripe_subscription_id, status) values
  ('30000000-0000-0000-0000-000000000001', 'cus_alice', 'sub_alice', 'active'),
  ('30000000-0000-0000-0000-000000000002', 'cus_bob', 'sub_bob', 'active');

insert into public.usage_metrics (user_id, metric, period_start, period_end, quantity) values
  ('30000000-0000-0000-0000-000000000001', 'ai_queries', '2025-08-01', '2025-09-01', 4),
  ('30000000-0000-0000-0000-000000000002', 'ai_queries', '2025-08-01', '2025-09-01', 7);

-- Row counts of the adopted automation's whole family.
create temporary view adopted_family as
  select 'tools' as what, count(*) from public.automation_tools where automation_id = '30000000-0000-0000-0000-000000000011'
  union all select 'steps', count(*) from public.implementation_steps where automation_id = '30000000-0000-0000-0000-000000000011'
  union all select 'media', count(*) from public.step_media m join public.implementation_steps s on s.id = m.step_id
    where s.automation_id = '30000000-0000-0000-0000-000000000011'
  union all select 'recommendations', count(*) from public.discovered_automations where automation_id = '30000000-0000-0000-0000-000000000011'
  union all select 'adoptions', count(*) from public.user_automations where automation_id = '30000000-0000-0000-0000-000000000011'
  union all select 'progress', count(*) from public.automation_progress where automation_id = '30000000-0000-0000-0000-000000000011';

-- ============================================================================
-- An adopted automation cannot be deleted
-- ============================================================================
-- PostgreSQL 18 reports a RESTRICT violation as 23001 (restrict_violation)
-- with its own message; 15 to 17 report 23503 like any foreign key.
select case when current_setting('server_version_num')::int >= 180000 then
  throws_ok(
    $$ delete from public.automations where id = '30000000-0000-0000-0000-000000000011' $$,
    '23001',
    'update or delete on table "automations" violates RESTRICT setting of foreign key constraint "user_automations_automation_id_fkey" on table "user_automations"',
    'an automation that users have adopted cannot be deleted'
  )
else
  throws_ok(
    $$ delete from public.automations where id = '30000000-0000-0000-0000-000000000011' $$,
    '23503',
    'update or delete on table "automations" violates foreign key constraint "user_automations_automation_id_fkey" on table "user_automations"',
    'an automation that users have adopted cannot be deleted'
  )
end;
select results_eq(
  $$ select what, count from adopted_family $$,
  $$ values ('tools', 1::bigint), ('steps', 2), ('media', 2), ('recommendations', 3), ('adoptions', 2), ('progress', 4) $$,
  'the refused delete leaves the automation''s tools, steps, media, recommendations, adoptions and progress in place'
);

-- ============================================================================
-- A step takes its media and progress with it
-- ============================================================================
delete from public.implementation_steps where id = '30000000-0000-0000-0000-000000000022';

select is_empty(
  $$ select 1 from public.step_media where step_id = '30000000-0000-0000-0000-000000000022' $$,
  'deleting a step deletes its media'
);
select is_empty(
  $$ select 1 from public.automation_progress where step_id = '30000000-0000-0000-0000-000000000022' $$,
  'deleting a step deletes every user''s progress on it'
);
select results_eq(
  $$ select what, count from adopted_family $$,
  $$ values ('tools', 1::bigint), ('steps', 1), ('media', 1), ('recommendations', 3), ('adoptions', 2), ('progress', 2) $$,
  'deleting a step leaves the other steps, their media and progress, and the adoptions in place'
);

-- ============================================================================
-- A session takes its responses with it
-- ============================================================================
delete from public.questionnaire_sessions where id = '30000000-0000-0000-0000-000000000032';

select is_empty(
  $$ select 1 from public.questionnaire_responses where session_id = '30000000-0000-0000-0000-000000000032' $$,
  'deleting a questionnaire session deletes its responses'
);
select results_eq(
  $$ select session_id, count(*) from public.questionnaire_responses
     where user_id in ('30000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000002')
     group by session_id order by session_id $$,
  $$ values ('30000000-0000-0000-0000-000000000031'::uuid, 2::bigint), ('30000000-0000-0000-0000-000000000033', 1) $$,
  'deleting a session leaves the responses of other sessions in place'
);

-- ============================================================================
-- A discovery takes its recommendations with it
-- ============================================================================
delete from public.weekly_discoveries where id = '30000000-0000-0000-0000-000000000041';

select is_empty(
  $$ select 1 from public.discovered_automations where discovery_id = '30000000-0000-0000-0000-000000000041' $$,
  'deleting a weekly discovery deletes its recommendations'
);
select results_eq(
  $$ select discovery_id, count(*) from public.discovered_automations
     where user_id in ('30000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000002')
     group by discovery_id order by discovery_id $$,
  $$ values ('30000000-0000-0000-0000-000000000042'::uuid, 2::bigint), ('30000000-0000-0000-0000-000000000043', 2) $$,
  'deleting a discovery leaves the recommendations of other discoveries in place'
);

-- ============================================================================
-- An automation nobody adopted takes its tools, steps, media and
-- recommendations with it
-- ============================================================================
select lives_ok(
  $$ delete from public.automations where id = '30000000-0000-0000-0000-000000000012' $$,
  'an automation that nobody adopted can be deleted'
);
select is_empty(
  $$ select 1 from public.automation_tools where automation_id = '30000000-0000-0000-0000-000000000012' $$,
  'deleting an automation deletes its tools'
);
select is_empty(
  $$ select 1 from public.implementation_steps where automation_id = '30000000-0000-0000-0000-000000000012' $$,
  'deleting an automation deletes its steps'
);
select is_empty(
  $$ select 1 from public.step_media where id = '30000000-0000-0000-0000-000000000026' $$,
  'deleting an automation deletes the media of its steps'
);
select is_empty(
  $$ select 1 from public.discovered_automations where automation_id = '30000000-0000-0000-0000-000000000012' $$,
  'deleting an automation deletes the recommendations of it, in every user''s discoveries'
);
select results_eq(
  $$ select what, count from adopted_family $$,
  $$ values ('tools', 1::bigint), ('steps', 1), ('media', 1), ('recommendations', 2), ('adoptions', 2), ('progress', 2) $$,
  'deleting one automation leaves another automation''s family in place'
);

-- ============================================================================
-- A user takes everything they own with them, and nothing else
-- ============================================================================
create temporary table before_delete as
  select 'automations' as what, count(*) from public.automations
  union all select 'tools', count(*) from public.automation_tools
  union all select 'steps', count(*) from public.implementation_steps
  union all select 'media', count(*) from public.step_media
  union all select 'bob: auth.users', count(*) from auth.users where id = '30000000-0000-0000-0000-000000000002'
  union all select 'bob: profiles', count(*) from public.user_profiles where user_id = '30000000-0000-0000-0000-000000000002'
  union all select 'bob: sessions', count(*) from public.questionnaire_sessions where user_id = '30000000-0000-0000-0000-000000000002'
  union all select 'bob: responses', count(*) from public.questionnaire_responses where user_id = '30000000-0000-0000-0000-000000000002'
  union all select 'bob: discoveries', count(*) from public.weekly_discoveries where user_id = '30000000-0000-0000-0000-000000000002'
  union all select 'bob: recommendations', count(*) from public.discovered_automations where user_id = '30000000-0000-0000-0000-000000000002'
  union all select 'bob: adoptions', count(*) from public.user_automations where user_id = '30000000-0000-0000-0000-000000000002'
  union all select 'bob: progress', count(*) from public.automation_progress where user_id = '30000000-0000-0000-0000-000000000002'
  union all select 'bob: subscriptions', count(*) from public.subscriptions where user_id = '30000000-0000-0000-0000-000000000002'
  union all select 'bob: usage', count(*) from public.usage_metrics where user_id = '30000000-0000-0000-0000-000000000002';

select results_eq(
  $$ select count(*) from before_delete where count = 0 $$,
  $$ values (0::bigint) $$,
  'before alice is deleted, bob owns a row in every table and the catalogue is not empty'
);

delete from auth.users where id = '30000000-0000-0000-0000-000000000001';

select is_empty($$ select 1 from public.user_profiles where user_id = '30000000-0000-0000-0000-000000000001' $$,
  'deleting a user deletes their profile');
select is_empty($$ select 1 from public.questionnaire_sessions where user_id = '30000000-0000-0000-0000-000000000001' $$,
  'deleting a user deletes their questionnaire sessions');
select is_empty($$ select 1 from public.questionnaire_responses where user_id = '30000000-0000-0000-0000-000000000001' $$,
  'deleting a user deletes their questionnaire responses');
select is_empty($$ select 1 from public.weekly_discoveries where user_id = '30000000-0000-0000-0000-000000000001' $$,
  'deleting a user deletes their weekly discoveries');
select is_empty($$ select 1 from public.discovered_automations where user_id = '30000000-0000-0000-0000-000000000001' $$,
  'deleting a user deletes the recommendations made to them');
select is_empty($$ select 1 from public.user_automations where user_id = '30000000-0000-0000-0000-000000000001' $$,
  'deleting a user deletes their adopted automations');
select is_empty($$ select 1 from public.automation_progress where user_id = '30000000-0000-0000-0000-000000000001' $$,
  'deleting a user deletes their progress');
select is_empty($$ select 1 from public.subscriptions where user_id = '30000000-0000-0000-0000-000000000001' $$,
  'deleting a user deletes their subscriptions');
select is_empty($$ select 1 from public.usage_metrics where user_id = '30000000-0000-0000-0000-000000000001' $$,
  'deleting a user deletes their usage counters');

select set_eq(
  $$
    select 'automations' as what, count(*) from public.automations
    union all select 'tools', count(*) from public.automation_tools
    union all select 'steps', count(*) from public.implementation_steps
    union all select 'media', count(*) from public.step_media
  $$,
  $$ select what, count from before_delete where what not like 'bob: %' $$,
  'deleting a user leaves the catalogue as it was, including the automations they adopted'
);
select set_eq(
  $$
    select 'bob: auth.users' as what, count(*) from auth.users where id = '30000000-0000-0000-0000-000000000002'
    union all select 'bob: profiles', count(*) from public.user_profiles where user_id = '30000000-0000-0000-0000-000000000002'
    union all select 'bob: sessions', count(*) from public.questionnaire_sessions where user_id = '30000000-0000-0000-0000-000000000002'
    union all select 'bob: responses', count(*) from public.questionnaire_responses where user_id = '30000000-0000-0000-0000-000000000002'
    union all select 'bob: discoveries', count(*) from public.weekly_discoveries where user_id = '30000000-0000-0000-0000-000000000002'
    union all select 'bob: recommendations', count(*) from public.discovered_automations where user_id = '30000000-0000-0000-0000-000000000002'
    union all select 'bob: adoptions', count(*) from public.user_automations where user_id = '30000000-0000-0000-0000-000000000002'
    union all select 'bob: progress', count(*) from public.automation_progress where user_id = '30000000-0000-0000-0000-000000000002'
    union all select 'bob: subscriptions', count(*) from public.subscriptions where user_id = '30000000-0000-0000-0000-000000000002'
    union all select 'bob: usage', count(*) from public.usage_metrics where user_id = '30000000-0000-0000-0000-000000000002'
  $$,
  $$ select what, count from before_delete where what like 'bob: %' $$,
  'deleting a user leaves every row of another user in place'
);

select * from finish();
rollback;
