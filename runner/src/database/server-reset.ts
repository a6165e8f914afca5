/**
 * Emptying a server database of what migrations and seed created, leaving the
 * platform alone (Supabase's schemas, roles and extensions). Schemas owned by
 * the connected role are dropped, except the platform's; `public` is emptied
 * rather than dropped, so its owner and Supabase's grants on it stay as they are.
 */
import { PLATFORM_SCHEMAS } from './bootstrap.js';
import { quoteIdent } from './sql-quote.js';
import type { Target } from './target.js';

const EMPTY_PUBLIC = /* sql */ `
do $$
declare
  r record;
begin
  -- extensions a migration installed in public go first, with what depends on them
  for r in select e.extname from pg_catalog.pg_extension e
           where e.extnamespace = 'public'::regnamespace loop
    execute format('drop extension if exists %I cascade', r.extname);
  end loop;
  for r in select c.relname, c.relkind from pg_catalog.pg_class c
           where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
             -- not an extension's, nor a sequence a column owns (serial, identity): it goes with its table
             and not exists (select from pg_catalog.pg_depend d
                             where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid
                               and d.deptype in ('e', 'a', 'i')) loop
    execute format('drop %s if exists public.%I cascade',
      case r.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'f' then 'foreign table'
                     when 'S' then 'sequence' else 'table' end, r.relname);
  end loop;
  for r in select p.oid::regprocedure as signature, p.prokind from pg_catalog.pg_proc p
           where p.pronamespace = 'public'::regnamespace
             and not exists (select from pg_catalog.pg_depend d
                             where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e') loop
    begin
      execute format('drop %s if exists %s cascade',
        case r.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end, r.signature);
    exception when undefined_function or undefined_object then null; -- dropped by an earlier cascade
    end;
  end loop;
  for r in select t.oid, t.typtype from pg_catalog.pg_type t
           where t.typnamespace = 'public'::regnamespace and t.typtype in ('e', 'd', 'r', 'm', 'c')
             and (t.typtype <> 'c' or (select c.relkind from pg_catalog.pg_class c where c.oid = t.typrelid) = 'c')
             and not exists (select from pg_catalog.pg_depend d
                             where d.classid = 'pg_catalog.pg_type'::regclass and d.objid = t.oid and d.deptype = 'e') loop
    begin
      execute format('drop %s if exists %s cascade', case r.typtype when 'd' then 'domain' else 'type' end, r.oid::regtype);
    exception when undefined_object then null;
    end;
  end loop;
end
$$;
`;

/**
 * Drops the user's schemas, empties public, clears the migration history,
 * storage's buckets, objects and policies, realtime's messages, policies and
 * published tables, and auth.users.
 */
export async function emptyServerDatabase(target: Target): Promise<{ droppedSchemas: string[] }> {
  const schemas = await target.query<{ name: string }>(
    `select n.nspname as name from pg_catalog.pg_namespace n
      where pg_catalog.pg_get_userbyid(n.nspowner) = current_user
        and n.nspname not like 'pg\\_%' and n.nspname <> all($1::text[])
      order by 1`,
    [PLATFORM_SCHEMAS],
  );
  for (const { name } of schemas) {
    await target.exec(`drop schema if exists ${quoteIdent(name)} cascade`);
  }
  await target.exec(EMPTY_PUBLIC);
  await target.exec(`
    do $$
    declare
      r record;
    begin
      if to_regclass('supabase_migrations.schema_migrations') is not null then
        delete from supabase_migrations.schema_migrations;
      end if;
      if to_regclass('supabase_migrations.runner_checksums') is not null then
        delete from supabase_migrations.runner_checksums;
      end if;
      if to_regclass('supabase_migrations.seed_files') is not null then
        delete from supabase_migrations.seed_files;
      end if;
      -- storage as a new Supabase database has it: no buckets, no objects, no policies
      -- (the Storage API's migration 0055-prevent-direct-deletes refuses a delete from
      -- buckets or objects unless storage.allow_delete_query is 'true', as the Storage API
      -- itself sets it: for this transaction only)
      if to_regclass('storage.buckets') is not null then
        perform pg_catalog.set_config('storage.allow_delete_query', 'true', true);
        if to_regclass('storage.objects') is not null then
          delete from storage.objects;
        end if;
        delete from storage.buckets;
        for r in select p.policyname, p.tablename from pg_catalog.pg_policies p where p.schemaname = 'storage' loop
          execute format('drop policy %I on storage.%I', r.policyname, r.tablename);
        end loop;
      end if;
      -- realtime likewise: no messages, no Realtime Authorization policies, and the
      -- publication without the tables (a dropped table leaves it by itself)
      if to_regclass('realtime.messages') is not null then
        delete from realtime.messages;
        for r in select p.policyname, p.tablename from pg_catalog.pg_policies p where p.schemaname = 'realtime' loop
          execute format('drop policy %I on realtime.%I', r.policyname, r.tablename);
        end loop;
      end if;
      for r in select pt.schemaname, pt.tablename from pg_catalog.pg_publication_tables pt
                where pt.pubname = 'supabase_realtime' loop
        execute format('alter publication supabase_realtime drop table %I.%I', r.schemaname, r.tablename);
      end loop;
      -- a reset database has the seed's users and no others, as after "supabase db reset"
      if to_regclass('auth.users') is not null then
        delete from auth.users;
      end if;
    end
    $$;`);
  return { droppedSchemas: schemas.map((s) => s.name) };
}
