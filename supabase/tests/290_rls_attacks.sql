-- Attacks that must fail.
--
-- Every attack listed in the security model (issue 4), each a named test,
-- and the ones found while writing the row level security files: upserts
-- that take over a row, composite foreign keys that keep a child under its
-- parent's owner, user-editable metadata that must not make an admin,
-- TRUNCATE, and the surfaces through which row level security could be
-- bypassed altogether (views, security definer functions, tables without it).
begin;
select plan(52);

-- ============================================================================
-- Fixtures, as postgres: alice and bob with one row in every user table, a
-- published catalogue and a draft.
-- ============================================================================
select tests.create_user('alice');
select tests.create_user('bob');
select tests.create_user('carol');
select tests.create_user('ada', 'admin');

-- Anyone can write anything into their own user metadata through the API.
update auth.users set raw_user_meta_data = '{"role": "admin", "is_admin": true}'
where id = tests.user_id_for('alice');

insert into public.automations (id, slug, title, summary, category, difficulty, published) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'invoice-reminders', 'Invoice reminders', 'Chase unpaid invoices.', 'finance', 'easy', true),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'lead-scoring', 'Lead scoring', 'Rank leads.', 'sales', 'medium', true),
  ('aaaaaaaa-0000-4000-8000-000000000003', 'draft-chatbot', 'Support chatbot', 'Not ready yet.', 'customer-support', 'hard', false);

insert into public.automation_tools (id, automation_id, name) values
  ('bbbbbbbb-0000-4000-8000-000000000003', 'aaaaaaaa-0000-4000-8000-000000000003', 'OpenAI');

insert into public.implementation_steps (id, automation_id, step_number, title, instructions) values
  ('cccccccc-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000001', 1, 'Connect Stripe', 'Paste the key.'),
  ('cccccccc-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000002', 1, 'Connect the CRM', 'Log in.'),
  ('cccccccc-0000-4000-8000-000000000003', 'aaaaaaaa-0000-4000-8000-000000000003', 1, 'Train the bot', 'Upload the FAQ.'),
  ('cccccccc-0000-4000-8000-000000000004', 'aaaaaaaa-0000-4000-8000-000000000001', 2, 'Write the email', 'Be polite.');

insert into public.step_media (id, step_id, media_type, url) values
  ('dddddddd-0000-4000-8000-000000000003', 'cccccccc-0000-4000-8000-000000000003', 'video', 'https://cdn.example.com/bot.mp4');

insert into public.questionnaire_sessions (id, user_id) values
  ('a11ce000-5e55-4000-8000-000000000001', tests.user_id_for('alice')),
  ('b0b00000-5e55-4000-8000-000000000001', tests.user_id_for('bob'));

insert into public.questionnaire_responses (id, session_id, user_id, question_key, answer) values
  ('a11ce000-7e50-4000-8000-000000000001', 'a11ce000-5e55-4000-8000-000000000001', tests.user_id_for('alice'), 'goals', '["grow"]'),
  ('b0b00000-7e50-4000-8000-000000000001', 'b0b00000-5e55-4000-8000-000000000001', tests.user_id_for('bob'), 'goals', '["sell"]');

insert into public.user_automations (id, user_id, automation_id, status) values
  ('a11ce000-0a00-4000-8000-000000000001', tests.user_id_for('alice'), 'aaaaaaaa-0000-4000-8000-000000000001', 'in_progress'),
  ('b0b00000-0a00-4000-8000-000000000001', tests.user_id_for('bob'), 'aaaaaaaa-0000-4000-8000-000000000001', 'in_progress');

insert into public.automation_progress (id, user_id, user_automation_id, automation_id, step_id, status) values
  ('a11ce000-0b00-4000-8000-000000000001', tests.user_id_for('alice'), 'a11ce000-0a00-4000-8000-000000000001',
   'aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000001', 'in_progress'),
  ('a11ce000-0b00-4000-8000-000000000002', tests.user_id_for('alice'), 'a11ce000-0a00-4000-8000-000000000001',
   'aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000004', 'not_started'),
  ('b0b00000-0b00-4000-8000-000000000001', tests.user_id_for('bob'), 'b0b00000-0a00-4000-8000-000000000001',
   'aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000001', 'in_progress');

insert into public.weekly_discoveries (id, user_id, week_of) values
  ('a11ce000-d15c-4000-8000-000000000001', tests.user_id_for('alice'), '2025-08-11'),
  ('b0b00000-d15c-4000-8000-000000000001', tests.user_id_for('bob'), '2025-08-11');

