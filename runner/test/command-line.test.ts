/**
 * The command line, strictly (config.ts parseCommandLine, pure), then the real
 * CLI in a child process: every problem at once, exit 2, nothing touched.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseCommandLine, readConfig, type CommandLineSpec } from '../src/config.js';
import { refused, usage } from '../src/errors.js';
import { reportError } from '../src/main.js';
import { memoryOutput } from '../src/output.js';
import { FIXTURES, copyFixture } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/pg-tap-runner.js', import.meta.url));

const COMMANDS: CommandLineSpec[] = [
  { name: 'db reset', options: ['data-dir', 'summary'], args: { kind: 'none' } },
  { name: 'db serve', options: ['data-dir', 'port'], args: { kind: 'none' } },
  { name: 'test', options: ['jobs', 'timeout', 'bail', 'no-cache', 'reporter'], args: { kind: 'many' } },
  { name: 'new-migration', options: [], args: { kind: 'one', name: 'NAME' } },
  { name: 'bench', options: [], args: { kind: 'many', choices: ['data', 'vector'] } },
];
const parse = (line: string) => parseCommandLine(line === '' ? [] : line.split(' '), COMMANDS);

test('a command, its words and its options', () => {
  const parsed = parse('test a.sql --jobs 2 b.sql --bail --timeout=30 --no-cache');
  assert.equal(parsed.command?.name, 'test');
  assert.deepEqual(parsed.args, ['a.sql', 'b.sql']);
  assert.deepEqual(parsed.flags, { jobs: '2', bail: true, timeout: '30', 'no-cache': true });
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parse('--data-dir x db reset').flags, { 'data-dir': 'x' }, 'options may come first');
  assert.equal(parse('').command, null);
});

test('a value that starts with a dash is the value, judged with the others', () => {
  const parsed = parse('test --timeout -1 --jobs 0');
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(readConfig(parsed.flags, {}, path.join(FIXTURES, 'bookshelf')).problems, [
    '--jobs must be a whole number from 1 to 64 (got 0)',
    '--timeout must be a number of seconds above 0 (got -1)',
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
});

test('words: unknown commands, a command that takes none, one NAME, known sections', () => {
  assert.deepEqual(parse('nope').problems, ['unknown command "nope": the commands are db, test, new-migration, bench']);
  assert.deepEqual(parse('db nope').problems, ['unknown command "db nope": db takes reset, serve']);
  assert.deepEqual(parse('db reset now').problems, ['db reset takes no arguments (got now)']);
  assert.deepEqual(parse('new-migration bad name').problems, ['new-migration takes one NAME (got 2: bad name)']);
  assert.deepEqual(parse('new-migration').problems, ['new-migration takes one NAME (got none)']);
  assert.deepEqual(parse('bench data plots').problems, ['bench does not know plots (it takes data, vector)']);
});

test("a program that is one command, with an option of its own (the bench's --scale)", () => {
  const bench = { name: '', label: 'bench', options: ['db-url', 'scale'], args: { kind: 'many', choices: ['data', 'vector'] } } as const;
  const extra = { scale: { type: 'string', value: 'small|full' } } as const;
  const parsed = parseCommandLine(['vector', '--scale', 'full'], [bench], extra);
  assert.deepEqual([parsed.command?.label, parsed.args, parsed.flags, parsed.problems], ['bench', ['vector'], { scale: 'full' }, []]);
  assert.deepEqual(parseCommandLine(['plots', '--jobs', '2', '--scale'], [bench], extra).problems, [
    'bench does not know plots (it takes data, vector)',
    '--jobs is not an option of bench',
    '--scale needs a value: --scale small|full',
  ]);
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
  assert.match(reset.stderr, /^error: 2 problems:\n {2}- --jobs is not an option of db reset \(test takes it\)\n {2}- supabase\/config\.toml:3:9: illegal character in key\n/);
  assert.match(reset.stderr, /\[db\.seed\n/);
  assert.doesNotMatch(reset.stderr, /unexpected error|\n {4}at /, 'no stack trace');
  assert.deepEqual(await readdir(dataDir), ['precious'], 'nothing was reset');

  const test = await cli(['test', '--timeout', '-1', '--jobs', '0', '--reporter', 'xml', '--port', '1'], path.join(FIXTURES, 'bookshelf'));
  assert.equal(test.code, 2);
  assert.deepEqual(test.stderr.split('\n').slice(0, 5), [
    'error: 4 problems:',
    '  - --port is not an option of test (db serve takes it)',
    '  - --reporter must be human or tap (got xml)',
    '  - --jobs must be a whole number from 1 to 64 (got 0)',
    '  - --timeout must be a number of seconds above 0 (got -1)',
  ]);
});

test('a refusal is printed as it reads ("refusing to …"), an error with "error:", each once', () => {
  const output = memoryOutput();
  assert.equal(reportError(refused('refusing to migrate, nothing was applied:\n  - x'), output), 2);
  assert.equal(reportError(usage('--jobs needs a value: --jobs N'), output), 2);
  // eslint-disable-next-line no-control-regex
  assert.deepEqual(output.warnings.map((l) => l.replace(/\x1b\[[0-9;]*m/g, '')), ['refusing to migrate, nothing was applied:\n  - x', 'error: --jobs needs a value: --jobs N']);
});
