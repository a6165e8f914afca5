-- Discovery as the catalogue grows (issue 28), second step: one IVFFlat index
-- over the embeddings as half-precision vectors, instead of one HNSW graph per
-- category (20261206203016), and public.match_automations() as one query
-- again: the lists nearest the business, then the nearest automations among
-- them, sorted again by their full-precision distance.
--
-- Why the graphs could not go faster. Their recall held (worst 1.0, mean 1.000
-- at 50,000 automations), but an unfiltered search walked eight graphs of 600
-- candidates each, about as many distances as the catalogue has rows, read at
-- random from an index larger than shared_buffers: p95 373 ms against 1,919
-- ms for the exact scan (5.1x, bench/results/2026-12-06-curve-by-category.md). Fewer
-- candidates lost the business between two topics (20261206210213).
--
-- What any index can do on this catalogue. The true ten of a business lie
-- among the automations of its one or two topics: with the bench's 50 topics,
-- 2 to 4 % of the catalogue, spread evenly inside a topic, so a search must
-- compare about that many rows at full precision whatever its structure. An
-- IVF index reads exactly that: k-means cuts the catalogue into lists (a topic
-- falls into a few), and a search compares the business with the lists'
-- centres, then reads the nearest lists whole, one page after the other.
-- Measured on the Supabase-like server, 50,000 automations, 100 queries, one
-- pass, the machine quiet (exact scan: 484 / 503 ms, p50 / p95):
--   vector, lists 200, probes 10:       13.2 / 26.5 ms, recall worst 1.0
--   vector, lists 1000, probes 40:      12.6 / 21.7 ms, worst 1.0 (35 s build)
--   halfvec, lists 200, probes 10:      8.7 / 19.3 ms, worst 1.0 (5 s build)
--   halfvec, lists 200, probes 10, 5,000 automations: 2.1 / 6.1 ms (exact 38)
-- and each query alternating with its exact scan, as the benchmark measures
-- (exact: 505 / 520 ms), halfvec, lists 200:
--   probes 10:  10.3 / 14.1 ms (37x at p95), worst 1.0
--   probes 16:  12.9 / 17.2 ms (30x)
--   probes 20:  15.5 / 20.0 ms (26x)
-- Probes 10 is not enough everywhere: on the benchmark's full scale (5,000
-- automations, 200 queries) it left one query with a category at 0.7 and one
-- unfiltered at 0.9, businesses between two topics whose lists are not all
-- among the ten nearest; 20 gave both their true ten. So 20, a tenth of the
-- lists.
-- Half precision halves the index (206 MB at 50,000 against 411 MB for the
-- graphs) and the pages a search reads; its distances are accurate to about
-- 1e-5, far below the gaps between neighbours, and the function sorts the
-- twice match_count nearest again by the full-precision distance, so what it
-- returns is ordered as before. halfvec and its operator class exist from
-- pgvector 0.7.0 (Supabase ships 0.8).
--
-- Training. An IVF index's lists are fixed when it is built: built on an empty
-- table (a new project, `db reset`, the tests) its centres are random and a
-- search of a few lists misses its neighbours (pgvector says so: "ivfflat
-- index created with little data"). So the function's ivfflat.probes says
-- whether the index was trained on the catalogue:
--   - 200, every list, as this migration leaves it: an exact search through
--     the index, right on any index, as slow as the exact scan;
--   - 20, set by private.train_discovery_index() (below), which rebuilds the
--     index on the catalogue and, when it holds at least 2,000 embeddings (ten
--     a list), sets 20.
-- Run `select private.train_discovery_index();` as postgres after loading the
-- catalogue, and again whenever it has doubled since, or gained a kind of
-- automation the lists were not trained on: a list is a region of the
-- catalogue as it was at training, and rows since are added to the nearest
-- list, so the lists stay right while the catalogue grows by more of the same.
-- A search on an untrained index stays right and gets slow, never wrong.
--
-- The scale curve (bench/results/2026-12-06-curve.md), trained at each size:
-- recall@10 worst 1.0 at every size from 5,000 to 100,000, both cases, both
-- targets; p95 unfiltered on the server 42x below the exact scan at 50,000
-- and 40x at 100,000 (30 against 1,206 ms), 12x at 5,000.
--
-- When to change it, and how the benchmark tells: `make bench SERVER_URL=...
-- CURVE=...` trains the index at each size and reports recall@10 and p95. A
-- worst query below 0.9 means more probes (each reads another 200th of the
-- catalogue); a p95 that grows faster than the catalogue means more lists
-- (about one per 250 automations; training takes longer).
--
-- The category filter no longer has its own graphs: it reads the same lists
-- and keeps the category's rows, with an iterative scan (pgvector 0.8.0) for
-- filters that leave fewer than match_count. A new category needs nothing.

-- pgvector's parameters exist in a session only once its library is loaded
-- (20261206172705).
select extensions.vector_dims('[1]'::extensions.vector);

-- ============================================================================
-- automations_embedding_idx: the lists
-- ============================================================================
-- Built here on whatever the table holds (nothing on a new project: pgvector's
-- notice about little data is expected, hence the quieter messages), and
-- before the graphs are dropped, so discovery never falls back to a scan of
-- the catalogue. Drafts are included, as in the graphs.
set client_min_messages = warning;
create index automations_embedding_idx
  on public.automations using ivfflat ((embedding::extensions.halfvec(1536)) extensions.halfvec_cosine_ops)
  with (lists = 200);
reset client_min_messages;
comment on index public.automations_embedding_idx is
  'Discovery: the lists of automations nearest a business (public.match_automations). Train with private.train_discovery_index(): see migration 20261206231500.';

drop index public.automations_embedding_marketing_idx;
drop index public.automations_embedding_sales_idx;
drop index public.automations_embedding_customer_support_idx;
drop index public.automations_embedding_operations_idx;
drop index public.automations_embedding_finance_idx;
drop index public.automations_embedding_hr_idx;
drop index public.automations_embedding_productivity_idx;
drop index public.automations_embedding_ecommerce_idx;

-- ============================================================================
-- public.match_automations()
-- ============================================================================
-- The same arguments, checks and result as 20261206203016's. The inner query
-- is the index's shape (order by the half-precision distance, limit), with
-- the filters on top; the outer one sorts the candidates again at full
-- precision, in full (+ 0, 20261206172705), and keeps match_count. Settings:
-- probes as above (200 until trained), no sequential scan and no sort to
-- price the index out (so no JIT, 20261206172705), iterative scans added below
-- where pgvector has them.
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
set ivfflat.probes = 200
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
  with candidates as materialized (
    select a.id, a.slug, a.title, a.summary, a.category, a.difficulty,
      a.setup_minutes, a.hours_saved_per_week, a.tags, a.published, a.embedding
    from public.automations a
    where a.embedding is not null
      and (a.published or include_drafts)
      and (filter_category is null or a.category = filter_category)
      and (filter_difficulty is null or a.difficulty = filter_difficulty)
      and a.id <> all (adopted)
    order by a.embedding::extensions.halfvec(1536) operator(extensions.<=>) query_embedding::extensions.halfvec(1536)
    limit 2 * match_count
  )
  select c.id, c.slug, c.title, c.summary, c.category, c.difficulty,
    c.setup_minutes, c.hours_saved_per_week, c.tags, c.published,
    1 - (c.embedding operator(extensions.<=>) query_embedding) as similarity
  from candidates c
  order by (c.embedding operator(extensions.<=>) query_embedding) + 0, c.id
  limit match_count;
end;
$$;

comment on function public.match_automations(extensions.vector, integer, text, text, uuid, boolean) is
  'Discovery: the automations nearest to a query embedding (1536 dimensions), most similar first (similarity = 1 - cosine distance), at most match_count (1-100), optionally of one category and difficulty and without the ones a user adopted. Row level security decides what the caller sees; drafts only with include_drafts. Carries its search settings: every list of the IVFFlat index until private.train_discovery_index() trains it, then 20.';

-- Iterative index scans exist from pgvector 0.8.0 (20261201072825).
do $$
begin
  if (
    select string_to_array(e.extversion, '.')::integer[] >= array[0, 8, 0]
    from pg_catalog.pg_extension e
    where e.extname = 'vector'
  ) then
    execute 'alter function public.match_automations(extensions.vector, integer, text, text, uuid, boolean)
      set ivfflat.iterative_scan = relaxed_order';
  end if;
end;
$$;

-- ============================================================================
-- private.train_discovery_index()
-- ============================================================================
-- With at least min_rows embeddings (ten a list by default), rebuilds the
-- lists on the catalogue as it is and sets the function's probes to 20;
-- with fewer, sets every list and leaves the index as it is (a search of
-- every list is exact whatever the lists). Returns the probes set. The
-- rebuild holds the index exclusively, and the planner locks every index of
-- a table it plans, so nearly every query on automations (discovery and the
-- catalogue alike) waits while it runs: seconds (the scale curve's "index
-- build"), so run it when the catalogue is loaded, not at peak time. Only the
-- owner of the table and function (postgres) can run it: the API roles
-- cannot reach it.
create function private.train_discovery_index(min_rows integer default 2000)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  lists integer;
  trained bigint;
  probes integer;
begin
  if min_rows is null or min_rows < 1 then
    raise exception 'train_discovery_index: min_rows must be at least 1, not %', coalesce(min_rows::text, 'null')
      using errcode = '22023';
  end if;
  -- ivfflat.probes exists in this session only once pgvector's library is loaded
  perform extensions.vector_dims('[1]'::extensions.vector);
  select count(*) into trained from public.automations a where a.embedding is not null;
  -- every list is the index's own number of them, read from its options rather than repeated here
  select split_part(o, '=', 2)::integer into lists
  from pg_catalog.pg_class c, unnest(c.reloptions) as o
  where c.oid = 'public.automations_embedding_idx'::regclass and o like 'lists=%';
  if trained >= min_rows then
    execute 'reindex index public.automations_embedding_idx';
    probes := 20;
  else
    probes := lists;
  end if;
  execute format(
    'alter function public.match_automations(extensions.vector, integer, text, text, uuid, boolean) set ivfflat.probes = %s',
    probes);
  return probes;
end;
$$;
comment on function private.train_discovery_index(integer) is
  'With at least min_rows embeddings, rebuilds the IVFFlat index of automations on the catalogue and sets public.match_automations''s ivfflat.probes to 20; with fewer, sets every list (200). Run as postgres after loading the catalogue and whenever it has doubled (migration 20261206231500).';
revoke all on function private.train_discovery_index(integer) from public, anon, authenticated, service_role;

-- A catalogue already there (a project that had automations before this
-- migration) is trained now; a new one keeps every list until it is.
select private.train_discovery_index();
