-- public.match_automations(): discovery by embedding.
--
-- The catalogue here is the fixtures' alone (the other automations are
-- truncated inside the transaction), with embeddings whose distances are
-- known. Each is a direction shared by the whole catalogue (dimension 10, as
-- real embeddings share one) plus a direction of its own at an angle from the
-- query's, normalised: the similarity of two is (1 + cos angle) / 2. Around
-- the query q1 (its own direction: dimension 1), in the plane of dimensions
-- 1 and 2:
--
--   p1 10° finance easy       p4 40° sales medium        d1  5° draft, finance easy
--   p2 20° marketing easy     p5 50° finance medium      d2 25° draft, marketing medium
--   p3 30° finance hard       p6 60° marketing hard      n1 published, no embedding
--
-- Last, around a second query q3 (dimension 3): more than ef_search
-- "operations" automations of medium difficulty, and a dozen hard ones further
-- away. A filter on hard finds none among the ef_search nearest of the
-- operations graph, which only an iterative index scan gets past.

begin;
select plan(34);

-- ============================================================================
-- The function itself
-- ============================================================================
select ok(
  to_regprocedure('public.match_automations(extensions.vector, integer, text, text, uuid, boolean)') is not null,
  'match_automations(query_embedding, match_count, filter_category, filter_difficulty, exclude_adopted_by, include_drafts) exists'
);
select is(
  (select p.prosecdef from pg_catalog.pg_proc p
   where p.oid = 'public.match_automations(extensions.vector, integer, text, text, uuid, boolean)'::regprocedure),
  false,
  'match_automations is security invoker: row level security decides what each caller sees'
);
select is(
  (select p.proconfig from pg_catalog.pg_proc p
   where p.oid = 'public.match_automations(extensions.vector, integer, text, text, uuid, boolean)'::regprocedure),
  array['search_path=""', 'hnsw.ef_search=600', 'plan_cache_mode=force_custom_plan', 'enable_seqscan=off', 'enable_sort=off', 'jit=off']
    || case when (select string_to_array(e.extversion, '.')::integer[] >= array[0, 8, 0]
                  from pg_catalog.pg_extension e where e.extname = 'vector')
            then array['hnsw.iterative_scan=relaxed_order'] else array[]::text[] end,
  'match_automations carries its search settings: ef_search 600 (per category graph), a plan per call, the graph rather than a scan and a sort, no JIT, and iterative scans where pgvector has them'
);
select results_eq(
  $$ select r.role::text, has_function_privilege(r.role, 'public.match_automations(extensions.vector, integer, text, text, uuid, boolean)', 'execute')
     from unnest(array['anon', 'authenticated', 'service_role']) as r (role) $$,
  $$ values ('anon', true), ('authenticated', true), ('service_role', true) $$,
  'anon, authenticated and service_role may call match_automations'
);
select ok(
  not exists (
    select 1
    from pg_catalog.pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
    where p.oid = 'public.match_automations(extensions.vector, integer, text, text, uuid, boolean)'::regprocedure
      and a.grantee = 0 and a.privilege_type = 'EXECUTE'
  ),
  'match_automations is not executable by public: every role that may call it is named'
);

-- ============================================================================
-- Fixtures, as postgres
-- ============================================================================
select tests.create_user('match_user');
select tests.create_user('match_other');
select tests.create_user('match_admin', 'admin');

-- The catalogue is the fixtures alone, so the expected rows are exact. Emptied
-- by truncate, which gives the table and its indexes new, empty files (the
-- rollback brings the old ones back), rather than by clearing the embeddings:
-- the HNSW index keeps a node for every row version a transaction still sees
-- or has deleted, and any earlier run's rolled-back rows until a vacuum. Those
-- nodes lie in the seed's region of the space, about orthogonal to these
-- fixtures, and a graph of two such clusters is not always connected: in three
-- builds of six, a search for q1 that started among the seed's nodes came back
-- empty or without its nearest rows.
set local client_min_messages = warning;  -- not a notice per table the truncate cascades to
truncate public.automations cascade;
reset client_min_messages;

-- The shared direction plus a unit direction of its own in the plane of
-- dimensions i and j, at angle degrees from dimension i; unit length.
create function pg_temp.fixture_embedding(i integer, j integer, angle double precision)
returns extensions.vector
language plpgsql
immutable
as $$
declare
  x real[] := array_fill(0::real, array[1536]);
