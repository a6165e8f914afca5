/**
 * The checks of a project's database on a server, shared by .ci/interop.ts (the
 * embedded database served over the wire) and .ci/on-server.ts (a real
 * Supabase-like PostgreSQL): (a) our db reset seen by `supabase migration list`,
 * (b) `supabase db reset --db-url` builds the same schema, (c) both histories
 * read both ways, (d) pg_prove on a freshly reset database, (e) the runner's
 * server target with and without statistics, (f) the same assertion counts
 * everywhere. Each failure is a Failure: what the tool printed, then one line.
 */
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { $, type ProcessOutput } from 'zx';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RUNNER = path.join(ROOT, 'node_modules/.bin/pg-tap-runner');
export const SUPABASE = path.join(ROOT, 'node_modules/.bin/supabase');

/** A failed check: what the tool printed, then the one line that says what failed. */
export class Failure extends Error {
  constructor(
    message: string,
    readonly output = '',
  ) {
    super(message);
  }
}

let prefix = 'interop';
/** Names the script whose lines `say` prints: "interop: ...", "on-server: ...". */
export const sayAs = (name: string) => {
  prefix = name;
};
export const say = (line: string) => console.log(`${prefix}: ${line}`);
export const sh = $({ cwd: ROOT, quiet: true, nothrow: true });

/** Runs a command; a non-zero exit fails the check `what`, showing the last `tail` lines it printed (all by default). */
export async function run(what: string, command: Promise<ProcessOutput>, tail = 0): Promise<ProcessOutput> {
  const result = await command;
  if (result.exitCode !== 0) {
    const lines = result.stdall.trimEnd().split('\n');
    throw new Failure(`${what} (exit ${result.exitCode})`, (tail > 0 ? lines.slice(-tail) : lines).join('\n'));
  }
  return result;
}

/** The project's migration versions, sorted; the last one. */
export async function migrationVersions(): Promise<{ versions: string[]; last: string }> {
  const versions = (await readdir(path.join(ROOT, 'supabase/migrations')))
    .map((name) => /^([0-9]+)_.*\.sql$/.exec(name)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort();
  if (versions.length === 0) throw new Failure('no migrations under supabase/migrations');
  return { versions, last: versions.at(-1)! };
}

/**
 * (a) to (f) on the database at `url`, writing fingerprints under `work`; the server
 * target runs with the tables analyzed, and also without statistics unless `analyzedOnly`.
 */
export async function checks(url: string, work: string, versions: string[], last: string, { analyzedOnly = false } = {}): Promise<void> {
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
      throw new Failure(`the schema after ${after} differs from the one our db reset builds (diff above)`, diff.stdout.split('\n').slice(0, 60).join('\n'));
    }
    const items = fingerprints
      .get('ours')!
      .split('\n')
      .filter((l) => l !== '').length;
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
  const where = new URL(url);
  const pgEnv = {
    ...process.env,
    PGHOST: where.hostname,
    PGPORT: where.port || '5432',
    PGUSER: decodeURIComponent(where.username) || 'postgres',
    PGPASSWORD: decodeURIComponent(where.password),
    PGDATABASE: decodeURIComponent(where.pathname.slice(1)) || 'postgres',
    PGSSLMODE: where.searchParams.get('sslmode') ?? 'disable',
  };
  const proved = await run('pg_prove', $({ cwd: ROOT, env: pgEnv, quiet: true, nothrow: true })`pg_prove --ext .pg --ext .sql -r supabase/tests`);
  say(
    `  pg_prove: ${proved.stdall
      .split('\n')
      .filter((l) => /^(Files=|Result:)/.test(l))
      .join(' ')}`,
  );

  // --- (e) our runner's server target, the whole suite, with and without statistics --
  say(`(e) our test command against the database (server target), with the tables analyzed${analyzedOnly ? '' : ' and without statistics'}`);
  const serverRun = async (flags: string[], statistics: string) => {
    const output = await run(
      `the suite on the server target (statistics: ${statistics})`,
      $({ cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, quiet: true, nothrow: true })`${RUNNER} test ${flags}`,
      80,
    );
    say(
      `  server target, statistics ${statistics}: ${
        output.stdall
          .split('\n')
          .filter((l) => /^[0-9]+ passed, [0-9]+ failed/.test(l))
          .at(-1) ?? '(no closing line)'
      }`,
    );
    return output;
  };
  const suite = await serverRun([], 'analyzed');
  if (!analyzedOnly) await serverRun(['--no-analyze'], 'none');

  // --- (f) the same assertions everywhere -------------------------------------------
  say('(f) pg_prove, the server target and the embedded target count the same assertions');
  const embedded = await run('the suite on the embedded target', sh`${RUNNER} test`, 80);
  const counts = {
    pg_prove: /^Files=\d+, Tests=(\d+),/m.exec(proved.stdall)?.[1],
    'the server target': assertionsRun(suite.stdall),
    'the embedded target': assertionsRun(embedded.stdall),
  };
  if (new Set(Object.values(counts)).size !== 1 || counts.pg_prove === undefined) {
    throw new Failure(
      `assertions: ${Object.entries(counts)
        .map(([who, n]) => `${who} ${n ?? '?'}`)
        .join(', ')}; ` + 'every check must be a pgTAP file that pg_prove runs too',
    );
  }
  say(`  ${counts.pg_prove} assertions each: pg_prove, the server target and the embedded target`);
}

/** The assertions a runner's report counts: its closing line, "N passed, N failed". */
function assertionsRun(output: string): string | undefined {
  const closing = [...output.matchAll(/^(\d+) passed, (\d+) failed$/gm)].at(-1);
  return closing === undefined ? undefined : String(Number(closing[1]) + Number(closing[2]));
}
