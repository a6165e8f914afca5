/**
 * Which files a run reports, pure: setup files, `--grep`, `--shard`.
 *
 * pg_prove runs every file in name order on one database, so what a file
 * commits is there for every later file, whatever its name. The runner runs
 * files in parallel, each on a copy of one database, and gets the same result
 * by two means:
 * - setup files: the leading files of the tests directory, in name order, that
 *   commit changes by what they say (a statement that writes outside
 *   `begin` ... `rollback`, or a `commit`): supabase-test-helpers' setup file,
 *   this project's test helpers. The runner runs them once, in order, before
 *   the snapshot every worker starts from is taken, so every worker and every
 *   shard has what they made, whatever subset is chosen. Their name does not
 *   matter, only their place and their content;
 * - any other file that turns out to have committed changes (the leak check,
 *   suite/leaks.ts) is reported with what it left, and every later file runs
 *   again after it, in order, on a database that has its changes
 *   (commands/test.ts), as under pg_prove.
 *
 * Shards: the selected files that are not setup files, sorted by path, are
 * dealt round-robin: file k (from 0) goes to shard (k mod n) + 1. The same files
 * always give the same split on every machine, and neighbouring files (which
 * tend to be alike in cost) land on different shards. Setup files run in every
 * shard but are reported by shard 1 only, so the union of the shards' reports
 * is the serial run's report.
 */
/**
 * The pgTAP files of a folder: `.sql` and `.pg`, as `supabase test db` runs
 * them (`pg_prove --ext .pg --ext .sql -r`), sorted by path as pg_prove sorts them.
 */
export const TEST_FILE_GLOB = '**/*.{sql,pg}';
export const isTestFile = (file: string): boolean => /\.(sql|pg)$/.test(file);

/** Statements that change nothing that outlives the session: a file made of these (outside a transaction) commits nothing. */
const SESSION_ONLY = new Set([
  'select',
  'values',
  'table',
  'with',
  'explain',
  'show',
  'set',
  'reset',
  'discard',
  'prepare',
  'execute',
  'deallocate',
  'listen',
  'unlisten',
  'notify',
  'load',
  'begin',
  'start',
  'rollback',
  'abort',
  'savepoint',
  'release',
]);

/**
 * True when a pgTAP file commits changes by what it says: a statement outside
 * `begin` ... `rollback` that is not a query or a session setting (`create`,
 * `insert`, `grant`, a `do` block, ...), or a `commit`. A `select` calling a
 * function that writes is not seen: such a file is caught by the leak check.
 * `statements` are the file's statements' texts (psql's meta-commands aside).
 */
export function commitsChanges(statements: string[]): boolean {
  let inTransaction = false;
  for (const sql of statements) {
    const word = /^[a-z_]+/i.exec(sql.replace(/^\(*/, ''))?.[0]?.toLowerCase() ?? '';
    if (word === 'begin' || word === 'start') inTransaction = true;
    else if (word === 'rollback' || word === 'abort') {
      // "rollback to savepoint" stays in the transaction
      if (!/^\w+\s+(work\s+|transaction\s+)?to\b/i.test(sql)) inTransaction = false;
    } else if (word === 'commit' || word === 'end') return true;
    // a temporary table or view lives as long as the session
    else if (!inTransaction && !SESSION_ONLY.has(word) && !/^create\s+(or\s+replace\s+)?(local\s+|global\s+)?temp(orary)?\b/i.test(sql)) return true;
  }
  return false;
}

/**
 * The setup files: the leading files of `files` (the tests directory, sorted by
 * path) for which `commits` is true, up to the first for which it is not.
 */
export function setupPrefix(files: string[], commits: (file: string) => boolean): string[] {
  const setup: string[] = [];
  for (const file of [...files].sort()) {
    if (!commits(file)) break;
    setup.push(file);
  }
  return setup;
}

export interface Shard {
  index: number;
  count: number;
}

/** The files of one shard, in path order; `null` is every file. */
export function shardFiles(files: string[], shard: Shard | null, setupFiles: string[] = []): string[] {
  const sorted = [...files].sort();
  if (shard === null) return sorted;
  const setup = sorted.filter((f) => setupFiles.includes(f));
  const rest = sorted.filter((f) => !setupFiles.includes(f));
  const mine = rest.filter((_, k) => k % shard.count === shard.index - 1);
  return [...(shard.index === 1 ? setup : []), ...mine].sort();
}

/** The files whose shown path matches `--grep`. */
export function grepFiles(files: string[], pattern: RegExp | null, shownPath: (file: string) => string = (f) => f): string[] {
  return pattern === null ? files : files.filter((f) => pattern.test(shownPath(f)));
}

/** True when a command-line path is a glob rather than a file or folder. */
export const isGlob = (text: string): boolean => /[*?[\]{}]/.test(text);
