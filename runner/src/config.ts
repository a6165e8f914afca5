/**
 * Reads the command line and the environment once, into one validated object.
 * Every problem is reported at once, not the first.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { minimist } from 'zx';
import { RunnerError } from './errors.js';

export type TargetConfig =
  | { kind: 'embedded'; /** on-disk folder for `db` commands; `test` always uses memory */ dataDir: string }
  | { kind: 'server'; url: string; host: string; database: string };

export interface Config {
  /** the repository root; paths in messages are shown relative to it */
  root: string;
  supabaseDir: string;
  migrationsDir: string;
  testsDir: string;
  target: TargetConfig;
  /** apply pending migrations older than the newest applied one (the Supabase CLI's flag) */
  includeAll: boolean;
  /** reset a server that is not on loopback; needs `confirm` too */
  allowRemote: boolean;
  /** the database name, repeated, to confirm a remote reset */
  confirm: string | null;
  /** `db serve` port */
  port: number;
  /** print a summary of the database after `db reset` */
  summary: boolean;
  /** APP_ENV and NODE_ENV, for the production guard */
  environment: { APP_ENV?: string; NODE_ENV?: string };
  /** `test` arguments: files, directories or globs; empty means every file under testsDir */
  testPaths: string[];
  /** `test` options */
  test: TestOptions;
}

export interface TestOptions {
  /** `human` (default) or `tap`: a single TAP document on standard output */
  reporter: 'human' | 'tap';
  /** files run at once: worker threads (embedded) or connections (server) */
  jobs: number;
  /** `--shard i/n`: this machine runs the i-th of n deterministic parts */
  shard: { index: number; count: number } | null;
  /** per-file time limit */
  timeoutSeconds: number;
  /** only files whose path matches */
  grep: RegExp | null;
  /** stop at the first failing file */
  bail: boolean;
  /** false: rebuild the snapshot even when an identical one is cached (`--no-cache`) */
  cache: boolean;
  /** where junit.xml and tap/ go */
  reportsDir: string;
  /** where snapshots of the migrated, seeded database are kept */
  snapshotDir: string;
  /** colours are allowed (NO_COLOR is not set); they are used only on a terminal */
  colour: boolean;
}

export const DEFAULT_TIMEOUT_SECONDS = 120;

const BOOLEAN_FLAGS = ['include-all', 'allow-remote', 'summary', 'help', 'write', 'bail', 'cache', 'check'];
const STRING_FLAGS = [
  'db-url', 'data-dir', 'supabase-dir', 'port', 'confirm',
  'reporter', 'jobs', 'shard', 'timeout', 'grep', 'reports-dir', 'snapshot-dir',
];

export interface ParsedCommandLine {
  /** positional words: ["db", "reset"], ["test", "supabase/tests/x.sql"] */
  words: string[];
  flags: Record<string, unknown>;
}

/**
 * Splits the command line into words and flags; an option the runner does not
 * know is a usage error. `extra` adds a program's own options (the bench's `--scale`).
 */
export function parseCommandLine(
  argv: string[],
  extra: { boolean?: string[]; string?: string[] } = {},
): ParsedCommandLine {
  const unknown: string[] = [];
  const parsed = minimist(argv, {
    boolean: [...BOOLEAN_FLAGS, ...(extra.boolean ?? [])],
    string: [...STRING_FLAGS, ...(extra.string ?? [])],
    // `--no-cache` sets cache to false
    default: { cache: true },
    unknown: (arg: string) => {
      if (arg.startsWith('-')) unknown.push(arg);
      return !arg.startsWith('-');
    },
  });
  if (unknown.length > 0) throw new RunnerError('usage', `unknown option ${unknown.join(', ')}`);
  return { words: parsed._.map(String), flags: parsed };
}

