/** Runs a SQL file statement by statement, so an error is reported at its file:line:col. */
import { locateSqlError } from '../errors.js';
import { splitSql, type Statement } from './sql-split.js';
import type { Target } from './target.js';

/** Runs every statement of `content`; throws a SqlFileError at the first failure. */
export async function runSqlFile(target: Target, file: string, content: string, statements = splitSql(content)): Promise<void> {
  for (const statement of statements) {
    await runStatement(target, file, content, statement);
  }
}

export async function runStatement(target: Target, file: string, content: string, statement: Statement): Promise<void> {
  try {
    await target.query(statement.sql);
  } catch (error) {
    throw locateSqlError(error, file, content, statement.offset);
  }
}
