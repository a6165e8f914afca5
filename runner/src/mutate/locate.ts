/**
 * Where a mutant's rule is written: the migration file and line of the
 * statement that last defined it (a later migration that redefines a rule
 * wins), for annotating a survivor where a reviewer would fix it. Pure: the
 * migrations come in as text, in the order they apply.
 *
 * By operator: a policy's `create policy` (or a later `alter policy`), at its
 * `using`, `with check` or `to` line when the mutant weakens that part; a
 * constraint's `constraint <name>` line, or for a name PostgreSQL chose, its
 * column's line in `create table`; an index's `create index`; a trigger's
 * `create trigger`; a not null's column line (or `set not null`); row level
 * security's `enable row level security`; a privilege's last `grant` or
 * `revoke` that names the object and the role (then one on all of its
 * schema's tables or functions and the role, then one naming the object); a function's `create function`, at `security definer` for
 * security-invoker. What it cannot find falls back to the table's (or
 * function's) definition, then to null.
 */
import { splitSql, type Statement } from '../database/sql-split.js';
import type { Mutant } from './mutants.js';

export interface MigrationText {
  /** as shown in messages, relative to the repository root */
  file: string;
  content: string;
}

export interface RuleLocation {
  file: string;
  line: number;
}

interface Found {
  file: string;
  statement: Statement;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A name as SQL may write it: bare (any case) when it is a plain lowercase identifier, or double-quoted. */
function ident(name: string): string {
  const quoted = `"${escapeRegExp(name.replace(/"/g, '""'))}"`;
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? `(?:${quoted}|${escapeRegExp(name)}(?![\\w$]))` : quoted;
}

/** `schema.name` with the schema optional (the search path), or a bare name. */
function qualified(schema: string | null, name: string): string {
  return schema === null ? ident(name) : `(?:${ident(schema)}\\s*\\.\\s*)?${ident(name)}`;
}

/** Splits `schema.name` at its first dot (names from the catalogue are plain enough for this). */
function split(qualifiedName: string): { schema: string | null; name: string } {
  const dot = qualifiedName.indexOf('.');
  return dot < 0 ? { schema: null, name: qualifiedName } : { schema: qualifiedName.slice(0, dot), name: qualifiedName.slice(dot + 1) };
}

export function locateRule(mutant: Mutant, migrations: MigrationText[]): RuleLocation | null {
  const statements: Found[] = migrations.flatMap((m) => splitSql(m.content).map((statement) => ({ file: m.file, statement })));
  const last = (pattern: RegExp): Found | null => statements.filter((s) => pattern.test(s.statement.sql)).at(-1) ?? null;
  /** the line of `inner` inside the statement (its first match, from its first word), or the statement's own line */
  const at = (found: Found | null, inner?: RegExp): RuleLocation | null => {
    if (found === null) return null;
    const { sql, line } = found.statement;
    const match = inner?.exec(sql) ?? null;
    const index = match === null ? 0 : match.index + Math.max(0, match[0].search(/[^\s(,]/));
    return { file: found.file, line: line + (sql.slice(0, index).match(/\n/g)?.length ?? 0) };
  };
  const i = 'i';

  const table = mutant.table === null ? null : split(mutant.table);
  const tableName = table === null ? null : qualified(table.schema, table.name);
  const createTable =
    tableName === null ? null : last(new RegExp(`^create\\s+(?:(?:temp|temporary|unlogged)\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?${tableName}\\s*\\(`, i));
  const member = mutant.table === null ? mutant.object : mutant.object.slice(mutant.table.length + 1).replace(/#\d+$/, '');
  const columnLine = (column: string) => at(createTable, new RegExp(`(?:^|[(,\\n])\\s*${ident(column)}\\s+[a-z]`, i));

  switch (mutant.operator) {
    case 'drop-policy':
    case 'using-true':
    case 'with-check-true':
    case 'roles-public':
    case 'roles-add-anon': {
      const policy = last(new RegExp(`^(?:create|alter)\\s+policy\\s+${ident(member)}\\s+on\\s+(?:table\\s+)?${tableName}`, i));
      const part = { 'using-true': /\busing\s*\(/i, 'with-check-true': /\bwith\s+check\s*\(/i, 'roles-public': /\bto\s+/i, 'roles-add-anon': /\bto\s+/i }[
        mutant.operator as string
      ];
      return at(policy, part) ?? at(createTable);
    }
    case 'drop-check':
    case 'check-bound':
    case 'check-add-value':
    case 'drop-unique':
    case 'drop-foreign-key':
    case 'on-delete-cascade':
    case 'on-delete-restrict':
    case 'on-delete-set-null': {
      const named = new RegExp(`\\bconstraint\\s+${ident(member)}`, i);
      const found = last(named);
      if (found !== null) return at(found, named);
      // a name PostgreSQL chose (<table>_<column>_check, _key, _fkey): the column's line; the names list the columns after the constraint's
      const columns = mutant.names.slice(1, -1);
      return (columns.length === 1 ? columnLine(columns[0]!) : null) ?? at(createTable);
    }
    case 'drop-index': {
      const { schema, name } = split(mutant.object);
      return at(last(new RegExp(`^create\\s+(?:unique\\s+)?index\\s+(?:concurrently\\s+)?(?:if\\s+not\\s+exists\\s+)?${qualified(schema, name)}`, i)));
    }
    case 'drop-trigger':
      return at(last(new RegExp(`^create\\s+(?:or\\s+replace\\s+)?(?:constraint\\s+)?trigger\\s+${ident(member)}\\s`, i))) ?? at(createTable);
    case 'drop-not-null': {
      const later = last(new RegExp(`^alter\\s+table\\s[\\s\\S]*?${tableName}[\\s\\S]*\\balter\\s+column\\s+${ident(member)}\\s+set\\s+not\\s+null`, i));
      return at(later, new RegExp(`\\balter\\s+column\\s+${ident(member)}`, i)) ?? columnLine(member) ?? at(createTable);
    }
    case 'disable-rls':
      return (
        at(last(new RegExp(`^alter\\s+table\\s+(?:if\\s+exists\\s+)?(?:only\\s+)?${tableName}\\s+enable\\s+row\\s+level\\s+security`, i))) ?? at(createTable)
      );
    case 'grant-whole-table':
    case 'grant-back': {
      const [object, , role] = mutant.object.split(':') as [string, string, string];
      const isFunction = mutant.table === null;
      const target = split(isFunction ? object.replace(/\(.*$/, '') : object);
      const name = `${isFunction ? 'function\\s+' : '(?:table\\s+)?'}(?:[\\s\\S]*?[\\s,])?${qualified(target.schema, target.name)}`;
      const privilege = `^(?:grant|revoke)\\s[\\s\\S]*?\\bon\\s+${name}`;
      const all = `^(?:grant|revoke)\\s[\\s\\S]*?\\bon\\s+all\\s+${isFunction ? 'functions' : 'tables'}\\s+in\\s+schema\\s+${ident(target.schema ?? 'public')}`;
      const toRole = `[\\s\\S]*\\b(?:to|from)\\s+(?:[\\s\\S]*?[\\s,])?${ident(role)}`;
      const definition = isFunction
        ? last(new RegExp(`^create\\s+(?:or\\s+replace\\s+)?function\\s+${qualified(target.schema, target.name)}\\s*\\(`, i))
        : createTable;
      return at(last(new RegExp(privilege + toRole, i))) ?? at(last(new RegExp(all + toRole, i))) ?? at(last(new RegExp(privilege, i))) ?? at(definition);
    }
    case 'security-invoker':
    case 'return-true':
    case 'noop-trigger-function': {
      const { schema, name } = split(mutant.object.replace(/\(.*$/, ''));
      const fn = last(new RegExp(`^create\\s+(?:or\\s+replace\\s+)?function\\s+${qualified(schema, name)}\\s*\\(`, i));
      return at(fn, mutant.operator === 'security-invoker' ? /\bsecurity\s+definer\b/i : undefined);
    }
  }
}
