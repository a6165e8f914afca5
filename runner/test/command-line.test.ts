/**
 * The command line, strictly (command-line.ts parseCommandLine over the
 * commands' tables, pure), each command's help from its table, then the real
 * CLI in a child process: every problem at once, exit 2, nothing touched.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Invalid, commandHelp, parseCommandLine, type CommandSpec } from '../src/command-line.js';
import { COMMANDS } from '../src/commands/index.js';
import { TARGET } from '../src/commands/options.js';
import { readConfig } from '../src/config.js';
import { refused, usage } from '../src/errors.js';
import { reportError } from '../src/main.js';
import { memoryOutput } from '../src/output.js';
import { FIXTURES, copyFixture } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/pg-tap-runner.js', import.meta.url));

const parse = (line: string) => parseCommandLine(line === '' ? [] : line.split(' '), COMMANDS);

test('a command, its words and its options, each value checked and converted by its table', () => {
  const parsed = parse('test a.sql --jobs 2 b.sql --bail --timeout=30 --no-cache --shard 1/3 --grep ^0');
  assert.equal(parsed.command?.name, 'test');
  assert.deepEqual(parsed.args, ['a.sql', 'b.sql']);
  assert.deepEqual(parsed.values, { jobs: 2, bail: true, timeout: 30, 'no-cache': true, shard: { index: 1, count: 3 }, grep: /^0/ });
  assert.deepEqual([parsed.problems, parsed.invalid], [[], []]);
  assert.deepEqual(parse('--data-dir x db reset').values, { 'data-dir': 'x' }, 'options may come first');
  assert.deepEqual(parse('db serve --port 5433').values, { port: 5433 });
  assert.equal(parse('').command, null);
});

test('a value that starts with a dash is the value, judged by its table with the others', () => {
  const parsed = parse('test --timeout -1 --jobs 0 --shard 3/2 --grep ( --reporter xml');
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.invalid, [
    '--timeout must be a number of seconds above 0 (got -1)',
    '--jobs must be a whole number from 1 to 64 (got 0)',
    '--shard must be i/n with 1 <= i <= n (got 3/2)',
    '--grep is not a valid regular expression: Invalid regular expression: /(/: Unterminated group',
    '--reporter must be human or tap (got xml)',
  ]);
  assert.deepEqual(parse('db serve --port 70000').invalid, ['--port must be a port number from 1 to 65535 (got 70000)']);
  // what the command line cannot judge alone, the configuration does
  assert.deepEqual(readConfig(parse('test --confirm app').values, {}, path.join(FIXTURES, 'bookshelf')).problems, [
    '--confirm names the server database to reset: it needs --db-url or DATABASE_URL',
  ]);
});

test('every problem at once: a missing value, an option of another command, unknown options, a flag with a value, twice', () => {
  assert.deepEqual(parse('test --port 1 --nope --bail=yes --jobs 2 --jobs 3 -x --reporter').problems, [
    '--port is not an option of test (db serve takes it)',
    'unknown option --nope',
    '--bail takes no value (got --bail=yes)',
    '--jobs is given more than once',
    'unknown option -x',
    '--reporter needs a value: --reporter human|tap',
  ]);
  assert.deepEqual(parse('test --jobs --bail').problems, ['--jobs needs a value: --jobs N (got the option --bail)']);
  assert.deepEqual(parse('test --jobs=').problems, ['--jobs needs a value: --jobs N']);
  assert.deepEqual(parse('watch --check').problems, ['--check is not an option of watch (docs takes it)']);
});

test('words: unknown commands, a command that takes none, one NAME', () => {
  assert.deepEqual(parse('nope').problems, ['unknown command "nope": the commands are db, test, docs, watch, new-migration, mutate']);
  assert.deepEqual(parse('db nope').problems, ['unknown command "db nope": db takes reset, migrate, seed, status, serve, fingerprint']);
  assert.deepEqual(parse('db reset now').problems, ['db reset takes no arguments (got now)']);
  assert.deepEqual(parse('new-migration bad name').problems, ['new-migration takes one NAME (got 2: bad name)']);
  assert.deepEqual(parse('new-migration').problems, ['new-migration takes one NAME (got none)']);
});

test('a program that is one command, with options of its own and known sections (the bench)', () => {
  const bench: CommandSpec = {
    name: '',
    label: 'bench',
    summary: 'the benchmark',
    options: {
      'db-url': TARGET['db-url'],
      scale: {
        value: 'small|full',
        help: 'the scale',
        parse: (t) => (t === 'small' || t === 'full' ? t : new Invalid(`--scale must be small or full (got ${t})`)),
      },
    },
    args: { kind: 'many', choices: ['data', 'vector'] },
  };
  const parsed = parseCommandLine(['vector', '--scale', 'full'], [bench]);
  assert.deepEqual([parsed.command?.label, parsed.args, parsed.values, parsed.problems], ['bench', ['vector'], { scale: 'full' }, []]);
  assert.deepEqual(parseCommandLine(['plots', '--jobs', '--scale'], [bench]).problems, [
    'bench does not know plots (it takes data, vector)',
    'unknown option --jobs',
    '--scale needs a value: --scale small|full',
  ]);
  assert.deepEqual(parseCommandLine(['--scale', 'huge'], [bench]).invalid, ['--scale must be small or full (got huge)']);
  assert.match(commandHelp('bench', bench), /^usage: bench \[options\]\n\nthe benchmark\n\noptions:\n {2}--db-url URL {8}a PostgreSQL server/);
});

test("a command's help is its table: each option it takes, with its value, help line and default, and no other", () => {
  const help = commandHelp('pg-tap-runner', COMMANDS.find((c) => c.name === 'test')!);
  assert.match(help, /^usage: pg-tap-runner test \[paths\|globs\.\.\.\] \[options\]\n/);
  assert.match(help, /\n {2}--jobs N +files at once: worker threads \(embedded\) or connections \(server\) \(default 1\)\n/);
  assert.match(help, /\n {2}--bail +stop at the first failing file\n/);
  assert.match(help, /\n {2}-h, --help +this help$/);
  for (const command of COMMANDS) {
    const lines = commandHelp('pg-tap-runner', command).split('\n');
    const options = lines.slice(lines.indexOf('options:') + 1).map((l) => /^ {2}(-h, --help|--[\w-]+)/.exec(l)?.[1]);
    assert.deepEqual(options, [...Object.keys(command.options).map((o) => `--${o}`), '-h, --help'], command.name);
  }
});

/** The package's bin as a project runs it, in its own process. */
function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '' } }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 2, stdout, stderr }),
    );
  });
}

