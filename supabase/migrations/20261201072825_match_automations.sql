-- Discovery by embedding: public.match_automations(), the one way the platform
-- asks for the automations nearest to a business, and the HNSW index rebuilt
-- with the parameters it needs.
--
-- Before this, every caller had to remember `set local hnsw.ef_search`, and the
-- index had pgvector's defaults (m = 16, ef_construction = 64). At full scale
-- (bench/: 5,000 published automations in 50 topics of about 100, 1536
-- dimensions, 200 query embeddings) that gave a mean recall@10 of 0.83 at
-- ef_search 40 and 0.95 at 200, and the worst query got none of its true ten
-- at every ef_search up to 400.
--
-- Why the worst queries fail (bench/vector.ts describes every miss). Every
-- query that missed was a business between two topics (half of the queries
-- mix two topics' centroids; no single-topic query ever missed). Its true
-- neighbours lie in one or both of two clusters of about 100 automations, and
-- the ten returned all came from the other cluster: the one the descent
-- through the upper layers (a greedy search, one candidate wide) happened to
-- reach. The hardest pair is anti-correlated: query 72 mixes topics 16 and 8,
-- whose centroids have a cosine of -0.52; its true ten are all in topic 8 at
-- cosine distance 0.643..0.671, and the ten returned are in topics 16 and 19
-- at 0.679..0.693. The rows returned are on the business's other half, 2-5 %
-- further away, not random; but they are not its nearest. Inside a cluster
-- every member is about as far from the query as any other, so the search
-- fills its ef_search candidates with the first cluster and stops there,
-- unless ef_search is larger than a cluster plus the nodes on the way, and
-- unless the graph links clusters to each other. Measured over repeated
-- builds (the graph draws each node's level at random, so builds differ):
--   ef_construction 64:       worst query 0 at every ef_search up to 400.
--   ef_construction 256, 512: one or two queries below 0.8 even at 400.
--   ef_construction 800:      worst query 1.0 at ef_search 250 and above in
--                             each of 5 builds with m 12 or 16 (4 built at
--                             once, 1 row by row as the table fills); at 200
--                             one or two queries still miss in every build.
--   ef_construction 1000:     no better than 800.
--   m 8, 12, 24, 32, 48, 64:  no better than 16 at the same ef_search (8
--                             needs 300); a larger m reads more links at
--                             every step of a search.
-- Real embeddings cluster too (by category, by industry), and a catalogue
-- grows with its clusters: rerun `make bench SCALE=full` when the catalogue
-- passes about 20,000 automations.
--
-- The cost, and the target it misses. A search costs in proportion to the
-- index pages it reads: about 1,700 at ef_search 300 on this graph, against
-- 30,000 heap and TOAST pages for the exact scan. Through this function at
-- full scale: 5.3 ms against 38 ms, 7x (bench/results/2026-12-01.md), not
-- the 20x asked for. The old index at ef_search 200 was 25x faster than the
-- exact scan with its worst query at 0; on the graph built here even
-- ef_search 40 is only 15x, with the worst query at 0 again. On this
-- catalogue the two targets exclude each other, and the recall of the
-- worst-served business won: 5 ms is still far below what a discovery page or
-- the weekly job notices. With one selective filter (a category, an eighth of
-- the catalogue) the exact scan computes only an eighth of the distances
-- while the index search still walks the graph, so no parameter gets near 20x
-- there (1.5x, at recall 1.0).
--
-- Stays valid on PostgreSQL 15 and on every pgvector Supabase has shipped
-- with HNSW (0.5.0 and later; the initial schema already needs it): the index
-- options and hnsw.ef_search exist since 0.5.0; hnsw.iterative_scan only since
-- 0.8.0 (Supabase's current images), so it is set on the function below only
-- where the installed pgvector knows it. On 0.5-0.7 a filtered search sees
-- only the ef_search nearest rows and may return fewer than match_count.

-- ============================================================================
-- automations_embedding_idx, rebuilt
-- ============================================================================
-- m = 16: pgvector's default; other values bought no recall (above) and more
--   links cost time on every step of a search.
-- ef_construction = 800: enough candidates while a row is inserted to link
--   each cluster to the clusters around it, which the search needs to cross
--   from one to another (64 left clusters as islands). Paid once per insert:
--   an insert costs several times the default's (the bench's catalogue of
--   5,250 rows takes minutes instead of half a minute to insert on PGlite).
-- The new index is built beside the old one and swapped in: the build takes a
-- share lock (reads go on, through the old index), and the old one is dropped
-- only at the end, so discovery never falls back to a scan of the catalogue.
create index automations_embedding_rebuilt_idx
  on public.automations using hnsw (embedding extensions.vector_cosine_ops)
  with (m = 16, ef_construction = 800);
drop index public.automations_embedding_idx;
alter index public.automations_embedding_rebuilt_idx rename to automations_embedding_idx;
comment on index public.automations_embedding_idx is
  'Discovery: nearest automations to a business (public.match_automations; order by embedding <=> $1 limit k). m = 16, ef_construction = 800: see migration 20261201072825.';

-- ============================================================================
-- public.match_automations()
-- ============================================================================
-- The published automations nearest to a query embedding (a business's
-- profile, embedded by the application), most similar first, with the
-- discovery's filters. Callable over the API (supabase.rpc('match_automations',
-- {...})) by anyone who may read the catalogue.
--
-- Security invoker: row level security decides what each caller sees. anon and
-- users see published automations only, whatever they ask; admins (and
-- service_role, which bypasses row level security) see drafts as well when they
-- pass include_drafts => true. By default every caller gets published
-- automations only, so the backend that writes the weekly discoveries (as
-- service_role) never recommends a draft.
--
-- exclude_adopted_by leaves out the automations that user has adopted, as far
-- as the caller may read adoptions: a user their own (another user's id
-- excludes nothing: row level security hides their adoptions), admins and
-- service_role anyone's. anon may not read adoptions at all and gets
-- permission denied (42501) when it passes one.
--
-- Search settings travel with the function (the set clauses), so every caller
-- gets the tuned recall without a `set local` of its own:
--   hnsw.ef_search = 300: 250 brought the worst query to 1.0 in every build
--     at full scale, 200 did not (above); 300 leaves a step of margin for the
--     next build and a growing catalogue. Also the most rows one index scan
--     returns without iterative scans, above match_count's bound (100).
--   hnsw.iterative_scan = relaxed_order (pgvector 0.8.0 and later, set below):
--     when the filters leave fewer than match_count of the ef_search nearest,
--     the scan goes on into the graph instead of returning fewer rows. Relaxed
--     rather than strict: strict drops a row found later that is nearer than
--     one already returned; the outer query sorts the rows instead.
--   plan_cache_mode = force_custom_plan: every call is planned with its own
--     arguments, so an absent filter disappears from the plan and a cached
--     generic plan (which guesses at match_count) never replaces the index scan.
--   enable_seqscan = off, enable_sort = off: the planner prices reading a
--     row without the cost of fetching its 6 KB embedding out of TOAST, so it
--     takes an exact search (every row, or every row of a filter, then a
--     sort) for cheap: at full scale it read the whole catalogue in 53 ms
--     instead of searching the graph in 5 as soon as ef_search reached 400,
--     and on a small catalogue it scans a btree index and sorts. With both
--     off, the one plan left without a disabled step is the HNSW index, which
--     returns rows in distance order, whatever the statistics; filters are
--     applied to its rows, and iterative scans bring enough of them.
create function public.match_automations(
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
  -- relaxed iterative scan does not guarantee.
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
  order by n.distance, n.id;
end;
$$;

-- Iterative index scans exist from pgvector 0.8.0. Setting an unknown hnsw.*
-- parameter fails once pgvector is loaded, so set it only where it exists.
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

comment on function public.match_automations(extensions.vector, integer, text, text, uuid, boolean) is
  'Discovery: the automations nearest to a query embedding (1536 dimensions), most similar first (similarity = 1 - cosine distance), at most match_count (1-100), optionally of one category and difficulty and without the ones a user adopted. Row level security decides what the caller sees; drafts only with include_drafts. Carries its HNSW search settings.';

-- Not Supabase's default privileges: exactly the API roles that read the
-- catalogue.
revoke all on function public.match_automations(extensions.vector, integer, text, text, uuid, boolean)
  from public, anon, authenticated, service_role;
grant execute on function public.match_automations(extensions.vector, integer, text, text, uuid, boolean)
  to anon, authenticated, service_role;
