-- Who may see and change what.
--
-- Browsers reach these tables through Supabase's API as anon (signed out) or
-- authenticated (signed in); row level security is the only wall between one
-- business owner's data and another's. service_role (the backend and the
-- Stripe webhooks) bypasses row level security and keeps every privilege.
--
--   * user-owned data: the owner reads and writes their own rows, admins all;
--   * catalogue: everyone reads what is published, admins read and write all;
--   * discoveries: written by service_role; the owner reads them and may only
--     mark them viewed and react to a recommendation;
--   * billing: written by service_role; the owner and admins read.
--
-- Rules for every policy: it names its roles; it calls (select auth.uid()) so
-- the planner evaluates it once per query, not once per row; there is one
-- permissive policy per role and command, with the admin case folded in; an
-- update has both using and with check. Privileges are granted explicitly and
-- minimally below, column by column where only some columns may change.
-- docs/ holds the resulting matrix of who may do what.

-- ============================================================================
-- private.is_admin()
-- ============================================================================
-- A policy on user_profiles that looked up user_profiles to decide whether the
-- caller is an admin would recurse forever (42P17). This helper reads the
-- caller's own profile as its owner, outside row level security. It only
-- answers for the caller: it takes no argument, so it reveals nothing about
-- anyone else. It lives in a schema the API does not expose.
create schema private;

comment on schema private is
  'Helpers for policies; not exposed through the API.';

create function private.is_admin()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.user_profiles
    where user_id = (select auth.uid())
      and role = 'admin'
  );
$$;

comment on function private.is_admin() is
  'True when the caller (auth.uid()) has an admin profile. Security definer: read by policies without recursing through user_profiles'' own policies.';

revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;
revoke execute on function private.is_admin() from public, anon;
grant execute on function private.is_admin() to authenticated, service_role;

-- ============================================================================
-- Privileges
-- ============================================================================
-- Supabase grants every privilege on public to anon and authenticated, and
-- relies on row level security alone. We start from nothing instead and grant
-- what each role needs, so a missing policy is never the only safeguard.
revoke all on all tables in schema public from anon, authenticated;
revoke execute on all functions in schema public from public, anon, authenticated;

-- user-owned data: the owner (and admins) read and write whole rows.
grant select, insert, update, delete on
  public.user_profiles,
  public.questionnaire_sessions,
  public.questionnaire_responses,
  public.automation_progress
to authenticated;

-- An adoption's user and automation never change after it is made: only its
-- state does. (Re-pointing it at an unpublished automation would reveal that
-- the draft exists.)
grant select, insert, delete on public.user_automations to authenticated;
grant update (status, started_at, completed_at) on public.user_automations to authenticated;

-- catalogue: anyone reads (published rows only, by policy); admins write.
grant select on
  public.automations,
  public.automation_tools,
  public.implementation_steps,
  public.step_media
to anon, authenticated;
grant insert, update, delete on
  public.automations,
  public.automation_tools,
  public.implementation_steps,
  public.step_media
to authenticated;

-- discoveries: read, and only the reaction and the viewed state change.
grant select on public.weekly_discoveries, public.discovered_automations to authenticated;
grant update (viewed_at) on public.weekly_discoveries to authenticated;
grant update (reaction) on public.discovered_automations to authenticated;

-- billing: read only; service_role writes.
grant select on public.subscriptions, public.usage_metrics to authenticated;

grant all on all tables in schema public to service_role;

-- ============================================================================
-- user_profiles
-- ============================================================================
create policy user_profiles_select_own
  on public.user_profiles for select
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

create policy user_profiles_insert_own
  on public.user_profiles for insert
  to authenticated
  with check (user_id = (select auth.uid()) or (select private.is_admin()));

create policy user_profiles_update_own
  on public.user_profiles for update
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()))
  with check (user_id = (select auth.uid()) or (select private.is_admin()));

create policy user_profiles_delete_own
  on public.user_profiles for delete
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

