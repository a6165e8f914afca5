/**
 * Where files run, each under its time limit, for `test` and `mutate`: one
 * executor per target.
 * - embedded: a worker thread (worker.ts) with its own database restored from
 *   the snapshot; work over its limit is stopped by terminating the worker, and
 *   a new worker restored from the snapshot takes its place;
 * - server: one connection; the server's statement_timeout is set to the time
 *   left, and a connection that does not answer a few seconds after a file's
 *   limit is dropped and opened again.
 * A worker that dies or fails outside a file is a crash (exit 2), never a
 * configuration error.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import { ServerTarget } from '../database/target.js';
import { connection, crash, describe, isPgError } from '../errors.js';
import type { FromWorker, Job, ToWorker, WorkerStart } from './jobs.js';
import { committedSince, diffFingerprints, fingerprint, nextXid, type Fingerprint } from './leaks.js';
import { runMutant, type MutantJob, type MutantResult } from './mutant-run.js';
import { runPgTapFile } from './pgtap.js';
import { summariseTap, type FileNotice, type FileOutcome } from './tap.js';

export interface Executor {
  /** resolves when it can take work (a worker has restored its database) */
  whenReady(): Promise<void>;
  /** one file, in a new session, on the database the run started from (with `job.keep`, the one the last file left) */
  run(job: Job): Promise<FileOutcome>;
  /** the files once inside a transaction that is rolled back, a mutant's SQL first (mutant-run.ts), under one time limit */
  runMutant(job: MutantJob, stopAtFirstFailure: boolean): Promise<MutantResult>;
  close(): Promise<void>;
}

/**
 * A worker's entry, given as its TypeScript source: compiled, the .js beside
 * it in dist/; from the sources, the .ts through tsx's tsImport, whether or not
 * the main thread itself runs under tsx (workers do not inherit the main
 * thread's module hooks on Node 20).
 */
export function workerEntry(source: URL): { code: string | URL; eval: boolean } {
  if (import.meta.url.endsWith('.js')) return { code: new URL(source.href.replace(/\.ts$/, '.js')), eval: false };
  const api = import.meta.resolve('tsx/esm/api');
  const entry = source.href;
  return { code: `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`, eval: true };
}

/** Listens to a worker's messages, its error and its exit until the function it returns is called. */
function listen(worker: Worker, on: { message: (message: FromWorker) => void; error: (error: Error) => void; exit: (code: number) => void }): () => void {
  worker.on('message', on.message);
  worker.on('error', on.error);
  worker.on('exit', on.exit);
  return () => {
    worker.off('message', on.message);
    worker.off('error', on.error);
    worker.off('exit', on.exit);
  };
}

/** One exchange with a worker: its messages until `finish`, and what a time-out or a crash gives. */
interface Exchange<T> {
  message: (message: FromWorker, finish: (result: T) => void) => void;
  timedOut: () => T;
  /** a worker that died during the work: a result, or the error to throw */
  died: (what: string) => T | Error;
  /** what the work is, for a crash's message */
  what: string;
}

export class WorkerExecutor implements Executor {
  private worker!: Worker;
  private ready!: Promise<void>;
  /** how the first worker started (its thread and code, then the restore); a worker that replaces one is not counted */
  startup: { loadMs: number; restoreMs: number } | null = null;

  /**
   * Starts the worker at once; it restores `snapshotFile` when that resolves,
   * so starting the thread and loading its code overlap with the snapshot's
   * check or build. `label` names it in messages ("a test worker").
   */
  constructor(
    private readonly snapshotFile: Promise<string>,
    private readonly timeoutSeconds: number,
    private readonly label: 'test' | 'mutation' = 'test',
  ) {
    this.start();
  }

