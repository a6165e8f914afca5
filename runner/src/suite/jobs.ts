/**
 * What the main thread and a worker (worker.ts) say to each other. Types only:
 * importing this runs nothing.
 */
import type { MutantJob, MutantResult } from './mutant-run.js';
import type { FileNotice, FileOutcome } from './tap.js';

export interface Job {
  /** absolute path of the file */
  file: string;
  /** as shown in reports */
  shown: string;
  /**
   * keep what the file commits for the files after it (the run goes on in
   * order, as pg_prove's does), rather than restoring the clean database
   */
  keep?: boolean;
}

/** What a worker is started with: when the main thread started it (on the clock both share, timeOrigin + now()). */
export interface WorkerStart {
  startedAt: number;
}

export type FromWorker =
  /** the database is restored: loadMs from the thread's start to its code loaded, restoreMs reading and restoring the snapshot */
  | { type: 'ready'; loadMs: number; restoreMs: number }
  | { type: 'statement'; line: number }
  | { type: 'rows'; rows: string[]; line: number; ms: number }
  | { type: 'notices'; notices: FileNotice[] }
  /** the file's statements are done: the time limit stops here (the leak check and a restore are the runner's time) */
  | { type: 'ran' }
  | { type: 'done'; outcome: FileOutcome }
  /** a mutant run starts a file (for a time-out's message), and its result */
  | { type: 'file'; file: string }
  | { type: 'mutant done'; result: MutantResult }
  | { type: 'fatal'; message: string };

export type ToWorker =
  /** first, once known: the snapshot's tar (database/snapshot.ts), read by each restore, since a restored database writes into its bytes */
  | { type: 'snapshot'; file: string }
  | { type: 'run'; job: Job }
  /** the suite once inside a transaction rolled back after (mutant-run.ts): the database never needs restoring */
  | { type: 'mutant'; job: MutantJob; stopAtFirstFailure: boolean };
