/**
 * The folders the runner writes and empties (the embedded database's data
 * folder, the snapshots, the reports) are its own: it deletes only what it
 * made. Each folder it makes carries a marker file, `.pg-tap-runner`, naming
 * what the folder is. Before a folder is emptied or written, `claimFolder`
 * accepts it only when it is missing, empty, marked as that kind, or (made by an
 * earlier version of the runner, before the marker) holds nothing but what the
 * runner itself writes there; anything else is refused (exit 2), naming what is
 * there, before anything is touched.
 *
 * The writes themselves are atomic (`writeAtomically`: a temporary file, then
 * a rename; the temporary file removed when the write fails), and a file-system
 * error is a RunnerError saying what could not be written and why (disk full,
 * read-only, permission), not a stack trace.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RunnerError, refused } from '../errors.js';

/** The marker file in every folder the runner made. */
export const MARKER = '.pg-tap-runner';

export type FolderKind = 'data' | 'snapshots' | 'reports';

const WHAT: Record<FolderKind, string> = {
  data: "the embedded database's data folder",
  snapshots: 'the snapshot folder',
  reports: 'the reports folder',
};

/** A PostgreSQL data folder's entries (PGlite's are a subset): what an unmarked data folder may hold. */
const DATA_ENTRIES = new Set([
  'PG_VERSION',
  'base',
  'global',
  'pg_commit_ts',
  'pg_dynshmem',
  'pg_hba.conf',
  'pg_ident.conf',
  'pg_logical',
  'pg_multixact',
  'pg_notify',
  'pg_replslot',
  'pg_serial',
  'pg_snapshots',
  'pg_stat',
  'pg_stat_tmp',
  'pg_subtrans',
  'pg_tblspc',
  'pg_twophase',
  'pg_wal',
  'pg_xact',
  'postgresql.auto.conf',
  'postgresql.conf',
]);

/** The names the runner gives the files of the snapshot folder, temporary ones included. */
const SNAPSHOT_ENTRY = /^(initdb-)?[0-9a-f]{16}\.(tar|json|tar\.gz)(\.\d+\.\d+|\.[0-9a-f-]{36}\.tmp)?$/;
/** What the runner writes in the reports folder. */
const REPORT_ENTRY = /^(junit\.xml|mutate-junit\.xml|tap)(\.[0-9a-f-]{36}\.tmp)?$/;

/** What claimFolder found: why the folder may be used. */
export type FolderState = 'missing' | 'empty' | 'marked' | 'adopted';

/**
 * Whether the runner may empty and write `dir` as a folder of `kind`. Refuses
 * (exit 2) a folder that holds anything the runner did not make, naming it; the
 * refusal starts `refusing to <action>`. Reads only.
 */
export async function claimFolder(dir: string, kind: FolderKind, shownDir: string, action: string): Promise<FolderState> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') throw refused(`refusing to ${action}: ${shownDir} (${WHAT[kind]}) is a file, not a folder; nothing was touched`);
    throw fileError(error, `read ${shownDir} (${WHAT[kind]})`);
  }
  if (names.length === 0) return 'empty';
  if (names.includes(MARKER)) {
    const marked = await readMarker(path.join(dir, MARKER));
    if (marked === kind) return 'marked';
    throw refused(
      `refusing to ${action}: ${shownDir} is ${marked === null ? 'marked by pg-tap-runner, but its marker cannot be read' : WHAT[marked]}, ` +
        `not ${WHAT[kind]}; choose another folder. Nothing was touched`,
    );
  }
  const foreign =
    kind === 'data' ? await foreignInDataFolder(dir, names) : names.filter((n) => !(kind === 'snapshots' ? SNAPSHOT_ENTRY : REPORT_ENTRY).test(n));
  if (foreign.length === 0) return 'adopted';
  const listed = foreign.sort().slice(0, 8).join(', ') + (foreign.length > 8 ? `, and ${foreign.length - 8} more` : '');
  throw refused(
    `refusing to ${action}: ${shownDir} is not ${WHAT[kind]} pg-tap-runner made, and ${kind === 'data' ? 'a reset deletes' : 'the runner replaces'} ` +
      `what is in it. It holds ${listed}. Choose an empty or new folder; nothing was touched`,
  );
}

/**
 * What an unmarked data folder holds besides a PGlite database: nothing, when
 * it is one (PG_VERSION, base/ and global/, and only a PostgreSQL data folder's
 * entries). PGlite leaves no postmaster.pid or postmaster.opts: a folder with
 * them is a PostgreSQL server's, never deleted.
 */
