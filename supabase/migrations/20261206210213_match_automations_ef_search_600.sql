-- public.match_automations() searches each category's graph with 600
-- candidates instead of 300 (issue 28).
--
-- The per-category graphs (20261206203016) brought recall back at 50,000
-- automations, but not for every query in every build: the scale curve
-- (bench/results/2026-12-06-curve-ef300.md) found one query of 100 at 0.1 with a
-- category at 20,000 and one at 0.6 unfiltered at 50,000, each build drawing
-- its graphs anew; on a kept catalogue of 50,000 one query stayed at 0.7 in
-- both cases at ef_search 300 and 400. That query is a business between two
-- topics whose search, in a graph where one of its clusters is poorly linked,
-- starts on the wrong side: more candidates let it reach the other one.
-- Measured on that catalogue (100 queries, the Supabase-like server at a
-- load of 8-17, so compare ratios):
--   ef_search 300:  worst 0.7, mean 0.997 (both cases); 117 / 217 ms
--                   unfiltered (p50 / p95), 16 / 24 ms with a category
--   ef_search 600:  worst 1.0, mean 1.000 (both cases); 314 / 481 ms
--                   unfiltered, 41 / 71 ms with a category
--   ef_search 1000: worst 1.0, mean 1.000; 547 / 739 ms, 60 / 114 ms
-- against about 2 s for the exact scan unfiltered and 200-330 ms with a
-- category. Full recall is the decision of issue 28, so 600, the least
-- measured value that had it; an unfiltered search costs about 2.5 times
-- more than at 300, still a fraction of the exact scan. On a small catalogue
-- a graph of fewer than 600 rows is searched nearly whole (at 5,000
-- automations the graphs hold about 650), so there the search comes closer
-- to the exact scan's cost: the curve measures by how much.
--
-- When to change it: as 20261206203016 says, by the scale curve's recall at
-- the catalogue's size (`make bench SERVER_URL=... CURVE=...`): a worst query
-- below 0.9 means split the graphs further first; raising ef_search towards
-- pgvector's 1,000 is the second resort, and costs in proportion.

-- pgvector's parameters exist in a session only once its library is loaded
-- (20261206172705).
select extensions.vector_dims('[1]'::extensions.vector);

alter function public.match_automations(extensions.vector, integer, text, text, uuid, boolean)
  set hnsw.ef_search = 600;
