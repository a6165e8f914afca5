-- The RLS matrix's probe, installed before every other test file.
--
-- supabase/tests/270_rls_matrix.sql states who may do what to each table of
-- schema public (a temporary table `rls_matrix`) and proves every cell with
-- these helpers. They know none of this schema's tables: the matrix file names
-- the tables, the rows to probe in each and how a new row differs from a
-- probed one (a temporary table `rls_probes`). Like 000_test_helpers.sql, whose
-- helpers they use (it sorts first), this file commits, never ships in a
-- migration, and can run any number of times.
--
--   tests.rls_act_as(actor)        become one of the matrix's actors
--   tests.rls_session(actor)       the role and claims that act as the actor
--   tests.rls_try(role, claims, statement, prepare)
--                                  run one statement as the actor, say what happened, undo it
--   tests.rls_observe(probes, table, actor)
--                                  every command tried on the probed rows: what each reached
--   tests.rls_compare(...)         an expected outcome against what was observed
--   tests.rls_describe(...)        a cell as a sentence
--   tests.rls_matrix_cells(matrix, probes)
--                                  every cell compared, as rows (for psql)
--   tests.rls_matrix_covers(matrix)   TAP: one line per actor for every table of public
--   tests.rls_matrix_privileges(matrix)
--                                  TAP: anon and authenticated hold only the privileges the lines use
--   tests.rls_matrix_check(matrix, probes)
--                                  TAP: one assertion per cell
--
-- Actors: anon (signed out), owner, other, admin (the users rls_owner,
-- rls_other and rls_admin, which the matrix file creates, the last with role
-- admin) and service_role. What a probe does:
--   select  one query for all the probed rows: which are visible
--   insert  a copy of the probed row, without the values the server makes (a
--           column whose default calls a function: ids, timestamps) and with
--           the probe's `new_row` changes, so it collides with no unique key;
--           when the copy keeps the probed row's key (user_profiles.user_id),
--           the probed row is deleted first, as the connecting role
--   update  every column set to its own value; when privileges refuse that,
--           each column the actor may update, alone
--   delete  the probed row
-- Each probe runs inside a savepoint that is rolled back: no probe sees
-- another's effects, and values never change. Attacks on values (raising
-- one's own role, moving a row to someone else) are the other files' job.

