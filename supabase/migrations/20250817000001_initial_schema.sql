-- Initial schema of the automation discovery platform.
--
-- Thirteen tables in four groups: the business owner (profile, questionnaire),
-- the catalogue (automations, their tools, steps and media), the weekly
-- discoveries and the user's progress, and billing (Stripe subscriptions and
-- metered usage).
--
-- Conventions, so that every table reads the same way:
--   * row level security is enabled right where a table is created, so no table
--     ever exists without it (policies: 20250817000002_add_rls_policies.sql);
--   * controlled vocabularies are check constraints;
--   * every foreign key states its on delete, with the reason beside it
--     (indexes for them: 20250817000003_add_indexes.sql);
--   * user-owned child rows carry user_id, kept equal to their parent's by a
--     composite foreign key, so policies never need a join to decide ownership;
--   * created_at and updated_at everywhere, updated_at kept by one trigger.
--
-- Must stay valid on PostgreSQL 15 (Supabase) as well as newer releases.

create extension if not exists vector with schema extensions;

-- One trigger function keeps updated_at current on every table.
create function public.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

comment on function public.set_updated_at() is
  'Trigger: keeps updated_at equal to the time of the last update.';

-- ============================================================================
-- user_profiles
-- ============================================================================
-- The business behind each account: what the questionnaire and the discovery
-- engine need to know to rank automations. One per auth.users row.
create table public.user_profiles (
  -- Deleting the account deletes the profile: a profile without a user is
  -- personal data with no owner.
  user_id uuid not null
    constraint user_profiles_user_id_fkey references auth.users (id) on delete cascade,
  full_name text,
  business_name text,
  industry text,
  business_size text
    constraint user_profiles_business_size_check
    check (business_size in ('solo', 'small-team', 'large-team')),
  experience text
    constraint user_profiles_experience_check
    check (experience in ('beginner', 'intermediate', 'expert')),
  current_tools text[] not null default '{}',
  goals text[] not null default '{}',
  role text not null default 'user'
    constraint user_profiles_role_check check (role in ('user', 'admin')),
  onboarding_status text not null default 'not_started'
    constraint user_profiles_onboarding_status_check
    check (onboarding_status in ('not_started', 'in_progress', 'completed')),
  onboarding_completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_profiles_pkey primary key (user_id),
  constraint user_profiles_onboarding_completed_at_check
    check (onboarding_status <> 'completed' or onboarding_completed_at is not null)
);

alter table public.user_profiles enable row level security;

comment on table public.user_profiles is
  'The business behind an account: size, experience and tools drive the ranking of discoveries. One per auth.users row.';
comment on column public.user_profiles.role is
  'user or admin. Only admins and service_role may change it (trigger user_profiles_guard_role).';

create trigger user_profiles_set_updated_at
  before update on public.user_profiles
  for each row execute function public.set_updated_at();

-- ============================================================================
-- questionnaire_sessions
-- ============================================================================
-- One run of a user through the onboarding questionnaire. ai_context keeps
-- what the model derived from the answers so far.
create table public.questionnaire_sessions (
  id uuid not null default gen_random_uuid(),
  -- The user's answers are theirs: they go with the account.
  user_id uuid not null
    constraint questionnaire_sessions_user_id_fkey references auth.users (id) on delete cascade,
  status text not null default 'in_progress'
    constraint questionnaire_sessions_status_check
    check (status in ('in_progress', 'completed', 'abandoned')),
  current_step integer not null default 1
    constraint questionnaire_sessions_current_step_check check (current_step > 0),
  ai_context jsonb not null default '{}',
  started_at timestamptz not null default now(),
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint questionnaire_sessions_pkey primary key (id),
  -- Target of the responses' composite foreign key (user_id, session_id).
  constraint questionnaire_sessions_user_id_id_key unique (user_id, id),
  constraint questionnaire_sessions_completed_at_check
    check (status <> 'completed' or completed_at is not null),
  constraint questionnaire_sessions_completed_after_start_check
    check (completed_at is null or completed_at >= started_at)
);

alter table public.questionnaire_sessions enable row level security;

