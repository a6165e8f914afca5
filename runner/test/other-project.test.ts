/**
 * The package on a Supabase project that is not this repository's: the
 * committed fixture project fixtures/bookshelf (its own tables, row level
 * security and pgTAP files), run through the package's bin as another project
 * would run it (`npx pg-tap-runner test` in the project's folder), on the
 * embedded target and on the server target (`db serve` in a child process, on
 * a free port). A weakened policy makes the same suite fail.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { $ } from 'zx';
import { serveInBackground } from '../src/database/served.js';
import { copyFixture } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/pg-tap-runner.js', import.meta.url));

/** `pg-tap-runner ...args` in `cwd`, never throwing: exit code and output. */
async function runner(cwd: string, ...args: string[]): Promise<{ code: number | null; lines: string[]; text: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['DATABASE_URL'];
  const result = await $({ cwd, env, quiet: true, nothrow: true })`${process.execPath} ${BIN} ${args}`;
  return { code: result.exitCode, lines: result.stdout.trimEnd().split('\n'), text: result.stdall };
}

/** A private copy of the fixture project, with folders for what the run writes. */
async function project(): Promise<{ dir: string; scratch: string }> {
  return { dir: await copyFixture('bookshelf'), scratch: await mkdtemp(path.join(os.tmpdir(), 'runner-bookshelf-')) };
}

function assertSuitePassed(run: { code: number | null; lines: string[]; text: string }): void {
  assert.equal(run.code, 0, run.text);
  assert.match(run.text, /^✓ supabase\/tests\/000_helpers\.sql {2}1\/1 \(setup\)/m);
  assert.match(run.text, /^✓ supabase\/tests\/010_structure\.sql {2}8\/8 /m);
  assert.match(run.text, /^✓ supabase\/tests\/100_rls\.sql {2}9\/9 /m);
  assert.equal(run.lines.at(-1), '18 passed, 0 failed');
}

test('embedded: npx pg-tap-runner test in another project builds its database and passes its suite', async () => {
  const { dir, scratch } = await project();
  const reports = path.join(scratch, 'reports');
  const run = await runner(dir, 'test', '--snapshot-dir', path.join(scratch, 'snapshots'), '--reports-dir', reports);
  assertSuitePassed(run);
  assert.match(run.text, /^applied supabase\/migrations\/20240301120000_shelves_and_books\.sql/m);
  assert.match(run.text, /^seeded supabase\/seed\.sql$/m);
  const junit = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
  assert.match(junit, /<testsuite name="supabase\/tests\/100_rls\.sql" tests="9" failures="0"/);
  assert.ok(!existsSync(path.join(dir, 'reports')) && !existsSync(path.join(dir, '.data')), 'nothing written into the project but where asked');
});

test('server: the same suite through db serve on a free port, and db status on it', async () => {
  const { dir, scratch } = await project();
  const server = await serveInBackground({ dataDir: path.join(scratch, 'db'), cwd: dir });
  try {
    const run = await runner(dir, 'test', '--db-url', server.url, '--reports-dir', path.join(scratch, 'reports'));
    assertSuitePassed(run);
    assert.match(run.text, /^reset: emptied postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres/m);
    const status = await runner(dir, 'db', 'status', '--db-url', server.url);
    assert.equal(status.code, 0, status.text);
    assert.ok(status.lines.includes('1 applied, 0 pending, 0 drifted, 0 missing'), status.text);
  } finally {
    await server.stop();
  }
});

test('a weakened policy in that project fails its RLS file, and the run exits 1', async () => {
  const { dir, scratch } = await project();
  await writeFile(
    path.join(dir, 'supabase/migrations/20240302090000_open_shelves.sql'),
    [
      'drop policy shelves_select_own_or_public on public.shelves;',
      'create policy shelves_select_own_or_public on public.shelves for select to authenticated using (true);',
      '',
    ].join('\n'),
  );
  const run = await runner(dir, 'test', '--snapshot-dir', path.join(scratch, 'snapshots'), '--reports-dir', path.join(scratch, 'reports'));
  assert.equal(run.code, 1, run.text);
  assert.match(run.text, /^✓ supabase\/tests\/010_structure\.sql {2}8\/8 /m);
  assert.match(run.text, /^✗ supabase\/tests\/100_rls\.sql {2}8\/9 /m);
  assert.match(run.text, /✗ 3 - a user sees her own shelves and public ones, not another user's private shelf/);
  assert.equal(run.lines.at(-1), '17 passed, 1 failed');
});
