import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { parseSupabaseConfig, readConfig, readSupabaseConfig } from '../src/config.js';
import { resolveSeedFiles } from '../src/database/supabase-config.js';
import { FIXTURES, copyFixture } from './helpers.js';

const FILE = 'supabase/config.toml';

test("a project's supabase/config.toml, as supabase init writes it: seed enabled, ./seed.sql", () => {
  const { config, problems } = parseSupabaseConfig(readFileSync(path.join(FIXTURES, 'bookshelf', 'supabase', 'config.toml'), 'utf8'), FILE);
  assert.deepEqual(problems, []);
  assert.deepEqual(config.seed, { enabled: true, sqlPaths: ['./seed.sql'] });
});

test('multi-line arrays, comments, defaults', () => {
  const read = (text: string) => parseSupabaseConfig(text, FILE);
  assert.deepEqual(read('[db.seed]\n# c\nsql_paths = [\n  "./a.sql", # first\n  \'./b/*.sql\',\n]\n'), {
    config: { seed: { enabled: true, sqlPaths: ['./a.sql', './b/*.sql'] } },
    problems: [],
    warnings: [],
  });
  assert.deepEqual(read('[db.seed]\nenabled = false\n').config.seed, { enabled: false, sqlPaths: ['./seed.sql'] });
  assert.deepEqual(read('').config.seed, { enabled: true, sqlPaths: ['./seed.sql'] });
});

test('any valid TOML is read: inline tables, dotted keys, arrays of tables, exponents, dates, multi-line strings', () => {
  const text = [
    'project_id = "x"',
    'inline = { a = 1 }',
    'dotted.key = 1',
    'n = 1e3',
    'd = 1979-05-27',
    's = """two',
    'lines"""',
    '[[functions]]',
    'name = "f"',
    '[db]',
    'seed.enabled = false',
    'seed.sql_paths = ["./s/*.sql"]',
  ].join('\n');
  assert.deepEqual(parseSupabaseConfig(text, FILE), { config: { seed: { enabled: false, sqlPaths: ['./s/*.sql'] } }, problems: [], warnings: [] });
});

test('a syntax error is one problem at file:line:col, with the lines around it and a caret', () => {
  const { problems } = parseSupabaseConfig('[db]\nport = 54322\n[db.seed\nenabled = true\n', FILE);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /^supabase\/config\.toml:3:9: illegal character in key\n {4}2: {2}port = 54322\n {4}3: {2}\[db\.seed\n {4} +\^/);
  for (const broken of ['x = { a = 1', 'a = 1\na = 2', 'x = 1979-13-45', 's = """open', 'x = [1, 2', 'x = yes']) {
    const [problem, ...rest] = parseSupabaseConfig(broken, FILE).problems;
    assert.equal(rest.length, 0, broken);
    assert.match(problem ?? '', /^supabase\/config\.toml:\d+:\d+: \S/, broken);
  }
});

test('[db.seed] values of the wrong type are problems that name the key and its line', () => {
  const { config, problems } = parseSupabaseConfig('[db.seed]\nenabled = "yes"\nsql_paths = "./seed.sql"\n', FILE);
  assert.deepEqual(problems, [
    'supabase/config.toml:2:1: [db.seed] enabled must be true or false, got "yes"',
    'supabase/config.toml:3:1: [db.seed] sql_paths must be a list of file paths or globs, like ["./seed.sql"], got "./seed.sql"',
  ]);
  assert.deepEqual(config.seed, { enabled: true, sqlPaths: ['./seed.sql'] }, 'the defaults stand in');
  assert.deepEqual(parseSupabaseConfig('db = 1\n', FILE).problems, ['supabase/config.toml: db must be a table ([db]), got 1']);
  assert.deepEqual(parseSupabaseConfig('db.seed.sql_paths = [1]\n', FILE).problems, [
    'supabase/config.toml:1:1: [db.seed] sql_paths must be a list of file paths or globs, like ["./seed.sql"], got [1]',
  ]);
});

test('config.toml is read with the command line: its problems come with the others, relative to the root', async () => {
  const dir = await copyFixture('project');
  await writeFile(path.join(dir, 'supabase', 'config.toml'), '[db.seed\nenabled = true\n');
  const { problems } = readConfig({ confirm: 'postgres' }, {}, dir);
  assert.equal(problems.length, 2);
  assert.match(problems[0]!, /^supabase\/config\.toml:1:9: illegal character in key/);
  assert.match(problems[1]!, /^--confirm names the server database to reset: it needs --db-url/);
  // no config.toml: the CLI's defaults
  assert.deepEqual(readSupabaseConfig(path.join(dir, 'nowhere'), FILE), {
    config: { seed: { enabled: true, sqlPaths: ['./seed.sql'] } },
    problems: [],
    warnings: [],
  });
});

test('seed globs resolve relative to the supabase folder, sorted, unmatched patterns reported', async () => {
  const dir = path.join(FIXTURES, 'project', 'supabase');
  const { config } = readSupabaseConfig(dir, FILE);
  const { files, unmatched } = await resolveSeedFiles(dir, config.seed.sqlPaths);
  assert.deepEqual(
    files.map((f) => path.relative(dir, f)),
    ['seeds/01_users.sql', 'seeds/02_notes.sql'],
  );
  assert.deepEqual(unmatched, ['./missing/*.sql']);
});
