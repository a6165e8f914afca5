/**
 * `db reset`: the database exactly as the repository defines it: platform
 * bootstrap (when missing), every migration, the seed, the analyze. Embedded: a
 * new database folder, marked complete only once the seed and the summary are
 * done (database/build-mark.ts). Server: what migrations and seed created is
 * dropped, the platform stays. Ctrl-C says what it left behind, exit 130.
 */
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { markBuildComplete } from '../database/build-mark.js';
import { releaseOwnLockSync } from '../database/lock.js';
import { openResetTarget, rebuild } from '../database/reset.js';
import { summary } from '../database/summary.js';
import type { Output } from '../output.js';

export async function resetCommand(config: Config, output: Output): Promise<number> {
  const stopOnSignal = onInterrupt(config, output);
  try {
    const target = await openResetTarget(config, output, { memory: false, action: 'reset the database' });
    try {
      await rebuild(target, config, output);
      if (config.summary) await summary(target, output);
      if (config.target.kind === 'embedded') await markBuildComplete(config.target.dataDir);
      return 0;
    } finally {
      await target.close();
    }
  } finally {
    stopOnSignal();
  }
}

/**
 * Ctrl-C (or SIGTERM) during a reset: says what state the database is left in
 * and ends the process at once (exit 130, or 143), releasing the folder's lock.
 * A migration or the seed cannot be cut short cleanly, and what it leaves is
 * marked incomplete anyway; so this is the one place a command exits itself.
 */
function onInterrupt(config: Config, output: Output): () => void {
  const target = config.target;
  const handler = (signal: NodeJS.Signals) => {
    output.warn(
      target.kind === 'embedded'
        ? `interrupted: the database at ${shown(config, target.dataDir)} is incomplete (its reset did not finish): "db status" says so until "db reset" completes`
        : `interrupted: ${target.host}/${target.database} may be incomplete (its reset did not finish): run "db reset" again`,
    );
    if (target.kind === 'embedded') releaseOwnLockSync(target.dataDir);
    process.exit(signal === 'SIGTERM' ? 143 : 130);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
