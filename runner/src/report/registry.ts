/**
 * The reporters, by the name `--reporter` takes: a new reporter is one file in
 * reporters/ and one line here. On GitHub Actions the chosen one is wrapped
 * (reporters/github.ts).
 */
import type { Config } from '../config.js';
import type { Output } from '../output.js';
import type { Reporter, ReporterFactory } from './reporter.js';
import { githubReporter } from './reporters/github.js';
import { humanReporter } from './reporters/human.js';
import { tapReporter } from './reporters/tap.js';

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