begin
  x[10] := 1 / sqrt(2);
  x[i] := cos(radians(angle)) / sqrt(2);
  x[j] := sin(radians(angle)) / sqrt(2);
  return x::extensions.vector;
end;
$$;

-- The queries, readable by every role that calls the function.
create temporary table probe (name text primary key, embedding extensions.vector(1536) not null);
grant select on probe to anon, authenticated, service_role;
insert into probe values
  ('q1', pg_temp.fixture_embedding(1, 2, 0)),
  ('q3', pg_temp.fixture_embedding(3, 4, 0));

insert into public.automations (id, slug, title, summary, category, difficulty, published, embedding)
select f.id::uuid, f.slug, initcap(f.slug), 'x', f.category, f.difficulty, f.published,
  pg_temp.fixture_embedding(1, 2, f.angle)
from (values
  ('42000000-0000-4000-8000-000000000001', 'match-p1', 'finance', 'easy', true, 10),
  ('42000000-0000-4000-8000-000000000002', 'match-p2', 'marketing', 'easy', true, 20),
  ('42000000-0000-4000-8000-000000000003', 'match-p3', 'finance', 'hard', true, 30),
  ('42000000-0000-4000-8000-000000000004', 'match-p4', 'sales', 'medium', true, 40),
  ('42000000-0000-4000-8000-000000000005', 'match-p5', 'finance', 'medium', true, 50),
  ('42000000-0000-4000-8000-000000000006', 'match-p6', 'marketing', 'hard', true, 60),
  ('42000000-0000-4000-8000-0000000000d1', 'match-d1', 'finance', 'easy', false, 5),
  ('42000000-0000-4000-8000-0000000000d2', 'match-d2', 'marketing', 'medium', false, 25)
) as f (id, slug, category, difficulty, published, angle);
insert into public.automations (id, slug, title, summary, category, difficulty, published, embedding)
values ('42000000-0000-4000-8000-0000000000e0', 'match-n1', 'No embedding', 'x', 'finance', 'easy', true, null);

-- match_user adopted p1, match_other p2.
insert into public.user_automations (user_id, automation_id) values
  (tests.get_user_id('match_user'), '42000000-0000-4000-8000-000000000001'),
  (tests.get_user_id('match_other'), '42000000-0000-4000-8000-000000000002');

-- ============================================================================
-- anon
-- ============================================================================
select tests.authenticate_as_anon();

select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 6) $$,
  array['match-p1', 'match-p2', 'match-p3', 'match-p4', 'match-p5', 'match-p6'],
  'a signed-out visitor gets the published automations nearest first, without the nearer drafts'
);
select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 3, include_drafts => true) $$,
  array['match-p1', 'match-p2', 'match-p3'],
  'a signed-out visitor who asks for drafts still gets published automations only'
);
select results_eq(
  $$ select slug, round(similarity::numeric, 4) from public.match_automations((select embedding from probe where name = 'q1'), 3) $$,
  $$ values ('match-p1', 0.9924), ('match-p2', 0.9698), ('match-p3', 0.9330) $$,
  'similarity is 1 - cosine distance: (1 + cos 10°) / 2, (1 + cos 20°) / 2, (1 + cos 30°) / 2'
);
select throws_ok(
  $$ select * from public.match_automations((select embedding from probe where name = 'q1'), 3,
                                            exclude_adopted_by => '42000000-0000-4000-8000-000000000001') $$,
  '42501', 'permission denied for table user_automations',
  'a signed-out visitor cannot exclude anyone''s adoptions: anon may not read them'
);

-- Bad input: a clear error before anything is searched.
select throws_ok(
  $$ select * from public.match_automations(null) $$,
  '22004', 'match_automations: query_embedding is null',
  'a null embedding is refused'
);
select throws_ok(
  $$ select * from public.match_automations('[1,0,0]') $$,
  '22023', 'match_automations: query_embedding has 3 dimensions, not 1536',
  'an embedding of the wrong dimension is refused'
);
select throws_ok(
  $$ select * from public.match_automations((select embedding from probe where name = 'q1'), 0) $$,
  '22023', 'match_automations: match_count must be between 1 and 100, not 0',
  'match_count below 1 is refused'
);
select throws_ok(
  $$ select * from public.match_automations((select embedding from probe where name = 'q1'), 101) $$,
  '22023', 'match_automations: match_count must be between 1 and 100, not 101',
  'match_count above the bound of 100 is refused'
);
select throws_ok(
  $$ select * from public.match_automations((select embedding from probe where name = 'q1'), null) $$,
  '22023', 'match_automations: match_count must be between 1 and 100, not null',
  'a null match_count is refused'
);

