/**
 * The database every test file starts from, built once per run at most by the
 * build it is given (suite/build.ts: platform bootstrap, migrations, seed,
 * pgTAP, then the setup files, 000_*).
 *
 * Embedded, it is kept as a snapshot (after a checkpoint, an uncompressed tar
 * of the data directory: snapshot-fs.ts writes it, and restores it without
 * copying or gunzipping) in
 * `.data/snapshots/<hash>.tar`, keyed by a hash of everything that shapes it:
 * the migrations, config.toml, the seed files, the setup files, the runner code
 * that builds it (bootstrap SQL included), whether the tables are analyzed
 * (`--no-analyze`) and the versions of PGlite and its extensions. Same hash: the snapshot is reused (warm); any change: rebuilt
 * (cold). `<hash>.json` beside it keeps what the build said (warnings, the
 * setup files' results), so a warm run reports the same. `initdb-<key>.tar`
 * keeps the empty database a build starts from, so only the first build
 * pays for PGlite's initdb.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { RunnerError, describe } from '../errors.js';
import type { Output } from '../output.js';
import { claimFolder, fileError, markFolder, writeAtomically } from './folders.js';
import type { RebuildPhase } from './reset.js';
import { resolveSeedFiles } from './supabase-config.js';
import { EmbeddedTarget } from './target.js';

/** Bump when the snapshot's layout or meaning changes without any input changing. */
const SNAPSHOT_FORMAT = '2';
/**
 * The runner's files whose code shapes the database (paths under src/); a change
 * to any of them rebuilds the snapshot. A missing one fails the hash: keep this
 * list in step when files move.
 */
const BUILDER_SOURCES = [
  'database/bootstrap.ts',
  'database/history.ts',
  'database/migration-files.ts',
  'database/sql-split.ts',
  'database/sql-file.ts',
  'database/supabase-config.ts',
  'database/target.ts',
  'database/snapshot.ts',
  'database/migrate.ts',
  'database/seed.ts',
  'database/reset.ts',
  'database/snapshot-fs.ts',
  'suite/pgtap.ts',
  'suite/build.ts',
  'database/extensions.ts',
  'database/statistics.ts',
];
const PACKAGES = ['@electric-sql/pglite', '@electric-sql/pglite-pgvector', '@electric-sql/pglite-pgtap'];
const KEEP = 3;

export interface Phase {
  name: string;
  ms: number;
  /** said after the time, in parentheses */
  detail?: string;
}

/**
 * Phases timed one after the other on one clock: each runs from the end of the
 * one before (or from `start`), so together they are every millisecond since.
 */
export function phaseClock(start = performance.now()) {
  const phases: Phase[] = [];
  let last = start;
  const close = (name: string, detail?: string) => {
    const now = performance.now();
    phases.push({ name, ms: Math.round(now - last), ...(detail !== undefined ? { detail } : {}) });
    last = now;
  };
  return {
    phases,
    /** runs `work` as the phase `name` */
    async time<R>(name: string, work: () => Promise<R>): Promise<R> {
      try {
        return await work();
      } finally {
        close(name);
      }
    },
    /** ends the phase `name` now, for work that was not wrapped */
    lap: close,
    totalMs: () => phases.reduce((sum, p) => sum + p.ms, 0),
  };
}
export type PhaseClock = ReturnType<typeof phaseClock>;

/** What a build made: the setup files' results, in path order, and each phase's time. */
export interface BuiltDatabase<Setup> {
  setup: Setup[];
  phases: Phase[];
}

/** The database could not be built: the phase it stopped in, and why (a SqlFileError names the file). */
export class BuildError extends Error {
  constructor(
    readonly phase: RebuildPhase | 'pgTAP' | 'setup files' | 'PGlite',
    readonly cause: unknown,
  ) {
    super(`the database could not be built (${phase}): ${describe(cause)}`);
  }
}

/**
 * Builds the database on an empty in-memory target (suite/build.ts's buildDatabase
 * for `test`), its phases on `clock`; a failure is a BuildError.
 */
export type Build<Setup> = (target: EmbeddedTarget, output: Output, clock: PhaseClock) => Promise<BuiltDatabase<Setup>>;

