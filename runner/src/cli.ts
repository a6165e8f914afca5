/**
 * The command line: parses arguments, calls one command, sets the exit code
 * (0 passed, 1 tests failed or a migration/seed failed, 2 usage, configuration,
 * refused or connection).
 *
 *   pg-tap-runner db reset|migrate|seed|status|serve|fingerprint [options]
 *   pg-tap-runner test [paths...] [options]
 *   pg-tap-runner docs [--schema-doc FILE] [--rls-matrix FILE] [--types FILE] [--check] | watch | new-migration NAME
 *   pg-tap-runner mutate [--grep REGEX] [--jobs N] [--list]
 *   pg-tap-runner -h | --help | help [command] | <command> --help | --version
 *
 * The list of commands and each command's help are generated from the table
 * below and the option table (config.ts OPTIONS).
 *
 * bin/pg-tap-runner.js runs it compiled (dist/cli.js) or through tsx; `tsx runner/src/cli.ts` is the same.
 */
import { readFileSync } from 'node:fs';
import { OPTIONS, parseCommandLine, problemsError, readConfig, type CommandLineSpec, type Config, type OptionName, type OptionSpec } from './config.js';
import { compileWasmForShortRuns } from './database/wasm.js';
import { runMain } from './main.js';
import { consoleOutput, type Output } from './output.js';

