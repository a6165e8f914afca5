-- Values a browser writes that the rest of the platform can trust (issue 25).
--
-- The second outside review acted as PostgREST does (a transaction, the role
-- anon or authenticated, request.jwt.claims) and, as the owner of rows, stored
-- times, steps, arrays, JSON and embeddings the platform trips over. Each
-- finding is a section here, in the order of migration
-- 20261206173330_trusted_values.sql. MAINTAIN, the last finding, is in the
-- excess-privilege checks themselves (000_test_rls_probe.sql, 270, 290, 292).
begin;
select plan(47);

-- ============================================================================
-- Fixtures, as postgres: alice's adoptions, progress, sessions and
-- discoveries, some with a history (times in the past) written by the backend.
-- ============================================================================
select tests.create_user('alice');
select tests.create_user('ada', 'admin');

insert into public.automations (id, slug, title, summary, category, difficulty, published) values
  ('aaaaaaaa-0294-4000-8000-000000000001', 'values-invoices', 'Invoice reminders', 'Chase unpaid invoices.', 'finance', 'easy', true),
  ('aaaaaaaa-0294-4000-8000-000000000002', 'values-leads', 'Lead scoring', 'Rank leads.', 'sales', 'medium', true),
  ('aaaaaaaa-0294-4000-8000-000000000003', 'values-reviews', 'Review requests', 'Ask for reviews.', 'marketing', 'easy', true),
  ('aaaaaaaa-0294-4000-8000-000000000004', 'values-payroll', 'Payroll run', 'Run payroll.', 'hr', 'easy', true),
  ('aaaaaaaa-0294-4000-8000-000000000005', 'values-stock', 'Stock alerts', 'Watch stock.', 'ecommerce', 'easy', true),
  ('aaaaaaaa-0294-4000-8000-000000000006', 'values-faq', 'FAQ replies', 'Answer FAQs.', 'customer-support', 'easy', true);

insert into public.implementation_steps (id, automation_id, step_number, title, instructions) values
  ('cccccccc-0294-4000-8000-000000000001', 'aaaaaaaa-0294-4000-8000-000000000001', 1, 'Connect Stripe', 'Paste the key.'),
  ('cccccccc-0294-4000-8000-000000000002', 'aaaaaaaa-0294-4000-8000-000000000001', 2, 'Write the email', 'Be polite.'),
  ('cccccccc-0294-4000-8000-000000000003', 'aaaaaaaa-0294-4000-8000-000000000001', 3, 'Schedule it', 'Every Monday.');

insert into public.user_automations (id, user_id, automation_id, status, started_at, completed_at, created_at) values
  -- saved, never started
  ('a11ce000-0a00-4294-8000-000000000001', tests.user_id_for('alice'), 'aaaaaaaa-0294-4000-8000-000000000001', 'saved',
   null, null, '2025-08-01 09:00+00'),
  -- started on 2 August
  ('a11ce000-0a00-4294-8000-000000000002', tests.user_id_for('alice'), 'aaaaaaaa-0294-4000-8000-000000000002', 'in_progress',
   '2025-08-02 09:00+00', null, '2025-08-01 09:00+00'),
  -- completed on 5 August
  ('a11ce000-0a00-4294-8000-000000000003', tests.user_id_for('alice'), 'aaaaaaaa-0294-4000-8000-000000000003', 'completed',
   '2025-08-02 09:00+00', '2025-08-05 09:00+00', '2025-08-01 09:00+00');

insert into public.automation_progress (id, user_id, user_automation_id, automation_id, step_id, status, completed_at) values
  ('a11ce000-0b00-4294-8000-000000000001', tests.user_id_for('alice'), 'a11ce000-0a00-4294-8000-000000000001',
   'aaaaaaaa-0294-4000-8000-000000000001', 'cccccccc-0294-4000-8000-000000000001', 'not_started', null),
  ('a11ce000-0b00-4294-8000-000000000002', tests.user_id_for('alice'), 'a11ce000-0a00-4294-8000-000000000001',
   'aaaaaaaa-0294-4000-8000-000000000001', 'cccccccc-0294-4000-8000-000000000002', 'completed', '2025-08-02 10:00+00');

