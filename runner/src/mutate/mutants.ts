/**
 * The mutants of a schema, pure: each one SQL statement that weakens one rule
 * of the catalogue (catalogue.ts), with an id that names the operator and the
 * object, what it weakens in words, and the names a test guarding it would
 * mention (to run the likely killer first).
 *
 * Dropping: each policy, check, unique, foreign key, trigger, index no
 * constraint owns, NOT NULL (primary key columns aside: PostgreSQL refuses),
 * and row level security on each table that has it.
 * Weakening: a policy's using or with check replaced by true; its roles
 * widened to public, or anon added; a security definer function made invoker,
 * or (boolean ones) made to return true; a foreign key's on delete swapped
 * among cascade, restrict and set null (when every referencing column accepts
 * null); a check's bound moved by one (> and >=, < and <= swapped) or a value
 * added to an allowed list; a privilege an API role holds on some columns
 * widened to the whole table; a table privilege an API role lacks (select,
 * insert, update, delete, truncate), or a function's execute, granted to it;
 * a trigger function's body replaced by one that changes nothing.
 *
 * A mutant is inert when the catalogue itself proves nobody could observe it:
 * the widened role list reaches no role that holds a privilege for the
 * policy's command (and does not bypass row level security), or the role
 * granted a privilege cannot use the schema, or the function is a trigger
 * function (no one calls those directly). Inert mutants are listed, not run.
 */
import type { ApiRole, CatalogueConstraint, CatalogueFunction, CataloguePolicy, CatalogueTable, MutationCatalogue } from './catalogue.js';
import { API_ROLES } from './catalogue.js';

