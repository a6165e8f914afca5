/** Runs a SQL file statement by statement, so an error is reported at its file:line:col. */
import { SqlFileError, formatSqlError, isPgError, type PgErrorFields } from '../errors.js';
import { lineColumn, splitSql, type Statement } from './sql-split.js';
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

/**
 * Locates an error raised by a statement that starts at `statementOffset` in `script`
 * and formats it. Without a position (a constraint violation, say) it points at the statement.
 */
export function locateSqlError(error: unknown, file: string, script: string, statementOffset: number): SqlFileError {
  const fields: PgErrorFields = isPgError(error) ? error : { message: error instanceof Error ? error.message : String(error) };
  const position = Number(fields.position);
  const offset = Number.isInteger(position) && position > 0 ? statementOffset + position - 1 : statementOffset;
  const { line, column } = lineColumn(script, offset);
  return new SqlFileError(file, line, column, formatSqlError(fields, file, script, line, column), error);
}
