-- Constraints, by behaviour: the catalogue (automations, their tools, steps
-- and media).

begin;
select plan(47);

-- ============================================================================
-- Fixtures (as postgres)
-- ============================================================================
insert into public.automations (id, slug, title, summary, category, difficulty) values
  ('11000000-0000-0000-0000-000000000001', 'invoice-reminders', 'Invoice reminders', 'Chase unpaid invoices.', 'finance', 'easy'),
  ('11000000-0000-0000-0000-000000000002', 'lead-capture', 'Lead capture', 'Leads into the CRM.', 'sales', 'medium');

insert into public.automation_tools (id, automation_id, name) values
  ('11000000-0000-0000-0000-000000000011', '11000000-0000-0000-0000-000000000001', 'Stripe');

insert into public.implementation_steps (id, automation_id, step_number, title, instructions) values
  ('11000000-0000-0000-0000-000000000021', '11000000-0000-0000-0000-000000000001', 1, 'Connect Stripe', 'Connect the account.'),
  ('11000000-0000-0000-0000-000000000022', '11000000-0000-0000-0000-000000000001', 2, 'Write the reminder', 'Write it.');

insert into public.step_media (id, step_id, media_type, url, position) values
  ('11000000-0000-0000-0000-000000000031', '11000000-0000-0000-0000-000000000021', 'image', 'https://example.com/1.png', 1);

-- ============================================================================
-- automations
-- ============================================================================
select throws_ok(
  format($$ update public.automations set slug = %L where id = '11000000-0000-0000-0000-000000000001' $$, v),
  '23514', 'new row for relation "automations" violates check constraint "automations_slug_check"',
  format('a slug is lowercase words joined by single hyphens: %L is refused', v)
) from unnest(array['Invoice Reminders', 'invoice-', '-invoice', 'invoice--reminders', 'invoice_reminders']) v;
select lives_ok(
  $$ update public.automations set slug = 'invoice-reminders-2' where id = '11000000-0000-0000-0000-000000000001' $$,
  'a slug of lowercase words and digits joined by hyphens is accepted'
);
select throws_ok(
  $$ update public.automations set slug = 'lead-capture' where id = '11000000-0000-0000-0000-000000000001' $$,
  '23505', 'duplicate key value violates unique constraint "automations_slug_key"',
  'two automations cannot share a slug'
);
select throws_ok(
  $$ update public.automations set title = '' where id = '11000000-0000-0000-0000-000000000001' $$,
  '23514', 'new row for relation "automations" violates check constraint "automations_title_check"',
  'an automation must have a title: an empty one is refused'
);

select throws_ok(
  $$ update public.automations set category = 'gaming' where id = '11000000-0000-0000-0000-000000000001' $$,
  '23514', 'new row for relation "automations" violates check constraint "automations_category_check"',
  'a category outside the catalogue''s eight is refused'
);
select lives_ok(
  format($$ update public.automations set category = %L where id = '11000000-0000-0000-0000-000000000001' $$, v),
  format('a category may be %s', v)
) from unnest(array[
  'marketing', 'sales', 'customer-support', 'operations', 'finance', 'hr', 'productivity', 'ecommerce'
]) v;

select throws_ok(
  $$ update public.automations set difficulty = 'expert' where id = '11000000-0000-0000-0000-000000000001' $$,
  '23514', 'new row for relation "automations" violates check constraint "automations_difficulty_check"',
  'a difficulty outside easy, medium and hard is refused'
);
select lives_ok(
  format($$ update public.automations set difficulty = %L where id = '11000000-0000-0000-0000-000000000001' $$, v),
  format('a difficulty may be %s', v)
) from unnest(array['easy', 'medium', 'hard']) v;

select throws_ok(
  $$ update public.automations set setup_minutes = -1 where id = '11000000-0000-0000-0000-000000000001' $$,
  '23514', 'new row for relation "automations" violates check constraint "automations_setup_minutes_check"',
  'an automation cannot take a negative number of minutes to set up'
);
select lives_ok(
  $$ update public.automations set setup_minutes = 0 where id = '11000000-0000-0000-0000-000000000001' $$,
  'an automation may take no setup time at all'
);
select throws_ok(
  $$ update public.automations set hours_saved_per_week = -0.5 where id = '11000000-0000-0000-0000-000000000001' $$,
  '23514', 'new row for relation "automations" violates check constraint "automations_hours_saved_per_week_check"',
  'an automation cannot save a negative number of hours'
);
select lives_ok(
  $$ update public.automations set hours_saved_per_week = 0 where id = '11000000-0000-0000-0000-000000000001' $$,
  'an automation may save no hours at all'
);

select lives_ok(
  $$ insert into public.automations (id, slug, title, summary, category, difficulty, published, published_at)
     values ('11000000-0000-0000-0000-000000000003', 'published-bare', 'Published', 'x', 'hr', 'easy', true, null) $$,
  'an automation may be inserted as published without a published_at'
);
select isnt(
  (select published_at from public.automations where id = '11000000-0000-0000-0000-000000000003'), null,
  'a published automation always has a published_at: the trigger fills it'
);

