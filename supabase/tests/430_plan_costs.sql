-- Plans priced the way they run: no JIT compilation for a cheap query.
--
-- PostgreSQL 15 to 17 price a planner method that a setting turns off at
-- 10,000,000,000 per step (disable_cost) instead of forbidding it. A plan with
-- one such step costs more than jit_above_cost (100,000), and a server with JIT
-- on (PostgreSQL's default, and Supabase's) compiles it to machine code on
-- every call: 100-400 ms for match_automations, whose search takes under a
-- millisecond (issue 23; migration 20261206172705). PGlite (PostgreSQL 18)
-- counts disabled steps instead of pricing them and has no JIT: there, the plan
-- assertions below pass whatever the settings, and the rule on function
-- settings is what catches the defect. On a server the plans are checked too.
begin;
select plan(5);

-- ============================================================================
-- The rule, for every function the project defines
-- ============================================================================
select is_empty(
  $$ select p.oid::regprocedure::text
     from pg_catalog.pg_proc p
     where p.pronamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
       -- functions of extensions are their authors' (none sets a planner method today)
       and not exists (
         select 1 from pg_catalog.pg_depend d
         where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'
       )
       and exists (select 1 from unnest(p.proconfig) as c where c ~ '^enable_\w+=off$')
       and not ('jit=off' = any (p.proconfig))
     order by 1 $$,
  'every function whose settings turn a planner method off also turns JIT off: the disabled method prices its plan above jit_above_cost'
);

-- ============================================================================
-- match_automations' search, planned as the function plans it
-- ============================================================================
-- The function's own statement (its prosrc, so the test follows the function),
-- with its arguments as the constants its custom plans see: an embedding,
-- match_count 10, no filters, nothing adopted.
create temporary table match_automations_search on commit drop as
select regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
         (regexp_match(p.prosrc, '\mreturn query\s+(.*);\s*end;\s*$'))[1],
         '\mquery_embedding\M', format('%L::extensions.vector(1536)',
           (select '[' || string_agg('1', ',') || ']' from generate_series(1, 1536))), 'g'),
         '\mmatch_count\M', '10', 'g'),
         '\mfilter_category\M', 'null::text', 'g'),
         '\mfilter_difficulty\M', 'null::text', 'g'),
         '\madopted\M', '''{}''::uuid[]', 'g'),
         '\minclude_drafts\M', 'false', 'g') as statement
from pg_catalog.pg_proc p
where p.oid = 'public.match_automations(extensions.vector, integer, text, text, uuid, boolean)'::regprocedure;

-- The plan of a statement as a function runs it: under the function's own
-- settings (proconfig) and as the given role, in a subtransaction that is
-- always rolled back, so neither outlives the call.
create function pg_temp.plan_in_function(fn regprocedure, statement text, api_role text)
returns jsonb
language plpgsql
as $$
declare
  setting text;
  plan jsonb;
begin
  begin
    foreach setting in array (select coalesce(p.proconfig, '{}') from pg_catalog.pg_proc p where p.oid = fn) loop
      perform pg_catalog.set_config(split_part(setting, '=', 1), substr(setting, strpos(setting, '=') + 1), true);
    end loop;
    perform pg_catalog.set_config('role', api_role, true);
    execute 'explain (format json) ' || statement into plan;
    raise sqlstate 'TSPLN';
  exception when sqlstate 'TSPLN' then
    null;
  end;
  return plan;
end;
$$;

select isnt(
  (select s.statement from match_automations_search s),
  null,
  'match_automations'' search statement is found in its source'
);
select is(
  (select pg_temp.plan_in_function(
     'public.match_automations(extensions.vector, integer, text, text, uuid, boolean)', s.statement, 'anon'
   ) -> 0 -> 'JIT' from match_automations_search s),
  null,
  'match_automations'' search, planned under its own settings for a signed-out visitor, is not JIT-compiled'
);
select is(
  (select pg_temp.plan_in_function(
     'public.match_automations(extensions.vector, integer, text, text, uuid, boolean)', s.statement, 'service_role'
   ) -> 0 -> 'JIT' from match_automations_search s),
  null,
  'match_automations'' search, planned under its own settings for the weekly job (service_role), is not JIT-compiled'
);

-- A relaxed iterative scan returns rows nearly, not exactly, in distance
-- order. From PostgreSQL 17 the planner takes the materialized CTE's order
-- as given and plans an incremental sort on it ("Presorted Key"), which would
-- keep rows out of order.
select ok(
  (select pg_temp.plan_in_function(
     'public.match_automations(extensions.vector, integer, text, text, uuid, boolean)', s.statement, 'anon'
   )::text !~ 'Presorted Key' from match_automations_search s),
  'match_automations sorts the rows it found in full, not as if the index had returned them in order'
);

select * from finish();
rollback;
