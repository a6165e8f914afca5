/**
 * The RLS matrix check that the `rls` and `test` commands share (removed by
 * issue 12): where the matrix and its Markdown live, reading the matrix, and
 * the comparison as one TAP file outcome (`rlsMatrixOutcome`), which the `test`
 * command reports as the file supabase/rls-matrix.txt.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import type { Target } from '../database/target.js';
import { matrixErrorTap, matrixTap, MatrixError, parseMatrix, renderMarkdown, type Matrix } from './rls-matrix.js';
import { ProbeError, TABLE_KINDS, probeRls, type ProbeResult } from './rls-probe.js';
import { summariseTap, type FileOutcome } from './tap.js';

export const REGENERATE = 'npx tsx runner/src/cli.ts rls --write';

export const matrixPath = (config: Config) => path.join(config.supabaseDir, 'rls-matrix.txt');
export const markdownPath = (config: Config) => path.join(config.root, 'docs', 'rls-matrix.md');

/** The matrix file, parsed against the tables the probe knows. Throws MatrixError. */
export async function readMatrix(config: Config): Promise<Matrix> {
  const file = matrixPath(config);
  return parseMatrix(await readFile(file, 'utf8'), TABLE_KINDS, shown(config, file));
}

/**
 * The comparison as one TAP file outcome, for the `test` command: probes `target`
 * (already migrated and seeded; the probe rolls back everything it does) and
 * returns one assertion per cell of supabase/rls-matrix.txt, described like
 * "admin may update automations: all", then "every table of schema public is in
 * the matrix" and "docs/rls-matrix.md shows what the database does". A malformed matrix file is one failing assertion listing the
 * problems; a probe that cannot run is the outcome's `error`. Call it outside a
 * transaction: the probe begins its own and always rolls it back.
 */
export async function rlsMatrixOutcome(target: Target, config: Config): Promise<FileOutcome> {
  const started = Date.now();
  const file = shown(config, matrixPath(config));
  const outcome = (tap: string[], error: string | null = null): FileOutcome => ({
    file,
    tap,
    error,
    durationMs: Date.now() - started,
    summary: summariseTap(tap),
  });
  let expected: Matrix;
  try {
    expected = await readMatrix(config);
  } catch (error) {
    if (error instanceof MatrixError) return outcome(matrixErrorTap(file, error.problems));
    throw error;
  }
  let probe: ProbeResult;
  try {
    probe = await probeRls(target);
  } catch (error) {
    if (error instanceof ProbeError) return outcome([], `rls probe: ${error.message}`);
    throw error;
  }
  const markdown = renderMarkdown(probe.observed, { kinds: TABLE_KINDS, regenerate: REGENERATE, intentFile: file });
  const docsOk = await docsUpToDate(config, markdown);
  return outcome(
    matrixTap(expected, probe.observed, [
      {
        ok: probe.unprobedTables.length === 0,
        description: 'every table of schema public is in the matrix',
        diagnostics: probe.unprobedTables.length > 0 ? [unprobedMessage(probe.unprobedTables)] : [],
      },
      {
        ok: docsOk,
        description: `${shown(config, markdownPath(config))} shows what the database does`,
        diagnostics: docsOk ? [] : [staleMessage(config)],
      },
    ]),
  );
}

/** Whether docs/rls-matrix.md is exactly what the observed matrix renders to. */
export async function docsUpToDate(config: Config, markdown: string): Promise<boolean> {
  const current = await readFile(markdownPath(config), 'utf8').catch(() => null);
  return current === markdown;
}

export function staleMessage(config: Config): string {
  return `${shown(config, markdownPath(config))} is missing or out of date: run ${REGENERATE} and commit it`;
}

export function unprobedMessage(tables: string[]): string {
  return `not probed: ${tables.join(', ')}; add ${tables.length === 1 ? 'it' : 'them'} to runner/src/suite/rls-probe.ts and supabase/rls-matrix.txt`;
}
