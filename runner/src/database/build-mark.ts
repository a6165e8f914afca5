/**
 * An on-disk embedded database whose build did not finish. `db reset` (and
 * `db serve` building a missing database) writes `<folder>.incomplete` beside
 * the folder before it removes or builds anything, and deletes it only once
 * the seed, the analyze and the summary are done. A build stopped half-way
 * (Ctrl-C, a crash, a failed migration) leaves it: `db status` then says the
 * database is incomplete and exits 1, and the other commands on it warn, until
 * a reset completes. A server has no such mark: it is reset by every `test`.
 */
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** `.data/pglite` → `.data/pglite.incomplete` */
export const buildMarkOf = (dataDir: string): string => `${path.resolve(dataDir)}.incomplete`;

interface BuildMark {
  /** when the build started */
  since: string;
  pid: number;
}

/** Marks the folder's build as started: written before the folder is removed or built. */
export async function markBuildStarted(dataDir: string): Promise<void> {
  const mark: BuildMark = { since: new Date().toISOString(), pid: process.pid };
  await writeFile(buildMarkOf(dataDir), JSON.stringify(mark) + '\n');
}

/** The build finished: the seed, the analyze and the summary are done. */
export async function markBuildComplete(dataDir: string): Promise<void> {
  await rm(buildMarkOf(dataDir), { force: true });
}

/**
 * Why the database in `dataDir` is incomplete, as a sentence naming the folder
 * as `shownDir`; null when its last build finished (or it has no mark).
 */
export function incompleteBuild(dataDir: string, shownDir: string): string | null {
  let text: string;
  try {
    text = readFileSync(buildMarkOf(dataDir), 'utf8');
  } catch {
    return null;
  }
  let since = 'at an unknown time';
  try {
    since = `at ${(JSON.parse(text) as Partial<BuildMark>).since ?? 'an unknown time'}`;
  } catch {
    // an unreadable mark still marks the build as unfinished
  }
  return `the database at ${shownDir} is incomplete: a db reset started ${since} did not finish (interrupted, or a migration or the seed failed); run "db reset" again`;
}
