-- Attacks from the outside review (issue 13) that the schema now refuses.
--
-- The review acted as PostgREST does: a transaction, the role anon or
-- authenticated, request.jwt.claims, then inserts, upserts, updates and
-- returning. Each finding is a section here, in the order of migration
-- 20261201070535_harden_api_surface.sql; what is accepted instead of refused
-- is in the README's Security section.
begin;
select plan(45);

-- ============================================================================
-- Fixtures, as postgres: alice and bob with a session, an answer, an adoption
-- and progress each; a published catalogue, a draft, and an automation that
-- alice adopted and was recommended before it was unpublished ("retired").
-- ============================================================================
select tests.create_user('alice');
select tests.create_user('bob');
select tests.create_user('carol');
select tests.create_user('ada', 'admin');

insert into public.automations (id, slug, title, summary, category, difficulty, published) values
  ('aaaaaaaa-0292-4000-8000-000000000001', 'hardening-invoices', 'Invoice reminders', 'Chase unpaid invoices.', 'finance', 'easy', true),
  ('aaaaaaaa-0292-4000-8000-000000000002', 'hardening-leads', 'Lead scoring', 'Rank leads.', 'sales', 'medium', true),
  ('aaaaaaaa-0292-4000-8000-000000000003', 'hardening-retired', 'Retired chatbot', 'Withdrawn.', 'customer-support', 'hard', true),
  ('aaaaaaaa-0292-4000-8000-000000000004', 'hardening-draft', 'Draft', 'Not ready yet.', 'operations', 'easy', false),
  ('aaaaaaaa-0292-4000-8000-000000000005', 'hardening-reviews', 'Review requests', 'Ask for reviews.', 'marketing', 'easy', true),
  ('aaaaaaaa-0292-4000-8000-000000000006', 'hardening-draft-two', 'Second draft', 'Not ready either.', 'hr', 'easy', false);

insert into public.implementation_steps (id, automation_id, step_number, title, instructions) values
  ('cccccccc-0292-4000-8000-000000000001', 'aaaaaaaa-0292-4000-8000-000000000001', 1, 'Connect Stripe', 'Paste the key.'),
  ('cccccccc-0292-4000-8000-000000000002', 'aaaaaaaa-0292-4000-8000-000000000001', 2, 'Write the email', 'Be polite.'),
  ('cccccccc-0292-4000-8000-000000000003', 'aaaaaaaa-0292-4000-8000-000000000001', 3, 'Schedule it', 'Every Monday.'),
  ('cccccccc-0292-4000-8000-000000000004', 'aaaaaaaa-0292-4000-8000-000000000003', 1, 'Train the bot', 'Upload the FAQ.'),
  ('cccccccc-0292-4000-8000-000000000005', 'aaaaaaaa-0292-4000-8000-000000000003', 2, 'Go live', 'Embed the widget.');

insert into public.questionnaire_sessions (id, user_id) values
  ('a11ce000-5e55-4292-8000-000000000001', tests.user_id_for('alice')),
  ('b0b00000-5e55-4292-8000-000000000001', tests.user_id_for('bob'));

insert into public.questionnaire_responses (id, session_id, user_id, question_key, answer) values
  ('a11ce000-7e50-4292-8000-000000000001', 'a11ce000-5e55-4292-8000-000000000001', tests.user_id_for('alice'), 'goals', '["grow"]'),
  ('b0b00000-7e50-4292-8000-000000000001', 'b0b00000-5e55-4292-8000-000000000001', tests.user_id_for('bob'), 'goals', '["sell"]');

insert into public.user_automations (id, user_id, automation_id, status) values
  ('a11ce000-0a00-4292-8000-000000000001', tests.user_id_for('alice'), 'aaaaaaaa-0292-4000-8000-000000000001', 'in_progress'),
  ('a11ce000-0a00-4292-8000-000000000002', tests.user_id_for('alice'), 'aaaaaaaa-0292-4000-8000-000000000003', 'in_progress'),
  ('b0b00000-0a00-4292-8000-000000000001', tests.user_id_for('bob'), 'aaaaaaaa-0292-4000-8000-000000000001', 'in_progress');

