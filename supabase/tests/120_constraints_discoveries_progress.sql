-- Constraints, by behaviour: weekly discoveries and their recommendations,
-- user automations and their per-step progress, including the composite
-- foreign keys that keep a child's user_id (and automation) equal to its
-- parent's.

begin;
select plan(42);

-- ============================================================================
-- Fixtures (as postgres)
-- ============================================================================
insert into auth.users (id, aud, role, email) values
  ('12000000-0000-0000-0000-000000000001', 'authenticated', 'authenticated', 'discovery_owner@tests.local'),
  ('12000000-0000-0000-0000-000000000002', 'authenticated', 'authenticated', 'discovery_other@tests.local');

insert into public.automations (id, slug, title, summary, category, difficulty, published) values
  ('12000000-0000-0000-0000-000000000011', 'weekly-report', 'Weekly report', 'x', 'operations', 'easy', true),
  ('12000000-0000-0000-0000-000000000012', 'welcome-email', 'Welcome email', 'x', 'marketing', 'easy', true),
  ('12000000-0000-0000-0000-000000000013', 'churn-alert', 'Churn alert', 'x', 'customer-support', 'hard', true);

insert into public.implementation_steps (id, automation_id, step_number, title, instructions) values
  ('12000000-0000-0000-0000-000000000021', '12000000-0000-0000-0000-000000000011', 1, 'Pick the metrics', 'x'),
  ('12000000-0000-0000-0000-000000000022', '12000000-0000-0000-0000-000000000011', 2, 'Schedule it', 'x'),
  ('12000000-0000-0000-0000-000000000023', '12000000-0000-0000-0000-000000000012', 1, 'Write the email', 'x');

-- 2025-08-18 is a Monday.
insert into public.weekly_discoveries (id, user_id, week_of) values
  ('12000000-0000-0000-0000-000000000031', '12000000-0000-0000-0000-000000000001', '2025-08-18'),
  ('12000000-0000-0000-0000-000000000032', '12000000-0000-0000-0000-000000000002', '2025-08-18');

insert into public.discovered_automations (id, discovery_id, user_id, automation_id, rank, relevance_score) values
  ('12000000-0000-0000-0000-000000000041', '12000000-0000-0000-0000-000000000031', '12000000-0000-0000-0000-000000000001',
   '12000000-0000-0000-0000-000000000011', 1, 0.9);

insert into public.user_automations (id, user_id, automation_id) values
  ('12000000-0000-0000-0000-000000000051', '12000000-0000-0000-0000-000000000001', '12000000-0000-0000-0000-000000000011'),
  ('12000000-0000-0000-0000-000000000052', '12000000-0000-0000-0000-000000000002', '12000000-0000-0000-0000-000000000011');

insert into public.automation_progress (id, user_id, user_automation_id, automation_id, step_id) values
  ('12000000-0000-0000-0000-000000000061', '12000000-0000-0000-0000-000000000001', '12000000-0000-0000-0000-000000000051',
   '12000000-0000-0000-0000-000000000011', '12000000-0000-0000-0000-000000000021');

-- ============================================================================
-- weekly_discoveries
-- ============================================================================
select throws_ok(
  format($$ insert into public.weekly_discoveries (user_id, week_of) values ('12000000-0000-0000-0000-000000000001', %L) $$, d),
  '23514', 'new row for relation "weekly_discoveries" violates check constraint "weekly_discoveries_week_of_check"',
  format('a discovery cannot be for a week that does not start on a Monday (%s)', to_char(d, 'FMDay YYYY-MM-DD'))
) from unnest(array['2025-08-19', '2025-08-24']::date[]) d;
select lives_ok(
  $$ insert into public.weekly_discoveries (user_id, week_of) values ('12000000-0000-0000-0000-000000000001', '2025-08-25') $$,
  'a discovery may be for the week starting Monday 2025-08-25'
);
select throws_ok(
  $$ insert into public.weekly_discoveries (user_id, week_of) values ('12000000-0000-0000-0000-000000000001', '2025-08-18') $$,
  '23505', 'duplicate key value violates unique constraint "weekly_discoveries_user_id_week_of_key"',
  'a user cannot have two discoveries for the same week'
);
select throws_ok(
  $$ update public.weekly_discoveries set status = 'done' where id = '12000000-0000-0000-0000-000000000031' $$,
  '23514', 'new row for relation "weekly_discoveries" violates check constraint "weekly_discoveries_status_check"',
  'a discovery status outside pending, generating, ready and failed is refused'
);
select lives_ok(
  format($$ update public.weekly_discoveries set status = %L, generated_at = now() where id = '12000000-0000-0000-0000-000000000031' $$, v),
  format('a discovery status may be %s', v)
) from unnest(array['pending', 'generating', 'failed', 'ready']) v;
select throws_ok(
  $$ update public.weekly_discoveries set status = 'ready', generated_at = null where id = '12000000-0000-0000-0000-000000000031' $$,
  '23514', 'new row for relation "weekly_discoveries" violates check constraint "weekly_discoveries_generated_at_check"',
  'a discovery cannot be ready without a generation time'
);

