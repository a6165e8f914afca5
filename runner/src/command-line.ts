/**
 * A command line from option tables (graphile-migrate's commands and their
 * yargs builders are the model): each command declares its options once, with
 * the value each takes, its help line, its default and how its text is checked;
 * parsing, validation, the command's --help, the list of commands and the
 * README's usage block are made from those tables. Pure: no file, no process.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { RunnerError } from './errors.js';

/** An option: a flag, or one that takes a value (`value` names it: `--jobs N`). */
export interface Option<T = unknown> {
  value?: string;
  short?: string;
  /** its line in --help */
  help: string;
  /** what applies when it is not given, as --help shows it */
  default?: string | number;
  /** the value from its text, or the problem with it (`must be ...`) */
  parse?: (text: string) => T | Invalid;
}

export class Invalid {
  constructor(readonly problem: string) {}
}

/** The options of `V` (what a command passes on), each with its table entry. */
export type OptionTable<V = Record<string, unknown>> = { [K in keyof V]?: Option<NonNullable<V[K]>> };
/** What a table gives: each option given, as its `parse` made it. */
export type ValuesOf<T> = { [K in keyof T]?: T[K] extends Option<infer V> | undefined ? V : never };

/** What a command accepts and how its help reads. */
export interface CommandSpec {
  /** the words that name it: "db reset", "test"; '' for a program that is one command (the bench) */
  name: string;
  /** what messages call it, when not its name (a program that is one command: "bench") */
  label?: string;
  /** its line in the list of commands */
  summary: string;
  /** the words after its name in its usage line (default `[options]`) */
  usage?: string;
  /** what it does, for its own --help */
  about?: string;
  options: OptionTable;
  /** the words after its name: none, exactly one (`new-migration NAME`), or any number (paths, sections) */
  args: { kind: 'none' } | { kind: 'one'; name: string } | { kind: 'many'; choices?: readonly string[] };
}

/** Every command takes these; they print and exit. */
export const GLOBAL: OptionTable<{ help: boolean; version: boolean }> = {
  help: { short: 'h', help: 'this help' },
  version: { help: "the runner's version" },
};

export interface ParsedCommandLine<S extends CommandSpec> {
  /** null when no command was named */
  command: S | null;
  /** the words after the command's name */
  args: string[];
  /** each option given, checked: a flag is true, a value is what its table's `parse` made of its text */
  values: ValuesOf<S['options'] & typeof GLOBAL>;
  /** the words and options that do not fit the command, in the order of the arguments */
  problems: string[];
  /** values their table refuses (`--jobs 0`), in the order of the arguments */
  invalid: string[];
}

/**
 * The command line, strictly: the command named by the first words, then every
 * option checked against that command's table. Problems are collected, not
 * thrown: an unknown option, an option the command does not take, an option
 * without its value (`--jobs` at the end, `--jobs --bail`), a value given to a
 * flag, an option given twice, unexpected words, a value its table refuses. A
 * value may start with a dash (`--timeout -1`): it is the option's value, judged
 * by its table.
 */
