import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { watchCommand } from '../src/commands/watch.js';
import { migrationFileName, newMigrationProblems, utcVersion } from '../src/database/migration-name.js';
import { memoryOutput } from '../src/output.js';
import { classifyChange, debounce, describeChanges, planRun, runSummary, type FileVerdict } from '../src/suite/watch-plan.js';
import { FIXTURES, fixtureConfig } from './helpers.js';

const paths = {
  migrationsDir: '/repo/supabase/migrations',
  testsDir: '/repo/supabase/tests',
  seedFiles: ['/repo/supabase/seed.sql'],
  configFile: '/repo/supabase/config.toml',
};

test('new migration: the UTC timestamp and snake_case name, as supabase migration new', () => {
  const at = new Date(Date.UTC(2025, 7, 17, 9, 5, 3));
  assert.equal(utcVersion(at), '20250817090503');
  assert.equal(migrationFileName('add_tags', at), '20250817090503_add_tags.sql');
  assert.deepEqual(newMigrationProblems('add_tags', '20250817090503', ['20250817000001_initial_schema.sql']), []);
});

test('new migration: refuses names that are not snake_case', () => {
  for (const name of ['AddTags', 'add-tags', 'add tags', '1_add', 'add__tags', '_add', 'add_', '']) {
    assert.equal(newMigrationProblems(name, '20250817090503', []).length, 1, name);
  }
});

test('new migration: refuses an existing name, a taken version, and a file that would sort after it', () => {
  const existing = ['20250817000001_initial_schema.sql', '20990101000000_future.sql', 'README.md'];
  const problems = newMigrationProblems('initial_schema', '20250817000001', existing);
  assert.equal(problems.length, 3);
  assert.match(problems[0] ?? '', /named "initial_schema" exists already/);
  assert.match(problems[1] ?? '', /version 20250817000001 is taken/);
  assert.match(problems[2] ?? '', /20990101000000_future.sql comes after 20250817000001_initial_schema.sql in file-name order/);
  // a hand-named short version sorts by its characters, not its value: 3_x.sql comes after 2025…
  assert.match(newMigrationProblems('next', '20250817090503', ['3_hand_named.sql'])[0] ?? '', /3_hand_named.sql comes after/);
  assert.deepEqual(newMigrationProblems('next', '20250817090503', ['202501011200_short.sql']), []);
});

test('watch: classifies saved files; editor files and other folders do not matter', () => {
  assert.equal(classifyChange('/repo/supabase/migrations/1_a.sql', paths), 'migration');
  assert.equal(classifyChange('/repo/supabase/seed.sql', paths), 'seed');
  assert.equal(classifyChange('/repo/supabase/config.toml', paths), 'seed');
  assert.equal(classifyChange('/repo/supabase/tests/sub/200_x.sql', paths), 'test');
  assert.equal(classifyChange('/repo/supabase/tests/300_y.pg', paths), 'test', 'pg_prove runs .pg files too');
  assert.equal(classifyChange('/repo/supabase/tests/notes.md', paths), null);
  assert.equal(classifyChange('/repo/supabase/tests/.200_x.sql.swp', paths), null);
  assert.equal(classifyChange('/repo/supabase/tests/200_x.sql~', paths), null);
  assert.equal(classifyChange('/repo/supabase/migrations/notes.md', paths), null);
  assert.equal(classifyChange('/repo/supabase/other.sql', paths), null);
  assert.equal(classifyChange('/repo/supabase/.temp/cli-latest', paths), null);
});

test('watch: a migration or seed rebuilds and reruns all; test files rerun alone', () => {
  assert.equal(planRun(new Map()), null);
  assert.deepEqual(
    planRun(
      new Map([
        ['/t/b.sql', 'test'],
        ['/t/a.sql', 'test'],
      ]),
    ),
    { rebuild: false, tests: ['/t/a.sql', '/t/b.sql'] },
  );
  assert.deepEqual(
    planRun(
      new Map([
        ['/t/a.sql', 'test'],
        ['/m/1_a.sql', 'migration'],
      ]),
    ),
    { rebuild: true, tests: 'all' },
  );
  assert.deepEqual(planRun(new Map([['/s/seed.sql', 'seed']])), { rebuild: true, tests: 'all' });
});

test('watch: only what changed is described', () => {
  const ok = (passed: number): FileVerdict => ({ ok: true, passed, failures: [] });
  const failing = (...failures: string[]): FileVerdict => ({ ok: false, passed: 1, failures });
  const before = new Map([
    ['a.sql', ok(3)],
    ['b.sql', ok(2)],
    ['c.sql', failing('2 - x')],
    ['d.sql', failing('1 - y')],
    ['gone.sql', ok(1)],
  ]);
  const after = new Map([
    ['a.sql', ok(3)],
    ['b.sql', failing('2 - owners see their rows')],
    ['c.sql', ok(2)],
    ['d.sql', failing('1 - y', '3 - z')],
    ['new.sql', ok(1)],
  ]);
  assert.deepEqual(describeChanges(before, after, ['a.sql', 'b.sql', 'c.sql', 'd.sql', 'new.sql']), [
    'FAIL  b.sql (was ok)',
    '        now   2 - owners see their rows',
    'ok    c.sql (was failing)',
    'FAIL  d.sql (still failing, differently)',
    '        still 1 - y',
    '        now   3 - z',
    'new   ok    new.sql',
    'gone  gone.sql',
  ]);
  assert.deepEqual(describeChanges(before, before, [...before.keys()]), []);
  assert.equal(runSummary(after, before), '8 passed, 3 failed (was 8 passed, 2 failed)');
  assert.equal(runSummary(before, before), '8 passed, 2 failed (unchanged)');
});

test('watch: debounce gathers a burst of saves into one run', async () => {
  const runs: string[][] = [];
  const notify = debounce(20, async (files) => {
    runs.push(files.sort());
  });
  notify('a');
  notify('b');
  notify('a');
  await new Promise((resolve) => setTimeout(resolve, 60));
  notify('c');
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.deepEqual(runs, [['a', 'b'], ['c']]);
});

test('watch: the first run builds, runs every file and says how long it took in seconds', async () => {
  // stopped once it starts watching: the first run is all this test needs
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const output = memoryOutput({ onInfo: (line) => line.startsWith('watching ') && stop() });
  assert.equal(await watchCommand(fixtureConfig(path.join(FIXTURES, 'project')), output, stopped), 0);
  assert.match(output.lines.join('\n'), /^4 files, 2 failing$/m);
  // "in 840 ms" or "in 11.1 s", never "in 11100 ms"
  assert.match(output.lines.join('\n'), /^\d+ passed, \d+ failed in (\d{1,3} ms|\d+\.\d s)$/m);
});