-- ============================================================================
-- discovered_automations
-- ============================================================================
select throws_ok(
  $$ update public.discovered_automations set rank = 0 where id = '12000000-0000-0000-0000-000000000041' $$,
  '23514', 'new row for relation "discovered_automations" violates check constraint "discovered_automations_rank_check"',
  'ranks start at 1: rank 0 is refused'
);
select throws_ok(
  format($$ update public.discovered_automations set relevance_score = %s where id = '12000000-0000-0000-0000-000000000041' $$, s),
  '23514', 'new row for relation "discovered_automations" violates check constraint "discovered_automations_relevance_score_check"',
  format('a relevance score outside [0, 1] is refused (%s)', s)
) from unnest(array[1.5, -0.01]) s;
select lives_ok(
  format($$ update public.discovered_automations set relevance_score = %s where id = '12000000-0000-0000-0000-000000000041' $$, s),
  format('a relevance score may be %s, a bound of [0, 1]', s)
) from unnest(array[0, 1]) s;
select throws_ok(
  $$ update public.discovered_automations set reaction = 'liked' where id = '12000000-0000-0000-0000-000000000041' $$,
  '23514', 'new row for relation "discovered_automations" violates check constraint "discovered_automations_reaction_check"',
  'a reaction outside new, saved, dismissed and started is refused'
);
select lives_ok(
  format($$ update public.discovered_automations set reaction = %L where id = '12000000-0000-0000-0000-000000000041' $$, v),
  format('a reaction may be %s', v)
) from unnest(array['saved', 'dismissed', 'started', 'new']) v;
select throws_ok(
  $$ insert into public.discovered_automations (discovery_id, user_id, automation_id, rank, relevance_score)
     values ('12000000-0000-0000-0000-000000000031', '12000000-0000-0000-0000-000000000001', '12000000-0000-0000-0000-000000000011', 2, 0.5) $$,
  '23505', 'duplicate key value violates unique constraint "discovered_automations_discovery_id_automation_id_key"',
  'a discovery cannot recommend the same automation twice'
);
select throws_ok(
  $$ insert into public.discovered_automations (discovery_id, user_id, automation_id, rank, relevance_score)
     values ('12000000-0000-0000-0000-000000000031', '12000000-0000-0000-0000-000000000001', '12000000-0000-0000-0000-000000000012', 1, 0.5) $$,
  '23505', 'duplicate key value violates unique constraint "discovered_automations_discovery_id_rank_key"',
  'two recommendations of a discovery cannot share a rank'
);
select throws_ok(
  $$ insert into public.discovered_automations (discovery_id, user_id, automation_id, rank, relevance_score)
     values ('12000000-0000-0000-0000-000000000032', '12000000-0000-0000-0000-000000000001', '12000000-0000-0000-0000-000000000012', 1, 0.5) $$,
  '23503', 'insert or update on table "discovered_automations" violates foreign key constraint "discovered_automations_user_id_discovery_id_fkey"',
  'a recommendation cannot carry a user_id other than its discovery''s owner'
);

