/**
 * Checks SQL against an older PostgreSQL than the one it runs on here: its
 * grammar (libpg-query's parser, pinned to PostgreSQL 15) and the names it
 * calls (functions, with how many arguments) and casts to (types), against
 * reference lists of what that release and its extensions define.
 *
 * Static, by design: it proves that PostgreSQL 15 would parse every statement
 * and find every function and type by name and argument count. It cannot see
 * semantics: an operator, an argument's type, a changed SQLSTATE or plan.
 *
 * Pure apart from the parser's WebAssembly: call `loadSqlParser()` once, then
 * scan strings; no database, no file system.
 */
import { Buffer } from 'node:buffer';
import { loadModule, parseSync } from 'libpg-query';
import { splitSql } from '../src/database/sql-split.js';

/** The fewest and most arguments a call may pass; `max` null: variadic. */
export interface Arity {
  min: number;
  max: number | null;
}

/** What one source (PostgreSQL 15, an extension, our own SQL) defines. */
export interface Reference {
  source: string;
  functions: Map<string, Arity[]>;
  types: Set<string>;
}

export interface Position {
  file: string;
  line: number;
  column: number;
}

/** A function called or a type named, as written (schema-qualified or not). */
export interface NameUse extends Position {
  kind: 'function' | 'type';
  name: string;
  /** arguments passed; null when the call's form says nothing about it */
  args: number | null;
}

export interface Finding extends Position {
  message: string;
}

export interface SqlScan {
  uses: NameUse[];
  /** functions, tables (row types), types and domains the SQL creates */
  defines: Reference;
  /** syntax errors and statements the scan could not read */
  problems: Finding[];
}

export async function loadSqlParser(): Promise<void> {
  await loadModule();
}

/** `name min max` lines (max `*`: variadic), `#` comments: generate.ts's function lists. */
export function readFunctionList(text: string): Map<string, Arity[]> {
  const functions = new Map<string, Arity[]>();
  for (const line of listLines(text)) {
    const [name, min, max] = line.split(/\s+/);
    if (!name || min === undefined || max === undefined) throw new Error(`not "name min max": ${line}`);
    addArity(functions, name, { min: Number(min), max: max === '*' ? null : Number(max) });
  }
  return functions;
}

/** One name a line, `#` comments. */
export function readNameList(text: string): Set<string> {
  return new Set(listLines(text));
}

function listLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function addArity(functions: Map<string, Arity[]>, name: string, arity: Arity): void {
  const known = functions.get(name) ?? [];
  if (!known.some((a) => a.min === arity.min && a.max === arity.max)) known.push(arity);
  functions.set(name, known);
}

/** One reference holding everything the given ones define: our own SQL, file by file, as one source. */
export function mergeReferences(source: string, references: Reference[]): Reference {
  const merged: Reference = { source, functions: new Map(), types: new Set() };
  for (const reference of references) {
    for (const [name, arities] of reference.functions) for (const arity of arities) addArity(merged.functions, name, arity);
    for (const type of reference.types) merged.types.add(type);
  }
  return merged;
}

