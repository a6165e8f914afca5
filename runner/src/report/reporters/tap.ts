/**
 * One TAP 14 document: a subtest per file (notices as comments, as for the
 * human report), the closing line after it as a TAP comment (`# N passed, N failed`).
 */
import { closingLine, filePassed, subtest } from '../../suite/tap.js';
import { seconds, totals } from '../report.js';
import type { ReporterFactory } from '../registry.js';

export const tapReporter: ReporterFactory = (output, config) => {
  let printed = 0;
  let bailed = false;
  // the build's messages are TAP comments, so the stream stays valid TAP
  const comment = (line: string) => output.info(`# ${line}`);
  return {
    buildOutput: { info: comment, warn: (line) => output.warn(line) },
    started() {
      output.info('TAP version 14');
    },
    fileStarted() {},
    fileDone(outcome) {
      if (bailed) return;
      printed++;
      // notices as comments, where they came: for a failing file, and for every file with --verbose
      const withNotices = !filePassed(outcome) || config.test.verbose;
      for (const line of subtest(outcome, printed, withNotices)) output.info(line);
      if (outcome.summary.bailout !== null) {
        bailed = true;
        output.info(`Bail out! ${outcome.file}: ${outcome.summary.bailout}`);
      }
    },
    finished({ outcomes, notRun, stopped, totalMs, phases, closing }) {
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
};
