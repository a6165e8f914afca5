/**
 * The runner's errors and how a SQL error reads: once, where it is understood,
 * as `file:line:col`, a few lines of the file with a caret, SQLSTATE, detail and hint
 * (database/sql-file.ts locates an error in its file).
 */

/**
 * A problem that ends the run with exit code 2: usage, configuration, refusal,
 * connection, a file that cannot be written, or a crash (a worker thread that
 * died or failed: the runner's or the runtime's fault, exit 2 as any unexpected error),
 * or input (what a project's file states and the runner cannot use: an RLS matrix
 * stated twice, or one that fails). Printed as its message alone; a plain Error is a
 * bug, printed with its stack.
 */
export class RunnerError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly kind: 'usage' | 'config' | 'refused' | 'connection' | 'file' | 'crash' | 'input',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The run was stopped from outside: a signal (Ctrl-C is SIGINT), or standard
 * output closed by its reader (`... | head`, EPIPE). It ends with 128 + the
 * signal's number, as a shell reports a process a signal killed.
 */
export class Interrupted extends Error {
  readonly exitCode: number;
  constructor(readonly signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGPIPE') {
    super(signal === 'SIGPIPE' ? 'standard output was closed by its reader (EPIPE)' : `interrupted by ${signal}${signal === 'SIGINT' ? ' (Ctrl-C)' : ''}`);
    this.exitCode = 128 + { SIGHUP: 1, SIGINT: 2, SIGPIPE: 13, SIGTERM: 15 }[signal];
  }
}

export const usage = (message: string) => new RunnerError('usage', message);
export const refused = (message: string) => new RunnerError('refused', message);
export const connection = (message: string) => new RunnerError('connection', message);
export const crash = (message: string) => new RunnerError('crash', message);

/** The fields PostgreSQL sends with an error, as both pg and PGlite expose them. */
export interface PgErrorFields {
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
  internalPosition?: string;
  internalQuery?: string;
}

/**
 * An error PostgreSQL sent: its code is a SQLSTATE (five digits or capitals),
 * not a Node.js code (ECONNREFUSED, EPIPE: every one starts with E, as no SQLSTATE class does).
 */
export function isPgError(error: unknown): error is Error & PgErrorFields {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^[0-9A-DF-Z][0-9A-Z]{4}$/.test(code);
}

/** A SQL error located in a file: the statement's offset in the file plus the error's position. */
export class SqlFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly formatted: string,
    readonly cause: unknown,
  ) {
    super(formatted);
  }
}

export function formatSqlError(fields: PgErrorFields, file: string, script: string, line: number, column: number): string {
  const out = [`${file}:${line}:${column}: ERROR: ${fields.message}`];
  const lines = script.split('\n');
  const first = Math.max(1, line - 2);
  const width = String(line).length;
  for (let l = first; l <= line; l++) {
    out.push(`  ${String(l).padStart(width)} | ${lines[l - 1] ?? ''}`);
  }
  out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`);
  if (fields.code) out.push(`  SQLSTATE: ${fields.code}`);
  if (fields.detail) out.push(`  DETAIL: ${fields.detail}`);
  if (fields.hint) out.push(`  HINT: ${fields.hint}`);
  if (fields.where) out.push(`  CONTEXT: ${fields.where.split('\n').join('\n           ')}`);
  return out.join('\n');
}

/** A one-line description of any thrown value, for messages that are not about a file. */
export function describe(error: unknown): string {
  if (isPgError(error)) return `${error.message} (SQLSTATE ${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