insert into public.questionnaire_sessions (id, user_id, status, current_step, started_at, created_at) values
  ('a11ce000-5e55-4294-8000-000000000001', tests.user_id_for('alice'), 'in_progress', 3,
   '2025-08-01 09:00+00', '2025-08-01 09:00+00');

insert into public.questionnaire_responses (id, session_id, user_id, question_key, answer) values
  ('a11ce000-7e50-4294-8000-000000000001', 'a11ce000-5e55-4294-8000-000000000001', tests.user_id_for('alice'), 'goals', '["grow"]');

insert into public.weekly_discoveries (id, user_id, week_of, status, generated_at, viewed_at) values
  ('a11ce000-d15c-4294-8000-000000000001', tests.user_id_for('alice'), '2025-08-04', 'ready', '2025-08-04 06:00+00', null),
  ('a11ce000-d15c-4294-8000-000000000002', tests.user_id_for('alice'), '2025-08-11', 'ready', '2025-08-11 06:00+00', '2025-08-12 19:40+00'),
  ('a11ce000-d15c-4294-8000-000000000003', tests.user_id_for('alice'), '2025-08-18', 'generating', null, null);

-- ============================================================================
-- 1. Times the server chooses
-- ============================================================================
select tests.authenticate_as('alice');

-- Adoptions
select results_eq(
  $$ insert into public.user_automations (user_id, automation_id, status, started_at, completed_at)
     values (tests.user_id_for('alice'), 'aaaaaaaa-0294-4000-8000-000000000004', 'in_progress', '-infinity', 'infinity')
     returning started_at = now(), completed_at is null $$,
  $$ values (true, true) $$,
  'values: an adoption started as it is made starts now, whatever time the client sends, and is not completed'
);
select results_eq(
  $$ insert into public.user_automations (user_id, automation_id, status, started_at)
     values (tests.user_id_for('alice'), 'aaaaaaaa-0294-4000-8000-000000000005', 'saved', '1990-01-01 00:00+00')
     returning started_at is null $$,
  $$ values (true) $$,
  'values: a saved adoption has not started, whatever time the client sends'
);
select results_eq(
  $$ insert into public.user_automations (user_id, automation_id, status, started_at, completed_at)
     values (tests.user_id_for('alice'), 'aaaaaaaa-0294-4000-8000-000000000006', 'completed', '9999-01-01 00:00+00', '9999-01-02 00:00+00')
     returning started_at = now(), completed_at = now() $$,
  $$ values (true, true) $$,
  'values: an adoption made completed starts and completes now'
);
select results_eq(
  $$ update public.user_automations set status = 'in_progress', started_at = '9999-01-01 00:00+00'
     where id = 'a11ce000-0a00-4294-8000-000000000001' returning started_at = now() $$,
  $$ values (true) $$,
  'values: a saved adoption started starts now, not when the client says'
);
select results_eq(
  $$ update public.user_automations set status = 'completed', started_at = '-infinity', completed_at = 'infinity'
     where id = 'a11ce000-0a00-4294-8000-000000000002' returning started_at, completed_at = now() $$,
  $$ values ('2025-08-02 09:00+00'::timestamptz, true) $$,
  'values: completing an adoption keeps when it started and completes it now (the review''s -infinity and infinity)'
);
select results_eq(
  $$ update public.user_automations set started_at = null, completed_at = '1990-01-01 00:00+00'
     where id = 'a11ce000-0a00-4294-8000-000000000003' returning started_at, completed_at $$,
  $$ values ('2025-08-02 09:00+00'::timestamptz, '2025-08-05 09:00+00'::timestamptz) $$,
  'values: a completed adoption''s start and completion times cannot be unset or moved'
);
select results_eq(
  $$ update public.user_automations set status = 'in_progress'
     where id = 'a11ce000-0a00-4294-8000-000000000003' returning started_at, completed_at $$,
  $$ values ('2025-08-02 09:00+00'::timestamptz, null::timestamptz) $$,
  'values: a reopened adoption keeps when it started and is no longer completed'
);

