/**
 * What a run's results say, pure: each assertion with its file line and pgTAP's
 * diagnostics, the human report's lines, JUnit XML, each file's raw TAP.
 * No database and no file system here; files.ts writes, reporters/ print.
 */
import type { ChalkInstance } from 'chalk';
import { assertionsOf, fileFaults, filePassed, isTapLine, keptChanges, tally, transcript, type FileOutcome } from '../suite/tap.js';

/** Files and assertions, passed, failed and skipped, for the summary and JUnit. */
export interface Totals {
  files: { passed: number; failed: number; skipped: number; notRun: number };
  assertions: { passed: number; failed: number; skipped: number; todo: number };
  /** the closing line's numbers: assertions, each file's faults counting one failure */
  closing: { passed: number; failed: number };
}

export function totals(outcomes: FileOutcome[], notRun = 0): Totals {
  const t: Totals = {
    files: { passed: 0, failed: 0, skipped: 0, notRun },
    assertions: { passed: 0, failed: 0, skipped: 0, todo: 0 },
    closing: { passed: 0, failed: 0 },
  };
  for (const o of outcomes) {
    if (!filePassed(o)) t.files.failed++;
    else if (o.summary.skipAll) t.files.skipped++;
    else t.files.passed++;
    t.assertions.passed += o.summary.passed;
    t.assertions.failed += o.summary.failedAssertions;
    t.assertions.skipped += o.summary.skipped;
    t.assertions.todo += o.summary.todo;
  }
  const { passed, failed } = tally(outcomes);
  t.closing = { passed, failed };
  return t;
}

/**
 * Text from a test file (descriptions, diagnostics, notices, file names) made
 * safe for a terminal: control characters and the ESC of ANSI sequences are
 * written out (`\x1b`, `\r`), so a description cannot clear the screen, move
 * the cursor or forge a line. Tabs stay.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\r') return '\\r';
    if (c === '\n') return '\\n';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : c;
  });
}

export const seconds = (ms: number): string => (ms < 999.5 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/** The line for one file: a mark, its name, assertions passed of planned, time. */
export function fileLine(outcome: FileOutcome, c: ChalkInstance): string {
  const passed = filePassed(outcome);
  const skipped = passed && outcome.summary.skipAll;
  const mark = skipped ? c.yellow('-') : passed ? c.green('✓') : c.red('✗');
  const planned = outcome.summary.planned ?? outcome.summary.count;
  const count = `${outcome.summary.passed}/${planned}`;
  const extra = [
    outcome.setup ? 'setup' : '',
    outcome.summary.skipped > 0 ? `${outcome.summary.skipped} skipped` : '',
    outcome.summary.todo > 0 ? `${outcome.summary.todo} todo` : '',
  ].filter(Boolean);
  const file = printable(outcome.file);
  return `${mark} ${passed ? file : c.bold(file)}  ${passed ? count : c.red(count)}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}  ${c.dim(seconds(outcome.durationMs))}`;
}

/** Under a file that committed changes the later files ran with: what it left (passing or not). */
export function keptLines(outcome: FileOutcome, c: ChalkInstance): string[] {
  const [head, ...rest] = keptChanges(outcome);
  return head === undefined ? [] : [`    ${c.yellow('!')} ${head}`, ...rest.map((line) => `    ${line}`)];
}

/** Under a failing file: each failed assertion with its line and diagnostics, then the file's faults. */
export function failureLines(outcome: FileOutcome, c: ChalkInstance): string[] {
  const out: string[] = [];
  for (const a of assertionsOf(outcome)) {
    if (a.ok || a.todo !== null) continue;
    out.push(`    ${c.red('✗')} ${a.id} - ${printable(a.description) || '(no description)'}`);
    if (a.line !== null) out.push(`      ${c.dim(`at ${printable(outcome.file)}:${a.line}`)}`);
    for (const d of a.diagnostics) out.push(`      ${printable(d)}`);
  }
  const faults = fileFaults(outcome);
  for (const fault of faults) {
    if ((fault === 'SQL error' || outcome.buildStep !== undefined) && outcome.error !== null) {
      out.push(`    ${c.red('✗')} ${c.red(printable(fault))}`);
      for (const l of outcome.error.split('\n')) out.push(`      ${printable(l)}`);
    } else {
      out.push(`    ${c.red('✗')} ${printable(fault)}`);
      if (fault.startsWith('did not finish') && outcome.error !== null) {
        for (const l of outcome.error.split('\n')) out.push(`      ${printable(l)}`);
      }
    }
  }
  return out;
}

