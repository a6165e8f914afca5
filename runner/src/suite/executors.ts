/**
 * Where the `test` command's files run, each under its time limit:
 * - embedded: a worker thread (test-worker.ts) with its own database restored
 *   from the snapshot; a file over its limit is stopped by terminating the
 *   worker, and a new worker restored from the snapshot takes its place;
 * - server: one connection; the server's statement_timeout is set to the time
 *   left before each statement, and a connection that does not answer a few
 *   seconds after the limit is dropped and opened again.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import { ServerTarget } from '../database/target.js';
import { RunnerError, connection, describe, isPgError } from '../errors.js';
import type { FromWorker, Job, ToWorker, WorkerData, WorkerStart } from './jobs.js';
import { committedSince, diffFingerprints, fingerprint, nextXid, type Fingerprint } from './leaks.js';
import { runPgTapFile } from './pgtap.js';
import { summariseTap, type FileNotice, type FileOutcome } from './tap.js';

export interface Executor {
  /** resolves when it can take a file (a worker has restored its database) */
  whenReady(): Promise<void>;
  run(job: Job): Promise<FileOutcome>;
  close(): Promise<void>;
}

/**
 * A worker's entry, given as its TypeScript source (test-worker.ts, or
 * mutate's): compiled, the .js beside it in dist/; from the sources, the .ts
 * through tsx's tsImport, whether or not the main thread itself runs under tsx
 * (workers do not inherit the main thread's module hooks on Node 20).
 */
export function workerEntry(source: URL): { code: string | URL; eval: boolean } {
  if (import.meta.url.endsWith('.js')) return { code: new URL(source.href.replace(/\.ts$/, '.js')), eval: false };
  const api = import.meta.resolve('tsx/esm/api');
  const entry = source.href;
  return { code: `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`, eval: true };
}

/** Listens to a worker's messages, its error and its exit until the function it returns is called. */
export function listen<M>(
  worker: Worker,
  on: { message: (message: M) => void; error: (error: Error) => void; exit: (code: number) => void },
): () => void {
  worker.on('message', on.message);
  worker.on('error', on.error);
  worker.on('exit', on.exit);
  return () => {
    worker.off('message', on.message);
    worker.off('error', on.error);
    worker.off('exit', on.exit);
  };
}

/** Why a worker did not get ready: its 'fatal' message, an 'error' event, or its exit. */
export type StartFailure = { fatal: string } | { error: Error } | { exitCode: number };

/**
 * Starts a worker on `source` (see workerEntry). `ready` resolves on its
 * 'ready' message, after `onReady`, and rejects with `failed(why)` if it
 * fails first; a worker sends nothing else before it is ready.
 */
export function startWorker<Ready extends { type: 'ready' }>(
  source: URL,
  workerData: unknown,
  failed: (why: StartFailure) => Error,
  onReady?: (message: Ready) => void,
): { worker: Worker; ready: Promise<void> } {
  const entry = workerEntry(source);
  const worker = new Worker(entry.code, { eval: entry.eval, workerData });
  const ready = new Promise<void>((resolve, reject) => {
    const fail = (why: StartFailure) => {
      stopListening();
      reject(failed(why));
    };
    const stopListening = listen<Ready | { type: 'fatal'; message: string }>(worker, {
      message: (message) => {
        if (message.type === 'ready') {
          stopListening();
          onReady?.(message);
          resolve();
        } else if (message.type === 'fatal') fail({ fatal: message.message });
      },
      error: (error) => fail({ error }),
      exit: (exitCode) => fail({ exitCode }),
    });
  });
  // until run() awaits it, a worker that fails to start must not be an unhandled rejection
  ready.catch(() => {});
  return { worker, ready };
}

/** How the first worker of an executor started: the thread and its code, then the snapshot's restore. */
export interface WorkerStartup {
  loadMs: number;
  restoreMs: number;
}

export class WorkerExecutor implements Executor {
  private worker!: Worker;
  private ready!: Promise<void>;
  /** how the first worker started; a worker that replaces one is not counted */
  startup: WorkerStartup | null = null;

  /**
   * Starts the worker at once; it restores `snapshotFile` when that resolves,
   * so starting the thread and loading its code overlap with the snapshot's
   * check or build.
   */
  constructor(
    private readonly data: WorkerData,
    private readonly snapshotFile: Promise<string>,
    private readonly timeoutSeconds: number,
  ) {
    this.start();
  }

