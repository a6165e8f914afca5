/**
 * Resetting: the database exactly as the repository defines it. `openResetTarget`
 * passes the production guard, refuses what would stop the build half-way
 * (shared migration versions, extensions the target lacks, a server where the
 * platform cannot be created) and opens an empty target (a new embedded
 * database, or the server with what migrations and seed created dropped, the
 * platform kept); `rebuild` runs the platform bootstrap (when missing), every
 * migration, the seed and the analyze on it.
 */
import { rm } from 'node:fs/promises';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { describe, isPgError, refused } from '../errors.js';
import type { Output } from '../output.js';
import { PART_DESCRIPTION, ensurePlatform } from './bootstrap.js';
import { assertCanBootstrap } from './bootstrap-check.js';
import { markBuildStarted } from './build-mark.js';
import { guardFirstReset, markReset } from './consent.js';
import { claimFolder, fileError } from './folders.js';
import { guardBeforeConnecting, guardDatabase } from './guards.js';
import type { DataDirLock } from './lock.js';
import { checkMigrationFiles, checkServerExtensions, migrate } from './migrate.js';
import { seed } from './seed.js';
import { emptyServerDatabase } from './server-reset.js';
import { analyzeTables } from './statistics.js';
import { inTransaction, lockEmbedded, openTarget, type Target } from './target.js';

/**
 * Passes the production guard, then opens an empty target: a new embedded
 * database (in memory, or a fresh folder), or the server with its user objects dropped.
 */
export async function openResetTarget(config: Config, output: Output, options: { memory: boolean; action: string }): Promise<Target> {
  // a fresh in-memory database destroys nothing: only the others are guarded
  if (config.target.kind === 'server' || !options.memory) guardBeforeConnecting(config, options.action);
  // the migration files' own problems refuse the reset before anything is removed
  await checkMigrationFiles(config, options.action);
  let lock: DataDirLock | undefined;
  if (config.target.kind === 'embedded' && !options.memory) {
    const dataDir = config.target.dataDir;
    // only a folder the runner made (or an empty one) is deleted: anything else is refused, untouched
    await claimFolder(dataDir, 'data', shown(config, dataDir), options.action);
    // nobody else may have the folder open while it is replaced
    lock = await lockEmbedded(config, dataDir, output);
    try {
      // again, under the lock: what another process did meanwhile counts
      const state = await claimFolder(dataDir, 'data', shown(config, dataDir), options.action);
      if (state === 'adopted') output.info(`reset: ${shown(config, dataDir)} is a PGlite data folder from an earlier pg-tap-runner: replacing it`);
      // until the command marks it complete, the folder is an unfinished build (build-mark.ts)
      await markBuildStarted(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    } catch (error) {
      await lock.release();
      throw fileError(error, `delete ${shown(config, dataDir)}`);
    }
    output.info(`reset: new embedded database at ${shown(config, dataDir)}`);
  }
  const target = await openTarget(config, output, { memory: options.memory, ...(lock ? { lock } : {}) });
  try {
    if (target.kind === 'server') {
      await guardDatabase(target, options.action, config);
      // what would stop the build on this server, before anything is dropped
      try {
        await checkServerExtensions(target, config, options.action);
        // the first reset of a database holding what this project did not make needs --confirm
        await guardFirstReset(target, config, options.action, output);
        await assertCanBootstrap(target, `refusing to ${options.action}: nothing was touched`);
      } catch (error) {
        throw refusedByServer(error, target, options.action);
      }
      const { droppedSchemas } = await inTransaction(target, async () => {
        const emptied = await emptyServerDatabase(target);
        await markReset(target);
        return emptied;
      }).catch((error: unknown) => {
        throw refusedByServer(error, target, options.action);
      });
      output.info(`reset: emptied ${target.label} (public${droppedSchemas.map((s) => `, ${s}`).join('')}; migration history; storage; realtime; auth.users)`);
    } else {
      // the runner's mark, as a server reset leaves it: both builds have the same catalogue
      await markReset(target);
    }
    return target;
  } catch (error) {
    await target.close();
    throw error;
  }
}

/**
 * An error the server sent while the reset checked or emptied it (a privilege the
 * connected role lacks, a trigger of the platform's, supautils): a refusal that says
 * what the server said, without a stack. Nothing was changed: the checks only read,
 * and the emptying runs in one transaction. Other errors pass unchanged.
 */
function refusedByServer(error: unknown, target: Target, action: string): unknown {
  if (!isPgError(error)) return error;
  return refused(
    `refusing to ${action}: ${target.label} refused what the reset needs, and nothing was changed ` +
      `(the checks only read, the emptying runs in one transaction): ${describe(error)}` +
      (error.hint ? `\n  hint: ${error.hint}` : '') +
      (error.where ? `\n  where: ${error.where.split('\n')[0]}` : ''),
  );
}

/** The phases of `rebuild`, in order. */
export type RebuildPhase = 'bootstrap' | 'migrations' | 'seed';

/** Runs one phase of a build; `test`'s snapshot and `bench` pass one that times it. */
export type PhaseRunner = <R>(phase: RebuildPhase, work: () => Promise<R>) => Promise<R>;

/**
 * Bootstrap when missing, every migration, the seed, then (unless
 * `--no-analyze`) an analyze of the tables, as autovacuum would do after the
 * seed on a server; each phase through `phase`, the analyze in the seed's.
 */
export async function rebuild(target: Target, config: Config, output: Output, phase: PhaseRunner = (_name, work) => work()): Promise<void> {
  await phase('bootstrap', async () => {
    const created = await ensurePlatform(target);
    if (created.length > 0) output.info(`bootstrap: created ${created.map((part) => PART_DESCRIPTION[part]).join('; ')}`);
    else output.info('bootstrap: skipped, the database already has the platform (roles, uuid-ossp and pgcrypto, auth.users, storage, realtime)');
  });
  await phase('migrations', () => migrate(target, config, output));
  await phase('seed', async () => {
    await seed(target, config, output);
    if (config.analyze) output.info(`statistics: analyzed ${await analyzeTables(target)} tables, as autovacuum would after the seed`);
    else output.info('statistics: the tables were not analyzed (--no-analyze)');
  });
}