/** Every use that no reference defines (by unqualified name, then by argument count). */
export function checkNames(uses: NameUse[], references: Reference[]): Finding[] {
  const findings: Finding[] = [];
  const labels = references.map((r) => r.source);
  const sources = labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}` : (labels[0] ?? 'nothing');
  for (const use of uses) {
    const name = use.name.split('.').pop()!;
    const at = { file: use.file, line: use.line, column: use.column };
    if (use.kind === 'type') {
      if (!references.some((r) => r.types.has(name))) {
        findings.push({ ...at, message: `type ${use.name}: no such type in ${sources}` });
      }
      continue;
    }
    const defined = references.flatMap((r) => (r.functions.get(name) ?? []).map((arity) => ({ source: r.source, arity })));
    if (defined.length === 0) {
      findings.push({ ...at, message: `function ${use.name}(): no such function in ${sources}` });
    } else if (use.args !== null && !defined.some(({ arity }) => fits(arity, use.args!))) {
      const known = references
        .filter((r) => r.functions.has(name))
        .map((r) => `${r.source} has it with ${r.functions.get(name)!.map(showArity).join(' or ')}`)
        .join('; ');
      findings.push({ ...at, message: `function ${use.name}() with ${plural(use.args, 'argument')}: ${known}` });
    }
  }
  return findings;
}

function fits(arity: Arity, args: number): boolean {
  return args >= arity.min && (arity.max === null || args <= arity.max);
}

function showArity({ min, max }: Arity): string {
  if (max === null) return `${min} or more`;
  return min === max ? `${min}` : `${min} to ${max}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.message}`;
}

// ---------------------------------------------------------------------------
// Scanning
// ---------------------------------------------------------------------------

/**
 * pgTAP functions (and our test helpers) whose arguments at these positions
 * are queries. pgTAP runs a string without whitespace as a prepared
 * statement's name (`EXECUTE name`), so only strings with whitespace are read.
 */
const QUERY_ARGUMENTS: Record<string, number[]> = {
  throws_ok: [0],
  throws_like: [0],
  throws_ilike: [0],
  throws_matching: [0],
  throws_imatching: [0],
  lives_ok: [0],
  performs_ok: [0],
  performs_within: [0],
  is_empty: [0],
  isnt_empty: [0],
  row_eq: [0],
  results_eq: [0, 1],
  results_ne: [0, 1],
  set_eq: [0, 1],
  set_ne: [0, 1],
  set_has: [0, 1],
  set_hasnt: [0, 1],
  bag_eq: [0, 1],
  bag_ne: [0, 1],
  bag_has: [0, 1],
  bag_hasnt: [0, 1],
  uses_index: [0],
  plan_uses_index: [0],
  plan_of: [0],
};

type Node = Record<string, unknown>;

/** Where a parsed string sits in its file: byte i of the string is byte `offset + i` of the file. */
interface Fragment {
  sql: string;
  offset: number;
  /** what the fragment is, for messages: "the body of tests.create_user" */
  what?: string;
}

class Scanner {
  readonly uses: NameUse[] = [];
  readonly problems: Finding[] = [];
  readonly defines: Reference;
  private readonly bytes: Buffer;

  constructor(
    private readonly file: string,
    text: string,
  ) {
    this.bytes = Buffer.from(text, 'utf8');
    this.defines = { source: file, functions: new Map(), types: new Set() };
  }

  position(byteOffset: number): Position {
    const before = this.bytes.subarray(0, Math.max(0, Math.min(byteOffset, this.bytes.length)));
    const lineStart = before.lastIndexOf(0x0a) + 1;
    const line = before.subarray(0, lineStart).toString('utf8').split('\n').length;
    return { file: this.file, line, column: before.subarray(lineStart).toString('utf8').length + 1 };
  }

  problem(byteOffset: number, message: string): void {
    this.problems.push({ ...this.position(byteOffset), message });
  }

  /** Parses a fragment with PostgreSQL 15's grammar and walks its tree. */
  sql(fragment: Fragment): void {
    if (fragment.sql.trim() === '') return;
    let tree: { stmts?: Node[] };
    try {
      tree = parseSync(fragment.sql);
    } catch (error) {
      const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
      const within = fragment.what ? ` (in ${fragment.what})` : '';
      this.problem(fragment.offset + (details?.cursorPosition ?? 0), `PostgreSQL 15 cannot parse this: ${(error as Error).message}${within}`);
      return;
    }
    for (const statement of tree.stmts ?? []) this.walk(statement, fragment.offset);
  }

  private walk(value: unknown, base: number): void {
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item, base);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as Node;
    if (Array.isArray(node.names) && 'typemod' in node) this.typeName(node, base);
    if (node.FuncCall) this.funcCall(node.FuncCall as Node, base);
    if (node.CreateFunctionStmt) this.createFunction(node.CreateFunctionStmt as Node, base);
    if (node.DoStmt) this.doBlock(node.DoStmt as Node, base);
    if (node.CreateTrigStmt) this.use('function', names((node.CreateTrigStmt as Node).funcname), null, base + location(node.CreateTrigStmt as Node));
    this.defineRelations(node);
    for (const child of Object.values(node)) this.walk(child, base);
  }

  private use(kind: NameUse['kind'], name: string, args: number | null, byteOffset: number): void {
    this.uses.push({ kind, name, args, ...this.position(byteOffset) });
  }

  private typeName(node: Node, base: number): void {
    if (node.pct_type) return; // column%type names a column, not a type
    this.use('type', names(node.names), null, base + location(node));
  }

  private funcCall(call: Node, base: number): void {
    const name = names(call.funcname);
    const args = (call.args as Node[] | undefined) ?? [];
    // count(*) passes no argument; within group (order by x) passes its sort keys as aggregated arguments.
    const passed = args.length + (call.agg_within_group ? ((call.agg_order as Node[] | undefined)?.length ?? 0) : 0);
    this.use('function', name, passed, base + location(call));
    for (const index of QUERY_ARGUMENTS[name.split('.').pop()!] ?? []) {
      const literal = stringConstant(args[index]);
      if (!literal || !/\s/.test(literal.value)) continue;
      // throws_ok(query, '42883', ...) proves that a name does not exist: its query is meant to miss it.
      const expected = /^throws_/.test(name.split('.').pop()!) ? stringConstant(args[1])?.value : undefined;
      if (expected === '42601') continue; // ... or that it is a syntax error
      const start = base + literal.location;
      const before = this.uses.length;
      this.sql({ sql: literal.value, offset: start + this.quoteLength(start), what: `the query passed to ${name}` });
      const missing = expected === '42883' ? 'function' : expected === '42704' ? 'type' : undefined;
      if (missing) this.uses.splice(before, this.uses.length, ...this.uses.slice(before).filter((u) => u.kind !== missing));
    }
  }

  /** How long the opening quote of the string literal at this byte is: $$, $tag$, E' or '. */
  private quoteLength(byteOffset: number): number {
    const head = this.bytes.subarray(byteOffset, byteOffset + 64).toString('utf8');
    return /^(\$\w*\$|[eE]'|')/.exec(head)?.[0].length ?? 0;
  }

  private createFunction(statement: Node, base: number): void {
    const name = names(statement.funcname);
    const parameters = ((statement.parameters as Node[] | undefined) ?? []).map((p) => p.FunctionParameter as Node);
    const inputs = parameters.filter((p) => !['FUNC_PARAM_OUT', 'FUNC_PARAM_TABLE'].includes(p.mode as string));
    const variadic = inputs.some((p) => p.mode === 'FUNC_PARAM_VARIADIC');
    const defaults = inputs.filter((p) => p.defexpr !== undefined).length;
    addArity(this.defines.functions, name.split('.').pop()!, { min: inputs.length - defaults, max: variadic ? null : inputs.length });

    const options = (statement.options as Node[] | undefined)?.map((o) => o.DefElem as Node) ?? [];
    const language = (options.find((o) => o.defname === 'language')?.arg as Node | undefined)?.String as Node | undefined;
    const body = options.find((o) => o.defname === 'as');
    if (!body) return; // begin atomic: already in the tree
    const text = firstString(body.arg);
    if (text === undefined) return;
    const fragment = this.locate(text, base + location(body), `the body of ${name}`);
    if (language?.sval === 'sql') this.sql(fragment);
    else if (language?.sval === 'plpgsql') this.plpgsql(fragment);
  }

  private doBlock(statement: Node, base: number): void {
    const options = ((statement.args as Node[] | undefined) ?? []).map((o) => o.DefElem as Node);
    const language = ((options.find((o) => o.defname === 'language')?.arg as Node | undefined)?.String as Node | undefined)?.sval;
    const body = options.find((o) => o.defname === 'as');
    const text = body && firstString(body.arg);
    if (text === undefined || (language !== undefined && language !== 'plpgsql')) return;
    this.plpgsql(this.locate(text, base + location(body!), 'a do block'));
  }

  /** The body's bytes in the file, searched from where its statement says it starts. */
  private locate(text: string, from: number, what: string): Fragment {
    const at = this.bytes.indexOf(Buffer.from(text, 'utf8'), Math.max(0, from));
    return { sql: text, offset: at >= 0 ? at : from, what };
  }

  private defineRelations(node: Node): void {
    const relname = (n: unknown) => (n as Node | undefined)?.relname as string | undefined;
    const define = (name: string | undefined) => name && this.defines.types.add(name);
    if (node.CreateStmt) define(relname((node.CreateStmt as Node).relation));
    if (node.ViewStmt) define(relname((node.ViewStmt as Node).view));
    if (node.CompositeTypeStmt) define(relname((node.CompositeTypeStmt as Node).typevar));
    if (node.CreateTableAsStmt) define(relname(((node.CreateTableAsStmt as Node).into as Node | undefined)?.rel));
    if (node.CreateEnumStmt)
      define(names((node.CreateEnumStmt as Node).typeName)
        .split('.')
        .pop());
    if (node.CreateRangeStmt)
      define(names((node.CreateRangeStmt as Node).typeName)
        .split('.')
        .pop());
    if (node.CreateDomainStmt)
      define(names((node.CreateDomainStmt as Node).domainname)
        .split('.')
        .pop());
    if (node.DefineStmt && (node.DefineStmt as Node).kind === 'OBJECT_TYPE')
      define(names((node.DefineStmt as Node).defnames)
        .split('.')
        .pop());
  }

  // -------------------------------------------------------------------------
  // PL/pgSQL: libpg-query 15 has no PL/pgSQL parser, so the body is split into
  // statements and each statement's SQL and expressions are parsed as
  // PL/pgSQL itself would hand them to the SQL parser (an expression as
  // `select <expr>`). Positions stay exact: words are blanked, never removed.
  // -------------------------------------------------------------------------

  private plpgsql(body: Fragment): void {
    const offsetOf = (charOffset: number) => body.offset + Buffer.byteLength(body.sql.slice(0, charOffset), 'utf8');
    let declaring = false;
    for (const statement of splitSql(body.sql)) {
      let text = statement.sql;
      let at = offsetOf(statement.offset);
      const skip = (pattern: RegExp): boolean => {
        const match = pattern.exec(text);
        if (!match) return false;
        at += Buffer.byteLength(match[0], 'utf8');
        text = text.slice(match[0].length);
        return true;
      };
      const expression = (sql: string, offset: number) => this.sql({ sql: `select ${sql}`, offset: offset - 7, what: body.what });

      // Block structure ahead of the statement: labels, declare, begin, else, exception handlers.
      for (;;) {
        if (skip(/^\s*<<\s*\w+\s*>>\s*/)) continue;
        if (skip(/^\s*declare\b\s*/i)) {
          declaring = true;
          continue;
        }
        if (skip(/^\s*begin\b\s*/i)) {
          declaring = false;
          continue;
        }
        if (skip(/^\s*else\b\s*/i)) continue;
        if (/^\s*(if|elsif|while|exception\s+when|when)\b/i.test(text)) {
          const keyword = /^\s*(if|elsif|while|exception\s+when|when)\b\s*/i.exec(text)![0];
          const end = topLevelWord(text, keyword.length, /^(then|loop)$/i);
          if (end < 0) break;
          if (!/when/i.test(keyword)) expression(text.slice(keyword.length, end), at + Buffer.byteLength(keyword, 'utf8'));
          skip(new RegExp(`^[\\s\\S]{${end}}\\w+\\s*`));
          continue;
        }
        if (/^\s*case\b/i.test(text)) {
          // the case statement: its selector, then `when ... then` as above
          const keyword = /^\s*case\b\s*/i.exec(text)![0];
          const end = topLevelWord(text, keyword.length, /^when$/i);
          if (end < 0) break;
          if (text.slice(keyword.length, end).trim() !== '') expression(text.slice(keyword.length, end), at + Buffer.byteLength(keyword, 'utf8'));
          skip(new RegExp(`^[\\s\\S]{${end}}`));
          continue;
        }
        if (/^\s*(for|foreach)\b/i.test(text)) {
          // for x in query | execute expr [using ...] | a .. b loop; foreach x [slice n] in array expr loop
          const keyword = /^\s*(for|foreach)\b\s*/i.exec(text)![0];
          const end = topLevelWord(text, keyword.length, /^loop$/i);
          const within = end < 0 ? -1 : topLevelWord(text.slice(0, end), keyword.length, /^in$/i);
          if (within < 0) break;
          const head = text.slice(0, within + 2);
          const source = text.slice(within + 2, end);
          const sourceAt = at + Buffer.byteLength(head, 'utf8');
          if (/^foreach/i.test(keyword.trim())) expression(source.replace(/^(\s*)array\b/i, '$1     '), sourceAt);
          else if (/^\s*execute\b/i.test(source)) expression(source.replace(/^(\s*)execute\b/i, '$1       ').replace(/\busing\b/gi, ',    '), sourceAt);
          else if (/\.\./.test(source)) expression(source.replace(/^(\s*)reverse\b/i, '$1       ').replace('..', ', '), sourceAt);
          else this.sql({ sql: source, offset: sourceAt, what: body.what });
          skip(new RegExp(`^[\\s\\S]{${end}}\\w+\\s*`));
          continue;
        }
        if (skip(/^\s*loop\b\s*/i)) continue;
        break;
      }
      text = text.trimEnd();
      if (text === '' || /^end(\s+(if|loop|case))?(\s+\w+)?$/i.test(text)) continue;

      if (declaring) {
        this.declaration(text, at);
        continue;
      }
      const keyword = /^\w+/.exec(text)?.[0]?.toLowerCase() ?? '';
      if (keyword === 'perform') this.sql({ sql: `select ${text.slice(7)}`, offset: at, what: body.what });
      else if (keyword === 'return') {
        const rest = /^return(\s+query\s+(execute\b)?)?\s*/i.exec(text)!;
        const sql = text.slice(rest[0].length);
        if (sql === '') continue;
        if (rest[1] && !rest[2]) this.sql({ sql, offset: at + rest[0].length, what: body.what });
        else expression(sql.replace(/^next\b/i, '    '), at + rest[0].length);
      } else if (keyword === 'execute') {
        expression(blankInto(text.slice(7)).replace(/\busing\b/gi, ',    '), at + 7);
      } else if (['select', 'with', 'insert', 'update', 'delete', 'merge', 'values', 'call'].includes(keyword)) {
        this.sql({ sql: blankInto(text), offset: at, what: body.what });
      } else if (['raise', 'null', 'commit', 'rollback', 'exit', 'continue', 'get', 'open', 'close', 'fetch', 'move'].includes(keyword)) {
        // no name lookups the check follows (raise's format arguments are not read)
      } else if (/^[\w."]+(\[[^\]]*\])*\s*:?=/.test(text)) {
        const assignment = /^[\w."]+(\[[^\]]*\])*\s*:?=\s*/.exec(text)![0];
        expression(text.slice(assignment.length), at + Buffer.byteLength(assignment, 'utf8'));
      } else {
        this.problem(at, `PL/pgSQL statement the check cannot read (${body.what}): ${text.split('\n')[0]}`);
      }
    }
  }

  /** `name [constant] type [not null] [:= | = | default expr]` in a declare section. */
  private declaration(text: string, at: number): void {
    const match = /^("[^"]+"|\w+)\s+(constant\s+)?/i.exec(text);
    if (!match || /^\w+\s+(alias|cursor)\b/i.test(text)) return;
    const rest = text.slice(match[0].length);
    const assign = topLevelWord(rest, 0, /^(:=|=|default)$/i);
    const type = (assign < 0 ? rest : rest.slice(0, assign)).replace(/\s+not\s+null\s*$/i, '').trimEnd();
    const typeAt = at + Buffer.byteLength(match[0], 'utf8');
    if (!/%(row)?type$/i.test(type)) this.sql({ sql: `select null::${type}`, offset: typeAt - 'select null::'.length, what: 'a declaration' });
    if (assign >= 0) {
      const operator = /^(:=|=|default)\s*/i.exec(rest.slice(assign))![0];
      const value = rest.slice(assign + operator.length);
      this.sql({ sql: `select ${value}`, offset: typeAt + Buffer.byteLength(rest.slice(0, assign + operator.length), 'utf8') - 7, what: 'a declaration' });
    }
  }
}

/** The character offset of the first word (or `:=`/`=`) matching `word` outside parentheses and quotes, from `from`; -1 if none. */
function topLevelWord(text: string, from: number, word: RegExp): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      i = close < 0 ? text.length : close;
    } else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0) {
      const token = /^(:=|=|\w+)/.exec(text.slice(i))?.[0];
      if (token && (i === 0 || !/\w/.test(text[i - 1]!))) {
        if (word.test(token)) return i;
        i += token.length - 1;
      }
    }
  }
  return -1;
}

/** PL/pgSQL's `into [strict] target, ...` (not `insert into`), blanked so positions stay. */
function blankInto(sql: string): string {
  return sql.replace(/(\binsert\s+into\b)|\binto\s+(strict\s+)?[\w."]+(\s*,\s*[\w."]+)*/gi, (match, insert: string | undefined) =>
    insert ? match : ' '.repeat(match.length),
  );
}

function names(list: unknown): string {
  return ((list as Node[] | undefined) ?? []).map((n) => ((n.String as Node | undefined)?.sval as string | undefined) ?? '').join('.');
}

function location(node: Node): number {
  return typeof node.location === 'number' && node.location >= 0 ? node.location : 0;
}

/** A body: a string (do), or a list whose first item is the string (create function). */
function firstString(arg: unknown): string | undefined {
  const node = arg as Node | undefined;
  const items = (node?.List as Node | undefined)?.items as Node[] | undefined;
  return ((items?.[0] ?? node)?.String as Node | undefined)?.sval as string | undefined;
}

/** A string literal's value and where it starts. */
function stringConstant(node: Node | undefined): { value: string; location: number } | undefined {
  const constant = node?.A_Const as Node | undefined;
  const value = (constant?.sval as Node | undefined)?.sval;
  return typeof value === 'string' ? { value, location: location(constant!) } : undefined;
}

/** Everything one file calls and names, what it defines, and what PostgreSQL 15 cannot parse. */
export function scanSql(file: string, text: string): SqlScan {
  const scanner = new Scanner(file, text);
  // Statement by statement, so that one syntax error does not hide the rest of the file.
  for (const statement of splitSql(text)) {
    scanner.sql({ sql: statement.sql, offset: Buffer.byteLength(text.slice(0, statement.offset), 'utf8') });
  }
  const byPosition = (a: Position, b: Position) => a.line - b.line || a.column - b.column;
  return { uses: scanner.uses.sort(byPosition), defines: scanner.defines, problems: scanner.problems.sort(byPosition) };
}
