/**
 * Every check that needs a real Supabase-like PostgreSQL, in one entry point:
 *   (1) the platform fingerprint: the embedded bootstrap against this database's
 *       platform, every difference listed with its reason (.ci/platform.ts,
 *       server/platform-allowlist.txt); the database must be fresh (no project
 *       migration yet), so this runs first;
 *   (2) the runner's own tests that need such a server
 *       (runner/test/on-server/*.test.ts: a reset with the Storage API's
 *       protected buckets and objects, a refusal without a stack trace);
 *   (3) the project on it (.ci/checks.ts): our db reset and the Supabase CLI's
 *       (`supabase db reset --db-url` builds the same schema), both histories
 *       read both ways, `pg_prove --ext .pg --ext .sql -r supabase/tests` on a
 *       freshly reset database (what `supabase test db` runs), the runner's server
 *       target (`make test` with DATABASE_URL, the tables analyzed), and
 *       the same assertion count from pg_prove, the server and the embedded target.
 *
 *   npx tsx .ci/on-server.ts [--allowlist <file>] [DATABASE_URL]
 *
 * DATABASE_URL (the argument, or the environment) is any Supabase-like database
 * as `postgres`: ours (`make server` prints one, fresh) or a `supabase start`
 * stack's, postgresql://postgres:postgres@127.0.0.1:54322/postgres. It is reset
 * several times. .ci/run calls it on the server it builds; a GitHub workflow
 * calls it on a real Supabase stack. A failure prints what the tool said, then
 * `on-server: FAILED: <what>`, and exits 1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { $ } from 'zx';
import { Failure, ROOT, checks, migrationVersions, run, say, sayAs } from './checks.js';
import { DEFAULT_ALLOWLIST, comparePlatforms } from './platform.js';

sayAs('on-server');

function parseArgs(args: string[]): { url: string; allowlist: string } {
  let url = process.env['DATABASE_URL'] ?? '';
  let allowlist = DEFAULT_ALLOWLIST;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--allowlist' && args[i + 1] !== undefined) allowlist = path.resolve(args[++i]!);
    else if (/^postgres(ql)?:\/\//.test(arg)) url = arg;
    else throw new Failure(`unknown argument ${arg}; usage: npx tsx .ci/on-server.ts [--allowlist <file>] [DATABASE_URL]`);
  }
  if (url === '') {
    throw new Failure(
      'no DATABASE_URL: give the URL of a Supabase-like database (make server prints one; a supabase start stack is postgresql://postgres:postgres@127.0.0.1:54322/postgres)',
    );
  }
  return { url, allowlist };
}

async function main(): Promise<void> {
  const { url, allowlist } = parseArgs(process.argv.slice(2));
  const shown = url.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@');
  say(`on ${shown}`);

  say('(1) the platform: the embedded bootstrap against this database, every difference listed with its reason');
  const platform = await comparePlatforms(url, allowlist);
  for (const line of platform.report) say(`  ${line.replace(/^platform: /, '')}`);
  if (!platform.ok) throw new Failure(`the platform fingerprint has differences ${path.relative(ROOT, allowlist)} does not list (above)`);

  say("(2) the runner's tests that need a real server (runner/test/on-server)");
  const tests = await run(
    'runner/test/on-server',
    $({
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url },
      quiet: true,
      nothrow: true,
    })`node --import tsx --test --test-reporter=spec runner/test/on-server/*.test.ts`,
    60,
  );
  say(
    `  ${tests.stdall
      .split('\n')
      .filter((l) => /^ℹ (tests|pass|fail|skipped) /.test(l))
      .map((l) => l.slice(2))
      .join(', ')}`,
  );
  if (!/^ℹ skipped 0$/m.test(tests.stdall) || !/^ℹ fail 0$/m.test(tests.stdall)) {
    throw new Failure('runner/test/on-server: every test must run and pass', tests.stdall.trimEnd());
  }

  say('(3) the project on it: resets, the Supabase CLI, pg_prove, the server target');
  const { versions, last } = await migrationVersions();
  const work = await mkdtemp(path.join(os.tmpdir(), 'on-server-'));
  try {
    // one server run, analyzed as autovacuum leaves a server: the run without statistics
    // is .ci/interop.ts's and make test's
    await checks(url, work, versions, last, { analyzedOnly: true });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  say('all checks on the server passed');
}

main().catch((error: unknown) => {
  if (error instanceof Failure) {
    if (error.output !== '') console.error(error.output);
    console.error(`on-server: FAILED: ${error.message}`);
  } else {
    console.error(`on-server: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  process.exitCode = 1;
});