async function foreignInDataFolder(dir: string, names: string[]): Promise<string[]> {
  const foreign = names.filter((n) => !DATA_ENTRIES.has(n));
  if (foreign.length > 0) return foreign;
  const isDir = async (name: string) => (await stat(path.join(dir, name)).catch(() => null))?.isDirectory() === true;
  const version = await readFile(path.join(dir, 'PG_VERSION'), 'utf8').catch(() => '');
  if (!/^\d+\n?$/.test(version) || !(await isDir('base')) || !(await isDir('global'))) {
    return [`${names.length} entr${names.length === 1 ? 'y' : 'ies'} (${names.sort().slice(0, 5).join(', ')}) of an incomplete PostgreSQL data folder`];
  }
  return [];
}

async function readMarker(file: string): Promise<FolderKind | null> {
  try {
    const kind = (JSON.parse(await readFile(file, 'utf8')) as { kind?: unknown }).kind;
    return kind === 'data' || kind === 'snapshots' || kind === 'reports' ? kind : null;
  } catch {
    return null;
  }
}

/** Creates `dir` (when missing) and its marker: the folder is the runner's from now on. */
export async function markFolder(dir: string, kind: FolderKind, shownDir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, MARKER),
      JSON.stringify({ kind, note: `${WHAT[kind]}, made by pg-tap-runner: it deletes and replaces what is in it` }) + '\n',
    );
  } catch (error) {
    throw fileError(error, `write ${shownDir} (${WHAT[kind]})`);
  }
}

/**
 * Writes `file` whole or not at all: into a temporary file beside it, then
 * renamed over it. On failure the temporary file is removed and the error is a
 * RunnerError saying what could not be written (`what`) and why.
 */
export async function writeAtomically(file: string, content: string | Uint8Array, what: string): Promise<void> {
  if (abandoned) throw new RunnerError('file', `cannot write ${what}: the run was stopped`);
  const temporary = `${file}.${randomUUID()}.tmp`;
  writing.add(temporary);
  try {
    await writeFile(temporary, content);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw fileError(error, `write ${what}`);
  } finally {
    writing.delete(temporary);
  }
}

/** The temporary files being written now, for a process that is about to die. */
const writing = new Set<string>();
let abandoned = false;

/**
 * For a process stopped by a signal, just before it ends: removes every
 * temporary file being written and refuses later writes (work still under
 * way must not leave a new one).
 */
export function abandonWrites(): void {
  abandoned = true;
  for (const file of writing) rmSync(file, { force: true });
  writing.clear();
}

const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'a folder on the way does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EMFILE: 'too many open files',
  EIO: 'an input/output error',
};

/** The reason a file operation failed, in words and with its code: "the disk is full (ENOSPC)". */
export function fileReason(error: unknown): string | null {
  const code = errnoCode(error);
  if (code === null) return null;
  return `${REASONS[code] ?? 'a file-system error'} (${code})`;
}

/**
 * A file-system error's code: Node.js's `code`, or PGlite's (Emscripten's
 * ErrnoError carries a numeric `errno` and no message).
 */
export function errnoCode(error: unknown): string | null {
  const e = error as { code?: unknown; errno?: unknown; name?: unknown } | null;
  if (e === null || typeof e !== 'object') return null;
  if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) return e.code;
  // Emscripten's errno numbers (its own, not Linux's)
  if (e.name === 'ErrnoError' && typeof e.errno === 'number') return EMSCRIPTEN_ERRNO[e.errno] ?? `errno ${e.errno}`;
  return null;
}

const EMSCRIPTEN_ERRNO: Record<number, string> = {
  2: 'EACCES',
  8: 'EBADF',
  29: 'EIO',
  31: 'EISDIR',
  44: 'ENOENT',
  51: 'ENOSPC',
  54: 'ENOTDIR',
  63: 'EPERM',
  69: 'EROFS',
  19: 'EDQUOT',
};

/** A file operation that failed, as a RunnerError (exit 2): "cannot write reports/junit.xml: the disk is full (ENOSPC)". */
export function fileError(error: unknown, doing: string): Error {
  if (error instanceof RunnerError) return error;
  const reason = fileReason(error);
  if (reason === null) return error instanceof Error ? error : new Error(String(error));
  return new RunnerError('file', `cannot ${doing}: ${reason}`);
}
