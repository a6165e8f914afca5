/**
 * The suite once inside one transaction that is rolled back, after a mutant's
 * SQL (mutate's unit of work; none for its control run), on one session (an embedded worker's database
 * or a server connection):
 *
 *   begin; <the mutant's SQL>; savepoint mutant;
 *   for each file, the likely killer first:
 *     the file, its own begin / commit / rollback turned into savepoints;
 *     rollback to savepoint mutant;
 *     stop at the first file that fails, at its first failed assertion;
 *   rollback; vacuum the tables;
 *
 * The mutant is never committed: the final rollback puts the rows and the
 * schema back as the snapshot (or the server's build) left them, without
 * restoring anything, and nothing another session reads ever sees a mutant.
 * The rows the files wrote stay behind as dead rows, with their index entries,
 * until a vacuum, and PGlite has no autovacuum: the vacuum after each mutant
 * removes them, so every mutant runs on the database the control run had.
 * Without it, searches through an HNSW index came to depend on the mutants run
 * before on the same worker: nodes of rows inserted and rolled back stay in
 * the graph, and after one run of a file that inserts the same embeddings
 * again, its nearest-neighbour search could come back empty, killing
 * mutants (equivalents among them) that had changed nothing it reads. The files
 * run statement by statement as `test` runs them (pgtap.ts), so a file that
 * passes under `test` passes here: mutate checks that first, with no mutant
 * (the control run).
 */
import type { Row, Target } from '../database/target.js';
import { vacuumTables } from '../database/statistics.js';
import { RunnerError, describe } from '../errors.js';
import type { Job } from './jobs.js';
import { runPgTapFile } from './pgtap.js';
import { filePassed, fileFaults, isFailure, type FileOutcome } from './tap.js';

/** What a mutant run sends: the mutant's SQL (null for the control run) and the files, in the order to try them. */
export interface MutantJob {
  id: string;
  sql: string | null;
  files: Job[];
}

export type MutantStatus = 'killed' | 'survived' | 'timeout' | 'not applicable';

export interface FileRun {
  file: string;
  passed: boolean;
  ms: number;
}

export interface MutantResult {
  id: string;
  status: MutantStatus;
  /** the file that failed, and its first failed assertion or fault */
  killedBy: { file: string; reason: string } | null;
  /** the error that stopped the mutant's SQL (not applicable) */
  applyError: string | null;
  /** the files run, in order */
  files: FileRun[];
  /** the control run keeps every outcome, to explain a failure */
  outcomes?: FileOutcome[];
  ms: number;
}

const FILE_SAVEPOINT = 'pg_tap_runner_file';
const MUTANT_SAVEPOINT = 'pg_tap_runner_mutant';

/**
 * A Target whose transaction control happens inside the mutant's transaction:
 * `begin` / `start transaction` becomes a savepoint, `commit` / `end` releases
 * it, `rollback` / `abort` rolls back to it. A file's `begin ... rollback` so
 * undoes its own work and keeps the mutant, as its transaction would on a
 * database where the mutant had been committed.
 */
export function insideTransaction(target: Target): Target {
  const translate = (sql: string): string => {
    const bare = sql
      .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ')
      .trim()
      .replace(/;$/, '')
      .trim()
      .toLowerCase();
    if (/^(begin(\s+(work|transaction))?|start\s+transaction)(\s+(isolation\s+level|read\s+(only|write)|(not\s+)?deferrable)[\s\S]*)?$/.test(bare)) {
      return `savepoint ${FILE_SAVEPOINT}`;
    }
    if (/^(commit|end)(\s+(work|transaction))?(\s+and\s+(no\s+)?chain)?$/.test(bare)) return `release savepoint ${FILE_SAVEPOINT}`;
    if (/^(rollback|abort)(\s+(work|transaction))?(\s+and\s+(no\s+)?chain)?$/.test(bare)) return `rollback to savepoint ${FILE_SAVEPOINT}`;
    // a new session for the next file (pgtap.ts): inside the mutant's transaction, its settings; the rest goes with the savepoint
    if (bare === 'discard all') return 'reset all';
    return sql;
  };
  return {
    kind: target.kind,
    label: target.label,
    query: <T extends Row = Row>(sql: string, params?: unknown[]) => target.query<T>(translate(sql), params),
    exec: (sql: string) => target.exec(translate(sql)),
    rowsAsText: (sql: string) => target.rowsAsText(translate(sql)),
    onNotice: (listener) => target.onNotice(listener),
    close: () => target.close(),
  };
}

export interface RunOptions {
  /** stop at the first failing file (every mutant); the control run runs them all */
  stopAtFirstFailure: boolean;
  /** called before each file, with its shown path (a worker reports it, for a time-out's message) */
  beforeFile?: (file: string) => void;
  /** an error that means the time limit was reached (a server's statement timeout), and that limit */
  isTimeout?: (error: unknown) => boolean;
  timeoutSeconds?: number;
}

export async function runMutant(target: Target, job: MutantJob, options: RunOptions): Promise<MutantResult> {
  const started = Date.now();
  const files: FileRun[] = [];
  const outcomes: FileOutcome[] = [];
  let killedBy: MutantResult['killedBy'] = null;
  let timedOut = false;
  const inside = insideTransaction(target);
  await target.exec('begin');
  try {
    if (job.sql !== null) {
      try {
        await target.exec(job.sql);
      } catch (error) {
        if (error instanceof RunnerError) throw error;
        return { id: job.id, status: 'not applicable', killedBy: null, applyError: describe(error), files, ms: Date.now() - started };
      }
    }
    await target.exec(`savepoint ${MUTANT_SAVEPOINT}`);
    for (const file of job.files) {
      options.beforeFile?.(file.shown);
      const fileStarted = Date.now();
      await target.exec(`savepoint ${FILE_SAVEPOINT}`);
      // a mutant is killed by the first failed assertion: the rest of the file would not change that
      let failed = false;
      const outcome = await runPgTapFile(inside, file.file, file.shown, {
        onRows: (rows) => {
          failed ||= options.stopAtFirstFailure && rows.some(isFailure);
        },
        stop: () => failed,
        isTimeout: options.isTimeout,
        timeoutSeconds: options.timeoutSeconds,
      });
      await target.exec(`rollback to savepoint ${MUTANT_SAVEPOINT}`);
      const passed = filePassed(outcome);
      files.push({ file: file.shown, passed, ms: Date.now() - fileStarted });
      outcomes.push(outcome);
      if (outcome.timedOutAfter !== undefined) timedOut = true;
      if (!passed) {
        killedBy ??= { file: file.shown, reason: firstFailure(outcome) };
        if (options.stopAtFirstFailure) break;
      }
    }
  } finally {
    await target.exec('rollback');
  }
  await vacuumTables(target);
  const status: MutantStatus = killedBy === null ? 'survived' : timedOut ? 'timeout' : 'killed';
  return { id: job.id, status, killedBy, applyError: null, files, ms: Date.now() - started, ...(job.sql === null ? { outcomes } : {}) };
}

/** The first failed assertion of a file ("not ok 12 - a user cannot ..."), else its first fault. */
export function firstFailure(outcome: FileOutcome): string {
  const failure = outcome.summary.failures[0];
  if (failure !== undefined) return `not ok ${failure.id ?? '?'} - ${failure.name}`;
  const fault = fileFaults(outcome)[0] ?? 'failed';
  return fault === 'SQL error' && outcome.error !== null ? outcome.error.split('\n')[0]! : fault;
}
