-- Indexes, each with its reason (comment on index, also shown in docs/).
--
-- PostgreSQL does not index foreign-key columns by itself. Every foreign key
-- below has an index that leads with its columns: either one created here, or
-- the index of a primary key or unique constraint from the initial schema,
-- named beside the table. Without them a delete of a parent (a user, an
-- automation) scans every child table, and the policies' user_id filters scan
-- whole tables.
--
-- Queries that matter:
--   dashboard   a user's automations by status, with progress
--   activity    a user's recent sessions and adoptions, newest first
--   discovery   this week's discoveries; automations by tag; nearest
--               automations to a business by embedding
--   webhooks    a subscription by Stripe customer or subscription id

-- ============================================================================
-- user_profiles
-- ============================================================================
-- user_id (-> auth.users): user_profiles_pkey.
create index user_profiles_current_tools_idx
  on public.user_profiles using gin (current_tools);
comment on index public.user_profiles_current_tools_idx is
  'Discovery: businesses that already use a tool (current_tools @> array[...]).';

-- ============================================================================
-- questionnaire_sessions
-- ============================================================================
create index questionnaire_sessions_user_id_created_at_idx
  on public.questionnaire_sessions (user_id, created_at desc);
comment on index public.questionnaire_sessions_user_id_created_at_idx is
  'Foreign key user_id; activity: a user''s recent questionnaire sessions, newest first.';

create index questionnaire_sessions_user_id_status_idx
  on public.questionnaire_sessions (user_id, status);
comment on index public.questionnaire_sessions_user_id_status_idx is
  'A user''s sessions by status (the one in progress to resume).';

-- ============================================================================
-- questionnaire_responses
-- ============================================================================
create index questionnaire_responses_user_id_session_id_idx
  on public.questionnaire_responses (user_id, session_id);
comment on index public.questionnaire_responses_user_id_session_id_idx is
  'Foreign key (user_id, session_id); the answers of a session under the owner''s policy.';

-- ============================================================================
-- automations
-- ============================================================================
create index automations_tags_idx
  on public.automations using gin (tags);
comment on index public.automations_tags_idx is
  'Discovery: automations by tag (tags @> array[...], tags && array[...]).';

create index automations_category_difficulty_idx
  on public.automations (category, difficulty)
  where published;
comment on index public.automations_category_difficulty_idx is
  'Catalogue browsing: published automations by category and difficulty.';

create index automations_published_at_idx
  on public.automations (published_at desc)
  where published;
comment on index public.automations_published_at_idx is
  'Catalogue: newest published automations first.';

-- Cosine distance, as embeddings are compared by direction. m and
-- ef_construction are pgvector's defaults, measured sufficient for the
-- catalogue's size (bench/).
create index automations_embedding_idx
  on public.automations using hnsw (embedding extensions.vector_cosine_ops)
  with (m = 16, ef_construction = 64);
comment on index public.automations_embedding_idx is
  'Discovery: nearest automations to a business (order by embedding <=> $1 limit k).';

-- ============================================================================
-- automation_tools
-- ============================================================================
-- automation_id (-> automations): automation_tools_automation_id_name_key.
create index automation_tools_name_idx
  on public.automation_tools (name);
comment on index public.automation_tools_name_idx is
  'Discovery: automations that use a tool the business already has.';

-- ============================================================================
-- implementation_steps
-- ============================================================================
-- automation_id (-> automations): implementation_steps_automation_id_step_number_key,
-- which also serves the guide in step order.

-- ============================================================================
-- step_media
-- ============================================================================
-- step_id (-> implementation_steps): step_media_step_id_position_key, which
-- also serves a step's media in order.

-- ============================================================================
-- weekly_discoveries
-- ============================================================================
-- user_id (-> auth.users): weekly_discoveries_user_id_week_of_key, which also
-- serves a user's discoveries by week.
create index weekly_discoveries_week_of_user_id_idx
  on public.weekly_discoveries (week_of, user_id);
comment on index public.weekly_discoveries_week_of_user_id_idx is
  'Generation: every user''s discovery for a given week.';

create index weekly_discoveries_status_idx
  on public.weekly_discoveries (status)
  where status in ('pending', 'generating');
comment on index public.weekly_discoveries_status_idx is
  'Generation queue: discoveries still to generate (a small, partial index).';

-- ============================================================================
-- discovered_automations
-- ============================================================================
-- discovery_id alone: discovered_automations_discovery_id_rank_key, which also
-- serves a discovery's recommendations in rank order.
create index discovered_automations_user_id_discovery_id_idx
  on public.discovered_automations (user_id, discovery_id);
comment on index public.discovered_automations_user_id_discovery_id_idx is
  'Foreign key (user_id, discovery_id); a user''s recommendations under the owner''s policy.';

create index discovered_automations_automation_id_idx
  on public.discovered_automations (automation_id);
comment on index public.discovered_automations_automation_id_idx is
  'Foreign key automation_id: deleting an automation finds its recommendations.';

-- ============================================================================
-- user_automations
-- ============================================================================
-- user_id (-> auth.users): user_automations_user_id_automation_id_key.
create index user_automations_automation_id_idx
  on public.user_automations (automation_id);
comment on index public.user_automations_automation_id_idx is
  'Foreign key automation_id: deleting an automation checks for adopters; adoption counts.';

create index user_automations_user_id_status_idx
  on public.user_automations (user_id, status);
comment on index public.user_automations_user_id_status_idx is
  'Dashboard: a user''s automations by status.';

create index user_automations_user_id_created_at_idx
  on public.user_automations (user_id, created_at desc);
comment on index public.user_automations_user_id_created_at_idx is
  'Activity: a user''s recent adoptions, newest first.';

-- ============================================================================
-- automation_progress
-- ============================================================================
-- (user_id, user_automation_id, automation_id) (-> user_automations): this
-- index, named like its foreign key for the 63-character limit on names.
-- user_automation_id alone: automation_progress_user_automation_id_step_id_key.
create index automation_progress_user_automation_idx
  on public.automation_progress (user_id, user_automation_id, automation_id);
comment on index public.automation_progress_user_automation_idx is
  'Foreign key to user_automations; dashboard: a user''s progress under the owner''s policy.';

create index automation_progress_automation_id_step_id_idx
  on public.automation_progress (automation_id, step_id);
comment on index public.automation_progress_automation_id_step_id_idx is
  'Foreign key (automation_id, step_id): deleting a step finds its progress rows.';

-- ============================================================================
-- subscriptions
-- ============================================================================
create index subscriptions_user_id_created_at_idx
  on public.subscriptions (user_id, created_at desc);
comment on index public.subscriptions_user_id_created_at_idx is
  'Foreign key user_id; billing history of a user, newest first.';

create index subscriptions_stripe_customer_id_idx
  on public.subscriptions (stripe_customer_id);
comment on index public.subscriptions_stripe_customer_id_idx is
  'Webhooks: find the subscriptions of a Stripe customer.';

-- stripe_subscription_id: subscriptions_stripe_subscription_id_key serves the
-- webhooks' lookup by subscription id.

-- ============================================================================
-- usage_metrics
-- ============================================================================
-- user_id (-> auth.users): usage_metrics_user_id_metric_period_start_key,
-- which also serves a user's usage of a metric by period.
create index usage_metrics_period_start_metric_idx
  on public.usage_metrics (period_start, metric);
comment on index public.usage_metrics_period_start_metric_idx is
  'Billing run: every user''s usage of a period, reported to Stripe.';