  private start(): void {
    const start: WorkerStart = { ...this.data, startedAt: performance.timeOrigin + performance.now() };
    const { worker, ready } = startWorker(
      new URL('./test-worker.ts', import.meta.url),
      start,
      (why) => {
        if ('fatal' in why) return new RunnerError('config', `a test worker could not start: ${why.fatal} (a damaged snapshot? try --no-cache)`);
        if ('error' in why) return new RunnerError('config', `a test worker could not start: ${describe(why.error)}`);
        return new RunnerError('config', `a test worker exited (code ${why.exitCode}) before it was ready`);
      },
      (message: Extract<FromWorker, { type: 'ready' }>) => {
        this.startup ??= { loadMs: message.loadMs, restoreMs: message.restoreMs };
      },
    );
    this.worker = worker;
    this.ready = ready;
    this.snapshotFile.then(
      (file) => worker.postMessage({ type: 'snapshot', file } satisfies ToWorker),
      () => {},
    );
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  async run(job: Job): Promise<FileOutcome> {
    await this.ready;
    const worker = this.worker;
    const limit = this.timeoutSeconds;
    return new Promise<FileOutcome>((resolve, reject) => {
      const started = Date.now();
      const tap: string[] = [];
      const lines: number[] = [];
      const statementMs: number[] = [];
      const notices: FileNotice[] = [];
      let line: number | null = null;
      const partial = (error: string, extra: Partial<FileOutcome> = {}): FileOutcome => ({
        file: job.shown,
        tap,
        lines,
        statementMs,
        ...(notices.length > 0 ? { notices } : {}),
        error,
        durationMs: Date.now() - started,
        summary: summariseTap(tap),
        ...extra,
      });
      const replace = () => {
        void worker.terminate();
        this.start();
      };
      const timer = setTimeout(() => {
        cleanup();
        replace();
        const where = line !== null ? ` at ${job.shown}:${line}` : '';
        resolve(partial(`stopped after ${limit} s${where}: the statement there had not finished`, { timedOutAfter: limit }));
      }, limit * 1000);
      const onMessage = (message: FromWorker) => {
        if (message.type === 'statement') line = message.line;
        else if (message.type === 'ran') clearTimeout(timer);
        else if (message.type === 'notices') notices.push(...message.notices);
        else if (message.type === 'rows') {
          for (const row of message.rows) {
            tap.push(row);
            lines.push(message.line);
            statementMs.push(message.ms);
          }
        } else if (message.type === 'done') {
          cleanup();
          resolve(message.outcome);
        } else if (message.type === 'fatal') {
          cleanup();
          replace();
          reject(new RunnerError('config', `the test worker failed on ${job.shown}: ${message.message}`));
        }
      };
      const onError = (error: Error) => {
        cleanup();
        this.start();
        resolve(partial(`the test worker crashed: ${describe(error)}`));
      };
      const onExit = (code: number) => {
        cleanup();
        this.start();
        resolve(partial(`the test worker exited (code ${code})`));
      };
      const stopListening = listen(worker, { message: onMessage, error: onError, exit: onExit });
      const cleanup = () => {
        clearTimeout(timer);
        stopListening();
      };
      worker.postMessage({ type: 'run', job } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** What the connections of a server run share: the database's state as last seen clean. */
export interface ServerBaseline {
  current: Fingerprint;
}

export class ConnectionExecutor implements Executor {
  private constructor(
    private target: ServerTarget,
    private readonly url: string,
    private readonly config: Config,
    private readonly baseline: ServerBaseline,
  ) {}

  static async open(url: string, config: Config, baseline: ServerBaseline): Promise<ConnectionExecutor> {
    return new ConnectionExecutor(await ServerTarget.connect(url), url, config, baseline);
  }

  async whenReady(): Promise<void> {}

  async run(job: Job): Promise<FileOutcome> {
    const limit = this.config.test.timeoutSeconds;
    const deadline = Date.now() + limit * 1000;
    const target = this.target;
    const xid = await nextXid(target);
    const work = (async (): Promise<FileOutcome> => {
      return runPgTapFile(target, job.file, job.shown, {
        beforeStatement: async () => {
          const left = Math.max(1, deadline - Date.now());
          await target.query(`select pg_catalog.set_config('statement_timeout', $1, false)`, [String(left)]);
        },
        isTimeout: (error) => isPgError(error) && error.code === '57014' && /statement timeout/.test(error.message),
        timeoutSeconds: limit,
      });
    })();
    // the server enforces the limit; this only catches a server that does not (5 s of grace)
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<'overrun'>((resolve) => {
      timer = setTimeout(() => resolve('overrun'), limit * 1000 + 5000);
    });
    let outcome: FileOutcome;
    try {
      const first = await Promise.race([work, overrun]);
      if (first === 'overrun') {
        work.catch(() => {});
        target.destroy();
        await target.close();
        this.target = await ServerTarget.connect(this.url).catch((error: unknown) => {
          throw connection(`${job.shown} overran its time limit and the connection could not be opened again: ${describe(error)}`);
        });
        return {
          file: job.shown,
          tap: [],
          error: `stopped after ${limit} s: the server did not stop the statement, so the runner dropped the connection`,
          durationMs: limit * 1000,
          summary: summariseTap([]),
          timedOutAfter: limit,
        };
      }
      outcome = first;
    } finally {
      clearTimeout(timer);
    }
    await target.query(`select pg_catalog.set_config('statement_timeout', '0', false)`);
    // with several connections, another file's commit counts too: the fingerprint decides
    if (!(await committedSince(target, xid))) return outcome;
    const after = await fingerprint(target);
    const leaks = diffFingerprints(this.baseline.current, after);
    if (leaks.length === 0) return outcome;
    // the server keeps them, as under pg_prove: later files are compared with the database as it is now
    this.baseline.current = after;
    return { ...outcome, leaks };
  }

  async close(): Promise<void> {
    await this.target.close();
  }
}