/**
 * What a file said besides its assertions, in order: the notices the server
 * sent (raise notice, warnings) and pgTAP's diag() lines, without the
 * diagnostics of failed assertions (shown with each failure) and pgTAP's
 * closing "Looks like you failed …" comments.
 */
export function fileOutput(outcome: FileOutcome): string[] {
  const notices = outcome.notices ?? [];
  const out: string[] = [];
  let next = 0;
  let afterFailure = false;
  outcome.tap.forEach((row, i) => {
    while (next < notices.length && notices[next]!.at <= i) out.push(notices[next++]!.text);
    for (const line of row.split('\n')) {
      if (/^(not )?ok\b/.test(line)) afterFailure = line.startsWith('not ok') && !/#\s*todo\b/i.test(line);
      else if (line.startsWith('#') && !afterFailure && !/^# Looks like you/.test(line)) out.push(line.replace(/^# ?/, ''));
    }
  });
  while (next < notices.length) out.push(notices[next++]!.text);
  return out;
}

/** The file's output (notices, diag) under its line: for a failing file, and for every file with --verbose. */
export function outputLines(outcome: FileOutcome, c: ChalkInstance): string[] {
  const output = fileOutput(outcome);
  if (output.length === 0) return [];
  return [`    ${c.dim('output (notices and diag):')}`, ...output.map((line) => `      ${printable(line)}`)];
}

/** The summary: files, assertions, time and its phases (which add up to it); the closing line comes after, alone. */
export function summaryLines(t: Totals, totalMs: number, phases: string, c: ChalkInstance): string[] {
  const files = t.files.passed + t.files.failed + t.files.skipped;
  const f = t.files;
  const a = t.assertions;
  const failed = (n: number) => (n > 0 ? c.red(`${n} failed`) : `${n} failed`);
  return [
    '',
    `files       ${c.green(`${f.passed} passed`)}, ${failed(f.failed)}, ${f.skipped} skipped${f.notRun > 0 ? `, ${c.yellow(`${f.notRun} not run`)}` : ''} (${files + f.notRun})`,
    `assertions  ${c.green(`${a.passed} passed`)}, ${failed(a.failed)}, ${a.skipped} skipped${a.todo > 0 ? `, ${a.todo} todo` : ''}`,
    `time        ${seconds(totalMs)}${phases ? `: ${phases}` : ''}`,
  ];
}

/** A file's raw TAP, as reports/tap/<file>.tap holds it; faults as comments. Notices are not TAP: see `transcript`. */
export function rawTap(outcome: FileOutcome): string {
  // what a statement returned that is not TAP (a helper's uuid) is kept as a comment: the file stays TAP
  const lines = outcome.tap
    .flatMap((l) => l.split('\n'))
    .filter((l) => l !== '')
    .map((l) => (isTapLine(l) ? l : `# ${l}`));
  for (const fault of fileFaults(outcome)) lines.push(`# ${fault}`);
  if (outcome.error !== null) lines.push(...outcome.error.split('\n').map((l) => `# ${l}`));
  return lines.join('\n') + '\n';
}

/** JUnit's system-out for a file: its TAP with the notices where they came (as pg_prove --verbose shows it), then its faults. */
function systemOut(outcome: FileOutcome): string {
  const lines = transcript(outcome).filter((l) => l !== '');
  for (const fault of fileFaults(outcome)) lines.push(`# ${fault}`);
  if (outcome.error !== null) lines.push(...outcome.error.split('\n').map((l) => `# ${l}`));
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- JUnit XML

/** Escapes text for XML content and attributes; drops characters XML 1.0 cannot hold. */
export function xmlEscape(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

const attrs = (values: Record<string, string | number>): string =>
  Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');

const secs = (ms: number) => (ms / 1000).toFixed(3);

/**
 * JUnit XML as CI dashboards read it (the Jenkins / Surefire dialect): one
 * testsuite per file, one testcase per assertion, a failure's body is its
 * diagnostics; problems of the file itself (SQL error, plan, time limit, leak,
 * bail out) are one more testcase with an <error> or <failure>.
 */
/** Why a run ended before every file ran, and the files that did not run (shown paths). */
export interface RunStop {
  reason: string;
  notRun: string[];
}

export function junitXml(outcomes: FileOutcome[], options: { name?: string; timestamp?: Date; stopped?: RunStop } = {}): string {
  const timestamp = (options.timestamp ?? new Date()).toISOString().replace(/\.\d+Z$/, '');
  const suites: string[] = [];
  let all = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  for (const outcome of outcomes) {
    const cases: string[] = [];
    let failures = 0;
    let errors = 0;
    let skipped = 0;
    for (const a of assertionsOf(outcome)) {
      const name = `${a.id} - ${a.description || '(no description)'}`;
      const head = `    <testcase${attrs({ name, classname: outcome.file, time: secs(a.durationMs), file: outcome.file, ...(a.line !== null ? { line: a.line } : {}) })}`;
      if (a.skip !== null || (a.todo !== null && !a.ok)) {
        skipped++;
        cases.push(`${head}>\n      <skipped${attrs({ message: a.skip ?? `TODO ${a.todo}` })}/>\n    </testcase>`);
      } else if (!a.ok) {
        failures++;
        const body = [`${outcome.file}${a.line !== null ? `:${a.line}` : ''}`, ...a.diagnostics].join('\n');
        cases.push(`${head}>\n      <failure${attrs({ message: a.description || 'failed', type: 'assertion' })}>${xmlEscape(body)}</failure>\n    </testcase>`);
      } else cases.push(`${head}/>`);
    }
    const faults = fileFaults(outcome);
    if (faults.length > 0) {
      const isError = outcome.error !== null || outcome.timedOutAfter !== undefined;
      const body = [...faults, ...(outcome.error !== null ? ['', outcome.error] : []), ...keptChanges(outcome)].join('\n');
      const tag = isError ? 'error' : 'failure';
      if (isError) errors++;
      else failures++;
      cases.push(
        `    <testcase${attrs({ name: '(the file as a whole)', classname: outcome.file, time: secs(outcome.durationMs), file: outcome.file })}>\n` +
          `      <${tag}${attrs({ message: faults.join('; '), type: isError ? 'error' : 'file' })}>${xmlEscape(body)}</${tag}>\n    </testcase>`,
      );
    }
    const tests = cases.length;
    all = {
      tests: all.tests + tests,
      failures: all.failures + failures,
      errors: all.errors + errors,
      skipped: all.skipped + skipped,
      ms: all.ms + outcome.durationMs,
    };
    suites.push(
      `  <testsuite${attrs({ name: outcome.file, tests, failures, errors, skipped, time: secs(outcome.durationMs), timestamp, file: outcome.file })}>\n` +
        cases.join('\n') +
        (cases.length > 0 ? '\n' : '') +
        `    <system-out>${xmlEscape(systemOut(outcome))}</system-out>\n` +
        `  </testsuite>`,
    );
  }
  if (options.stopped !== undefined) {
    // the run itself: an error naming what stopped it and every file that did not run; each of those skipped
    const { reason, notRun } = options.stopped;
    const body = [reason, ...(notRun.length > 0 ? ['', `not run (${notRun.length}):`, ...notRun.map((f) => `  ${f}`)] : [])].join('\n');
    const cases = [
      `    <testcase${attrs({ name: '(the run as a whole)', classname: '(run)', time: secs(0) })}>\n` +
        `      <error${attrs({ message: `stopped: ${reason}${notRun.length > 0 ? `; ${notRun.length} file${notRun.length === 1 ? '' : 's'} not run` : ''}`, type: 'stopped' })}>${xmlEscape(body)}</error>\n    </testcase>`,
      ...notRun.map(
        (file) =>
          `    <testcase${attrs({ name: '(not run)', classname: file, time: secs(0), file })}>\n      <skipped${attrs({ message: `not run: ${reason}` })}/>\n    </testcase>`,
      ),
    ];
    all = { ...all, tests: all.tests + cases.length, errors: all.errors + 1, skipped: all.skipped + notRun.length };
    suites.push(
      `  <testsuite${attrs({ name: '(run)', tests: cases.length, failures: 0, errors: 1, skipped: notRun.length, time: secs(0), timestamp })}>\n` +
        cases.join('\n') +
        `\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites${attrs({ name: options.name ?? 'pgTAP', tests: all.tests, failures: all.failures, errors: all.errors, skipped: all.skipped, time: secs(all.ms) })}>\n` +
    suites.join('\n') +
    (suites.length > 0 ? '\n' : '') +
    `</testsuites>\n`
  );
}