  private start(): void {
    const entry = workerEntry(new URL('./worker.ts', import.meta.url));
    const start: WorkerStart = { startedAt: performance.timeOrigin + performance.now() };
    const worker = new Worker(entry.code, { eval: entry.eval, workerData: start });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      const fail = (why: string) => {
        stopListening();
        reject(crash(`a ${this.label} worker ${why}`));
      };
      // a worker sends nothing else before it is ready
      const stopListening = listen(worker, {
        message: (message) => {
          if (message.type === 'ready') {
            stopListening();
            this.startup ??= { loadMs: message.loadMs, restoreMs: message.restoreMs };
            resolve();
          } else if (message.type === 'fatal') fail(`could not start: ${message.message} (a damaged snapshot? try --no-cache)`);
        },
        error: (error) => fail(`could not start: ${describe(error)}`),
        exit: (code) => fail(`exited (code ${code}) before it was ready`),
      });
    });
    // until the work awaits it, a worker that fails to start must not be an unhandled rejection
    this.ready.catch(() => {});
    this.snapshotFile.then(
      (file) => worker.postMessage({ type: 'snapshot', file } satisfies ToWorker),
      () => {},
    );
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Sends `message` and settles as `on` says; a time-out, a crash or a 'fatal' replaces the worker. */
  private async exchange<T>(message: ToWorker, on: Exchange<T>): Promise<T> {
    await this.ready;
    const worker = this.worker;
    return new Promise<T>((resolve, reject) => {
      const end = (replace: boolean) => {
        clearTimeout(timer);
        stopListening();
        if (!replace) return;
        void worker.terminate();
        this.start();
      };
      const timer = setTimeout(() => {
        end(true);
        resolve(on.timedOut());
      }, this.timeoutSeconds * 1000);
      const died = (what: string) => {
        end(true);
        const result = on.died(what);
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      const stopListening = listen(worker, {
        message: (m) => {
          if (m.type === 'ran') clearTimeout(timer);
          else if (m.type === 'fatal') {
            end(true);
            reject(crash(`the ${this.label} worker failed on ${on.what}: ${m.message}`));
          } else {
            on.message(m, (result) => {
              end(false);
              resolve(result);
            });
          }
        },
        error: (error) => died(`crashed: ${describe(error)}`),
        exit: (code) => died(`exited (code ${code})`),
      });
      worker.postMessage(message);
    });
  }

  run(job: Job): Promise<FileOutcome> {
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
    const limit = this.timeoutSeconds;
    return this.exchange<FileOutcome>(
      { type: 'run', job },
      {
        what: job.shown,
        message: (message, finish) => {
          if (message.type === 'statement') line = message.line;
          else if (message.type === 'notices') notices.push(...message.notices);
          else if (message.type === 'rows') {
            for (const row of message.rows) {
              tap.push(row);
              lines.push(message.line);
              statementMs.push(message.ms);
            }
          } else if (message.type === 'done') finish(message.outcome);
        },
        timedOut: () => {
          const where = line !== null ? ` at ${job.shown}:${line}` : '';
          return partial(`stopped after ${limit} s${where}: the statement there had not finished`, { timedOutAfter: limit });
        },
        // the file's own failure: what it ran, and that the worker died under it
        died: (what) => partial(`the ${this.label} worker ${what}`),
      },
    );
  }

  runMutant(job: MutantJob, stopAtFirstFailure: boolean): Promise<MutantResult> {
    const started = Date.now();
    let file: string | null = null;
    return this.exchange<MutantResult>(
      { type: 'mutant', job, stopAtFirstFailure },
      {
        what: job.id,
        message: (message, finish) => {
          if (message.type === 'file') file = message.file;
          else if (message.type === 'mutant done') finish(message.result);
        },
        timedOut: () => ({
          id: job.id,
          status: 'timeout',
          killedBy: { file: file ?? '(before the first file)', reason: `did not finish within ${this.timeoutSeconds} s (--timeout)` },
          applyError: null,
          files: [],
          ms: Date.now() - started,
        }),
        // the database's or the runtime's fault, not the suite's verdict: no result for the mutant
        died: (what) => crash(`the ${this.label} worker ${what} on ${job.id}`),
      },
    );
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** What the connections of a server run share: the database's state as last seen clean. */
export type ServerBaseline = { current: Fingerprint };

const isStatementTimeout = (error: unknown) => isPgError(error) && error.code === '57014' && /statement timeout/.test(error.message);

export class ConnectionExecutor implements Executor {
  private constructor(
    private target: ServerTarget,
    private readonly url: string,
    private readonly config: Config,
    private readonly baseline: ServerBaseline | null,
  ) {}

  /** `baseline`: the clean database, to tell what a file committed (mutants need none: they roll back) */
  static async open(url: string, config: Config, baseline: ServerBaseline | null = null): Promise<ConnectionExecutor> {
    return new ConnectionExecutor(await ServerTarget.connect(url), url, config, baseline);
  }

  async whenReady(): Promise<void> {}

  private setTimeout(ms: number): Promise<unknown> {
    return this.target.query(`select pg_catalog.set_config('statement_timeout', $1, false)`, [String(ms)]);
  }

  async run(job: Job): Promise<FileOutcome> {
    const limit = this.config.test.timeoutSeconds;
    const deadline = Date.now() + limit * 1000;
    const target = this.target;
    const xid = await nextXid(target);
    const work = runPgTapFile(target, job.file, job.shown, {
      beforeStatement: async () => {
        await this.setTimeout(Math.max(1, deadline - Date.now()));
      },
      isTimeout: isStatementTimeout,
      timeoutSeconds: limit,
    });
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
    await this.setTimeout(0);
    // with several connections, another file's commit counts too: the fingerprint decides
    if (this.baseline === null || !(await committedSince(target, xid))) return outcome;
    const after = await fingerprint(target);
    const leaks = diffFingerprints(this.baseline.current, after);
    if (leaks.length === 0) return outcome;
    // the server keeps them, as under pg_prove: later files are compared with the database as it is now
    this.baseline.current = after;
    return { ...outcome, leaks };
  }

  /** A mutant's uncommitted DDL locks its table against every other session until the rollback: one connection runs them. */
  async runMutant(job: MutantJob, stopAtFirstFailure: boolean): Promise<MutantResult> {
    const limit = this.config.test.timeoutSeconds;
    await this.setTimeout(limit * 1000);
    try {
      return await runMutant(this.target, job, { stopAtFirstFailure, isTimeout: isStatementTimeout, timeoutSeconds: limit });
    } finally {
      await this.setTimeout(0);
    }
  }

  async close(): Promise<void> {
    await this.target.close();
  }
}
