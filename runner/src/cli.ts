/**
 * The command line: parses arguments, calls one command, sets the exit code
 * (0 passed, 1 tests failed or a migration/seed failed, 2 usage, configuration,
 * refused or connection). `-h`, `--help` and `help` list the commands; `<command>
 * --help` and `help <command>` show one, from its option table
 * (commands/<command>.options.ts, listed in commands/index.ts); `--version`.
 *
 * bin/pg-tap-runner.js runs it compiled (dist/cli.js) or through tsx; `tsx runner/src/cli.ts` is the same.
 */
import { readFileSync } from 'node:fs';
import { commandHelp, commandsHelp, parseCommandLine, problemsError } from './command-line.js';
import { COMMANDS } from './commands/index.js';
import { readConfig } from './config.js';
import { compileWasmForShortRuns } from './database/wasm.js';
import { runMain } from './main.js';
import { consoleOutput } from './output.js';

async function main(argv: string[]): Promise<number> {
  // `help` and `help <command>` are --help
  const words = argv[0] === 'help' ? [...argv.slice(1), '--help'] : argv;
  const { command, args, values, problems, invalid } = parseCommandLine(words, COMMANDS);
  if (values.version === true) {
    consoleOutput.info(`pg-tap-runner ${runnerVersion()}`);
    return 0;
  }
  if (values.help === true) {
    consoleOutput.info(command === null ? commandsHelp('pg-tap-runner', COMMANDS) : commandHelp('pg-tap-runner', command));
    return 0;
  }
  if (command === null && problems.length === 0) {
    // no command: how to use it, on standard error, as a usage error
    consoleOutput.warn(commandsHelp('pg-tap-runner', COMMANDS));
    return 2;
  }
  // the command line's problems and the configuration's, all at once, before anything is done
  const { config, problems: configProblems, warnings } = readConfig(values, process.env, process.cwd(), command?.name === 'test' ? args : []);
  if (problems.length > 0 || command === null) {
    throw problemsError('usage', [...problems, ...invalid, ...configProblems], '(--help lists the commands; <command> --help the options each takes)');
  }
  if (invalid.length + configProblems.length > 0) throw problemsError('config', [...invalid, ...configProblems]);
  for (const warning of warnings) consoleOutput.warn(`warning: ${warning}`);
  // serve and watch live for minutes: V8's optimising compiler pays off there
  if (command.name !== 'db serve' && command.name !== 'watch') compileWasmForShortRuns();
  return command.run(config, consoleOutput, args, values);
}

function runnerVersion(): string {
  // src/cli.ts and dist/cli.js both sit one folder below package.json
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

runMain(() => main(process.argv.slice(2)));