/** `phases` are this run's, from the hash to the snapshot in hand: they add up to its time. */
export interface Snapshot<Setup> extends BuiltDatabase<Setup> {
  hash: string;
  /** where it is kept: the uncompressed tar of the data directory, for EmbeddedTarget.fromSnapshot */
  file: string;
  /** true when an identical snapshot was on disk */
  reused: boolean;
  /** when it was built */
  createdAt: string;
}

interface SnapshotMeta<Setup> {
  hash: string;
  createdAt: string;
  phases: Phase[];
  setup: Setup[];
  info: string[];
  warnings: string[];
}

/** The hash of everything that shapes the snapshot. */
export async function snapshotHash(config: Config, setupFiles: string[]): Promise<string> {
  const hash = createHash('sha256');
  const add = (label: string, content: string | Buffer) => {
    hash.update(`${label}\0${content.length}\0`);
    hash.update(content);
  };
  add('format', SNAPSHOT_FORMAT);
  // with or without statistics: two different databases
  add('analyze', String(config.analyze));
  const sqlIn = async (dir: string) => (existsSync(dir) ? (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort() : []);
  for (const name of await sqlIn(config.migrationsDir)) add(`migration ${name}`, await readFile(path.join(config.migrationsDir, name)));
  const configToml = path.join(config.supabaseDir, 'config.toml');
  if (existsSync(configToml)) add('config.toml', await readFile(configToml));
  if (config.seed.enabled) {
    for (const file of (await resolveSeedFiles(config.supabaseDir, config.seed.sqlPaths)).files) add(`seed ${shown(config, file)}`, await readFile(file));
  }
  for (const file of setupFiles) add(`setup ${shown(config, file)}`, await readFile(file));
  // the TypeScript sources, whether this runs from them or from dist/ (built from them)
  const src = fileURLToPath(new URL('../../src/', import.meta.url));
  for (const source of BUILDER_SOURCES) add(`runner ${source}`, await readFile(path.join(src, source)));
  // the platform's SQL (database/bootstrap.ts runs it)
  const sql = fileURLToPath(new URL('../../sql/', import.meta.url));
  for (const name of (await readdir(sql)).filter((f) => f.endsWith('.sql')).sort()) add(`runner sql/${name}`, await readFile(path.join(sql, name)));
  const require = createRequire(import.meta.url);
  for (const name of PACKAGES) {
    const version = await packageVersion(require, name);
    add(`package ${name}`, version);
  }
  add('node', process.versions.node.split('.')[0]!);
  return hash.digest('hex').slice(0, 16);
}

async function packageVersion(require: NodeJS.Require, name: string): Promise<string> {
  // the package's main entry, then up to its package.json (exports may hide package.json itself)
  let dir = path.dirname(require.resolve(name));
  while (dir !== path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(await readFile(manifest, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === name) return parsed.version ?? '?';
    }
    dir = path.dirname(dir);
  }
  return '?';
}

/**
 * The snapshot for this run: reused from disk when its hash matches and `cache`
 * allows, otherwise built in memory, dumped and kept. The build's messages go
 * to `output`; on reuse, the stored warnings are repeated.
 */
export async function prepareSnapshot<Setup>(config: Config, setupFiles: string[], output: Output, build: Build<Setup>): Promise<Snapshot<Setup>> {
  const clock = phaseClock();
  const dir = config.test.snapshotDir;
  // the folder is the runner's (or new, or empty), and writable, before anything is built
  const state = await claimFolder(dir, 'snapshots', shown(config, dir), 'keep snapshots there');
  if (state !== 'marked') await markFolder(dir, 'snapshots', shown(config, dir));
  const hash = await clock.time('hash', () => snapshotHash(config, setupFiles));
  const file = path.join(dir, `${hash}.tar`);
  const metaFile = path.join(dir, `${hash}.json`);
  if (config.test.cache && existsSync(file) && existsSync(metaFile)) {
    try {
      const meta = JSON.parse(await readFile(metaFile, 'utf8')) as SnapshotMeta<Setup>;
      // the workers read the tar themselves
      clock.lap('read');
      for (const line of meta.warnings) output.warn(line);
      return { hash, file, reused: true, createdAt: meta.createdAt, phases: clock.phases, setup: meta.setup };
    } catch {
      // unreadable: build it again below
    }
  }

  const info: string[] = [];
  const warnings: string[] = [];
  const recording: Output = {
    info: (line) => {
      info.push(line);
      output.info(line);
    },
    warn: (line) => {
      warnings.push(line);
      output.warn(line);
    },
  };
  const { target, initdb } = await emptyDatabase(dir, !config.test.cache, shown(config, dir)).catch((error: unknown) => {
    if (error instanceof RunnerError) throw error;
    throw new BuildError('PGlite', error);
  });
  clock.lap(initdb ? 'PGlite with initdb' : 'PGlite from the initdb cache');
  let built: BuiltDatabase<Setup>;
  let bytes: Uint8Array;
  try {
    built = await build(target, recording, clock);
    bytes = await clock.time('dump', () => target.snapshot());
  } finally {
    await target.close();
  }
  const createdAt = new Date().toISOString();
  // written under temporary names, then renamed: a concurrent run never reads half a snapshot,
  // and a failed write (a full disk) leaves no part of one; the tar first, then what says it is whole
  const meta: SnapshotMeta<Setup> = { hash, createdAt, phases: clock.phases, setup: built.setup, info, warnings };
  await writeAtomically(file, bytes, `the snapshot ${shown(config, file)}`);
  await writeAtomically(metaFile, JSON.stringify(meta), `the snapshot ${shown(config, metaFile)}`);
  await prune(dir, hash).catch((error: unknown) => {
    throw fileError(error, `remove old snapshots from ${shown(config, dir)}`);
  });
  clock.lap('save');
  return { hash, file, reused: false, createdAt, setup: built.setup, phases: clock.phases };
}

/**
 * The empty database a build starts from. A new PGlite runs initdb, the
 * longest part of a cold run; its result depends only on PGlite, so it is
 * kept beside the snapshots as `initdb-<key>.tar` and the next build (a
 * migration changed) restores it instead. `fresh` (--no-cache) makes it anew.
 */
async function emptyDatabase(dir: string, fresh: boolean, shownDir: string): Promise<{ target: EmbeddedTarget; initdb: boolean }> {
  const file = path.join(dir, `initdb-${await initdbKey()}.tar`);
  if (!fresh && existsSync(file)) {
    try {
      return { target: await EmbeddedTarget.fromSnapshot(await readFile(file)), initdb: false };
    } catch {
      // unreadable: made again below
    }
  }
  const target = await EmbeddedTarget.forSnapshot();
  try {
    await writeAtomically(file, await target.snapshot(), `the initdb cache in ${shownDir}`);
  } catch (error) {
    await target.close();
    throw error;
  }
  return { target, initdb: true };
}

/** What the empty database depends on: PGlite's version and the runner code that makes and restores it. */
async function initdbKey(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`initdb ${SNAPSHOT_FORMAT}\0${await packageVersion(createRequire(import.meta.url), '@electric-sql/pglite')}\0`);
  const src = fileURLToPath(new URL('../../src/', import.meta.url));
  for (const source of ['database/target.ts', 'database/snapshot-fs.ts']) hash.update(await readFile(path.join(src, source)));
  return hash.digest('hex').slice(0, 16);
}

