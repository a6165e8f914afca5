-- Row level security: the catalogue (automations, automation_tools,
-- implementation_steps, step_media).
--
-- The RLS matrix (270_rls_matrix.sql) states who may select, insert, update
-- and delete which catalogue rows, and proves that anon holds no privilege to
-- write them: its refusals are not repeated here. This file follows the actors
-- through a published automation and a draft: which rows each one sees, that a
-- signed-in user's writes are refused by the policies (with their message) or
-- filtered to nothing and leave the catalogue as it was, and what an admin
-- and service_role write.
begin;
select plan(53);

-- ============================================================================
-- Fixtures, as postgres: one published automation and one draft, each with a
-- tool, a step and a medium.
-- ============================================================================
select tests.create_user('alice');
select tests.create_user('ada', 'admin');

insert into public.automations (id, slug, title, summary, category, difficulty, published) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'invoice-reminders', 'Invoice reminders', 'Chase unpaid invoices.', 'finance', 'easy', true),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'draft-chatbot', 'Support chatbot', 'Not ready yet.', 'customer-support', 'hard', false);

insert into public.automation_tools (id, automation_id, name) values
  ('bbbbbbbb-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000001', 'Stripe'),
  ('bbbbbbbb-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000002', 'OpenAI');

insert into public.implementation_steps (id, automation_id, step_number, title, instructions) values
  ('cccccccc-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000001', 1, 'Connect Stripe', 'Paste the key.'),
  ('cccccccc-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000002', 1, 'Train the bot', 'Upload the FAQ.');

insert into public.step_media (id, step_id, media_type, url) values
  ('dddddddd-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000001', 'image', 'https://cdn.example.com/stripe.png'),
  ('dddddddd-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000002', 'video', 'https://cdn.example.com/bot.mp4');

-- ============================================================================
-- anon: reads the published catalogue only
-- ============================================================================
select tests.authenticate_as_anon();

select results_eq(
  $$ select slug from public.automations
     where id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002') $$,
  $$ values ('invoice-reminders') $$,
  'a signed-out visitor sees published automations and no draft'
);
select results_eq(
  $$ select name from public.automation_tools
     where automation_id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002') $$,
  $$ values ('Stripe') $$,
  'a signed-out visitor sees the tools of published automations only'
);
select results_eq(
  $$ select title from public.implementation_steps
     where automation_id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002') $$,
  $$ values ('Connect Stripe') $$,
  'a signed-out visitor sees the steps of published automations only'
);
select results_eq(
  $$ select url from public.step_media
     where step_id in ('cccccccc-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000002') $$,
  $$ values ('https://cdn.example.com/stripe.png') $$,
  'a signed-out visitor sees the media of published automations only'
);

-- ============================================================================
-- a signed-in user who is not an admin: reads the published catalogue only,
-- writes nothing
-- ============================================================================
select tests.authenticate_as('alice');

select results_eq(
  $$ select slug from public.automations
     where id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002') $$,
  $$ values ('invoice-reminders') $$,
  'a user sees published automations and no draft'
);
select results_eq(
  $$ select name from public.automation_tools
     where automation_id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002') $$,
  $$ values ('Stripe') $$,
  'a user sees the tools of published automations only'
);
select results_eq(
  $$ select title from public.implementation_steps
     where automation_id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002') $$,
  $$ values ('Connect Stripe') $$,
  'a user sees the steps of published automations only'
);
select results_eq(
  $$ select url from public.step_media
     where step_id in ('cccccccc-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000002') $$,
  $$ values ('https://cdn.example.com/stripe.png') $$,
  'a user sees the media of published automations only'
);
select throws_ok(
  $$ insert into public.automations (slug, title, summary, category, difficulty)
     values ('spam', 'Spam', 'Spam.', 'sales', 'easy') $$,
  '42501', 'new row violates row-level security policy for table "automations"',
  'a user cannot create an automation'
);
select throws_ok(
  $$ insert into public.automation_tools (automation_id, name) values ('aaaaaaaa-0000-4000-8000-000000000001', 'Spam') $$,
  '42501', 'new row violates row-level security policy for table "automation_tools"',
  'a user cannot add a tool to an automation'
);
select throws_ok(
  $$ insert into public.implementation_steps (automation_id, step_number, title, instructions)
     values ('aaaaaaaa-0000-4000-8000-000000000001', 2, 'Spam', 'Spam.') $$,
  '42501', 'new row violates row-level security policy for table "implementation_steps"',
  'a user cannot add a step to an automation'
);
select throws_ok(
  $$ insert into public.step_media (step_id, media_type, url, position)
     values ('cccccccc-0000-4000-8000-000000000001', 'image', 'https://evil.example.com/x.png', 2) $$,
  '42501', 'new row violates row-level security policy for table "step_media"',
  'a user cannot add a medium to a step'
);
select is_empty(
  $$ update public.automations set title = 'Defaced' returning id $$,
  'a user''s update of an automation changes no row'
);
select is_empty(
  $$ update public.automation_tools set name = 'Defaced' returning id $$,
  'a user''s update of a tool changes no row'
);
select is_empty(
  $$ update public.implementation_steps set title = 'Defaced' returning id $$,
  'a user''s update of a step changes no row'
);
select is_empty(
  $$ update public.step_media set caption = 'Defaced' returning id $$,
  'a user''s update of a medium changes no row'
);
select is_empty(
  $$ delete from public.step_media returning id $$,
  'a user''s delete of a medium removes no row'
);
select is_empty(
  $$ delete from public.implementation_steps returning id $$,
  'a user''s delete of a step removes no row'
);
select is_empty(
  $$ delete from public.automation_tools returning id $$,
  'a user''s delete of a tool removes no row'
);
select is_empty(
  $$ delete from public.automations returning id $$,
  'a user''s delete of an automation removes no row'
);