comment on table public.questionnaire_sessions is
  'A user''s run through the questionnaire; completed sessions have a completion time.';

create trigger questionnaire_sessions_set_updated_at
  before update on public.questionnaire_sessions
  for each row execute function public.set_updated_at();

-- ============================================================================
-- questionnaire_responses
-- ============================================================================
-- One answer per question per session.
create table public.questionnaire_responses (
  id uuid not null default gen_random_uuid(),
  session_id uuid not null,
  user_id uuid not null,
  question_key text not null
    constraint questionnaire_responses_question_key_check check (question_key <> ''),
  answer jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint questionnaire_responses_pkey primary key (id),
  constraint questionnaire_responses_session_id_question_key_key unique (session_id, question_key),
  -- Answers die with their session (and so with the user). The composite key
  -- keeps user_id equal to the session's owner, so policies can trust it.
  constraint questionnaire_responses_user_id_session_id_fkey
    foreign key (user_id, session_id)
    references public.questionnaire_sessions (user_id, id) on delete cascade
);

alter table public.questionnaire_responses enable row level security;

comment on table public.questionnaire_responses is
  'One answer (jsonb) per question key per session. user_id is the session owner''s, enforced by a composite foreign key.';

create trigger questionnaire_responses_set_updated_at
  before update on public.questionnaire_responses
  for each row execute function public.set_updated_at();

-- ============================================================================
-- automations
-- ============================================================================
-- The catalogue. embedding is the text's vector (1536 dimensions, as OpenAI's
-- embeddings) used to rank automations against a business.
create table public.automations (
  id uuid not null default gen_random_uuid(),
  slug text not null
    constraint automations_slug_check check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title text not null
    constraint automations_title_check check (title <> ''),
  summary text not null,
  description text not null default '',
  category text not null
    constraint automations_category_check
    check (category in (
      'marketing', 'sales', 'customer-support', 'operations',
      'finance', 'hr', 'productivity', 'ecommerce'
    )),
  difficulty text not null
    constraint automations_difficulty_check check (difficulty in ('easy', 'medium', 'hard')),
  setup_minutes integer not null default 0
    constraint automations_setup_minutes_check check (setup_minutes >= 0),
  hours_saved_per_week numeric(6, 2) not null default 0
    constraint automations_hours_saved_per_week_check check (hours_saved_per_week >= 0),
  tags text[] not null default '{}',
  embedding extensions.vector(1536),
  published boolean not null default false,
  published_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint automations_pkey primary key (id),
  constraint automations_slug_key unique (slug),
  constraint automations_published_at_check check (not published or published_at is not null)
);

alter table public.automations enable row level security;

comment on table public.automations is
  'The automation library. Only published automations are visible outside the admin team.';
comment on column public.automations.embedding is
  'Text embedding (1536 dimensions) compared by cosine distance to rank automations for a business.';
comment on column public.automations.published_at is
  'When the automation was first published; set by trigger automations_set_published_at when left empty.';

-- published_at is set whenever an automation is published without one, so
-- the check above never bites an editor who only flips published.
create function public.automations_set_published_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.published and new.published_at is null then
    new.published_at := now();
  end if;
  return new;
end;
$$;

create trigger automations_set_published_at
  before insert or update of published, published_at on public.automations
  for each row execute function public.automations_set_published_at();

create trigger automations_set_updated_at
  before update on public.automations
  for each row execute function public.set_updated_at();

-- ============================================================================
-- automation_tools
-- ============================================================================
-- The software an automation uses, so a business can see what it needs.
create table public.automation_tools (
  id uuid not null default gen_random_uuid(),
  -- Tools are part of the automation's description: they go with it.
  automation_id uuid not null
    constraint automation_tools_automation_id_fkey
    references public.automations (id) on delete cascade,
  name text not null
    constraint automation_tools_name_check check (name <> ''),
  url text
    constraint automation_tools_url_check check (url ~ '^https?://'),
  required boolean not null default true,
  pricing_note text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint automation_tools_pkey primary key (id),
  constraint automation_tools_automation_id_name_key unique (automation_id, name)
);