insert into public.automation_progress (id, user_id, user_automation_id, automation_id, step_id, status) values
  ('a11ce000-0b00-4292-8000-000000000001', tests.user_id_for('alice'), 'a11ce000-0a00-4292-8000-000000000001',
   'aaaaaaaa-0292-4000-8000-000000000001', 'cccccccc-0292-4000-8000-000000000001', 'in_progress'),
  ('a11ce000-0b00-4292-8000-000000000002', tests.user_id_for('alice'), 'a11ce000-0a00-4292-8000-000000000002',
   'aaaaaaaa-0292-4000-8000-000000000003', 'cccccccc-0292-4000-8000-000000000004', 'in_progress'),
  ('b0b00000-0b00-4292-8000-000000000001', tests.user_id_for('bob'), 'b0b00000-0a00-4292-8000-000000000001',
   'aaaaaaaa-0292-4000-8000-000000000001', 'cccccccc-0292-4000-8000-000000000001', 'in_progress');

insert into public.weekly_discoveries (id, user_id, week_of, status, generated_at) values
  ('a11ce000-d15c-4292-8000-000000000001', tests.user_id_for('alice'), '2025-08-11', 'ready', now());

insert into public.discovered_automations (id, discovery_id, user_id, automation_id, rank, relevance_score) values
  ('a11ce000-da00-4292-8000-000000000001', 'a11ce000-d15c-4292-8000-000000000001', tests.user_id_for('alice'),
   'aaaaaaaa-0292-4000-8000-000000000001', 1, 0.9),
  ('a11ce000-da00-4292-8000-000000000002', 'a11ce000-d15c-4292-8000-000000000001', tests.user_id_for('alice'),
   'aaaaaaaa-0292-4000-8000-000000000003', 2, 0.8);

-- The retired automation is withdrawn after alice adopted it and it was recommended to her.
update public.automations set published = false where id = 'aaaaaaaa-0292-4000-8000-000000000003';

-- A fresh account with no profile yet, as after sign-up.
delete from public.user_profiles where user_id = tests.user_id_for('carol');

-- ============================================================================
-- 1. Objects a later migration creates start closed to the API roles
-- ============================================================================
create table public.hardening_new_table (id integer);
create sequence public.hardening_new_sequence;
create function public.hardening_new_function() returns integer language sql as $$ select 1 $$;

select is_empty(
  $$ select r.rolname from pg_catalog.pg_roles r
     where r.rolname in ('anon', 'authenticated')
       and has_table_privilege(r.rolname, 'public.hardening_new_table',
                               'select, insert, update, delete, truncate, references, trigger'
                               || case when current_setting('server_version_num')::integer >= 170000
                                       then ', maintain' else '' end) $$,
  'hardening: a new table in public grants nothing to anon or authenticated'
);
select is_empty(
  $$ select r.rolname from pg_catalog.pg_roles r
     where r.rolname in ('anon', 'authenticated')
       and has_sequence_privilege(r.rolname, 'public.hardening_new_sequence', 'usage, select, update') $$,
  'hardening: a new sequence in public grants nothing to anon or authenticated'
);
select is_empty(
  $$ select r.rolname from pg_catalog.pg_roles r
     where r.rolname in ('anon', 'authenticated')
       and has_function_privilege(r.rolname, 'public.hardening_new_function()', 'execute') $$,
  'hardening: a new function in public cannot be called by anon or authenticated, not even through PUBLIC'
);
select is_empty(
  $$ select distinct d.defaclobjtype, a.grantee::regrole::text
     from pg_catalog.pg_default_acl d, aclexplode(d.defaclacl) a
     where d.defaclrole = (select oid from pg_catalog.pg_roles where rolname = current_user)
       and d.defaclnamespace in (0, 'public'::regnamespace)
       and a.grantee in (0, 'anon'::regrole, 'authenticated'::regrole) $$,
  'hardening: the default privileges of the role that runs the migrations grant nothing in public to anon, authenticated or PUBLIC'
);
select isnt_empty(
  $$ select 1 from pg_catalog.pg_default_acl d
     where d.defaclrole = (select oid from pg_catalog.pg_roles where rolname = current_user)
       and d.defaclnamespace = 0 and d.defaclobjtype = 'f' $$,
  'hardening: that role''s new functions do not get PostgreSQL''s built-in EXECUTE for PUBLIC'
);

-- ============================================================================
-- 2. Unique keys and ids answer only for the caller's own rows
-- ============================================================================
select tests.authenticate_as('alice');