export function loadConfig(
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  root: string,
  testPaths: string[] = [],
): Config {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = flags[name];
    if (Array.isArray(value)) {
      problems.push(`--${name} is given more than once`);
      return undefined;
    }
    return typeof value === 'string' && value !== '' ? value : undefined;
  };

  const supabaseDir = path.resolve(root, text('supabase-dir') ?? env['SUPABASE_DIR'] ?? 'supabase');
  if (!existsSync(supabaseDir)) problems.push(`the supabase directory ${supabaseDir} does not exist`);

  let target: TargetConfig;
  const url = text('db-url') ?? (env['DATABASE_URL'] || undefined);
  if (url !== undefined) {
    target = { kind: 'server', url, host: '', database: '' };
    try {
      const parsed = new URL(url);
      if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
        problems.push(`the database URL must start with postgresql:// (got ${parsed.protocol}//)`);
      }
      const socketHost = parsed.searchParams.get('host');
      target.host = decodeURIComponent(parsed.hostname) || socketHost || 'localhost';
      target.database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres';
    } catch {
      problems.push('DATABASE_URL / --db-url is not a valid URL (postgresql://user:password@host:port/database)');
    }
  } else {
    target = { kind: 'embedded', dataDir: path.resolve(root, text('data-dir') ?? env['PGLITE_DATA_DIR'] ?? '.data/pglite') };
  }

  const portText = text('port') ?? '54322';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`--port must be a port number (got ${portText})`);

  const confirm = text('confirm') ?? null;
  if (confirm !== null && flags['allow-remote'] !== true) problems.push('--confirm only makes sense with --allow-remote');

  const test = testOptions(flags, env, root, text, problems);

  if (problems.length > 0) {
    throw new RunnerError('config', ['configuration problems:', ...problems.map((p) => `  - ${p}`)].join('\n'));
  }
  return {
    root,
    supabaseDir,
    migrationsDir: path.join(supabaseDir, 'migrations'),
    testsDir: path.join(supabaseDir, 'tests'),
    target,
    includeAll: flags['include-all'] === true,
    allowRemote: flags['allow-remote'] === true,
    confirm,
    port,
    summary: flags['summary'] === true,
    environment: { APP_ENV: env['APP_ENV'], NODE_ENV: env['NODE_ENV'] },
    testPaths,
    test,
  };
}

function testOptions(
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  root: string,
  text: (name: string) => string | undefined,
  problems: string[],
): TestOptions {
  const reporter = text('reporter') ?? 'human';
  if (reporter !== 'human' && reporter !== 'tap') problems.push(`--reporter must be human or tap (got ${reporter})`);

  const jobsText = text('jobs') ?? '1';
  const jobs = Number(jobsText);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) problems.push(`--jobs must be a whole number from 1 to 64 (got ${jobsText})`);

  let shard: TestOptions['shard'] = null;
  const shardText = text('shard');
  if (shardText !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(shardText);
    const index = Number(match?.[1]);
    const count = Number(match?.[2]);
    if (match === null || count < 1 || index < 1 || index > count) problems.push(`--shard must be i/n with 1 <= i <= n (got ${shardText})`);
    else shard = { index, count };
  }

  const timeoutText = text('timeout') ?? String(DEFAULT_TIMEOUT_SECONDS);
  const timeoutSeconds = Number(timeoutText);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) problems.push(`--timeout must be a number of seconds above 0 (got ${timeoutText})`);

  let grep: RegExp | null = null;
  const grepText = text('grep');
  if (grepText !== undefined) {
    try {
      grep = new RegExp(grepText);
    } catch (error) {
      problems.push(`--grep is not a valid regular expression: ${(error as Error).message}`);
    }
  }

  const noColour = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  return {
    reporter: reporter === 'tap' ? 'tap' : 'human',
    jobs,
    shard,
    timeoutSeconds,
    grep,
    bail: flags['bail'] === true,
    cache: flags['cache'] !== false,
    reportsDir: path.resolve(root, text('reports-dir') ?? 'reports'),
    snapshotDir: path.resolve(root, text('snapshot-dir') ?? env['PGLITE_SNAPSHOT_DIR'] ?? '.data/snapshots'),
    colour: !noColour,
  };
}

/** A path as shown in messages: relative to the repository root when inside it. */
export function shown(config: Config, file: string): string {
  const relative = path.relative(config.root, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
