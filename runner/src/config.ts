/**
 * Reads the environment and supabase/config.toml once, with the options the
 * command line gave (each checked by its command's table, command-line.ts),
 * into one validated object. Every problem is reported at once, not the first,
 * and before any database is opened or reset.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { problemsError } from './command-line.js';

export type TargetConfig =
  | { kind: 'embedded' /** on-disk folder for `db` commands; `test` always uses memory */; dataDir: string }
  | {
      kind: 'server';
      url: string;
      /** where the driver (pg) connects: the URL's host, or its `host` parameter, or PGHOST, or localhost; a Unix socket's folder */
      host: string;
      port: number;
      /** the database it opens: the URL's path, or PGDATABASE, or the user's name */
      database: string;
      user: string;
      /**
       * every host a client could connect to with this URL and environment, for the guard: the
       * one the driver uses, `hostaddr` and PGHOSTADDR (which libpq tools such as psql use)
       */
      hosts: string[];
    };

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
  /** the database name, repeated, to confirm a remote reset, or the first reset of a database holding what the runner did not make */
  confirm: string | null;
  /** `db serve` port */
  port: number;
  /** print a summary of the database after `db reset` */
  summary: boolean;
  /**
   * analyze the tables after the seed, as autovacuum does on a server (default);
   * false (`--no-analyze`): the tables keep no statistics, as before autovacuum's first analyze
   */
  analyze: boolean;
  /** APP_ENV and NODE_ENV, for the production guard */
  environment: { APP_ENV?: string; NODE_ENV?: string };
  /**
   * GitHub Actions (GITHUB_ACTIONS=true): `test` and `mutate` also print each failure
   * as an error annotation and append a Markdown summary to `summaryFile`
   * ($GITHUB_STEP_SUMMARY, when set); null elsewhere
   */
  github: { summaryFile: string | null } | null;
  /** `test` arguments: files, directories or globs; empty means every file under testsDir */
  testPaths: string[];
  /** `test` options */
  test: TestOptions;
  /** `[db.seed]` of supabase/config.toml */
  seed: SeedConfig;
  /** `mutate` options; it also reads `test`'s --grep (mutants), --timeout (per mutant) and the snapshot and reports folders */
  mutate: MutateOptions;
  /** `docs` options: the files it writes (null: not written), absolute */
  docs: DocsOptions;
}

export interface DocsOptions {
  /** `--schema-doc`: the schema's Markdown page */
  schemaDoc: string | null;
  /** `--rls-matrix`: the page of the RLS matrix a test file states */
  rlsMatrix: string | null;
  /** `--types`: the schema's TypeScript types */
  types: string | null;
  /** `--regenerate-command`: the command the generated files name as the one that regenerates them */
  regenerateCommand: string | null;
}

export interface MutateOptions {
  /** the committed list of equivalent mutants (`--equivalents`, default supabase/equivalent-mutants.txt) */
  equivalentsFile: string;
  /** mutants at once: `--jobs`, or else every core */
  jobs: number;
  /** `--list`: print the mutants and run none */
  list: boolean;
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
  /** show every file's notices and diag() lines, not only a failing file's (`--verbose`) */
  verbose: boolean;
}

export const DEFAULT_TIMEOUT_SECONDS = 120;
export const DEFAULT_PORT = 54322;

/**
 * The command line's options, as the commands' tables (commands/*.options.ts)
 * checked and converted them; an option not given takes its default here.
 */
export interface Flags {
  'db-url'?: string;
  'data-dir'?: string;
  'supabase-dir'?: string;
  'allow-remote'?: boolean;
  confirm?: string;
  'include-all'?: boolean;
  summary?: boolean;
  port?: number;
  'no-analyze'?: boolean;
  jobs?: number;
  shard?: { index: number; count: number };
  grep?: RegExp;
  bail?: boolean;
  timeout?: number;
  reporter?: TestOptions['reporter'];
  'no-cache'?: boolean;
  verbose?: boolean;
  'reports-dir'?: string;
  'snapshot-dir'?: string;
  equivalents?: string;
  list?: boolean;
  'schema-doc'?: string;
  'rls-matrix'?: string;
  types?: string;
  'regenerate-command'?: string;
}