export const OPERATORS = [
  'drop-policy',
  'drop-check',
  'drop-unique',
  'drop-foreign-key',
  'drop-trigger',
  'drop-index',
  'drop-not-null',
  'disable-rls',
  'using-true',
  'with-check-true',
  'roles-public',
  'roles-add-anon',
  'security-invoker',
  'return-true',
  'on-delete-cascade',
  'on-delete-restrict',
  'on-delete-set-null',
  'check-bound',
  'check-add-value',
  'grant-whole-table',
  'grant-back',
  'noop-trigger-function',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Mutant {
  /** `<operator> <object>`: stable while the object keeps its name */
  id: string;
  operator: Operator;
  /** schema.table.name, schema.index, schema.function(args), with a suffix where one object has several mutants */
  object: string;
  /** the rule it weakens, in words, with its definition */
  weakens: string;
  /** the SQL that makes it */
  sql: string;
  /** schema.table it touches, or null (a function) */
  table: string | null;
  /** names a test that guards the rule would mention, most specific first */
  names: string[];
  /** why the catalogue proves it unobservable: not run; null for every mutant that runs */
  inert: string | null;
}

/** The value a mutant adds to an allowed list. */
export const ADDED_VALUE = 'mutant';

export function listMutants(catalogue: MutationCatalogue): Mutant[] {
  const mutants: Mutant[] = [];
  for (const table of catalogue.tables) mutants.push(...tableMutants(table));
  for (const fn of catalogue.functions) mutants.push(...functionMutants(fn));
  return mutants;
}

function tableMutants(t: CatalogueTable): Mutant[] {
  const out: Mutant[] = [];
  const table = `${t.schema}.${t.name}`;
  const add = (operator: Operator, object: string, weakens: string, sql: string, names: string[], inert: string | null = null) =>
    out.push({ id: `${operator} ${object}`, operator, object, weakens, sql, table, names: [...names, t.name], inert });

  if (t.rls) add('disable-rls', table, `row level security on ${table}`, `alter table ${t.sql} disable row level security`, []);

  for (const p of t.policies) {
    const object = `${table}.${p.name}`;
    const weakens = `policy ${p.name} on ${table}: ${describePolicy(p)}`;
    const on = `${p.sql} on ${t.sql}`;
    add('drop-policy', object, weakens, `drop policy ${on}`, [p.name]);
    if (p.using !== null && p.using !== 'true') add('using-true', object, weakens, `alter policy ${on} using (true)`, [p.name]);
    if (p.check !== null && p.check !== 'true') add('with-check-true', object, weakens, `alter policy ${on} with check (true)`, [p.name]);
    if (!p.roles.includes('public')) {
      add('roles-public', object, weakens, `alter policy ${on} to public`, [p.name], unreached(p, p.reaches.public, 'public'));
      if (!p.roles.includes('anon')) {
        add('roles-add-anon', object, weakens, `alter policy ${on} to ${[...p.rolesSql, 'anon'].join(', ')}`, [p.name], unreached(p, p.reaches.anon, 'anon'));
      }
    }
  }

  for (const c of t.constraints) {
    const object = `${table}.${c.name}`;
    const weakens = `${c.kind} ${c.name} on ${table}: ${c.definition}`;
    const drop = `alter table ${t.sql} drop constraint ${c.sql}`;
    // a replaced check is `not valid`: it binds every row written from now on, whatever rows the seed holds
    const replace = (definition: string) => `${drop}, add constraint ${c.sql} ${definition}${c.kind === 'check' ? ' not valid' : ''}`;
    if (c.kind === 'check') {
      add('drop-check', object, weakens, drop, [c.name, ...c.columns]);
      boundMutations(c.definition).forEach((m, i, all) => {
        add('check-bound', all.length > 1 ? `${object}#${i + 1}` : object, `${weakens} (${m.from} → ${m.to})`, replace(m.definition), [c.name, ...c.columns]);
      });
      addedValueMutations(c.definition).forEach((m, i, all) => {
        add('check-add-value', all.length > 1 ? `${object}#${i + 1}` : object, `${weakens} (allows ${m.value} too)`, replace(m.definition), [
          c.name,
          ...c.columns,
        ]);
      });
    } else if (c.kind === 'unique') {
      add('drop-unique', object, weakens, drop, [c.name, ...c.columns]);
    } else {
      add('drop-foreign-key', object, weakens, drop, [c.name, ...c.columns]);
      for (const action of onDeleteSwaps(c)) {
        const definition = withOnDelete(c.definition, action);
        if (definition !== null) add(`on-delete-${action.replace(' ', '-')}` as Operator, object, weakens, replace(definition), [c.name, ...c.columns]);
      }
    }
  }

  for (const index of t.indexes) {
    add('drop-index', `${t.schema}.${index.name}`, `index ${index.name} on ${table}: ${index.definition}`, `drop index ${index.sql}`, [index.name]);
  }
  for (const trigger of t.triggers) {
    add('drop-trigger', `${table}.${trigger.name}`, `trigger ${trigger.name}: ${trigger.definition}`, `drop trigger ${trigger.sql} on ${t.sql}`, [
      trigger.name,
      trigger.function.replace(/\(.*$/, ''),
    ]);
  }
  for (const column of t.columns) {
    if (!column.notNull || column.primaryKey || column.identity) continue;
    add('drop-not-null', `${table}.${column.name}`, `not null on ${table}.${column.name}`, `alter table ${t.sql} alter column ${column.sql} drop not null`, [
      column.name,
    ]);
  }

  for (const role of API_ROLES) {
    const grants = t.grants[role];
    const noSchema = t.schemaUsage[role] ? null : `${role} has no usage on schema ${t.schema}, so no privilege on ${table} reaches it`;
    for (const [privilege, columns] of Object.entries(grants.columns)) {
      if (grants.table.includes(privilege)) continue;
      add(
        'grant-whole-table',
        `${table}:${privilege}:${role}`,
        `${privilege} on ${table} for ${role}, limited to ${columns.join(', ')}`,
        `grant ${privilege} on ${t.sql} to ${role}`,
        [],
        noSchema,
      );
    }
    for (const privilege of TABLE_PRIVILEGES) {
      if (grants.table.includes(privilege) || grants.columns[privilege] !== undefined) continue;
      add(
        'grant-back',
        `${table}:${privilege}:${role}`,
        `${role} holds no ${privilege} privilege on ${table}`,
        `grant ${privilege} on ${t.sql} to ${role}`,
        [],
        noSchema,
      );
    }
  }
  return out;
}

const TABLE_PRIVILEGES = ['select', 'insert', 'update', 'delete', 'truncate'];

function functionMutants(f: CatalogueFunction): Mutant[] {
  const out: Mutant[] = [];
  const isTrigger = f.returns === 'trigger' || f.returns === 'event_trigger';
  const name = f.signature.replace(/\(.*$/, '');
  const bare = name.replace(/^.*\./, '');
  const add = (operator: Operator, object: string, weakens: string, sql: string, inert: string | null = null) =>
    out.push({ id: `${operator} ${object}`, operator, object, weakens, sql, table: null, names: [bare], inert });
  const kind = `${f.securityDefiner ? 'security definer ' : ''}function ${f.signature} returning ${f.returns}`;

  if (f.securityDefiner) {
    add('security-invoker', f.signature, kind, `alter function ${f.signature} security invoker`);
    if (f.returns === 'boolean') {
      const body = f.language === 'sql' ? 'select true' : f.language === 'plpgsql' ? 'begin return true; end' : null;
      const sql = body === null ? null : withBody(f.definition, body);
      if (sql !== null) add('return-true', f.signature, kind, sql);
    }
  }
  if (isTrigger && f.triggers.length > 0 && f.language === 'plpgsql') {
    const sql = withBody(f.definition, `begin if tg_op = 'DELETE' then return old; end if; return new; end`);
    if (sql !== null)
      add('noop-trigger-function', f.signature, `${kind}, called by trigger${f.triggers.length === 1 ? '' : 's'} ${f.triggers.join(', ')}`, sql);
  }
  for (const role of API_ROLES) {
    if (f.executableBy.includes(role)) continue;
    const inert = isTrigger
      ? 'a trigger function cannot be called directly, whoever may execute it'
      : f.schemaUsage[role]
        ? null
        : `${role} has no usage on schema ${f.schema}, so it cannot call the function`;
    add('grant-back', `${f.signature}:execute:${role}`, `${role} may not execute ${kind}`, `grant execute on function ${f.signature} to ${role}`, inert);
  }
  return out;
}

function describePolicy(p: CataloguePolicy): string {
  return [`${p.command} to ${p.roles.join(', ')}`, p.using !== null ? `using (${p.using})` : '', p.check !== null ? `with check (${p.check})` : '']
    .filter(Boolean)
    .join(' ');
}

function unreached(p: CataloguePolicy, reaches: string[], widened: 'public' | ApiRole): string | null {
  if (reaches.length > 0) return null;
  const command = p.command === 'all' ? 'any command' : p.command;
  return widened === 'public'
    ? `no role beyond ${p.roles.join(', ')} holds a ${command} privilege on the table without bypassing row level security`
    : `anon holds no ${command} privilege on the table, so a policy for anon never applies`;
}

/** The actions an on-delete swap may take: cascade, restrict, set null (when allowed), minus the current one. */
function onDeleteSwaps(c: CatalogueConstraint): ('cascade' | 'restrict' | 'set null')[] {
  const current = c.onDelete === 'no action' ? 'restrict' : c.onDelete;
  const actions: ('cascade' | 'restrict' | 'set null')[] = ['cascade', 'restrict'];
  if (c.nullable) actions.push('set null');
  return actions.filter((a) => a !== current);
}

const ACTION = /(?: ON DELETE (?:CASCADE|RESTRICT|NO ACTION|SET NULL|SET DEFAULT)(?: \([^)]*\))?)?/;

/** A foreign key's definition (pg_get_constraintdef) with another on delete action, or null when it does not parse. */
export function withOnDelete(definition: string, action: string): string | null {
  const pattern = new RegExp(
    `^(FOREIGN KEY \\(.*?\\) REFERENCES .*?\\(.*?\\)(?: MATCH \\w+)?(?: ON UPDATE (?:CASCADE|RESTRICT|NO ACTION|SET NULL|SET DEFAULT))?)${ACTION.source}(.*)$`,
  );
  const match = pattern.exec(definition);
  return match === null ? null : `${match[1]} ON DELETE ${action.toUpperCase()}${match[2]}`;
}

/** Replaces a function's body in its pg_get_functiondef, keeping every attribute; null for a body that is not dollar-quoted. */
export function withBody(definition: string, body: string): string | null {
  const match = /\nAS (\$[A-Za-z_0-9]*\$)[\s\S]*\1\s*$/.exec(definition);
  return match === null ? null : `${definition.slice(0, match.index)}\nAS $mutant$ ${body} $mutant$`;
}

/** Positions of the top-level text of a deparsed expression: string literals and quoted names are skipped. */
function* scan(text: string): Generator<number> {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = closing(text, i);
      i = end;
      continue;
    }
    yield i;
  }
}

