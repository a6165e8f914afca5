/**
 * GitHub Actions, when the runner runs there (GITHUB_ACTIONS=true: config.github):
 * - each failure an error annotation on the file at the line of the failing
 *   statement: a failed assertion, an SQL error, a time-out, a plan problem, a
 *   bail out, a failed migration or seed; a file that committed changes the
 *   later files ran with (as under pg_prove, not a failure): a warning at its commit;
 * - a Markdown summary (files, counts, the failures with their lines, the
 *   slowest files) appended to $GITHUB_STEP_SUMMARY.
 * Annotations are workflow commands (`::error file=…,line=…,title=…::message`),
 * escaped as GitHub's runner reads them, and go to standard error, which the
 * runner reads for commands too: standard output stays the human or TAP report.
 * The formatting is pure; reporters/github.ts wraps the chosen reporter and writes.
 */
import { appendFileSync } from 'node:fs';
import { splitSql } from '../database/sql-split.js';
import type { Output } from '../output.js';
import { assertionsOf, fileFaults, filePassed, type FileOutcome } from '../suite/tap.js';
import { seconds, totals } from './report.js';

/** A command's message: `%`, CR and LF escaped, as GitHub's runner unescapes them. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value (file, title): the message's escapes, and `:` and `,`, which end a property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface Annotation {
  /** the path from the repository root, as GitHub shows it in the pull request */
  file: string | null;
  line: number | null;
  title: string;
  message: string;
}

/** `::error file=…,line=…,title=…::message` (or `::warning`), every part escaped. */
export function errorCommand(a: Annotation, level: 'error' | 'warning' = 'error'): string {
  const properties = [
    ...(a.file !== null ? [`file=${escapeProperty(a.file)}`] : []),
    ...(a.line !== null ? [`line=${a.line}`] : []),
    `title=${escapeProperty(a.title)}`,
  ];
  return `::${level} ${properties.join(',')}::${escapeData(a.message)}`;
}

/**
 * A file's failures as annotations, in the order the human report lists them.
 * `text` is the file's content, to find the commit of a file that left changes
 * behind (no statement of it failed); without it that annotation has no line.
 */
export function annotationsOf(outcome: FileOutcome, text: string | null = null): Annotation[] {
  const file = outcome.file;
  const out: Annotation[] = [];
  for (const a of assertionsOf(outcome)) {
    if (a.ok || a.todo !== null) continue;
    const name = `not ok ${a.id} - ${a.description || '(no description)'}`;
    out.push({ file, line: a.line, title: name, message: [name, ...a.diagnostics].join('\n') });
  }
  // the line of the row a pattern matches: the statement that returned it
  const lineOfRow = (pattern: RegExp): number | null => {
    const row = outcome.tap.findIndex((r) => r.split('\n').some((l) => pattern.test(l)));
    return row >= 0 ? (outcome.lines?.[row] ?? null) : null;
  };
  for (const fault of fileFaults(outcome)) {
    if (outcome.error !== null && (fault === 'SQL error' || fault.startsWith('did not finish') || outcome.buildStep !== undefined)) {
      const at = errorLocation(outcome.error);
      const title = outcome.buildStep !== undefined ? `the ${outcome.buildStep} failed` : fault;
      out.push({ file: at?.file ?? file, line: at?.line ?? null, title, message: outcome.error });
    } else if (fault.startsWith('Bail out!')) {
      out.push({ file, line: lineOfRow(/^Bail out!/), title: 'Bail out!', message: fault });
    } else if (fault.startsWith('left changes behind')) {
      const title = 'left changes behind (it committed instead of rolling back)';
      out.push({ file, line: text === null ? null : commitLine(text), title, message: [title, ...(outcome.leaks ?? [])].join('\n') });
    } else if (fault.startsWith('planned ') || fault.startsWith('no plan')) {
      out.push({ file, line: lineOfRow(/^1\.\.\d+/), title: 'plan mismatch', message: fault });
    } else {
      out.push({ file, line: null, title: fault, message: fault });
    }
  }
  return out;
}

/**
 * Where an error points: a formatted SQL error starts `file:line:col: ` (errors.ts),
 * a time-out says `stopped after N s at file:line: `.
 */