-- Progress
select results_eq(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id, status, completed_at)
     values (tests.user_id_for('alice'), 'a11ce000-0a00-4294-8000-000000000001', 'aaaaaaaa-0294-4000-8000-000000000001',
             'cccccccc-0294-4000-8000-000000000003', 'completed', '1970-01-01 00:00+00')
     returning completed_at = now() $$,
  $$ values (true) $$,
  'values: a step recorded as completed is completed now, not in 1970'
);
select results_eq(
  $$ update public.automation_progress set status = 'completed', completed_at = 'infinity'
     where id = 'a11ce000-0b00-4294-8000-000000000001' returning completed_at = now() $$,
  $$ values (true) $$,
  'values: a step completed is completed now, not at infinity'
);
select results_eq(
  $$ update public.automation_progress set completed_at = '-infinity'
     where id = 'a11ce000-0b00-4294-8000-000000000002' returning completed_at $$,
  $$ values ('2025-08-02 10:00+00'::timestamptz) $$,
  'values: a completed step''s completion time cannot be moved'
);
select results_eq(
  $$ update public.automation_progress set status = 'in_progress', completed_at = '2025-08-03 10:00+00'
     where id = 'a11ce000-0b00-4294-8000-000000000002' returning completed_at $$,
  $$ values (null::timestamptz) $$,
  'values: a step back in progress is no longer completed'
);

-- Questionnaire sessions
select results_eq(
  $$ insert into public.questionnaire_sessions (user_id, status, current_step, started_at, completed_at)
     values (tests.user_id_for('alice'), 'completed', 8, '1990-01-01 00:00+00', '2099-01-01 00:00+00')
     returning started_at = now(), completed_at = now() $$,
  $$ values (true, true) $$,
  'values: a session starts when it is created and completes now, not in 2099'
);
select results_eq(
  $$ insert into public.questionnaire_sessions (user_id, completed_at)
     values (tests.user_id_for('alice'), '2099-01-01 00:00+00')
     returning completed_at is null $$,
  $$ values (true) $$,
  'values: a session in progress has no completion time'
);
select results_eq(
  $$ update public.questionnaire_sessions set started_at = '1990-01-01 00:00+00'
     where id = 'a11ce000-5e55-4294-8000-000000000001' returning started_at $$,
  $$ values ('2025-08-01 09:00+00'::timestamptz) $$,
  'values: a user cannot rewrite when their session started'
);
select results_eq(
  $$ update public.questionnaire_sessions set status = 'completed', completed_at = '2099-01-01 00:00+00'
     where id = 'a11ce000-5e55-4294-8000-000000000001' returning started_at, completed_at = now() $$,
  $$ values ('2025-08-01 09:00+00'::timestamptz, true) $$,
  'values: a session completed is completed now, and keeps when it started'
);
select results_eq(
  $$ update public.questionnaire_sessions set completed_at = '2099-01-01 00:00+00'
     where id = 'a11ce000-5e55-4294-8000-000000000001' returning completed_at = now() $$,
  $$ values (true) $$,
  'values: a completed session''s completion time cannot be moved'
);
select results_eq(
  $$ update public.questionnaire_sessions set status = 'abandoned'
     where id = 'a11ce000-5e55-4294-8000-000000000001' returning completed_at is null $$,
  $$ values (true) $$,
  'values: an abandoned session is no longer completed'
);