/** The configuration, or every problem at once (exit 2). */
export function loadConfig(flags: Flags, env: NodeJS.ProcessEnv, root: string, testPaths: string[] = []): Config {
  const { config, problems } = readConfig(flags, env, root, testPaths);
  if (problems.length > 0) throw problemsError('config', problems);
  return config;
}

/**
 * The configuration from the options, the environment and config.toml, with
 * every problem found; with problems, the config holds defaults where a value
 * could not be read. Paths given are taken from `root` (where they were typed).
 */
export function readConfig(
  flags: Flags,
  env: NodeJS.ProcessEnv,
  root: string,
  testPaths: string[] = [],
): { config: Config; problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const text = (
    name:
      | 'db-url'
      | 'data-dir'
      | 'supabase-dir'
      | 'confirm'
      | 'reports-dir'
      | 'snapshot-dir'
      | 'equivalents'
      | 'schema-doc'
      | 'rls-matrix'
      | 'types'
      | 'regenerate-command',
  ) => flags[name] || undefined;

  // the project: --supabase-dir (or SUPABASE_DIR), else supabase/ here or in the nearest folder above,
  // as git and the Supabase CLI find theirs; paths typed by the user stay relative to where they typed them
  const cwd = root;
  const given = text('supabase-dir') ?? (env['SUPABASE_DIR'] || undefined);
  let supabaseDir: string;
  if (given !== undefined) {
    supabaseDir = path.resolve(cwd, given);
    if (!existsSync(supabaseDir)) problems.push(`the supabase directory ${supabaseDir} does not exist`);
  } else {
    const project = findProjectRoot(cwd);
    if (project === null) {
      problems.push(
        `no supabase folder in ${cwd} or any folder above it: run from the project's root (the folder holding supabase/, as \`supabase init\` makes it), or pass --supabase-dir DIR`,
      );
    }
    root = project ?? cwd;
    supabaseDir = path.join(root, 'supabase');
  }
  const configToml = path.join(supabaseDir, 'config.toml');
  const relative = path.relative(root, configToml);
  const supabase = readSupabaseConfig(supabaseDir, relative.startsWith('..') || path.isAbsolute(relative) ? configToml : relative);
  problems.push(...supabase.problems);
  // a path from the command line or the environment is where the user typed it; a default is the project's
  const place = (given: string | undefined, fallback: string) => (given !== undefined ? path.resolve(cwd, given) : path.join(root, fallback));

  let target: TargetConfig;
  const url = text('db-url') ?? (env['DATABASE_URL'] || undefined);
  if (url !== undefined) {
    const server = serverTarget(url, env);
    if (typeof server === 'string') problems.push(server);
    target = typeof server === 'string' ? { kind: 'server', url, host: '', port: 5432, database: '', user: '', hosts: [] } : server;
  } else {
    target = { kind: 'embedded', dataDir: place(text('data-dir') ?? (env['PGLITE_DATA_DIR'] || undefined), '.data/pglite') };
  }

  // alone, --confirm consents to the first reset of a database the runner has never reset (guards.ts)
  const confirm = text('confirm') ?? null;
  if (confirm !== null && target.kind !== 'server') problems.push('--confirm names the server database to reset: it needs --db-url or DATABASE_URL');

  const config: Config = {
    root,
    supabaseDir,
    migrationsDir: path.join(supabaseDir, 'migrations'),
    testsDir: path.join(supabaseDir, 'tests'),
    target,
    includeAll: flags['include-all'] === true,
    allowRemote: flags['allow-remote'] === true,
    confirm,
    port: flags.port ?? DEFAULT_PORT,
    summary: flags['summary'] === true,
    analyze: flags['no-analyze'] !== true,
    environment: { APP_ENV: env['APP_ENV'], NODE_ENV: env['NODE_ENV'] },
    github: env['GITHUB_ACTIONS'] === 'true' ? { summaryFile: env['GITHUB_STEP_SUMMARY'] || null } : null,
    // test paths as typed, from where they were typed (a glob too)
    testPaths: testPaths.map((p) => path.resolve(cwd, p)),
    test: {
      reporter: flags.reporter ?? 'human',
      jobs: flags.jobs ?? 1,
      shard: flags.shard ?? null,
      timeoutSeconds: flags.timeout ?? DEFAULT_TIMEOUT_SECONDS,
      grep: flags.grep ?? null,
      bail: flags.bail === true,
      cache: flags['no-cache'] !== true,
      reportsDir: place(text('reports-dir'), 'reports'),
      snapshotDir: place(text('snapshot-dir') ?? (env['PGLITE_SNAPSHOT_DIR'] || undefined), '.data/snapshots'),
      // colours are allowed unless NO_COLOR is set; they are used only on a terminal
      colour: !env['NO_COLOR'],
      verbose: flags.verbose === true,
    },
    seed: supabase.config.seed,
    mutate: {
      equivalentsFile: text('equivalents') !== undefined ? path.resolve(cwd, text('equivalents')!) : path.join(supabaseDir, 'equivalent-mutants.txt'),
      jobs: flags.jobs ?? Math.max(1, Math.min(64, availableParallelism())),
      list: flags['list'] === true,
    },
    docs: {
      schemaDoc: text('schema-doc') !== undefined ? path.resolve(cwd, text('schema-doc')!) : null,
      rlsMatrix: text('rls-matrix') !== undefined ? path.resolve(cwd, text('rls-matrix')!) : null,
      types: text('types') !== undefined ? path.resolve(cwd, text('types')!) : null,
      regenerateCommand: text('regenerate-command') ?? null,
    },
  };
  return { config, problems, warnings: supabase.warnings };
}