create or replace function tests.rls_act_as(actor text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  case actor
    when 'anon' then
      perform tests.authenticate_as_anon();
    when 'service_role' then
      perform tests.authenticate_as_service_role();
    when 'owner', 'other', 'admin' then
      perform tests.authenticate_as('rls_' || actor);
    else
      raise exception 'unknown actor "%" (actors: anon, owner, other, admin, service_role)', actor;
  end case;
end;
$$;

-- The database role an actor's requests run as, for privilege checks.
create or replace function tests.rls_role_of(actor text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case when actor in ('anon', 'service_role') then actor else 'authenticated' end;
$$;

-- The role and the claims tests.rls_act_as gives an actor, read once so that
-- each probe only has to set them.
create or replace function tests.rls_session(actor text, out role text, out claims text)
language plpgsql
set search_path = ''
as $$
begin
  begin
    perform tests.rls_act_as(actor);
    role := current_user;
    claims := current_setting('request.jwt.claims');
    raise exception using errcode = 'RLSPR', message = 'back to the connecting role';
  exception
    when sqlstate 'RLSPR' then
      null;
  end;
end;
$$;

-- One probe. Runs `prepare` as the connecting role, becomes the actor (the
-- role and claims of tests.rls_session), runs `statement`, then raises so
-- that the block's savepoint undoes the statement, the preparation, the role
-- and the claims alike. A query returns the keys it saw in `returned`; any
-- other statement the number of rows it affected. A refusal is reported
-- (error_code, error_message); a preparation that fails means the fixtures no
-- longer fit the schema, and is raised.
create or replace function tests.rls_try(
  actor_role text, claims text, statement text, prepare text default null,
  out affected integer, out returned text[], out error_code text, out error_message text
)
language plpgsql
set search_path = ''
as $$
declare
  preparing boolean := true;
begin
  begin
    if prepare is not null then
      execute prepare;
    end if;
    preparing := false;
    perform set_config('role', actor_role, true);
    perform set_config('request.jwt.claims', claims, true);
    if statement ~* '^\s*select\M' then
      execute statement into returned;
      affected := coalesce(cardinality(returned), 0);
    else
      execute statement;
      get diagnostics affected = row_count;
    end if;
    raise exception using errcode = 'RLSPR', message = 'undo the probe';
  exception
    when sqlstate 'RLSPR' then
      null;
    when others then
      if preparing then
        raise exception 'preparing a probe failed (%: %): %', sqlstate, sqlerrm, prepare;
      end if;
      error_code := sqlstate;
      error_message := sqlerrm;
      affected := 0;
  end;
end;
$$;

-- What every command reached when `actor` tried it on the probed rows of
-- public.<table_name>, as given by the probes table (columns table_name,
-- owner_row, other_row, published_row, unpublished_row: the probed rows'
-- primary keys, as text; new_row: jsonb). A row per command, with a json
-- array of the probed groups: {"group", "reached", "columns" (update: the
-- columns that could change, null for the whole row), "note"}. User tables
-- are probed on the owner's and the other user's rows (`other` on the owner's
-- only: that is the question it answers); catalogue tables on the published
-- row and the unpublished one.
create or replace function tests.rls_observe(probes regclass, table_name text, actor text)
returns table (command text, groups jsonb)
language plpgsql
set search_path = ''
as $$
declare
  target regclass := to_regclass(format('public.%I', table_name));
  api_role text := tests.rls_role_of(actor);
  session record := tests.rls_session(actor);
  probe jsonb;
  probed text[];
  keys text[];
  primary_key text[];
  key text;
  columns text[];
  server_made text[];
  col text;
  grp text;
  row_key text;
  original jsonb;
  new_row jsonb;
  seen record;
  tried record;
  changed text[];
  whole_row text;
  selects jsonb := '[]';
  inserts jsonb := '[]';
  updates jsonb := '[]';
  deletes jsonb := '[]';
begin
  if target is null then
    raise exception 'no table public.%', table_name;
  end if;
  execute format('select to_jsonb(p) from %s p where p.table_name = $1', probes) into probe using table_name;
  if probe is null then
    raise exception 'no probed rows for % in %', table_name, probes;
  end if;
  if probe ->> 'owner_row' is not null then
    probed := case when actor = 'other' then array['owner'] else array['owner', 'other'] end;
  else
    probed := array['published', 'unpublished'];
  end if;
  keys := array(select probe ->> (g || '_row') from unnest(probed) g);
  if array_position(keys, null) is not null then
    raise exception 'the probes of % need a key for each of: %', table_name, array_to_string(probed, ', ');
  end if;

  primary_key := array(
    select a.attname::text
      from pg_catalog.pg_index i
      join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey::int2[])
     where i.indrelid = target and i.indisprimary
  );
  if cardinality(primary_key) <> 1 then
    raise exception 'probing % needs a primary key of one column', table_name;
  end if;
  key := primary_key[1];

  select array_agg(a.attname::text order by a.attnum),
         coalesce(array_agg(a.attname::text) filter (
           where a.attidentity <> '' or pg_catalog.pg_get_expr(d.adbin, d.adrelid) like '%(%'
         ), '{}')
    into columns, server_made
    from pg_catalog.pg_attribute a
    left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
   where a.attrelid = target and a.attnum > 0 and not a.attisdropped and a.attgenerated = '';

  if exists (select from jsonb_object_keys(coalesce(probe -> 'new_row', '{}')) k where k <> all (columns)) then
    raise exception 'the new_row of % names a column it does not have: %', table_name, probe -> 'new_row';
  end if;

  -- select: one query, which of the probed rows are visible
  select * into seen from tests.rls_try(session.role, session.claims, format(
    'select coalesce(array_agg(%1$I::text), ''{}'') from %2$s where %1$I::text = any (%3$L::text[])',
    key, target, keys
  ));

  foreach grp in array probed loop
    row_key := probe ->> (grp || '_row');
    selects := selects || jsonb_build_object(
      'group', grp,
      'reached', coalesce(row_key = any (seen.returned), false),
      'columns', null,
      'note', case
        when seen.error_code is not null then format('%s (%s)', seen.error_message, seen.error_code)
        when row_key = any (seen.returned) then 'visible'
        else 'not visible'
      end
    );

    -- insert: a copy of the probed row
    execute format('select to_jsonb(t) from %s t where %I = %L', target, key, row_key) into original;
    if original is null then
      raise exception 'the probed row % = % of % does not exist: check the fixtures', key, row_key, table_name;
    end if;
    new_row := (original - server_made) || coalesce(probe -> 'new_row', '{}');
    select * into tried from tests.rls_try(
      session.role, session.claims,
      format(
        'insert into %1$s (%2$s) select %2$s from pg_catalog.jsonb_populate_record(null::%1$s, %3$L::jsonb)',
        target, (select string_agg(quote_ident(c), ', ' order by o) from unnest(columns) with ordinality u (c, o) where new_row ? c),
        new_row
      ),
      case when new_row ->> key = row_key then format('delete from %s where %I = %L', target, key, row_key) end
    );
    inserts := inserts || jsonb_build_object(
      'group', grp, 'reached', tried.affected > 0, 'columns', null, 'note', case
        when tried.error_code is not null then format('%s (%s)', tried.error_message, tried.error_code)
        when tried.affected > 0 then 'inserted'
        else '0 rows'
      end
    );

    -- update: every column set to itself; refused for lack of privilege, each column it may update
    select * into tried from tests.rls_try(session.role, session.claims, format(
      'update %s set %s where %I = %L',
      target, (select string_agg(format('%1$I = %1$I', c), ', ') from unnest(columns) c), key, row_key
    ));
    if tried.error_code = '42501' and not has_table_privilege(api_role, target, 'UPDATE') then
      whole_row := tried.error_message;
      changed := '{}';
      foreach col in array columns loop
        continue when not has_column_privilege(api_role, target, col, 'UPDATE');
        select * into tried from tests.rls_try(session.role, session.claims,
          format('update %s set %I = %I where %I = %L', target, col, col, key, row_key));
        if tried.error_code is null and tried.affected > 0 then
          changed := changed || col;
        end if;
      end loop;
      updates := updates || jsonb_build_object(
        'group', grp,
        'reached', cardinality(changed) > 0,
        'columns', case when cardinality(changed) > 0 then to_jsonb(changed) end,
        'note', format('%s (the whole row: %s)',
          case when cardinality(changed) > 0 then 'only ' || array_to_string(changed, ', ') else 'no column' end,
          whole_row)
      );
    else
      updates := updates || jsonb_build_object(
        'group', grp, 'reached', tried.error_code is null and tried.affected > 0, 'columns', null, 'note', case
          when tried.error_code is not null then format('%s (%s)', tried.error_message, tried.error_code)
          when tried.affected > 0 then 'updated'
          else '0 rows'
        end
      );
    end if;

    -- delete
    select * into tried from tests.rls_try(session.role, session.claims, format('delete from %s where %I = %L', target, key, row_key));
    deletes := deletes || jsonb_build_object(
      'group', grp, 'reached', tried.affected > 0, 'columns', null, 'note', case
        when tried.error_code is not null then format('%s (%s)', tried.error_message, tried.error_code)
        when tried.affected > 0 then 'deleted'
        else '0 rows'
      end
    );
  end loop;

  return query select * from (values ('select', selects), ('insert', inserts), ('update', updates), ('delete', deletes)) v;
end;
$$;

-- A probed group as the actor sees it: its own rows, someone else's, or the
-- published or unpublished row.
create or replace function tests.rls_label(grp text, actor text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when grp in ('published', 'unpublished') then grp
    when grp = 'owner' and actor = 'owner' then 'own'
    else 'foreign'
  end;
$$;

-- The columns an update of a probed group could change; null for the whole row.
create or replace function tests.rls_columns(observed jsonb)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case when jsonb_typeof(observed -> 'columns') = 'array'
    then array(select jsonb_array_elements_text(observed -> 'columns')) end;
$$;

-- What was observed, in the matrix's words: none, all, own, published, with
-- (columns) when only some could change. Anything else (`foreign`: someone
-- else's rows but not one's own) is outside the vocabulary and always differs.
create or replace function tests.rls_outcome(groups jsonb, actor text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  reached jsonb := jsonb_path_query_array(groups, '$[*] ? (@.reached == true)');
  column_lists text[];
  labels text[];
begin
  if jsonb_array_length(reached) = 0 then
    return 'none';
  end if;
  column_lists := array(
    select distinct coalesce('(' || array_to_string(tests.rls_columns(r), ',') || ')', '')
      from jsonb_array_elements(reached) r
  );
  if cardinality(column_lists) > 1 then
    return (
      select string_agg(tests.rls_label(r ->> 'group', actor)
          || coalesce('(' || array_to_string(tests.rls_columns(r), ',') || ')', ''), '+')
        from jsonb_array_elements(reached) r
    );
  end if;
  if jsonb_array_length(reached) = jsonb_array_length(groups) then
    return 'all' || column_lists[1];
  end if;
  labels := array(select distinct tests.rls_label(r ->> 'group', actor) from jsonb_array_elements(reached) r);
  return array_to_string(labels, '+') || column_lists[1];
end;
$$;

-- One cell: the matrix's outcome `expected` against the observed groups,
-- compared group by group. A leak is a row (or a column) the actor reached
-- that the matrix does not allow; a lost permission is one the matrix allows
-- that the actor could not reach. `catalogue`: the table's rows are published
-- or unpublished rather than users'.
create or replace function tests.rls_compare(
  actor text, command text, expected text, groups jsonb, catalogue boolean,
  out passed boolean, out observed text, out diagnostics text
)
language plpgsql
immutable
set search_path = ''
as $$
declare
  parts text[] := regexp_match(expected, '^(all|own|published|none)(?:\(([a-z_][a-z0-9_]*(?:,[a-z_][a-z0-9_]*)*)\))?$');
  scope text := parts[1];
  allowed_columns text[] := string_to_array(parts[2], ',');
  problem text;
  allowed_groups text[];
  leak boolean := false;
  loss boolean := false;
  g jsonb;
  reached boolean;
  allowed boolean;
  reached_columns text[];
begin
  observed := tests.rls_outcome(groups, actor);
  problem := case
    when parts is null then
      format('"%s" is not an outcome (outcomes: all, own, published, none, and for update all(column,...))', expected)
    when scope = 'own' and catalogue then
      '"own" needs rows that belong to users; this table''s rows are published or not'
    when scope = 'own' and actor <> 'owner' then
      format('"own" applies to the owner only: %s is probed on rows that are not its own, so the outcome is all or none', actor)
    when scope = 'published' and not catalogue then
      '"published" applies to the catalogue only; this table''s rows belong to users'
    when allowed_columns is not null and command <> 'update' then
      'a column list applies to update only'
    when allowed_columns is not null and scope = 'none' then
      '"none" takes no column list'
  end;
  if problem is not null then
    passed := false;
    diagnostics := format('the matrix says %s: %s', expected, problem);
    return;
  end if;

  allowed_groups := case scope
    when 'all' then array(select r ->> 'group' from jsonb_array_elements(groups) r)
    when 'own' then array['owner']
    when 'published' then array['published']
    else '{}'
  end;
  for g in select * from jsonb_array_elements(groups) loop
    reached := (g ->> 'reached')::boolean;
    allowed := g ->> 'group' = any (allowed_groups);
    reached_columns := tests.rls_columns(g);
    leak := leak or (reached and (not allowed
      or (allowed_columns is not null and (reached_columns is null or not reached_columns <@ allowed_columns))));
    loss := loss or (allowed and (not reached
      or (reached_columns is not null and (allowed_columns is null or not allowed_columns <@ reached_columns))));
  end loop;

  passed := not leak and not loss;
  if passed then
    return;
  end if;
  diagnostics := concat_ws(e'\n',
    format('expected: %s', expected),
    format('observed: %s', observed),
    case when leak then format('LEAK: the database lets %s %s more than the matrix says', actor, command) end,
    case when loss then format('LOST PERMISSION: the database lets %s %s less than the matrix says', actor, command) end,
    (select string_agg(format('%s: %s', case r ->> 'group'
        when 'owner' then 'the owner''s row'
        when 'other' then 'the other user''s row'
        else 'the ' || (r ->> 'group') || ' row'
      end, r ->> 'note'), e'\n')
      from jsonb_array_elements(groups) r)
  );
end;
$$;

-- A cell as a sentence: "another user cannot update the owner's
-- questionnaire_sessions rows", "the owner can update only viewed_at of their
-- own weekly_discoveries rows, and no one else's".
create or replace function tests.rls_describe(table_name text, actor text, command text, expected text, catalogue boolean)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  parts text[] := regexp_match(expected, '^(all|own|published|none)(?:\((.*)\))?$');
  who text := case actor
    when 'owner' then 'the owner'
    when 'other' then 'another user'
    when 'admin' then 'an admin'
    else actor
  end;
  only_columns text := coalesce(' only ' || replace(parts[2], ',', ', ') || ' of', '');
begin
  if parts is null then
    return format('%s may %s %s: %s', who, command, table_name, expected);
  end if;
  if catalogue then
    return case parts[1]
      when 'none' then format('%s cannot %s %s rows, published or not', who, command, table_name)
      when 'published' then
        format('%s can %s%s published %s rows, and no unpublished ones', who, command, only_columns, table_name)
      else format('%s can %s%s %s rows, published or not', who, command, only_columns, table_name)
    end;
  end if;
  return case parts[1]
    when 'none' then format('%s cannot %s %s %s rows', who, command, case actor
      when 'other' then 'the owner''s'
      when 'owner' then 'their own or another user''s'
      else 'any user''s'
    end, table_name)
    when 'own' then format('%s can %s%s their own %s rows, and no one else''s', who, command, only_columns, table_name)
    else format('%s can %s%s %s %s rows', who, command, only_columns, case actor
      when 'other' then 'the owner''s'
      when 'owner' then 'their own and another user''s'
      else 'every user''s'
    end, table_name)
  end;
end;
$$;

-- Every cell of the matrix (columns table_name, actor, select, insert, update,
-- delete), in the matrix's order, compared with what the probes observe. A
-- table that does not exist or has no probed rows fails its cells.
create or replace function tests.rls_matrix_cells(matrix regclass, probes regclass)
returns table (
  table_name text, actor text, command text, expected text, observed text,
  passed boolean, description text, diagnostics text, groups jsonb
)
language plpgsql
set search_path = ''
as $$
declare
  line jsonb;
  catalogue boolean;
  missing text;
  seen record;
  verdict record;
begin
  for line in execute format('select to_jsonb(m) from %s m order by m.ctid', matrix) loop
    table_name := line ->> 'table_name';
    actor := line ->> 'actor';
    execute format('select p.owner_row is null from %s p where p.table_name = $1', probes) into catalogue using table_name;
    missing := case
      when to_regclass(format('public.%I', table_name)) is null then format('there is no table public.%s', table_name)
      when catalogue is null then format('%s has no probed rows: add them to %s', table_name, probes)
      when actor not in ('anon', 'owner', 'other', 'admin', 'service_role') then
        format('unknown actor "%s" (actors: anon, owner, other, admin, service_role)', actor)
    end;
    if missing is not null then
      foreach command in array array['select', 'insert', 'update', 'delete'] loop
        expected := line ->> command;
        observed := null;
        passed := false;
        description := tests.rls_describe(table_name, actor, command, expected, coalesce(catalogue, false));
        diagnostics := missing;
        groups := null;
        return next;
      end loop;
      continue;
    end if;
    for seen in select * from tests.rls_observe(probes, table_name, actor) loop
      command := seen.command;
      expected := line ->> seen.command;
      groups := seen.groups;
      verdict := tests.rls_compare(actor, command, expected, groups, catalogue);
      observed := verdict.observed;
      passed := verdict.passed;
      diagnostics := verdict.diagnostics;
      description := tests.rls_describe(table_name, actor, command, expected, catalogue);
      return next;
    end loop;
  end loop;
end;
$$;

-- What keeps the matrix from covering schema public: a table without a line
-- for each actor, a line given twice, a line for a table or an actor that
-- does not exist. Null when there is nothing.
create or replace function tests.rls_matrix_gaps(matrix regclass)
returns text
language plpgsql
set search_path = ''
as $$
declare
  gaps text;
begin
  execute format($sql$
    with lines as (
      select m.table_name, m.actor, count(*) as n from %s m group by m.table_name, m.actor
    ), tables as (
      select c.relname::text as table_name
        from pg_catalog.pg_class c
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
    ), actors (actor) as (
      values ('anon'), ('owner'), ('other'), ('admin'), ('service_role')
    )
    select string_agg(gap, e'\n' order by gap) from (
      select format('missing: %%s %%s', t.table_name, a.actor) as gap
        from tables t cross join actors a
       where not exists (select from lines l where l.table_name = t.table_name and l.actor = a.actor)
      union all
      select format('given %%s times: %%s %%s', l.n, l.table_name, l.actor) from lines l where l.n > 1
      union all
      select format('no such table in public: %%s %%s', l.table_name, l.actor)
        from lines l where l.table_name not in (select table_name from tables)
      union all
      select format('no such actor: %%s %%s', l.table_name, l.actor)
        from lines l where l.actor not in (select actor from actors)
    ) found
  $sql$, matrix) into gaps;
  return gaps;
end;
$$;

-- The privileges anon and authenticated hold on public.<table_name> that no
-- line of the matrix uses. Privileges are the first wall and policies the
-- second: a role holds a privilege only when one of its actors may use it
-- (anon: anon; authenticated: owner, other and admin), an update privilege
-- only on the columns the lines name (all of them when one line names none),
-- and never TRUNCATE, REFERENCES, TRIGGER or MAINTAIN: truncate empties a
-- table without asking its policies, and MAINTAIN (PostgreSQL 17 and later,
-- PGlite included) lets a role lock a table exclusively, ANALYZE, VACUUM and
-- REINDEX it. PostgreSQL 15 and 16 reject the word, so it is asked only where
-- the server has it; information_schema does not show it, has_table_privilege
-- does. service_role bypasses row level security and holds
-- everything by design. Null when there is nothing.
create or replace function tests.rls_excess_privileges(matrix regclass, table_name text)
returns text
language plpgsql
set search_path = ''
as $$
declare
  target regclass := to_regclass(format('public.%I', table_name));
  lines jsonb;
  api_role text;
  actors text[];
  command text;
  updates text[];
  allowed_columns text[];
  held_columns text[];
  excess text[] := '{}';
begin
  if target is null then
    return format('there is no table public.%s', table_name);
  end if;
  execute format('select coalesce(jsonb_agg(to_jsonb(m)), ''[]'') from %s m where m.table_name = $1', matrix)
    into lines using table_name;
  foreach api_role in array array['anon', 'authenticated'] loop
    actors := case api_role when 'anon' then array['anon'] else array['owner', 'other', 'admin'] end;
    foreach command in array array['select', 'insert', 'delete'] loop
      if not exists (
        select from jsonb_array_elements(lines) l where l ->> 'actor' = any (actors) and l ->> command <> 'none'
      ) and (case command
        when 'delete' then has_table_privilege(api_role, target, command)
        else has_any_column_privilege(api_role, target, command)
      end) then
        excess := excess || format('%s holds %s', api_role, upper(command));
      end if;
    end loop;

    updates := array(
      select l ->> 'update' from jsonb_array_elements(lines) l
       where l ->> 'actor' = any (actors) and l ->> 'update' <> 'none'
    );
    if not exists (select from unnest(updates) u where u !~ '\(') then
      allowed_columns := array(
        select distinct c from unnest(updates) u, unnest(string_to_array((regexp_match(u, '\((.*)\)'))[1], ',')) c
      );
      if has_table_privilege(api_role, target, 'UPDATE') then
        excess := excess || format('%s holds UPDATE on every column', api_role);
      else
        held_columns := array(
          select a.attname::text from pg_catalog.pg_attribute a
           where a.attrelid = target and a.attnum > 0 and not a.attisdropped
             and has_column_privilege(api_role, target, a.attname::text, 'UPDATE')
             and a.attname::text <> all (allowed_columns)
           order by a.attnum
        );
        if cardinality(held_columns) > 0 then
          excess := excess || format('%s holds UPDATE of %s', api_role, array_to_string(held_columns, ', '));
        end if;
      end if;
    end if;

    if has_table_privilege(api_role, target, 'TRUNCATE') then
      excess := excess || format('%s holds TRUNCATE', api_role);
    end if;
    if has_any_column_privilege(api_role, target, 'REFERENCES') then
      excess := excess || format('%s holds REFERENCES', api_role);
    end if;
    if has_table_privilege(api_role, target, 'TRIGGER') then
      excess := excess || format('%s holds TRIGGER', api_role);
    end if;
    if pg_catalog.current_setting('server_version_num')::integer >= 170000 then
      if has_table_privilege(api_role, target, 'MAINTAIN') then
        excess := excess || format('%s holds MAINTAIN', api_role);
      end if;
    end if;
  end loop;
  return nullif(array_to_string(excess, e'\n'), '');
end;
$$;

-- TAP: for each table of the matrix, anon and authenticated hold no privilege
-- its lines do not use (see rls_excess_privileges).
create or replace function tests.rls_matrix_privileges(matrix regclass)
returns setof text
-- pgTAP's functions find their own helpers through the search_path: pgTAP's schema.
set search_path = extensions, public
language plpgsql
as $$
declare
  table_name text;
  excess text;
  description text;
begin
  for table_name in execute format(
    'select m.table_name from %s m group by m.table_name order by min(m.ctid)', matrix
  ) loop
    excess := tests.rls_excess_privileges(matrix, table_name);
    description := format('anon and authenticated hold no privilege on %s that the matrix does not use', table_name);
    if excess is null then
      return next ok(true, description);
    else
      return next ok(false, description) || e'\n' || diag(
        'LEAK: privileges no line of the matrix uses, so that only row level security stands in the way:'
        || e'\n' || excess
      );
    end if;
  end loop;
end;
$$;

-- TAP: the matrix has one line for each actor on every table of schema
-- public, and no other line. A table nobody put in the matrix is a table
-- whose row level security nobody has stated.
create or replace function tests.rls_matrix_covers(matrix regclass)
returns text
-- pgTAP's functions find their own helpers through the search_path: pgTAP's schema.
set search_path = extensions, public
language plpgsql
as $$
declare
  gaps text := tests.rls_matrix_gaps(matrix);
  description text := 'the RLS matrix has one line for each actor on every table of schema public';
begin
  if gaps is null then
    return ok(true, description);
  end if;
  return ok(false, description) || e'\n' || diag(gaps);
end;
$$;

-- TAP: one assertion per cell, described as a sentence; a failing cell's
-- diagnostics say what was expected, what happened, whether that is a leak or
-- a lost permission, and what each probed row did.
create or replace function tests.rls_matrix_check(matrix regclass, probes regclass)
returns setof text
-- pgTAP's functions find their own helpers through the search_path: pgTAP's schema.
set search_path = extensions, public
language plpgsql
as $$
declare
  cell record;
begin
  for cell in select * from tests.rls_matrix_cells(matrix, probes) loop
    if cell.passed then
      return next ok(true, cell.description);
    else
      return next ok(false, cell.description) || e'\n' || diag(cell.diagnostics);
    end if;
  end loop;
end;
$$;

-- Run by the connecting role only: they become the actor themselves.
revoke all on function
  tests.rls_act_as(text), tests.rls_role_of(text), tests.rls_session(text), tests.rls_try(text, text, text, text),
  tests.rls_observe(regclass, text, text), tests.rls_label(text, text), tests.rls_columns(jsonb),
  tests.rls_outcome(jsonb, text), tests.rls_compare(text, text, text, jsonb, boolean),
  tests.rls_describe(text, text, text, text, boolean), tests.rls_matrix_cells(regclass, regclass),
  tests.rls_matrix_gaps(regclass), tests.rls_matrix_covers(regclass), tests.rls_matrix_check(regclass, regclass),
  tests.rls_excess_privileges(regclass, text), tests.rls_matrix_privileges(regclass)
from public, anon, authenticated, service_role;

-- The probe itself, proved on a table of its own: a user's notes, which the
-- owner reads, deletes and edits (the body only), and nobody else touches.
begin;
select plan(17);

select tests.create_user('rls_owner');
select tests.create_user('rls_other');
select tests.create_user('rls_admin', 'admin');

create table public.rls_probe_notes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  title text not null,
  body text,
  created_at timestamptz not null default now()
);
alter table public.rls_probe_notes enable row level security;
revoke all on public.rls_probe_notes from anon, authenticated, service_role;
grant select, delete on public.rls_probe_notes to authenticated;
grant update (body) on public.rls_probe_notes to authenticated;
create policy rls_probe_notes_select_own on public.rls_probe_notes for select to authenticated
  using (user_id = (select auth.uid()));
create policy rls_probe_notes_update_own on public.rls_probe_notes for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy rls_probe_notes_delete_own on public.rls_probe_notes for delete to authenticated
  using (user_id = (select auth.uid()));
insert into public.rls_probe_notes (id, user_id, title) values
  ('0b000000-0000-4000-8000-000000000001', tests.user_id_for('rls_owner'), 'Mine'),
  ('0b000000-0000-4000-8000-000000000002', tests.user_id_for('rls_other'), 'Theirs');

create temporary table rls_probe_notes_probes (table_name, owner_row, other_row, published_row, unpublished_row, new_row) as
values ('rls_probe_notes', '0b000000-0000-4000-8000-000000000001', '0b000000-0000-4000-8000-000000000002', null, null, '{}'::jsonb);

-- Three cells state what the table does not do: a leak and two lost permissions.
create temporary table rls_probe_notes_matrix (table_name, actor, "select", "insert", "update", "delete") as values
  ('rls_probe_notes', 'anon',         'none', 'none', 'none',      'none'),
  ('rls_probe_notes', 'owner',        'own',  'none', 'own(body)', 'none'),
  ('rls_probe_notes', 'other',        'none', 'none', 'none',      'none'),
  ('rls_probe_notes', 'admin',        'all',  'none', 'none',      'none'),
  ('rls_probe_notes', 'service_role', 'none', 'none', 'all',       'none');

create temporary table rls_probe_notes_cells as
select * from tests.rls_matrix_cells('rls_probe_notes_matrix', 'rls_probe_notes_probes') with ordinality as c (
  table_name, actor, command, expected, observed, passed, description, diagnostics, groups, position
);

select is(
  (select string_agg(format('%s %s %s', actor, command, observed), ', ' order by position) from rls_probe_notes_cells),
  'anon select none, anon insert none, anon update none, anon delete none, '
    || 'owner select own, owner insert none, owner update own(body), owner delete own, '
    || 'other select none, other insert none, other update none, other delete none, '
    || 'admin select none, admin insert none, admin update none, admin delete none, '
    || 'service_role select none, service_role insert none, service_role update none, service_role delete none',
  'the probe observes what privileges and policies allow: rows, and the columns an update may change'
);
select is(
  (select array_agg(actor || ' ' || command order by position) from rls_probe_notes_cells where not passed),
  array['owner delete', 'admin select', 'service_role update'],
  'the cells the database does otherwise fail, and only those'
);
select is(
  (select diagnostics from rls_probe_notes_cells where actor = 'owner' and command = 'delete'),
  e'expected: none\nobserved: own\nLEAK: the database lets owner delete more than the matrix says\n'
    || e'the owner''s row: deleted\nthe other user''s row: 0 rows',
  'a row the matrix does not allow is reported as a leak, with what each probed row did'
);
select is(
  (select diagnostics from rls_probe_notes_cells where actor = 'admin' and command = 'select'),
  e'expected: all\nobserved: none\nLOST PERMISSION: the database lets admin select less than the matrix says\n'
    || e'the owner''s row: not visible\nthe other user''s row: not visible',
  'a row the matrix allows and the database does not is reported as a lost permission'
);
select is(
  (select diagnostics from rls_probe_notes_cells where actor = 'service_role' and command = 'update'),
  e'expected: all\nobserved: none\nLOST PERMISSION: the database lets service_role update less than the matrix says\n'
    || e'the owner''s row: no column (the whole row: permission denied for table rls_probe_notes)\n'
    || e'the other user''s row: no column (the whole row: permission denied for table rls_probe_notes)',
  'a refusal is reported with its error'
);
select is(
  (select string_agg(g.value ->> 'note', '; ' order by g.n)
     from rls_probe_notes_cells c cross join jsonb_array_elements(c.groups) with ordinality g (value, n)
    where c.actor = 'owner' and c.command = 'update'),
  'only body (the whole row: permission denied for table rls_probe_notes); '
    || 'no column (the whole row: permission denied for table rls_probe_notes)',
  'an update refused for lack of privilege is tried column by column'
);
select is(
  (select string_agg(g.value ->> 'note', '; ' order by g.n)
     from rls_probe_notes_cells c cross join jsonb_array_elements(c.groups) with ordinality g (value, n)
    where c.actor = 'anon' and c.command = 'select'),
  'permission denied for table rls_probe_notes (42501); permission denied for table rls_probe_notes (42501)',
  'an error is reported with its SQLSTATE'
);
select is(
  (select count(*)::int from public.rls_probe_notes), 2,
  'probes leave no trace: every probe is undone'
);
select is(current_user::text, session_user::text, 'after probing, the connecting role is back');

select is(
  (select row(passed, observed, diagnostics)::text from tests.rls_compare('owner', 'update', 'own(body)',
    '[{"group": "owner", "reached": true, "columns": ["body", "title"], "note": "only body, title"},
      {"group": "other", "reached": false, "columns": null, "note": "0 rows"}]', false)),
  row(false, 'own(body,title)', e'expected: own(body)\nobserved: own(body,title)\n'
    || e'LEAK: the database lets owner update more than the matrix says\n'
    || e'the owner''s row: only body, title\nthe other user''s row: 0 rows')::text,
  'a column the matrix does not list is a leak'
);
select is(
  (tests.rls_compare('anon', 'select', 'published',
    '[{"group": "published", "reached": true}, {"group": "unpublished", "reached": false}]', true)).passed,
  true,
  'published means the published row, and not the unpublished one'
);
select is(
  array[
    (tests.rls_compare('anon', 'select', 'nobody', '[]', false)).diagnostics,
    (tests.rls_compare('admin', 'select', 'own', '[]', false)).diagnostics,
    (tests.rls_compare('owner', 'delete', 'own(body)', '[]', false)).diagnostics
  ],
  array[
    'the matrix says nobody: "nobody" is not an outcome (outcomes: all, own, published, none, and for update all(column,...))',
    'the matrix says own: "own" applies to the owner only: admin is probed on rows that are not its own, so the outcome is all or none',
    'the matrix says own(body): a column list applies to update only'
  ],
  'a cell outside the vocabulary fails, saying why'
);
select is(
  array[
    tests.rls_describe('questionnaire_sessions', 'other', 'update', 'none', false),
    tests.rls_describe('weekly_discoveries', 'owner', 'update', 'own(viewed_at)', false),
    tests.rls_describe('automations', 'anon', 'select', 'published', true)
  ],
  array[
    'another user cannot update the owner''s questionnaire_sessions rows',
    'the owner can update only viewed_at of their own weekly_discoveries rows, and no one else''s',
    'anon can select published automations rows, and no unpublished ones'
  ],
  'each cell reads as a sentence'
);

create temporary table rls_probe_gaps_matrix (table_name, actor) as values
  ('rls_probe_notes', 'anon'), ('rls_probe_notes', 'owner'), ('rls_probe_notes', 'owner'),
  ('rls_probe_notes', 'admin'), ('rls_probe_notes', 'service_role'), ('rls_probe_notes', 'guest'),
  ('rls_probe_gone', 'anon');
select ok(
  string_to_array(tests.rls_matrix_gaps('rls_probe_gaps_matrix'), e'\n') @> array[
    'missing: rls_probe_notes other',
    'given 2 times: rls_probe_notes owner',
    'no such table in public: rls_probe_gone anon',
    'no such actor: rls_probe_notes guest'
  ],
  'the matrix must cover every table and actor once, and name nothing else'
);
create temporary table rls_probe_privileges_matrix (table_name, actor, "select", "insert", "update", "delete") as values
  ('rls_probe_notes', 'anon',  'none', 'none', 'none',       'none'),
  ('rls_probe_notes', 'owner', 'own',  'none', 'own(title)', 'none');
select is(
  tests.rls_excess_privileges('rls_probe_privileges_matrix', 'rls_probe_notes'),
  e'authenticated holds DELETE\nauthenticated holds UPDATE of body',
  'a privilege no line uses is excess, down to the columns of an update'
);
-- MAINTAIN exists from PostgreSQL 17 (PGlite is 18): granted, it is excess
-- there; on PostgreSQL 15 and 16 the check runs without asking for it.
do $$
begin
  if pg_catalog.current_setting('server_version_num')::integer >= 170000 then
    execute 'grant maintain on public.rls_probe_notes to anon';
  end if;
end;
$$;
select is(
  tests.rls_excess_privileges('rls_probe_privileges_matrix', 'rls_probe_notes'),
  case when current_setting('server_version_num')::integer >= 170000
       then e'anon holds MAINTAIN\nauthenticated holds DELETE\nauthenticated holds UPDATE of body'
       else e'authenticated holds DELETE\nauthenticated holds UPDATE of body' end,
  'MAINTAIN no line uses is excess, where the server has it (PostgreSQL 17 and later)'
);
select is(
  (select count(*)::int from tests.rls_matrix_cells('rls_probe_gaps_matrix', 'rls_probe_notes_probes') c
    where c.table_name = 'rls_probe_gone' and not c.passed and c.diagnostics = 'there is no table public.rls_probe_gone'),
  4,
  'the cells of a table that does not exist fail'
);

select * from finish();
rollback;
