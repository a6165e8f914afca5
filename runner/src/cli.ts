/**
 * The command line: parses arguments, calls one command, sets the exit code
 * (0 passed, 1 tests failed or a migration/seed failed, 2 usage, configuration,
 * refused or connection).
 *
 *   pg-tap-runner db reset|migrate|seed|status|serve|fingerprint [options]
 *   pg-tap-runner test [paths...] [options]
 *   pg-tap-runner docs [--check] | watch | new-migration NAME
 *
 * bin/pg-tap-runner.js runs it compiled (dist/cli.js) or through tsx; `tsx runner/src/cli.ts` is the same.
 */
import { loadConfig, parseCommandLine, type Config } from './config.js';
import { compileWasmForShortRuns } from './database/wasm.js';
import { usage } from './errors.js';
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

options:
  --db-url URL        a PostgreSQL server instead of the embedded database (or DATABASE_URL)
  --data-dir DIR      the embedded database's folder (default .data/pglite, or PGLITE_DATA_DIR)
  --supabase-dir DIR  the supabase folder (default supabase)
  --allow-remote --confirm DBNAME   allow resetting a server that is not on loopback

test options:
  --jobs N            files at once: worker threads (embedded) or connections (server); default 1
  --shard i/n         run the i-th of n deterministic parts of the files (CI matrices)
  --grep REGEX        only files whose path matches
  --bail              stop at the first failing file
  --timeout SECONDS   per-file time limit (default 120)
  --reporter human|tap   a readable report (default) or one TAP document on standard output
  --no-cache          rebuild the database snapshot even when nothing changed
  --reports-dir DIR   where junit.xml and tap/ go (default reports)
  --snapshot-dir DIR  where snapshots are kept (default .data/snapshots, or PGLITE_SNAPSHOT_DIR)`;

type Command = (config: Config, output: Output) => Promise<number>;
// each command's module is loaded only when it runs: a start pays for one command's imports, not all of them
const DB_COMMANDS: Record<string, () => Promise<Command>> = {
  reset: async () => (await import('./commands/reset.js')).resetCommand,
  migrate: async () => (await import('./commands/migrate.js')).migrateCommand,
  seed: async () => (await import('./commands/seed.js')).seedCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  fingerprint: async () => (await import('./commands/fingerprint.js')).fingerprintCommand,
};

async function main(argv: string[]): Promise<number> {
  const { words, flags } = parseCommandLine(argv);
  if (flags['help'] === true || words.length === 0) {
    consoleOutput.info(HELP);
    return words.length === 0 && flags['help'] !== true ? 2 : 0;
  }
  const [group, name, ...rest] = words;
  let command: Command | undefined;
  let testPaths: string[] = [];
  if (group === 'db' && name !== undefined && rest.length === 0) command = Object.hasOwn(DB_COMMANDS, name) ? await DB_COMMANDS[name]!() : undefined;
  else if (group === 'test') {
    command = (await import('./commands/test.js')).testCommand;
    testPaths = words.slice(1);
  } else if (group === 'docs' && name === undefined) {
    const { docsCommand } = await import('./commands/docs.js');
    command = (config, output) => docsCommand(config, output, { check: flags['check'] === true });
  } else if (group === 'watch' && name === undefined) {
    command = (await import('./commands/watch.js')).watchCommand;
  } else if (group === 'new-migration' && rest.length === 0) {
    const { newMigrationCommand } = await import('./commands/new-migration.js');
    command = (config, output) => newMigrationCommand(config, output, name);
  }
  if (command === undefined) throw usage(`unknown command "${words.join(' ')}"\n${HELP}`);
  // serve and watch live for minutes: V8's optimising compiler pays off there
  if (!(group === 'db' && name === 'serve') && group !== 'watch') compileWasmForShortRuns();
  return command(loadConfig(flags, process.env, process.cwd(), testPaths), consoleOutput);
}

runMain(() => main(process.argv.slice(2)));