-- ============================================================================
-- A user
-- ============================================================================
select tests.authenticate_as('match_user');

select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 3, include_drafts => true) $$,
  array['match-p1', 'match-p2', 'match-p3'],
  'a user gets published automations only, even when asking for drafts'
);
select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 3,
                                               exclude_adopted_by => tests.get_user_id('match_user')) $$,
  array['match-p2', 'match-p3', 'match-p4'],
  'a user can leave out the automations they adopted'
);
select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 3,
                                               exclude_adopted_by => tests.get_user_id('match_other')) $$,
  array['match-p1', 'match-p2', 'match-p3'],
  'another user''s id excludes nothing: a user cannot learn someone else''s adoptions through the function'
);
select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 10, filter_category => 'finance') $$,
  array['match-p1', 'match-p3', 'match-p5'],
  'filter_category keeps the automations of that category only, nearest first'
);
select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 10, filter_difficulty => 'easy') $$,
  array['match-p1', 'match-p2'],
  'filter_difficulty keeps the automations of that difficulty only, nearest first'
);
select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 10,
                                               filter_category => 'finance', filter_difficulty => 'hard') $$,
  array['match-p3'],
  'both filters together keep the automations that match both'
);
select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 2) $$,
  array['match-p1', 'match-p2'],
  'match_count bounds the rows: the two nearest'
);
select is_empty(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 100)
     where slug = 'match-n1' $$,
  'an automation without an embedding is never a match'
);

-- ============================================================================
-- An admin
-- ============================================================================
select tests.authenticate_as('match_admin');

select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 3) $$,
  array['match-p1', 'match-p2', 'match-p3'],
  'an admin gets published automations by default, as users see them'
);
select results_eq(
  $$ select slug, published from public.match_automations((select embedding from probe where name = 'q1'), 5, include_drafts => true) $$,
  $$ values ('match-d1', false), ('match-p1', true), ('match-p2', true), ('match-d2', false), ('match-p3', true) $$,
  'an admin who asks for drafts gets every automation, drafts among them, nearest first'
);
select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 3,
                                               exclude_adopted_by => tests.get_user_id('match_user')) $$,
  array['match-p2', 'match-p3', 'match-p4'],
  'an admin can leave out the automations a given user adopted'
);

-- ============================================================================
-- service_role
-- ============================================================================
select tests.authenticate_as_service_role();

select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 3) $$,
  array['match-p1', 'match-p2', 'match-p3'],
  'the backend gets published automations by default, so a weekly discovery never recommends a draft'
);
select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 2, include_drafts => true) $$,
  array['match-d1', 'match-p1'],
  'the backend gets drafts when it asks for them'
);
select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 2,
                                               exclude_adopted_by => tests.get_user_id('match_user')) $$,
  array['match-p2', 'match-p3'],
  'the backend can leave out the automations a user adopted'
);

-- ============================================================================
-- The HNSW indexes serve the search
-- ============================================================================
-- Scans counted in this transaction (pg_stat_get_xact_numscans, compared
-- before and after) show which path the function's own query took. The
-- function turns sequential scans and sorts off itself, so, whatever the
-- table's statistics and with no setting of the caller's, the one plan left
-- without a disabled node is an index that returns rows in distance order:
-- the category's HNSW index (one per category, 20261206203016), if the query
-- is written so that it can use it. A query it cannot serve (a distance
-- wrapped in an expression, another order, a category the planner cannot
-- prove) would still run, with a scan and a sort, and leave the counts below
-- unchanged.
select tests.clear_authentication();
create function pg_temp.hnsw_scans()
returns table (index_name text, scans bigint)
language sql
as $$
  select c.relname::text, pg_stat_get_xact_numscans(c.oid)
  from pg_catalog.pg_index i
  join pg_catalog.pg_class c on c.oid = i.indexrelid
  join pg_catalog.pg_am am on am.oid = c.relam
  where i.indrelid = 'public.automations'::regclass and am.amname = 'hnsw'
