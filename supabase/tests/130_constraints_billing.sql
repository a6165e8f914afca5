-- Constraints, by behaviour: Stripe subscriptions (at most one live per
-- user) and metered usage (one counter per user, metric and period, so a
-- webhook delivered twice cannot double-count).

begin;
select plan(36);

-- ============================================================================
-- Fixtures (as postgres)
-- ============================================================================
insert into auth.users (id, aud, role, email) values
  ('13000000-0000-0000-0000-000000000001', 'authenticated', 'authenticated', 'billing_owner@tests.local'),
  ('13000000-0000-0000-0000-000000000002', 'authenticated', 'authenticated', 'billing_other@tests.local'),
  ('13000000-0000-0000-0000-000000000003', 'authenticated', 'authenticated', 'billing_third@tests.local');

insert into public.subscriptions (id, user_id, stripe_customer_id, stripe_subscription_id, plan, status,
                                  current_period_start, current_period_end) values
  ('13000000-0000-0000-0000-000000000011', '13000000-0000-0000-0000-000000000001', 'cus_owner', 'sub_owner_1', 'pro', 'active',
   '2025-08-01 00:00:00+00', '2025-09-01 00:00:00+00'),
  ('13000000-0000-0000-0000-000000000021', '13000000-0000-0000-0000-000000000002', 'cus_other', 'sub_other_1', 'pro', 'active',
   '2025-08-01 00:00:00+00', '2025-09-01 00:00:00+00');

insert into public.usage_metrics (id, user_id, metric, period_start, period_end, quantity) values
  ('13000000-0000-0000-0000-000000000031', '13000000-0000-0000-0000-000000000001', 'ai_queries', '2025-08-01', '2025-09-01', 5);

-- ============================================================================
-- subscriptions
-- ============================================================================
select throws_ok(
  $$ update public.subscriptions set stripe_customer_id = 'cust_owner' where id = '13000000-0000-0000-0000-000000000011' $$,
  '23514', 'new row for relation "subscriptions" violates check constraint "subscriptions_stripe_customer_id_check"',
  'a Stripe customer id must look like one (cus_...)'
);
select throws_ok(
  $$ update public.subscriptions set stripe_subscription_id = 'si_owner_1' where id = '13000000-0000-0000-0000-000000000011' $$,
  '23514', 'new row for relation "subscriptions" violates check constraint "subscriptions_stripe_subscription_id_check"',
  'a Stripe subscription id must look like one (sub_...)'
);
select throws_ok(
  $$ update public.subscriptions set plan = 'enterprise' where id = '13000000-0000-0000-0000-000000000011' $$,
  '23514', 'new row for relation "subscriptions" violates check constraint "subscriptions_plan_check"',
  'a plan outside free, pro and business is refused'
);
select lives_ok(
  format($$ update public.subscriptions set plan = %L where id = '13000000-0000-0000-0000-000000000011' $$, v),
  format('a plan may be %s', v)
) from unnest(array['free', 'business', 'pro']) v;

-- A single row walks through every status, so the one-live rule never bites.
select throws_ok(
  $$ update public.subscriptions set status = 'expired' where id = '13000000-0000-0000-0000-000000000011' $$,
  '23514', 'new row for relation "subscriptions" violates check constraint "subscriptions_status_check"',
  'a subscription status that is not one of Stripe''s is refused'
);
select lives_ok(
  format($$ update public.subscriptions set status = %L where id = '13000000-0000-0000-0000-000000000011' $$, v),
  format('a subscription status may be Stripe''s %s', v)
) from unnest(array[
  'trialing', 'past_due', 'canceled', 'unpaid', 'incomplete', 'incomplete_expired', 'paused', 'active'
]) v;

select throws_ok(
  $$ update public.subscriptions set current_period_end = current_period_start - interval '1 day'
     where id = '13000000-0000-0000-0000-000000000011' $$,
  '23514', 'new row for relation "subscriptions" violates check constraint "subscriptions_current_period_check"',
  'a subscription period cannot end before it starts'
);
select throws_ok(
  $$ update public.subscriptions set current_period_end = current_period_start
     where id = '13000000-0000-0000-0000-000000000011' $$,
  '23514', 'new row for relation "subscriptions" violates check constraint "subscriptions_current_period_check"',
  'a subscription period cannot end the moment it starts'
);
select throws_ok(
  $$ insert into public.subscriptions (user_id, stripe_customer_id, stripe_subscription_id, status)
     values ('13000000-0000-0000-0000-000000000003', 'cus_third', 'sub_owner_1', 'canceled') $$,
  '23505', 'duplicate key value violates unique constraint "subscriptions_stripe_subscription_id_key"',
  'a Stripe subscription cannot be recorded twice'
);