test('the CLI: every problem of the command line and config.toml at once, exit 2, the data folder untouched', async () => {
  const dir = await copyFixture('project');
  await writeFile(path.join(dir, 'supabase', 'config.toml'), '[db]\nport = 54322\n[db.seed\nenabled = true\n');
  const dataDir = path.join(dir, 'data');
  await mkdir(dataDir);
  await writeFile(path.join(dataDir, 'precious'), 'x');
  const reset = await cli(['db', 'reset', '--data-dir', dataDir, '--jobs'], dir);
  assert.equal(reset.code, 2);
  assert.equal(reset.stdout, '');
  assert.match(
    reset.stderr,
    /^error: 2 problems:\n {2}- --jobs is not an option of db reset \(test, mutate take it\)\n {2}- supabase\/config\.toml:3:9: illegal character in key\n/,
  );
  assert.match(reset.stderr, /\[db\.seed\n/);
  assert.doesNotMatch(reset.stderr, /unexpected error|\n {4}at /, 'no stack trace');
  assert.deepEqual(await readdir(dataDir), ['precious'], 'nothing was reset');

  const test = await cli(['test', '--timeout', '-1', '--jobs', '0', '--reporter', 'xml', '--port', '1'], path.join(FIXTURES, 'bookshelf'));
  assert.equal(test.code, 2);
  assert.deepEqual(test.stderr.split('\n').slice(0, 5), [
    'error: 4 problems:',
    '  - --port is not an option of test (db serve takes it)',
    '  - --timeout must be a number of seconds above 0 (got -1)',
    '  - --jobs must be a whole number from 1 to 64 (got 0)',
    '  - --reporter must be human or tap (got xml)',
  ]);
});

test('a refusal is printed as it reads ("refusing to …"), an error with "error:", each once', () => {
  const output = memoryOutput();
  assert.equal(reportError(refused('refusing to migrate, nothing was applied:\n  - x'), output), 2);
  assert.equal(reportError(usage('--jobs needs a value: --jobs N'), output), 2);
  // eslint-disable-next-line no-control-regex
  assert.deepEqual(
    output.warnings.map((l) => l.replace(/\x1b\[[0-9;]*m/g, '')),
    ['refusing to migrate, nothing was applied:\n  - x', 'error: --jobs needs a value: --jobs N'],
  );
});