interface Command extends CommandLineSpec {
  /** its line in the list of commands */
  summary: string;
  /** the words after its name in its usage line */
  usage?: string;
  /** what it does, for its own --help */
  about?: string;
  /** an option's line in this command's --help, where OPTIONS' words do not fit it */
  optionHelp?: Partial<Record<OptionName, string>>;
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
  { name: 'db reset', summary: 'rebuild the database: platform bootstrap, migrations, seed',
    about: 'A new embedded database folder (or the server emptied, behind the production guard), then the platform\nbootstrap when missing, every migration, the seed and an analyze. Interrupted, the database is\nmarked incomplete (db status says so) until a reset completes.',
    options: [...TARGET, ...RESET, ...BUILD, 'summary'], args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/reset.js')).resetCommand(config, output) },
  { name: 'db migrate', summary: 'apply pending migrations', options: [...TARGET, 'include-all'], args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/migrate.js')).migrateCommand(config, output) },
  { name: 'db seed', summary: 'run the seed files ([db.seed] sql_paths in supabase/config.toml)', options: TARGET, args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/seed.js')).seedCommand(config, output) },
  { name: 'db status', summary: 'applied, pending, drifted and missing migrations; exit 1 on a problem', options: [...TARGET, 'include-all'], args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/status.js')).statusCommand(config, output) },
  { name: 'db serve', summary: 'serve the embedded database on 127.0.0.1 until Ctrl-C', options: ['data-dir', 'supabase-dir', 'port', ...BUILD], args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/serve.js')).serveCommand(config, output) },
  { name: 'db fingerprint', summary: 'the schema from the catalogue, one sorted item a line, to compare with diff', options: TARGET, args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/fingerprint.js')).fingerprintCommand(config, output) },
  { name: 'test', usage: '[paths|globs...] [options]', summary: 'the pgTAP files under supabase/tests; reports/junit.xml, reports/tap/',
    about: 'Every supabase/tests/**/*.sql and *.pg file (or the paths and globs given), on the snapshot of the\nmigrated, seeded database (embedded) or on the server after a reset.',
    options: [...TARGET, ...RESET, ...BUILD, ...TEST], args: { kind: 'many' },
    run: async (config, output) => (await import('./commands/test.js')).testCommand(config, output, { startedAt: 0 }) },
  { name: 'docs', usage: '[--schema-doc FILE] [--rls-matrix FILE] [--types FILE] [options]',
    summary: "generate the schema's Markdown page, its RLS matrix page and its TypeScript types",
    about: 'The files the options name (one at least), from a fresh in-memory database built from the migrations\n(never a server: DATABASE_URL is not used).',
    options: ['supabase-dir', 'schema-doc', 'rls-matrix', 'types', 'regenerate-command', 'check'], args: { kind: 'none' },
    run: async (config, output, _args, flags) => (await import('./commands/docs.js')).docsCommand(config, output, { check: flags.check }) },
  { name: 'watch', summary: 'rebuild and rerun the affected tests on every save under supabase/',
    about: 'An in-memory database (never a server: DATABASE_URL is not used), rebuilt when a migration, the seed\nor config.toml is saved; a saved test file reruns alone. Ctrl-C stops it (exit 130 during a run).',
    options: ['supabase-dir', ...BUILD], args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/watch.js')).watchCommand(config, output) },
  { name: 'new-migration', usage: 'NAME [options]', summary: 'create supabase/migrations/<UTC timestamp>_NAME.sql', options: ['supabase-dir'], args: { kind: 'one', name: 'NAME' },
    run: async (config, output, args) => (await import('./commands/new-migration.js')).newMigrationCommand(config, output, args[0]) },
  { name: 'mutate', summary: 'weaken the schema one rule at a time and run the suite against each',
    about: 'Survivors, then "mutation score: K of N killed"; reports/mutate-junit.xml; exit 1 on a survivor not\nlisted as equivalent.',
    optionHelp: {
      grep: 'only mutants whose id ("<operator> <object>") matches',
      jobs: 'mutants at once (embedded; default: every core); a server runs one at a time',
      timeout: "time limit of one mutant's run of the suite (default 120)",
    },
    options: [...TARGET, ...RESET, 'jobs', 'grep', 'timeout', 'no-cache', 'reports-dir', 'snapshot-dir', 'equivalents', 'list'], args: { kind: 'none' },
    run: async (config, output) => (await import('./commands/mutate.js')).mutateCommand(config, output) },
];

async function main(argv: string[]): Promise<number> {
  // `help` and `help <command>` are --help
  const words = argv[0] === 'help' ? [...argv.slice(1), '--help'] : argv;
  const { command, args, flags, problems } = parseCommandLine(words, COMMANDS);
  if (flags.version === true) {
    consoleOutput.info(`pg-tap-runner ${runnerVersion()}`);
    return 0;
  }
  if (flags.help === true) {
    consoleOutput.info(command === null ? globalHelp() : commandHelp(command));
    return 0;
  }
  if (command === null && problems.length === 0) {
    // no command: how to use it, on standard error, as a usage error
    consoleOutput.warn(globalHelp());
    return 2;
  }
  // the command line's problems and the configuration's, all at once, before anything is done
  const { config, problems: configProblems, warnings } = readConfig(flags, process.env, process.cwd(), command?.name === 'test' ? args : []);
  if (problems.length > 0 || command === null) {
    throw problemsError('usage', [...problems, ...configProblems], '(--help lists the commands; <command> --help the options each takes)');
  }
  if (configProblems.length > 0) throw problemsError('config', configProblems);
  for (const warning of warnings) consoleOutput.warn(`warning: ${warning}`);
  // serve and watch live for minutes: V8's optimising compiler pays off there
  if (command.name !== 'db serve' && command.name !== 'watch') compileWasmForShortRuns();
  return command.run(config, consoleOutput, args, { check: flags.check === true });
}

/** The list of commands. */
function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: pg-tap-runner <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'pg-tap-runner <command> --help (or help <command>) lists what a command does and its options;',
    '-h, --help, help: this list; --version: the version.',
  ].join('\n');
}

/** One command's help, from its option table: usage, what it does, each option it takes. */
function commandHelp(command: Command): string {
  const option = (name: OptionName) => {
    const spec: OptionSpec = OPTIONS[name];
    return `--${name}${spec.type === 'string' ? ` ${spec.value}` : ''}`;
  };
  const names = command.options as OptionName[];
  const width = Math.max(0, ...names.map((n) => option(n).length));
  return [
    `usage: pg-tap-runner ${command.name} ${command.usage ?? '[options]'}`,
    '',
    command.summary,
    ...(command.about === undefined ? [] : [command.about]),
    '',
    'options:',
    ...names.map((n) => `  ${option(n).padEnd(width)}  ${command.optionHelp?.[n] ?? OPTIONS[n].help}`),
    `  ${'-h, --help'.padEnd(width)}  this help`,
  ].join('\n');
}

function runnerVersion(): string {
  // src/cli.ts and dist/cli.js both sit one folder below package.json
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

runMain(() => main(process.argv.slice(2)));