-- Weekly discoveries
select results_eq(
  $$ update public.weekly_discoveries set viewed_at = '1970-01-01 00:00+00'
     where id = 'a11ce000-d15c-4294-8000-000000000001' returning viewed_at = now() $$,
  $$ values (true) $$,
  'values: marking a discovery viewed records now, not a time before it was generated'
);
select results_eq(
  $$ update public.weekly_discoveries set viewed_at = 'infinity'
     where id = 'a11ce000-d15c-4294-8000-000000000002' returning viewed_at $$,
  $$ values ('2025-08-12 19:40+00'::timestamptz) $$,
  'values: a discovery is viewed once: its first view''s time cannot be moved'
);
select results_eq(
  $$ update public.weekly_discoveries set viewed_at = null
     where id = 'a11ce000-d15c-4294-8000-000000000002' returning viewed_at $$,
  $$ values ('2025-08-12 19:40+00'::timestamptz) $$,
  'values: a viewed discovery cannot be made unviewed'
);
select throws_ok(
  $$ update public.weekly_discoveries set viewed_at = now()
     where id = 'a11ce000-d15c-4294-8000-000000000003' $$,
  '55000', 'weekly discovery a11ce000-d15c-4294-8000-000000000003 is generating: only a ready discovery can be marked viewed',
  'values: a discovery still generating cannot be marked viewed'
);

-- ============================================================================
-- 2. A session's step is one of the questionnaire's 8
-- ============================================================================
select throws_ok(
  $$ update public.questionnaire_sessions set current_step = 2147483647
     where id = 'a11ce000-5e55-4294-8000-000000000001' $$,
  '23514', 'new row for relation "questionnaire_sessions" violates check constraint "questionnaire_sessions_current_step_max_check"',
  'values: a session''s step cannot be 2147483647'
);
select throws_ok(
  $$ update public.questionnaire_sessions set current_step = 9
     where id = 'a11ce000-5e55-4294-8000-000000000001' $$,
  '23514', 'new row for relation "questionnaire_sessions" violates check constraint "questionnaire_sessions_current_step_max_check"',
  'values: a session''s step cannot pass the questionnaire''s last, 8'
);
select results_eq(
  $$ update public.questionnaire_sessions set current_step = 8
     where id = 'a11ce000-5e55-4294-8000-000000000001' returning current_step $$,
  $$ values (8) $$,
  'values: a session reaches the questionnaire''s last step, 8'
);

-- ============================================================================
-- 3. Text arrays are lists
-- ============================================================================
select throws_ok(
  $$ update public.user_profiles set current_tools = '{{Stripe,Slack},{Zapier,Make}}'
     where user_id = tests.user_id_for('alice') $$,
  '23514', 'new row for relation "user_profiles" violates check constraint "user_profiles_current_tools_elements_check"',
  'values: a user''s tools are a list, not a two-dimensional array'
);
select throws_ok(
  $$ update public.user_profiles set current_tools = '{Stripe,NULL}' where user_id = tests.user_id_for('alice') $$,
  '23514', 'new row for relation "user_profiles" violates check constraint "user_profiles_current_tools_elements_check"',
  'values: a user''s tools have no NULL element'
);
select throws_ok(
  $$ update public.user_profiles set current_tools = '{Stripe,""}' where user_id = tests.user_id_for('alice') $$,
  '23514', 'new row for relation "user_profiles" violates check constraint "user_profiles_current_tools_elements_check"',
  'values: a user''s tools have no empty element'
);
select throws_ok(
  $$ update public.user_profiles set goals = '{{grow},{sell}}' where user_id = tests.user_id_for('alice') $$,
  '23514', 'new row for relation "user_profiles" violates check constraint "user_profiles_goals_elements_check"',
  'values: a user''s goals are a list, not a two-dimensional array'
);
select throws_ok(
  $$ update public.user_profiles set goals = '{NULL,""}' where user_id = tests.user_id_for('alice') $$,
  '23514', 'new row for relation "user_profiles" violates check constraint "user_profiles_goals_elements_check"',
  'values: a user''s goals have no NULL or empty element (the review''s {NULL,""})'
);
select results_eq(
  $$ update public.user_profiles set current_tools = '{Stripe,Slack}', goals = '{}'
     where user_id = tests.user_id_for('alice') returning current_tools, goals $$,
  $$ values ('{Stripe,Slack}'::text[], '{}'::text[]) $$,
  'values: a list of tools and an empty list of goals are accepted'
);

