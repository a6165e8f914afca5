/** A short description of a database: server version, extensions, migrations, rows per table. */
import type { Output } from '../output.js';
import { projectSchemas } from './project-schemas.js';
import { quoteIdent } from './sql-quote.js';
import type { Target } from './target.js';

export async function summary(target: Target, output: Output): Promise<void> {
  const [version] = await target.query<{ version: string }>(`select current_setting('server_version') as version`);
  const extensions = await target.query<{ name: string; version: string; schema: string }>(
    `select e.extname as name, e.extversion as version, n.nspname as schema
       from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
      where e.extname <> 'plpgsql' order by 1`,
  );
  const [history] = await target
    .query<{ applied: number; latest: string | null }>(
      `select count(*)::int as applied, max(version || '_' || coalesce(name, '')) as latest
       from supabase_migrations.schema_migrations`,
    )
    .catch(() => [{ applied: 0, latest: null }]);
  // the project's tables (project-schemas.ts) and the users the seed made
  const tables = await target.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name
       from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and (n.nspname = any($1::text[]) or (n.nspname = 'auth' and c.relname = 'users'))
      order by n.nspname = 'auth', 1, 2`,
    [await projectSchemas(target)],
  );
  output.info(`${target.label}`);
  output.info(`  PostgreSQL ${version?.version}`);
  output.info(`  extensions: ${extensions.map((e) => `${e.name} ${e.version} (${e.schema})`).join(', ') || 'none'}`);
  output.info(`  migrations applied: ${history?.applied ?? 0}${history?.latest ? `, latest ${history.latest}` : ''}`);
  output.info('  rows per table:');
  const width = Math.max(0, ...tables.map((t) => `${t.schema}.${t.name}`.length));
  for (const t of tables) {
    const [count] = await target.query<{ n: number }>(`select count(*)::int as n from ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`);
    output.info(`    ${`${t.schema}.${t.name}`.padEnd(width)}  ${count?.n ?? 0}`);
  }
}
