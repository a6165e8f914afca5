-- Row level security: user_automations and automation_progress.
--
-- The RLS matrix (270_rls_matrix.sql) states who may select, insert, update
-- and delete which adoptions and progress rows, down to the only columns of
-- user_automations a user may update (so not user_id), and proves that anon
-- holds no privilege on either table: its refusals are not repeated here. This
-- file follows the actors through writes with values: which rows each one
-- sees, that progress can never be put under someone else, what refused and
-- filtered writes leave behind, and that every row stays under its owner.
begin;
select plan(40);

-- ============================================================================
-- Fixtures, as postgres
-- ============================================================================
select tests.create_user('alice');
select tests.create_user('bob');
select tests.create_user('ada', 'admin');
select tests.create_user('eve');

insert into public.automations (id, slug, title, summary, category, difficulty, published) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'invoice-reminders', 'Invoice reminders', 'Chase unpaid invoices.', 'finance', 'easy', true),
  ('aaaaaaaa-0000-4000-8000-000000000002', 'lead-scoring', 'Lead scoring', 'Rank leads.', 'sales', 'medium', true);

insert into public.implementation_steps (id, automation_id, step_number, title, instructions) values
  ('cccccccc-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000001', 1, 'Connect Stripe', 'Paste the key.'),
  ('cccccccc-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000001', 2, 'Write the email', 'Be polite.'),
  ('cccccccc-0000-4000-8000-000000000003', 'aaaaaaaa-0000-4000-8000-000000000002', 1, 'Connect the CRM', 'Log in.');

insert into public.user_automations (id, user_id, automation_id, status) values
  ('a11ce000-0a00-4000-8000-000000000001', tests.user_id_for('alice'), 'aaaaaaaa-0000-4000-8000-000000000001', 'in_progress'),
  ('b0b00000-0a00-4000-8000-000000000001', tests.user_id_for('bob'), 'aaaaaaaa-0000-4000-8000-000000000001', 'in_progress'),
  ('e0e00000-0a00-4000-8000-000000000001', tests.user_id_for('eve'), 'aaaaaaaa-0000-4000-8000-000000000002', 'saved');

insert into public.automation_progress (id, user_id, user_automation_id, automation_id, step_id, status) values
  ('a11ce000-0b00-4000-8000-000000000001', tests.user_id_for('alice'), 'a11ce000-0a00-4000-8000-000000000001',
   'aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000001', 'in_progress'),
  ('b0b00000-0b00-4000-8000-000000000001', tests.user_id_for('bob'), 'b0b00000-0a00-4000-8000-000000000001',
   'aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000001', 'in_progress'),
  ('e0e00000-0b00-4000-8000-000000000001', tests.user_id_for('eve'), 'e0e00000-0a00-4000-8000-000000000001',
   'aaaaaaaa-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000003', 'not_started');

-- ============================================================================
-- owner
-- ============================================================================
select tests.authenticate_as('alice');

select results_eq(
  $$ select id from public.user_automations $$,
  $$ values ('a11ce000-0a00-4000-8000-000000000001'::uuid) $$,
  'a user sees only their own adopted automations'
);
select results_eq(
  $$ select id from public.automation_progress $$,
  $$ values ('a11ce000-0b00-4000-8000-000000000001'::uuid) $$,
  'a user sees only their own progress'
);
-- The server picks the ids of new rows (292_rls_attacks_hardening.sql): the
-- new adoption is alice's of lead-scoring.
select results_eq(
  $$ insert into public.user_automations (user_id, automation_id)
     values (tests.user_id_for('alice'), 'aaaaaaaa-0000-4000-8000-000000000002')
     returning automation_id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000002'::uuid) $$,
  'a user adopts an automation'
);
select results_eq(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
     select user_id, id, automation_id, 'cccccccc-0000-4000-8000-000000000003' from public.user_automations
     where automation_id = 'aaaaaaaa-0000-4000-8000-000000000002'
     returning step_id $$,
  $$ values ('cccccccc-0000-4000-8000-000000000003'::uuid) $$,
  'a user records progress on their own adopted automation'
);
select results_eq(
  $$ update public.user_automations set status = 'in_progress', started_at = '2025-08-12 09:00+00'
     where automation_id = 'aaaaaaaa-0000-4000-8000-000000000002' returning status $$,
  $$ values ('in_progress') $$,
  'a user changes the status of their own adopted automation'
);
select results_eq(
  $$ update public.automation_progress set status = 'completed', completed_at = '2025-08-12 10:00+00'
     where id = 'a11ce000-0b00-4000-8000-000000000001' returning status $$,
  $$ values ('completed') $$,
  'a user completes a step of their own adopted automation'
);
select throws_ok(
  $$ insert into public.user_automations (user_id, automation_id)
     values (tests.user_id_for('bob'), 'aaaaaaaa-0000-4000-8000-000000000002') $$,
  '42501', 'new row violates row-level security policy for table "user_automations"',
  'a user cannot adopt an automation in another user''s name'
);
select throws_ok(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
     values (tests.user_id_for('bob'), 'b0b00000-0a00-4000-8000-000000000001',
             'aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000002') $$,
  '42501', 'new row violates row-level security policy for table "automation_progress"',
  'a user cannot record progress in another user''s name'
);
select throws_ok(
  $$ update public.automation_progress
     set user_id = tests.user_id_for('bob'), user_automation_id = 'b0b00000-0a00-4000-8000-000000000001'
     where id = 'a11ce000-0b00-4000-8000-000000000001' $$,
  '42501', 'new row violates row-level security policy for table "automation_progress"',
  'a user cannot move their progress to another user'
);
select results_eq(
  $$ delete from public.automation_progress where step_id = 'cccccccc-0000-4000-8000-000000000003' returning step_id $$,
  $$ values ('cccccccc-0000-4000-8000-000000000003'::uuid) $$,
  'a user deletes their own progress'
);
select results_eq(
  $$ delete from public.user_automations where automation_id = 'aaaaaaaa-0000-4000-8000-000000000002' returning automation_id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000002'::uuid) $$,
  'a user deletes their own adopted automation'
);