-- alice's discovery recommended the chatbot while it was published; it has
-- been withdrawn since: that must not reveal it. (Only a published automation
-- can be recommended: 292_rls_attacks_hardening.sql.)
update public.automations set published = true where id = 'aaaaaaaa-0000-4000-8000-000000000003';
insert into public.discovered_automations (id, discovery_id, user_id, automation_id, rank, relevance_score) values
  ('a11ce000-da00-4000-8000-000000000001', 'a11ce000-d15c-4000-8000-000000000001', tests.user_id_for('alice'),
   'aaaaaaaa-0000-4000-8000-000000000003', 1, 0.9),
  ('b0b00000-da00-4000-8000-000000000001', 'b0b00000-d15c-4000-8000-000000000001', tests.user_id_for('bob'),
   'aaaaaaaa-0000-4000-8000-000000000001', 1, 0.8);
update public.automations set published = false where id = 'aaaaaaaa-0000-4000-8000-000000000003';

insert into public.subscriptions (id, user_id, stripe_customer_id, plan, status) values
  ('a11ce000-5b00-4000-8000-000000000001', tests.user_id_for('alice'), 'cus_alice', 'free', 'active'),
  ('b0b00000-5b00-4000-8000-000000000001', tests.user_id_for('bob'), 'cus_bob', 'pro', 'active');

insert into public.usage_metrics (id, user_id, metric, period_start, period_end, quantity) values
  ('a11ce000-0e00-4000-8000-000000000001', tests.user_id_for('alice'), 'ai_queries', '2025-08-01', '2025-09-01', 12),
  ('b0b00000-0e00-4000-8000-000000000001', tests.user_id_for('bob'), 'ai_queries', '2025-08-01', '2025-09-01', 40);

-- ============================================================================
-- A user reading another user's data: alice tries every one of bob's tables.
-- ============================================================================
select tests.authenticate_as('alice');

select is_empty(
  $$ select * from public.user_profiles where user_id = tests.user_id_for('bob') $$,
  'attack: a user cannot read another user''s profile'
);
select is_empty(
  $$ select * from public.questionnaire_sessions where user_id = tests.user_id_for('bob') $$,
  'attack: a user cannot read another user''s questionnaire sessions'
);
select is_empty(
  $$ select * from public.questionnaire_responses where session_id = 'b0b00000-5e55-4000-8000-000000000001' $$,
  'attack: a user cannot read another user''s questionnaire answers'
);
select is_empty(
  $$ select * from public.weekly_discoveries where user_id = tests.user_id_for('bob') $$,
  'attack: a user cannot read another user''s weekly discoveries'
);
select is_empty(
  $$ select * from public.discovered_automations where discovery_id = 'b0b00000-d15c-4000-8000-000000000001' $$,
  'attack: a user cannot read another user''s recommendations'
);
select is_empty(
  $$ select * from public.user_automations where user_id = tests.user_id_for('bob') $$,
  'attack: a user cannot read another user''s adopted automations'
);
select is_empty(
  $$ select * from public.automation_progress where user_automation_id = 'b0b00000-0a00-4000-8000-000000000001' $$,
  'attack: a user cannot read another user''s progress'
);
select is_empty(
  $$ select * from public.subscriptions where user_id = tests.user_id_for('bob') $$,
  'attack: a user cannot read another user''s subscription'
);
select is_empty(
  $$ select * from public.usage_metrics where user_id = tests.user_id_for('bob') $$,
  'attack: a user cannot read another user''s usage'
);

-- ============================================================================
-- A user raising their own privileges
-- ============================================================================
select throws_ok(
  $$ update public.user_profiles set role = 'admin' where user_id = tests.user_id_for('alice') $$,
  '42501', 'only an admin can change a user''s role',
  'attack: a user cannot update their own role to admin'
);
select throws_ok(
  $$ insert into public.user_profiles (user_id) values (tests.user_id_for('alice'))
     on conflict (user_id) do update set role = 'admin' $$,
  '42501', 'only an admin can change a user''s role',
  'attack: a user cannot make themselves an admin with an upsert on their profile'
);
select throws_ok(
  $$ select private.is_admin(tests.user_id_for('ada')) $$,
  '42883', 'function private.is_admin(uuid) does not exist',
  'attack: a user cannot ask the admin helper about another user'
);

select tests.authenticate_as('carol');
delete from public.user_profiles where user_id = tests.user_id_for('carol');

select throws_ok(
  $$ insert into public.user_profiles (user_id, role) values (tests.user_id_for('carol'), 'admin') $$,
  '42501', 'only an admin can create a profile with role admin',
  'attack: a user who deletes their profile cannot recreate it with role admin'
);

