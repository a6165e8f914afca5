/**
 * `rls [--write]`: builds a fresh database (embedded: in memory; server: reset,
 * behind the same guards as `test`), probes row level security as every actor
 * (suite/rls-probe.ts; removed by issue 12), and compares what happened with supabase/rls-matrix.txt.
 * Prints every differing cell; exit 0 when all match, 1 on any difference (an
 * unexpected allow as much as an unexpected deny), on a malformed matrix file,
 * when the probe cannot run, or when docs/rls-matrix.md is not what the
 * database does. `--write` (re)writes docs/rls-matrix.md from the observed
 * matrix instead of checking it, whatever the comparison says.
 *
 * suite/rls-check.ts gives the same comparison as one TAP file outcome, for the
 * `test` command's report.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import chalk from 'chalk';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { openResetTarget, rebuild } from '../database/reset.js';
import type { Output } from '../output.js';
import {
  REGENERATE,
  docsUpToDate,
  markdownPath,
  matrixPath,
  readMatrix,
  staleMessage,
  unprobedMessage,
} from '../suite/rls-check.js';
import { ACTORS, COMMANDS, MatrixError, diffMatrices, formatDiffs, renderMarkdown, type Matrix } from '../suite/rls-matrix.js';
import { ProbeError, TABLE_KINDS, probeRls, type ProbeResult } from '../suite/rls-probe.js';

export interface RlsOptions {
  /** write docs/rls-matrix.md from the observed matrix */
  write: boolean;
}

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
  if (options.write) {
    await mkdir(path.dirname(docs), { recursive: true });
    await writeFile(docs, markdown);
    output.info(`rls: wrote ${shown(config, docs)} from the observed matrix`);
  } else if (!(await docsUpToDate(config, markdown))) {
    failed = true;
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
  } else {
    output.info(`rls: all ${cells} cells as ${file} says`);
  }
  return failed ? 1 : 0;
}