/** The index of the quote that closes the literal or name opening at `start` (a doubled quote is part of it). */
function closing(text: string, start: number): number {
  const quote = text[start];
  for (let j = start + 1; j < text.length; j++) {
    if (text[j] === quote) {
      if (text[j + 1] === quote) j++;
      else return j;
    }
  }
  return text.length - 1;
}

const BOUND_SWAP: Record<string, string> = { '>': '>=', '>=': '>', '<': '<=', '<=': '<' };

/**
 * Each comparison of a check with its bound moved by one: `>` and `>=` swapped,
 * `<` and `<=` swapped. PostgreSQL deparses a binary operator between spaces,
 * so an operator is a run of operator characters with a space on each side,
 * outside string literals.
 */
export function boundMutations(definition: string): { definition: string; from: string; to: string }[] {
  const out: { definition: string; from: string; to: string }[] = [];
  for (const i of scan(definition)) {
    if (definition[i - 1] !== ' ' || !/[<>]/.test(definition[i]!)) continue;
    const operator = /^[<>=!~*+\-/%^&|#@?]+/.exec(definition.slice(i))![0];
    const swapped = BOUND_SWAP[operator];
    if (swapped === undefined || definition[i + operator.length] !== ' ') continue;
    const before = definition.slice(0, i);
    const after = definition.slice(i + operator.length);
    const left = /(\S+) $/.exec(before)?.[1]?.replace(/^\(+/, '') ?? '';
    const right = /^ (\S+)/.exec(after)?.[1]?.replace(/\)+$/, '') ?? '';
    out.push({ definition: before + swapped + after, from: `${left} ${operator} ${right}`, to: `${left} ${swapped} ${right}` });
  }
  return out;
}

/**
 * Each allowed list of a check (`= ANY (ARRAY[...])`, how PostgreSQL deparses
 * `in (...)`) with one value added: the text 'mutant' (cast like the list's
 * last value) to a list of literals, the largest number plus one to a list of numbers.
 */
export function addedValueMutations(definition: string): { definition: string; value: string }[] {
  const out: { definition: string; value: string }[] = [];
  for (const i of scan(definition)) {
    if (!definition.startsWith('ARRAY[', i)) continue;
    const open = i + 'ARRAY['.length;
    let end = -1;
    let depth = 0;
    for (const j of scan(definition)) {
      if (j < open) continue;
      if (definition[j] === '[') depth++;
      else if (definition[j] === ']') {
        if (depth === 0) {
          end = j;
          break;
        }
        depth--;
      }
    }
    if (end < 0) continue;
    const elements = splitTopLevel(definition.slice(open, end));
    const last = elements.at(-1);
    if (last === undefined) continue;
    let value: string | null = null;
    const literal = /^'((?:[^']|'')*)'(::.+)?$/;
    const number = /^\(?(-?\d+(?:\.\d+)?)\)?(::.+)?$/;
    if (elements.every((e) => literal.test(e))) {
      const taken = new Set(elements.map((e) => literal.exec(e)![1]));
      let text = ADDED_VALUE;
      for (let n = 2; taken.has(text); n++) text = `${ADDED_VALUE}${n}`;
      value = `'${text}'${literal.exec(last)![2] ?? ''}`;
    } else if (elements.every((e) => number.test(e))) {
      const max = Math.max(...elements.map((e) => Number(number.exec(e)![1])));
      value = `${Math.floor(max) + 1}${number.exec(last)![2] ?? ''}`;
    }
    if (value === null) continue;
    out.push({ definition: `${definition.slice(0, end)}, ${value}${definition.slice(end)}`, value });
  }
  return out;
}

/** Splits a list at its top-level commas (outside literals, parentheses and brackets), trimmed. */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (const i of scan(list)) {
    const c = list[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(list.slice(start).trim());
  return parts.filter((p) => p !== '');
}
