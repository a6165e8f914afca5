-- public.match_automations() without JIT compilation, and its final order
-- independent of the index's (issue 23).
--
-- 1. JIT. The function sets enable_seqscan = off and enable_sort = off so that
-- the planner can take only the HNSW index (20261201072825 says why). On
-- PostgreSQL 15 to 17 a method that is off is not forbidden but priced: each
-- step that uses it costs 10,000,000,000 more (disable_cost). The function's
-- final statement sorts the rows it found (order by distance, id: a relaxed
-- iterative scan returns them nearly in order, not exactly), so its plan is
-- priced at 10^10, a hundred thousand times jit_above_cost (100,000 by
-- default). A server with JIT on (PostgreSQL's default, and Supabase's)
-- compiled every call to machine code with inlining and full optimisation
-- (jit_inline_above_cost and jit_optimize_above_cost are 500,000): 100-400 ms
-- for a search that runs in under a millisecond, paid on every request by
-- anyone with the anon key, and per user by the weekly discovery job. PGlite
-- (PostgreSQL 18, which counts disabled steps instead of pricing them) has no
-- JIT, so neither the suite nor the benchmark saw it.
--
-- The fix: jit = off on the function. A search of one index that returns at
-- most 100 rows never gains from compilation, which pays off only on queries
-- that process millions of rows; and with the planner methods off, any plan of
-- the function is priced as if it did (the adoption lookup too, whenever no
-- index serves it). A plan without the disabled settings is not available:
-- with sorting on, the planner prices an exact search (a scan, or a btree
-- index on a filter, then a sort) below the graph, because it does not count
-- fetching each 6 KB embedding out of TOAST (20261201072825), and the sort
-- that puts the found rows in order is one statement with the search.
-- The rule, tested for every function (supabase/tests/430_plan_costs.sql): a
-- function whose settings turn a planner method off also turns JIT off.
--
-- 2. The final order. From PostgreSQL 17 a materialized CTE passes its sort
-- order to the query above it, so `order by n.distance, n.id` became an
-- incremental sort that takes the rows as already ordered by distance (PGlite
-- and PostgreSQL 17 plan "Presorted Key: n.distance"), which a relaxed
-- iterative scan does not guarantee: rows could come back out of order. Sorting
-- by n.distance + 0, an expression the CTE is not ordered by, sorts them in
-- full, as pgvector's documentation advises for PostgreSQL 17 and later.
--
-- pgvector's parameters (hnsw.ef_search, hnsw.iterative_scan) exist in a session
-- only once its library is loaded. A session that applies this migration alone
-- (supabase db push, db migrate) has not loaded it, and an unknown parameter in a
-- function's settings is refused for a role that is not a superuser, as postgres
-- is on Supabase ("permission denied to set parameter", 42501). A vector value
-- loads the library.
select extensions.vector_dims('[1]'::extensions.vector);

-- The body is otherwise 20261201072825's; create or replace keeps the
-- function's privileges and comment, and takes its settings from this
-- statement (iterative scans are set again below, where pgvector has them).
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
  -- relaxed iterative scan does not guarantee (+ 0: see the top of this file).
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
