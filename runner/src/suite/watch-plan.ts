/**
 * The developer loop's decisions, pure: which saved files matter, what to
 * rebuild and rerun, and what changed between two runs. `watch` (commands/watch.ts)
 * does the watching, building and running.
 */
import path from 'node:path';
import { isTestFile } from './selection.js';

export type ChangeKind = 'migration' | 'seed' | 'test';

export interface WatchedPaths {
  migrationsDir: string;
  testsDir: string;
  /** the seed files as resolved from supabase/config.toml */
  seedFiles: string[];
  /** supabase/config.toml: its [db.seed] decides the seed files */
  configFile: string;
}

/** What a saved file is, or null when it does not matter (editor swap files, other folders). */
export function classifyChange(file: string, paths: WatchedPaths): ChangeKind | null {
  const resolved = path.resolve(file);
  const base = path.basename(resolved);
  if (base.startsWith('.') || base.endsWith('~') || base.endsWith('.swp')) return null;
  if (resolved === path.resolve(paths.configFile)) return 'seed';
  if (isInside(resolved, paths.testsDir)) return isTestFile(resolved) ? 'test' : null;
  if (!resolved.endsWith('.sql')) return null;
  if (isInside(resolved, paths.migrationsDir)) return 'migration';
  if (paths.seedFiles.some((s) => path.resolve(s) === resolved)) return 'seed';
  return null;
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(path.resolve(dir), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

export interface RunPlan {
  /** build a new database from the migrations and the seed */
  rebuild: boolean;
  /** 'all' or the test files to run */
  tests: 'all' | string[];
}

/**
 * A changed migration or seed rebuilds the database and reruns every test; a
 * changed test file reruns that file (on the database as it is).
 */
export function planRun(changes: Map<string, ChangeKind>): RunPlan | null {
  if (changes.size === 0) return null;
  const kinds = new Set(changes.values());
  if (kinds.has('migration') || kinds.has('seed')) return { rebuild: true, tests: 'all' };
  return { rebuild: false, tests: [...changes.keys()].sort() };
}

/** What one run said about one file. */
export interface FileVerdict {
  ok: boolean;
  passed: number;
  /** the failing assertions' descriptions and the file's faults (SQL error, plan) */
  failures: string[];
  /** what explains each failure, by its entry in `failures`: file:line and diagnostics, or the error */
  details?: Record<string, string[]>;
}

/**
 * The lines that say what changed since the previous run: files that flipped,
 * appeared or disappeared, and failing files whose failures changed. A file
 * that stayed the same says nothing.
 */
export function describeChanges(previous: ReadonlyMap<string, FileVerdict>, current: ReadonlyMap<string, FileVerdict>, ran: readonly string[]): string[] {
  const lines: string[] = [];
  for (const file of ran) {
    const now = current.get(file);
    if (now === undefined) continue;
    const before = previous.get(file);
    if (before === undefined) {
      lines.push(now.ok ? `new   ok    ${file}` : `new   FAIL  ${file}`);
    } else if (before.ok && !now.ok) {
      lines.push(`FAIL  ${file} (was ok)`);
    } else if (!before.ok && now.ok) {
      lines.push(`ok    ${file} (was failing)`);
    } else if (!now.ok && before.failures.join('\n') !== now.failures.join('\n')) {
      lines.push(`FAIL  ${file} (still failing, differently)`);
    } else {
      continue;
    }
    if (!now.ok) {
      const fixed = before?.failures.filter((f) => !now.failures.includes(f)) ?? [];
      for (const failure of now.failures) {
        lines.push(`        ${before?.failures.includes(failure) ? 'still' : 'now  '} ${failure}`);
        for (const detail of now.details?.[failure] ?? []) lines.push(`              ${detail}`);
      }
      for (const failure of fixed) lines.push(`        fixed ${failure}`);
    }
  }
  for (const file of previous.keys()) {
    if (!current.has(file)) lines.push(`gone  ${file}`);
  }
  return lines;
}

/** The closing line of a run, with the previous counts when they differ. */
export function runSummary(current: ReadonlyMap<string, FileVerdict>, previous: ReadonlyMap<string, FileVerdict> | null): string {
  const count = (verdicts: ReadonlyMap<string, FileVerdict>) => {
    let passed = 0;
    let failed = 0;
    for (const v of verdicts.values()) {
      passed += v.passed;
      failed += v.failures.length;
    }
    return { passed, failed };
  };
  const now = count(current);
  const text = `${now.passed} passed, ${now.failed} failed`;
  if (previous === null) return text;
  const before = count(previous);
  return before.passed === now.passed && before.failed === now.failed
    ? `${text} (unchanged)`
    : `${text} (was ${before.passed} passed, ${before.failed} failed)`;
}

/**
 * Calls `flush` once the events have stopped for `ms`, with every path seen
 * meanwhile. While a flush is running, new events wait for the next one.
 */
export function debounce(ms: number, flush: (paths: string[]) => Promise<void>): (file: string) => void {
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const fire = () => {
    timer = null;
    if (running !== null) {
      timer = setTimeout(fire, ms);
      return;
    }
    const paths = [...pending];
    pending = new Set();
    running = flush(paths).finally(() => {
      running = null;
    });
  };
  return (file: string) => {
    pending.add(file);
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(fire, ms);
  };
}
