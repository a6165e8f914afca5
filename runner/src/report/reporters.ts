/**
 * The `test` command's reporters. Files finish in any order (parallel jobs);
 * reporters print them in path order, each as soon as every file before it is done.
 * - human: progress on a terminal, a line per file, failures explained with the
 *   file's notices and diag() lines (every file's with --verbose), a summary,
 *   then the closing line `N passed, N failed` alone;
 * - tap: one TAP 14 document, a subtest per file (notices as comments, as for
 *   the human report), the closing line after it as a TAP comment (`# N passed, N failed`).
 * Both also write reports/junit.xml and reports/tap/<file>.tap (writeReports).
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Chalk, type ChalkInstance } from 'chalk';
import { shown, type Config } from '../config.js';
import type { Output } from '../output.js';
import { closingLine, filePassed, subtest, type FileOutcome } from '../suite/tap.js';
import { claimFolder, fileError, markFolder, writeAtomically } from '../database/folders.js';
import { failureLines, fileLine, junitXml, keptLines, outputLines, rawTap, seconds, summaryLines, totals, type RunStop } from './report.js';

export interface Reporter {
  /** where the database build writes its messages */
  readonly buildOutput: Output;
  started(total: number): void;
  fileStarted(file: string): void;
  fileDone(index: number, outcome: FileOutcome): void;
  /**
   * the end of the run; `phases` says where the time went ("start 1.2 s, database 9.8 s, ...",
   * adding up to `totalMs`); `closing` false when the run was cut short by a connection problem
   */
  finished(outcomes: FileOutcome[], notRun: number, stopped: string | null, totalMs: number, phases: string, closing: boolean): void;
}

/** Calls `print` for outcomes in index order, each as soon as all before it are in. */
class InOrder {
  private readonly waiting = new Map<number, FileOutcome>();
  private next = 0;
  constructor(private readonly print: (outcome: FileOutcome, position: number) => void) {}
  add(index: number, outcome: FileOutcome): void {
    this.waiting.set(index, outcome);
    while (this.waiting.has(this.next)) {
      this.print(this.waiting.get(this.next)!, this.next);
      this.waiting.delete(this.next++);
    }
  }
  /** what is left after a stop, in order */
  flush(): void {
    for (const index of [...this.waiting.keys()].sort((a, b) => a - b)) this.print(this.waiting.get(index)!, index);
    this.waiting.clear();
  }
}

export function humanReporter(output: Output, config: Config): Reporter {
  const terminal = output.isTTY === true;
  const c: ChalkInstance = new Chalk({ level: terminal && config.test.colour ? 1 : 0 });
  let total = 0;
  let done = 0;
  const running = new Set<string>();
  const progress = () => {
    if (!terminal || output.status === undefined) return;
    if (running.size === 0) return output.status('');
    const names = [...running].map((f) => path.basename(f)).join(', ');
    output.status(c.dim(`[${done}/${total}] running ${names}`));
  };
  const order = new InOrder((outcome) => {
    output.info(fileLine(outcome, c));
    const passed = filePassed(outcome);
    if (!passed) for (const line of failureLines(outcome, c)) output.info(line);
    for (const line of keptLines(outcome, c)) output.info(line);
    // what the file said (notices, diag): with its failure, and for every file with --verbose
    if (!passed || config.test.verbose) for (const line of outputLines(outcome, c)) output.info(line);
    progress();
  });
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
    fileDone(index, outcome) {
      running.delete(outcome.file);
      done++;
      order.add(index, outcome);
    },
    finished(outcomes, notRun, stopped, totalMs, phases, closing) {
      order.flush();
      output.status?.('');
      if (stopped !== null) output.info(c.yellow(`stopped: ${stopped}${notRun > 0 ? `; ${notRun} file${notRun === 1 ? '' : 's'} not run` : ''}`));
      const t = totals(outcomes, notRun);
      for (const line of summaryLines(t, totalMs, phases, c)) output.info(line);
      if (closing) output.info(closingLine(t.closing.passed, t.closing.failed));
    },
  };
}

