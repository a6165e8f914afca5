/**
 * What psql does to a pgTAP file before PostgreSQL sees it, as pg_prove runs
 * it (`psql --no-psqlrc --no-align --quiet --pset pager=off --pset
 * tuples_only=true --set ON_ERROR_STOP=1 --file <file>`). Pure: no database,
 * no file system.
 *
 * - the file's bytes go to the server as they are: bytes that are not UTF-8
 *   make the statement holding them fail there (`decodeScript`);
 * - variables: `\set`, `\unset`, and `:name`, `:'name'`, `:"name"` in SQL
 *   (`interpolate`);
 * - meta-commands (`metaCommand`): those that change only how psql prints
 *   (`\pset`, `\timing`, `\t`, `\a`, `\x`, ...) are accepted and do nothing here,
 *   since the runner reads the rows itself; `\echo` and `\qecho` print a line
 *   into the output (a TAP line, when it looks like one), `\warn` a notice;
 *   `\i` and `\ir` run another file; `\q` ends the file; any other is an error,
 *   as an unknown one is in psql.
 */

/** A byte sequence that is not UTF-8, at `offset` in the decoded text. */
export interface InvalidBytes {
  offset: number;
  /** as PostgreSQL names them: "0xe9 0x20 0x63" */
  bytes: string;
}

/** The file's text, and where its bytes are not UTF-8 (PostgreSQL would refuse the statements holding them). */
export function decodeScript(bytes: Uint8Array): { text: string; invalid: InvalidBytes[] } {
  const decoder = new TextDecoder('utf-8');
  const invalid: InvalidBytes[] = [];
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    // PostgreSQL shows as many bytes as the first one announces (pg_encoding_mblen), at most what is left
    const announced = Math.max(1, Math.min(expectedLength(bytes[i]!), bytes.length - i));
    const shown = Array.from(bytes.subarray(i, i + announced), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
    invalid.push({ offset: decoder.decode(bytes.subarray(0, i)).length, bytes: shown });
    i++;
  }
  return { text: decoder.decode(bytes), invalid };
}

/** How many bytes a UTF-8 sequence's first byte announces (PostgreSQL's pg_utf_mblen). */
function expectedLength(first: number): number {
  if (first < 0x80) return 1;
  if ((first & 0xe0) === 0xc0) return 2;
  if ((first & 0xf0) === 0xe0) return 3;
  if ((first & 0xf8) === 0xf0) return 4;
  return 1;
}

/** The length of the valid UTF-8 sequence at `i`, or 0 when it is not one. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const first = bytes[i]!;
  if (first < 0x80) return 1;
  const length = first >= 0xc2 && first <= 0xdf ? 2 : first >= 0xe0 && first <= 0xef ? 3 : first >= 0xf0 && first <= 0xf4 ? 4 : 0;
  if (length === 0 || i + length > bytes.length) return 0;
  for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  const second = bytes[i + 1]!;
  // overlong forms, surrogates, beyond U+10FFFF
  if ((first === 0xe0 && second < 0xa0) || (first === 0xed && second > 0x9f) || (first === 0xf0 && second < 0x90) || (first === 0xf4 && second > 0x8f))
    return 0;
  return length;
}

export type Variables = Map<string, string>;

/** psql's variables when pg_prove starts it. */
export function pgProveVariables(): Variables {
  return new Map([
    ['ON_ERROR_STOP', '1'],
    ['QUIET', 'on'],
  ]);
}

/** psql's reading of a boolean variable: on, off, true, false, yes, no, 1, 0 (and their prefixes); empty is on. */
export function isOn(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  if (v === '') return true;
  if (v === '0' || v === 'of' || v === 'off' || v === 'interactive') return false;
  return !['false', 'no'].some((word) => word.startsWith(v));
}

const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;
const quoteIdentifier = (value: string) => `"${value.replace(/"/g, '""')}"`;

/**
 * `:name`, `:'name'` and `:"name"` outside quotes, comments and dollar quotes,
 * replaced by the variable's value (as is, as a literal, as an identifier);
 * an unknown variable is left as written, as psql leaves it.
 */