-- alice's JWT carries her user metadata, which she wrote herself.
select tests.clear_authentication();
do $$
declare
  metadata jsonb := (select raw_user_meta_data from auth.users where id = tests.user_id_for('alice'));
begin
  perform set_config('request.jwt.claims', jsonb_build_object(
    'sub', tests.user_id_for('alice'), 'role', 'authenticated', 'aud', 'authenticated',
    'email', 'alice@tests.local', 'user_metadata', metadata
  )::text, true);
  perform set_config('role', 'authenticated', true);
end
$$;

select is(
  private.is_admin(), false,
  'attack: a user whose metadata says role admin is not an admin'
);
select results_eq(
  $$ select full_name from public.user_profiles $$,
  $$ values ('Alice') $$,
  'attack: a user whose metadata says role admin still reads only their own profile'
);
select throws_ok(
  $$ insert into public.automations (slug, title, summary, category, difficulty, published)
     values ('spam', 'Spam', 'Spam.', 'sales', 'easy', true) $$,
  '42501', 'new row violates row-level security policy for table "automations"',
  'attack: a user whose metadata says role admin cannot publish an automation'
);

-- ============================================================================
-- A user writing in someone else's name, or moving a row to them
-- ============================================================================
select tests.authenticate_as('alice');

select throws_ok(
  $$ insert into public.user_automations (user_id, automation_id)
     values (tests.user_id_for('bob'), 'aaaaaaaa-0000-4000-8000-000000000002') $$,
  '42501', 'new row violates row-level security policy for table "user_automations"',
  'attack: a user cannot insert a row with someone else''s user_id'
);
select throws_ok(
  $$ update public.questionnaire_sessions set user_id = tests.user_id_for('bob')
     where id = 'a11ce000-5e55-4000-8000-000000000001' $$,
  '42501', 'new row violates row-level security policy for table "questionnaire_sessions"',
  'attack: a user cannot move their own row to someone else with an update'
);
-- The server picks the id of a user's new row, so the upsert never meets
-- bob's row: it inserts a session of alice's own.
select results_eq(
  $$ insert into public.questionnaire_sessions (id, user_id)
     values ('b0b00000-5e55-4000-8000-000000000001', tests.user_id_for('alice'))
     on conflict (id) do update set user_id = excluded.user_id
     returning user_id, id <> 'b0b00000-5e55-4000-8000-000000000001' $$,
  $$ values (tests.user_id_for('alice'), true) $$,
  'attack: a user cannot take over another user''s row with an upsert'
);
select throws_ok(
  $$ update public.user_automations set user_id = tests.user_id_for('bob')
     where id = 'a11ce000-0a00-4000-8000-000000000001' $$,
  '42501', 'permission denied for table user_automations',
  'attack: a user cannot give their adopted automation to someone else: its owner never changes'
);
select throws_ok(
  $$ insert into public.user_automations (user_id, automation_id)
     values (tests.user_id_for('alice'), 'aaaaaaaa-0000-4000-8000-000000000003') $$,
  '42501', 'new row violates row-level security policy for table "user_automations"',
  'attack: a user cannot adopt an unpublished automation, nor learn from the attempt that it exists'
);
select throws_ok(
  $$ update public.user_automations set automation_id = 'aaaaaaaa-0000-4000-8000-000000000003'
     where id = 'a11ce000-0a00-4000-8000-000000000001' $$,
  '42501', 'permission denied for table user_automations',
  'attack: a user cannot re-point their adoption at an unpublished automation: its automation never changes'
);
select throws_ok(
  $$ insert into public.questionnaire_responses (session_id, user_id, question_key, answer)
     values ('b0b00000-5e55-4000-8000-000000000001', tests.user_id_for('alice'), 'business_size', '"solo"') $$,
  '23503', 'insert or update on table "questionnaire_responses" violates foreign key constraint "questionnaire_responses_user_id_session_id_fkey"',
  'attack: a user cannot slip an answer into another user''s session under their own user_id'
);
select throws_ok(
  $$ update public.automation_progress set user_automation_id = 'b0b00000-0a00-4000-8000-000000000001'
     where id = 'a11ce000-0b00-4000-8000-000000000002' $$,
  '23503', 'insert or update on table "automation_progress" violates foreign key constraint "automation_progress_user_automation_fkey"',
  'attack: a user cannot re-parent their progress to another user''s adopted automation'
);
select throws_ok(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
     values (tests.user_id_for('alice'), 'a11ce000-0a00-4000-8000-000000000001',
             'aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000002') $$,
  '23503', 'insert or update on table "automation_progress" violates foreign key constraint "automation_progress_automation_id_step_id_fkey"',
  'attack: a user cannot attach progress for a step of a different automation'
);
select throws_ok(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
     values (tests.user_id_for('alice'), 'a11ce000-0a00-4000-8000-000000000001',
             'aaaaaaaa-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000002') $$,
  '23503', 'insert or update on table "automation_progress" violates foreign key constraint "automation_progress_user_automation_fkey"',
  'attack: a user cannot attach progress for another automation''s step by lying about the automation'
);
select throws_ok(
  $$ truncate public.user_automations $$,
  '42501', 'permission denied for table user_automations',
  'attack: a user cannot truncate a table, which row level security would not filter'
);