-- ============================================================================
-- user_automations
-- ============================================================================
select throws_ok(
  $$ update public.user_automations set status = 'paused' where id = '12000000-0000-0000-0000-000000000051' $$,
  '23514', 'new row for relation "user_automations" violates check constraint "user_automations_status_check"',
  'an adoption status outside saved, in_progress, completed and abandoned is refused'
);
select lives_ok(
  format($$ update public.user_automations set status = %L, started_at = now(), completed_at = now() where id = '12000000-0000-0000-0000-000000000051' $$, v),
  format('an adoption status may be %s', v)
) from unnest(array['in_progress', 'completed', 'abandoned', 'saved']) v;
select throws_ok(
  $$ update public.user_automations set status = 'completed', completed_at = null where id = '12000000-0000-0000-0000-000000000051' $$,
  '23514', 'new row for relation "user_automations" violates check constraint "user_automations_completed_at_check"',
  'a user automation cannot be completed without a completion time'
);
select throws_ok(
  $$ update public.user_automations set started_at = now(), completed_at = now() - interval '1 day' where id = '12000000-0000-0000-0000-000000000051' $$,
  '23514', 'new row for relation "user_automations" violates check constraint "user_automations_completed_after_start_check"',
  'a user automation cannot be completed before it started'
);
select throws_ok(
  $$ insert into public.user_automations (user_id, automation_id)
     values ('12000000-0000-0000-0000-000000000001', '12000000-0000-0000-0000-000000000011') $$,
  '23505', 'duplicate key value violates unique constraint "user_automations_user_id_automation_id_key"',
  'a user cannot adopt the same automation twice'
);

-- ============================================================================
-- automation_progress
-- ============================================================================
select throws_ok(
  $$ update public.automation_progress set status = 'done' where id = '12000000-0000-0000-0000-000000000061' $$,
  '23514', 'new row for relation "automation_progress" violates check constraint "automation_progress_status_check"',
  'a step status outside not_started, in_progress, completed and skipped is refused'
);
select lives_ok(
  format($$ update public.automation_progress set status = %L, completed_at = now() where id = '12000000-0000-0000-0000-000000000061' $$, v),
  format('a step status may be %s', v)
) from unnest(array['in_progress', 'completed', 'skipped', 'not_started']) v;
select throws_ok(
  $$ update public.automation_progress set status = 'completed', completed_at = null where id = '12000000-0000-0000-0000-000000000061' $$,
  '23514', 'new row for relation "automation_progress" violates check constraint "automation_progress_completed_at_check"',
  'a step cannot be completed without a completion time'
);
select throws_ok(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
     values ('12000000-0000-0000-0000-000000000001', '12000000-0000-0000-0000-000000000051',
             '12000000-0000-0000-0000-000000000011', '12000000-0000-0000-0000-000000000021') $$,
  '23505', 'duplicate key value violates unique constraint "automation_progress_user_automation_step_key"',
  'a user automation has one progress row per step'
);
select lives_ok(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
     values ('12000000-0000-0000-0000-000000000001', '12000000-0000-0000-0000-000000000051',
             '12000000-0000-0000-0000-000000000011', '12000000-0000-0000-0000-000000000022') $$,
  'a user records progress on another step of the automation they adopted'
);
select throws_ok(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
     values ('12000000-0000-0000-0000-000000000001', '12000000-0000-0000-0000-000000000051',
             '12000000-0000-0000-0000-000000000011', '12000000-0000-0000-0000-000000000023') $$,
  '23503', 'insert or update on table "automation_progress" violates foreign key constraint "automation_progress_automation_id_step_id_fkey"',
  'progress cannot be recorded on a step of a different automation'
);
select throws_ok(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
     values ('12000000-0000-0000-0000-000000000001', '12000000-0000-0000-0000-000000000051',
             '12000000-0000-0000-0000-000000000012', '12000000-0000-0000-0000-000000000023') $$,
  '23503', 'insert or update on table "automation_progress" violates foreign key constraint "automation_progress_user_automation_fkey"',
  'a progress row cannot name an automation other than its user automation''s, even with a matching step'
);
select throws_ok(
  $$ insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
     values ('12000000-0000-0000-0000-000000000001', '12000000-0000-0000-0000-000000000052',
             '12000000-0000-0000-0000-000000000011', '12000000-0000-0000-0000-000000000022') $$,
  '23503', 'insert or update on table "automation_progress" violates foreign key constraint "automation_progress_user_automation_fkey"',
  'a progress row cannot carry a user_id other than its user automation''s owner'
);

select * from finish();
rollback;