export function interpolate(sql: string, variables: Variables): string {
  if (!sql.includes(':')) return sql;
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    let end = i + 1;
    if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      end = eol < 0 ? n : eol;
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      end = close < 0 ? n : close + 2;
    } else if (c === "'" || c === '"') {
      end = i + 1;
      while (end < n) {
        if (sql[end] === c && sql[end + 1] === c) end += 2;
        else if (sql[end] === c) break;
        else if (c === "'" && sql[end] === '\\' && /[eE]/.test(sql[i - 1] ?? '')) end += 2;
        else end++;
      }
      end = Math.min(n, end + 1);
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag !== null && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        end = close < 0 ? n : close + tag[0].length;
      }
    } else if (c === ':' && next === ':') {
      end = i + 2;
    } else if (c === ':') {
      const match = /^:(?:'([A-Za-z0-9_]+)'|"([A-Za-z0-9_]+)"|([A-Za-z0-9_]+))/.exec(sql.slice(i));
      const name = match?.[1] ?? match?.[2] ?? match?.[3];
      if (match !== null && name !== undefined && variables.has(name)) {
        const value = variables.get(name)!;
        out += match[1] !== undefined ? quoteLiteral(value) : match[2] !== undefined ? quoteIdentifier(value) : value;
        i += match[0].length;
        continue;
      }
    }
    out += sql.slice(i, end);
    i = end;
  }
  return out;
}

/** A meta-command's words, as psql reads them: 'quoted' words unquoted, :variables interpolated. */
function words(text: string, variables: Variables): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    let word = '';
    while (i < text.length && !/\s/.test(text[i]!)) {
      if (text[i] === "'") {
        let j = i + 1;
        while (j < text.length) {
          if (text[j] === "'" && text[j + 1] === "'") {
            word += "'";
            j += 2;
          } else if (text[j] === "'") break;
          else if (text[j] === '\\' && j + 1 < text.length) {
            const escaped = text[j + 1]!;
            word += ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[escaped] ?? escaped;
            j += 2;
          } else word += text[j++];
        }
        i = j + 1;
      } else if (text[i] === ':') {
        const match = /^:(?:'([A-Za-z0-9_]+)'|"([A-Za-z0-9_]+)"|([A-Za-z0-9_]+))/.exec(text.slice(i));
        const name = match?.[1] ?? match?.[2] ?? match?.[3];
        if (match !== null && name !== undefined && variables.has(name)) {
          const value = variables.get(name)!;
          word += match[1] !== undefined ? quoteLiteral(value) : match[2] !== undefined ? quoteIdentifier(value) : value;
          i += match[0].length;
        } else word += text[i++];
      } else word += text[i++];
    }
    out.push(word);
  }
  return out;
}

export type MetaAction =
  | { kind: 'none' }
  | { kind: 'print'; text: string }
  | { kind: 'warn'; text: string }
  | { kind: 'include'; file: string; relative: boolean }
  | { kind: 'quit' }
  | { kind: 'error'; message: string };

/** Only change how psql prints, or what it measures: nothing to do when the runner reads the rows itself. */
const PRINTING = new Set(['pset', 'timing', 't', 'a', 'x', 'f', 'C', 'H', 'T', 'encoding', 'pager', 'conninfo', 'set_format']);

/** Does what a meta-command line (`\set QUIET 1`) says to `variables`, and says what else to do. */
export function metaCommand(line: string, variables: Variables): MetaAction {
  const match = /^\\([A-Za-z_?!]+)(.*)$/s.exec(line);
  if (match === null) return { kind: 'error', message: `invalid command ${line}` };
  const [, command, rest] = match as unknown as [string, string, string];
  const args = words(rest, variables);
  switch (command) {
    case 'set':
      if (args.length === 0) return { kind: 'none' };
      variables.set(args[0]!, args.slice(1).join(''));
      return { kind: 'none' };
    case 'unset':
      if (args[0] !== undefined) variables.delete(args[0]);
      return { kind: 'none' };
    case 'echo':
    case 'qecho':
      return args[0] === '-n' ? { kind: 'print', text: args.slice(1).join(' ') } : { kind: 'print', text: args.join(' ') };
    case 'warn':
      return { kind: 'warn', text: (args[0] === '-n' ? args.slice(1) : args).join(' ') };
    case 'i':
    case 'include':
    case 'ir':
    case 'include_relative':
      if (args[0] === undefined) return { kind: 'error', message: `\\${command}: missing required argument` };
      return { kind: 'include', file: args[0], relative: command === 'ir' || command === 'include_relative' };
    case 'q':
    case 'quit':
      return { kind: 'quit' };
    default:
      if (PRINTING.has(command)) return { kind: 'none' };
      return {
        kind: 'error',
        message: `psql meta-command \\${command} is not supported here: the runner does what psql does with \\set, \\unset, \\echo, \\qecho, \\warn, \\i, \\ir and \\q, and accepts those that only change how psql prints (\\pset, \\timing, ...)`,
      };
  }
}
