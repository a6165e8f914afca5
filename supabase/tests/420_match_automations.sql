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
-- Last, around a second query q3 (dimension 3): a dozen hard "operations"
-- automations, which a search of one list of 200 misses and only an iterative
-- index scan finds. First, training the index (private.train_discovery_index)
-- on the seed's catalogue.

begin;
select plan(41);

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
  array['search_path=""', 'ivfflat.probes=200', 'enable_seqscan=off', 'enable_sort=off', 'jit=off']
    || case when (select string_to_array(e.extversion, '.')::integer[] >= array[0, 8, 0]
                  from pg_catalog.pg_extension e where e.extname = 'vector')
            then array['ivfflat.iterative_scan=relaxed_order'] else array[]::text[] end,
  'match_automations carries its search settings: every list of the index until it is trained, the index rather than a scan and a sort, no JIT, and iterative scans where pgvector has them'
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
-- private.train_discovery_index(), on the seed's catalogue
-- ============================================================================
select results_eq(
  $$ select r.role::text, has_function_privilege(r.role, 'private.train_discovery_index(integer)', 'execute')
     from unnest(array['anon', 'authenticated', 'service_role']) as r (role) $$,
  $$ values ('anon', false), ('authenticated', false), ('service_role', false) $$,
  'no API role may train the index: only its owner, by hand'
);
select throws_ok(
  $$ select private.train_discovery_index(0) $$,
  '22023', 'train_discovery_index: min_rows must be at least 1, not 0',
  'training on fewer than one row is refused'
);

-- The seed holds a few dozen embeddings, fewer than the 2,000 training asks
-- for by default.
create temporary table index_file as
select pg_relation_filenode('public.automations_embedding_idx'::regclass) as before;
select is(
  private.train_discovery_index(),
  200,
  'with fewer embeddings than min_rows, the search keeps reading every list'
);
select is(
  pg_relation_filenode('public.automations_embedding_idx'::regclass),
  (select before from index_file),
  'and the index is left as it is: every list is read anyway'
);
select is(
  private.train_discovery_index((select count(*)::integer from public.automations where embedding is not null)),
  20,
  'with min_rows embeddings, the search reads the 20 lists nearest the business'
);
select isnt(
  pg_relation_filenode('public.automations_embedding_idx'::regclass),
  (select before from index_file),
  'and the index is rebuilt on them'
);
select is(
  (select c from pg_catalog.pg_proc p, unnest(p.proconfig) c
    where p.oid = 'public.match_automations(extensions.vector, integer, text, text, uuid, boolean)'::regprocedure
      and c like 'ivfflat.probes=%'),
  'ivfflat.probes=20',
  'training sets match_automations''s probes'
);
-- Untrained again for the fixtures below, whose index truncate builds anew on
-- no rows.
select private.train_discovery_index();

-- ============================================================================
-- Fixtures, as postgres
-- ============================================================================
select tests.create_user('match_user');
select tests.create_user('match_other');
select tests.create_user('match_admin', 'admin');

-- The catalogue is the fixtures alone, so the expected rows are exact. Emptied
-- by truncate, which gives the table and its indexes new, empty files (the
-- rollback brings the old ones back): the embedding index is built again on
-- no rows, its lists' centres at random, as on a new project, and the
-- function, untrained, reads every list.
set local client_min_messages = warning;  -- not a notice per table the truncate cascades to, nor pgvector's about little data
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
-- The IVFFlat index serves the search
-- ============================================================================
-- Scans counted in this transaction (pg_stat_get_xact_numscans, compared
-- before and after) show which path the function's own query took. The
-- function turns sequential scans and sorts off itself, so, whatever the
-- table's statistics and with no setting of the caller's, the one plan left
-- without a disabled node is an index that returns rows in distance order:
-- the embedding index, if the query is written so that it can use it. A
-- query it cannot serve (a distance wrapped in an expression, another order,
-- a cast the index was not built on) would still run, with a scan and a sort,
-- and leave the counts below unchanged.
select tests.clear_authentication();
create temporary table scans_before as
select pg_stat_get_xact_numscans('public.automations_embedding_idx'::regclass) as index_scans,
       pg_stat_get_xact_numscans('public.automations'::regclass) as seq;

select tests.authenticate_as_anon();
select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 3) $$,
  array['match-p1', 'match-p2', 'match-p3'],
  'through the index, a signed-out visitor gets the same nearest automations'
);
select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q1'), 3, filter_category => 'finance') $$,
  array['match-p1', 'match-p3', 'match-p5'],
  'and through the index, the nearest of a category'
);
select tests.clear_authentication();
select is(
  pg_stat_get_xact_numscans('public.automations_embedding_idx'::regclass) - (select index_scans from scans_before),
  2::bigint,
  'the unfiltered and the category search each ran as one scan of the embedding index, under row level security'
);
select is(
  pg_stat_get_xact_numscans('public.automations'::regclass) - (select seq from scans_before),
  0::bigint,
  'the searches read no automation by a sequential scan'
);

-- Around q3: twelve hard operations automations at 61..72 degrees (plane
-- 3-5). The search is made to read a single list of the 200 for this
-- transaction: the rows lie in lists whose centres the empty build drew at
-- random, so the list nearest q3 holds few of them or none, and without an
-- iterative scan the filter would leave fewer than match_count.
alter function public.match_automations(extensions.vector, integer, text, text, uuid, boolean)
  set ivfflat.probes = 1;
insert into public.automations (id, slug, title, summary, category, difficulty, published, embedding)
select md5('420.hard.' || k)::uuid, 'match-hard-' || k, 'Hard ' || k, 'x', 'operations', 'hard', true,
  pg_temp.fixture_embedding(3, 5, 60 + k)
from generate_series(1, 12) as k;

select tests.authenticate_as('match_user');
select results_eq(
  $$ select slug from public.match_automations((select embedding from probe where name = 'q3'), 10,
                                               filter_category => 'operations', filter_difficulty => 'hard') $$,
  $$ select 'match-hard-' || k from generate_series(1, 10) as k $$,
  'a selective filter still gets the match_count nearest rows: the scan goes on from list to list'
);
select is_empty(
  $$ select m.slug
     from (select f.slug, f.similarity, lag(f.similarity) over (order by f.n) as previous
           from public.match_automations((select embedding from probe where name = 'q3'), 10,
                                         filter_category => 'operations', filter_difficulty => 'hard')
                with ordinality as f (id, slug, title, summary, category, difficulty, setup_minutes,
                                      hours_saved_per_week, tags, published, similarity, n)) as m
     where m.similarity > m.previous $$,
  'the rows of the iterative scan, which finds them list by list, come back most similar first'
);
select tests.clear_authentication();

select * from finish();
rollback;
