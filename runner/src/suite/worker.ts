/**
 * A worker (node:worker_threads): one embedded database restored from the
 * run's snapshot, running the files (test, and mutate's mutants) the main
 * thread sends, one at a time.
 *
 * A PGlite query runs synchronously on the thread that owns the database, so
 * only another thread can stop a file that never finishes: the main thread
 * terminates this worker when a file overruns its time limit and starts a new
 * one. Several workers are several databases that really run in parallel.
 *
 * After a file that committed, the worker compares a fingerprint of the
 * database with the one the file started from; a difference is reported as
 * what the file left. Then the database is restored from the snapshot for the
 * next file, unless the job says to keep it (the files after one that left
 * changes run in order on its database, as under pg_prove: run.ts). A mutant
 * runs the suite inside a transaction that is rolled back (mutant-run.ts), so
 * it needs no restore.
 *
 * Messages in: { type: 'snapshot', file } once, then { type: 'run', job } or
 * { type: 'mutant', job, stopAtFirstFailure }. Messages out: 'ready',
 * 'statement' (the line a statement starts at), 'rows' (TAP rows as they
 * come), 'done' (the outcome); 'file' (a mutant's file starts), 'mutant done';
 * 'fatal' (the worker cannot go on).
 */
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { EmbeddedTarget } from '../database/target.js';
import { describe } from '../errors.js';
import type { FromWorker, Job, ToWorker, WorkerStart } from './jobs.js';
import { committedSince, diffFingerprints, fingerprint, nextXid, type Fingerprint } from './leaks.js';
import { runMutant, type MutantJob } from './mutant-run.js';
import { runPgTapFile } from './pgtap.js';

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('worker.ts runs as a worker thread');
  const data = workerData as WorkerStart;
  // this far: starting the thread and loading the code
  const loadMs = performance.timeOrigin + performance.now() - data.startedAt;
  const post = (message: FromWorker) => port.postMessage(message);
  let snapshotFile = '';
  const restore = async () => EmbeddedTarget.fromSnapshot(await readFile(snapshotFile));
  let target: EmbeddedTarget;
  // the clean database's fingerprint, taken the first time a file commits
  let baseline: Fingerprint | null = null;

  // the worker starts while the main thread still checks (or builds) the snapshot; it says which when it knows
  port.on('message', (message: ToWorker) => {
    const work =
      message.type === 'snapshot' ? start(message.file) : message.type === 'run' ? run(message.job) : mutant(message.job, message.stopAtFirstFailure);
    void work.catch((error: unknown) => post({ type: 'fatal', message: describe(error) }));
  });

  async function start(file: string): Promise<void> {
    snapshotFile = file;
    const started = performance.now();
    target = await restore();
    post({ type: 'ready', loadMs, restoreMs: performance.now() - started });
  }

  async function run(job: Job): Promise<void> {
    const xid = await nextXid(target);
    let outcome = await runPgTapFile(target, job.file, job.shown, {
      beforeStatement: async (statement) => post({ type: 'statement', line: statement.line }),
      onRows: (rows, line, ms) => post({ type: 'rows', rows, line, ms }),
      onNotices: (notices) => post({ type: 'notices', notices }),
    });
    post({ type: 'ran' });
    if (await committedSince(target, xid).catch(() => true)) {
      // something committed: compare with the database the file started from
      let after: Fingerprint | null = null;
      let unreadable: string | null = null;
      try {
        after = await fingerprint(target);
      } catch (error) {
        unreadable = `the database could not be read after the file: ${describe(error)}`;
      }
      // restoring the snapshot costs about a second: only for the first baseline, and to replace a dirty database
      let clean: EmbeddedTarget | null = null;
      if (baseline === null) {
        clean = await restore();
        baseline = await fingerprint(clean);
      }
      const leaks = after === null ? [unreadable!] : diffFingerprints(baseline, after);
      if (leaks.length > 0 && job.keep === true && after !== null) {
        // in order, as under pg_prove: the next file starts from this database
        outcome = { ...outcome, leaks };
        baseline = after;
        await clean?.close();
      } else if (leaks.length > 0) {
        outcome = { ...outcome, leaks };
        await target.close();
        target = clean ?? (await restore());
      } else {
        await clean?.close();
      }
    }
    post({ type: 'done', outcome });
  }

  async function mutant(job: MutantJob, stopAtFirstFailure: boolean): Promise<void> {
    const result = await runMutant(target, job, { stopAtFirstFailure, beforeFile: (file) => post({ type: 'file', file }) });
    post({ type: 'mutant done', result });
  }
}

main().catch((error: unknown) => {
  parentPort?.postMessage({ type: 'fatal', message: describe(error) } satisfies FromWorker);
});