select tests.authenticate_as('ada');

select throws_ok(
  $$ update public.automations set tags = '{{billing},{stripe}}' where id = 'aaaaaaaa-0294-4000-8000-000000000001' $$,
  '23514', 'new row for relation "automations" violates check constraint "automations_tags_elements_check"',
  'values: an automation''s tags are a list, not a two-dimensional array'
);
select results_eq(
  $$ update public.automations set tags = '{billing,stripe}' where id = 'aaaaaaaa-0294-4000-8000-000000000001' returning tags $$,
  $$ values ('{billing,stripe}'::text[]) $$,
  'values: a list of tags is accepted'
);

select tests.clear_authentication();

select is_empty(
  $$ select c.relname::text || '.' || a.attname::text
     from pg_catalog.pg_attribute a
     join pg_catalog.pg_class c on c.oid = a.attrelid
     join pg_catalog.pg_type t on t.oid = a.atttypid
     cross join (values ('anon'), ('authenticated')) as r (role)
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and a.attnum > 0 and not a.attisdropped and t.typcategory = 'A'
       and has_column_privilege(r.role, c.oid, a.attnum, 'insert, update')
       and not exists (
         select 1 from pg_catalog.pg_constraint k
         where k.conrelid = c.oid and k.contype = 'c' and k.conkey = array[a.attnum]
           and pg_catalog.pg_get_constraintdef(k.oid) ~ 'array_ndims\(' and pg_catalog.pg_get_constraintdef(k.oid) ~ 'array_position\('
       )
     group by 1 order by 1 $$,
  'values: every array column a browser may write is checked to be a list without NULL or empty elements'
);

-- ============================================================================
-- 4. JSON nested at most 16 levels deep
-- ============================================================================
select is_empty(
  $$ select c.relname::text || '.' || a.attname::text
     from pg_catalog.pg_attribute a
     join pg_catalog.pg_class c on c.oid = a.attrelid
     cross join (values ('anon'), ('authenticated')) as r (role)
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and a.attnum > 0 and not a.attisdropped and a.atttypid in ('json'::regtype, 'jsonb'::regtype)
       and has_column_privilege(r.role, c.oid, a.attnum, 'insert, update')
       and not exists (
         select 1 from pg_catalog.pg_constraint k
         where k.conrelid = c.oid and k.contype = 'c' and k.conkey = array[a.attnum]
           and pg_catalog.pg_get_constraintdef(k.oid) ~ 'jsonb_depth_at_most\('
       )
     group by 1 order by 1 $$,
  'values: every JSON column a browser may write has a limit on its nesting depth'
);

select tests.authenticate_as('alice');

select throws_ok(
  $$ update public.questionnaire_responses set answer = (repeat('[', 8000) || repeat(']', 8000))::jsonb
     where id = 'a11ce000-7e50-4294-8000-000000000001' $$,
  '23514', 'new row for relation "questionnaire_responses" violates check constraint "questionnaire_responses_answer_depth_check"',
  'values: an answer nested 8,000 levels deep (16,000 bytes, within the size limit) is refused'
);
select throws_ok(
  $$ update public.questionnaire_sessions set ai_context = ('{"a":' || repeat('[', 12000) || repeat(']', 12000) || '}')::jsonb
     where id = 'a11ce000-5e55-4294-8000-000000000001' $$,
  '23514', 'new row for relation "questionnaire_sessions" violates check constraint "questionnaire_sessions_ai_context_depth_check"',
  'values: ai_context nested 12,000 levels deep is refused by the depth check, which does not exhaust the stack'
);
select lives_ok(
  $$ update public.questionnaire_sessions set ai_context = ('{"a":' || repeat('[', 15) || repeat(']', 15) || '}')::jsonb
     where id = 'a11ce000-5e55-4294-8000-000000000001' $$,
  'values: ai_context nested 16 levels deep is accepted'
);
select throws_ok(
  $$ update public.questionnaire_sessions set ai_context = ('{"a":' || repeat('[', 16) || repeat(']', 16) || '}')::jsonb
     where id = 'a11ce000-5e55-4294-8000-000000000001' $$,
  '23514', 'new row for relation "questionnaire_sessions" violates check constraint "questionnaire_sessions_ai_context_depth_check"',
  'values: ai_context nested 17 levels deep is refused'
);
select lives_ok(
  $$ update public.questionnaire_responses
     set answer = '{"tools": [{"name": "Stripe", "uses": ["invoices", {"plan": {"tier": "pro"}}]}], "note": "x"}'
     where id = 'a11ce000-7e50-4294-8000-000000000001' $$,
  'values: an answer of objects and lists within the limit is accepted'
);

