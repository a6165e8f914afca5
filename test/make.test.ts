/** The Makefile's targets as a developer types them, on a scratch project where they would write. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function make(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('make', ['-s', '--no-print-directory', '-C', ROOT, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : Number(error.code), output: stdout + stderr }),
    );
  });
}

test('make new-migration name="bad name": the runner judges the name, not two words of it', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'make-'));
  const migrations = path.join(dir, 'supabase', 'migrations');
  await mkdir(migrations, { recursive: true });
  const made = await make(['new-migration', 'name=bad name'], { SUPABASE_DIR: path.join(dir, 'supabase') });
  assert.equal(made.code, 2);
  assert.match(made.output, /error: cannot create the migration:\n {2}- "bad name" is not a snake_case name/);
  assert.doesNotMatch(made.output, /unknown command|usage:/);
  assert.deepEqual(await readdir(migrations), [], 'nothing was created');
});
