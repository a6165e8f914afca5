/**
 * A database the runner has never reset is not reset without consent. A
 * server reset drops what migrations and seed made (server-reset.ts); on a
 * database someone else uses (an application's local database that
 * DATABASE_URL happens to name) that is their data. So before the first reset
 * of a database, the runner looks at what the reset would remove:
 *
 * - nothing but the platform's own objects (a new Supabase project: auth,
 *   storage, realtime, extensions, ...), or a bare PostgreSQL: it goes ahead;
 * - only what this project made: every applied migration is one of the
 *   project's files, and every schema, table, view, function and type the reset
 *   would drop is named in the project's migrations (a local Supabase stack
 *   after `supabase start` or `supabase db reset`): it goes ahead;
 * - anything else: refused (exit 2, nothing touched), naming what it would
 *   drop, unless `--confirm <database>` is given.
 *
 * After a reset the database carries the runner's mark, the table
 * `supabase_migrations.pg_tap_runner_resets` (its existence is the mark: the
 * Supabase CLI's reset empties that schema's tables but keeps them), and later
 * resets go ahead.
 */
import type { Config } from '../config.js';
import { refused } from '../errors.js';
import type { Output } from '../output.js';
import { readMigrations } from './migration-files.js';
import { PLATFORM_SCHEMAS } from './bootstrap.js';
import type { Target } from './target.js';

const MARK = 'supabase_migrations.pg_tap_runner_resets';

/** What a reset of a server database would remove besides the platform, each as "schema billing_archive". */
const INVENTORY = /* sql */ `
select 'schema' as kind, n.nspname as name
  from pg_catalog.pg_namespace n
 where pg_catalog.pg_get_userbyid(n.nspowner) = current_user
   and n.nspname not like 'pg\\_%' and n.nspname <> all($1::text[])
union all
select 'extension', e.extname from pg_catalog.pg_extension e where e.extnamespace = 'public'::regnamespace
union all
select case c.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'f' then 'foreign table'
                      when 'S' then 'sequence' else 'table' end, 'public.' || c.relname
  from pg_catalog.pg_class c
 where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
   and not exists (select from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype in ('e', 'a', 'i'))
union all
select 'function', 'public.' || p.proname
  from pg_catalog.pg_proc p
 where p.pronamespace = 'public'::regnamespace
   and not exists (select from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
union all
select 'type', 'public.' || t.typname
  from pg_catalog.pg_type t
 where t.typnamespace = 'public'::regnamespace and t.typtype in ('e', 'd', 'r', 'm', 'c')
   and (t.typtype <> 'c' or (select c.relkind from pg_catalog.pg_class c where c.oid = t.typrelid) = 'c')
   and not exists (select from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_type'::regclass and d.objid = t.oid and d.deptype = 'e')
`;

/**
 * Refuses the first reset of a database that holds what neither the platform
 * nor this project made, unless `--confirm <database>`; run after the
 * production guard, before anything is dropped.
 */
export async function guardFirstReset(target: Target, config: Config, action: string, output: Output): Promise<void> {
  if (config.target.kind !== 'server') return;
  const [mark] = await target.query<{ marked: boolean }>(`select to_regclass($1) is not null as marked`, [MARK]);
  if (mark?.marked) return;

  const objects = await target.query<{ kind: string; name: string }>(INVENTORY, [PLATFORM_SCHEMAS]);
  const counts = await countRows(target);
  const applied = await appliedMigrations(target);
  if (objects.length === 0 && applied.length === 0 && counts.every((c) => c.n === 0)) return;

  // what the project's migrations made: a history of its files only, and objects its files name
  const { files } = await readMigrations(config.migrationsDir, config.migrationsDir);
  // a history without names (older Supabase CLIs) is matched on versions
  const known = new Set(files.flatMap((f) => [`${f.version}_${f.name}`, `${f.version}_`]));
  const text = files.map((f) => f.content.toLowerCase()).join('\n');
  const named = (name: string) => {
    const bare = name.replace(/^public\./, '').toLowerCase();
    return new RegExp(`(^|[^a-z0-9_$])"?${bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?($|[^a-z0-9_$])`).test(text);
  };
  const projectHistory = applied.length > 0 && applied.every((v) => known.has(v));
  const foreign = objects.filter((o) => !projectHistory || !named(o.name)).map((o) => `${o.kind} ${o.name}`);
  if (!projectHistory) {
    for (const c of counts) if (c.n > 0) foreign.push(`${c.n} row${c.n === 1 ? '' : 's'} of ${c.what}`);
    const strangers = applied.filter((v) => !known.has(v));
    if (strangers.length > 0)
      foreign.push(
        `a migration history of ${applied.length} (${strangers.length} not this project's: ${strangers.slice(0, 3).join(', ')}${strangers.length > 3 ? ', …' : ''})`,
      );
  }
  if (foreign.length === 0) return;

  const database = config.target.database;
  if (config.confirm === database) {
    output.warn(`reset: --confirm ${database}: dropping what this project did not make: ${foreign.join(', ')}`);
    return;
  }
  const shownList = foreign.length > 12 ? [...foreign.slice(0, 12), `and ${foreign.length - 12} more`] : foreign;
  throw refused(
    `refusing to ${action}: pg-tap-runner has never reset ${database}, and it holds what neither the Supabase platform nor ` +
      `this project's migrations made; a reset would drop:\n${shownList.map((f) => `  - ${f}`).join('\n')}\n` +
      `Nothing was touched. If this database is only for this project's tests, pass --confirm ${database} once ` +
      `(after a reset, the runner's mark on the database lets later runs go ahead); otherwise point DATABASE_URL elsewhere.`,
  );
}

/** The migration history, as `<version>_<name>`; empty when there is none. */
async function appliedMigrations(target: Target): Promise<string[]> {
  const [exists] = await target.query<{ ok: boolean }>(`select to_regclass('supabase_migrations.schema_migrations') is not null as ok`);
  if (!exists?.ok) return [];
  const rows = await target.query<{ v: string }>(
    `select version || '_' || coalesce(name, '') as v from supabase_migrations.schema_migrations order by version`,
  );
  return rows.map((r) => r.v);
}

async function countRows(target: Target): Promise<{ what: string; n: number }[]> {
  const out: { what: string; n: number }[] = [];
  for (const table of ['auth.users', 'storage.buckets', 'storage.objects'] as const) {
    const [exists] = await target.query<{ ok: boolean }>(`select to_regclass($1) is not null as ok`, [table]);
    if (!exists?.ok) continue;
    const [row] = await target.query<{ n: string }>(`select count(*)::text as n from ${table}`);
    out.push({ what: table, n: Number(row?.n ?? 0) });
  }
  return out;
}

/** The runner's mark on a database it reset: created in the reset's transaction. */
export async function markReset(target: Target): Promise<void> {
  await target.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists ${MARK} (
      reset_at timestamptz not null default now()
    );
    comment on table ${MARK} is 'pg-tap-runner has reset this database: later resets need no --confirm';
    delete from ${MARK};
    insert into ${MARK} default values;`);
}