-- ============================================================================
-- A user granting themselves a plan or erasing their usage
-- ============================================================================
select throws_ok(
  $$ insert into public.subscriptions (user_id, stripe_customer_id, plan, status)
     values (tests.user_id_for('alice'), 'cus_alice', 'business', 'trialing') $$,
  '42501', 'permission denied for table subscriptions',
  'attack: a user cannot insert a subscription'
);
select throws_ok(
  $$ insert into public.usage_metrics (user_id, metric, period_start, period_end)
     values (tests.user_id_for('alice'), 'discoveries', '2025-09-01', '2025-10-01') $$,
  '42501', 'permission denied for table usage_metrics',
  'attack: a user cannot insert a usage row'
);
select throws_ok(
  $$ update public.subscriptions set plan = 'business' where user_id = tests.user_id_for('alice') $$,
  '42501', 'permission denied for table subscriptions',
  'attack: a user cannot update their own subscription''s plan'
);
select throws_ok(
  $$ update public.subscriptions set status = 'trialing' where user_id = tests.user_id_for('alice') $$,
  '42501', 'permission denied for table subscriptions',
  'attack: a user cannot update their own subscription''s status'
);
select throws_ok(
  $$ update public.usage_metrics set quantity = 0 where user_id = tests.user_id_for('alice') $$,
  '42501', 'permission denied for table usage_metrics',
  'attack: a user cannot reset their usage'
);
select throws_ok(
  $$ delete from public.usage_metrics where user_id = tests.user_id_for('alice') $$,
  '42501', 'permission denied for table usage_metrics',
  'attack: a user cannot erase their usage'
);

-- ============================================================================
-- A user acting on another user's discovery
-- ============================================================================
select is_empty(
  $$ update public.discovered_automations set reaction = 'dismissed'
     where id = 'b0b00000-da00-4000-8000-000000000001' returning id $$,
  'attack: a user cannot change another user''s reaction to a recommendation'
);
select is_empty(
  $$ update public.weekly_discoveries set viewed_at = now()
     where id = 'b0b00000-d15c-4000-8000-000000000001' returning id $$,
  'attack: a user cannot mark another user''s discovery viewed'
);

-- ============================================================================
-- A user reading an unpublished automation
-- ============================================================================
select is_empty(
  $$ select * from public.automations where id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  'attack: a user cannot read an unpublished automation, even by id'
);
select is_empty(
  $$ select * from public.implementation_steps where automation_id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  'attack: a user cannot read the steps of an unpublished automation'
);
select is_empty(
  $$ select * from public.automation_tools where automation_id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  'attack: a user cannot read the tools of an unpublished automation'
);
select is_empty(
  $$ select * from public.step_media where step_id = 'cccccccc-0000-4000-8000-000000000003' $$,
  'attack: a user cannot read the media of an unpublished automation'
);
select is_empty(
  $$ select a.title
     from public.discovered_automations d join public.automations a on a.id = d.automation_id
     where d.id = 'a11ce000-da00-4000-8000-000000000001' $$,
  'attack: a recommendation of an unpublished automation does not reveal it'
);
select is_empty(
  $$ update public.automations set published = true
     where id = 'aaaaaaaa-0000-4000-8000-000000000003' returning id $$,
  'attack: a user cannot publish a draft'
);

-- ============================================================================
-- anon
-- ============================================================================
select tests.authenticate_as_anon();

select throws_ok(
  $$ select a.slug, u.user_id
     from public.automations a join public.user_automations u on u.automation_id = a.id $$,
  '42501', 'permission denied for table user_automations',
  'attack: a signed-out visitor cannot read user data through a join with the catalogue'
);
select throws_ok(
  $$ select private.is_admin() $$,
  '42501', 'permission denied for schema private',
  'attack: a signed-out visitor cannot call the admin helper'
);
select is_empty(
  $$ select * from public.automations where id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  'attack: a signed-out visitor cannot read an unpublished automation, even by id'
);
select is_empty(
  $$ select * from public.implementation_steps where automation_id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  'attack: a signed-out visitor cannot read the steps of an unpublished automation'
);