-- At most one live (trialing, active or past_due) subscription per user.
select throws_ok(
  format($$ insert into public.subscriptions (user_id, stripe_customer_id, stripe_subscription_id, status)
            values ('13000000-0000-0000-0000-000000000001', 'cus_owner', %L, %L) $$, 'sub_owner_' || v, v),
  '23505', 'duplicate key value violates unique constraint "subscriptions_user_id_live_key"',
  format('a user with an active subscription cannot have a second live one (%s)', v)
) from unnest(array['trialing', 'active', 'past_due']) v;
select lives_ok(
  $$ insert into public.subscriptions (user_id, stripe_customer_id, stripe_subscription_id, status)
     values ('13000000-0000-0000-0000-000000000001', 'cus_owner', 'sub_owner_old', 'canceled'),
            ('13000000-0000-0000-0000-000000000001', 'cus_owner', 'sub_owner_older', 'incomplete_expired') $$,
  'a user with a live subscription may also have canceled and expired ones: they are history'
);
select lives_ok(
  $$ update public.subscriptions set status = 'canceled' where id = '13000000-0000-0000-0000-000000000011';
     insert into public.subscriptions (user_id, stripe_customer_id, stripe_subscription_id, status)
     values ('13000000-0000-0000-0000-000000000001', 'cus_owner', 'sub_owner_2', 'trialing') $$,
  'once the live subscription is canceled, the user may start a new one'
);
select lives_ok(
  $$ insert into public.subscriptions (user_id, stripe_customer_id, stripe_subscription_id, status)
     values ('13000000-0000-0000-0000-000000000003', 'cus_third', 'sub_third_1', 'active') $$,
  'another user may have a live subscription of their own'
);

-- ============================================================================
-- usage_metrics
-- ============================================================================
select throws_ok(
  $$ update public.usage_metrics set metric = 'api_calls' where id = '13000000-0000-0000-0000-000000000031' $$,
  '23514', 'new row for relation "usage_metrics" violates check constraint "usage_metrics_metric_check"',
  'a metric outside discoveries, ai_queries, guide_views and automations_started is refused'
);
select lives_ok(
  format($$ update public.usage_metrics set metric = %L where id = '13000000-0000-0000-0000-000000000031' $$, v),
  format('a metric may be %s', v)
) from unnest(array['discoveries', 'guide_views', 'automations_started', 'ai_queries']) v;
select throws_ok(
  $$ update public.usage_metrics set quantity = -1 where id = '13000000-0000-0000-0000-000000000031' $$,
  '23514', 'new row for relation "usage_metrics" violates check constraint "usage_metrics_quantity_check"',
  'a usage quantity cannot be negative'
);
select throws_ok(
  $$ update public.usage_metrics set period_end = '2025-07-31' where id = '13000000-0000-0000-0000-000000000031' $$,
  '23514', 'new row for relation "usage_metrics" violates check constraint "usage_metrics_period_check"',
  'a usage period cannot end before it starts'
);
select throws_ok(
  $$ update public.usage_metrics set period_end = period_start where id = '13000000-0000-0000-0000-000000000031' $$,
  '23514', 'new row for relation "usage_metrics" violates check constraint "usage_metrics_period_check"',
  'a usage period cannot end the day it starts'
);
select throws_ok(
  $$ insert into public.usage_metrics (user_id, metric, period_start, period_end, quantity)
     values ('13000000-0000-0000-0000-000000000001', 'ai_queries', '2025-08-01', '2025-09-01', 5) $$,
  '23505', 'duplicate key value violates unique constraint "usage_metrics_user_id_metric_period_start_key"',
  'a usage row cannot be counted twice for the same user, metric and period'
);
select lives_ok(
  $$ insert into public.usage_metrics (user_id, metric, period_start, period_end, quantity)
     values ('13000000-0000-0000-0000-000000000001', 'ai_queries', '2025-08-01', '2025-09-01', 3)
     on conflict (user_id, metric, period_start)
     do update set quantity = public.usage_metrics.quantity + excluded.quantity $$,
  'a webhook adds to the period''s counter with an upsert on (user_id, metric, period_start)'
);
select results_eq(
  $$ select quantity from public.usage_metrics
     where user_id = '13000000-0000-0000-0000-000000000001' and metric = 'ai_queries' $$,
  $$ values (8::bigint) $$,
  'the upsert leaves one counter for the period, holding the sum'
);
select lives_ok(
  $$ insert into public.usage_metrics (user_id, metric, period_start, period_end, quantity)
     values ('13000000-0000-0000-0000-000000000001', 'ai_queries', '2025-09-01', '2025-10-01', 1) $$,
  'the next period has a counter of its own'
);

select * from finish();
rollback;
