/**
 * What a reporter is (the events of a run, in path order), and the reporters
 * by the name `--reporter` takes: a new reporter is one file in reporters/ and
 * one line here. On GitHub Actions the chosen one is wrapped (reporters/github.ts).
 */
import type { Config } from '../config.js';
import type { Output } from '../output.js';
import type { FileOutcome } from '../suite/tap.js';
import { githubReporter } from './reporters/github.js';
import { humanReporter } from './reporters/human.js';
import { tapReporter } from './reporters/tap.js';

/** How a run ended. */
export interface RunEnd {
  /** every file that ran (or the build step that failed), in path order */
  outcomes: FileOutcome[];
  notRun: number;
  /** why the run stopped early (a Bail out!, --bail, an interrupt), or null */
  stopped: string | null;
  totalMs: number;
  /** where the time went: "start 1.2 s, database 9.8 s, ...", adding up to totalMs */
  phases: string;
  /** false when a crash or a lost connection cut the run short: no closing line */
  closing: boolean;
}

export interface Reporter {
  /** where the database build writes its messages */
  readonly buildOutput: Output;
  started(total: number): void;
  fileStarted(file: string): void;
  /** a file's outcome, in path order */
  fileDone(outcome: FileOutcome): void;
  finished(end: RunEnd): void;
}

export type ReporterFactory = (output: Output, config: Config) => Reporter;

export const REPORTERS = {
  human: humanReporter,
  tap: tapReporter,
} satisfies Record<string, ReporterFactory>;

export type ReporterName = keyof typeof REPORTERS;

/** The values `--reporter` accepts, the default first. */
export const REPORTER_NAMES = Object.keys(REPORTERS) as ReporterName[];

export function chooseReporter(config: Config, output: Output): Reporter {
  const chosen = REPORTERS[config.test.reporter](output, config);
  return config.github !== null ? githubReporter(chosen, output, config) : chosen;
}