export function tapReporter(output: Output, config: Config): Reporter {
  let printed = 0;
  let bailed = false;
  const order = new InOrder((outcome) => {
    if (bailed) return;
    printed++;
    // notices as comments, where they came: for a failing file, and for every file with --verbose
    const withNotices = !filePassed(outcome) || config.test.verbose;
    for (const line of subtest(outcome, printed, withNotices)) output.info(line);
    if (outcome.summary.bailout !== null) {
      bailed = true;
      output.info(`Bail out! ${outcome.file}: ${outcome.summary.bailout}`);
    }
  });
  // the build's messages are TAP comments, so the stream stays valid TAP
  const comment = (line: string) => output.info(`# ${line}`);
  return {
    buildOutput: { info: comment, warn: (line) => output.warn(line) },
    started() {
      output.info('TAP version 14');
    },
    fileStarted() {},
    fileDone(index, outcome) {
      order.add(index, outcome);
    },
    finished(outcomes, notRun, stopped, totalMs, phases, closing) {
      order.flush();
      if (!bailed) {
        if (stopped !== null) comment(`stopped: ${stopped}; ${notRun} file${notRun === 1 ? '' : 's'} not run`);
        output.info(`1..${printed}`);
      }
      const t = totals(outcomes, notRun);
      const files = t.files.passed + t.files.failed + t.files.skipped;
      comment(`${files} file${files === 1 ? '' : 's'}, ${t.files.failed} failed, ${seconds(totalMs)}${phases ? `: ${phases}` : ''}`);
      // after the plan, everything is a comment: the stream stays TAP to its last line
      if (closing) comment(closingLine(t.closing.passed, t.closing.failed));
    },
  };
}

/**
 * reports/junit.xml and reports/tap/<file>.tap, for every file that ran; when
 * the run was stopped (`stopped`), an error naming why and every file that did
 * not run, in junit.xml and in tap/ (`run-stopped.tap`, and a `Bail out!` for
 * each file not run). The last run's reports go first, so a failed write never
 * leaves them beside this run's; each file is written whole or not at all.
 */
export async function writeReports(config: Config, outcomes: FileOutcome[], stopped?: RunStop): Promise<void> {
  const dir = await reportsDir(config);
  const tapFile = (file: string) => path.join(dir, 'tap', `${file.replace(/^(\.\.\/)+/, '').replace(/^\//, '')}.tap`);
  const write = async (file: string, content: string) => {
    try {
      await mkdir(path.dirname(file), { recursive: true });
    } catch (error) {
      throw fileError(error, `write the reports in ${shown(config, dir)}`);
    }
    await writeAtomically(file, content, shown(config, file));
  };
  for (const outcome of outcomes) await write(tapFile(outcome.file), rawTap(outcome));
  if (stopped !== undefined) {
    for (const file of stopped.notRun) await write(tapFile(file), `Bail out! not run: ${stopped.reason}\n`);
    await write(path.join(dir, 'tap', 'run-stopped.tap'), [`Bail out! ${stopped.reason}`, ...stopped.notRun.map((f) => `# not run: ${f}`)].join('\n') + '\n');
  }
  await write(path.join(dir, 'junit.xml'), junitXml(outcomes, stopped === undefined ? {} : { stopped }));
}

/**
 * Before a run: the reports folder is the runner's (or new, or empty) and
 * writable, or the run is refused before anything is built; the last run's
 * reports are removed and junit.xml says this run has not finished (`files`
 * not run), which stays if the process is killed before it writes its own.
 */
export async function startReports(config: Config, files: string[]): Promise<void> {
  const dir = await reportsDir(config);
  await writeAtomically(
    path.join(dir, 'junit.xml'),
    junitXml([], { stopped: { reason: `the run did not finish (it started at ${new Date().toISOString()} and wrote no report)`, notRun: files } }),
    shown(config, path.join(dir, 'junit.xml')),
  );
}

/** The reports folder, claimed and marked, without the last run's junit.xml and tap/. */
async function reportsDir(config: Config): Promise<string> {
  const dir = await claimReports(config);
  const shownDir = shown(config, dir);
  try {
    await rm(path.join(dir, 'tap'), { recursive: true, force: true });
    await rm(path.join(dir, 'junit.xml'), { force: true });
  } catch (error) {
    throw fileError(error, `remove the last run's reports from ${shownDir}`);
  }
  return dir;
}

/**
 * The reports folder, when it is the runner's (or new, or empty); refused
 * otherwise, nothing touched. `create` (default) makes and marks it, which
 * also proves it writable.
 */
export async function claimReports(config: Config, options: { create?: boolean } = {}): Promise<string> {
  const dir = config.test.reportsDir;
  const shownDir = shown(config, dir);
  const state = await claimFolder(dir, 'reports', shownDir, 'write the reports there');
  if (state !== 'marked' && options.create !== false) await markFolder(dir, 'reports', shownDir);
  return dir;
}
