/**
 * `rls [--write]`: builds a fresh database (embedded: in memory; server: reset,
 * behind the same guards as `test`), probes row level security as every actor
 * (lib/rls-probe.ts), and compares what happened with supabase/rls-matrix.txt.
 * Prints every differing cell; exit 0 when all match, 1 on any difference (an
 * unexpected allow as much as an unexpected deny), on a malformed matrix file,
 * when the probe cannot run, or when docs/rls-matrix.md is not what the
 * database does. `--write` (re)writes docs/rls-matrix.md from the observed
 * matrix instead of checking it, whatever the comparison says.
 *
 * rlsMatrixOutcome() gives the same comparison as one TAP file outcome, for the
 * `test` command's report.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import chalk from 'chalk';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import type { Output } from '../lib/output.js';
import {
  ACTORS,
  COMMANDS,
  MatrixError,
  diffMatrices,
  formatDiffs,
  matrixErrorTap,
  matrixTap,
  parseMatrix,
  renderMarkdown,
  type Matrix,
} from '../lib/rls-matrix.js';
import { ProbeError, TABLE_KINDS, probeRls, type ProbeResult } from '../lib/rls-probe.js';
import { summariseTap, type FileOutcome } from '../lib/tap.js';
import type { Target } from '../lib/target.js';
import { openResetTarget, rebuild } from './reset.js';

export interface RlsOptions {
  /** write docs/rls-matrix.md from the observed matrix */
  write: boolean;
}

export const REGENERATE = 'npx tsx runner/src/cli.ts rls --write';

export const matrixPath = (config: Config) => path.join(config.supabaseDir, 'rls-matrix.txt');
export const markdownPath = (config: Config) => path.join(config.root, 'docs', 'rls-matrix.md');

export async function rlsCommand(config: Config, output: Output, options: RlsOptions = { write: false }): Promise<number> {
  const file = shown(config, matrixPath(config));
  let expected: Matrix;
  try {
    expected = await readMatrix(config);
  } catch (error) {
    if (!(error instanceof MatrixError)) throw error;
    output.warn(chalk.red(`rls: ${file} is not a complete matrix:`));
    for (const problem of error.problems) output.warn(`  ${problem}`);
    return 1;
  }

  const started = Date.now();
  const target = await openResetTarget(config, output, { memory: true, action: 'reset the database before probing row level security' });
  let probe: ProbeResult;
  try {
    await rebuild(target, config, output);
    output.info(`rls: database ready in ${Date.now() - started} ms`);
    probe = await probeRls(target);
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    output.warn(chalk.red(`rls: ${error.message}`));
    return 1;
  } finally {
    await target.close();
  }
  output.info(`rls: ${probe.probes} probes of ${target.label} in ${probe.durationMs} ms`);

  const docs = markdownPath(config);
  const markdown = renderMarkdown(probe.observed, { kinds: TABLE_KINDS, regenerate: REGENERATE, intentFile: file });
  let failed = false;
  let docsOk = true;
  if (options.write) {
    await mkdir(path.dirname(docs), { recursive: true });
    await writeFile(docs, markdown);
    output.info(`rls: wrote ${shown(config, docs)} from the observed matrix`);
  } else if (!(await docsUpToDate(config, markdown))) {
    failed = true;
    docsOk = false;
    output.warn(chalk.red(`rls: ${staleMessage(config)}`));
  }

  const diffs = diffMatrices(expected, probe.observed);
  const cells = expected.tables.length * ACTORS.length * COMMANDS.length;
  if (probe.unprobedTables.length > 0) {
    failed = true;
    output.warn(chalk.red(`rls: ${unprobedMessage(probe.unprobedTables)}`));
  }
  if (diffs.length > 0) {
    failed = true;
    const allows = diffs.filter((d) => d.direction === 'allow').length;
    output.warn(
      chalk.red(
        `rls: ${diffs.length} of ${cells} cells differ from ${file}` +
          (allows > 0 ? ` (${allows} unexpected allow${allows === 1 ? '' : 's'})` : ''),
      ),
    );
    for (const line of formatDiffs(diffs)) output.warn(`  ${line}`);
  }
  // the checks as `test` counts them in supabase/rls-matrix.txt: every cell, every table probed, the docs
  const passed = cells - diffs.length + (probe.unprobedTables.length === 0 ? 1 : 0) + (docsOk ? 1 : 0);
  const summary = `rls: ${passed}/${cells + 2} checks as ${file} says (${cells} cells, every table probed, ${shown(config, docs)} up to date)`;
  if (failed) output.warn(chalk.red(summary));
  else output.info(summary);
  return failed ? 1 : 0;
}

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
async function docsUpToDate(config: Config, markdown: string): Promise<boolean> {
  const current = await readFile(markdownPath(config), 'utf8').catch(() => null);
  return current === markdown;
}

function staleMessage(config: Config): string {
  return `${shown(config, markdownPath(config))} is missing or out of date: run ${REGENERATE} and commit it`;
}

function unprobedMessage(tables: string[]): string {
  return `not probed: ${tables.join(', ')}; add ${tables.length === 1 ? 'it' : 'them'} to runner/src/lib/rls-probe.ts and supabase/rls-matrix.txt`;
}
