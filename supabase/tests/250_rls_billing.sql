-- Row level security: subscriptions and usage_metrics.
--
-- Billing mirrors Stripe and is written by service_role only (the webhooks).
-- The owner reads their own rows; an admin reads all; nobody signed in, admin
-- included, inserts, changes or deletes one (no privilege): a user can never
-- grant themselves a plan or erase their usage. anon has no privilege.
begin;
select plan(41);

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
-- anon: no privilege on either table
-- ============================================================================
select tests.authenticate_as_anon();

select throws_ok(
  $$ select * from public.subscriptions $$,
  '42501', 'permission denied for table subscriptions',
  'a signed-out visitor cannot read subscriptions'
);
select throws_ok(
  $$ insert into public.subscriptions (user_id, stripe_customer_id, plan, status)
     values (tests.user_id_for('alice'), 'cus_x', 'business', 'active') $$,
  '42501', 'permission denied for table subscriptions',
  'a signed-out visitor cannot create a subscription'
);
select throws_ok(
  $$ update public.subscriptions set plan = 'business' $$,
  '42501', 'permission denied for table subscriptions',
  'a signed-out visitor cannot change a subscription'
);
select throws_ok(
  $$ delete from public.subscriptions $$,
  '42501', 'permission denied for table subscriptions',
  'a signed-out visitor cannot delete a subscription'
);
select throws_ok(
  $$ select * from public.usage_metrics $$,
  '42501', 'permission denied for table usage_metrics',
  'a signed-out visitor cannot read usage'
);
select throws_ok(
  $$ insert into public.usage_metrics (user_id, metric, period_start, period_end)
     values (tests.user_id_for('alice'), 'discoveries', '2025-08-01', '2025-09-01') $$,
  '42501', 'permission denied for table usage_metrics',
  'a signed-out visitor cannot record usage'
);
select throws_ok(
  $$ update public.usage_metrics set quantity = 0 $$,
  '42501', 'permission denied for table usage_metrics',
  'a signed-out visitor cannot change usage'
);
select throws_ok(
  $$ delete from public.usage_metrics $$,
  '42501', 'permission denied for table usage_metrics',
  'a signed-out visitor cannot delete usage'
);

-- ============================================================================
-- owner: reads their own billing, writes none of it
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
select throws_ok(
  $$ insert into public.subscriptions (user_id, stripe_customer_id, plan, status)
     values (tests.user_id_for('alice'), 'cus_alice', 'business', 'trialing') $$,
  '42501', 'permission denied for table subscriptions',
  'a user cannot give themselves a subscription'
);
select throws_ok(
  $$ update public.subscriptions set plan = 'business' where id = 'a11ce000-5b00-4000-8000-000000000001' $$,
  '42501', 'permission denied for table subscriptions',
  'a user cannot upgrade their own plan'
);
select throws_ok(
  $$ delete from public.subscriptions where id = 'a11ce000-5b00-4000-8000-000000000001' $$,
  '42501', 'permission denied for table subscriptions',
  'a user cannot delete their own subscription'
);
select throws_ok(
  $$ insert into public.usage_metrics (user_id, metric, period_start, period_end)
     values (tests.user_id_for('alice'), 'discoveries', '2025-08-01', '2025-09-01') $$,
  '42501', 'permission denied for table usage_metrics',
  'a user cannot record their own usage'
);
select throws_ok(
  $$ update public.usage_metrics set quantity = 0 where id = 'a11ce000-0e00-4000-8000-000000000001' $$,
  '42501', 'permission denied for table usage_metrics',
  'a user cannot reset their own usage'
);
select throws_ok(
  $$ delete from public.usage_metrics where id = 'a11ce000-0e00-4000-8000-000000000001' $$,
  '42501', 'permission denied for table usage_metrics',
  'a user cannot erase their own usage'
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
select throws_ok(
  $$ insert into public.subscriptions (user_id, stripe_customer_id, plan, status)
     values (tests.user_id_for('alice'), 'cus_alice', 'free', 'canceled') $$,
  '42501', 'permission denied for table subscriptions',
  'a user cannot create a subscription for another user'
);
select throws_ok(
  $$ update public.subscriptions set status = 'canceled' where id = 'a11ce000-5b00-4000-8000-000000000001' $$,
  '42501', 'permission denied for table subscriptions',
  'a user cannot cancel another user''s subscription'
);
select throws_ok(
  $$ delete from public.subscriptions where id = 'a11ce000-5b00-4000-8000-000000000001' $$,
  '42501', 'permission denied for table subscriptions',
  'a user cannot delete another user''s subscription'
);
select throws_ok(
  $$ insert into public.usage_metrics (user_id, metric, period_start, period_end, quantity)
     values (tests.user_id_for('alice'), 'discoveries', '2025-08-01', '2025-09-01', 999) $$,
  '42501', 'permission denied for table usage_metrics',
  'a user cannot record usage for another user'
);
select throws_ok(
  $$ update public.usage_metrics set quantity = 999 where id = 'a11ce000-0e00-4000-8000-000000000001' $$,
  '42501', 'permission denied for table usage_metrics',
  'a user cannot inflate another user''s usage'
);
select throws_ok(
  $$ delete from public.usage_metrics where id = 'a11ce000-0e00-4000-8000-000000000001' $$,
  '42501', 'permission denied for table usage_metrics',
  'a user cannot delete another user''s usage'
);

-- ============================================================================
-- admin: reads all billing, writes none of it (it must stay in step with Stripe)
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
select throws_ok(
  $$ insert into public.subscriptions (user_id, stripe_customer_id, plan, status)
     values (tests.user_id_for('ada'), 'cus_ada', 'business', 'active') $$,
  '42501', 'permission denied for table subscriptions',
  'an admin cannot create a subscription'
);
select throws_ok(
  $$ update public.subscriptions set plan = 'business' where id = 'b0b00000-5b00-4000-8000-000000000001' $$,
  '42501', 'permission denied for table subscriptions',
  'an admin cannot change a plan behind Stripe''s back'
);
select throws_ok(
  $$ delete from public.subscriptions $$,
  '42501', 'permission denied for table subscriptions',
  'an admin cannot delete subscriptions'
);
select throws_ok(
  $$ insert into public.usage_metrics (user_id, metric, period_start, period_end)
     values (tests.user_id_for('bob'), 'discoveries', '2025-08-01', '2025-09-01') $$,
  '42501', 'permission denied for table usage_metrics',
  'an admin cannot record usage'
);
select throws_ok(
  $$ update public.usage_metrics set quantity = 0 $$,
  '42501', 'permission denied for table usage_metrics',
  'an admin cannot change usage'
);
select throws_ok(
  $$ delete from public.usage_metrics $$,
  '42501', 'permission denied for table usage_metrics',
  'an admin cannot delete usage'
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
-- As postgres, the end state: only the service role's changes happened.
-- ============================================================================
select results_eq(
  $$ select s.user_id, s.plan, s.status, u.quantity
     from public.subscriptions s join public.usage_metrics u on u.user_id = s.user_id
     where s.user_id in (tests.user_id_for('alice'), tests.user_id_for('bob'), tests.user_id_for('ada'))
     order by s.stripe_customer_id $$,
  $$ values (tests.user_id_for('alice'), 'pro', 'active', 13::bigint),
            (tests.user_id_for('bob'), 'pro', 'active', 40::bigint) $$,
  'only the service role''s changes reached billing'
);

select * from finish();
rollback;
