/**
 * The embedded database's folder has one user at a time. PGlite is PostgreSQL
 * in one process, without a postmaster to keep a second one out: two processes
 * on the same folder (`db serve` while `db reset` runs, or two `db serve`)
 * overwrite each other's files, and every later open aborts inside the WASM.
 *
 * So every command that opens the folder (serve, reset, migrate, seed, status,
 * fingerprint) first takes `<folder>.lock`, a file beside it (a reset replaces
 * the folder itself) created with O_EXCL and holding the holder's pid, command
 * line and start. A second command is refused, naming that process. A lock whose
 * process is gone (killed, crashed) is stale: the next command takes it over and
 * says so. On Linux the process's start time is kept too, so a pid the system
 * has since given to another process does not keep the lock.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { refused } from '../errors.js';

export interface LockHolder {
  pid: number;
  /** the holder's command line, as the user typed it after the runner's script */
  command: string;
  host: string;
  /** the process's start time in clock ticks after boot (/proc/<pid>/stat), when known */
  processStart: string | null;
  /** when it took the lock */
  since: string;
  /** tells this holder's lock from a later one by the same pid */
  token: string;
  /** where `db serve` serves the database: other commands can reach it there */
  url?: string;
}

export interface DataDirLock {
  readonly file: string;
  /** the stale lock this one replaced, for a message; null when there was none */
  readonly replaced: LockHolder | null;
  /** records where the database is served, for the refusals of other commands */
  served(url: string): Promise<void>;
  release(): Promise<void>;
}

/** `.data/pglite` → `.data/pglite.lock` */
export const lockFileOf = (dataDir: string): string => `${path.resolve(dataDir)}.lock`;

/**
 * Takes the folder's lock, or refuses (exit 2) naming the process that holds
 * it. `shownDir` is the folder as messages show it.
 */
export async function lockDataDir(dataDir: string, shownDir: string, command = commandLine()): Promise<DataDirLock> {
  const file = lockFileOf(dataDir);
  const me: LockHolder = {
    pid: process.pid,
    command,
    host: os.hostname(),
    processStart: processStart(process.pid),
    since: new Date().toISOString(),
    token: randomUUID(),
  };
  let replaced: LockHolder | null = null;
  await mkdir(path.dirname(file), { recursive: true });
  // a few rounds: another process may take or release the lock between our steps
  for (let attempt = 0; attempt < 5; attempt++) {
    // written whole under a private name, then linked in place: link fails when the lock exists,
    // and nobody ever reads a half-written lock
    const draft = `${file}.${me.token}`;
    await writeFile(draft, JSON.stringify(me, null, 2) + '\n');
    try {
      await link(draft, file);
      return {
        file,
        replaced,
        served: async (url) => {
          // replaced whole: rename over the lock is atomic
          await writeFile(draft, JSON.stringify({ ...me, url }, null, 2) + '\n');
          await rename(draft, file);
        },
        release: () => releaseLock(file, me.token),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(draft).catch(() => {});
    }
    const holder = await readHolder(file);
    if (holder === undefined) continue; // released meanwhile
    if (holder !== null && isAlive(holder)) throw inUse(shownDir, holder);
    // stale (or unreadable): move it aside atomically, and make sure it was the one we judged
    const aside = `${file}.stale.${me.token}`;
    try {
      await rename(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = await readHolder(aside);
    if (moved !== null && moved !== undefined && moved.token !== holder?.token && isAlive(moved)) {
      // another process took the lock between our read and our move: give it back
      await link(aside, file).catch(() => {});
      await unlink(aside).catch(() => {});
      throw inUse(shownDir, moved);
    }
    await unlink(aside).catch(() => {});
    replaced = holder;
  }
  throw refused(`refusing to open ${shownDir}: other processes keep taking and releasing its lock (${file}); try again`);
}

/** Removes the lock if it is still ours (a process that took over a stale lock owns it now). */
async function releaseLock(file: string, token: string): Promise<void> {
  const holder = await readHolder(file);
  if (holder?.token === token) await unlink(file).catch(() => {});
}

/** The lock's holder; null when unreadable, undefined when there is no lock. */
async function readHolder(file: string): Promise<LockHolder | null | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const holder = JSON.parse(text) as Partial<LockHolder>;
    return typeof holder.pid === 'number' && typeof holder.token === 'string' ? (holder as LockHolder) : null;
  } catch {
    return null;
  }
}

/** Whether the holder still runs. A lock from another machine (a shared folder) is taken as held. */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists, as another user
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStart(holder.pid);
  return holder.processStart === null || started === null || started === holder.processStart;
}

function inUse(shownDir: string, holder: LockHolder): Error {
  const who = holder.pid === process.pid ? `this process (${holder.pid})` : `process ${holder.pid}`;
  return refused(
    `refusing to open ${shownDir}: it is in use by ${who}: ${holder.command} (since ${holder.since}${holder.host !== os.hostname() ? ` on ${holder.host}` : ''}). ` +
      'Two processes on one embedded database corrupt it: stop that one first (Ctrl-C in its terminal), then run this again' +
      (holder.url === undefined ? '.' : `, or reach the database through it: DATABASE_URL='${holder.url}'.`),
  );
}

/** The start time of a process in clock ticks after boot (Linux /proc), or null elsewhere. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the second field, the command name in parentheses, may hold spaces: count from the last ")"
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** "pg-tap-runner db serve --port 54322": how the holder was started, for the refusal. */
function commandLine(): string {
  const [, script, ...args] = process.argv;
  return [script === undefined ? 'node' : path.basename(script).replace(/\.js$/, ''), ...args].join(' ');
}

/**
 * Removes the folder's lock if this process holds it, synchronously: for a
 * command that ends on a signal (Ctrl-C) without reaching its `finally`.
 */
export function releaseOwnLockSync(dataDir: string): void {
  const file = lockFileOf(dataDir);
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (holder.pid === process.pid && holder.host === os.hostname()) unlinkSync(file);
  } catch {
    // no lock, or not ours to remove
  }
}