alter table public.automation_tools enable row level security;

comment on table public.automation_tools is
  'Tools an automation uses, required or optional, once each per automation.';

create trigger automation_tools_set_updated_at
  before update on public.automation_tools
  for each row execute function public.set_updated_at();

-- ============================================================================
-- implementation_steps
-- ============================================================================
-- The step-by-step guide of an automation.
create table public.implementation_steps (
  id uuid not null default gen_random_uuid(),
  -- Steps are part of the automation's guide: they go with it.
  automation_id uuid not null
    constraint implementation_steps_automation_id_fkey
    references public.automations (id) on delete cascade,
  step_number integer not null
    constraint implementation_steps_step_number_check check (step_number > 0),
  title text not null
    constraint implementation_steps_title_check check (title <> ''),
  instructions text not null,
  estimated_minutes integer
    constraint implementation_steps_estimated_minutes_check check (estimated_minutes >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint implementation_steps_pkey primary key (id),
  constraint implementation_steps_automation_id_step_number_key unique (automation_id, step_number),
  -- Target of automation_progress's (automation_id, step_id) foreign key.
  constraint implementation_steps_automation_id_id_key unique (automation_id, id)
);

alter table public.implementation_steps enable row level security;

comment on table public.implementation_steps is
  'Ordered steps of an automation''s guide; step numbers are positive and unique per automation.';

create trigger implementation_steps_set_updated_at
  before update on public.implementation_steps
  for each row execute function public.set_updated_at();

-- ============================================================================
-- step_media
-- ============================================================================
-- Screenshots, videos, gifs and documents that illustrate a step.
create table public.step_media (
  id uuid not null default gen_random_uuid(),
  -- Media illustrate one step: they go with it.
  step_id uuid not null
    constraint step_media_step_id_fkey
    references public.implementation_steps (id) on delete cascade,
  media_type text not null
    constraint step_media_media_type_check
    check (media_type in ('image', 'video', 'gif', 'document')),
  url text not null
    constraint step_media_url_check check (url ~ '^https?://'),
  caption text,
  position integer not null default 1
    constraint step_media_position_check check (position > 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint step_media_pkey primary key (id),
  constraint step_media_step_id_position_key unique (step_id, position)
);

alter table public.step_media enable row level security;

comment on table public.step_media is
  'Images, videos, gifs or documents attached to a step, in order.';

create trigger step_media_set_updated_at
  before update on public.step_media
  for each row execute function public.set_updated_at();

-- ============================================================================
-- weekly_discoveries
-- ============================================================================
-- Each Monday the platform generates a set of recommendations per user.
create table public.weekly_discoveries (
  id uuid not null default gen_random_uuid(),
  -- Discoveries are about the user's business: they go with the account.
  user_id uuid not null
    constraint weekly_discoveries_user_id_fkey references auth.users (id) on delete cascade,
  week_of date not null
    -- ISO day of week 1 is Monday.
    constraint weekly_discoveries_week_of_check check (extract(isodow from week_of) = 1),
  status text not null default 'pending'
    constraint weekly_discoveries_status_check
    check (status in ('pending', 'generating', 'ready', 'failed')),
  generated_at timestamptz,
  viewed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint weekly_discoveries_pkey primary key (id),
  constraint weekly_discoveries_user_id_week_of_key unique (user_id, week_of),
  -- Target of discovered_automations's composite foreign key.
  constraint weekly_discoveries_user_id_id_key unique (user_id, id),
  constraint weekly_discoveries_generated_at_check
    check (status <> 'ready' or generated_at is not null)
);

alter table public.weekly_discoveries enable row level security;

comment on table public.weekly_discoveries is
  'One set of recommendations per user per week; week_of is a Monday. Written by service_role; the owner may only mark it viewed.';

create trigger weekly_discoveries_set_updated_at
  before update on public.weekly_discoveries
  for each row execute function public.set_updated_at();

-- ============================================================================
-- discovered_automations
-- ============================================================================
-- The ranked recommendations of one weekly discovery, and the user's reaction.
create table public.discovered_automations (
  id uuid not null default gen_random_uuid(),
  discovery_id uuid not null,
  user_id uuid not null,
  -- A recommendation of an automation that no longer exists means nothing:
  -- it goes with the automation.
  automation_id uuid not null
    constraint discovered_automations_automation_id_fkey
    references public.automations (id) on delete cascade,
  rank integer not null
    constraint discovered_automations_rank_check check (rank > 0),
  relevance_score numeric(5, 4) not null
    constraint discovered_automations_relevance_score_check
    check (relevance_score >= 0 and relevance_score <= 1),
  reason text,
  reaction text not null default 'new'
    constraint discovered_automations_reaction_check
    check (reaction in ('new', 'saved', 'dismissed', 'started')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint discovered_automations_pkey primary key (id),
  constraint discovered_automations_discovery_id_automation_id_key unique (discovery_id, automation_id),
  constraint discovered_automations_discovery_id_rank_key unique (discovery_id, rank),
  -- Recommendations go with their discovery. The composite key keeps user_id
  -- equal to the discovery's owner, so policies can trust it.
  constraint discovered_automations_user_id_discovery_id_fkey
    foreign key (user_id, discovery_id)
    references public.weekly_discoveries (user_id, id) on delete cascade
);

alter table public.discovered_automations enable row level security;

comment on table public.discovered_automations is
  'Automations a weekly discovery recommends, ranked, with a relevance score in [0,1] and the user''s reaction.';

create trigger discovered_automations_set_updated_at
  before update on public.discovered_automations
  for each row execute function public.set_updated_at();

-- ============================================================================
-- user_automations
-- ============================================================================
-- An automation a user has adopted: saved, being implemented, done or dropped.
create table public.user_automations (
  id uuid not null default gen_random_uuid(),
  -- A user's adoptions are theirs: they go with the account.
  user_id uuid not null
    constraint user_automations_user_id_fkey references auth.users (id) on delete cascade,
  -- An automation that users have adopted cannot be deleted: their progress
  -- would vanish under them. Unpublish it instead: their user_automations
  -- and progress rows stay, and admins can still see the automation.
  automation_id uuid not null
    constraint user_automations_automation_id_fkey
    references public.automations (id) on delete restrict,
  status text not null default 'saved'
    constraint user_automations_status_check
    check (status in ('saved', 'in_progress', 'completed', 'abandoned')),
  started_at timestamptz,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_automations_pkey primary key (id),
  constraint user_automations_user_id_automation_id_key unique (user_id, automation_id),
  -- Target of automation_progress's composite foreign key: progress rows carry
  -- the owner and the automation of their user automation.
  constraint user_automations_user_id_id_automation_id_key unique (user_id, id, automation_id),
  constraint user_automations_completed_at_check
    check (status <> 'completed' or completed_at is not null),
  constraint user_automations_completed_after_start_check
    check (completed_at is null or started_at is null or completed_at >= started_at)
);

alter table public.user_automations enable row level security;

comment on table public.user_automations is
  'A user''s adoption of an automation, once per user and automation. Deleting an adopted automation is refused.';

create trigger user_automations_set_updated_at
  before update on public.user_automations
  for each row execute function public.set_updated_at();

-- ============================================================================
-- automation_progress
-- ============================================================================
-- Per-step progress through an adopted automation's guide.
create table public.automation_progress (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  user_automation_id uuid not null,
  automation_id uuid not null,
  step_id uuid not null,
  status text not null default 'not_started'
    constraint automation_progress_status_check
    check (status in ('not_started', 'in_progress', 'completed', 'skipped')),
  completed_at timestamptz,
  notes text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint automation_progress_pkey primary key (id),
  constraint automation_progress_user_automation_id_step_id_key unique (user_automation_id, step_id),
  constraint automation_progress_completed_at_check
    check (status <> 'completed' or completed_at is not null),
  -- Progress goes with the user automation it tracks (and so with the user).
  -- The composite key keeps user_id and automation_id equal to the parent's.
  -- Named for its parent: the full column list passes PostgreSQL's 63-character
  -- limit on names, which would silently truncate it.
  constraint automation_progress_user_automation_fkey
    foreign key (user_id, user_automation_id, automation_id)
    references public.user_automations (user_id, id, automation_id) on delete cascade,
  -- The step must belong to the same automation as the user automation.
  -- Progress on a step removed from the guide goes with the step.
  constraint automation_progress_automation_id_step_id_fkey
    foreign key (automation_id, step_id)
    references public.implementation_steps (automation_id, id) on delete cascade
);

alter table public.automation_progress enable row level security;

comment on table public.automation_progress is
  'Per-step progress of a user automation, once per step; the step belongs to the same automation (composite foreign keys).';

create trigger automation_progress_set_updated_at
  before update on public.automation_progress
  for each row execute function public.set_updated_at();

-- ============================================================================
-- subscriptions
-- ============================================================================
-- Mirror of the user's Stripe subscription, written by the webhook handler.
create table public.subscriptions (
  id uuid not null default gen_random_uuid(),
  -- Billing records go with the account (Stripe keeps its own).
  user_id uuid not null
    constraint subscriptions_user_id_fkey references auth.users (id) on delete cascade,
  stripe_customer_id text not null
    constraint subscriptions_stripe_customer_id_check check (stripe_customer_id ~ '^cus_'),
  stripe_subscription_id text
    constraint subscriptions_stripe_subscription_id_check check (stripe_subscription_id ~ '^sub_'),
  stripe_price_id text,
  plan text not null default 'free'
    constraint subscriptions_plan_check check (plan in ('free', 'pro', 'business')),
  -- Stripe's own subscription statuses.
  status text not null
    constraint subscriptions_status_check
    check (status in (
      'trialing', 'active', 'past_due', 'canceled', 'unpaid',
      'incomplete', 'incomplete_expired', 'paused'
    )),
  current_period_start timestamptz,
  current_period_end timestamptz,
  cancel_at_period_end boolean not null default false,
  canceled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint subscriptions_pkey primary key (id),
  constraint subscriptions_stripe_subscription_id_key unique (stripe_subscription_id),
  constraint subscriptions_current_period_check
    check (current_period_end > current_period_start)
);

alter table public.subscriptions enable row level security;

-- A user has at most one live subscription; canceled and expired ones are history.
create unique index subscriptions_user_id_live_key
  on public.subscriptions (user_id)
  where status in ('trialing', 'active', 'past_due');

comment on table public.subscriptions is
  'Stripe subscriptions, written by service_role only; at most one live (trialing, active, past_due) per user.';
comment on index public.subscriptions_user_id_live_key is
  'At most one live subscription per user; also serves the lookup of a user''s current plan.';

create trigger subscriptions_set_updated_at
  before update on public.subscriptions
  for each row execute function public.set_updated_at();

-- ============================================================================
-- usage_metrics
-- ============================================================================
-- Metered usage reported to Stripe, one counter per user, metric and period.
create table public.usage_metrics (
  id uuid not null default gen_random_uuid(),
  -- Usage records go with the account.
  user_id uuid not null
    constraint usage_metrics_user_id_fkey references auth.users (id) on delete cascade,
  metric text not null
    constraint usage_metrics_metric_check
    check (metric in ('discoveries', 'ai_queries', 'guide_views', 'automations_started')),
  period_start date not null,
  period_end date not null,
  quantity bigint not null default 0
    constraint usage_metrics_quantity_check check (quantity >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint usage_metrics_pkey primary key (id),
  -- One counter per user, metric and period: a webhook delivered twice upserts
  -- the same row instead of counting twice.
  constraint usage_metrics_user_id_metric_period_start_key unique (user_id, metric, period_start),
  constraint usage_metrics_period_check check (period_end > period_start)
);

alter table public.usage_metrics enable row level security;

comment on table public.usage_metrics is
  'Metered usage per user, metric and period, non-negative, one row each so a repeated webhook cannot double-count. Written by service_role only.';

create trigger usage_metrics_set_updated_at
  before update on public.usage_metrics
  for each row execute function public.set_updated_at();
