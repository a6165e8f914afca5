/**
 * The last step of a command line: runs its main function and turns what it
 * returns, or throws, into process.exitCode (0 passed; 1 a test, migration or
 * seed failed; 2 usage, configuration, refused, connection or a file that cannot
 * be written; 128 + the signal's number when a signal stopped it), printing an
 * error once. cli.ts uses it, and so can a program built on the package.
 */
import chalk from 'chalk';
import { abandonWrites, fileReason } from './database/folders.js';
import { Interrupted, RunnerError, SqlFileError, describe, isPgError } from './errors.js';
import { consoleOutput, type Output } from './output.js';

export function runMain(main: () => Promise<number>, output: Output = consoleOutput): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = reportError(error, output);
      if (error instanceof Interrupted) {
        // work the signal cut short (a build, workers) would keep the process alive: end it now,
        // without the temporary files of writes under way
        abandonWrites();
        process.exit(error.exitCode);
      }
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
  if (error instanceof Interrupted) {
    // standard output's reader is gone (`| head`): nothing to say, quietly
    if (error.signal !== 'SIGPIPE') output.warn(chalk.yellow(`stopped: ${error.message}`));
    return error.exitCode;
  }
  if (error instanceof RunnerError) {
    // a refusal says "refusing to ...": it needs no prefix
    output.warn(chalk.red(error.kind === 'refused' ? error.message : `error: ${error.message}`));
    return error.exitCode;
  }
  // an error that wraps one of these (a build that failed where no command reported it: BuildError)
  // says what it was doing, then its cause, and ends as the cause does
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof SqlFileError || cause instanceof RunnerError) {
    output.warn(chalk.red(cause instanceof RunnerError ? `error: ${(error as Error).message}` : (error as Error).message));
    return cause instanceof RunnerError ? cause.exitCode : 1;
  }
  if (isPgError(error) && error.code === '42501') {
    // the database refused a privilege (Supabase's platform: supautils, the Storage
    // API's triggers, a role without a grant): what it said, not where the runner was
    output.warn(chalk.red(`error: the database refused: ${describe(error)}${error.hint ? `\n  hint: ${error.hint}` : ''}`));
    return 2;
  }
  const reason = fileReason(error);
  if (reason !== null) {
    // a file-system error that nothing above named (a full disk under PGlite's data folder)
    const message = error instanceof Error && error.message !== '' ? `${error.message}: ` : '';
    output.warn(chalk.red(`error: ${message}${reason}`));
    return 2;
  }
  output.warn(chalk.red(`unexpected error: ${describe(error)}`));
  if (error instanceof Error && error.stack) output.warn(error.stack);
  return 2;
}
