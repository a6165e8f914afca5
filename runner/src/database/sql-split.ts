/**
 * Splits a SQL script into statements the way psql does: semicolons end a
 * statement except inside quotes, dollar quotes, comments, parentheses or a
 * `begin atomic ... end` body. Pure: no database, no file system.
 *
 * Each statement keeps its offset, line and column in the script, so an error
 * position reported by PostgreSQL for one statement maps back to the file.
 */

export interface Statement {
  /** the statement's text, without the terminating semicolon */
  sql: string;
  /** offset of the statement's first character in the script */
  offset: number;
  /** 1-based line of the statement's first character */
  line: number;
  /** 1-based column of the statement's first character */
  column: number;
  /** a psql meta-command (`\set QUIET 1`): the line from its backslash, not SQL (only with `psql`) */
  meta?: true;
}

export interface SplitOptions {
  /**
   * psql's meta-commands: a backslash outside quotes and comments starts one,
   * which runs to the end of its line (pgTAP files: `\set ON_ERROR_STOP 1`).
   * Without this, a backslash is just a character (migrations are not psql scripts).
   */
  psql?: boolean;
}

export function splitSql(script: string, options: SplitOptions = {}): Statement[] {
  const statements: Statement[] = [];
  const n = script.length;
  let start = -1; // offset of the first significant character of the current statement
  let parens = 0;
  let atomicDepth = 0; // inside `begin atomic`, nested `case` ... `end`
  let previousWord = '';
  let i = 0;

  const flush = (end: number) => {
    if (start >= 0) {
      const sql = script.slice(start, end).trimEnd();
      if (sql.length > 0) statements.push({ sql, offset: start, ...lineColumn(script, start) });
    }
    start = -1;
    parens = 0;
    atomicDepth = 0;
    previousWord = '';
  };

  while (i < n) {
    const c = script[i]!;
    const next = script[i + 1];

    if (c === '-' && next === '-') {
      i = skipLineComment(script, i);
      continue;
    }
    if (c === '/' && next === '*') {
      i = skipBlockComment(script, i);
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '\\' && options.psql === true) {
      // psql sends what it has gathered only at a semicolon or \g; a meta-command on its own line is the common case
      flush(i);
      const eol = script.indexOf('\n', i);
      const end = eol < 0 ? n : eol;
      statements.push({ sql: script.slice(i, end).trimEnd(), offset: i, ...lineColumn(script, i), meta: true });
      i = end;
      continue;
    }
    if (start < 0) start = i;

    if (c === "'") {
      const escaped = i > 0 && /[eE]/.test(script[i - 1]!) && !isIdentChar(script[i - 2]);
      i = skipQuoted(script, i, "'", escaped);
      previousWord = '';
      continue;
    }
    if (c === '"') {
      i = skipQuoted(script, i, '"', false);
      previousWord = '';
      continue;
    }
    if (c === '$') {
      const tag = dollarTag(script, i);
      if (tag !== null && !isIdentChar(script[i - 1])) {
        const close = script.indexOf(tag, i + tag.length);
        i = close < 0 ? n : close + tag.length;
        previousWord = '';
        continue;
      }
    }
    if (c === '(') parens++;
    else if (c === ')') parens = Math.max(0, parens - 1);
    else if (c === ';' && parens === 0 && atomicDepth === 0) {
      flush(i);
      i++;
      continue;
    }

    if (isIdentStart(c) && !isIdentChar(script[i - 1])) {
      let j = i + 1;
      while (j < n && isIdentChar(script[j])) j++;
      const word = script.slice(i, j).toLowerCase();
      if (word === 'atomic' && previousWord === 'begin') atomicDepth++;
      else if (atomicDepth > 0 && word === 'case') atomicDepth++;
      else if (atomicDepth > 0 && word === 'end') atomicDepth--;
      previousWord = word;
      i = j;
      continue;
    }
    i++;
  }
  flush(n);
  return statements;
}

/** 1-based line and column of an offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function skipLineComment(s: string, i: number): number {
  const end = s.indexOf('\n', i);
  return end < 0 ? s.length : end + 1;
}

function skipBlockComment(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    if (s[i] === '/' && s[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (s[i] === '*' && s[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return i;
}

/** Skips '...' or "..." starting at i; doubled quotes stay inside, backslashes escape in E'' strings. */
function skipQuoted(s: string, i: number, quote: string, backslashEscapes: boolean): number {
  i++;
  while (i < s.length) {
    const c = s[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (s[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return i;
}

/** The dollar-quote tag starting at i (`$$` or `$name$`), or null when `$` starts something else ($1). */
function dollarTag(s: string, i: number): string | null {
  const match = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(s.slice(i, i + 64));
  return match ? match[0] : null;
}

function isIdentStart(c: string): boolean {
  return /[A-Za-z_\u0080-\uffff]/.test(c);
}

function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
}
