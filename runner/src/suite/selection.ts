/**
 * Which files a run reports, pure: setup files, `--grep`, `--shard`.
 *
 * Setup files are the files of the tests directory whose name starts with
 * `000` (supabase/tests/000_test_helpers.sql). They install what the other
 * files use and commit on purpose, and pg_prove and `supabase test db` run them
 * first because they sort first. The runner runs them once, before the snapshot
 * every worker starts from is taken, so every worker and every shard has them,
 * whatever subset is chosen; they are exempt from leak detection.
 *
 * Shards: the selected files that are not setup files, sorted by path, are
 * dealt round-robin: file k (from 0) goes to shard (k mod n) + 1. The same files
 * always give the same split on every machine, and neighbouring files (which
 * tend to be alike in cost) land on different shards. Setup files run in every
 * shard but are reported by shard 1 only, so the union of the shards' reports
 * is the serial run's report.
 */
import path from 'node:path';

export const isSetupFile = (file: string): boolean => path.basename(file).startsWith('000');

export interface Shard {
  index: number;
  count: number;
}

/** The files of one shard, in path order; `null` is every file. */
export function shardFiles(files: string[], shard: Shard | null): string[] {
  const sorted = [...files].sort();
  if (shard === null) return sorted;
  const setup = sorted.filter(isSetupFile);
  const rest = sorted.filter((f) => !isSetupFile(f));
  const mine = rest.filter((_, k) => k % shard.count === shard.index - 1);
  return [...(shard.index === 1 ? setup : []), ...mine].sort();
}

/** The files whose shown path matches `--grep`. */
export function grepFiles(files: string[], pattern: RegExp | null, shownPath: (file: string) => string = (f) => f): string[] {
  return pattern === null ? files : files.filter((f) => pattern.test(shownPath(f)));
}

/** True when a command-line path is a glob rather than a file or folder. */
export const isGlob = (text: string): boolean => /[*?[\]{}]/.test(text);