-- ============================================================================
-- Surfaces that would bypass row level security, as postgres
-- ============================================================================
select tests.clear_authentication();

select is_empty(
  $$ select c.relname
     from pg_catalog.pg_class c
     where c.relnamespace = 'public'::regnamespace
       and c.relkind in ('r', 'p', 'v', 'm', 'f')
       and c.relname not in ('automations', 'automation_tools', 'implementation_steps', 'step_media')
       and (has_table_privilege('anon', c.oid, 'select, insert, update, delete, truncate, references, trigger'
              -- MAINTAIN from PostgreSQL 17 (PGlite too); PostgreSQL 15 and 16 reject the word
              || case when current_setting('server_version_num')::integer >= 170000 then ', maintain' else '' end)
            or has_any_column_privilege('anon', c.oid, 'select, insert, update, references')) $$,
  'attack: a signed-out visitor holds no privilege on any user data, table or column'
);
select is_empty(
  $$ select c.relname, a.privilege_type
     from pg_catalog.pg_class c,
          aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
     where c.relnamespace = 'public'::regnamespace
       and a.grantee in ('anon'::regrole, 'authenticated'::regrole)
       and a.privilege_type in ('TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN') $$,
  'attack: API roles hold no TRUNCATE, REFERENCES, TRIGGER or MAINTAIN privilege, which row level security does not filter'
);
select is_empty(
  $$ select c.relname
     from pg_catalog.pg_class c
     where c.relnamespace = 'public'::regnamespace
       and c.relkind in ('r', 'p')
       and not c.relrowsecurity $$,
  'attack: no table in public lacks row level security'
);
select is_empty(
  $$ select c.relname
     from pg_catalog.pg_class c
     where c.relnamespace = 'public'::regnamespace
       and (
         (c.relkind = 'v' and not exists (
            select 1 from unnest(c.reloptions) o where o ~* '^security_invoker=(true|on|yes|1)$'))
         or (c.relkind = 'm' and (has_table_privilege('anon', c.oid, 'select')
                                  or has_table_privilege('authenticated', c.oid, 'select')))
       ) $$,
  'attack: no view reads the tables with its owner''s rights instead of the caller''s'
);
select is_empty(
  $$ select p.oid::regprocedure::text
     from pg_catalog.pg_proc p
     where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
       and p.prosecdef
       and p.oid <> 'private.is_admin()'::regprocedure
       and (has_function_privilege('anon', p.oid, 'execute')
            or has_function_privilege('authenticated', p.oid, 'execute')) $$,
  'attack: no security definer function but the admin helper can be called by an API role'
);

-- ============================================================================
-- As postgres: after every attack, bob's data is exactly as it was.
-- ============================================================================
select results_eq(
  $$ select p.role, r.answer, u.user_id, u.status, g.user_id, g.status, d.reaction, w.viewed_at, s.plan, s.status, m.quantity
     from public.user_profiles p
     join public.questionnaire_responses r on r.user_id = p.user_id
     join public.user_automations u on u.user_id = p.user_id
     join public.automation_progress g on g.user_automation_id = u.id
     join public.discovered_automations d on d.user_id = p.user_id
     join public.weekly_discoveries w on w.id = d.discovery_id
     join public.subscriptions s on s.user_id = p.user_id
     join public.usage_metrics m on m.user_id = p.user_id
     where p.user_id = tests.user_id_for('bob') $$,
  $$ values ('user', '["sell"]'::jsonb, tests.user_id_for('bob'), 'in_progress', tests.user_id_for('bob'), 'in_progress',
             'new', null::timestamptz, 'pro', 'active', 12::bigint + 28) $$,
  'after every attack, the other user''s data is exactly as it was'
);
select results_eq(
  $$ select p.role, s.plan, s.status, m.quantity, (select count(*) from public.automations
             where published and id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002',
                                        'aaaaaaaa-0000-4000-8000-000000000003'))
     from public.user_profiles p
     join public.subscriptions s on s.user_id = p.user_id
     join public.usage_metrics m on m.user_id = p.user_id
     where p.user_id = tests.user_id_for('alice') $$,
  $$ values ('user', 'free', 'active', 12::bigint, 2::bigint) $$,
  'after every attack, the attacker is still a user on the free plan with their usage intact, and the draft is unpublished'
);

select * from finish();
rollback;
