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
 *   (e) our runner's server target passes the whole suite;
 *   (f) pg_prove ran exactly as many assertions as our runner, on the server and
 *       embedded (`make test`): the RLS matrix included, nothing is ours alone;
 *   and docs/schema.md, docs/rls-matrix.md and types/database.ts are not stale.
 * Called by .ci/run and `make interop`; runnable alone: npx tsx .ci/interop.ts
 * Each child process runs through zx; a failure prints what the tool said,
 * then `interop: FAILED: <what>`, and exits 1.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveInBackground, type ServedDatabase } from 'pg-tap-runner';
import { $, type ProcessOutput } from 'zx';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNNER = path.join(ROOT, 'node_modules/.bin/pg-tap-runner');
const SUPABASE = path.join(ROOT, 'node_modules/.bin/supabase');

/** A failed check: what the tool printed, then the one line that says what failed. */
class Failure extends Error {
  constructor(
    message: string,
    readonly output = '',
  ) {
    super(message);
  }
}

const say = (line: string) => console.log(`interop: ${line}`);
const sh = $({ cwd: ROOT, quiet: true, nothrow: true });

/** Runs a command; a non-zero exit fails the check `what`, showing the last `tail` lines it printed (all by default). */
async function run(what: string, command: Promise<ProcessOutput>, tail = 0): Promise<ProcessOutput> {
  const result = await command;
  if (result.exitCode !== 0) {
    const lines = result.stdall.trimEnd().split('\n');
    throw new Failure(`${what} (exit ${result.exitCode})`, (tail > 0 ? lines.slice(-tail) : lines).join('\n'));
  }
  return result;
}