-- Nobody raises their own privileges. Row level security decides which rows a
-- user may write, not which values: this trigger refuses any role other than
-- 'user' on a profile created by a non-admin, and any change of role, unless
-- the caller is an admin or runs outside the API roles (service_role, the
-- database owner in migrations and seeds).
create function public.user_profiles_guard_role()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') or (select private.is_admin()) then
    return new;
  end if;
  if tg_op = 'INSERT' and new.role <> 'user' then
    raise exception 'only an admin can create a profile with role %', new.role
      using errcode = '42501';
  end if;
  if tg_op = 'UPDATE' and new.role is distinct from old.role then
    raise exception 'only an admin can change a user''s role'
      using errcode = '42501';
  end if;
  return new;
end;
$$;

comment on function public.user_profiles_guard_role() is
  'Trigger: refuses a role other than user on insert, and any change of role, to everyone but admins and service_role.';

revoke execute on function public.user_profiles_guard_role() from public, anon, authenticated;

create trigger user_profiles_guard_role
  before insert or update of role on public.user_profiles
  for each row execute function public.user_profiles_guard_role();

-- ============================================================================
-- questionnaire_sessions
-- ============================================================================
create policy questionnaire_sessions_select_own
  on public.questionnaire_sessions for select
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

create policy questionnaire_sessions_insert_own
  on public.questionnaire_sessions for insert
  to authenticated
  with check (user_id = (select auth.uid()) or (select private.is_admin()));

create policy questionnaire_sessions_update_own
  on public.questionnaire_sessions for update
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()))
  with check (user_id = (select auth.uid()) or (select private.is_admin()));

create policy questionnaire_sessions_delete_own
  on public.questionnaire_sessions for delete
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

-- ============================================================================
-- questionnaire_responses
-- ============================================================================
-- user_id equals the session owner's (composite foreign key), so checking it
-- is checking ownership of the parent session.
create policy questionnaire_responses_select_own
  on public.questionnaire_responses for select
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

create policy questionnaire_responses_insert_own
  on public.questionnaire_responses for insert
  to authenticated
  with check (user_id = (select auth.uid()) or (select private.is_admin()));

create policy questionnaire_responses_update_own
  on public.questionnaire_responses for update
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()))
  with check (user_id = (select auth.uid()) or (select private.is_admin()));

create policy questionnaire_responses_delete_own
  on public.questionnaire_responses for delete
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

-- ============================================================================
-- automations
-- ============================================================================
create policy automations_select_published
  on public.automations for select
  to anon
  using (published);

create policy automations_select_published_or_admin
  on public.automations for select
  to authenticated
  using (published or (select private.is_admin()));

create policy automations_insert_admin
  on public.automations for insert
  to authenticated
  with check ((select private.is_admin()));

create policy automations_update_admin
  on public.automations for update
  to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy automations_delete_admin
  on public.automations for delete
  to authenticated
  using ((select private.is_admin()));

-- ============================================================================
-- automation_tools
-- ============================================================================
create policy automation_tools_select_published
  on public.automation_tools for select
  to anon
  using (exists (
    select 1 from public.automations a
    where a.id = automation_id and a.published
  ));

create policy automation_tools_select_published_or_admin
  on public.automation_tools for select
  to authenticated
  using (
    (select private.is_admin())
    or exists (
      select 1 from public.automations a
      where a.id = automation_id and a.published
    )
  );

create policy automation_tools_insert_admin
  on public.automation_tools for insert
  to authenticated
  with check ((select private.is_admin()));

create policy automation_tools_update_admin
  on public.automation_tools for update
  to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy automation_tools_delete_admin
  on public.automation_tools for delete
  to authenticated
  using ((select private.is_admin()));

-- ============================================================================
-- implementation_steps
-- ============================================================================
create policy implementation_steps_select_published
  on public.implementation_steps for select
  to anon
  using (exists (
    select 1 from public.automations a
    where a.id = automation_id and a.published
  ));

