import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import {
  compareFileNames,
  isTransactionControl,
  planMigrations,
  planProblems,
  readMigrations,
  sha256,
  type MigrationFile,
} from '../src/database/migration-files.js';
import { FIXTURES } from './helpers.js';

const file = (version: string, content = `-- ${version}`): MigrationFile => ({
  version,
  name: `m${version}`,
  file: `supabase/migrations/${version}_m${version}.sql`,
  content,
  sha256: sha256(content),
});

test('discovery orders by file name, as the Supabase CLI does, and skips names it would skip', async () => {
  const dir = path.join(FIXTURES, 'project', 'supabase', 'migrations');
  const { files, skipped } = await readMigrations(dir, 'supabase/migrations');
  assert.deepEqual(
    files.map((f) => [f.version, f.name, f.file]),
    [
      ['1', 'first', 'supabase/migrations/1_first.sql'],
      ['2', 'second', 'supabase/migrations/2_second.sql'],
      ['3', 'third', 'supabase/migrations/3_third.sql'],
    ],
  );
  assert.deepEqual(skipped, ['bad-name.sql', 'notes.md']);
});

test('a missing migrations directory means no migrations', async () => {
  assert.deepEqual(await readMigrations('/nonexistent/migrations', 'x'), { files: [], skipped: [] });
});

test('pending, applied and unverified (applied by the CLI, no checksum)', () => {
  const [a, b, c] = [file('1'), file('2'), file('3')];
  const plan = planMigrations(
    [a!, b!, c!],
    [
      { version: '1', name: 'm1', sha256: a!.sha256 },
      { version: '2', name: 'm2', sha256: null },
    ],
  );
  assert.deepEqual(
    plan.applied.map((x) => [x.migration.version, x.verified]),
    [
      ['1', true],
      ['2', false],
    ],
  );
  assert.deepEqual(
    plan.pending.map((m) => m.version),
    ['3'],
  );
  assert.deepEqual(planProblems(plan, { includeAll: false }), []);
});

test('drift: an applied file whose content changed is refused', () => {
  const plan = planMigrations([file('1', 'create table t (id int);')], [{ version: '1', name: 'm1', sha256: sha256('old') }]);
  assert.equal(plan.drifted.length, 1);
  assert.match(planProblems(plan, { includeAll: true })[0]!, /has changed since it was applied: never edit an applied migration/);
});

test('out of order: a pending file before an applied one in file-name order needs --include-all', () => {
  const [a, b, c] = [file('1'), file('2'), file('3')];
  const plan = planMigrations(
    [a!, b!, c!],
    [
      { version: '1', name: 'm1', sha256: a!.sha256 },
      { version: '3', name: 'm3', sha256: c!.sha256 },
    ],
  );
  assert.deepEqual(
    plan.outOfOrder.map((m) => m.version),
    ['2'],
  );
  assert.match(planProblems(plan, { includeAll: false })[0]!, /comes before an applied migration in file-name order.*--include-all/);
  assert.deepEqual(planProblems(plan, { includeAll: true }), []);
});

test('missing: an applied version without a file is refused', () => {
  const plan = planMigrations(
    [file('1')],
    [
      { version: '1', name: 'm1', sha256: file('1').sha256 },
      { version: '5', name: 'gone', sha256: 'x' },
    ],
  );
  assert.deepEqual(
    plan.missing.map((m) => m.version),
    ['5'],
  );
  assert.match(planProblems(plan, { includeAll: true })[0]!, /5_gone is applied to the database but its file is missing/);
});

test('duplicates: two files sharing a version are refused, all problems reported together', async () => {
  const { files } = await readMigrations(path.join(FIXTURES, 'duplicate', 'supabase', 'migrations'), 'm');
  const plan = planMigrations(files, [{ version: '9', name: null, sha256: null }]);
  const problems = planProblems(plan, { includeAll: false });
  assert.equal(problems.length, 1 + 1 + 2); // duplicate, missing 9, two out of order
  assert.match(problems[0]!, /version 1 is shared by m\/1_a.sql and m\/1_b.sql/);
});

test('versions of different lengths: file-name order, not numeric order, and the checks follow it', async () => {
  // the Supabase CLI applies 20250101000000_create_notes.sql (14 digits) before 202501011200_add_notes_title.sql
  // (12 digits), whose number is smaller; numeric order would alter a table that does not exist yet
  const { files } = await readMigrations(path.join(FIXTURES, 'migration-order', 'supabase', 'migrations'), 'm');
  assert.deepEqual(
    files.map((f) => f.version),
    ['20250101000000', '202501011200', '20250102000000'],
  );
  assert.deepEqual(compareFileNames('10_a.sql', '1_a.sql') < 0, true, "'0' sorts before '_'");
  // with the first applied, nothing is out of order; with the last applied, the middle one is
  const [first, middle, last] = files;
  const afterFirst = planMigrations(files, [{ version: first!.version, name: first!.name, sha256: first!.sha256 }]);
  assert.deepEqual(
    afterFirst.pending.map((m) => m.version),
    ['202501011200', '20250102000000'],
  );
  assert.deepEqual(afterFirst.outOfOrder, []);
  const skipped = planMigrations(
    files,
    [first!, last!].map((m) => ({ version: m.version, name: m.name, sha256: m.sha256 })),
  );
  assert.deepEqual(
    skipped.outOfOrder.map((m) => m.version),
    [middle!.version],
  );
  // a missing applied migration is listed in file-name order too
  const missing = planMigrations(
    [],
    [
      { version: '9', name: 'b', sha256: null },
      { version: '10', name: 'a', sha256: null },
    ],
  );
  assert.deepEqual(
    missing.missing.map((m) => m.version),
    ['10', '9'],
  );
});

test('transaction control statements are recognised', () => {
  for (const s of ['begin', 'BEGIN TRANSACTION', 'commit', 'end', 'rollback work', 'start transaction']) {
    assert.equal(isTransactionControl(s), true, s);
  }
  for (const s of ['begin atomic select 1; end', 'select 1', 'commit_log']) assert.equal(isTransactionControl(s), false, s);
});
