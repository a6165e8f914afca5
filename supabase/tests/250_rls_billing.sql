-- Row level security: subscriptions and usage_metrics.
--
-- Billing mirrors Stripe and is written by service_role only (the webhooks).
-- The RLS matrix (270_rls_matrix.sql) states who may select, insert, update
-- and delete which rows, and proves the privileges behind every refusal:
-- nobody signed in, admin included, inserts, changes or deletes one, so a user
-- can never grant themselves a plan or erase their usage; anon has no
-- privilege. Its refusals are not repeated here. This file checks which rows
-- each actor sees and what the service role's writes store.
begin;
select plan(15);

-- ============================================================================
-- Fixtures, as postgres
-- ============================================================================
select tests.create_user('alice');
select tests.create_user('bob');
select tests.create_user('ada', 'admin');

insert into public.subscriptions (id, user_id, stripe_customer_id, stripe_subscription_id, plan, status) values
  ('a11ce000-5b00-4000-8000-000000000001', tests.user_id_for('alice'), 'cus_alice', 'sub_alice', 'free', 'active'),
  ('b0b00000-5b00-4000-8000-000000000001', tests.user_id_for('bob'), 'cus_bob', 'sub_bob', 'pro', 'active');

insert into public.usage_metrics (id, user_id, metric, period_start, period_end, quantity) values
  ('a11ce000-0e00-4000-8000-000000000001', tests.user_id_for('alice'), 'ai_queries', '2025-08-01', '2025-09-01', 12),
  ('b0b00000-0e00-4000-8000-000000000001', tests.user_id_for('bob'), 'ai_queries', '2025-08-01', '2025-09-01', 40);

-- ============================================================================
-- owner: reads their own billing
-- ============================================================================
select tests.authenticate_as('alice');

select results_eq(
  $$ select id from public.subscriptions $$,
  $$ values ('a11ce000-5b00-4000-8000-000000000001'::uuid) $$,
  'a user sees only their own subscription'
);
select results_eq(
  $$ select id from public.usage_metrics $$,
  $$ values ('a11ce000-0e00-4000-8000-000000000001'::uuid) $$,
  'a user sees only their own usage'
);

-- ============================================================================
-- another user: bob acting on alice's billing
-- ============================================================================
select tests.authenticate_as('bob');

select is_empty(
  $$ select * from public.subscriptions where user_id = tests.user_id_for('alice') $$,
  'a user cannot read another user''s subscription'
);
select is_empty(
  $$ select * from public.usage_metrics where user_id = tests.user_id_for('alice') $$,
  'a user cannot read another user''s usage'
);

-- ============================================================================
-- admin: reads all billing
-- ============================================================================
select tests.authenticate_as('ada');

select results_eq(
  $$ select id from public.subscriptions
     where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob')) order by id $$,
  $$ values ('a11ce000-5b00-4000-8000-000000000001'::uuid), ('b0b00000-5b00-4000-8000-000000000001'::uuid) $$,
  'an admin reads every subscription'
);
select results_eq(
  $$ select id from public.usage_metrics
     where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob')) order by id $$,
  $$ values ('a11ce000-0e00-4000-8000-000000000001'::uuid), ('b0b00000-0e00-4000-8000-000000000001'::uuid) $$,
  'an admin reads all usage'
);

-- ============================================================================
-- service_role: the Stripe webhooks write billing
-- ============================================================================
select tests.authenticate_as_service_role();

select is(
  (select count(*) from public.subscriptions
   where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'))), 2::bigint,
  'the service role reads every subscription'
);
select is(
  (select count(*) from public.usage_metrics
   where user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'))), 2::bigint,
  'the service role reads all usage'
);
select results_eq(
  $$ insert into public.subscriptions (id, user_id, stripe_customer_id, stripe_subscription_id, plan, status)
     values ('ada00000-5b00-4000-8000-000000000001', tests.user_id_for('ada'), 'cus_ada', 'sub_ada', 'business', 'trialing')
     returning plan $$,
  $$ values ('business') $$,
  'the service role creates a subscription'
);
select results_eq(
  $$ insert into public.usage_metrics (id, user_id, metric, period_start, period_end, quantity)
     values ('ada00000-0e00-4000-8000-000000000001', tests.user_id_for('ada'), 'discoveries', '2025-08-01', '2025-09-01', 1)
     returning quantity $$,
  $$ values (1::bigint) $$,
  'the service role records usage'
);
select results_eq(
  $$ update public.subscriptions set plan = 'pro' where id = 'a11ce000-5b00-4000-8000-000000000001' returning plan $$,
  $$ values ('pro') $$,
  'the service role changes a user''s plan'
);
select results_eq(
  $$ update public.usage_metrics set quantity = quantity + 1 where id = 'a11ce000-0e00-4000-8000-000000000001' returning quantity $$,
  $$ values (13::bigint) $$,
  'the service role counts usage'
);
select results_eq(
  $$ delete from public.subscriptions where id = 'ada00000-5b00-4000-8000-000000000001' returning id $$,
  $$ values ('ada00000-5b00-4000-8000-000000000001'::uuid) $$,
  'the service role deletes a subscription'
);
select results_eq(
  $$ delete from public.usage_metrics where id = 'ada00000-0e00-4000-8000-000000000001' returning id $$,
  $$ values ('ada00000-0e00-4000-8000-000000000001'::uuid) $$,
  'the service role deletes usage'
);

select tests.clear_authentication();

-- ============================================================================
-- As postgres, the end state: the service role's changes, and nothing else.
-- ============================================================================
select results_eq(
  $$ select s.user_id, s.plan, s.status, u.quantity
     from public.subscriptions s join public.usage_metrics u on u.user_id = s.user_id
     where s.user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'), tests.user_id_for('ada'))
     order by s.stripe_customer_id $$,
  $$ values (tests.user_id_for('alice'), 'pro', 'active', 13::bigint),
            (tests.user_id_for('bob'), 'pro', 'active', 40::bigint) $$,
  'billing holds the service role''s changes and nothing else'
);

select * from finish();
rollback;