/**
 * The nearest folder, `from` or above, that holds a project's supabase/ folder:
 * `from`'s own supabase/ whatever it holds; above it, one with config.toml or
 * migrations/ (so node_modules/supabase, the CLI's package, is not taken for one).
 */
export function findProjectRoot(from: string): string | null {
  if (isDirectory(path.join(from, 'supabase'))) return from;
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'supabase');
    if (existsSync(path.join(candidate, 'config.toml')) || isDirectory(path.join(candidate, 'migrations'))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where a connection string leads, as node-postgres (pg) reads it: the `host`
 * and `port` parameters win over the URL's; an empty host falls back to PGHOST,
 * then localhost; a host starting with "/" is a Unix socket's folder. `hosts`
 * adds every other host a client could connect to with it (`hostaddr` and
 * PGHOSTADDR, which libpq tools such as psql use; each of a comma-separated
 * list), so the guard judges them all. A problem is a string.
 */
export function serverTarget(url: string, env: NodeJS.ProcessEnv): Extract<TargetConfig, { kind: 'server' }> | string {
  let parsed: URL;
  let noHost = false;
  try {
    parsed = new URL(url);
  } catch {
    // a user without a host (postgresql://postgres@/db): the driver reads it with a stand-in host, then none
    try {
      parsed = new URL(url.replace('@/', '@stand-in/'));
      noHost = true;
    } catch {
      return 'DATABASE_URL / --db-url is not a valid URL (postgresql://user:password@host:port/database)';
    }
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) return `the database URL must start with postgresql:// (got ${parsed.protocol}//)`;
  const param = (name: string) => parsed.searchParams.get(name) || undefined;
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const urlHost = noHost ? '' : decode(parsed.hostname.replace(/^\[(.+)\]$/, '$1'));
  const host = param('host') ?? (urlHost || env['PGHOST'] || 'localhost');
  const portText = param('port') ?? (parsed.port || env['PGPORT'] || '5432');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return `the database URL's port must be a number from 1 to 65535 (got ${portText})`;
  const user = param('user') ?? (decode(parsed.username) || env['PGUSER'] || env['USER'] || 'postgres');
  const database = decode(parsed.pathname.replace(/^\//, '')) || env['PGDATABASE'] || user;
  const named = [host, param('hostaddr'), env['PGHOSTADDR']].filter((h): h is string => h !== undefined && h !== '');
  const hosts = [
    ...new Set(
      named
        .flatMap((h) => h.split(','))
        .map((h) => h.trim())
        .filter((h) => h !== ''),
    ),
  ];
  return { kind: 'server', url, host, port, database, user, hosts };
}

/** A path as shown in messages: relative to the repository root when inside it. */
export function shown(config: Config, file: string): string {
  const relative = path.relative(config.root, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

// ---------------------------------------------------------------- supabase/config.toml

/*
 * supabase/config.toml, read with smol-toml (a complete TOML 1.0 parser), and
 * the little of it the runner needs: `[db.seed]` (enabled, sql_paths).
 * Reading is pure and synchronous, so the file is checked with the command
 * line, before any database is opened or reset. A problem is one line that
 * starts `supabase/config.toml:line:col:`, then the lines around it with a
 * caret, as smol-toml shows them.
 */

export interface SeedConfig {
  enabled: boolean;
  /** patterns relative to the supabase directory, as written in config.toml */
  sqlPaths: string[];
}

export const DEFAULT_SEED: SeedConfig = { enabled: true, sqlPaths: ['./seed.sql'] };

/** What the runner takes from config.toml. */
export interface SupabaseConfig {
  seed: SeedConfig;
}

/**
 * Parses config.toml's text. `file` is the path shown in problems. With
 * problems, `config` holds the defaults for what could not be read.
 */
export function parseSupabaseConfig(text: string, file: string): { config: SupabaseConfig; problems: string[]; warnings: string[] } {
  let document: Record<string, unknown>;
  try {
    document = parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    const context = error.codeblock
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => `    ${line}`);
    return { config: { seed: DEFAULT_SEED }, problems: [[`${file}:${error.line}:${error.column}: ${reason}`, ...context].join('\n')], warnings: [] };
  }

  const problems: string[] = [];
  const at = (key: string) => {
    const line = lineOf(text, 'db.seed', key);
    return line === null ? `${file}: [db.seed] ${key}` : `${file}:${line}:1: [db.seed] ${key}`;
  };
  const db = document['db'];
  const seedTable = isTable(db) ? db['seed'] : undefined;
  if (db !== undefined && !isTable(db)) problems.push(`${file}: db must be a table ([db]), got ${shownValue(db)}`);
  if (seedTable !== undefined && !isTable(seedTable)) problems.push(`${file}: db.seed must be a table ([db.seed]), got ${shownValue(seedTable)}`);
  const seed = isTable(seedTable) ? seedTable : {};

  let enabled = DEFAULT_SEED.enabled;
  if (seed['enabled'] !== undefined) {
    if (typeof seed['enabled'] === 'boolean') enabled = seed['enabled'];
    else problems.push(`${at('enabled')} must be true or false, got ${shownValue(seed['enabled'])}`);
  }
  let sqlPaths = DEFAULT_SEED.sqlPaths;
  const paths = seed['sql_paths'];
  if (paths !== undefined) {
    if (Array.isArray(paths) && paths.every((p) => typeof p === 'string' && p !== '')) sqlPaths = paths;
    else problems.push(`${at('sql_paths')} must be a list of file paths or globs, like ["./seed.sql"], got ${shownValue(paths)}`);
  }
  return { config: { seed: { enabled, sqlPaths } }, problems, warnings: unknownKeys(document, text, file) };
}

/*
 * The keys of the Supabase CLI's config.toml where a misspelling would change
 * what the runner does (pkg/config/db.go of supabase/cli: its db and seed
 * structs): a misspelt key of [db.seed], or a [db] key meant for [db.seed],
 * would be ignored without a word, and the seed would not be what was written.
 * Every other section belongs to the CLI, which checks it: left alone here.
 */
const DB_KEYS = [
  'port',
  'shadow_port',
  'health_timeout',
  'major_version',
  'root_key',
  'pooler',
  'migrations',
  'seed',
  'settings',
  'network_restrictions',
  'vault',
];
const SEED_KEYS = ['enabled', 'sql_paths'];

/** Warnings, each at file:line, for the keys above that neither the runner nor the CLI knows. */
function unknownKeys(document: Record<string, unknown>, text: string, file: string): string[] {
  const warnings: string[] = [];
  const at = (table: string, key: string) => {
    const line = lineOf(text, table, key);
    return line === null ? `${file}:` : `${file}:${line}:1:`;
  };
  const db = document['db'];
  if (!isTable(db)) return warnings;
  for (const key of Object.keys(db)) {
    // only a key meant for [db.seed]: the CLI judges the rest of [db]
    if (DB_KEYS.includes(key) || nearest(key, ['seed']) === null) continue;
    warnings.push(
      `${at('db', key)} [db.${key}] is not a table the Supabase CLI knows: did you mean [db.seed]? It is ignored, so the seed files are [db.seed]'s (default ./seed.sql)`,
    );
  }
  const seed = db['seed'];
  if (!isTable(seed)) return warnings;
  for (const key of Object.keys(seed)) {
    if (SEED_KEYS.includes(key)) continue;
    const guess = nearest(key, SEED_KEYS);
    warnings.push(
      `${at('db.seed', key)} [db.seed] ${key} is not a key the runner or the Supabase CLI reads (they read ${SEED_KEYS.join(' and ')})${guess === null ? '' : `: did you mean ${guess}?`} It is ignored.`,
    );
  }
  return warnings;
}

/** The known word within a few edits of `word` (a misspelling), or null. */
function nearest(word: string, known: readonly string[]): string | null {
  let best: { word: string; distance: number } | null = null;
  for (const candidate of known) {
    const distance = editDistance(word.toLowerCase(), candidate);
    if (distance <= Math.max(1, Math.min(3, Math.floor(candidate.length / 3))) && (best === null || distance < best.distance))
      best = { word: candidate, distance };
  }
  return best?.word ?? null;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Reads `<supabaseDir>/config.toml`; a missing file means the defaults, as for the Supabase CLI. */
export function readSupabaseConfig(supabaseDir: string, shownFile: string): { config: SupabaseConfig; problems: string[]; warnings: string[] } {
  let text: string;
  try {
    text = readFileSync(path.join(supabaseDir, 'config.toml'), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { config: { seed: DEFAULT_SEED }, problems: [], warnings: [] };
    return { config: { seed: DEFAULT_SEED }, problems: [`${shownFile}: cannot be read (${code ?? (error as Error).message})`], warnings: [] };
  }
  return parseSupabaseConfig(text, shownFile);
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function shownValue(value: unknown): string {
  return value instanceof Date ? value.toISOString() : JSON.stringify(value);
}

/**
 * The line where `key` is set in `table`, for a problem's location: under the
 * `[table]` header, written out as `table.key = ...`, or as a table of its own
 * (`[table.key]`). Null when not found (an inline table, say): the problem then
 * names the key without a line.
 */
function lineOf(text: string, table: string, key: string): number | null {
  const lines = text.split('\n');
  const name = (raw: string) => raw.replace(/["'\s]/g, '');
  const wanted = `${table}.${key}`;
  const matches = (full: string) => full === wanted || full.startsWith(`${wanted}.`);
  let current = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const header = /^\[([^[\]]+)\]/.exec(line);
    if (header) {
      current = name(header[1]!);
      if (matches(current)) return i + 1;
      continue;
    }
    const assignment = /^([^=]+)=/.exec(line);
    if (assignment && matches(`${current === '' ? '' : `${current}.`}${name(assignment[1]!)}`)) return i + 1;
  }
  return null;
}