select throws_ok(
  $$ insert into public.questionnaire_responses (session_id, user_id, question_key, answer)
     values ('b0b00000-5e55-4292-8000-000000000001', tests.user_id_for('alice'), 'goals', '"probe"') $$,
  '23503', 'insert or update on table "questionnaire_responses" violates foreign key constraint "questionnaire_responses_user_id_session_id_fkey"',
  'hardening: an answer slipped into another user''s session does not tell which questions they answered'
);
select throws_ok(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
     values (tests.user_id_for('alice'), 'b0b00000-0a00-4292-8000-000000000001',
             'aaaaaaaa-0292-4000-8000-000000000001', 'cccccccc-0292-4000-8000-000000000001') $$,
  '23503', 'insert or update on table "automation_progress" violates foreign key constraint "automation_progress_user_automation_fkey"',
  'hardening: progress slipped under another user''s adoption does not tell which steps they have progress on'
);
select lives_ok(
  $$ insert into public.questionnaire_sessions (id, user_id)
     values ('b0b00000-5e55-4292-8000-000000000001', tests.user_id_for('alice')) $$,
  'hardening: a session inserted with another user''s session id neither fails nor collides: the server picks the id'
);
select results_eq(
  $$ insert into public.questionnaire_sessions (id, user_id)
     values ('b0b00000-5e55-4292-8000-000000000001', tests.user_id_for('alice'))
     on conflict do nothing
     returning id <> 'b0b00000-5e55-4292-8000-000000000001' $$,
  $$ values (true) $$,
  'hardening: an upsert with another user''s session id does not silently answer that it exists'
);
select results_eq(
  $$ insert into public.questionnaire_responses (id, session_id, user_id, question_key, answer)
     values ('b0b00000-7e50-4292-8000-000000000001', 'a11ce000-5e55-4292-8000-000000000001',
             tests.user_id_for('alice'), 'industry', '"retail"')
     on conflict do nothing
     returning id <> 'b0b00000-7e50-4292-8000-000000000001' $$,
  $$ values (true) $$,
  'hardening: an upsert with another user''s answer id does not silently answer that it exists'
);
select results_eq(
  $$ insert into public.user_automations (id, user_id, automation_id)
     values ('b0b00000-0a00-4292-8000-000000000001', tests.user_id_for('alice'), 'aaaaaaaa-0292-4000-8000-000000000002')
     on conflict do nothing
     returning id <> 'b0b00000-0a00-4292-8000-000000000001' $$,
  $$ values (true) $$,
  'hardening: an upsert with another user''s adoption id does not silently answer that it exists'
);
select results_eq(
  $$ insert into public.automation_progress (id, user_id, user_automation_id, automation_id, step_id)
     values ('b0b00000-0b00-4292-8000-000000000001', tests.user_id_for('alice'), 'a11ce000-0a00-4292-8000-000000000001',
             'aaaaaaaa-0292-4000-8000-000000000001', 'cccccccc-0292-4000-8000-000000000002')
     on conflict do nothing
     returning id <> 'b0b00000-0b00-4292-8000-000000000001' $$,
  $$ values (true) $$,
  'hardening: an upsert with another user''s progress id does not silently answer that it exists'
);
select lives_ok(
  $$ update public.questionnaire_responses set id = 'b0b00000-7e50-4292-8000-000000000001'
     where id = 'a11ce000-7e50-4292-8000-000000000001' $$,
  'hardening: changing one''s own answer''s id to another user''s does not collide'
);
select results_eq(
  $$ select id from public.questionnaire_responses where question_key = 'goals' $$,
  $$ values ('a11ce000-7e50-4292-8000-000000000001'::uuid) $$,
  'hardening: an id never changes: the answer keeps its own'
);

