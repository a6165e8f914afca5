/**
 * Runs a pgTAP file the way pg_prove does through psql, statement by statement,
 * keeping every row the statements return (pgTAP's functions return TAP lines
 * as rows). An error stops the file, is located at file:line:col, and the
 * session's transaction is rolled back so the next file starts clean.
 */
import { readFile } from 'node:fs/promises';
import { locateSqlError } from './errors.js';
import { splitSql } from './sql-split.js';
import { summariseTap, type FileOutcome } from './tap.js';
import type { Target } from './target.js';

export async function runPgTapFile(target: Target, path: string, shownPath: string): Promise<FileOutcome> {
  const started = Date.now();
  const content = await readFile(path, 'utf8');
  const tap: string[] = [];
  let error: string | null = null;
  for (const statement of splitSql(content)) {
    try {
      tap.push(...(await target.rowsAsText(statement.sql)));
    } catch (caught) {
      error = locateSqlError(caught, shownPath, content, statement.offset).formatted;
      await target.exec('rollback').catch(() => {});
      break;
    }
  }
  return { file: shownPath, tap, error, durationMs: Date.now() - started, summary: summariseTap(tap) };
}