export function errorLocation(error: string): { file: string; line: number } | null {
  const match = /^(?:.*? at )?(\S+?):(\d+)(?::\d+)?: /.exec(error.split('\n')[0]!);
  return match === null ? null : { file: match[1]!, line: Number(match[2]) };
}

/** The line of a file's last `commit` (or `end`) statement: where it kept its changes. */
export function commitLine(text: string): number | null {
  const commits = splitSql(text).filter((s) => /^(commit|end)\b/i.test(s.sql));
  return commits.at(-1)?.line ?? null;
}

// ---------------------------------------------------------------- the job summary

/** Text for Markdown: HTML's three characters as entities, Markdown's own backslashed. */
export function markdownText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

/** A fenced block longer than any run of backticks inside it. */
export function fenced(lines: string[]): string[] {
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence, ...lines, fence];
}

export interface SummaryOptions {
  /** `--shard i/n`, said in the heading */
  shard?: { index: number; count: number } | null;
  notRun?: number;
  stopped?: string | null;
  totalMs?: number;
  /** how many of the slowest files to list */
  slowest?: number;
  /** a file's text, for the line of a leak's commit (annotationsOf) */
  textOf?: (file: string) => string | null;
}

/** The Markdown summary of a run: a heading with the closing numbers, the counts, every failure with its line, the slowest files. */
export function summaryMarkdown(outcomes: FileOutcome[], options: SummaryOptions = {}): string {
  const t = totals(outcomes, options.notRun ?? 0);
  const failed = outcomes.filter((o) => !filePassed(o));
  const shard = options.shard ? ` (shard ${options.shard.index} of ${options.shard.count})` : '';
  const mark = t.closing.failed > 0 ? '❌' : '✅';
  const out = [
    `### ${mark} pgTAP${shard}: ${t.closing.passed} passed, ${t.closing.failed} failed`,
    '',
    '| | passed | failed | skipped |' + (t.files.notRun > 0 ? ' not run |' : ''),
    '|---|---:|---:|---:|' + (t.files.notRun > 0 ? '---:|' : ''),
    `| files | ${t.files.passed} | ${t.files.failed} | ${t.files.skipped} |` + (t.files.notRun > 0 ? ` ${t.files.notRun} |` : ''),
    `| assertions | ${t.assertions.passed} | ${t.assertions.failed} | ${t.assertions.skipped} |` + (t.files.notRun > 0 ? ' |' : ''),
    '',
  ];
  if (options.stopped) out.push(`Stopped: ${markdownText(options.stopped)}`, '');
  if (options.totalMs !== undefined) out.push(`Time: ${seconds(options.totalMs)}`, '');
  if (failed.length > 0) {
    out.push(`#### Failures (${failed.length} file${failed.length === 1 ? '' : 's'})`, '');
    for (const outcome of failed) {
      for (const a of annotationsOf(outcome, (outcome.leaks ?? []).length > 0 ? (options.textOf?.(outcome.file) ?? null) : null)) {
        const where = `${a.file ?? outcome.file}${a.line !== null ? `:${a.line}` : ''}`;
        const detail = a.message.split('\n').filter((l, i) => !(i === 0 && l === a.title));
        // one line of detail reads after the title; more (diagnostics, an error with its source) as a block under it
        const inline = detail.length === 1 ? `: ${markdownText(detail[0]!)}` : '';
        out.push(`- \`${where}\` ${markdownText(a.title)}${inline}`);
        if (detail.length > 1) out.push('', ...fenced(detail).map((l) => `  ${l}`), '');
      }
    }
    if (out.at(-1) !== '') out.push('');
  }
  const slowest = [...outcomes]
    .filter((o) => o.buildStep === undefined)
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, options.slowest ?? 5);
  if (slowest.length > 0) {
    out.push('#### Slowest files', '', '| file | time | assertions |', '|---|---:|---:|');
    for (const o of slowest) out.push(`| \`${o.file}\` | ${seconds(o.durationMs)} | ${o.summary.count} |`);
    out.push('');
  }
  return out.join('\n') + '\n';
}

/** Appends to the job summary file; a problem writing it is a warning, never the run's failure. */
export function appendSummary(file: string | null, markdown: string, output: Output): void {
  if (file === null) return;
  try {
    appendFileSync(file, markdown);
  } catch (error) {
    output.warn(`could not append the job summary to ${file}: ${(error as Error).message}`);
  }
}