-- ============================================================================
-- 3. The server owns created_at and updated_at
-- ============================================================================
select results_eq(
  $$ insert into public.questionnaire_sessions (user_id, current_step, created_at, updated_at)
     values (tests.user_id_for('alice'), 4, '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00')
     returning created_at = now(), updated_at = now() $$,
  $$ values (true, true) $$,
  'hardening: a user cannot backdate a new questionnaire session'
);
select results_eq(
  $$ insert into public.questionnaire_responses (session_id, user_id, question_key, answer, created_at, updated_at)
     values ('a11ce000-5e55-4292-8000-000000000001', tests.user_id_for('alice'), 'business_size', '"solo"',
             '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00')
     returning created_at = now(), updated_at = now() $$,
  $$ values (true, true) $$,
  'hardening: a user cannot backdate a new answer'
);
select results_eq(
  $$ insert into public.user_automations (user_id, automation_id, created_at, updated_at)
     values (tests.user_id_for('alice'), 'aaaaaaaa-0292-4000-8000-000000000005', '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00')
     returning created_at = now(), updated_at = now() $$,
  $$ values (true, true) $$,
  'hardening: a user cannot backdate a new adoption, whose timestamps no one may update'
);
select results_eq(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id, created_at, updated_at)
     values (tests.user_id_for('alice'), 'a11ce000-0a00-4292-8000-000000000001', 'aaaaaaaa-0292-4000-8000-000000000001',
             'cccccccc-0292-4000-8000-000000000003', '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00')
     returning created_at = now(), updated_at = now() $$,
  $$ values (true, true) $$,
  'hardening: a user cannot backdate new progress'
);
select results_eq(
  $$ update public.user_profiles set created_at = '2001-02-03 04:05:06+00'
     where user_id = tests.user_id_for('alice') returning created_at = now() $$,
  $$ values (true) $$,
  'hardening: a user cannot rewrite when their profile was created'
);
select results_eq(
  $$ update public.questionnaire_sessions set created_at = '2001-02-03 04:05:06+00'
     where id = 'a11ce000-5e55-4292-8000-000000000001' returning created_at = now() $$,
  $$ values (true) $$,
  'hardening: a user cannot rewrite when their session was created'
);
select results_eq(
  $$ update public.questionnaire_responses set created_at = '2001-02-03 04:05:06+00'
     where id = 'a11ce000-7e50-4292-8000-000000000001' returning created_at = now() $$,
  $$ values (true) $$,
  'hardening: a user cannot rewrite when they answered'
);
select results_eq(
  $$ update public.automation_progress set created_at = '2001-02-03 04:05:06+00'
     where id = 'a11ce000-0b00-4292-8000-000000000001' returning created_at = now() $$,
  $$ values (true) $$,
  'hardening: a user cannot rewrite when they started a step'
);

select tests.authenticate_as('carol');

select results_eq(
  $$ insert into public.user_profiles (user_id, full_name, created_at, updated_at)
     values (tests.user_id_for('carol'), 'Carol', '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00')
     returning created_at = now(), updated_at = now() $$,
  $$ values (true, true) $$,
  'hardening: a new user cannot backdate their profile'
);

select tests.authenticate_as('ada');

select results_eq(
  $$ insert into public.automations (slug, title, summary, category, difficulty, created_at, updated_at)
     values ('hardening-backdated', 'Backdated', 'Old.', 'finance', 'easy', '2001-02-03 04:05:06+00', '2001-02-03 04:05:06+00')
     returning created_at = now(), updated_at = now() $$,
  $$ values (true, true) $$,
  'hardening: an admin cannot backdate a catalogue entry either'
);

-- ============================================================================
-- 4. Recommendations point at published automations
-- ============================================================================
select tests.authenticate_as_service_role();

select throws_ok(
  $$ insert into public.discovered_automations (discovery_id, user_id, automation_id, rank, relevance_score)
     values ('a11ce000-d15c-4292-8000-000000000001', tests.user_id_for('alice'), 'aaaaaaaa-0292-4000-8000-000000000004', 3, 0.5) $$,
  '23514', 'automation aaaaaaaa-0292-4000-8000-000000000004 is not published: only a published automation can be recommended',
  'hardening: not even the backend can recommend an unpublished automation'
);
select throws_ok(
  $$ update public.discovered_automations set automation_id = 'aaaaaaaa-0292-4000-8000-000000000006'
     where id = 'a11ce000-da00-4292-8000-000000000001' $$,
  '23514', 'automation aaaaaaaa-0292-4000-8000-000000000006 is not published: only a published automation can be recommended',
  'hardening: a recommendation cannot be re-pointed at an unpublished automation'
);

select tests.authenticate_as('alice');

