/**
 * The run loop, for `test`, `watch` and `mutate`:
 * - prepareRun: the database every file starts from, and the executors that
 *   run files on it (executor.ts): embedded, the snapshot (reused or built)
 *   and workers restored from it; server, a reset, the build, and connections;
 * - deal: work handed to executors, each taking the next as soon as it is free
 *   (files for test and watch, mutants for mutate);
 * - runSuite: files dealt that way, their outcomes in path order, `--bail`, a
 *   `Bail out!`, an interrupt; after a file that committed changes, the files
 *   after it run again in order on a database that keeps what each commits, as
 *   under pg_prove.
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../config.js';
import { openResetTarget } from '../database/reset.js';
import { phaseClock, prepareSnapshot, type Phase, type Snapshot } from '../database/snapshot.js';
import { EmbeddedTarget, ServerTarget, type Target } from '../database/target.js';
import { Interrupted } from '../errors.js';
import { stdoutClosed, type Output } from '../output.js';
import { buildDatabase } from './build.js';
import { ConnectionExecutor, WorkerExecutor, type Executor, type ServerBaseline } from './executor.js';
import type { Job } from './jobs.js';
import { fingerprint } from './leaks.js';
import { filePassed, type FileOutcome } from './tap.js';

export interface PreparedRun {
  /** the executors asked for, started (workers restore the snapshot as soon as it is ready) */
  executors: Executor[];
  /** the setup files' results, in path order */
  setup: FileOutcome[];
  /** embedded: the snapshot, reused or built */
  snapshot: Snapshot<FileOutcome> | null;
  /** server: where the reset and the build took their time */
  phases: Phase[];
  /** more executors on the same database */
  open(count: number): Promise<Executor[]>;
  /** for runSuite's chain: a new worker from the snapshot (the file that committed runs again on it), or the first connection (it has the changes) */
  chain(): Promise<{ executor: Executor; again: boolean }>;
  /** a session on the database every file starts from, to read it */
  read(): Promise<Target>;
}

/**
 * Embedded, the snapshot (reused or built) and `jobs` workers, started at once
 * so that loading their code overlaps with the snapshot's check or build;
 * server, a reset (`action` says why, in its refusal), the build, and `jobs`
 * connections. A failed build is a BuildError.
 */
export async function prepareRun(
  config: Config,
  setupFiles: string[],
  output: Output,
  options: { jobs: number; label: 'test' | 'mutation'; action: string },
): Promise<PreparedRun> {
  const limit = config.test.timeoutSeconds;
  if (config.target.kind === 'embedded') {
    let snapshotReady!: (file: string) => void;
    let snapshotFailed!: (error: unknown) => void;
    const snapshotFile = new Promise<string>((resolve, reject) => {
      snapshotReady = resolve;
      snapshotFailed = reject;
    });
    const workers = (count: number) => Array.from({ length: count }, () => new WorkerExecutor(snapshotFile, limit, options.label));
    const executors = workers(options.jobs);
    const snapshot = await prepareSnapshot(config, setupFiles, output, (target, out, clock) => buildDatabase(target, config, setupFiles, out, clock)).catch(
      async (error: unknown) => {
        snapshotFailed(error);
        await Promise.all(executors.map((e) => e.close()));
        throw error;
      },
    );
    snapshotReady(snapshot.file);
    const chain = async () => {
      const [executor] = workers(1);
      await executor!.whenReady();
      return { executor: executor!, again: true };
    };
    return {
      chain,
      executors,
      setup: snapshot.setup,
      snapshot,
      phases: snapshot.phases,
      open: async (count) => workers(count),
      // a restored database writes into the bytes it was given: each restore reads its own
      read: async () => EmbeddedTarget.fromSnapshot(await readFile(snapshot.file)),
    };
  }
  const clock = phaseClock();
  const target = await clock.time('reset', () => openResetTarget(config, output, { memory: true, action: options.action }));
  let baseline: ServerBaseline;
  let setup: FileOutcome[];
  try {
    setup = (await buildDatabase(target, config, setupFiles, output, clock)).setup;
    baseline = { current: await clock.time('fingerprint', () => fingerprint(target)) };
  } finally {
    await target.close();
  }
  const url = config.target.url;
  const open = (count: number) => Promise.all(Array.from({ length: count }, () => ConnectionExecutor.open(url, config, baseline)));
  const executors = await open(options.jobs);
  const chain = async () => ({ executor: executors[0]!, again: false });
  return { executors, setup, snapshot: null, phases: clock.phases, open, chain, read: () => ServerTarget.connect(url) };
}

/**
 * Deals `work` to `executors`, each taking the next item as soon as it is free,
 * while `go()` holds. The first error ends the dealing and is returned.
 */
export async function deal<E, W>(executors: E[], work: W[], run: (executor: E, item: W) => Promise<void>, go: () => boolean = () => true): Promise<unknown> {
  let next = 0;
  let fatal: unknown = null;
  await Promise.all(
    executors.map(async (executor) => {
      while (fatal === null && go() && next < work.length) {
        const item = work[next++]!;
        try {
          await run(executor, item);
        } catch (error) {
          fatal ??= error;
        }
      }
    }),
  );
  return fatal;
}

