/**
 * The command line: parses arguments, calls one command, sets the exit code
 * (0 passed, 1 tests failed or a migration/seed failed, 2 usage, configuration,
 * refused or connection).
 *
 *   pg-tap-runner db reset|migrate|seed|status|serve|fingerprint [options]
 *   pg-tap-runner test [paths...] [options]
 *   pg-tap-runner docs [--check] | watch | new-migration NAME
 *   pg-tap-runner mutate [--grep REGEX] [--jobs N] [--list]
 *
 * bin/pg-tap-runner.js runs it compiled (dist/cli.js) or through tsx; `tsx runner/src/cli.ts` is the same.
 */
import { parseCommandLine, problemsError, readConfig, type CommandLineSpec, type Config, type OptionName } from './config.js';
import { compileWasmForShortRuns } from './database/wasm.js';
import { runMain } from './main.js';
import { consoleOutput, type Output } from './output.js';

const HELP = `usage:
  db reset    [--summary]   rebuild the database: platform bootstrap, migrations, seed
  db migrate  [--include-all]  apply pending migrations
  db seed                   run the seed files ([db.seed] sql_paths in supabase/config.toml)
  db status                 applied, pending, drifted and missing migrations
  db serve    [--port 54322]   serve the embedded database on 127.0.0.1
  db fingerprint            the schema from the catalogue, one sorted item a line, to compare with diff
  test [paths|globs...]     the pgTAP files under supabase/tests on the snapshot of the
                            migrated, seeded database; reports/junit.xml, reports/tap/
  docs [--check]            generate docs/schema.md, docs/rls-matrix.md and types/database.ts
                            from a fresh database; --check writes nothing and fails when the
                            committed files are stale
  watch                     rebuild and rerun the affected tests on every save under supabase/
  new-migration NAME        create supabase/migrations/<UTC timestamp>_NAME.sql
  mutate [--grep REGEX] [--list]
                            weaken the schema one rule at a time (from the catalogue) and run the
                            suite against each: survivors, then "mutation score: K of N killed";
                            reports/mutate-junit.xml; exit 1 on a survivor not listed as equivalent

options:
  --db-url URL        a PostgreSQL server instead of the embedded database (or DATABASE_URL)
  --data-dir DIR      the embedded database's folder (default .data/pglite, or PGLITE_DATA_DIR)
  --supabase-dir DIR  the supabase folder (default supabase)
  --allow-remote --confirm DBNAME   allow resetting a server that is not on loopback;
                      --confirm DBNAME alone: the first reset of a database holding what the
                      project did not make
  --no-analyze        do not analyze the tables after the seed: no statistics, as on a server
                      before autovacuum's first analyze (default: analyzed, as autovacuum does)

test options:
  --jobs N            files at once: worker threads (embedded) or connections (server); default 1
  --shard i/n         run the i-th of n deterministic parts of the files (CI matrices)
  --grep REGEX        only files whose path matches
  --bail              stop at the first failing file
  --timeout SECONDS   per-file time limit (default 120)
  --reporter human|tap   a readable report (default) or one TAP document on standard output
  --verbose           show every file's notices and diag() lines (a failing file's are always shown)
  --no-cache          rebuild the database snapshot even when nothing changed
  --reports-dir DIR   where junit.xml and tap/ go (default reports)
  --snapshot-dir DIR  where snapshots are kept (default .data/snapshots, or PGLITE_SNAPSHOT_DIR)

mutate options:
  --grep REGEX        only mutants whose id ("<operator> <object>") matches
  --jobs N            mutants at once (embedded; default: every core); a server runs one at a time
  --timeout SECONDS   time limit of one mutant's run of the suite (default 120)
  --equivalents FILE  the equivalent mutants, each with its reason (default supabase/equivalent-mutants.txt)
  --list              print the mutants and their SQL, run none
  --no-cache, --reports-dir, --snapshot-dir   as for test`;

interface Command extends CommandLineSpec {
  run(config: Config, output: Output, args: string[], flags: { check: boolean }): Promise<number>;
}

// the options each kind of command takes
const TARGET: OptionName[] = ['db-url', 'data-dir', 'supabase-dir'];
const RESET: OptionName[] = ['allow-remote', 'confirm'];
// what builds a database analyzes it after the seed, unless told not to
const BUILD: OptionName[] = ['no-analyze'];
const TEST: OptionName[] = ['jobs', 'shard', 'grep', 'bail', 'timeout', 'reporter', 'verbose', 'no-cache', 'reports-dir', 'snapshot-dir'];

/**
 * Every command: its name, the options and words it takes, what it runs. Each
 * command's module is loaded when it runs: a start pays for one command's imports.
 */
const COMMANDS: Command[] = [
  { name: 'db reset', options: [...TARGET, ...RESET, ...BUILD, 'summary'], args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/reset.js')).resetCommand(config, output) },
  { name: 'db migrate', options: [...TARGET, 'include-all'], args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/migrate.js')).migrateCommand(config, output) },
  { name: 'db seed', options: TARGET, args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/seed.js')).seedCommand(config, output) },
  { name: 'db status', options: [...TARGET, 'include-all'], args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/status.js')).statusCommand(config, output) },
  { name: 'db serve', options: ['data-dir', 'supabase-dir', 'port', ...BUILD], args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/serve.js')).serveCommand(config, output) },
  { name: 'db fingerprint', options: TARGET, args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/fingerprint.js')).fingerprintCommand(config, output) },
  { name: 'test', options: [...TARGET, ...RESET, ...BUILD, ...TEST], args: { kind: 'many' },
    run: async (config, output) => (await import('./commands/test.js')).testCommand(config, output, { startedAt: 0 }) },
  { name: 'docs', options: ['supabase-dir', 'check'], args: { kind: 'none' },
    run: async (config, output, _args, flags) => (await import('./commands/docs.js')).docsCommand(config, output, { check: flags.check }) },
  { name: 'watch', options: ['supabase-dir', ...BUILD], args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/watch.js')).watchCommand(config, output) },
  { name: 'new-migration', options: ['supabase-dir'], args: { kind: 'one', name: 'NAME' },
    run: async (config, output, args) => (await import('./commands/new-migration.js')).newMigrationCommand(config, output, args[0]) },
  { name: 'mutate', options: [...TARGET, ...RESET, 'jobs', 'grep', 'timeout', 'no-cache', 'reports-dir', 'snapshot-dir', 'equivalents', 'list'], args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/mutate.js')).mutateCommand(config, output) },
];

async function main(argv: string[]): Promise<number> {
  const { command, args, flags, problems } = parseCommandLine(argv, COMMANDS);
  if (flags.help === true || (command === null && problems.length === 0)) {
    consoleOutput.info(HELP);
    return flags.help === true ? 0 : 2;
  }
  // the command line's problems and the configuration's, all at once, before anything is done
  const { config, problems: configProblems } = readConfig(flags, process.env, process.cwd(), command?.name === 'test' ? args : []);
  if (problems.length > 0 || command === null) {
    throw problemsError('usage', [...problems, ...configProblems], '(--help lists the commands and the options each takes)');
  }
  if (configProblems.length > 0) throw problemsError('config', configProblems);
  // serve and watch live for minutes: V8's optimising compiler pays off there
  if (command.name !== 'db serve' && command.name !== 'watch') compileWasmForShortRuns();
  return command.run(config, consoleOutput, args, { check: flags.check === true });
}

runMain(() => main(process.argv.slice(2)));
