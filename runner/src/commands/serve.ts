/**
 * `db serve`: the on-disk embedded database over the PostgreSQL wire protocol,
 * on 127.0.0.1, until Ctrl-C. PGlite is one session: pglite-socket queues every
 * connection's messages through it and keeps a transaction with the connection
 * that opened it, so psql, the Supabase CLI and an application can share it,
 * one query at a time; session settings (SET, search_path) are shared too.
 * Each new connection starts from the database's settings, as on a server:
 * what an earlier client SET (the Supabase CLI sets search_path) is reset.
 */
import { existsSync } from 'node:fs';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { incompleteBuild, markBuildComplete, markBuildStarted } from '../database/build-mark.js';
import { rebuild } from '../database/reset.js';
import { applyDatabaseSettings, lockEmbedded, openDataDir } from '../database/target.js';
import { describe, usage } from '../errors.js';
import type { Output } from '../output.js';

export async function serveCommand(config: Config, output: Output, stop: Promise<void> = untilSignal()): Promise<number> {
  if (config.target.kind !== 'embedded') throw usage('db serve serves the embedded database; it takes no --db-url / DATABASE_URL');
  // the folder's lock first: a second serve, or a reset, on this folder while it is served would corrupt it
  const lock = await lockEmbedded(config, config.target.dataDir, output);
  const fresh = !existsSync(config.target.dataDir);
  const target = await openDataDir(config, config.target.dataDir, output, lock);
  try {
    if (fresh) {
      output.info(`serve: no database at ${shown(config, config.target.dataDir)} yet, building it`);
      await markBuildStarted(config.target.dataDir);
      await rebuild(target, config, output);
      await markBuildComplete(config.target.dataDir);
    } else {
      const incomplete = incompleteBuild(config.target.dataDir, shown(config, config.target.dataDir));
      if (incomplete !== null) output.warn(`warning: ${incomplete}`);
    }
    const server = new PGLiteSocketServer({ db: target.db, host: '127.0.0.1', port: config.port, maxConnections: 64 });
    const db = target.db;
    server.addEventListener('connection', () => {
      // another connection's open transaction is left alone: its session is this one too
      if (db.isInTransaction()) return;
      db.exec('reset all; reset role; reset session authorization')
        .then(() => applyDatabaseSettings(db))
        .catch((error: unknown) => output.warn(`serve: could not reset the session for a new connection: ${describe(error)}`));
    });
    try {
      await server.start();
    } catch (error) {
      throw usage(`cannot listen on 127.0.0.1:${config.port}: ${(error as Error).message} (choose another with --port)`);
    }
    const url = `postgresql://postgres:postgres@127.0.0.1:${config.port}/postgres?sslmode=disable`;
    await lock.served(url);
    output.info(`serving ${target.label} on ${url}`);
    output.info('press Ctrl-C to stop');
    await stop;
    await server.stop();
    output.info('serve: stopped');
    return 0;
  } finally {
    await target.close();
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
