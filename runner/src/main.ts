/**
 * The last step of a command line: runs its main function and turns what it
 * returns, or throws, into process.exitCode (0 passed; 1 a test, migration or
 * seed failed; 2 usage, configuration, refused or connection), printing an
 * error once. cli.ts uses it, and so can a program built on the package.
 */
import chalk from 'chalk';
import { RunnerError, SqlFileError, describe, isPgError } from './errors.js';
import { consoleOutput, type Output } from './output.js';

export function runMain(main: () => Promise<number>, output: Output = consoleOutput): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = reportError(error, output);
    },
  );
}

/** Prints an error as the command line shows it and returns its exit code. */
export function reportError(error: unknown, output: Output): number {
  if (error instanceof SqlFileError) {
    // a migration or seed that fails is a failure of the build, like a failed test
    output.warn(chalk.red(error.formatted));
    return 1;
  }
  if (error instanceof RunnerError) {
    // a refusal says "refusing to ...": it needs no prefix
    output.warn(chalk.red(error.kind === 'refused' ? error.message : `error: ${error.message}`));
    return error.exitCode;
  }
  if (isPgError(error) && error.code === '42501') {
    // the database refused a privilege (Supabase's platform: supautils, the Storage
    // API's triggers, a role without a grant): what it said, not where the runner was
    output.warn(chalk.red(`error: the database refused: ${describe(error)}${error.hint ? `\n  hint: ${error.hint}` : ''}`));
    return 2;
  }
  output.warn(chalk.red(`unexpected error: ${describe(error)}`));
  if (error instanceof Error && error.stack) output.warn(error.stack);
  return 2;
}
