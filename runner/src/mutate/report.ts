/**
 * What a mutation run says, pure: each mutant's verdict, the score, the
 * survivors with the SQL that made them and the rule they weaken, a table per
 * operator, and JUnit XML (one testsuite per operator, one testcase per
 * mutant: a survivor is a failure, an equivalent, inert or inapplicable
 * mutant is skipped with its reason). No database, no file system.
 */
import type { ChalkInstance } from 'chalk';
import { seconds, xmlEscape } from '../report/report.js';
import { OPERATORS, type Mutant } from './mutants.js';
import type { MutantResult } from '../suite/mutant-run.js';

export interface Verdict {
  mutant: Mutant;
  /** null: not run (inert, or the run stopped before it) */
  result: MutantResult | null;
  /** the reason the equivalents file gives, when it lists the mutant */
  equivalent: string | null;
}

export type Outcome = 'killed' | 'timeout' | 'survived' | 'equivalent' | 'listed but killed' | 'inert' | 'not applicable' | 'not run';

export function outcomeOf(v: Verdict): Outcome {
  if (v.mutant.inert !== null) return 'inert';
  if (v.result === null) return 'not run';
  if (v.result.status === 'not applicable') return 'not applicable';
  if (v.result.status === 'survived') return v.equivalent !== null ? 'equivalent' : 'survived';
  if (v.equivalent !== null) return 'listed but killed';
  return v.result.status;
}

export interface Score {
  /** killed, time-outs included */
  killed: number;
  timeouts: number;
  /** survivors the equivalents file does not list: each fails the run */
  survived: number;
  equivalent: number;
  /** listed as equivalent, yet killed: the entry is wrong */
  listedButKilled: number;
  inert: number;
  notApplicable: number;
  notRun: number;
  /** the mutants that count: killed + survived */
  counted: number;
}

export function scoreOf(verdicts: Verdict[]): Score {
  const s: Score = { killed: 0, timeouts: 0, survived: 0, equivalent: 0, listedButKilled: 0, inert: 0, notApplicable: 0, notRun: 0, counted: 0 };
  for (const v of verdicts) {
    const outcome = outcomeOf(v);
    if (outcome === 'killed' || outcome === 'listed but killed') s.killed++;
    if (outcome === 'timeout') {
      s.killed++;
      s.timeouts++;
    }
    if (outcome === 'listed but killed') s.listedButKilled++;
    if (outcome === 'survived') s.survived++;
    if (outcome === 'equivalent') s.equivalent++;
    if (outcome === 'inert') s.inert++;
    if (outcome === 'not applicable') s.notApplicable++;
    if (outcome === 'not run') s.notRun++;
  }
  s.counted = s.killed + s.survived;
  return s;
}

/** The closing line. */
export function scoreLine(s: Score): string {
  return `mutation score: ${s.killed} of ${s.counted} killed`;
}

