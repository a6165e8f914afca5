/**
 * TAP, pure: what a pgTAP file's output says (with tap-parser), and the TAP
 * stream the `test` command prints. No database here.
 */
import { Parser, type FinalResults } from 'tap-parser';

export interface TapSummary {
  planned: number | null;
  /** assertions seen */
  count: number;
  passed: number;
  /** assertions that failed (not counting plan problems) */
  failedAssertions: number;
  /** plan problems ("incorrect number of tests", "no plan") */
  planProblems: string[];
  bailout: string | null;
  skipped: number;
  /** the failing assertions: number, description */
  failures: { id: number | null; name: string }[];
}

export function summariseTap(lines: string[]): TapSummary {
  let final: FinalResults | null = null;
  const parser = new Parser((r) => {
    final = r;
  });
  // tap-parser completes synchronously when the whole text is written at once
  parser.end(lines.join('\n') + (lines.length > 0 ? '\n' : ''));
  const results = final as FinalResults | null;
  if (results === null) throw new Error('tap-parser did not complete');
  const failures = results.failures ?? [];
  const assertionFailures = failures.filter((f) => !f.tapError);
  const planEnd = results.plan.end;
  return {
    planned: results.plan.skipAll ? 0 : typeof planEnd === 'number' ? planEnd : null,
    count: results.count,
    passed: results.pass,
    failedAssertions: assertionFailures.length,
    planProblems: failures.filter((f) => f.tapError).map((f) => String(f.tapError)),
    bailout: results.bailout === false ? null : String(results.bailout || 'bailed out'),
    skipped: results.skip,
    failures: assertionFailures.map((f) => ({ id: f.id ?? null, name: f.name ?? '' })),
  };
}

export interface FileOutcome {
  file: string;
  /** the TAP lines the file's statements returned, in order */
  tap: string[];
  /** the formatted SQL error that stopped the file, if any */
  error: string | null;
  durationMs: number;
  summary: TapSummary;
}

/** Why a file failed, beyond its failed assertions: SQL error, plan problem, no assertions, bail out. */
export function fileFaults(outcome: FileOutcome): string[] {
  const faults: string[] = [];
  if (outcome.error !== null) faults.push('SQL error');
  if (outcome.summary.bailout !== null) faults.push(`Bail out! ${outcome.summary.bailout}`);
  // after an SQL error the plan is necessarily off: the error says it already
  if (outcome.error === null) faults.push(...outcome.summary.planProblems);
  if (outcome.error === null && outcome.summary.count === 0) faults.push('no assertions');
  return faults;
}

/** Assertions passed and failed, a file's faults counting as one failure each file. */
export function tally(outcomes: FileOutcome[]): { passed: number; failed: number; failedFiles: number } {
  let passed = 0;
  let failed = 0;
  let failedFiles = 0;
  for (const outcome of outcomes) {
    const faulty = fileFaults(outcome).length > 0;
    passed += outcome.summary.passed;
    failed += outcome.summary.failedAssertions + (faulty ? 1 : 0);
    if (faulty || outcome.summary.failedAssertions > 0) failedFiles++;
  }
  return { passed, failed, failedFiles };
}

/** One file as a TAP 14 subtest: its own lines indented, then the parent's ok / not ok line. */
export function subtest(outcome: FileOutcome, index: number): string[] {
  const out = [`# Subtest: ${outcome.file}`];
  // rows of statements that are not assertions (a helper returning void) print as empty lines: dropped
  for (const line of outcome.tap.flatMap((l) => l.split('\n'))) if (line !== '') out.push(`    ${line}`);
  if (outcome.error !== null) out.push(...outcome.error.split('\n').map((l) => `    # ${l}`));
  const faults = fileFaults(outcome);
  const ok = faults.length === 0 && outcome.summary.failedAssertions === 0;
  out.push(`${ok ? 'ok' : 'not ok'} ${index} - ${outcome.file} # time=${outcome.durationMs}ms`);
  for (const fault of faults) out.push(`# ${outcome.file}: ${fault}`);
  return out;
}

/** The closing line, alone on its line. */
export function closingLine(passed: number, failed: number): string {
  return `${passed} passed, ${failed} failed`;
}