-- The check stands behind the trigger: with the trigger out of the way (a
-- bulk load with triggers disabled), publishing without published_at is
-- still refused.
alter table public.automations disable trigger automations_set_published_at;
select throws_ok(
  $$ update public.automations set published = true, published_at = null where id = '11000000-0000-0000-0000-000000000002' $$,
  '23514', 'new row for relation "automations" violates check constraint "automations_published_at_check"',
  'a published automation cannot lack published_at, even with the trigger disabled'
);
alter table public.automations enable trigger automations_set_published_at;

-- ============================================================================
-- automation_tools
-- ============================================================================
select throws_ok(
  $$ insert into public.automation_tools (automation_id, name) values ('11000000-0000-0000-0000-000000000001', '') $$,
  '23514', 'new row for relation "automation_tools" violates check constraint "automation_tools_name_check"',
  'a tool must have a name: an empty one is refused'
);
select throws_ok(
  $$ update public.automation_tools set url = 'javascript:alert(1)' where id = '11000000-0000-0000-0000-000000000011' $$,
  '23514', 'new row for relation "automation_tools" violates check constraint "automation_tools_url_check"',
  'a tool''s link must be http or https'
);
select lives_ok(
  $$ update public.automation_tools set url = 'https://stripe.com' where id = '11000000-0000-0000-0000-000000000011' $$,
  'a tool''s link may be an https URL'
);
select throws_ok(
  $$ insert into public.automation_tools (automation_id, name) values ('11000000-0000-0000-0000-000000000001', 'Stripe') $$,
  '23505', 'duplicate key value violates unique constraint "automation_tools_automation_id_name_key"',
  'a tool cannot be listed twice for the same automation'
);
select lives_ok(
  $$ insert into public.automation_tools (automation_id, name) values ('11000000-0000-0000-0000-000000000002', 'Stripe') $$,
  'the same tool may be listed by another automation'
);

-- ============================================================================
-- implementation_steps
-- ============================================================================
select throws_ok(
  $$ insert into public.implementation_steps (automation_id, step_number, title, instructions)
     values ('11000000-0000-0000-0000-000000000001', 0, 'Zero', 'x') $$,
  '23514', 'new row for relation "implementation_steps" violates check constraint "implementation_steps_step_number_check"',
  'step numbers start at 1: step 0 is refused'
);
select throws_ok(
  $$ insert into public.implementation_steps (automation_id, step_number, title, instructions)
     values ('11000000-0000-0000-0000-000000000001', 2, 'Another second step', 'x') $$,
  '23505', 'duplicate key value violates unique constraint "implementation_steps_automation_id_step_number_key"',
  'an automation cannot have two steps with the same number'
);
select lives_ok(
  $$ insert into public.implementation_steps (automation_id, step_number, title, instructions)
     values ('11000000-0000-0000-0000-000000000002', 2, 'Second step', 'x') $$,
  'another automation may use the same step number'
);
select throws_ok(
  $$ update public.implementation_steps set title = '' where id = '11000000-0000-0000-0000-000000000021' $$,
  '23514', 'new row for relation "implementation_steps" violates check constraint "implementation_steps_title_check"',
  'a step must have a title: an empty one is refused'
);
select throws_ok(
  $$ update public.implementation_steps set estimated_minutes = -5 where id = '11000000-0000-0000-0000-000000000021' $$,
  '23514', 'new row for relation "implementation_steps" violates check constraint "implementation_steps_estimated_minutes_check"',
  'a step cannot be estimated at a negative number of minutes'
);

-- ============================================================================
-- step_media
-- ============================================================================
select throws_ok(
  $$ update public.step_media set media_type = 'audio' where id = '11000000-0000-0000-0000-000000000031' $$,
  '23514', 'new row for relation "step_media" violates check constraint "step_media_media_type_check"',
  'a medium type outside image, video, gif and document is refused'
);
select lives_ok(
  format($$ update public.step_media set media_type = %L where id = '11000000-0000-0000-0000-000000000031' $$, v),
  format('a medium may be a %s', v)
) from unnest(array['image', 'video', 'gif', 'document']) v;
select throws_ok(
  $$ update public.step_media set url = 'file:///etc/passwd' where id = '11000000-0000-0000-0000-000000000031' $$,
  '23514', 'new row for relation "step_media" violates check constraint "step_media_url_check"',
  'a medium''s link must be http or https'
);
select throws_ok(
  $$ update public.step_media set position = 0 where id = '11000000-0000-0000-0000-000000000031' $$,
  '23514', 'new row for relation "step_media" violates check constraint "step_media_position_check"',
  'media positions start at 1: position 0 is refused'
);
select throws_ok(
  $$ insert into public.step_media (step_id, media_type, url, position)
     values ('11000000-0000-0000-0000-000000000021', 'video', 'https://example.com/2.mp4', 1) $$,
  '23505', 'duplicate key value violates unique constraint "step_media_step_id_position_key"',
  'two media of a step cannot share a position'
);
select lives_ok(
  $$ insert into public.step_media (step_id, media_type, url, position)
     values ('11000000-0000-0000-0000-000000000021', 'video', 'https://example.com/2.mp4', 2) $$,
  'a step''s second medium takes the next position'
);

select * from finish();
rollback;
