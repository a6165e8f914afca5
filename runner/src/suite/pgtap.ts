/**
 * Runs a pgTAP file the way pg_prove does through psql, statement by statement,
 * keeping every row the statements return (pgTAP's functions return TAP lines
 * as rows) with the file line of the statement that returned it. psql's part
 * (its meta-commands and variables, the bytes sent as they are) is psql.ts's.
 * An error stops the file (psql's ON_ERROR_STOP, which pg_prove sets), is
 * located at file:line:col. Then the session's transaction is rolled back and
 * the session made as a new one is, so the next file starts as it would in its
 * own psql. A lost connection is not a test failure: it is thrown (a
 * RunnerError, exit 2).
 */
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { locateSqlError } from '../database/sql-file.js';
import { splitSql, type Statement } from '../database/sql-split.js';
import { APPLY_DATABASE_SETTINGS, formatNotice, type Target } from '../database/target.js';
import { RunnerError, describe } from '../errors.js';
import { decodeScript, interpolate, isOn, metaCommand, pgProveVariables } from './psql.js';
import { summariseTap, type FileNotice, type FileOutcome } from './tap.js';

export interface RunFileOptions {
  /** called with each statement's TAP rows as they arrive (so a file stopped half-way keeps them) */
  onRows?: (rows: string[], line: number, ms: number) => void;
  /** called with each statement's notices, after it ran and before its rows are passed on */
  onNotices?: (notices: FileNotice[]) => void;
  /** called before each statement, e.g. to set the server's statement_timeout to the time left */
  beforeStatement?: (statement: Statement) => Promise<void>;
  /** an error raised by a statement that means the file ran out of time, not that it is wrong */
  isTimeout?: (error: unknown) => boolean;
  /** the limit to name when isTimeout says so */
  timeoutSeconds?: number;
  /** asked before each statement: true stops the file there (mutate stops at a file's first failed assertion) */
  stop?: () => boolean;
}