-- ============================================================================
-- another user: bob acting on alice's adoption and progress
-- ============================================================================
select tests.authenticate_as('bob');

select is_empty(
  $$ select * from public.user_automations where user_id = tests.user_id_for('alice') $$,
  'a user cannot read another user''s adopted automations'
);
select is_empty(
  $$ select * from public.automation_progress where user_id = tests.user_id_for('alice') $$,
  'a user cannot read another user''s progress'
);
select is_empty(
  $$ update public.user_automations set status = 'abandoned'
     where id = 'a11ce000-0a00-4000-8000-000000000001' returning id $$,
  'a user''s update of another user''s adopted automation changes no row'
);
select is_empty(
  $$ update public.automation_progress set status = 'skipped'
     where id = 'a11ce000-0b00-4000-8000-000000000001' returning id $$,
  'a user''s update of another user''s progress changes no row'
);
select is_empty(
  $$ delete from public.automation_progress where id = 'a11ce000-0b00-4000-8000-000000000001' returning id $$,
  'a user''s delete of another user''s progress removes no row'
);
select is_empty(
  $$ delete from public.user_automations where id = 'a11ce000-0a00-4000-8000-000000000001' returning id $$,
  'a user''s delete of another user''s adopted automation removes no row'
);

-- ============================================================================
-- another user writing blind: eve updates and deletes with no where and no
-- returning clause. Such a statement reads no column, so no select policy
-- filters it: the update and delete policies alone must keep eve to her own
-- rows, and their with check must keep her rows hers.
-- ============================================================================
select tests.authenticate_as('eve');

select throws_ok(
  $$ update public.automation_progress set user_id = tests.user_id_for('bob') $$,
  '42501', 'new row violates row-level security policy for table "automation_progress"',
  'a user''s blind update cannot move their progress to another user'
);
select lives_ok(
  $$ update public.user_automations set status = 'abandoned' $$,
  'a user''s blind update of every adopted automation changes only their own'
);
select lives_ok(
  $$ update public.automation_progress set notes = 'Eve was here' $$,
  'a user''s blind update of all progress changes only their own'
);
select lives_ok(
  $$ delete from public.automation_progress $$,
  'a user''s blind delete of all progress removes only their own'
);
select lives_ok(
  $$ delete from public.user_automations $$,
  'a user''s blind delete of every adopted automation removes only their own'
);

select tests.clear_authentication();

select results_eq(
  $$ select u.status, p.status
     from public.user_automations u join public.automation_progress p on p.user_automation_id = u.id
     where u.id = 'a11ce000-0a00-4000-8000-000000000001' $$,
  $$ values ('in_progress', 'completed') $$,
  'another user''s attempts leave the adopted automation and its progress unchanged'
);

-- ============================================================================
-- admin
-- ============================================================================
select tests.authenticate_as('ada');