select tests.clear_authentication();

select results_eq(
  $$ select a.title, t.name, s.title, m.caption
     from public.automations a
     join public.automation_tools t on t.automation_id = a.id
     join public.implementation_steps s on s.automation_id = a.id
     join public.step_media m on m.step_id = s.id
     where a.id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002')
     order by a.slug $$,
  $$ values ('Support chatbot', 'OpenAI', 'Train the bot', null::text),
            ('Invoice reminders', 'Stripe', 'Connect Stripe', null::text) $$,
  'a user''s attempts leave the whole catalogue unchanged'
);

-- ============================================================================
-- admin: reads drafts too, and writes everything
-- ============================================================================
select tests.authenticate_as('ada');

select results_eq(
  $$ select slug from public.automations
     where id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002') order by slug $$,
  $$ values ('draft-chatbot'), ('invoice-reminders') $$,
  'an admin sees published and draft automations'
);
select results_eq(
  $$ select name from public.automation_tools
     where automation_id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002') order by name $$,
  $$ values ('OpenAI'), ('Stripe') $$,
  'an admin sees the tools of drafts too'
);
select results_eq(
  $$ select title from public.implementation_steps
     where automation_id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002') order by title $$,
  $$ values ('Connect Stripe'), ('Train the bot') $$,
  'an admin sees the steps of drafts too'
);
select results_eq(
  $$ select url from public.step_media
     where step_id in ('cccccccc-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000002') order by url $$,
  $$ values ('https://cdn.example.com/bot.mp4'), ('https://cdn.example.com/stripe.png') $$,
  'an admin sees the media of drafts too'
);
select results_eq(
  $$ insert into public.automations (id, slug, title, summary, category, difficulty)
     values ('aaaaaaaa-0000-4000-8000-000000000003', 'lead-scoring', 'Lead scoring', 'Rank leads.', 'sales', 'medium')
     returning slug $$,
  $$ values ('lead-scoring') $$,
  'an admin creates an automation'
);
select results_eq(
  $$ insert into public.automation_tools (id, automation_id, name)
     values ('bbbbbbbb-0000-4000-8000-000000000003', 'aaaaaaaa-0000-4000-8000-000000000003', 'HubSpot')
     returning name $$,
  $$ values ('HubSpot') $$,
  'an admin adds a tool to an automation'
);
select results_eq(
  $$ insert into public.implementation_steps (id, automation_id, step_number, title, instructions)
     values ('cccccccc-0000-4000-8000-000000000003', 'aaaaaaaa-0000-4000-8000-000000000003', 1, 'Connect HubSpot', 'Log in.')
     returning title $$,
  $$ values ('Connect HubSpot') $$,
  'an admin adds a step to an automation'
);
select results_eq(
  $$ insert into public.step_media (id, step_id, media_type, url)
     values ('dddddddd-0000-4000-8000-000000000003', 'cccccccc-0000-4000-8000-000000000003', 'gif', 'https://cdn.example.com/hubspot.gif')
     returning url $$,
  $$ values ('https://cdn.example.com/hubspot.gif') $$,
  'an admin adds a medium to a step'
);
select results_eq(
  $$ update public.automations set published = true
     where id = 'aaaaaaaa-0000-4000-8000-000000000002' returning published $$,
  $$ values (true) $$,
  'an admin publishes a draft automation'
);
select results_eq(
  $$ update public.automation_tools set pricing_note = 'Pay as you go'
     where id = 'bbbbbbbb-0000-4000-8000-000000000002' returning pricing_note $$,
  $$ values ('Pay as you go') $$,
  'an admin changes a tool'
);
select results_eq(
  $$ update public.implementation_steps set estimated_minutes = 20
     where id = 'cccccccc-0000-4000-8000-000000000002' returning estimated_minutes $$,
  $$ values (20) $$,
  'an admin changes a step'
);
select results_eq(
  $$ update public.step_media set caption = 'Walkthrough'
     where id = 'dddddddd-0000-4000-8000-000000000002' returning caption $$,
  $$ values ('Walkthrough') $$,
  'an admin changes a medium'
);
select results_eq(
  $$ delete from public.step_media where id = 'dddddddd-0000-4000-8000-000000000003' returning id $$,
  $$ values ('dddddddd-0000-4000-8000-000000000003'::uuid) $$,
  'an admin deletes a medium'
);
select results_eq(
  $$ delete from public.implementation_steps where id = 'cccccccc-0000-4000-8000-000000000003' returning id $$,
  $$ values ('cccccccc-0000-4000-8000-000000000003'::uuid) $$,
  'an admin deletes a step'
);
select results_eq(
  $$ delete from public.automation_tools where id = 'bbbbbbbb-0000-4000-8000-000000000003' returning id $$,
  $$ values ('bbbbbbbb-0000-4000-8000-000000000003'::uuid) $$,
  'an admin deletes a tool'
);
select results_eq(
  $$ delete from public.automations where id = 'aaaaaaaa-0000-4000-8000-000000000003' returning id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000003'::uuid) $$,
  'an admin deletes an automation'
);

