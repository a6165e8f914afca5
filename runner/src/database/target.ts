/**
 * Where the SQL runs. Commands receive a Target and never learn which kind it is:
 * an embedded PGlite (in memory or on disk) or a PostgreSQL server reached by URL.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, type QueryOptions } from '@electric-sql/pglite';
import type pg from 'pg';
import { shown, type Config, type TargetConfig } from '../config.js';
import { connection, describe, refused, usage } from '../errors.js';
import type { Output } from '../output.js';
import { incompleteBuild } from './build-mark.js';
import { embeddedExtensions } from './extensions.js';
import { claimFolder, fileError, markFolder } from './folders.js';
import { lockDataDir, type DataDirLock } from './lock.js';
import { SnapshotFS, dataDirTar } from './snapshot-fs.js';

export type Row = Record<string, unknown>;

export interface Target {
  readonly kind: 'embedded' | 'server';
  /** for messages: "embedded (in memory)", "embedded (.data/pglite)", "postgresql://postgres@127.0.0.1:54322/postgres" (where the driver connected) */
  readonly label: string;
  /** a server's: the address the connection reached (null for a Unix socket) */
  readonly peer?: string | null;
  /** Runs one statement, with optional parameters, and returns its rows. */
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of any number of statements; returns nothing. */
  exec(sql: string): Promise<void>;
  /** Runs one statement and returns each row as psql -At prints it: values joined by '|'. */
  rowsAsText(sql: string): Promise<string[]>;
  /** Calls `listener` with every notice the server sends (raise notice, warnings) until the returned function is called. */
  onNotice(listener: NoticeListener): () => void;
  close(): Promise<void>;
}

/** What PostgreSQL sends with a notice, as both pg and PGlite expose it. */
export interface Notice {
  severity?: string;
  message?: string;
  detail?: string;
  hint?: string;
}

export type NoticeListener = (notice: Notice) => void;

/** A notice as psql prints it: `NOTICE:  message`, then its detail and hint. */
export function formatNotice(notice: Notice): string[] {
  const lines = [`${notice.severity ?? 'NOTICE'}:  ${notice.message ?? ''}`];
  if (notice.detail) lines.push(`DETAIL:  ${notice.detail}`);
  if (notice.hint) lines.push(`HINT:  ${notice.hint}`);
  return lines;
}

/**
 * How PostgreSQL starts for a database restored for one test run: PGlite's
 * defaults with 16 MB of shared buffers instead of 128 MB. PGlite allocates
 * them in its WebAssembly memory at start, so each worker's database would hold
 * 128 MB it does not need; the test database is about 30 MB, and a page that
 * leaves the buffers is read back from memory anyway.
 */
const THROWAWAY = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

export class EmbeddedTarget implements Target {
  readonly kind = 'embedded';
  private readonly listeners = new Set<NoticeListener>();
  private constructor(
    readonly db: PGlite,
    readonly label: string,
    /** the on-disk folder's lock, released by close() */
    private readonly lock: DataDirLock | null = null,
  ) {}

  /**
   * A PGlite with vector, pgTAP and every contrib extension available
   * (extensions.ts); `dataDir` null means in memory. On disk, the folder's lock
   * must be held (openDataDir takes it): the target keeps it and releases it
   * when it closes.
   */
  static async open(dataDir: string | null, lock: DataDirLock | null = null): Promise<EmbeddedTarget> {
    if (dataDir !== null) await mkdir(dataDir, { recursive: true });
    const db = await PGlite.create({
      ...(dataDir !== null ? { dataDir } : {}),
      extensions: await embeddedExtensions(),
    });
    await applyDatabaseSettings(db);
    const shownDir = dataDir === null ? null : path.relative(process.cwd(), dataDir) || '.';
    return new EmbeddedTarget(db, shownDir === null ? 'embedded (in memory)' : `embedded (${shownDir})`, lock);
  }

  /**
   * A new PGlite in memory to build a snapshot on: started as a restored one
   * will be (THROWAWAY), and with 1 MB write-ahead log segments instead of
   * 16 MB, since every segment file is in the snapshot and most of a 16 MB one
   * is empty.
   */
  static async forSnapshot(): Promise<EmbeddedTarget> {
    const db = await PGlite.create({ extensions: await embeddedExtensions(), startParams: THROWAWAY, initDbStartParams: ['--wal-segsize=1'] });
    await applyDatabaseSettings(db);
    return new EmbeddedTarget(db, 'embedded (in memory)');
  }

  /**
   * A PGlite in memory restored from `snapshot()`'s uncompressed tar, for one
   * run (THROWAWAY). The database's files become views into `tar` and
   * PostgreSQL writes into them: give each restore bytes of its own.
   */
  static async fromSnapshot(tar: Uint8Array): Promise<EmbeddedTarget> {
    const db = await PGlite.create({ fs: new SnapshotFS(tar), extensions: await embeddedExtensions(), startParams: THROWAWAY });
    await applyDatabaseSettings(db);
    return new EmbeddedTarget(db, 'embedded (in memory, from the snapshot)');
  }

