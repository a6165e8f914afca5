/**
 * Runs a pgTAP file the way pg_prove does through psql, statement by statement,
 * keeping every row the statements return (pgTAP's functions return TAP lines
 * as rows) with the file line of the statement that returned it. An error stops
 * the file, is located at file:line:col, and the session's transaction is
 * rolled back so the next file starts clean. A lost connection is not a test
 * failure: it is thrown (a RunnerError, exit 2).
 */
import { readFile } from 'node:fs/promises';
import { locateSqlError } from '../database/sql-file.js';
import { splitSql, type Statement } from '../database/sql-split.js';
import type { Target } from '../database/target.js';
import { RunnerError } from '../errors.js';
import { summariseTap, type FileOutcome } from './tap.js';

export interface RunFileOptions {
  /** called with each statement's TAP rows as they arrive (so a file stopped half-way keeps them) */
  onRows?: (rows: string[], line: number, ms: number) => void;
  /** called before each statement, e.g. to set the server's statement_timeout to the time left */
  beforeStatement?: (statement: Statement) => Promise<void>;
  /** an error raised by a statement that means the file ran out of time, not that it is wrong */
  isTimeout?: (error: unknown) => boolean;
  /** the limit to name when isTimeout says so */
  timeoutSeconds?: number;
}

export async function runPgTapFile(
  target: Target,
  path: string,
  shownPath: string,
  options: RunFileOptions = {},
): Promise<FileOutcome> {
  const started = Date.now();
  const content = await readFile(path, 'utf8');
  const tap: string[] = [];
  const lines: (number | null)[] = [];
  const statementMs: number[] = [];
  let error: string | null = null;
  let timedOut = false;
  const statements = splitSql(content);
  for (const statement of statements) {
    const statementStarted = Date.now();
    try {
      await options.beforeStatement?.(statement);
      const rows = await target.rowsAsText(statement.sql);
      const ms = Date.now() - statementStarted;
      for (const row of rows) {
        tap.push(row);
        lines.push(statement.line);
        statementMs.push(ms);
      }
      if (rows.length > 0) options.onRows?.(rows, statement.line, ms);
    } catch (caught) {
      if (caught instanceof RunnerError) throw caught;
      timedOut = options.isTimeout?.(caught) === true;
      error = locateSqlError(caught, shownPath, content, statement.offset).formatted;
      break;
    }
  }
  // pg_prove runs each file in its own psql, which ends any transaction the file left open
  await target.exec('rollback').catch((caught: unknown) => {
    if (caught instanceof RunnerError) throw caught;
  });
  return {
    file: shownPath,
    tap,
    error,
    durationMs: Date.now() - started,
    summary: summariseTap(tap),
    statements: statements.length,
    lines,
    statementMs,
    ...(timedOut && options.timeoutSeconds !== undefined ? { timedOutAfter: options.timeoutSeconds } : {}),
  };
}