select results_eq(
  $$ select id from public.user_automations
     where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob')) order by id $$,
  $$ values ('a11ce000-0a00-4000-8000-000000000001'::uuid), ('b0b00000-0a00-4000-8000-000000000001'::uuid) $$,
  'an admin reads every adopted automation'
);
select results_eq(
  $$ select id from public.automation_progress
     where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob')) order by id $$,
  $$ values ('a11ce000-0b00-4000-8000-000000000001'::uuid), ('b0b00000-0b00-4000-8000-000000000001'::uuid) $$,
  'an admin reads all progress'
);
-- The new adoption is bob's of lead-scoring (the server picks its id).
select results_eq(
  $$ insert into public.user_automations (user_id, automation_id)
     values (tests.user_id_for('bob'), 'aaaaaaaa-0000-4000-8000-000000000002')
     returning user_id, automation_id $$,
  $$ values (tests.user_id_for('bob'), 'aaaaaaaa-0000-4000-8000-000000000002'::uuid) $$,
  'an admin adopts an automation for another user'
);
select results_eq(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
     select user_id, id, automation_id, 'cccccccc-0000-4000-8000-000000000003' from public.user_automations
     where user_id = tests.user_id_for('bob') and automation_id = 'aaaaaaaa-0000-4000-8000-000000000002'
     returning user_id, step_id $$,
  $$ values (tests.user_id_for('bob'), 'cccccccc-0000-4000-8000-000000000003'::uuid) $$,
  'an admin records progress for another user'
);
select results_eq(
  $$ update public.user_automations set status = 'abandoned'
     where id = 'b0b00000-0a00-4000-8000-000000000001' returning status $$,
  $$ values ('abandoned') $$,
  'an admin changes another user''s adopted automation'
);
select results_eq(
  $$ update public.automation_progress set notes = 'Helped on the phone'
     where id = 'b0b00000-0b00-4000-8000-000000000001' returning notes $$,
  $$ values ('Helped on the phone') $$,
  'an admin changes another user''s progress'
);
select results_eq(
  $$ delete from public.automation_progress
     where user_id = tests.user_id_for('bob') and step_id = 'cccccccc-0000-4000-8000-000000000003' returning step_id $$,
  $$ values ('cccccccc-0000-4000-8000-000000000003'::uuid) $$,
  'an admin deletes another user''s progress'
);
select results_eq(
  $$ delete from public.user_automations
     where user_id = tests.user_id_for('bob') and automation_id = 'aaaaaaaa-0000-4000-8000-000000000002' returning automation_id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000002'::uuid) $$,
  'an admin deletes another user''s adopted automation'
);

-- ============================================================================
-- service_role
-- ============================================================================
select tests.authenticate_as_service_role();

select is(
  (select count(*) from public.user_automations
   where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'))), 2::bigint,
  'the service role reads every adopted automation'
);
select is(
  (select count(*) from public.automation_progress
   where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'))), 2::bigint,
  'the service role reads all progress'
);
select results_eq(
  $$ insert into public.user_automations (id, user_id, automation_id)
     values ('b0b00000-0a00-4000-8000-000000000003', tests.user_id_for('bob'), 'aaaaaaaa-0000-4000-8000-000000000002')
     returning id $$,
  $$ values ('b0b00000-0a00-4000-8000-000000000003'::uuid) $$,
  'the service role adopts an automation for a user'
);
select results_eq(
  $$ insert into public.automation_progress (id, user_id, user_automation_id, automation_id, step_id)
     values ('b0b00000-0b00-4000-8000-000000000003', tests.user_id_for('bob'), 'b0b00000-0a00-4000-8000-000000000003',
             'aaaaaaaa-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000003')
     returning id $$,
  $$ values ('b0b00000-0b00-4000-8000-000000000003'::uuid) $$,
  'the service role records progress for a user'
);
select results_eq(
  $$ update public.user_automations set status = 'in_progress'
     where id = 'b0b00000-0a00-4000-8000-000000000003' returning status $$,
  $$ values ('in_progress') $$,
  'the service role changes an adopted automation'
);
select results_eq(
  $$ update public.automation_progress set status = 'skipped'
     where id = 'b0b00000-0b00-4000-8000-000000000003' returning status $$,
  $$ values ('skipped') $$,
  'the service role changes progress'
);
select results_eq(
  $$ delete from public.automation_progress where id = 'b0b00000-0b00-4000-8000-000000000003' returning id $$,
  $$ values ('b0b00000-0b00-4000-8000-000000000003'::uuid) $$,
  'the service role deletes progress'
);
select results_eq(
  $$ delete from public.user_automations where id = 'b0b00000-0a00-4000-8000-000000000003' returning id $$,
  $$ values ('b0b00000-0a00-4000-8000-000000000003'::uuid) $$,
  'the service role deletes an adopted automation'
);

select tests.clear_authentication();

-- ============================================================================
-- As postgres, the end state: what was refused left no trace.
-- ============================================================================
select results_eq(
  $$ select u.id, u.user_id, u.status, p.user_id, p.status, p.notes
     from public.user_automations u join public.automation_progress p on p.user_automation_id = u.id
     where u.user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'))
     order by u.id $$,
  $$ values
       ('a11ce000-0a00-4000-8000-000000000001'::uuid, tests.user_id_for('alice'), 'in_progress',
        tests.user_id_for('alice'), 'completed', null::text),
       ('b0b00000-0a00-4000-8000-000000000001'::uuid, tests.user_id_for('bob'), 'abandoned',
        tests.user_id_for('bob'), 'in_progress', 'Helped on the phone') $$,
  'only the allowed changes reached adoptions and progress, each still under its owner'
);

select * from finish();
rollback;