  /**
   * The whole database as an uncompressed tar, for `fromSnapshot`. A checkpoint
   * first, so a restore starts without replaying the write-ahead log.
   */
  async snapshot(): Promise<Uint8Array> {
    await this.db.exec('checkpoint');
    // as dumpDataDir does, inside the query lock: no statement runs meanwhile
    return this.db.runExclusive(async () => dataDirTar(this.db.Module.FS));
  }

  async query<T extends Row = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, params, this.options())).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql, this.options());
  }

  async rowsAsText(sql: string): Promise<string[]> {
    const result = await this.db.query<unknown[]>(sql, [], { rowMode: 'array', ...this.options() });
    return result.rows.map(psqlText);
  }

  onNotice(listener: NoticeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** PGlite hands notices to the query that raised them: pass them on to whoever listens. */
  private options(): QueryOptions {
    if (this.listeners.size === 0) return {};
    return {
      onNotice: (notice) => {
        for (const listener of this.listeners) listener(notice);
      },
    };
  }

  async close(): Promise<void> {
    try {
      if (!this.db.closed) await this.db.close();
    } finally {
      await this.lock?.release();
    }
  }
}

/**
 * Takes the lock of an on-disk embedded database's folder (database/lock.ts),
 * refusing when another process holds it; a stale lock is taken over, with a warning.
 */
export async function lockEmbedded(config: Config, dataDir: string, output: Output): Promise<DataDirLock> {
  const lock = await lockDataDir(dataDir, shown(config, dataDir));
  if (lock.replaced !== null) {
    output.warn(`${shown(config, lock.file)}: process ${lock.replaced.pid} (${lock.replaced.command}) left this lock and is no longer running; taking it over`);
  }
  return lock;
}

/** The on-disk embedded database under its folder's lock: `lock` when the caller holds it already. */
export async function openDataDir(config: Config, dataDir: string, output: Output, lock?: DataDirLock): Promise<EmbeddedTarget> {
  const held = lock ?? (await lockEmbedded(config, dataDir, output));
  try {
    // PGlite makes a database in any folder it is given: only an empty one, or one of ours
    const state = await claimFolder(dataDir, 'data', shown(config, dataDir), `open ${shown(config, dataDir)} as the embedded database`);
    // marked first: a database that fails half-way (a full disk) is still the runner's to replace
    if (state !== 'marked') await markFolder(dataDir, 'data', shown(config, dataDir));
    return await EmbeddedTarget.open(dataDir, held).catch((error: unknown) => {
      throw fileError(error, `open the embedded database in ${shown(config, dataDir)}`);
    });
  } catch (error) {
    await held.release();
    throw error;
  }
}

/**
 * The database's, the role's, then the database-and-role's settings, each set
 * for the session in that order, in one statement (applyDatabaseSettings, and
 * suite/pgtap.ts's freshSession after `discard all`).
 */
export const APPLY_DATABASE_SETTINGS = /* sql */ `
  select pg_catalog.set_config(split_part(setting, '=', 1), substr(setting, strpos(setting, '=') + 1), false)
    from (select unnest(s.setconfig) as setting, (s.setrole <> 0)::int + (s.setdatabase <> 0 and s.setrole <> 0)::int as rank
            from pg_catalog.pg_db_role_setting s
           where (s.setdatabase, s.setrole) in (
                   ((select oid from pg_catalog.pg_database where datname = current_database()), 0::oid),
                   (0::oid, (select oid from pg_catalog.pg_roles where rolname = current_user)),
                   ((select oid from pg_catalog.pg_database where datname = current_database()),
                    (select oid from pg_catalog.pg_roles where rolname = current_user)))
           order by rank) settings`;

/**
 * PGlite starts its one session without reading `alter database/role ... set`
 * settings (search_path, app.environment); a server applies them at connection.
 * Apply them as a server would: database, then role, then database and role.
 */
export async function applyDatabaseSettings(db: PGlite): Promise<void> {
  await db.query(APPLY_DATABASE_SETTINGS);
}

export class ServerTarget implements Target {
  readonly kind = 'server';
  private lost: Error | null = null;
  private readonly listeners = new Set<NoticeListener>();
  private constructor(
    private readonly client: pg.Client,
    readonly label: string,
    readonly peer: string | null,
  ) {
    client.on('error', (error) => {
      this.lost = error;
    });
    client.on('notice', (notice) => {
      for (const listener of this.listeners) listener(notice);
    });
  }

