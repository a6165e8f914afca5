/**
 * Where mutants run, each under a time limit:
 * - embedded: a worker thread (worker.ts) with its own database, restored from
 *   the snapshot once; a mutant over its limit is stopped by terminating the
 *   worker, and a new one restored from the snapshot takes its place;
 * - server: one connection, its statement_timeout set to the limit. A
 *   mutant's uncommitted DDL locks its table against every other session until
 *   the rollback, so mutants on a server run one at a time.
 */
import type { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import { ServerTarget } from '../database/target.js';
import { RunnerError, describe, isPgError } from '../errors.js';
import { listen, startWorker } from '../suite/executors.js';
import { runMutant, type MutantJob, type MutantResult } from './run.js';
import type { FromMutationWorker, MutationWorkerData } from './worker.js';

export interface MutantExecutor {
  whenReady(): Promise<void>;
  run(job: MutantJob, stopAtFirstFailure: boolean): Promise<MutantResult>;
  close(): Promise<void>;
}

export class MutationWorker implements MutantExecutor {
  private worker!: Worker;
  private ready!: Promise<void>;

  constructor(
    private readonly data: MutationWorkerData,
    private readonly timeoutSeconds: number,
  ) {
    this.start();
  }

  private start(): void {
    const { worker, ready } = startWorker(new URL('./worker.ts', import.meta.url), this.data, (why) => {
      const message = 'fatal' in why ? why.fatal : 'error' in why ? describe(why.error) : `it exited (code ${why.exitCode})`;
      return new RunnerError('config', `a mutation worker could not start: ${message} (a damaged snapshot? try --no-cache)`);
    });
    this.worker = worker;
    this.ready = ready;
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  async run(job: MutantJob, stopAtFirstFailure: boolean): Promise<MutantResult> {
    await this.ready;
    const worker = this.worker;
    const limit = this.timeoutSeconds;
    const started = Date.now();
    return new Promise<MutantResult>((resolve, reject) => {
      let file: string | null = null;
      const stopped = (reason: string): MutantResult => ({
        id: job.id,
        status: 'timeout',
        killedBy: { file: file ?? '(before the first file)', reason },
        applyError: null,
        files: [],
        ms: Date.now() - started,
      });
      const replace = () => {
        void worker.terminate();
        this.start();
      };
      const timer = setTimeout(() => {
        cleanup();
        replace();
        resolve(stopped(`did not finish within ${limit} s (--timeout)`));
      }, limit * 1000);
      const onMessage = (message: FromMutationWorker) => {
        if (message.type === 'file') file = message.file;
        else if (message.type === 'result') {
          cleanup();
          resolve(message.result);
        } else if (message.type === 'fatal') {
          cleanup();
          replace();
          reject(new RunnerError('config', `the mutation worker failed on ${job.id}: ${message.message}`));
        }
      };
      // a crash is the database's or the runtime's, not the suite's verdict: no result for the mutant
      const onError = (error: Error) => {
        cleanup();
        this.start();
        reject(new RunnerError('config', `the mutation worker crashed on ${job.id}: ${describe(error)}`));
      };
      const onExit = (code: number) => {
        cleanup();
        this.start();
        reject(new RunnerError('config', `the mutation worker exited (code ${code}) on ${job.id}`));
      };
      const stopListening = listen(worker, { message: onMessage, error: onError, exit: onExit });
      const cleanup = () => {
        clearTimeout(timer);
        stopListening();
      };
      worker.postMessage({ type: 'run', job, stopAtFirstFailure });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

export class MutationConnection implements MutantExecutor {
  private constructor(
    private readonly target: ServerTarget,
    private readonly config: Config,
  ) {}

  static async open(url: string, config: Config): Promise<MutationConnection> {
    return new MutationConnection(await ServerTarget.connect(url), config);
  }

  async whenReady(): Promise<void> {}

  async run(job: MutantJob, stopAtFirstFailure: boolean): Promise<MutantResult> {
    const limit = this.config.test.timeoutSeconds;
    await this.target.query(`select pg_catalog.set_config('statement_timeout', $1, false)`, [String(limit * 1000)]);
    try {
      return await runMutant(this.target, job, {
        stopAtFirstFailure,
        isTimeout: (error) => isPgError(error) && error.code === '57014' && /statement timeout/.test(error.message),
        timeoutSeconds: limit,
      });
    } finally {
      await this.target.query(`select pg_catalog.set_config('statement_timeout', '0', false)`);
    }
  }

  async close(): Promise<void> {
    await this.target.close();
  }
}