$$;
create temporary table hnsw_scans_before as select * from pg_temp.hnsw_scans();
create temporary table scans_before as
select pg_stat_get_xact_numscans('public.automations'::regclass) as seq;

select tests.authenticate_as_anon();
select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 3) $$,
  array['match-p1', 'match-p2', 'match-p3'],
  'through the index, a signed-out visitor gets the same nearest automations'
);
select tests.clear_authentication();
select results_eq(
  $$ select count(*) filter (where a.scans - b.scans = 1)::integer, count(*)::integer
     from pg_temp.hnsw_scans() a join hnsw_scans_before b using (index_name) $$,
  $$ values (8, 8) $$,
  'the unfiltered search ran as one scan of each of the eight categories'' HNSW indexes, under row level security'
);
select is(
  pg_stat_get_xact_numscans('public.automations'::regclass) - (select seq from scans_before),
  0::bigint,
  'the search read no automation by a sequential scan'
);

-- Around q3: ef_search + 20 operations automations of medium difficulty
-- within 32 degrees (plane 3-4), then twelve hard ones at 61..72 degrees
-- (plane 3-5), all in the operations graph. Added only now, so
-- that the index scan above searched a graph small enough to be exhaustive.
-- ef_search is lowered to 20 for this transaction: the iterative scan is the
-- same at 600, but 620 inserts into the HNSW index would take the suite
-- seconds, 40 take a fraction of one.
alter function public.match_automations(extensions.vector, integer, text, text, uuid, boolean)
  set hnsw.ef_search = 20;
insert into public.automations (id, slug, title, summary, category, difficulty, published, embedding)
select md5('420.crowd.' || k)::uuid, 'match-crowd-' || k, 'Crowd ' || k, 'x', 'operations', 'medium', true,
  pg_temp.fixture_embedding(3, 4, k * 0.1)
from generate_series(1, (
  select split_part(c, '=', 2)::integer + 20
  from pg_catalog.pg_proc p, unnest(p.proconfig) as c
  where p.oid = 'public.match_automations(extensions.vector, integer, text, text, uuid, boolean)'::regprocedure
    and c like 'hnsw.ef_search=%'
)) as k;
insert into public.automations (id, slug, title, summary, category, difficulty, published, embedding)
select md5('420.hard.' || k)::uuid, 'match-hard-' || k, 'Hard ' || k, 'x', 'operations', 'hard', true,
  pg_temp.fixture_embedding(3, 5, 60 + k)
from generate_series(1, 12) as k;

-- More than ef_search medium operations automations are nearer to q3 than any
-- hard one: without an iterative scan the operations graph would hand over
-- only medium rows, and the filter would leave none.
truncate hnsw_scans_before;
insert into hnsw_scans_before select * from pg_temp.hnsw_scans();
select tests.authenticate_as('match_user');
select results_eq(
  $$ select count(*)::integer, count(*) filter (where category = 'operations' and difficulty = 'hard')::integer
     from public.match_automations((select embedding from probe where name = 'q3'), 10,
                                   filter_category => 'operations', filter_difficulty => 'hard') $$,
  $$ values (10, 10) $$,
  'a selective filter still gets match_count rows: the scan goes on past the ef_search nearest'
);
select tests.clear_authentication();
select results_eq(
  $$ select a.index_name, a.scans - b.scans
     from pg_temp.hnsw_scans() a join hnsw_scans_before b using (index_name)
     where a.scans <> b.scans $$,
  $$ values ('automations_embedding_operations_idx'::text, 1::bigint) $$,
  'a search of one category ran as one scan of that category''s HNSW index alone'
);
select is_empty(
  $$ select m.slug
     from (select f.slug, f.similarity, lag(f.similarity) over (order by f.n) as previous
           from public.match_automations((select embedding from probe where name = 'q3'), 10,
                                         filter_category => 'operations', filter_difficulty => 'hard')
                with ordinality as f (id, slug, title, summary, category, difficulty, setup_minutes,
                                      hours_saved_per_week, tags, published, similarity, n)) as m
     where m.similarity > m.previous $$,
  'the rows of the iterative scan, which finds them slightly out of order, come back most similar first'
);

select * from finish();
rollback;