async function main(): Promise<void> {
  // --- generated files are fresh ----------------------------------------------
  say('docs/schema.md, docs/rls-matrix.md and types/database.ts match the migrations and the matrix');
  const docs = await sh`${RUNNER} docs --check`;
  if (docs.exitCode !== 0) {
    throw new Failure('generated files are stale: run "make docs" and commit docs/ and types/database.ts', docs.stdall.trimEnd());
  }

  const versions = (await readdir(path.join(ROOT, 'supabase/migrations')))
    .map((name) => /^([0-9]+)_.*\.sql$/.exec(name)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort();
  if (versions.length === 0) throw new Failure('no migrations under supabase/migrations');
  const last = versions.at(-1)!;

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

async function checks(url: string, work: string, versions: string[], last: string): Promise<void> {
  const count = versions.length;

  /** `supabase migration list` shows each local version on the remote side too. */
  const cliListsAllApplied = async (when: string) => {
    const out = (await run(`supabase migration list: ${when}`, sh`${SUPABASE} migration list --db-url ${url}`)).stdall;
    for (const v of versions) {
      if (!new RegExp(`^\\s*\`?${v}\`?\\s*\\|\\s*\`?${v}\`?\\s*\\|`, 'm').test(out)) {
        throw new Failure(`supabase migration list does not show ${v} applied (${when})`, out.trimEnd());
      }
    }
    say(`  supabase migration list: ${count} of ${count} local migrations applied remotely (${when})`);
  };

  /** Our `db status`: everything applied, nothing pending, drifted or missing, no problem. */
  const statusUpToDate = async (when: string) => {
    const out = (await run(`db status: ${when}`, sh`${RUNNER} db status --db-url ${url}`)).stdall;
    const lines = out.split('\n');
    if (!lines.includes(`${count} applied, 0 pending, 0 drifted, 0 missing`) || lines.some((l) => l.startsWith('problem:'))) {
      throw new Failure(`db status does not report up to date (${when})`, out.trimEnd());
    }
    say(`  db status: up to date, ${count} applied (${when})`);
  };

  const fingerprints = new Map<string, string>();
  const fingerprint = async (name: string) => {
    const out = await sh`${RUNNER} db fingerprint --db-url ${url}`;
    if (out.exitCode !== 0) throw new Failure(`db fingerprint (${name})`, out.stderr.trimEnd());
    fingerprints.set(name, out.stdout);
    await writeFile(path.join(work, `${name}.txt`), out.stdout);
  };

  const sameSchema = async (name: string, after: string) => {
    if (fingerprints.get(name) !== fingerprints.get('ours')) {
      const diff = await sh`diff -u ${path.join(work, 'ours.txt')} ${path.join(work, `${name}.txt`)}`;
      throw new Failure(
        `the schema after ${after} differs from the one our db reset builds (diff above)`,
        diff.stdout.split('\n').slice(0, 60).join('\n'),
      );
    }
    const items = fingerprints.get('ours')!.split('\n').filter((l) => l !== '').length;
    say(`  same schema as our db reset: ${items} catalogue items, rows per table included (${after})`);
  };

  // --- (a) our reset, seen by the CLI -------------------------------------------
  say('(a) our db reset, then supabase migration list');
  await run('db reset', sh`${RUNNER} db reset --db-url ${url}`);
  await fingerprint('ours');
  if (!/^rows public\.[a-z_]* [1-9]/m.test(fingerprints.get('ours')!)) say('  (no seed rows: supabase/seed.sql is empty or missing)');
  await cliListsAllApplied('after our db reset');
  await statusUpToDate('after our db reset');

  // --- (b) the CLI's reset, the same schema -------------------------------------
  say('(b) supabase db reset --db-url: drops, migrates, seeds');
  const cliReset = await run('supabase db reset --db-url', sh`${SUPABASE} db reset --db-url ${url} --yes`);
  const seeding = /Seeding data from .*/.exec(cliReset.stdall);
  if (seeding !== null) say(`  the CLI ran the seed: ${seeding[0]}`);
  await fingerprint('cli');
  await sameSchema('cli', 'supabase db reset');

  // --- (c) both ways --------------------------------------------------------------
  say("(c) the CLI's history, read by our runner, and ours by the CLI");
  await statusUpToDate('after supabase db reset');
  // nothing applied (--last N keeps none), then the CLI's migration up
  await run(`supabase db reset --last ${count} --no-seed`, sh`${SUPABASE} db reset --db-url ${url} --yes --no-seed --last ${count}`);
  await run('supabase migration up', sh`${SUPABASE} migration up --db-url ${url}`);
  await statusUpToDate('after supabase migration up');
  await run('db seed', sh`${RUNNER} db seed --db-url ${url}`);
  await fingerprint('cli-up');
  await sameSchema('cli-up', 'supabase migration up, then our db seed');
  // all but the last applied by the CLI, the last by our runner
  await run('supabase db reset --last 1 --no-seed', sh`${SUPABASE} db reset --db-url ${url} --yes --no-seed --last 1`);
  const migrated = await run('db migrate', sh`${RUNNER} db migrate --db-url ${url}`);
  if (!new RegExp(`^applied supabase/migrations/${last}_`, 'm').test(migrated.stdall)) {
    throw new Failure(`db migrate did not apply ${last} after the CLI applied the others`, migrated.stdall.trimEnd());
  }
  say(`  db migrate applied ${last} on top of the CLI's history`);
  await cliListsAllApplied('after our db migrate');
  await statusUpToDate('after our db migrate');

  // --- (d) pg_prove, as `supabase test db` runs it --------------------------------
  say('(d) pg_prove --ext .pg --ext .sql -r supabase/tests, on the database the CLI reset and seeded');
  await run('supabase db reset --db-url', sh`${SUPABASE} db reset --db-url ${url} --yes`);
  if ((await sh`command -v pg_prove`).exitCode !== 0) {
    throw new Failure('pg_prove is missing (Debian: libtap-parser-sourcehandler-pgtap-perl; .ci/run installs it)');
  }
  const { port } = new URL(url);
  const pgEnv = { ...process.env, PGHOST: '127.0.0.1', PGPORT: port, PGUSER: 'postgres', PGPASSWORD: 'postgres', PGDATABASE: 'postgres', PGSSLMODE: 'disable' };
  const proved = await run('pg_prove', $({ cwd: ROOT, env: pgEnv, quiet: true, nothrow: true })`pg_prove --ext .pg --ext .sql -r supabase/tests`);
  say(`  pg_prove: ${proved.stdall.split('\n').filter((l) => /^(Files=|Result:)/.test(l)).join(' ')}`);

  // --- (e) our runner's server target, the whole suite ----------------------------
  say('(e) our test command against the served database (server target)');
  const suite = await run(
    'the suite on the server target',
    $({ cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, quiet: true, nothrow: true })`${RUNNER} test`,
    80,
  );
  say(`  server target: ${suite.stdall.split('\n').filter((l) => /^[0-9]+ passed, [0-9]+ failed/.test(l)).at(-1) ?? '(no closing line)'}`);

  // --- (f) the same assertions everywhere -------------------------------------------
  say('(f) pg_prove, the server target and the embedded target count the same assertions');
  const embedded = await run('the suite on the embedded target', sh`${RUNNER} test`, 80);
  const counts = {
    'pg_prove': /^Files=\d+, Tests=(\d+),/m.exec(proved.stdall)?.[1],
    'the server target': assertionsRun(suite.stdall),
    'the embedded target': assertionsRun(embedded.stdall),
  };
  if (new Set(Object.values(counts)).size !== 1 || counts.pg_prove === undefined) {
    throw new Failure(
      `assertions: ${Object.entries(counts).map(([who, n]) => `${who} ${n ?? '?'}`).join(', ')}; ` +
        'every check must be a pgTAP file that pg_prove runs too',
    );
  }
  say(`  ${counts.pg_prove} assertions each: pg_prove, the server target and the embedded target`);
}

/** The assertions a runner's report counts: its closing line, "N passed, N failed". */
function assertionsRun(output: string): string | undefined {
  const closing = [...output.matchAll(/^(\d+) passed, (\d+) failed$/gm)].at(-1);
  return closing === undefined ? undefined : String(Number(closing[1]) + Number(closing[2]));
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