select tests.clear_authentication();

select results_eq(
  $$ select private.jsonb_depth_at_most(d::jsonb, 2)
     from (values ('1'), ('[]'), ('{}'), ('[[1]]'), ('{"a": {"b": 1}}'), ('[[[]]]'), ('{"a": [{}]}'), ('[1, [2, [3]]]')) as v (d) $$,
  $$ values (true), (true), (true), (true), (true), (false), (false), (false) $$,
  'values: the depth counts nested objects and arrays, both ways (a scalar 0, [] and {} 1)'
);
select is(
  private.jsonb_depth_at_most((repeat('[', 12000) || repeat(']', 12000))::jsonb, 16),
  false,
  'values: the depth check walks 12,000 levels without recursing'
);

-- ============================================================================
-- 5. match_automations refuses an embedding without a direction
-- ============================================================================
select tests.authenticate_as_anon();

select throws_ok(
  $$ select * from public.match_automations(array_fill(0, array[1536])::real[]::extensions.vector) $$,
  '22023', 'match_automations: query_embedding has no direction (all zeros, or elements too small or too large to measure), so it has no cosine distance to any automation',
  'values: match_automations refuses an all-zero embedding, which has no similarity to anything (NaN)'
);
select throws_ok(
  $$ select * from public.match_automations(('{1e-30}'::real[] || array_fill(0, array[1535])::real[])::extensions.vector) $$,
  '22023', 'match_automations: query_embedding has no direction (all zeros, or elements too small or too large to measure), so it has no cosine distance to any automation',
  'values: match_automations refuses an embedding too small to measure'
);
select throws_ok(
  $$ select * from public.match_automations(array_fill(1e38, array[1536])::real[]::extensions.vector) $$,
  '22023', 'match_automations: query_embedding has no direction (all zeros, or elements too small or too large to measure), so it has no cosine distance to any automation',
  'values: match_automations refuses an embedding too large to measure'
);
select lives_ok(
  $$ select * from public.match_automations(('{1e-3}'::real[] || array_fill(0, array[1535])::real[])::extensions.vector) $$,
  'values: match_automations takes a small embedding with a direction'
);

-- ============================================================================
-- MAINTAIN, as postgres: no API role holds it on any table in public
-- ============================================================================
select tests.clear_authentication();

select is_empty(
  $$ select c.relname, r.role
     from pg_catalog.pg_class c
     cross join (values ('anon'), ('authenticated')) as r (role)
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f')
       and current_setting('server_version_num')::integer >= 170000
       and has_table_privilege(r.role, c.oid,
             case when current_setting('server_version_num')::integer >= 170000 then 'maintain' else 'select' end) $$,
  'values: anon and authenticated hold MAINTAIN on no table in public (PostgreSQL 17 and later; 15 and 16 have no such privilege)'
);

-- ============================================================================
-- As postgres: the backend still writes history with its own times
-- ============================================================================
select results_eq(
  $$ update public.user_automations set status = 'completed', completed_at = '2025-08-20 09:00+00'
     where id = 'a11ce000-0a00-4294-8000-000000000002' returning completed_at $$,
  $$ values ('2025-08-20 09:00+00'::timestamptz) $$,
  'values: the owner of the schema (migrations, seed) and service_role write the times they are given'
);

select * from finish();
rollback;
