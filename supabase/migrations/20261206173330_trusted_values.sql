-- Values a browser writes are values the rest of the platform can trust.
--
-- A second outside review (issue 25), as a user with a valid JWT and as anon
-- through PostgREST, found no way to read or write another user's rows, but
-- found that the owner of a row could store values the dashboards, the
-- discovery job and typed clients trip over. This migration closes each, with
-- its reason beside it (tests: supabase/tests/294_trusted_values.sql):
--
--   1. times that describe what happened are the server's: started when
--      started, completed when completed, viewed once, at the first view;
--   2. a questionnaire session's step is one of the questionnaire's steps;
--   3. text arrays are lists: one dimension, no NULL or empty element;
--   4. JSON a browser writes is nested at most 16 levels deep;
--   5. match_automations refuses an embedding without a direction.
--
-- As in 20261201070535, the rules on values that only a browser gets wrong
-- bind the API roles (anon and authenticated); service_role (the backend) and
-- the owner (migrations, seed, which write history with its own times) are
-- trusted. The rules on shapes (2-4) bind every writer.

-- ============================================================================
-- 1. Times the server chooses
-- ============================================================================
-- For anon and authenticated, a time that records a change of state is now(),
-- taken when the state changes, whatever the client sends; a client changes
-- the state (status, or "viewed"), never the time. The rules:
--   * started_at: set once, when the row first reaches a started status
--     (in the same statement that creates it, or later); never moved or unset;
--   * completed_at: when the row last became completed, kept while it stays
--     completed, and null while it is not (a reopened automation is no longer
--     completed: dashboards count completions by completed_at);
--   * viewed_at: set once, at the first view, and only on a ready discovery;
--     never moved or unset.
-- So no such time is before its row existed (created_at is the server's too),
-- in the future, or infinite. Before, the owner stored -infinity, 1990 or 9999
-- (issue 25, items 1 to 3) and durations and streaks came out as nonsense.

-- user_automations: saved, then in progress, completed or abandoned. The API
-- roles may update only status, started_at and completed_at.
create function public.user_automations_keep_server_times()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  if tg_op = 'INSERT' then
    new.started_at := case when new.status in ('in_progress', 'completed') then now() end;
    new.completed_at := case when new.status = 'completed' then now() end;
  else
    new.started_at := coalesce(
      old.started_at, case when new.status in ('in_progress', 'completed') then now() end
    );
    new.completed_at := case
      when new.status <> 'completed' then null
      when old.status = 'completed' then old.completed_at
      else now()
    end;
  end if;
  return new;
end;
$$;

comment on function public.user_automations_keep_server_times() is
  'Trigger: for anon and authenticated, started_at is now() when an adoption first reaches in_progress or completed, then never changes; completed_at is now() when it becomes completed, kept while completed, null otherwise.';

revoke all on function public.user_automations_keep_server_times() from public, anon, authenticated;

create trigger user_automations_keep_server_times
  before insert or update of status, started_at, completed_at on public.user_automations
  for each row execute function public.user_automations_keep_server_times();

-- automation_progress: a step not started, in progress, completed or skipped.
create function public.automation_progress_keep_server_times()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  new.completed_at := case
    when new.status <> 'completed' then null
    when tg_op = 'UPDATE' and old.status = 'completed' then old.completed_at
    else now()
  end;
  return new;
end;
$$;

comment on function public.automation_progress_keep_server_times() is
  'Trigger: for anon and authenticated, completed_at is now() when a step becomes completed, kept while completed, null otherwise.';

revoke all on function public.automation_progress_keep_server_times() from public, anon, authenticated;

create trigger automation_progress_keep_server_times
  before insert or update of status, completed_at on public.automation_progress
  for each row execute function public.automation_progress_keep_server_times();

-- questionnaire_sessions: started when created; completed when completed.
create function public.questionnaire_sessions_keep_server_times()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  if tg_op = 'INSERT' then
    new.started_at := now();
  else
    new.started_at := old.started_at;
  end if;
  new.completed_at := case
    when new.status <> 'completed' then null
    when tg_op = 'UPDATE' and old.status = 'completed' then old.completed_at
    else now()
  end;
  return new;
end;
$$;

comment on function public.questionnaire_sessions_keep_server_times() is
  'Trigger: for anon and authenticated, started_at is the time the session was created and never changes; completed_at is now() when it becomes completed, kept while completed, null otherwise.';

revoke all on function public.questionnaire_sessions_keep_server_times() from public, anon, authenticated;

create trigger questionnaire_sessions_keep_server_times
  before insert or update of status, started_at, completed_at on public.questionnaire_sessions
  for each row execute function public.questionnaire_sessions_keep_server_times();

-- weekly_discoveries: the owner may update viewed_at only. Marking viewed is
-- the signal (any time a client sends, which the server replaces with now());
-- a discovery still pending or generating has nothing to view, and saying so
-- is clearer than storing a view of nothing.
create function public.weekly_discoveries_mark_viewed()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  if old.viewed_at is not null then
    new.viewed_at := old.viewed_at;
  elsif new.viewed_at is not null then
    if old.status <> 'ready' then
      raise exception 'weekly discovery % is %: only a ready discovery can be marked viewed', old.id, old.status
        using errcode = '55000', hint = 'Mark it viewed once its status is ready.';
    end if;
    new.viewed_at := now();
  end if;
  return new;
end;
$$;

comment on function public.weekly_discoveries_mark_viewed() is
  'Trigger: for anon and authenticated, viewed_at is now() at the first view of a ready discovery, and never changes or goes back to null; marking a discovery that is not ready viewed is refused (55000).';

revoke all on function public.weekly_discoveries_mark_viewed() from public, anon, authenticated;

create trigger weekly_discoveries_mark_viewed
  before update of viewed_at on public.weekly_discoveries
  for each row execute function public.weekly_discoveries_mark_viewed();

-- ============================================================================
-- 2. A session's step is one of the questionnaire's
-- ============================================================================
-- The questionnaire has 8 steps (business type, team size, weekly admin hours,
-- time sinks, current tools, monthly budget, tech comfort, goals: the seed's
-- completed sessions end on step 8). current_step was only positive, and a
-- client stored 2147483647. A longer questionnaire moves this bound in a new
-- migration, like any vocabulary.
alter table public.questionnaire_sessions
  add constraint questionnaire_sessions_current_step_max_check check (current_step <= 8);

-- ============================================================================
-- 3. Text arrays are lists
-- ============================================================================
-- text[] accepts any number of dimensions and NULL elements: a client typed
-- string[] was sent '{{Stripe,Slack},{Zapier,Make}}' (string[][]) and
-- '{NULL,""}', and the size checks count elements only. Each array a browser
-- writes is one-dimensional (or empty), without NULL or empty elements.
-- array_position refuses a multidimensional array, so the case tests the
-- dimensions first. (Lower bounds other than 1 do not reach clients: JSON
-- has none.)
alter table public.user_profiles
  add constraint user_profiles_current_tools_elements_check check (
    case when array_ndims(current_tools) > 1 then false
         else array_position(current_tools, null) is null and '' <> all (current_tools) end
  ),
  add constraint user_profiles_goals_elements_check check (
    case when array_ndims(goals) > 1 then false
         else array_position(goals, null) is null and '' <> all (goals) end
  );

-- Admins write the catalogue through a browser too.
alter table public.automations
  add constraint automations_tags_elements_check check (
    case when array_ndims(tags) > 1 then false
         else array_position(tags, null) is null and '' <> all (tags) end
  );

-- ============================================================================
-- 4. JSON nested at most 16 levels deep
-- ============================================================================
-- The size limits (20261201070535) bound bytes, not depth: an answer nested
-- 8,000 levels deep is 16,000 bytes, and an ai_context 12,000 deep passed too.
-- Recursive readers fail on such a document: PostgreSQL's own
-- jsonb_path_query_array(ai_context, 'strict $.**') ended in "stack depth
-- limit exceeded", and so do backend parsers with a recursion limit.
--
-- The limit, from the platform's own documents: the deepest the seed holds is
-- 2 (ai_context's {"priorities": [...]}; answers are a scalar, a list or an
-- object of scalars, depth 0 or 1). 16 leaves room for richer answers and
-- model output (a list of tools, each with a list of uses, is 3) and is far
-- below any parser's recursion limit.
--
-- The check walks the document one level at a time, never recursing, and
-- stops as soon as it passes the limit: a document 12,000 levels deep costs 17
-- rounds, not 12,000 stack frames. A scalar has depth 0, [] and {} depth 1.
create function private.jsonb_depth_at_most(document jsonb, max_depth integer)
returns boolean
language plpgsql
immutable
strict
set search_path = ''
as $$
declare
  -- the containers (objects and arrays) at the current depth
  level jsonb[] := case when pg_catalog.jsonb_typeof(document) in ('object', 'array') then array[document] else '{}' end;
  depth integer := 0;
begin
  while pg_catalog.cardinality(level) > 0 loop
    depth := depth + 1;
    if depth > max_depth then
      return false;
    end if;
    level := array(
      select child
      from pg_catalog.unnest(level) as l (container),
        pg_catalog.jsonb_path_query(
          l.container,
          case pg_catalog.jsonb_typeof(l.container) when 'object' then '$.*' else '$[*]' end::pg_catalog.jsonpath
        ) as child
      where pg_catalog.jsonb_typeof(child) in ('object', 'array')
    );
  end loop;
  return true;
end;
$$;

comment on function private.jsonb_depth_at_most(jsonb, integer) is
  'True when the document nests objects and arrays at most max_depth levels deep (a scalar is 0, [] and {} are 1). Iterative: any depth costs at most max_depth + 1 rounds, never the stack. Used by check constraints.';

-- A check constraint calls its functions as the role that writes the row.
revoke all on function private.jsonb_depth_at_most(jsonb, integer) from public, anon, authenticated;
grant execute on function private.jsonb_depth_at_most(jsonb, integer) to authenticated, service_role;

alter table public.questionnaire_sessions
  add constraint questionnaire_sessions_ai_context_depth_check
    check (private.jsonb_depth_at_most(ai_context, 16));

alter table public.questionnaire_responses
  add constraint questionnaire_responses_answer_depth_check
    check (private.jsonb_depth_at_most(answer, 16));

-- ============================================================================
-- 5. match_automations refuses an embedding without a direction
-- ============================================================================
-- pgvector's parameters (hnsw.ef_search, hnsw.iterative_scan) exist in a session
-- only once its library is loaded. A session that applies this migration alone
-- (supabase db push, db migrate) has not loaded it, and an unknown parameter in a
-- function's settings is refused for a role that is not a superuser, as postgres
-- is on Supabase ("permission denied to set parameter", 42501). A vector value
-- loads the library.
select extensions.vector_dims('[1]'::extensions.vector);

-- An all-zero embedding (or one so small or so large that pgvector's float
-- sums underflow or overflow) has no cosine distance to anything: every
-- published row came back with similarity NaN, which PostgREST sends as the
-- string "NaN" where clients expect a number. pgvector itself refuses NaN and
-- infinite elements; the distance of the embedding to itself is NaN exactly
-- when it has no usable direction, so that is the test, with a clear error
-- like the wrong dimension's. Otherwise the body and settings are
-- 20261206172705's (no JIT, the final sort in full).
create or replace function public.match_automations(
  query_embedding extensions.vector(1536),
  match_count integer default 10,
  filter_category text default null,
  filter_difficulty text default null,
  exclude_adopted_by uuid default null,
  include_drafts boolean default false
)
returns table (
  id uuid,
  slug text,
  title text,
  summary text,
  category text,
  difficulty text,
  setup_minutes integer,
  hours_saved_per_week numeric,
  tags text[],
  published boolean,
  similarity double precision
)
language plpgsql
stable
security invoker
set search_path = ''
set hnsw.ef_search = 300
set plan_cache_mode = force_custom_plan
set enable_seqscan = off
set enable_sort = off
set jit = off
as $$
declare
  -- the bound of match_count: a page of discoveries, not the catalogue
  max_count constant integer := 100;
  adopted uuid[] := '{}';
begin
  if query_embedding is null then
    raise exception 'match_automations: query_embedding is null'
      using errcode = '22004', hint = 'Pass the embedding of the business (1536 dimensions).';
  end if;
  -- A function argument's type modifier is not checked: vector(1536) accepts
  -- any dimension, so check it here rather than fail inside the distance.
  if extensions.vector_dims(query_embedding) <> 1536 then
    raise exception 'match_automations: query_embedding has % dimensions, not 1536',
      extensions.vector_dims(query_embedding)
      using errcode = '22023', hint = 'Embed the text with the model of automations.embedding.';
  end if;
  if (query_embedding operator(extensions.<=>) query_embedding) = 'NaN'::double precision then
    raise exception 'match_automations: query_embedding has no direction (all zeros, or elements too small or too large to measure), so it has no cosine distance to any automation'
      using errcode = '22023', hint = 'Embed the text with the model of automations.embedding.';
  end if;
  if match_count is null or match_count < 1 or match_count > max_count then
    raise exception 'match_automations: match_count must be between 1 and %, not %',
      max_count, coalesce(match_count::text, 'null')
      using errcode = '22023';
  end if;

  -- A statement of its own, run only when asked: reading user_automations
  -- needs a privilege anon does not have.
  if exclude_adopted_by is not null then
    select coalesce(array_agg(ua.automation_id), '{}') into adopted
    from public.user_automations ua
    where ua.user_id = exclude_adopted_by;
  end if;

  -- The inner query is the index's shape (order by embedding <=> $1 limit k),
  -- with the filters on top; the outer one puts the rows in order, which a
  -- relaxed iterative scan does not guarantee (+ 0: see 20261206172705).
  return query
  with nearest as materialized (
    select a.id, a.slug, a.title, a.summary, a.category, a.difficulty,
      a.setup_minutes, a.hours_saved_per_week, a.tags, a.published,
      a.embedding operator(extensions.<=>) query_embedding as distance
    from public.automations a
    where a.embedding is not null
      and (a.published or include_drafts)
      and (filter_category is null or a.category = filter_category)
      and (filter_difficulty is null or a.difficulty = filter_difficulty)
      and a.id <> all (adopted)
    order by a.embedding operator(extensions.<=>) query_embedding
    limit match_count
  )
  select n.id, n.slug, n.title, n.summary, n.category, n.difficulty,
    n.setup_minutes, n.hours_saved_per_week, n.tags, n.published,
    1 - n.distance as similarity
  from nearest n
  order by n.distance + 0, n.id;
end;
$$;

-- Iterative index scans exist from pgvector 0.8.0 (20261201072825).
do $$
begin
  if (
    select string_to_array(e.extversion, '.')::integer[] >= array[0, 8, 0]
    from pg_catalog.pg_extension e
    where e.extname = 'vector'
  ) then
    execute 'alter function public.match_automations(extensions.vector, integer, text, text, uuid, boolean)
      set hnsw.iterative_scan = relaxed_order';
  end if;
end;
$$;
