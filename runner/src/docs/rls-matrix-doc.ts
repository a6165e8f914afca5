/**
 * `docs --rls-matrix`: the RLS matrix page, from the statement of intent the suite proves.
 *
 * A project states who may do what in a pgTAP file, as the statement
 * `create temporary table rls_matrix (...) as values (...)`, which the file
 * then checks cell by cell (supabase/tests/270_rls_matrix.sql here). The runner
 * knows nothing of the tables or the vocabulary: it finds that statement among
 * the test files, runs it alone in a transaction that is rolled back, and
 * renders whatever columns and rows it makes as a Markdown table, under the
 * comment written right above the statement (the legend). So the page and the
 * tests cannot disagree: both read the same values list.
 */
import { readFile } from 'node:fs/promises';
import { glob } from 'zx';
import { locateSqlError } from '../database/sql-file.js';
import { splitSql } from '../database/sql-split.js';
import type { Target } from '../database/target.js';
import { RunnerError, isPgError } from '../errors.js';

export const MATRIX_TABLE = 'rls_matrix';
const CREATES_MATRIX = /^create\s+(?:temp|temporary)\s+table\s+(?:if\s+not\s+exists\s+)?(?:pg_temp\.)?rls_matrix\b/i;

export interface MatrixStatement {
  /** the statement that creates the matrix */
  sql: string;
  /** its offset in the file, for errors */
  offset: number;
  /** the comment lines right above it, without their `--`, up to a blank line or a `-- ====` banner */
  legend: string[];
}

/** The statement of `script` that creates the matrix, with its legend; null when there is none. Pure. */
export function findMatrixStatement(script: string): MatrixStatement | null {
  const statement = splitSql(script).find((s) => CREATES_MATRIX.test(s.sql));
  if (statement === undefined) return null;
  const above = script.slice(0, statement.offset).split('\n');
  above.pop(); // the statement's own line, up to where it starts
  const legend: string[] = [];
  for (let i = above.length - 1; i >= 0; i--) {
    const line = (above[i] as string).trim();
    if (!line.startsWith('--') || /^--\s*={3,}/.test(line)) break;
    legend.unshift(line.replace(/^--\s?/, ''));
  }
  return { sql: statement.sql, offset: statement.offset, legend };
}

export interface MatrixSource extends MatrixStatement {
  /** the test file, absolute */
  file: string;
  /** the file as shown in messages and on the page */
  shown: string;
  content: string;
}

/** The one test file under `testsDir` that states the matrix; null when none does. Two are an input error. */
export async function findMatrixSource(testsDir: string, shown: (file: string) => string): Promise<MatrixSource | null> {
  const files = (await glob(['**/*.sql', '**/*.pg'], { cwd: testsDir, absolute: true }).catch(() => [])).sort();
  const found: MatrixSource[] = [];
  for (const file of files) {
    const content = await readFile(file, 'utf8');
    if (!content.includes(MATRIX_TABLE)) continue;
    const statement = findMatrixStatement(content);
    if (statement !== null) found.push({ ...statement, file, shown: shown(file), content });
  }
  if (found.length > 1) {
    throw new RunnerError('input', `more than one test file creates the RLS matrix (${found.map((f) => f.shown).join(', ')}): keep one`);
  }
  return found[0] ?? null;
}

export interface MatrixTable {
  columns: string[];
  rows: string[][];
}

/**
 * Runs the statement on `target` in a transaction that is rolled back, and
 * reads the matrix in its order. A statement that fails is an input error at
 * its file:line:col.
 */
export async function readMatrixTable(target: Target, source: MatrixSource): Promise<MatrixTable> {
  await target.exec('begin');
  try {
    try {
      await target.exec(source.sql);
    } catch (error) {
      if (!isPgError(error)) throw error;
      throw new RunnerError('input', `the RLS matrix cannot be read:\n${locateSqlError(error, source.shown, source.content, source.offset).formatted}`);
    }
    const lines = await target.query<{ line: string }>(`select to_json(m)::text as line from pg_temp.${MATRIX_TABLE} m order by m.ctid`);
    const columns = await target.query<{ name: string }>(
      `select attname::text as name from pg_catalog.pg_attribute
        where attrelid = 'pg_temp.${MATRIX_TABLE}'::regclass and attnum > 0 and not attisdropped order by attnum`,
    );
    const names = columns.map((c) => c.name);
    return {
      columns: names,
      rows: lines.map(({ line }) => {
        const row = JSON.parse(line) as Record<string, unknown>;
        return names.map((n) => (row[n] === null || row[n] === undefined ? '' : String(row[n])));
      }),
    };
  } finally {
    await target.exec('rollback');
  }
}

/** A cell longer than this does not widen its column: it overflows, so the other lines stay as they are. */
const WIDEST = 24;

/** The page: where it comes from, the legend, the matrix. Pure. */
export function renderMatrixMarkdown(matrix: MatrixTable, source: { shown: string; legend: string[] }, regenerate: string): string {
  const widths = matrix.columns.map((name, i) => Math.max(name.length, ...matrix.rows.map((r) => (r[i] ?? '').length).filter((n) => n <= WIDEST)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.replace(/\|/g, '\\|').padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const out = [
    `<!-- Generated by \`${regenerate}\` from ${source.shown}; do not edit by hand. -->`,
    '',
    '# Row level security: who may do what',
    '',
    `The statement of intent of \`${source.shown}\`, which proves every cell against the database ` +
      '(`pg-tap-runner test`, `pg_prove`, `supabase test db`). ' +
      `\`${regenerate}\` renders this page from it, and CI fails when the page is stale.`,
    '',
  ];
  if (source.legend.length > 0) out.push(...source.legend, '');
  out.push(line(matrix.columns), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...matrix.rows.map(line), '');
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
