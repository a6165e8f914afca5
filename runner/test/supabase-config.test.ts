import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseToml, readSeedConfig, resolveSeedFiles, seedConfig } from '../src/database/supabase-config.js';
import { FIXTURES } from './helpers.js';

test("a project's supabase/config.toml: seed enabled, ./seed.sql, database settings", () => {
  const toml = parseToml(readFileSync(path.join(FIXTURES, 'bookshelf', 'supabase', 'config.toml'), 'utf8'));
  assert.equal(toml['']!['project_id'], 'bookshelf');
  assert.equal(toml['db']!['major_version'], 15);
  assert.equal(toml['db']!['port'], 54322);
  assert.deepEqual(seedConfig(toml), { enabled: true, sqlPaths: ['./seed.sql'] });
});

test('multi-line arrays, comments, defaults', () => {
  const toml = parseToml('[db.seed]\n# c\nsql_paths = [\n  "./a.sql", # first\n  \'./b/*.sql\',\n]\n');
  assert.deepEqual(seedConfig(toml), { enabled: true, sqlPaths: ['./a.sql', './b/*.sql'] });
  assert.deepEqual(seedConfig(parseToml('[db.seed]\nenabled = false\n')), { enabled: false, sqlPaths: ['./seed.sql'] });
});

test('seed globs resolve relative to the supabase folder, sorted, unmatched patterns reported', async () => {
  const dir = path.join(FIXTURES, 'project', 'supabase');
  const config = await readSeedConfig(dir);
  const { files, unmatched } = await resolveSeedFiles(dir, config.sqlPaths);
  assert.deepEqual(files.map((f) => path.relative(dir, f)), ['seeds/01_users.sql', 'seeds/02_notes.sql']);
  assert.deepEqual(unmatched, ['./missing/*.sql']);
});
