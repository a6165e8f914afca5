/**
 * Interoperability, proved against the embedded database served over the
 * PostgreSQL wire protocol (`db serve`), with the tools the platform's
 * engineers already use:
 *   (a) after our `db reset`, `supabase migration list` shows every local
 *       migration applied remotely;
 *   (b) `supabase db reset --db-url` succeeds, seeds, and builds the same schema
 *       as our `db reset` (`db fingerprint`: tables, columns, constraints,
 *       indexes, policies, grants, functions, triggers, rows per table);
 *   (c) both ways: what the CLI migrated, `db status` calls up to date; what our
 *       runner migrated, `supabase migration list` calls applied;
 *   (d) `pg_prove --ext .pg --ext .sql -r supabase/tests` (what `supabase test db`
 *       runs) passes;
 *   (e) our runner's server target passes the whole suite, with the tables
 *       analyzed after the seed and without statistics (--no-analyze);
 *   (f) pg_prove ran exactly as many assertions as our runner, on the server and
 *       embedded (`make test`): the RLS matrix included, nothing is ours alone;
 *   and docs/schema.md, docs/rls-matrix.md and types/database.ts are not stale.
 * The checks (a)-(f) live in .ci/checks.ts, which .ci/on-server.ts runs on a real server too.
 * Called by .ci/run and `make interop`; runnable alone: npx tsx .ci/interop.ts
 * Each child process runs through zx; a failure prints what the tool said,
 * then `interop: FAILED: <what>`, and exits 1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serveInBackground, type ServedDatabase } from 'pg-tap-runner';
import { Failure, ROOT, checks, migrationVersions, say, sh } from './checks.js';

async function main(): Promise<void> {
  // --- generated files are fresh ----------------------------------------------
  say('docs/schema.md, docs/rls-matrix.md and types/database.ts match the migrations and the matrix');
  const docs = await sh`make --no-print-directory docs ARGS=--check`;
  if (docs.exitCode !== 0) {
    throw new Failure('generated files are stale: run "make docs" and commit docs/ and types/database.ts', docs.stdall.trimEnd());
  }

  const { versions, last } = await migrationVersions();

  // --- a served embedded database, new, on a free port --------------------------
  const work = await mkdtemp(path.join(os.tmpdir(), 'interop-'));
  let server: ServedDatabase | null = null;
  try {
    try {
      server = await serveInBackground({ dataDir: path.join(work, 'db'), cwd: ROOT });
    } catch (error) {
      throw new Failure('db serve did not start', (error as Error).message);
    }
    say(`serving a new embedded database on 127.0.0.1:${server.port}`);
    await checks(server.url, work, versions, last);
  } finally {
    await server?.stop();
    await rm(work, { recursive: true, force: true });
  }
  say('all interoperability checks passed');
}

main().catch((error: unknown) => {
  if (error instanceof Failure) {
    if (error.output !== '') console.error(error.output);
    console.error(`interop: FAILED: ${error.message}`);
  } else {
    console.error(`interop: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  process.exitCode = 1;
});
