-- The platform's fingerprint: one line per catalogue fact of the schemas a
-- Supabase project gets before any migration (auth, storage, realtime,
-- extensions), its roles, default privileges, extensions and publications.
-- Privileges are listed grantee by grantee, sorted, so their order in the
-- catalogue does not matter ('default' where none were ever granted or revoked);
-- what only one PostgreSQL version has is left out, so PGlite (18) and a server
-- (15) compare: NOT NULL constraints as pg_constraint rows (18; the columns say
-- not null) and the MAINTAIN privilege (17); an extension's own objects too
-- (its version is listed); function bodies are left out (only signatures,
-- owners, settings and grants). Read by .ci/platform.ts on both targets.
with platform(nspname) as (values ('auth'), ('storage'), ('realtime'), ('extensions')),
nsp as (
  select n.oid, n.nspname from pg_catalog.pg_namespace n join platform using (nspname)
),
lines(line) as (
  -- schemas
  select format('schema %s owner=%s acl=[%s]', n.nspname, pg_catalog.pg_get_userbyid(s.nspowner), acl.text)
  from nsp n join pg_catalog.pg_namespace s on s.oid = n.oid cross join lateral (select coalesce((
    select string_agg(g, ',' order by g collate "C") from (
      select case when x.grantee = 0 then 'PUBLIC' else pg_catalog.pg_get_userbyid(x.grantee) end
             || '=' || x.privilege_type || case when x.is_grantable then '*' else '' end
      from pg_catalog.aclexplode(s.nspacl) x
      where x.privilege_type <> 'MAINTAIN') x(g)), case when s.nspacl is null then 'default' else '' end)) acl(text)
  union all
  -- tables, views, sequences, partitioned tables
  select format('relation %s.%s kind=%s owner=%s rls=%s acl=[%s]', n.nspname, c.relname, c.relkind,
                pg_catalog.pg_get_userbyid(c.relowner), c.relrowsecurity, acl.text)
  from pg_catalog.pg_class c join nsp n on n.oid = c.relnamespace cross join lateral (select coalesce((
    select string_agg(g, ',' order by g collate "C") from (
      select case when x.grantee = 0 then 'PUBLIC' else pg_catalog.pg_get_userbyid(x.grantee) end
             || '=' || x.privilege_type || case when x.is_grantable then '*' else '' end
      from pg_catalog.aclexplode(c.relacl) x
      where x.privilege_type <> 'MAINTAIN') x(g)), case when c.relacl is null then 'default' else '' end)) acl(text)
  where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and not c.relispartition
    and not exists (select from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
  union all
  select format('column %s.%s.%s %s%s%s%s', n.nspname, c.relname, a.attname,
                pg_catalog.format_type(a.atttypid, a.atttypmod),
                case when a.attnotnull then ' not null' else '' end,
                case when a.attgenerated = 's' then ' generated ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid)
                     when d.adbin is not null then ' default ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid) else '' end,
                case when a.attidentity <> '' then ' identity ' || a.attidentity::text else '' end)
  from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid join nsp n on n.oid = c.relnamespace
  left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where c.relkind in ('r', 'p', 'v', 'm', 'f') and not c.relispartition and a.attnum > 0 and not a.attisdropped
    and not exists (select from pg_catalog.pg_depend e where e.classid = 'pg_catalog.pg_class'::regclass and e.objid = c.oid and e.deptype = 'e')
  union all
  select format('constraint %s.%s %s %s', n.nspname, c.relname, k.conname, pg_catalog.pg_get_constraintdef(k.oid))
  from pg_catalog.pg_constraint k join pg_catalog.pg_class c on c.oid = k.conrelid join nsp n on n.oid = c.relnamespace
  where not c.relispartition and k.contype <> 'n'
  union all
  select format('index %s.%s %s', n.nspname, c.relname, regexp_replace(pg_catalog.pg_get_indexdef(i.indexrelid), ' ON (ONLY )?\S+ ', ' ON '))
  from pg_catalog.pg_index i join pg_catalog.pg_class c on c.oid = i.indrelid join nsp n on n.oid = c.relnamespace
  where not c.relispartition
  union all
  select format('trigger %s.%s %s', n.nspname, c.relname, regexp_replace(pg_catalog.pg_get_triggerdef(t.oid), ' ON \S+ ', ' ON '))
  from pg_catalog.pg_trigger t join pg_catalog.pg_class c on c.oid = t.tgrelid join nsp n on n.oid = c.relnamespace
  where not t.tgisinternal and not c.relispartition
  union all
  select format('policy %s.%s %s %s to %s using (%s) check (%s)', p.schemaname, p.tablename, p.policyname, p.cmd,
                array_to_string(p.roles, ','), coalesce(p.qual, ''), coalesce(p.with_check, ''))
  from pg_catalog.pg_policies p join platform on platform.nspname = p.schemaname
  union all
  -- functions: signature, result, language, volatility, security, settings, owner, grants
  select format('function %s.%s(%s) returns %s lang=%s %s%s%s owner=%s acl=[%s]', n.nspname, p.proname,
                pg_catalog.pg_get_function_identity_arguments(p.oid), pg_catalog.pg_get_function_result(p.oid), l.lanname,
                case p.provolatile when 'i' then 'immutable' when 's' then 'stable' else 'volatile' end,
                case when p.prosecdef then ' security definer' else '' end,
                coalesce(' set ' || array_to_string(p.proconfig, ' '), ''),
                pg_catalog.pg_get_userbyid(p.proowner), acl.text)
  from pg_catalog.pg_proc p join nsp n on n.oid = p.pronamespace join pg_catalog.pg_language l on l.oid = p.prolang
  cross join lateral (select coalesce((
    select string_agg(g, ',' order by g collate "C") from (
      select case when x.grantee = 0 then 'PUBLIC' else pg_catalog.pg_get_userbyid(x.grantee) end
             || '=' || x.privilege_type || case when x.is_grantable then '*' else '' end
      from pg_catalog.aclexplode(p.proacl) x
      where x.privilege_type <> 'MAINTAIN') x(g)), case when p.proacl is null then 'default' else '' end)) acl(text)
  where not exists (select from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  union all
  -- types of their own (enums, composites, domains), not a table's row type
  select format('type %s.%s kind=%s owner=%s%s', n.nspname, t.typname, t.typtype, pg_catalog.pg_get_userbyid(t.typowner),
                coalesce(' values ' || (select string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_catalog.pg_enum e where e.enumtypid = t.oid), ''))
  from pg_catalog.pg_type t join nsp n on n.oid = t.typnamespace
  where (t.typtype in ('e', 'd') or (t.typtype = 'c' and (select c.relkind from pg_catalog.pg_class c where c.oid = t.typrelid) = 'c'))
    and not exists (select from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_type'::regclass and d.objid = t.oid and d.deptype = 'e')
  union all
  -- extensions, wherever installed
  select format('extension %s %s schema=%s', e.extname, e.extversion, e.extnamespace::regnamespace)
  from pg_catalog.pg_extension e
  union all
  -- roles: attributes, memberships, settings
  select format('role %s super=%s createrole=%s createdb=%s bypassrls=%s login=%s inherit=%s replication=%s member_of=[%s] config=[%s]',
                r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls, r.rolcanlogin, r.rolinherit, r.rolreplication,
                coalesce((select string_agg(g, ',' order by g collate "C") from (select pg_catalog.pg_get_userbyid(m.roleid) from pg_catalog.pg_auth_members m where m.member = r.oid) m(g)), ''),
                coalesce((select array_to_string(s.setconfig, ' ') from pg_catalog.pg_db_role_setting s where s.setrole = r.oid and s.setdatabase = 0), ''))
  from pg_catalog.pg_roles r
  where r.rolname !~ '^pg_'
  union all
  -- default privileges
  select format('default_acl %s in=%s on=%s acl=[%s]', pg_catalog.pg_get_userbyid(d.defaclrole), coalesce(d.defaclnamespace::regnamespace::text, '*'),
                d.defaclobjtype, acl.text)
  from pg_catalog.pg_default_acl d cross join lateral (select coalesce((
    select string_agg(g, ',' order by g collate "C") from (
      select case when x.grantee = 0 then 'PUBLIC' else pg_catalog.pg_get_userbyid(x.grantee) end
             || '=' || x.privilege_type || case when x.is_grantable then '*' else '' end
      from pg_catalog.aclexplode(d.defaclacl) x
      where x.privilege_type <> 'MAINTAIN') x(g)), case when d.defaclacl is null then 'default' else '' end)) acl(text)
  union all
  -- publications and their tables
  select format('publication %s owner=%s all_tables=%s ins=%s upd=%s del=%s trunc=%s via_root=%s tables=[%s]', p.pubname,
                pg_catalog.pg_get_userbyid(p.pubowner), p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate, p.pubviaroot,
                coalesce((select string_agg(g, ',' order by g collate "C") from (select r.prrelid::regclass::text from pg_catalog.pg_publication_rel r where r.prpubid = p.oid) r(g)), ''))
  from pg_catalog.pg_publication p
)
select line from lines order by line collate "C";
