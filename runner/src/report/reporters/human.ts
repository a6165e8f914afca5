/**
 * The human report: progress on a terminal, a line per file, failures
 * explained with the file's notices and diag() lines (every file's with
 * --verbose), a summary, then the closing line `N passed, N failed` alone.
 */
import path from 'node:path';
import { Chalk } from 'chalk';
import { closingLine, filePassed } from '../../suite/tap.js';
import { failureLines, fileLine, keptLines, outputLines, summaryLines, totals } from '../report.js';
import type { ReporterFactory } from '../registry.js';

export const humanReporter: ReporterFactory = (output, config) => {
  const terminal = output.isTTY === true;
  const c = new Chalk({ level: terminal && config.test.colour ? 1 : 0 });
  let total = 0;
  let done = 0;
  const running = new Set<string>();
  const progress = () => {
    if (!terminal || output.status === undefined) return;
    if (running.size === 0) return output.status('');
    const names = [...running].map((f) => path.basename(f)).join(', ');
    output.status(c.dim(`[${done}/${total}] running ${names}`));
  };
  return {
    buildOutput: { info: (line) => output.info(c.dim(line)), warn: (line) => output.warn(c.yellow(line)) },
    started(n) {
      total = n;
      progress();
    },
    fileStarted(file) {
      running.add(file);
      progress();
    },
    fileDone(outcome) {
      running.delete(outcome.file);
      done++;
      output.info(fileLine(outcome, c));
      const passed = filePassed(outcome);
      if (!passed) for (const line of failureLines(outcome, c)) output.info(line);
      for (const line of keptLines(outcome, c)) output.info(line);
      // what the file said (notices, diag): with its failure, and for every file with --verbose
      if (!passed || config.test.verbose) for (const line of outputLines(outcome, c)) output.info(line);
      progress();
    },
    finished({ outcomes, notRun, stopped, totalMs, phases, closing }) {
      output.status?.('');
      if (stopped !== null) output.info(c.yellow(`stopped: ${stopped}${notRun > 0 ? `; ${notRun} file${notRun === 1 ? '' : 's'} not run` : ''}`));
      const t = totals(outcomes, notRun);
      for (const line of summaryLines(t, totalMs, phases, c)) output.info(line);
      if (closing) output.info(closingLine(t.closing.passed, t.closing.failed));
    },
  };
};
