/**
 * A mutation worker (node:worker_threads): one embedded database restored from
 * the run's snapshot once, then one mutant after another, each in a
 * transaction that is rolled back (run.ts), so the database never needs
 * restoring again. The main thread keeps the time and terminates a worker
 * whose mutant overruns its limit.
 *
 * Messages in: { type: 'run', job, stopAtFirstFailure }. Out: 'ready', 'file'
 * (the file it starts), 'result', 'fatal' (the worker cannot go on).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EmbeddedTarget } from '../database/target.js';
import { describe } from '../errors.js';
import { runMutant, type MutantJob, type MutantResult } from './run.js';

export interface MutationWorkerData {
  snapshot: Uint8Array;
}

export type ToMutationWorker = { type: 'run'; job: MutantJob; stopAtFirstFailure: boolean };
export type FromMutationWorker =
  | { type: 'ready' }
  | { type: 'file'; file: string }
  | { type: 'result'; result: MutantResult }
  | { type: 'fatal'; message: string };

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('mutate/worker.ts runs as a worker thread');
  const data = workerData as MutationWorkerData;
  const post = (message: FromMutationWorker) => port.postMessage(message);
  const target = await EmbeddedTarget.fromSnapshot(data.snapshot);
  post({ type: 'ready' });
  port.on('message', (message: ToMutationWorker) => {
    runMutant(target, message.job, {
      stopAtFirstFailure: message.stopAtFirstFailure,
      beforeFile: (file) => post({ type: 'file', file }),
    }).then(
      (result) => post({ type: 'result', result }),
      (error: unknown) => post({ type: 'fatal', message: describe(error) }),
    );
  });
}

main().catch((error: unknown) => {
  parentPort?.postMessage({ type: 'fatal', message: describe(error) } satisfies FromMutationWorker);
});
