-- Row level security: weekly_discoveries and discovered_automations.
--
-- service_role generates discoveries. The RLS matrix (270_rls_matrix.sql)
-- states who may select, insert, update and delete which rows, down to the
-- only columns the owner may update (weekly_discoveries.viewed_at and
-- discovered_automations.reaction) and the privileges behind every refusal:
-- nobody signed in inserts or deletes, anon has no privilege. Its refusals are
-- not repeated here. This file follows the actors through writes with values:
-- which rows each one sees, what the owner's allowed changes store, and what
-- the writes of another user and of an admin, filtered to nothing, leave
-- behind.
begin;
select plan(25);

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

insert into public.weekly_discoveries (id, user_id, week_of, status, generated_at) values
  ('a11ce000-d15c-4000-8000-000000000001', tests.user_id_for('alice'), '2025-08-11', 'ready', '2025-08-11 06:00+00'),
  ('b0b00000-d15c-4000-8000-000000000001', tests.user_id_for('bob'), '2025-08-11', 'ready', '2025-08-11 06:00+00'),
  ('e0e00000-d15c-4000-8000-000000000001', tests.user_id_for('eve'), '2025-08-11', 'ready', '2025-08-11 06:00+00');

insert into public.discovered_automations (id, discovery_id, user_id, automation_id, rank, relevance_score) values
  ('a11ce000-da00-4000-8000-000000000001', 'a11ce000-d15c-4000-8000-000000000001',
   tests.user_id_for('alice'), 'aaaaaaaa-0000-4000-8000-000000000001', 1, 0.9),
  ('b0b00000-da00-4000-8000-000000000001', 'b0b00000-d15c-4000-8000-000000000001',
   tests.user_id_for('bob'), 'aaaaaaaa-0000-4000-8000-000000000001', 1, 0.8),
  ('e0e00000-da00-4000-8000-000000000001', 'e0e00000-d15c-4000-8000-000000000001',
   tests.user_id_for('eve'), 'aaaaaaaa-0000-4000-8000-000000000001', 1, 0.5);

-- ============================================================================
-- owner: reads, marks viewed, reacts; nothing else
-- ============================================================================
select tests.authenticate_as('alice');

select results_eq(
  $$ select id from public.weekly_discoveries $$,
  $$ values ('a11ce000-d15c-4000-8000-000000000001'::uuid) $$,
  'a user sees only their own weekly discoveries'
);
select results_eq(
  $$ select id from public.discovered_automations $$,
  $$ values ('a11ce000-da00-4000-8000-000000000001'::uuid) $$,
  'a user sees only their own recommendations'
);
select results_eq(
  $$ update public.weekly_discoveries set viewed_at = '2025-08-12 09:00+00'
     where id = 'a11ce000-d15c-4000-8000-000000000001' returning viewed_at = now() $$,
  $$ values (true) $$,
  'a user marks their own weekly discovery viewed (the server records when: now)'
);
select results_eq(
  $$ update public.discovered_automations set reaction = 'saved'
     where id = 'a11ce000-da00-4000-8000-000000000001' returning reaction $$,
  $$ values ('saved') $$,
  'a user reacts to their own recommendation'
);

-- ============================================================================
-- another user: bob acting on alice's discovery
-- ============================================================================
select tests.authenticate_as('bob');

select is_empty(
  $$ select * from public.weekly_discoveries where user_id = tests.user_id_for('alice') $$,
  'a user cannot read another user''s weekly discoveries'
);
select is_empty(
  $$ select * from public.discovered_automations where user_id = tests.user_id_for('alice') $$,
  'a user cannot read another user''s recommendations'
);
select is_empty(
  $$ update public.weekly_discoveries set viewed_at = null
     where id = 'a11ce000-d15c-4000-8000-000000000001' returning id $$,
  'a user''s update of another user''s weekly discovery changes no row'
);
select is_empty(
  $$ update public.discovered_automations set reaction = 'dismissed'
     where id = 'a11ce000-da00-4000-8000-000000000001' returning id $$,
  'a user''s reaction to another user''s recommendation changes no row'
);

-- ============================================================================
-- another user writing blind: eve updates and deletes with no where and no
-- returning clause. Such a statement reads no column, so no select policy
-- filters it: the update and delete policies alone must keep eve to her own
-- rows, and their with check must keep her rows hers.
-- ============================================================================
select tests.authenticate_as('eve');

select lives_ok(
  $$ update public.weekly_discoveries set viewed_at = '2025-08-13 08:00+00' $$,
  'a user''s blind update of every weekly discovery marks only their own viewed'
);
select lives_ok(
  $$ update public.discovered_automations set reaction = 'dismissed' $$,
  'a user''s blind reaction to every recommendation changes only their own'
);

select tests.clear_authentication();

