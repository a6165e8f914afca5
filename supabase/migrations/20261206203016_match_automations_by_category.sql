-- Discovery as the catalogue grows (issue 28): one HNSW graph per category
-- instead of one for the whole catalogue, and public.match_automations()
-- searching the graph of the category asked for, or each category's graph and
-- keeping the nearest, unfiltered.
--
-- Why the single graph failed from 20,000 automations. The scale curve
-- (bench/curve.ts, bench/results/2026-12-06-small.md, section 7) kept 50
-- topics while the catalogue grew, so a topic's cluster grew from 100
-- automations at 5,000 to 400 at 20,000 and 1,000 at 50,000. Recall@10 fell
-- from 1.0 / 1.000 (worst / mean) at 5,000 to 0.0 / 0.92 at 20,000 and 0.0 /
-- 0.86 at 50,000. Every query that missed mixes two topics (the even-numbered
-- ones); single-topic queries kept full recall. Measured on a kept catalogue
-- of 50,000 on the Supabase-like server (pgvector 0.8.6), 100 queries:
--   hnsw.ef_search 300 (as set):            worst 0.0, mean 0.84 (both cases)
--   hnsw.ef_search 1000 (pgvector's most):  worst 0.0, mean 0.88
--   300, and 1,000 or 3,000 rows read by a relaxed iterative scan and
--     the nearest ten kept (hnsw.max_scan_tuples raised to 50,000 and
--     100,000): unfiltered worst 0.0 / mean 0.94, and 0.6 / 0.996 at
--     3,000 rows, at 265 ms a query (the exact scan: about 2 s), and
--     the category case as slow as its exact scan.
-- So no search setting helps: the graph itself has no way from one cluster to
-- the next. 20261201072825 found that ef_construction 800 links a cluster to
-- its neighbours because a row's 800 candidates, while it is inserted, reach
-- past its own cluster into the next ones. That holds while a cluster is
-- smaller than ef_construction: at 5,000 (clusters of 100) the candidates span
-- about eight clusters; at 50,000 (clusters of 1,000) every candidate is in the
-- row's own cluster, the links it keeps all stay inside it, and the clusters
-- are islands. The search descends through the upper layers one candidate
-- wide, lands in one of the business's two clusters, and never leaves it.
-- ef_construction cannot follow the clusters (pgvector's largest is 1,000),
-- and m does not help (no candidate outside the cluster to link to).
--
-- The fix: smaller graphs. One partial index per category holds an eighth of
-- the catalogue, so its clusters are an eighth as large (about 130 at 50,000)
-- and ef_construction 800 links them again, as at 5,000. On the same 50,000:
-- ef_search 300, worst 0.7 and mean 0.997 in both cases (one query of 100
-- below 1.0; ef_search 1000 brings it to 1.0 at three times the cost). A
-- search for one category reads one small graph (15 ms there, against about
-- 200 ms for the category's exact scan); an unfiltered search reads all eight
-- and keeps the nearest (about 120 ms, against about 2 s). Inserting a row
-- now costs one graph of an eighth of the catalogue instead of the whole.
--
-- When to change it again, and how the benchmark tells: the graphs work
-- while a category's topic clusters stay below about ef_construction / 6
-- automations, about 130 each (bench/: 50 topics, so about 50,000 published
-- automations; a real catalogue's clusters are its own). `make bench
-- SERVER_URL=... CURVE=...` reports recall@10 per catalogue size; when the
-- worst query falls below 0.9 at the catalogue's size, split the graphs
-- further (by category and difficulty: 24 graphs, each search three times
-- cheaper, an unfiltered one three times dearer) rather than raise a search
-- setting.
--
-- A new category (automations_category_check) needs its own index and its
-- own branch below: supabase/tests/400_indexes.sql checks that every category
-- the constraint allows has both.
--
-- Stays within PostgreSQL 15 and pgvector 0.5 and later (partial HNSW
-- indexes); PGlite (PostgreSQL 18) runs the same.

-- pgvector's parameters exist in a session only once its library is loaded
-- (20261206172705).
select extensions.vector_dims('[1]'::extensions.vector);

-- ============================================================================
-- automations_embedding_<category>_idx: one HNSW graph per category
-- ============================================================================
-- m = 16, ef_construction = 800: 20261201072825's, for the same reasons, on
-- graphs an eighth as large. The predicate is the category alone (drafts
-- included), so the planner can prove it from the function's constant
-- category; drafts are filtered as before. The graphs are built before the
-- single one is dropped, so discovery never falls back to a scan of the
-- catalogue.
create index automations_embedding_marketing_idx
  on public.automations using hnsw (embedding extensions.vector_cosine_ops)
  with (m = 16, ef_construction = 800) where category = 'marketing';
comment on index public.automations_embedding_marketing_idx is
  'Discovery: the nearest marketing automations to a business (public.match_automations). One graph per category: see migration 20261206203016.';
create index automations_embedding_sales_idx
  on public.automations using hnsw (embedding extensions.vector_cosine_ops)
  with (m = 16, ef_construction = 800) where category = 'sales';
comment on index public.automations_embedding_sales_idx is
  'Discovery: the nearest sales automations to a business (public.match_automations). One graph per category: see migration 20261206203016.';
create index automations_embedding_customer_support_idx
  on public.automations using hnsw (embedding extensions.vector_cosine_ops)
  with (m = 16, ef_construction = 800) where category = 'customer-support';
comment on index public.automations_embedding_customer_support_idx is
  'Discovery: the nearest customer-support automations to a business (public.match_automations). One graph per category: see migration 20261206203016.';
create index automations_embedding_operations_idx
  on public.automations using hnsw (embedding extensions.vector_cosine_ops)
  with (m = 16, ef_construction = 800) where category = 'operations';
comment on index public.automations_embedding_operations_idx is
  'Discovery: the nearest operations automations to a business (public.match_automations). One graph per category: see migration 20261206203016.';
create index automations_embedding_finance_idx
  on public.automations using hnsw (embedding extensions.vector_cosine_ops)
  with (m = 16, ef_construction = 800) where category = 'finance';
comment on index public.automations_embedding_finance_idx is
  'Discovery: the nearest finance automations to a business (public.match_automations). One graph per category: see migration 20261206203016.';
create index automations_embedding_hr_idx
  on public.automations using hnsw (embedding extensions.vector_cosine_ops)
  with (m = 16, ef_construction = 800) where category = 'hr';
comment on index public.automations_embedding_hr_idx is
  'Discovery: the nearest hr automations to a business (public.match_automations). One graph per category: see migration 20261206203016.';
create index automations_embedding_productivity_idx
  on public.automations using hnsw (embedding extensions.vector_cosine_ops)
  with (m = 16, ef_construction = 800) where category = 'productivity';
comment on index public.automations_embedding_productivity_idx is
  'Discovery: the nearest productivity automations to a business (public.match_automations). One graph per category: see migration 20261206203016.';
create index automations_embedding_ecommerce_idx
  on public.automations using hnsw (embedding extensions.vector_cosine_ops)
  with (m = 16, ef_construction = 800) where category = 'ecommerce';
comment on index public.automations_embedding_ecommerce_idx is
  'Discovery: the nearest ecommerce automations to a business (public.match_automations). One graph per category: see migration 20261206203016.';
drop index public.automations_embedding_idx;

-- ============================================================================
-- public.match_automations()
-- ============================================================================
-- One branch per category, each the shape of its index (where category =
-- '...' order by embedding <=> $1 limit k), with the filters on top. A
-- branch whose category is not the one asked for has a constant false
-- condition under the custom plan (plan_cache_mode = force_custom_plan) and
-- is not run: a category search reads one graph, an unfiltered one all
-- eight. The outer query keeps the nearest match_count of the branches'
-- rows, sorted in full (+ 0, 20261206172705). Everything else is
-- 20261206173330's: its checks on the arguments, its settings (ef_search 300,
-- relaxed iterative scans for the filters on top, no JIT).
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

  return query
  with nearest as materialized (
    (select a.id, a.slug, a.title, a.summary, a.category, a.difficulty,
      a.setup_minutes, a.hours_saved_per_week, a.tags, a.published,
      a.embedding operator(extensions.<=>) query_embedding as distance
    from public.automations a
    where a.category = 'marketing' and (filter_category is null or filter_category = 'marketing')
      and a.embedding is not null
      and (a.published or include_drafts)
      and (filter_difficulty is null or a.difficulty = filter_difficulty)
      and a.id <> all (adopted)
    order by a.embedding operator(extensions.<=>) query_embedding
    limit match_count)
    union all
    (select a.id, a.slug, a.title, a.summary, a.category, a.difficulty,
      a.setup_minutes, a.hours_saved_per_week, a.tags, a.published,
      a.embedding operator(extensions.<=>) query_embedding as distance
    from public.automations a
    where a.category = 'sales' and (filter_category is null or filter_category = 'sales')
      and a.embedding is not null
      and (a.published or include_drafts)
      and (filter_difficulty is null or a.difficulty = filter_difficulty)
      and a.id <> all (adopted)
    order by a.embedding operator(extensions.<=>) query_embedding
    limit match_count)
    union all
    (select a.id, a.slug, a.title, a.summary, a.category, a.difficulty,
      a.setup_minutes, a.hours_saved_per_week, a.tags, a.published,
      a.embedding operator(extensions.<=>) query_embedding as distance
    from public.automations a
    where a.category = 'customer-support' and (filter_category is null or filter_category = 'customer-support')
      and a.embedding is not null
      and (a.published or include_drafts)
      and (filter_difficulty is null or a.difficulty = filter_difficulty)
      and a.id <> all (adopted)
    order by a.embedding operator(extensions.<=>) query_embedding
    limit match_count)
    union all
    (select a.id, a.slug, a.title, a.summary, a.category, a.difficulty,
      a.setup_minutes, a.hours_saved_per_week, a.tags, a.published,
      a.embedding operator(extensions.<=>) query_embedding as distance
    from public.automations a
    where a.category = 'operations' and (filter_category is null or filter_category = 'operations')
      and a.embedding is not null
      and (a.published or include_drafts)
      and (filter_difficulty is null or a.difficulty = filter_difficulty)
      and a.id <> all (adopted)
    order by a.embedding operator(extensions.<=>) query_embedding
    limit match_count)
    union all
    (select a.id, a.slug, a.title, a.summary, a.category, a.difficulty,
      a.setup_minutes, a.hours_saved_per_week, a.tags, a.published,
      a.embedding operator(extensions.<=>) query_embedding as distance
    from public.automations a
    where a.category = 'finance' and (filter_category is null or filter_category = 'finance')
      and a.embedding is not null
      and (a.published or include_drafts)
      and (filter_difficulty is null or a.difficulty = filter_difficulty)
      and a.id <> all (adopted)
    order by a.embedding operator(extensions.<=>) query_embedding
    limit match_count)
    union all
    (select a.id, a.slug, a.title, a.summary, a.category, a.difficulty,
      a.setup_minutes, a.hours_saved_per_week, a.tags, a.published,
      a.embedding operator(extensions.<=>) query_embedding as distance
    from public.automations a
    where a.category = 'hr' and (filter_category is null or filter_category = 'hr')
      and a.embedding is not null
      and (a.published or include_drafts)
      and (filter_difficulty is null or a.difficulty = filter_difficulty)
      and a.id <> all (adopted)
    order by a.embedding operator(extensions.<=>) query_embedding
    limit match_count)
    union all
    (select a.id, a.slug, a.title, a.summary, a.category, a.difficulty,
      a.setup_minutes, a.hours_saved_per_week, a.tags, a.published,
      a.embedding operator(extensions.<=>) query_embedding as distance
    from public.automations a
    where a.category = 'productivity' and (filter_category is null or filter_category = 'productivity')
      and a.embedding is not null
      and (a.published or include_drafts)
      and (filter_difficulty is null or a.difficulty = filter_difficulty)
      and a.id <> all (adopted)
    order by a.embedding operator(extensions.<=>) query_embedding
    limit match_count)
    union all
    (select a.id, a.slug, a.title, a.summary, a.category, a.difficulty,
      a.setup_minutes, a.hours_saved_per_week, a.tags, a.published,
      a.embedding operator(extensions.<=>) query_embedding as distance
    from public.automations a
    where a.category = 'ecommerce' and (filter_category is null or filter_category = 'ecommerce')
      and a.embedding is not null
      and (a.published or include_drafts)
      and (filter_difficulty is null or a.difficulty = filter_difficulty)
      and a.id <> all (adopted)
    order by a.embedding operator(extensions.<=>) query_embedding
    limit match_count)
  )
  select n.id, n.slug, n.title, n.summary, n.category, n.difficulty,
    n.setup_minutes, n.hours_saved_per_week, n.tags, n.published,
    1 - n.distance as similarity
  from nearest n
  order by n.distance + 0, n.id
  limit match_count;
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
