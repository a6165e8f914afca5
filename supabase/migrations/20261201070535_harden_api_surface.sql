-- Hardening of what a browser can reach through Supabase's API.
--
-- An outside review acted as PostgREST does (a transaction, set local role
-- anon or authenticated, request.jwt.claims) and found no way to read or change
-- another user's rows, but found what this migration closes, each with its
-- reason beside it (tests: supabase/tests/292_rls_attacks_hardening.sql):
--
--   1. new tables, sequences and functions in public start closed to the API
--      roles, instead of inheriting Supabase's "grant everything" defaults;
--   2. unique keys no longer answer for rows the caller cannot see: per-user
--      keys lead with user_id, and the server picks the ids of user rows;
--   3. the server owns created_at and updated_at for the API roles;
--   4. a recommendation points at a published automation, and stops showing
--      when that automation is unpublished;
--   5. progress is recorded only on steps the user can read;
--   6. the planner keeps no statistics on a subscription's plan and status;
--   7. every text, jsonb and array value a browser may write has a size limit.
--
-- What is accepted instead of refused (planner estimates of table sizes,
-- pg_stat_statements, rate limiting) is in the README's Security section.
--
-- "API roles" below are anon and authenticated: the roles PostgREST switches to
-- for a browser. service_role (the backend) and the owner (migrations, seed)
-- are trusted and keep writing what they write today.

-- ============================================================================
-- 1. Default privileges: new objects start closed
-- ============================================================================
-- Supabase grants every privilege on new tables, sequences and functions in
-- public to anon and authenticated (default privileges of the role that
-- creates them, here the one running the migrations: postgres on Supabase).
-- 20250817000002 revoked them from the objects that existed then; without
-- this, the next migration's table would be fully granted and its function
-- callable over RPC by anyone. Every new object now states its own grants.
-- service_role keeps its defaults: it bypasses row level security anyway.
alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
alter default privileges in schema public revoke all on functions from anon, authenticated;

-- PostgreSQL itself grants EXECUTE on every new function to PUBLIC, whatever
-- the schema, and a per-schema default cannot take a global one away. So the
-- global default of this role drops it...
alter default privileges revoke execute on functions from public;

-- ...and schema extensions gets it back: extensions installed by this role
-- (pgTAP after `supabase db reset`, vector on a bare server) keep the
-- functions every role may call, as their authors intend.
alter default privileges in schema extensions grant execute on functions to public;

