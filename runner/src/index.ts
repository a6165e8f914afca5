/**
 * pg-tap-runner's API, for programs built on it (a project's benchmark, say):
 * the configuration, the targets and how a database is built, the suite's
 * pieces, and each command as a function of a validated Config. The command
 * line (cli.ts, bin/pg-tap-runner.js) is a thin layer over the same functions.
 */
export {
  Invalid,
  commandHelp,
  commandsHelp,
  parseCommandLine,
  problemsError,
  usageMarkdown,
  type CommandSpec,
  type Option,
  type OptionTable,
} from './command-line.js';
export { COMMANDS, usageBlock } from './commands/index.js';
export { RESET, TARGET, TEST } from './commands/options.js';
export { loadConfig, readConfig, serverTarget, shown, type Config, type Flags, type TargetConfig, type TestOptions } from './config.js';
export { RunnerError, SqlFileError, connection, describe, refused, usage } from './errors.js';
export { reportError, runMain } from './main.js';
export { consoleOutput, memoryOutput, type Output } from './output.js';

export { ensurePgTap, ensurePlatform } from './database/bootstrap.js';
export { loadPlan, migrate } from './database/migrate.js';
export { openResetTarget, rebuild, type PhaseRunner, type RebuildPhase } from './database/reset.js';
export { seed } from './database/seed.js';
export { freePort, serveInBackground, type ServedDatabase } from './database/served.js';
export { quoteIdent, quoteLiteral } from './database/sql-quote.js';
export {
  EmbeddedTarget,
  ServerTarget,
  inTransaction,
  openExistingTarget,
  openTarget,
  redact,
  type Row,
  type Target,
} from './database/target.js';

export { buildDatabase } from './suite/build.js';
export { chooseFiles, findTestFiles } from './suite/files.js';
export { runPgTapFile } from './suite/pgtap.js';
export { deal, prepareRun, runSuite, stopSignals, type PreparedRun, type Stop, type SuiteOptions } from './suite/run.js';
export { REPORTERS, REPORTER_NAMES, chooseReporter, type Reporter, type RunEnd } from './report/registry.js';
export { filePassed, summariseTap, type FileOutcome } from './suite/tap.js';

export { docsCommand } from './commands/docs.js';
export { fingerprintCommand } from './commands/fingerprint.js';
export { migrateCommand } from './commands/migrate.js';
export { newMigrationCommand } from './commands/new-migration.js';
export { resetCommand } from './commands/reset.js';
export { seedCommand } from './commands/seed.js';
export { serveCommand } from './commands/serve.js';
export { statusCommand } from './commands/status.js';
export { testCommand } from './commands/test.js';
export { watchCommand } from './commands/watch.js';
