/**
 * What the main thread and the test workers say to each other, and the extra
 * results: "files" whose TAP is computed by runner code instead of read from a
 * pgTAP file (the RLS matrix). Types and a loader only: importing this runs nothing.
 */
import type { Config } from '../config.js';
import type { FileOutcome } from './tap.js';
import type { Target } from '../database/target.js';

export interface Job {
  /** absolute path of the file */
  file: string;
  /** as shown in reports */
  shown: string;
  /** a pgTAP file, or a result computed by runner code (the RLS matrix) */
  kind: 'sql' | 'extra';
}

export interface WorkerData {
  config: Config;
}

export type FromWorker =
  /** the database is restored: loadMs from the thread's start to its code loaded, restoreMs reading and restoring the snapshot */
  | { type: 'ready'; loadMs: number; restoreMs: number }
  | { type: 'statement'; line: number }
  | { type: 'rows'; rows: string[]; line: number; ms: number }
  /** the file's statements are done: the time limit stops here (the leak check and a restore are the runner's time) */
  | { type: 'ran' }
  | { type: 'done'; outcome: FileOutcome }
  | { type: 'fatal'; message: string };

export type ToWorker =
  /** first, once known: the snapshot's tar (database/snapshot.ts), read by each restore, since a restored database writes into its bytes */
  | { type: 'snapshot'; file: string }
  | { type: 'run'; job: Job };

/** A runner function that computes a result "file" from a target, e.g. the RLS matrix comparison. */
export type ExtraResult = (target: Target, config: Config) => Promise<FileOutcome>;

/**
 * The extra results the `test` command knows, by name: the RLS matrix (issue 4),
 * reported as the file supabase/rls-matrix.txt.
 */
export async function loadExtra(name: string): Promise<ExtraResult | null> {
  if (name === 'rls-matrix') return (await import('./rls-check.js')).rlsMatrixOutcome;
  return null;
}

export const extraName = (job: Job): string => (job.file.endsWith('rls-matrix.txt') ? 'rls-matrix' : job.file);