/** The score's line of detail: what it leaves out and why. */
export function scoreDetail(s: Score, equivalentsFile: string): string {
  const parts = [
    s.timeouts > 0 ? `${s.timeouts} by a time-out` : '',
    `${s.equivalent} equivalent (${equivalentsFile})`,
    `${s.inert} inert (not run)`,
    s.notApplicable > 0 ? `${s.notApplicable} not applicable` : '',
    s.notRun > 0 ? `${s.notRun} not run` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

/** How well the order guessed: killed mutants, how many files each ran on average, and how many died in the first. */
export function orderLine(verdicts: Verdict[]): string {
  const killed = verdicts.filter((v) => v.result?.status === 'killed');
  if (killed.length === 0) return '';
  const files = killed.map((v) => v.result!.files.length);
  const mean = files.reduce((a, b) => a + b, 0) / files.length;
  const first = files.filter((n) => n === 1).length;
  return `a killed mutant ran ${mean.toFixed(1)} files on average; ${first} of ${killed.length} died in the first file tried`;
}

/** A survivor: its id, the rule it weakens, the SQL that made it. */
export function survivorLines(v: Verdict, c: ChalkInstance): string[] {
  return [
    `${c.red('✗ survived')}  ${c.bold(v.mutant.id)}`,
    `    weakens  ${v.mutant.weakens}`,
    ...v.mutant.sql.split('\n').map((line, i) => `    ${i === 0 ? 'sql' : '   '}      ${line}`),
    `    ${c.dim(`every file passed (${plural(v.result?.files.length ?? 0, 'file')}, ${seconds(v.result?.ms ?? 0)})`)}`,
  ];
}

/** A mutant listed as equivalent that a file kills: the entry is wrong. */
export function listedButKilledLines(v: Verdict, c: ChalkInstance, equivalentsFile: string): string[] {
  return [
    `${c.red('✗ listed as equivalent, but killed')}  ${c.bold(v.mutant.id)}`,
    `    by       ${v.result?.killedBy?.file}: ${v.result?.killedBy?.reason}`,
    `    remove it from ${equivalentsFile}`,
  ];
}

/** Killed of counted, per operator, in OPERATORS' order. */
export function operatorLines(verdicts: Verdict[]): string[] {
  const rows: string[][] = [['operator', 'killed', 'survived', 'equivalent', 'inert', 'n/a']];
  for (const operator of OPERATORS) {
    const mine = verdicts.filter((v) => v.mutant.operator === operator);
    if (mine.length === 0) continue;
    const s = scoreOf(mine);
    rows.push([operator, `${s.killed}/${s.counted}`, String(s.survived), String(s.equivalent), String(s.inert), String(s.notApplicable)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const attrs = (values: Record<string, string | number>): string =>
  Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');

const secs = (ms: number) => (ms / 1000).toFixed(3);

/**
 * JUnit XML as CI dashboards read it: a testsuite per operator, a testcase per
 * mutant (name: its id). Killed passes (system-out: the file and assertion
 * that killed it); a survivor the equivalents file does not list is a failure
 * whose body is the rule and the SQL; a listed mutant that was killed is a
 * failure too; equivalent, inert and inapplicable mutants are skipped with
 * their reason. Stale entries of the equivalents file are failures of one
 * more testsuite named after the file.
 */
export function mutationJunit(verdicts: Verdict[], stale: string[], equivalentsFile: string, options: { timestamp?: Date } = {}): string {
  const timestamp = (options.timestamp ?? new Date()).toISOString().replace(/\.\d+Z$/, '');
  const suites: string[] = [];
  const all = { tests: 0, failures: 0, skipped: 0, ms: 0 };
  const suite = (name: string, cases: string[], counts: { failures: number; skipped: number; ms: number }) => {
    all.tests += cases.length;
    all.failures += counts.failures;
    all.skipped += counts.skipped;
    all.ms += counts.ms;
    suites.push(
      `  <testsuite${attrs({ name, tests: cases.length, failures: counts.failures, errors: 0, skipped: counts.skipped, time: secs(counts.ms), timestamp })}>\n` +
        cases.join('\n') +
        (cases.length > 0 ? '\n' : '') +
        '  </testsuite>',
    );
  };
  for (const operator of OPERATORS) {
    const mine = verdicts.filter((v) => v.mutant.operator === operator);
    if (mine.length === 0) continue;
    const counts = { failures: 0, skipped: 0, ms: 0 };
    const cases = mine.map((v) => {
      const ms = v.result?.ms ?? 0;
      counts.ms += ms;
      const head = `    <testcase${attrs({ name: v.mutant.id, classname: operator, time: secs(ms) })}>`;
      const body = `weakens: ${v.mutant.weakens}\nsql: ${v.mutant.sql}`;
      const outcome = outcomeOf(v);
      let inner: string;
      if (outcome === 'survived') {
        counts.failures++;
        inner = `<failure${attrs({ message: 'survived: every file passed', type: 'survivor' })}>${xmlEscape(body)}</failure>`;
      } else if (outcome === 'listed but killed') {
        counts.failures++;
        const by = `${v.result?.killedBy?.file}: ${v.result?.killedBy?.reason}`;
        inner = `<failure${attrs({ message: `listed in ${equivalentsFile} as equivalent, but killed by ${by}`, type: 'equivalent' })}>${xmlEscape(body)}</failure>`;
      } else if (outcome === 'killed' || outcome === 'timeout') {
        inner = `<system-out>${xmlEscape(`killed by ${v.result?.killedBy?.file}: ${v.result?.killedBy?.reason}\n${body}`)}</system-out>`;
      } else {
        counts.skipped++;
        const reason =
          outcome === 'equivalent'
            ? `equivalent: ${v.equivalent}`
            : outcome === 'inert'
              ? `inert: ${v.mutant.inert}`
              : outcome === 'not applicable'
                ? `not applicable: ${v.result?.applyError}`
                : 'not run';
        inner = `<skipped${attrs({ message: reason })}/>\n      <system-out>${xmlEscape(body)}</system-out>`;
      }
      return `${head}\n      ${inner}\n    </testcase>`;
    });
    suite(operator, cases, counts);
  }
  if (stale.length > 0) {
    const cases = stale.map(
      (id) =>
        `    <testcase${attrs({ name: id, classname: equivalentsFile, time: '0.000' })}>\n` +
        `      <failure${attrs({ message: `${id} is listed in ${equivalentsFile} but no such mutant exists`, type: 'stale' })}/>\n    </testcase>`,
    );
    suite(equivalentsFile, cases, { failures: stale.length, skipped: 0, ms: 0 });
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites${attrs({ name: 'mutation', tests: all.tests, failures: all.failures, errors: 0, skipped: all.skipped, time: secs(all.ms) })}>\n` +
    suites.join('\n') +
    (suites.length > 0 ? '\n' : '') +
    `</testsuites>\n`
  );
}