-- (Supabase's supabase_admin has the same open defaults in public. postgres
-- cannot change another role's defaults, and no migration here creates objects
-- as supabase_admin: see the README's Security section.)

-- ============================================================================
-- 2. Unique keys that answer only for the caller's own rows
-- ============================================================================
-- A unique key is checked before any foreign key says whose row it is. With
-- (session_id, question_key), a user inserting an answer into another user's
-- session learned from 23505 against 23503 which questions that user had
-- answered. Leading with user_id, which the insert policy pins to the caller,
-- a collision can only be with the caller's own rows. user_id is the session's
-- owner (composite foreign key), so what is unique stays the same: one answer
-- per question per session. An upsert names the new key:
-- on conflict (user_id, session_id, question_key).
alter table public.questionnaire_responses
  drop constraint questionnaire_responses_session_id_question_key_key,
  add constraint questionnaire_responses_user_id_session_id_question_key_key
    unique (user_id, session_id, question_key);

comment on index public.questionnaire_responses_user_id_session_id_question_key_key is
  'One answer per question per session; leads with user_id so that only the caller''s own answers can collide. Also serves the foreign key (user_id, session_id) and a session''s answers under the owner''s policy.';

-- The new key leads with (user_id, session_id): this index only duplicated it.
drop index public.questionnaire_responses_user_id_session_id_idx;

-- Likewise (user_automation_id, step_id) told a user which steps another
-- user had progress on. The new key starts with the composite foreign key to
-- user_automations (user_id, user_automation_id, automation_id): user_id and
-- automation_id are the user automation's, so what is unique stays one row
-- per step of a user automation, and the key serves the foreign key too. Named
-- for its parent, like that foreign key: the full column list passes
-- PostgreSQL's 63-character limit on names.
alter table public.automation_progress
  drop constraint automation_progress_user_automation_id_step_id_key,
  add constraint automation_progress_user_automation_step_key
    unique (user_id, user_automation_id, automation_id, step_id);

comment on index public.automation_progress_user_automation_step_key is
  'One progress row per step of a user automation; leads with user_id so that only the caller''s own progress can collide. Also serves the foreign key to user_automations and the dashboard''s progress of a user automation.';

-- The new key leads with the foreign key's columns: this index only duplicated it.
drop index public.automation_progress_user_automation_idx;

-- An id is a unique key too: inserting (or updating to) another user's id
-- answered 23505 when it existed, and an upsert with on conflict do nothing
-- answered silently. On the tables users write, the server picks the id of a
-- new row and an id never changes, for the API roles. A client reads the id
-- back with `returning` (supabase-js: .select()); an upsert by id therefore
-- always inserts: update a row by its id instead.
create function public.keep_server_id()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  if tg_op = 'INSERT' then
    new.id := gen_random_uuid();
  else
    new.id := old.id;
  end if;
  return new;
end;
$$;

comment on function public.keep_server_id() is
  'Trigger: for anon and authenticated, a new row gets a server-chosen id and an id never changes, so no id of another user''s row can collide.';

revoke all on function public.keep_server_id() from public, anon, authenticated;

create trigger questionnaire_sessions_keep_server_id
  before insert or update of id on public.questionnaire_sessions
  for each row execute function public.keep_server_id();

create trigger questionnaire_responses_keep_server_id
  before insert or update of id on public.questionnaire_responses
  for each row execute function public.keep_server_id();

create trigger user_automations_keep_server_id
  before insert on public.user_automations
  for each row execute function public.keep_server_id();

create trigger automation_progress_keep_server_id
  before insert or update of id on public.automation_progress
  for each row execute function public.keep_server_id();

-- (user_automations: no column privilege lets the API roles update id.
-- Catalogue ids are chosen by admins, who see every row: nothing to learn.)

-- ============================================================================
-- 3. Timestamps the server owns
-- ============================================================================
-- created_at and updated_at record when the platform saw a row, and the
-- activity and billing views trust them. For the API roles, an insert stamps
-- both with now() whatever the client sent, and an update keeps created_at
-- (set_updated_at already sets updated_at on every update, for everyone).
create function public.keep_server_timestamps()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  if tg_op = 'INSERT' then
    new.created_at := now();
    new.updated_at := now();
  else
    new.created_at := old.created_at;
  end if;
  return new;
end;
$$;

comment on function public.keep_server_timestamps() is
  'Trigger: for anon and authenticated, an insert stamps created_at and updated_at with now() and an update keeps created_at.';

revoke all on function public.keep_server_timestamps() from public, anon, authenticated;

-- Every table an API role may insert into or update created_at of.
-- (weekly_discoveries, discovered_automations: only viewed_at and reaction
-- may change; subscriptions, usage_metrics: service_role writes them.)
create trigger user_profiles_keep_server_timestamps
  before insert or update of created_at on public.user_profiles
  for each row execute function public.keep_server_timestamps();

create trigger questionnaire_sessions_keep_server_timestamps
  before insert or update of created_at on public.questionnaire_sessions
  for each row execute function public.keep_server_timestamps();

create trigger questionnaire_responses_keep_server_timestamps
  before insert or update of created_at on public.questionnaire_responses
  for each row execute function public.keep_server_timestamps();

create trigger automations_keep_server_timestamps
  before insert or update of created_at on public.automations
  for each row execute function public.keep_server_timestamps();

create trigger automation_tools_keep_server_timestamps
  before insert or update of created_at on public.automation_tools
  for each row execute function public.keep_server_timestamps();

create trigger implementation_steps_keep_server_timestamps
  before insert or update of created_at on public.implementation_steps
  for each row execute function public.keep_server_timestamps();

create trigger step_media_keep_server_timestamps
  before insert or update of created_at on public.step_media
  for each row execute function public.keep_server_timestamps();

create trigger user_automations_keep_server_timestamps
  before insert on public.user_automations
  for each row execute function public.keep_server_timestamps();

create trigger automation_progress_keep_server_timestamps
  before insert or update of created_at on public.automation_progress
  for each row execute function public.keep_server_timestamps();

-- ============================================================================
-- 4. Recommendations of published automations only
-- ============================================================================
-- A recommendation shows its owner the automation's id and the reason text:
-- pointing at a draft would reveal it. service_role writes recommendations,
-- so a trigger, not a policy, refuses a draft, for every writer. A missing
-- automation is left to the foreign key.
create function public.discovered_automations_require_published()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (
    select 1 from public.automations a
    where a.id = new.automation_id and not a.published
  ) then
    raise exception 'automation % is not published: only a published automation can be recommended', new.automation_id
      using errcode = '23514';
  end if;
  return new;
end;
$$;

comment on function public.discovered_automations_require_published() is
  'Trigger: refuses a recommendation of an unpublished automation, whoever writes it.';

revoke all on function public.discovered_automations_require_published() from public, anon, authenticated;

create trigger discovered_automations_require_published
  before insert or update of automation_id on public.discovered_automations
  for each row execute function public.discovered_automations_require_published();

-- An automation unpublished after it was recommended: its recommendations
-- disappear from their owners' view (and so cannot be reacted to) until it
-- is published again. Admins still see them.
alter policy discovered_automations_select_own
  on public.discovered_automations
  using (
    (
      user_id = (select auth.uid())
      and exists (
        select 1 from public.automations a
        where a.id = discovered_automations.automation_id and a.published
      )
    )
    or (select private.is_admin())
  );

alter policy discovered_automations_update_own
  on public.discovered_automations
  using (
    user_id = (select auth.uid())
    and exists (
      select 1 from public.automations a
      where a.id = discovered_automations.automation_id and a.published
    )
  )
  with check (user_id = (select auth.uid()));

-- ============================================================================
-- 5. Progress only on steps the user can read
-- ============================================================================
-- An automation unpublished after adoption hides its steps from the adopter,
-- who could still insert progress against step ids and learn from the foreign
-- key which ids exist. A new or changed progress row must name a step the
-- caller can read (implementation_steps' own policy: a published automation's,
-- or any for an admin). The rule: an adopter keeps reading and deleting their
-- progress on an unpublished automation, and records none until it is
-- published again.
alter policy automation_progress_insert_own
  on public.automation_progress
  with check (
    (
      user_id = (select auth.uid())
      and exists (
        select 1 from public.implementation_steps s
        where s.id = automation_progress.step_id
      )
    )
    or (select private.is_admin())
  );

alter policy automation_progress_update_own
  on public.automation_progress
  using (user_id = (select auth.uid()) or (select private.is_admin()))
  with check (
    (
      user_id = (select auth.uid())
      and exists (
        select 1 from public.implementation_steps s
        where s.id = automation_progress.step_id
      )
    )
    or (select private.is_admin())
  );

-- ============================================================================
-- 6. Planner statistics of a subscription's plan and status
-- ============================================================================
-- PostgREST's Prefer: count=planned (and estimated) returns the planner's
-- estimate, computed from statistics over every row, row level security or
-- not: a user's estimate of subscriptions on plan 'pro' was half the number of
-- users on it. Without statistics on these columns the estimate is the same
-- for every plan and status. Nothing filters by them in a hot query.
-- A target of 0 stops ANALYZE from collecting them but keeps what it collected
-- before; changing a column to its own type drops those, without rewriting the
-- table (its checks and the live-subscription index are rebuilt: a small table).
alter table public.subscriptions
  alter column plan set statistics 0,
  alter column plan type text,
  alter column status set statistics 0,
  alter column status type text;

-- ============================================================================
-- 7. Size limits on what a browser may store
-- ============================================================================
-- Every text, jsonb and array value that anon or authenticated may write has
-- an upper bound, well above what the product stores, so a client cannot fill
-- the database one value at a time (a 20 MB ai_context was accepted). Text is
-- counted in characters, jsonb and arrays in bytes of their text form.
-- Vocabulary columns are already bounded by their check. How many rows a
-- client may write, and how often, is the API gateway's business (README).
alter table public.user_profiles
  add constraint user_profiles_full_name_size_check check (char_length(full_name) <= 200),
  add constraint user_profiles_business_name_size_check check (char_length(business_name) <= 200),
  add constraint user_profiles_industry_size_check check (char_length(industry) <= 100),
  add constraint user_profiles_current_tools_size_check
    check (cardinality(current_tools) <= 50 and octet_length(current_tools::text) <= 2000),
  add constraint user_profiles_goals_size_check
    check (cardinality(goals) <= 20 and octet_length(goals::text) <= 2000);

-- What the model derived from the answers: a few kilobytes.
alter table public.questionnaire_sessions
  add constraint questionnaire_sessions_ai_context_size_check check (octet_length(ai_context::text) <= 65536);

alter table public.questionnaire_responses
  add constraint questionnaire_responses_question_key_size_check check (char_length(question_key) <= 100),
  add constraint questionnaire_responses_answer_size_check check (octet_length(answer::text) <= 16384);

alter table public.automation_progress
  add constraint automation_progress_notes_size_check check (char_length(notes) <= 10000);

-- The catalogue: written by admins, through a browser too.
alter table public.automations
  add constraint automations_slug_size_check check (char_length(slug) <= 100),
  add constraint automations_title_size_check check (char_length(title) <= 200),
  add constraint automations_summary_size_check check (char_length(summary) <= 1000),
  add constraint automations_description_size_check check (char_length(description) <= 50000),
  add constraint automations_tags_size_check
    check (cardinality(tags) <= 30 and octet_length(tags::text) <= 1000);

alter table public.automation_tools
  add constraint automation_tools_name_size_check check (char_length(name) <= 100),
  add constraint automation_tools_url_size_check check (char_length(url) <= 2048),
  add constraint automation_tools_pricing_note_size_check check (char_length(pricing_note) <= 500);

alter table public.implementation_steps
  add constraint implementation_steps_title_size_check check (char_length(title) <= 200),
  add constraint implementation_steps_instructions_size_check check (char_length(instructions) <= 50000);

alter table public.step_media
  add constraint step_media_url_size_check check (char_length(url) <= 2048),
  add constraint step_media_caption_size_check check (char_length(caption) <= 1000);