-- ============================================================================
-- service_role: the backend reads and writes everything
-- ============================================================================
select tests.clear_authentication();
update public.automations set published = false where id = 'aaaaaaaa-0000-4000-8000-000000000002';
select tests.authenticate_as_service_role();

select is(
  (select count(*) from public.automations
   where id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002')), 2::bigint,
  'the service role sees published and draft automations'
);
select is(
  (select count(*) from public.automation_tools
   where automation_id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002')), 2::bigint,
  'the service role sees every tool'
);
select is(
  (select count(*) from public.implementation_steps
   where automation_id in ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002')), 2::bigint,
  'the service role sees every step'
);
select is(
  (select count(*) from public.step_media
   where step_id in ('cccccccc-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000002')), 2::bigint,
  'the service role sees every medium'
);
select results_eq(
  $$ insert into public.automations (id, slug, title, summary, category, difficulty)
     values ('aaaaaaaa-0000-4000-8000-000000000004', 'payroll-export', 'Payroll export', 'Export payroll.', 'hr', 'easy')
     returning slug $$,
  $$ values ('payroll-export') $$,
  'the service role creates an automation'
);
select results_eq(
  $$ insert into public.automation_tools (id, automation_id, name)
     values ('bbbbbbbb-0000-4000-8000-000000000004', 'aaaaaaaa-0000-4000-8000-000000000004', 'Gusto')
     returning name $$,
  $$ values ('Gusto') $$,
  'the service role adds a tool'
);
select results_eq(
  $$ insert into public.implementation_steps (id, automation_id, step_number, title, instructions)
     values ('cccccccc-0000-4000-8000-000000000004', 'aaaaaaaa-0000-4000-8000-000000000004', 1, 'Connect Gusto', 'Log in.')
     returning title $$,
  $$ values ('Connect Gusto') $$,
  'the service role adds a step'
);
select results_eq(
  $$ insert into public.step_media (id, step_id, media_type, url)
     values ('dddddddd-0000-4000-8000-000000000004', 'cccccccc-0000-4000-8000-000000000004', 'document', 'https://cdn.example.com/gusto.pdf')
     returning url $$,
  $$ values ('https://cdn.example.com/gusto.pdf') $$,
  'the service role adds a medium'
);
select results_eq(
  $$ update public.automations set title = 'Payroll to CSV'
     where id = 'aaaaaaaa-0000-4000-8000-000000000004' returning title $$,
  $$ values ('Payroll to CSV') $$,
  'the service role changes an automation'
);
select results_eq(
  $$ update public.automation_tools set required = false
     where id = 'bbbbbbbb-0000-4000-8000-000000000004' returning required $$,
  $$ values (false) $$,
  'the service role changes a tool'
);
select results_eq(
  $$ update public.implementation_steps set estimated_minutes = 5
     where id = 'cccccccc-0000-4000-8000-000000000004' returning estimated_minutes $$,
  $$ values (5) $$,
  'the service role changes a step'
);
select results_eq(
  $$ update public.step_media set caption = 'Sample'
     where id = 'dddddddd-0000-4000-8000-000000000004' returning caption $$,
  $$ values ('Sample') $$,
  'the service role changes a medium'
);
select results_eq(
  $$ delete from public.step_media where id = 'dddddddd-0000-4000-8000-000000000004' returning id $$,
  $$ values ('dddddddd-0000-4000-8000-000000000004'::uuid) $$,
  'the service role deletes a medium'
);
select results_eq(
  $$ delete from public.implementation_steps where id = 'cccccccc-0000-4000-8000-000000000004' returning id $$,
  $$ values ('cccccccc-0000-4000-8000-000000000004'::uuid) $$,
  'the service role deletes a step'
);
select results_eq(
  $$ delete from public.automation_tools where id = 'bbbbbbbb-0000-4000-8000-000000000004' returning id $$,
  $$ values ('bbbbbbbb-0000-4000-8000-000000000004'::uuid) $$,
  'the service role deletes a tool'
);
select results_eq(
  $$ delete from public.automations where id = 'aaaaaaaa-0000-4000-8000-000000000004' returning id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000004'::uuid) $$,
  'the service role deletes an automation'
);

select * from finish();
rollback;