/** What stops a run from outside; a file it stops is not recorded (`race` throws). */
export interface Stop {
  /** what stopped the run, once something has */
  readonly signal: Interrupted['signal'] | null;
  /** `work`, or an Interrupted as soon as a signal comes (`work` goes on; its failure is ignored) */
  race<T>(work: Promise<T>): Promise<T>;
}

export interface SuiteOptions {
  bail: boolean;
  stop: Stop;
  /**
   * after a file that committed changes: where the files after it run, in
   * order, on one database that keeps what each commits, and whether that
   * file runs again first (a fresh worker has none of its changes)
   */
  chain?: () => Promise<{ executor: Executor; again: boolean }>;
  /** a file starts */
  started?(job: Job): void;
  /** a file's outcome, in path order: each as soon as every file before it is in */
  done?(outcome: FileOutcome): void;
}

export interface SuiteRun {
  /** why the run stopped early: a Bail out!, --bail */
  stopped: string | null;
  /** what ended it: an Interrupted, a crash, a lost connection */
  fatal: unknown;
}

/**
 * Runs `queue` (each file with its index in `results`, where the files not
 * queued, setup files, are already in) on `executors`, and fills `results`.
 */
export async function runSuite(
  executors: Pick<Executor, 'run'>[],
  queue: { index: number; job: Job }[],
  results: (FileOutcome | undefined)[],
  options: SuiteOptions,
): Promise<SuiteRun> {
  const { stop } = options;
  const queued = new Set(queue.map((q) => q.index));
  // A file that committed changes: pg_prove runs every later file on a database that has
  // them. The files after the first such file are run again, in order, on one database
  // that keeps what each commits; until then their results are held back.
  let chainFrom: number | null = null;
  let reported = 0;
  const report = () => {
    while (reported < results.length && results[reported] !== undefined) {
      options.done?.(results[reported]!);
      reported++;
    }
  };
  let stopped: string | null = null;
  const verdict = (outcome: FileOutcome) => {
    if (outcome.summary.bailout !== null) stopped ??= `Bail out! in ${outcome.file}: ${outcome.summary.bailout}`;
    else if (options.bail && !filePassed(outcome)) stopped ??= `--bail: ${outcome.file} failed`;
  };
  const go = () => stopped === null && stop.signal === null;
  report();
  let fatal = await deal(
    executors,
    queue,
    async (executor, { index, job }) => {
      if (chainFrom !== null && index >= chainFrom) return;
      options.started?.(job);
      const outcome = await stop.race(executor.run(job));
      if (chainFrom !== null && index > chainFrom) return;
      results[index] = outcome;
      if ((outcome.leaks?.length ?? 0) > 0 && options.chain !== undefined) {
        chainFrom = index;
        for (let later = index + 1; later < results.length; later++) if (queued.has(later)) results[later] = undefined;
      }
      report();
      verdict(outcome);
    },
    go,
  );
  if (fatal === null && chainFrom !== null && go()) {
    const from = chainFrom;
    fatal = await options.chain!().then(
      async ({ executor, again }) => {
        try {
          return await deal(
            [executor],
            queue.filter(({ index }) => (again ? index >= from : index > from)),
            async (one, { index, job }) => {
              options.started?.(job);
              const outcome = await stop.race(one.run({ ...job, keep: true }));
              results[index] = outcome;
              report();
              verdict(outcome);
            },
            go,
          );
        } finally {
          if (!executors.includes(executor)) await executor.close();
        }
      },
      (error: unknown) => error,
    );
  }
  if (fatal === null && stop.signal !== null) fatal = new Interrupted(stop.signal);
  return { stopped, fatal };
}

/** The signals that stop a run, and standard output closed by its reader. */
export function stopSignals(): Stop & { dispose(): void } {
  let signal: Interrupted['signal'] | null = null;
  let fire!: (error: Interrupted) => void;
  const stopped = new Promise<never>((_resolve, reject) => {
    fire = reject;
  });
  stopped.catch(() => {});
  const on = (name: Interrupted['signal']) => () => {
    if (signal !== null) return;
    signal = name;
    fire(new Interrupted(name));
  };
  const handlers = { SIGINT: on('SIGINT'), SIGTERM: on('SIGTERM'), SIGHUP: on('SIGHUP') };
  for (const [name, handler] of Object.entries(handlers)) process.on(name, handler);
  const closed = on('SIGPIPE');
  stdoutClosed.addEventListener('closed', closed);
  return {
    get signal() {
      return signal;
    },
    race: <T>(work: Promise<T>) => {
      work.catch(() => {});
      return Promise.race([work, stopped]);
    },
    dispose: () => {
      for (const [name, handler] of Object.entries(handlers)) process.off(name, handler);
      stdoutClosed.removeEventListener('closed', closed);
    },
  };
}