/** Keeps the newest few snapshots. */
async function prune(dir: string, current: string): Promise<void> {
  // .tar.gz: the format before this one
  const names = (await readdir(dir)).filter((n) => /^[0-9a-f]{16}\.tar(\.gz)?$/.test(n) && !n.startsWith(current));
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(path.join(dir, n))).mtimeMs })));
  for (const { n } of dated.sort((a, b) => b.t - a.t).slice(KEEP - 1)) {
    const hash = n.slice(0, 16);
    await rm(path.join(dir, n), { force: true });
    await rm(path.join(dir, `${hash}.json`), { force: true });
  }
  // an initdb cache of another PGlite or runner
  const initdb = `initdb-${await initdbKey()}.tar`;
  for (const n of await readdir(dir)) if (/^initdb-[0-9a-f]{16}\.tar$/.test(n) && n !== initdb) await rm(path.join(dir, n), { force: true });
  // half-written files an earlier runner left when it was killed (written by `writeAtomically`, or before it by
  // `<name>.<pid>.<time>`): removed once they are a minute old, when no write can still be filling them
  const now = Date.now();
  for (const n of await readdir(dir)) {
    if (!/\.tar\.\d+\.\d+$|\.json\.\d+\.\d+$|\.[0-9a-f-]{36}\.tmp$/.test(n)) continue;
    const info = await stat(path.join(dir, n)).catch(() => null);
    if (info !== null && now - info.mtimeMs > 60_000) await rm(path.join(dir, n), { force: true });
  }
}