export async function runPgTapFile(target: Target, path: string, shownPath: string, options: RunFileOptions = {}): Promise<FileOutcome> {
  const started = Date.now();
  const tap: string[] = [];
  const lines: (number | null)[] = [];
  const statementMs: number[] = [];
  let error: string | null = null;
  let timedOut = false;
  let statementCount = 0;
  // notices (raise notice, warnings) as psql shows them, each where it came among the rows
  const notices: FileNotice[] = [];
  let heard: string[] = [];
  const variables = pgProveVariables();
  // what psql's ON_ERROR_ROLLBACK needs to know: whether a transaction block is open (by what the file said)
  let inTransaction = false;
  let quit = false;
  const stopListening = target.onNotice((notice) => heard.push(...formatNotice(notice)));
  const keepNotices = (line: number) => {
    if (heard.length === 0) return;
    const these = heard.map((text) => ({ at: tap.length, line, text }));
    heard = [];
    notices.push(...these);
    options.onNotices?.(these);
  };
  const keepRows = (rows: string[], line: number, ms: number) => {
    for (const row of rows) {
      tap.push(row);
      lines.push(line);
      statementMs.push(ms);
    }
    if (rows.length > 0) options.onRows?.(rows, line, ms);
  };

  /** Runs one script (the file, or a file it includes); false when the file must stop there. */
  const runScript = async (file: string, shown: string, depth: number): Promise<boolean> => {
    const { text: content, invalid } = decodeScript(await readFile(file));
    const statements = splitSql(content, { psql: true });
    statementCount += statements.length;
    for (const statement of statements) {
      if (quit) return false;
      if (options.stop?.() === true) return false;
      if (statement.meta === true) {
        const action = metaCommand(statement.sql, variables);
        if (action.kind === 'print') keepRows([action.text], statement.line, 0);
        else if (action.kind === 'warn') heard.push(action.text);
        else if (action.kind === 'quit') quit = true;
        else if (action.kind === 'include') {
          const included = action.relative ? resolve(dirname(file), action.file) : resolve(action.file);
          if (depth >= 16) {
            error = `${shown}:${statement.line}: \\i nested too deep (${included})`;
            return false;
          }
          const ran = await readFile(included).then(
            () => true,
            (caught: NodeJS.ErrnoException) => {
              error = `${shown}:${statement.line}: ${action.file}: ${caught.code === 'ENOENT' ? 'No such file or directory' : describe(caught)}`;
              return false;
            },
          );
          if (!ran || !(await runScript(included, relative(process.cwd(), included), depth + 1))) return false;
        } else if (action.kind === 'error') {
          keepNotices(statement.line);
          if (isOn(variables.get('ON_ERROR_STOP'))) {
            error = `${shown}:${statement.line}: ${action.message}`;
            return false;
          }
          heard.push(`${shown}:${statement.line}: ${action.message}`);
        }
        keepNotices(statement.line);
        continue;
      }
      const word = /^[a-z]+/i.exec(statement.sql)?.[0]?.toLowerCase() ?? '';
      const savepoint = inTransaction && isOn(variables.get('ON_ERROR_ROLLBACK')) && !isOn(variables.get('ON_ERROR_STOP'));
      const statementStarted = Date.now();
      try {
        await options.beforeStatement?.(statement);
        // bytes that are not UTF-8 never reach PostgreSQL's parser: it refuses the statement, as it refuses psql's
        const bad = invalid.find((b) => b.offset >= statement.offset && b.offset < statement.offset + statement.sql.length);
        if (bad !== undefined) throw Object.assign(new Error(`invalid byte sequence for encoding "UTF8": ${bad.bytes}`), { code: '22021' });
        if (savepoint) await target.exec('savepoint pg_psql_temporary_savepoint');
        const rows = await target.rowsAsText(interpolate(statement.sql, variables));
        if (savepoint) await target.exec('release pg_psql_temporary_savepoint');
        if (word === 'begin' || word === 'start') inTransaction = true;
        else if (['commit', 'end', 'abort'].includes(word) || (word === 'rollback' && !/^\w+\s+(work\s+|transaction\s+)?to\b/i.test(statement.sql)))
          inTransaction = false;
        keepNotices(statement.line);
        keepRows(rows, statement.line, Date.now() - statementStarted);
      } catch (caught) {
        if (caught instanceof RunnerError) throw caught;
        keepNotices(statement.line);
        timedOut = options.isTimeout?.(caught) === true;
        const located = locateSqlError(caught, shown, content, statement.offset).formatted;
        if (timedOut || isOn(variables.get('ON_ERROR_STOP'))) {
          error = located;
          return false;
        }
        // psql goes on; the error is on its standard error, which pg_prove shows but does not judge
        if (savepoint) await target.exec('rollback to pg_psql_temporary_savepoint');
        heard.push(...located.split('\n'));
        keepNotices(statement.line);
      }
    }
    return true;
  };

  try {
    await runScript(path, shownPath, 0);
  } finally {
    stopListening();
  }
  // pg_prove runs each file in its own psql, which ends any transaction the file left open and
  // everything its session set: the next file starts as a new session would
  await target.exec('rollback').catch((caught: unknown) => {
    if (caught instanceof RunnerError) throw caught;
  });
  await freshSession(target);
  return {
    file: shownPath,
    tap,
    error,
    durationMs: Date.now() - started,
    summary: summariseTap(tap),
    statements: statementCount,
    lines,
    statementMs,
    ...(notices.length > 0 ? { notices } : {}),
    ...(timedOut && options.timeoutSeconds !== undefined ? { timedOutAfter: options.timeoutSeconds } : {}),
  };
}

/**
 * The session as a new one starts: role, settings, search_path, temporary
 * objects, prepared statements (`discard all`), then the database's and the
 * role's settings (`alter database ... set`), which a new session reads. A
 * server's reset gives them back by itself; PGlite's one session (embedded,
 * or served over a socket) never read them, so they are set again.
 */
export async function freshSession(target: Target): Promise<void> {
  await target.exec('discard all');
  await target.query(APPLY_DATABASE_SETTINGS);
}