create policy implementation_steps_select_published_or_admin
  on public.implementation_steps for select
  to authenticated
  using (
    (select private.is_admin())
    or exists (
      select 1 from public.automations a
      where a.id = automation_id and a.published
    )
  );

create policy implementation_steps_insert_admin
  on public.implementation_steps for insert
  to authenticated
  with check ((select private.is_admin()));

create policy implementation_steps_update_admin
  on public.implementation_steps for update
  to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy implementation_steps_delete_admin
  on public.implementation_steps for delete
  to authenticated
  using ((select private.is_admin()));

-- ============================================================================
-- step_media
-- ============================================================================
create policy step_media_select_published
  on public.step_media for select
  to anon
  using (exists (
    select 1
    from public.implementation_steps s
    join public.automations a on a.id = s.automation_id
    where s.id = step_id and a.published
  ));

create policy step_media_select_published_or_admin
  on public.step_media for select
  to authenticated
  using (
    (select private.is_admin())
    or exists (
      select 1
      from public.implementation_steps s
      join public.automations a on a.id = s.automation_id
      where s.id = step_id and a.published
    )
  );

create policy step_media_insert_admin
  on public.step_media for insert
  to authenticated
  with check ((select private.is_admin()));

create policy step_media_update_admin
  on public.step_media for update
  to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy step_media_delete_admin
  on public.step_media for delete
  to authenticated
  using ((select private.is_admin()));

-- ============================================================================
-- weekly_discoveries
-- ============================================================================
-- Inserted and deleted by service_role only (no grant to authenticated).
create policy weekly_discoveries_select_own
  on public.weekly_discoveries for select
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

-- Column privileges limit the update to viewed_at.
create policy weekly_discoveries_update_own
  on public.weekly_discoveries for update
  to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

-- ============================================================================
-- discovered_automations
-- ============================================================================
-- user_id equals the discovery owner's (composite foreign key).
create policy discovered_automations_select_own
  on public.discovered_automations for select
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

-- Column privileges limit the update to the reaction.
create policy discovered_automations_update_own
  on public.discovered_automations for update
  to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

-- ============================================================================
-- user_automations
-- ============================================================================
create policy user_automations_select_own
  on public.user_automations for select
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

-- Only a published automation can be adopted: a draft's id must not be
-- usable, nor its existence confirmed, by anyone but an admin.
create policy user_automations_insert_own
  on public.user_automations for insert
  to authenticated
  with check (
    (
      user_id = (select auth.uid())
      and exists (
        select 1 from public.automations a
        where a.id = automation_id and a.published
      )
    )
    or (select private.is_admin())
  );

create policy user_automations_update_own
  on public.user_automations for update
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()))
  with check (user_id = (select auth.uid()) or (select private.is_admin()));

create policy user_automations_delete_own
  on public.user_automations for delete
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

-- ============================================================================
-- automation_progress
-- ============================================================================
-- user_id equals the user automation's owner (composite foreign key).
create policy automation_progress_select_own
  on public.automation_progress for select
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

create policy automation_progress_insert_own
  on public.automation_progress for insert
  to authenticated
  with check (user_id = (select auth.uid()) or (select private.is_admin()));

create policy automation_progress_update_own
  on public.automation_progress for update
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()))
  with check (user_id = (select auth.uid()) or (select private.is_admin()));

create policy automation_progress_delete_own
  on public.automation_progress for delete
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

-- ============================================================================
-- subscriptions
-- ============================================================================
-- Written by service_role from Stripe's webhooks only: an admin editing a plan
-- here would leave the database out of step with Stripe.
create policy subscriptions_select_own
  on public.subscriptions for select
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

-- ============================================================================
-- usage_metrics
-- ============================================================================
-- Written by service_role only, for the same reason.
create policy usage_metrics_select_own
  on public.usage_metrics for select
  to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));