select results_eq(
  $$ select w.viewed_at, d.reaction
     from public.weekly_discoveries w join public.discovered_automations d on d.discovery_id = w.id
     where w.id = 'a11ce000-d15c-4000-8000-000000000001' $$,
  $$ values (now(), 'saved') $$,
  'another user''s attempts leave the discovery''s viewed state and reaction unchanged'
);

-- ============================================================================
-- admin: reads every discovery, changes none
-- ============================================================================
select tests.authenticate_as('ada');

select results_eq(
  $$ select id from public.weekly_discoveries
     where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob')) order by id $$,
  $$ values ('a11ce000-d15c-4000-8000-000000000001'::uuid), ('b0b00000-d15c-4000-8000-000000000001'::uuid) $$,
  'an admin reads every weekly discovery'
);
select results_eq(
  $$ select id from public.discovered_automations
     where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob')) order by id $$,
  $$ values ('a11ce000-da00-4000-8000-000000000001'::uuid), ('b0b00000-da00-4000-8000-000000000001'::uuid) $$,
  'an admin reads every recommendation'
);
select is_empty(
  $$ update public.weekly_discoveries set viewed_at = now()
     where id = 'b0b00000-d15c-4000-8000-000000000001' returning id $$,
  'an admin cannot mark another user''s weekly discovery viewed: the update changes no row'
);
select is_empty(
  $$ update public.discovered_automations set reaction = 'dismissed'
     where id = 'b0b00000-da00-4000-8000-000000000001' returning id $$,
  'an admin cannot react in another user''s place: the update changes no row'
);

select tests.clear_authentication();

select results_eq(
  $$ select w.viewed_at, d.reaction, d.relevance_score
     from public.weekly_discoveries w join public.discovered_automations d on d.discovery_id = w.id
     where w.id = 'b0b00000-d15c-4000-8000-000000000001' $$,
  $$ values (null::timestamptz, 'new', 0.8000::numeric(5, 4)) $$,
  'an admin''s attempts leave another user''s discovery unchanged'
);

-- ============================================================================
-- service_role: generates, updates and deletes discoveries
-- ============================================================================
select tests.authenticate_as_service_role();

select is(
  (select count(*) from public.weekly_discoveries
   where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'))), 2::bigint,
  'the service role reads every weekly discovery'
);
select is(
  (select count(*) from public.discovered_automations
   where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'))), 2::bigint,
  'the service role reads every recommendation'
);
select results_eq(
  $$ insert into public.weekly_discoveries (id, user_id, week_of)
     values ('a11ce000-d15c-4000-8000-000000000002', tests.user_id_for('alice'), '2025-08-18') returning id $$,
  $$ values ('a11ce000-d15c-4000-8000-000000000002'::uuid) $$,
  'the service role generates a weekly discovery'
);
select results_eq(
  $$ insert into public.discovered_automations (id, discovery_id, user_id, automation_id, rank, relevance_score)
     values ('a11ce000-da00-4000-8000-000000000002', 'a11ce000-d15c-4000-8000-000000000002',
             tests.user_id_for('alice'), 'aaaaaaaa-0000-4000-8000-000000000002', 1, 0.7) returning id $$,
  $$ values ('a11ce000-da00-4000-8000-000000000002'::uuid) $$,
  'the service role adds a recommendation'
);
select results_eq(
  $$ update public.weekly_discoveries set status = 'ready', generated_at = now()
     where id = 'a11ce000-d15c-4000-8000-000000000002' returning status $$,
  $$ values ('ready') $$,
  'the service role changes a weekly discovery''s status'
);
select results_eq(
  $$ update public.discovered_automations set rank = 2
     where id = 'a11ce000-da00-4000-8000-000000000002' returning rank $$,
  $$ values (2) $$,
  'the service role re-ranks a recommendation'
);
select results_eq(
  $$ delete from public.discovered_automations where id = 'a11ce000-da00-4000-8000-000000000002' returning id $$,
  $$ values ('a11ce000-da00-4000-8000-000000000002'::uuid) $$,
  'the service role deletes a recommendation'
);
select results_eq(
  $$ delete from public.weekly_discoveries where id = 'a11ce000-d15c-4000-8000-000000000002' returning id $$,
  $$ values ('a11ce000-d15c-4000-8000-000000000002'::uuid) $$,
  'the service role deletes a weekly discovery'
);

select tests.clear_authentication();

-- ============================================================================
-- As postgres, the end state: only the owner's two allowed changes and the
-- service role's work happened.
-- ============================================================================
select results_eq(
  $$ select w.id, w.status, w.viewed_at, d.rank, d.reaction
     from public.weekly_discoveries w join public.discovered_automations d on d.discovery_id = w.id
     where w.user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'))
     order by w.id $$,
  $$ values
       ('a11ce000-d15c-4000-8000-000000000001'::uuid, 'ready', now(), 1, 'saved'),
       ('b0b00000-d15c-4000-8000-000000000001'::uuid, 'ready', null::timestamptz, 1, 'new') $$,
  'only the allowed changes reached the discoveries'
);

select * from finish();
rollback;