select results_eq(
  $$ select automation_id from public.discovered_automations order by rank $$,
  $$ values ('aaaaaaaa-0292-4000-8000-000000000001'::uuid) $$,
  'hardening: a recommendation of an automation unpublished since does not show its id to the user'
);
select is_empty(
  $$ update public.discovered_automations set reaction = 'saved'
     where id = 'a11ce000-da00-4292-8000-000000000002' returning id $$,
  'hardening: a user cannot react to a recommendation of an automation unpublished since'
);
select results_eq(
  $$ update public.discovered_automations set reaction = 'saved'
     where id = 'a11ce000-da00-4292-8000-000000000001' returning reaction $$,
  $$ values ('saved') $$,
  'hardening: a user still reacts to a recommendation of a published automation'
);

select tests.authenticate_as('ada');

select results_eq(
  $$ select automation_id from public.discovered_automations
     where discovery_id = 'a11ce000-d15c-4292-8000-000000000001' order by rank $$,
  $$ values ('aaaaaaaa-0292-4000-8000-000000000001'::uuid), ('aaaaaaaa-0292-4000-8000-000000000003'::uuid) $$,
  'hardening: an admin still sees a recommendation of an automation unpublished since'
);

-- ============================================================================
-- 5. Progress only on steps the user can read
-- ============================================================================
-- The rule: after an automation is unpublished, its adopters keep reading and
-- deleting their progress on it, and record none until it is published again.
select tests.authenticate_as('alice');

select throws_ok(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
     values (tests.user_id_for('alice'), 'a11ce000-0a00-4292-8000-000000000002',
             'aaaaaaaa-0292-4000-8000-000000000003', 'cccccccc-0292-4000-8000-000000000005') $$,
  '42501', 'new row violates row-level security policy for table "automation_progress"',
  'hardening: an adopter cannot record progress on a step of an automation unpublished since'
);
select throws_ok(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
     values (tests.user_id_for('alice'), 'a11ce000-0a00-4292-8000-000000000002',
             'aaaaaaaa-0292-4000-8000-000000000003', 'cccccccc-0292-4000-8000-0000000000ff') $$,
  '42501', 'new row violates row-level security policy for table "automation_progress"',
  'hardening: a step id that does not exist fails the same way, so the attempt confirms nothing'
);
select throws_ok(
  $$ update public.automation_progress set step_id = 'cccccccc-0292-4000-8000-000000000005'
     where id = 'a11ce000-0b00-4292-8000-000000000002' $$,
  '42501', 'new row violates row-level security policy for table "automation_progress"',
  'hardening: an adopter cannot move their progress to another step of an automation unpublished since'
);
select results_eq(
  $$ select step_id, status from public.automation_progress where id = 'a11ce000-0b00-4292-8000-000000000002' $$,
  $$ values ('cccccccc-0292-4000-8000-000000000004'::uuid, 'in_progress') $$,
  'hardening: an adopter still reads their progress on an automation unpublished since'
);

-- ============================================================================
-- 6. Planner estimates do not count other users' subscriptions by plan
-- ============================================================================
select tests.clear_authentication();

select results_eq(
  $$ select attname::text collate "default", attstattarget::integer from pg_catalog.pg_attribute
     where attrelid = 'public.subscriptions'::regclass and attname in ('plan', 'status') order by 1 $$,
  $$ values ('plan', 0), ('status', 0) $$,
  'hardening: the planner keeps no statistics on subscriptions'' plan and status, so estimates do not count other users on a plan'
);

-- ============================================================================
-- 7. Size limits on everything a browser may write
-- ============================================================================
-- Every text, jsonb or array column that anon or authenticated may insert or
-- update has a check on its size, unless a vocabulary check bounds it.
select is_empty(
  $$ select c.relname::text || '.' || a.attname::text
     from pg_catalog.pg_attribute a
     join pg_catalog.pg_class c on c.oid = a.attrelid
     join pg_catalog.pg_type t on t.oid = a.atttypid
     cross join (values ('anon'), ('authenticated')) as r (role)
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and a.attnum > 0 and not a.attisdropped
       and (t.typname in ('text', 'jsonb', 'json', 'varchar') or t.typcategory = 'A')
       and has_column_privilege(r.role, c.oid, a.attnum, 'insert, update')
       and not exists (
         select 1 from pg_catalog.pg_constraint k
         where k.conrelid = c.oid and k.contype = 'c' and a.attnum = any (k.conkey)
           and pg_catalog.pg_get_constraintdef(k.oid) ~ '(char_length|octet_length|cardinality)\(|= ANY \(ARRAY\['
       )
     group by 1 order by 1 $$,
  'hardening: every text, jsonb and array column a browser may write is bounded by a check'
);