  /**
   * Connects as the driver reads `url` (and PGHOST, PGPORT, ...). `expected`, the
   * configuration's reading of the same (what the guard judged), must agree with
   * the driver's, or nothing is done.
   */
  static async connect(url: string, expected?: Extract<TargetConfig, { kind: 'server' }>): Promise<ServerTarget> {
    // loaded here, not at the top: an embedded run (and every test worker) never needs it
    const { default: pgModule } = await import('pg');
    const client = new pgModule.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    const label = serverLabel(client.user ?? '', client.host, client.port, client.database ?? '');
    if (expected !== undefined && (client.host !== expected.host || client.port !== expected.port || client.database !== expected.database)) {
      throw refused(
        `refusing to connect: the driver would connect to ${label}, not to ${serverLabel(expected.user, expected.host, expected.port, expected.database)} as the guard read the URL; nothing was touched`,
      );
    }
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => {});
      throw connection(`cannot connect to ${label}: ${describe(error)}`);
    }
    const stream = (client as unknown as { connection?: { stream?: { remoteAddress?: string } } }).connection?.stream;
    return new ServerTarget(client, label, stream?.remoteAddress ?? null);
  }

  async query<T extends Row = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.run(() => this.client.query<T>(sql, params))).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.run(() => this.client.query(sql));
  }

  async rowsAsText(sql: string): Promise<string[]> {
    const result = await this.run(() => this.client.query<unknown[]>({ text: sql, rowMode: 'array' }));
    return result.rows.map(psqlText);
  }

  onNotice(listener: NoticeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }

  /** Drops the connection at once, whatever it is doing (a file over its time limit). */
  destroy(): void {
    this.lost ??= new Error('the runner closed the connection');
    (this.client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }

  private async run<R>(work: () => Promise<R>): Promise<R> {
    if (this.lost) throw connection(`lost the connection to ${this.label}: ${this.lost.message}`);
    try {
      return await work();
    } catch (error) {
      if (this.lost || (error instanceof Error && /Connection terminated|ECONNRESET|not queryable/.test(error.message))) {
        throw connection(`lost the connection to ${this.label}: ${describe(error)}`);
      }
      throw error;
    }
  }
}

/** Runs `work` inside one transaction: commit when it resolves, roll back when it throws. */
export async function inTransaction<R>(target: Target, work: () => Promise<R>): Promise<R> {
  await target.exec('begin');
  try {
    const result = await work();
    await target.exec('commit');
    return result;
  } catch (error) {
    await target.exec('rollback').catch(() => {});
    throw error;
  }
}

/** Runs `work` with the session's search_path set to `searchPath`, then puts the previous one back. */
export async function withSearchPath<R>(target: Target, searchPath: string, work: () => Promise<R>): Promise<R> {
  const [saved] = await target.query<{ path: string }>(`select current_setting('search_path') as path`);
  await target.query(`select pg_catalog.set_config('search_path', $1, false)`, [searchPath]);
  try {
    return await work();
  } finally {
    await target.query(`select pg_catalog.set_config('search_path', $1, false)`, [saved?.path ?? '']);
  }
}

/** A row as psql --no-align --tuples-only prints it. */
function psqlText(row: unknown[]): string {
  return row.map((value) => (value === null || value === undefined ? '' : String(value))).join('|');
}

/**
 * Where a connection goes, for messages: postgresql://user@host:port/database,
 * or for a Unix socket postgresql://user@/database?host=/folder&port=5432. No password.
 */
export function serverLabel(user: string, host: string, port: number, database: string): string {
  const who = user === '' ? '' : `${encodeURIComponent(user)}@`;
  if (host.startsWith('/')) return `postgresql://${who}/${encodeURIComponent(database)}?host=${host}&port=${port}`;
  return `postgresql://${who}${host.includes(':') ? `[${host}]` : host}:${port}/${encodeURIComponent(database)}`;
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Opens the configured target. `memory` asks for a fresh in-memory database when
 * the target is embedded (the `test` command); a server is always the server.
 * On disk, the folder's lock is taken first (or `lock`, already held, is used).
 */
export async function openTarget(config: Config, output: Output, options: { memory: boolean; lock?: DataDirLock }): Promise<Target> {
  const target: TargetConfig = config.target;
  if (target.kind === 'server') return ServerTarget.connect(target.url, target);
  if (options.memory) return EmbeddedTarget.open(null);
  return openDataDir(config, target.dataDir, output, options.lock);
}

/**
 * Opens the database a command reads or adds to (seed, status, fingerprint):
 * the server, or the on-disk embedded database, which must have been built.
 */
export async function openExistingTarget(config: Config, output: Output, options: { warnIncomplete?: boolean } = {}): Promise<Target> {
  if (config.target.kind === 'server') return openTarget(config, output, { memory: false });
  const dataDir = config.target.dataDir;
  const missing = () => usage(`no database at ${shown(config, dataDir)}: run "db reset" first`);
  if (!existsSync(dataDir)) throw missing();
  const lock = await lockEmbedded(config, dataDir, output);
  // a reset that held the lock until now may have removed it
  if (!existsSync(dataDir)) {
    await lock.release();
    throw missing();
  }
  const incomplete = options.warnIncomplete === false ? null : incompleteBuild(dataDir, shown(config, dataDir));
  if (incomplete !== null) output.warn(`warning: ${incomplete}`);
  return openTarget(config, output, { memory: false, lock });
}