export function parseCommandLine<S extends CommandSpec>(argv: string[], commands: readonly S[]): ParsedCommandLine<S> {
  const known: OptionTable = Object.assign({}, ...commands.map((c) => c.options), GLOBAL);
  const options: ParseArgsConfig['options'] = {};
  for (const [name, o] of Object.entries(known))
    options[name] = { type: o!.value === undefined ? 'boolean' : 'string', ...(o!.short === undefined ? {} : { short: o!.short }) };
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const words = tokens.flatMap((t) => (t.kind === 'positional' ? [t.value] : []));
  const problems: string[] = [];
  const invalid: string[] = [];

  const nameOf = (spec: S) => spec.name.split(' ').filter((w) => w !== '');
  let command: S | null = null;
  for (const spec of commands) {
    const name = nameOf(spec);
    if (name.every((word, i) => words[i] === word) && (command === null || name.length > nameOf(command).length)) command = spec;
  }
  const args = command === null ? [] : words.slice(nameOf(command).length);
  if (command === null && words.length > 0) {
    const group = commands.filter((c) => c.name.startsWith(`${words[0]} `));
    problems.push(
      group.length > 0
        ? `unknown command "${words.slice(0, 2).join(' ')}": ${words[0]} takes ${group.map((c) => c.name.split(' ')[1]).join(', ')}`
        : `unknown command "${words[0]}": the commands are ${[...new Set(commands.map((c) => c.name.split(' ')[0]))].join(', ')}`,
    );
  } else if (command !== null) {
    const spec = command.args;
    const it = command.label ?? command.name;
    if (spec.kind === 'none' && args.length > 0) problems.push(`${it} takes no arguments (got ${args.join(' ')})`);
    if (spec.kind === 'one' && args.length !== 1) {
      problems.push(`${it} takes one ${spec.name} (got ${args.length === 0 ? 'none' : `${args.length}: ${args.join(' ')}`})`);
    }
    if (spec.kind === 'many' && spec.choices !== undefined) {
      const unknown = args.filter((a) => !spec.choices!.includes(a));
      if (unknown.length > 0) problems.push(`${it} does not know ${unknown.join(', ')} (it takes ${spec.choices.join(', ')})`);
    }
  }

  const values: Record<string, unknown> = {};
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const { name, rawName: raw } = token;
    const option = Object.hasOwn(GLOBAL, name) ? GLOBAL[name as keyof typeof GLOBAL] : command === null ? known[name] : command.options[name];
    if (option === undefined) {
      const takers = commands.filter((c) => Object.hasOwn(c.options, name)).map((c) => c.name);
      if (takers.length === 0) problems.push(`unknown option ${raw}`);
      else problems.push(`${raw} is not an option of ${command!.label ?? command!.name} (${takers.join(', ')} ${takers.length === 1 ? 'takes' : 'take'} it)`);
      continue;
    }
    if (values[name] !== undefined) {
      problems.push(`${raw} is given more than once`);
      continue;
    }
    if (option.value === undefined) {
      if (token.value !== undefined) problems.push(`${raw} takes no value (got ${raw}=${token.value})`);
      else values[name] = true;
      continue;
    }
    const text = token.value;
    if (text === undefined || text === '' || (!token.inlineValue && text.startsWith('--'))) {
      problems.push(`${raw} needs a value: ${raw} ${option.value}${text?.startsWith('--') ? ` (got the option ${text})` : ''}`);
      continue;
    }
    const value = option.parse === undefined ? text : option.parse(text);
    if (value instanceof Invalid) invalid.push(value.problem);
    else values[name] = value;
  }
  return { command, args, values: values as ParsedCommandLine<S>['values'], problems, invalid };
}

/** One error listing every problem, for the command line and the configuration. */
export function problemsError(kind: 'usage' | 'config', problems: string[], hint?: string): RunnerError {
  const lines = problems.length === 1 ? [problems[0]!] : [`${problems.length} problems:`, ...problems.map((p) => `  - ${p.split('\n').join('\n    ')}`)];
  return new RunnerError(kind, [...lines, ...(hint === undefined ? [] : [hint])].join('\n'));
}

// ---------------------------------------------------------------- help

/** The list of commands, for `<program> --help`. */
export function commandsHelp(program: string, commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `usage: ${program} <command> [options]`,
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `${program} <command> --help (or help <command>) lists what a command does and its options;`,
    '-h, --help, help: this list; --version: the version.',
  ].join('\n');
}

/** One command's help, from its table: usage, what it does, each option it takes. */
export function commandHelp(program: string, command: CommandSpec): string {
  const rows: [string, string][] = Object.entries(command.options).map(([name, o]) => [
    `--${name}${o!.value === undefined ? '' : ` ${o!.value}`}`,
    o!.default === undefined ? o!.help : `${o!.help} (default ${o!.default})`,
  ]);
  rows.push(['-h, --help', GLOBAL.help!.help]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `usage: ${[program, command.name, command.usage ?? '[options]'].filter((w) => w !== '').join(' ')}`,
    '',
    command.summary,
    ...(command.about === undefined ? [] : [command.about]),
    '',
    'options:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
  ].join('\n');
}

/** The README's usage block: the list of commands, then each command's --help, as graphile-migrate's README shows its own. */
export function usageMarkdown(program: string, commands: readonly CommandSpec[]): string {
  const block = (title: string, text: string) => [`### \`${title}\``, '', '```text', text, '```'].join('\n');
  return [block(program, commandsHelp(program, commands)), ...commands.map((c) => block(`${program} ${c.name}`, commandHelp(program, c)))].join('\n\n');
}