select tests.authenticate_as('alice');

select throws_ok(
  $$ update public.questionnaire_sessions set ai_context = jsonb_build_object('notes', repeat('x', 1000000))
     where id = 'a11ce000-5e55-4292-8000-000000000001' $$,
  '23514', 'new row for relation "questionnaire_sessions" violates check constraint "questionnaire_sessions_ai_context_size_check"',
  'hardening: a user cannot store a megabyte of ai_context'
);
select lives_ok(
  $$ update public.questionnaire_sessions set ai_context = jsonb_build_object('n', repeat('x', 65536 - 9))
     where id = 'a11ce000-5e55-4292-8000-000000000001' $$,
  'hardening: ai_context of exactly 64 KiB is accepted'
);
select throws_ok(
  $$ update public.questionnaire_responses set answer = to_jsonb(repeat('x', 16384))
     where id = 'a11ce000-7e50-4292-8000-000000000001' $$,
  '23514', 'new row for relation "questionnaire_responses" violates check constraint "questionnaire_responses_answer_size_check"',
  'hardening: a user cannot store an answer over 16 KiB'
);
select throws_ok(
  $$ update public.user_profiles set current_tools = array(select 'tool ' || i from generate_series(1, 51) as i)
     where user_id = tests.user_id_for('alice') $$,
  '23514', 'new row for relation "user_profiles" violates check constraint "user_profiles_current_tools_size_check"',
  'hardening: a user cannot list more than 50 tools'
);
select throws_ok(
  $$ update public.user_profiles set full_name = repeat('x', 201) where user_id = tests.user_id_for('alice') $$,
  '23514', 'new row for relation "user_profiles" violates check constraint "user_profiles_full_name_size_check"',
  'hardening: a user cannot store a name over 200 characters'
);
select throws_ok(
  $$ update public.automation_progress set notes = repeat('x', 10001)
     where id = 'a11ce000-0b00-4292-8000-000000000001' $$,
  '23514', 'new row for relation "automation_progress" violates check constraint "automation_progress_notes_size_check"',
  'hardening: a user cannot store notes over 10,000 characters'
);

select tests.authenticate_as('ada');

select throws_ok(
  $$ update public.automations set description = repeat('x', 50001)
     where id = 'aaaaaaaa-0292-4000-8000-000000000001' $$,
  '23514', 'new row for relation "automations" violates check constraint "automations_description_size_check"',
  'hardening: an admin cannot store a description over 50,000 characters'
);

-- ============================================================================
-- The test helpers pin their search_path (Supabase's advisor warns otherwise)
-- ============================================================================
select tests.clear_authentication();

select is_empty(
  $$ select p.oid::regprocedure::text
     from pg_catalog.pg_proc p
     where p.pronamespace = 'tests'::regnamespace
       and not exists (select 1 from unnest(p.proconfig) as c where c like 'search_path=%') $$,
  'hardening: every test helper pins its search_path'
);

-- ============================================================================
-- As postgres: after every attack, bob's rows are exactly as they were.
-- ============================================================================
select results_eq(
  $$ select s.id, r.id, r.question_key, u.id, g.id, g.step_id
     from public.questionnaire_sessions s
     join public.questionnaire_responses r on r.session_id = s.id
     join public.user_automations u on u.user_id = s.user_id
     join public.automation_progress g on g.user_automation_id = u.id
     where s.user_id = tests.user_id_for('bob') $$,
  $$ values ('b0b00000-5e55-4292-8000-000000000001'::uuid, 'b0b00000-7e50-4292-8000-000000000001'::uuid, 'goals',
             'b0b00000-0a00-4292-8000-000000000001'::uuid, 'b0b00000-0b00-4292-8000-000000000001'::uuid,
             'cccccccc-0292-4000-8000-000000000001'::uuid) $$,
  'hardening: after every attack, the other user''s session, answer, adoption and progress are exactly as they were'
);

select * from finish();
rollback;
