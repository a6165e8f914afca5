/**
 * The option groups several commands take, spread into their tables: where the
 * database is (TARGET), consent to reset a server (RESET), the build's analyze
 * (BUILD) and how a suite runs (TEST). A command's own options sit in its
 * `<command>.options.ts`; `index.ts` lists the commands.
 */
import type { Config, Flags } from '../config.js';
import { DEFAULT_TIMEOUT_SECONDS } from '../config.js';
import { Invalid, type CommandSpec, type OptionTable } from '../command-line.js';
import type { Output } from '../output.js';

/** What a runner command's options give: what config.ts reads, and `docs --check`. */
export type Values = Flags & { check?: boolean };

/** A command of the runner: its table, and how it runs once its options are checked and the config read. */
export interface RunnerCommand extends CommandSpec {
  options: OptionTable<Values>;
  run(config: Config, output: Output, args: string[], values: Values): Promise<number>;
}

export const TARGET = {
  'db-url': { value: 'URL', help: 'a PostgreSQL server instead of the embedded database (or DATABASE_URL)' },
  'data-dir': { value: 'DIR', help: "the embedded database's folder", default: '.data/pglite, or PGLITE_DATA_DIR' },
  'supabase-dir': { value: 'DIR', help: 'the supabase folder', default: 'supabase, in this folder or the nearest one above, or SUPABASE_DIR' },
} satisfies OptionTable<Flags>;

export const RESET = {
  'allow-remote': { help: 'allow resetting a server that is not on loopback (with --confirm)' },
  confirm: {
    value: 'DBNAME',
    help: "the server database's name: with --allow-remote, to reset a remote server; alone, to consent to the first reset of a database holding what the project did not make",
  },
} satisfies OptionTable<Flags>;

/** what builds a database analyzes it after the seed, unless told not to */
export const BUILD = {
  'no-analyze': { help: 'do not analyze the tables after the seed (default: analyzed, as autovacuum does)' },
} satisfies OptionTable<Flags>;

/**
 * The names report/registry.ts registers, the default first: written here so that a start loads no
 * reporter (runner/test/report.test.ts checks that the two lists are the same).
 */
export const REPORTER_CHOICES = ['human', 'tap'] as const;

export const TEST = {
  jobs: {
    value: 'N',
    help: 'files at once: worker threads (embedded) or connections (server)',
    default: 1,
    parse: (text) =>
      /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 64 ? Number(text) : new Invalid(`--jobs must be a whole number from 1 to 64 (got ${text})`),
  },
  shard: {
    value: 'i/n',
    help: 'run the i-th of n deterministic parts of the files (CI matrices)',
    parse: (text) => {
      const [, index, count] = (/^(\d+)\/(\d+)$/.exec(text) ?? []).map(Number);
      return index !== undefined && count !== undefined && count >= 1 && index >= 1 && index <= count
        ? { index, count }
        : new Invalid(`--shard must be i/n with 1 <= i <= n (got ${text})`);
    },
  },
  grep: {
    value: 'REGEX',
    help: 'only files whose path matches',
    parse: (text) => {
      try {
        return new RegExp(text);
      } catch (error) {
        return new Invalid(`--grep is not a valid regular expression: ${(error as Error).message}`);
      }
    },
  },
  bail: { help: 'stop at the first failing file' },
  timeout: {
    value: 'SECONDS',
    help: 'per-file time limit',
    default: DEFAULT_TIMEOUT_SECONDS,
    parse: (text) =>
      Number.isFinite(Number(text)) && Number(text) > 0 ? Number(text) : new Invalid(`--timeout must be a number of seconds above 0 (got ${text})`),
  },
  reporter: {
    value: REPORTER_CHOICES.join('|'),
    help: 'a readable report, or one TAP document on standard output',
    default: REPORTER_CHOICES[0],
    parse: (text) =>
      (REPORTER_CHOICES as readonly string[]).includes(text)
        ? (text as (typeof REPORTER_CHOICES)[number])
        : new Invalid(`--reporter must be ${REPORTER_CHOICES.join(' or ')} (got ${text})`),
  },
  verbose: { help: "show every file's notices and diag() lines (a failing file's are always shown)" },
  'no-cache': { help: 'rebuild the database snapshot even when nothing changed' },
  'reports-dir': { value: 'DIR', help: 'where junit.xml and tap/ go', default: 'reports' },
  'snapshot-dir': { value: 'DIR', help: 'where snapshots are kept', default: '.data/snapshots, or PGLITE_SNAPSHOT_DIR' },
} satisfies OptionTable<Flags>;

export const MIGRATIONS = {
  'include-all': { help: 'apply pending migrations older than the newest applied one' },
} satisfies OptionTable<Flags>;
