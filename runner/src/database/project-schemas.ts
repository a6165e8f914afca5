/**
 * Which schemas are the project's, defined once: every schema of the built
 * database that is not PostgreSQL's own (pg_*, information_schema), not the
 * platform's (bootstrap.ts's PLATFORM_SCHEMAS, `public` aside: a project's
 * tables live there), not an extension's, and not one the suite's setup files
 * create (test helpers, such as a `tests` schema: schemasCreatedBy). The docs,
 * the fingerprint, the summary and the mutation catalogue all read this.
 */
import { PLATFORM_SCHEMAS } from './bootstrap.js';
import { splitSql } from './sql-split.js';
import type { Target } from './target.js';

/** The project's schemas in `target`, sorted; `helperSchemas` are the setup files' (schemasCreatedBy). */
export async function projectSchemas(target: Target, helperSchemas: string[] = []): Promise<string[]> {
  const rows = await target.query<{ name: string }>(
    `select n.nspname as name from pg_catalog.pg_namespace n
      where n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema'
        and n.nspname <> all ($1::text[])
        and not exists (select from pg_catalog.pg_depend d
                         where d.classid = 'pg_catalog.pg_namespace'::regclass and d.objid = n.oid and d.deptype = 'e')
      order by 1`,
    [[...PLATFORM_SCHEMAS.filter((s) => s !== 'public'), ...helperSchemas]],
  );
  return rows.map((r) => r.name);
}

/** Schemas created by the setup files (`create schema [if not exists] name`): test helpers, not the project's. Pure. */
export function schemasCreatedBy(setupSql: string[]): string[] {
  const names = new Set<string>();
  for (const script of setupSql) {
    for (const { sql } of splitSql(script)) {
      const match = /^create\s+schema\s+(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)/i.exec(sql);
      if (match) names.add(match[1]!.startsWith('"') ? match[1]!.slice(1, -1).replace(/""/g, '"') : match[1]!.toLowerCase());
    }
  }
  return [...names].sort();
}
