/**
 * `test`: the pgTAP suite, on the database the repository defines.
 *
 * 1. Choose: every `supabase/tests/**\/*.sql` and `*.pg` (or the paths and globs given),
 *    then `--grep`, then `--shard i/n`; an unreadable file or no file at all is
 *    a usage error (exit 2) before anything is built.
 * 2. Build once: embedded, the snapshot of the migrated, seeded database with
 *    the setup files (suite/selection.ts) applied, reused when nothing changed;
 *    server, a reset and the same build on the server.
 * 3. Run: `--jobs N` workers (embedded, each restored from the snapshot) or
 *    connections (server), each file under `--timeout`, in a new session.
 *    After a file that committed changes, the files after it run again in
 *    order on a database that keeps what each commits, as under pg_prove.
 * 4. Report in path order (human or TAP), write reports/junit.xml and
 *    reports/tap/, end with `N passed, N failed`; on GitHub Actions, also an
 *    annotation on each failing line and the job summary (report/github.ts).
 * Exit 0 when everything passed, 1 on any failure, 2 on usage, configuration
 * or connection problems.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { checkMigrationFiles } from '../database/migrate.js';
import { openResetTarget } from '../database/reset.js';
import { BuildError, phaseClock, prepareSnapshot, type Phase, type PhaseClock } from '../database/snapshot.js';
import { Interrupted, SqlFileError, describe } from '../errors.js';
import { stdoutClosed, type Output } from '../output.js';
import { seconds } from '../report/report.js';
import { githubReporter } from '../report/github.js';
import { claimReports, humanReporter, startReports, tapReporter, writeReports, type Reporter } from '../report/reporters.js';
import { buildDatabase } from '../suite/build.js';
import { ConnectionExecutor, WorkerExecutor, type Executor, type ServerBaseline } from '../suite/executors.js';
import { chooseFiles } from '../suite/files.js';
import type { Job } from '../suite/jobs.js';
import { fingerprint } from '../suite/leaks.js';
import { filePassed, summariseTap, type FileOutcome } from '../suite/tap.js';

export interface TestRunOptions {
  /**
   * when the run started, on performance.now()'s clock: the CLI passes 0, the
   * process's start, so the time line counts Node.js, tsx and loading the runner too
   */
  startedAt?: number;
}

export async function testCommand(config: Config, output: Output, options: TestRunOptions = {}): Promise<number> {
  // every phase of the run on one clock: the time line adds up to the total
  const clock = phaseClock(options.startedAt);
  if (options.startedAt !== undefined) clock.lap('start');
  // the reports folder first: one the runner did not make refuses the run before anything else
  await claimReports(config, { create: false });
  const stop = stopSignals();
  const run: RunState = { selected: [], results: [], started: false, reported: false };
  try {
    return await runFiles(config, output, clock, stop, run);
  } catch (error) {
    // however the run ended, its reports say so: what ran, what stopped it and every file that did not run
    // (a run refused before it started writes none, but replaces the last run's)
    if (!run.reported && (run.started || existsSync(path.join(config.test.reportsDir, 'junit.xml')))) {
      await writeReports(config, ran(run), { reason: describe(error), notRun: notRun(config, run) }).catch((failure: unknown) => {
        output.warn(`the reports could not be written: ${describe(failure)}`);
      });
    }
    throw error;
  } finally {
    stop.dispose();
  }
}

/** What a run has done so far, for the reports of a run that ends early. */
interface RunState {
  selected: string[];
  /** by index of `selected` */
  results: (FileOutcome | undefined)[];
  /** the run began: its reports say it has not finished */
  started: boolean;
  /** the reports are written: nothing more to say */
  reported: boolean;
}

const ran = (run: RunState) => run.results.filter((r): r is FileOutcome => r !== undefined);
const notRun = (config: Config, run: RunState) => run.selected.flatMap((file, i) => (run.results[i] === undefined ? [shown(config, file)] : []));

async function runFiles(config: Config, output: Output, clock: PhaseClock, stop: StopSignals, run: RunState): Promise<number> {
  const { selected, setupFiles } = await chooseFiles(config);
  run.selected = selected;
  // the migration files' own problems refuse the run before anything is built or reset
  await checkMigrationFiles(config, 'build the database');
  // from here on, junit.xml says the run has not finished until it has: the last run's reports are gone
  await startReports(config, selected.map((f) => shown(config, f)));
  run.started = true;
  clock.lap('selection');
  const chosen = config.test.reporter === 'tap' ? tapReporter(output, config) : humanReporter(output, config);
  // on GitHub Actions, also annotations on the failing lines and the job summary
  const reporter = config.github !== null ? githubReporter(chosen, output, config) : chosen;
  reporter.started(selected.length);
  const jobs = Math.max(1, Math.min(config.test.jobs, selected.filter((f) => !setupFiles.includes(f)).length));

  // 2. the database, built once
  let prepared: Prepared;
  try {
    prepared = await clock.time('database', () => stop.race(prepareDatabase(config, setupFiles, reporter, jobs)));
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    return buildFailed(error, config, reporter, run, clock);
  }
  const { executors, setupOutcomes, chainExecutor } = prepared;

  // 3. run, in parallel when asked; results by index, so the order is the paths' whatever the timing
  const results = run.results;
  const queue: { index: number; job: Job }[] = [];
  selected.forEach((file, index) => {
    const setup = setupOutcomes.get(shown(config, file));
    if (setupFiles.includes(file) && setup !== undefined) results[index] = setup;
    else queue.push({ index, job: { file, shown: shown(config, file) } });
  });
  // A file that committed changes: pg_prove runs every later file on a database that has
  // them. The files after the first such file are run again, in order, on one database
  // that keeps what each commits; until then their results are held back.
  let chainFrom: number | null = null;
  let reported = 0;
  const report = () => {
    while (reported < selected.length && results[reported] !== undefined) {
      reporter.fileDone(reported, results[reported]!);
      reported++;
    }
  };
  const settle = (index: number, outcome: FileOutcome) => {
    if (chainFrom !== null && index > chainFrom) return;
    results[index] = outcome;
    if ((outcome.leaks?.length ?? 0) > 0) {
      chainFrom = index;
      for (let later = index + 1; later < results.length; later++) if (!setupFiles.includes(selected[later]!)) results[later] = undefined;
    }
    report();
  };
  report();
  let stopped: string | null = null;
  let fatal: unknown = null;
  const verdict = (outcome: FileOutcome) => {
    if (outcome.summary.bailout !== null) stopped ??= `Bail out! in ${outcome.file}: ${outcome.summary.bailout}`;
    else if (config.test.bail && !filePassed(outcome)) stopped ??= `--bail: ${outcome.file} failed`;
  };
  let next = 0;
  try {
    await stop.race(Promise.all(executors.map((e) => e.whenReady())));
    if (config.target.kind === 'embedded') clock.lap(`${jobs} worker${jobs === 1 ? '' : 's'} ready`, workerStart(executors));
    else clock.lap('connections');
    await clock.time('files', async () => {
      await Promise.all(
        executors.map(async (executor) => {
          while (stopped === null && fatal === null && stop.signal === null && next < queue.length && (chainFrom === null || queue[next]!.index < chainFrom)) {
            const { index, job } = queue[next++]!;
            reporter.fileStarted(job.shown);
            try {
              const outcome = await stop.race(executor.run(job));
              settle(index, outcome);
              if (chainFrom === null || index <= chainFrom) verdict(outcome);
            } catch (error) {
              fatal ??= error;
            }
          }
        }),
      );
      if (chainFrom === null || stopped !== null || fatal !== null || stop.signal !== null) return;
      // embedded: a database from the snapshot, the file that committed run again on it; a server has its changes already
      const from = chainFrom;
      const chain = queue.filter(({ index }) => (config.target.kind === 'embedded' ? index >= from : index > from));
      const executor = await chainExecutor(executors);
      try {
        for (const { index, job } of chain) {
          if (stopped !== null || fatal !== null || stop.signal !== null) break;
          reporter.fileStarted(job.shown);
          try {
            const outcome = await stop.race(executor.run({ ...job, keep: true }));
            results[index] = outcome;
            report();
            verdict(outcome);
          } catch (error) {
            fatal ??= error;
          }
        }
      } finally {
        if (!executors.includes(executor)) await executor.close();
      }
    });
  } catch (error) {
    // the workers or connections could not start (a damaged snapshot, a refused connection), or a signal came
    fatal ??= error;
  } finally {
    await Promise.all(executors.map((e) => e.close()));
  }
  if (fatal === null && stop.signal !== null) fatal = new Interrupted(stop.signal);

  // 4. report: a stopped run names why and every file it did not run
  const outcomes = ran(run);
  const reason = fatal !== null ? describe(fatal) : stopped;
  await clock.time('reports', () => writeReports(config, outcomes, reason === null ? undefined : { reason, notRun: notRun(config, run) }));
  run.reported = true;
  const notRunCount = selected.length - outcomes.length;
  reporter.finished(outcomes, notRunCount, fatal instanceof Interrupted ? fatal.message : stopped, clock.totalMs(), timeLine(clock.phases), fatal === null);
  if (fatal !== null) throw fatal;
  const failed = outcomes.some((o) => !filePassed(o));
  return failed || outcomes.some((o) => o.summary.bailout !== null) ? 1 : 0;
}

/** The signals that stop a run, and standard output closed by its reader. */
interface StopSignals {
  /** what stopped the run, once something has */
  readonly signal: Interrupted['signal'] | null;
  /** `work`, or an Interrupted as soon as a signal comes (`work` goes on; its failure is ignored) */
  race<T>(work: Promise<T>): Promise<T>;
  dispose(): void;
}

function stopSignals(): StopSignals {
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

interface Prepared {
  executors: Executor[];
  /** the setup files' results, by shown path */
  setupOutcomes: Map<string, FileOutcome>;
  /** where files run in order after one that committed changes: a new worker from the snapshot, or a server connection */
  chainExecutor: (executors: Executor[]) => Promise<Executor>;
}

/**
 * The database every file starts from, and the executors that run the files on
 * it: embedded, the snapshot (reused or built) and `jobs` workers restored from
 * it; server, a reset, the build, and `jobs` connections. A failed build is a BuildError.
 */
async function prepareDatabase(config: Config, setupFiles: string[], reporter: Reporter, jobs: number): Promise<Prepared> {
  const setupOutcomes = new Map<string, FileOutcome>();
  if (config.target.kind === 'embedded') {
    // the workers start now, loading their code while the snapshot is checked or built, and restore it once it is ready
    let snapshotReady!: (file: string) => void;
    let snapshotFailed!: (error: unknown) => void;
    const snapshotFile = new Promise<string>((resolve, reject) => {
      snapshotReady = resolve;
      snapshotFailed = reject;
    });
    const executors: Executor[] = [];
    for (let i = 0; i < jobs; i++) executors.push(new WorkerExecutor({ config }, snapshotFile, config.test.timeoutSeconds));
    const snapshot = await prepareSnapshot(config, setupFiles, reporter.buildOutput, (target, output, clock) =>
      buildDatabase(target, config, setupFiles, output, clock),
    ).catch(async (error: unknown) => {
      snapshotFailed(error);
      await Promise.all(executors.map((e) => e.close()));
      throw error;
    });
    snapshotReady(snapshot.file);
    const phases = timeLine(snapshot.phases);
    const total = seconds(snapshot.phases.reduce((sum, p) => sum + p.ms, 0));
    reporter.buildOutput.info(
      snapshot.reused
        ? `database: snapshot reused in ${total} (${phases}; hash ${snapshot.hash}, built ${snapshot.createdAt})`
        : `database: snapshot built in ${total} (${phases}; hash ${snapshot.hash}) and kept in ${shown(config, snapshot.file)}`,
    );
    for (const outcome of snapshot.setup) setupOutcomes.set(outcome.file, outcome);
    const chainExecutor = async () => {
      const executor = new WorkerExecutor({ config }, Promise.resolve(snapshot.file), config.test.timeoutSeconds);
      await executor.whenReady();
      return executor;
    };
    return { executors, setupOutcomes, chainExecutor };
  }
  const clock = phaseClock();
  const target = await clock.time('reset', () =>
    openResetTarget(config, reporter.buildOutput, { memory: true, action: 'reset the database before testing' }),
  );
  let baseline: ServerBaseline;
  try {
    const built = await buildDatabase(target, config, setupFiles, reporter.buildOutput, clock);
    for (const outcome of built.setup) setupOutcomes.set(outcome.file, outcome);
    baseline = { current: await clock.time('fingerprint', () => fingerprint(target)) };
  } finally {
    await target.close();
  }
  reporter.buildOutput.info(`database: built in ${seconds(clock.totalMs())} (${timeLine(clock.phases)})`);
  const url = config.target.url;
  const executors = await Promise.all(Array.from({ length: jobs }, () => ConnectionExecutor.open(url, config, baseline)));
  return { executors, setupOutcomes, chainExecutor: async (open) => open[0]! };
}

/**
 * The database could not be built: the failed migration or seed file is
 * reported as the run's one failure (on screen, in reports/junit.xml and
 * reports/tap/, replacing the last run's), no test runs, and the closing line
 * says so: exit 1. Anything else (a lost connection, a crash) is reported the
 * same way in reports/, then thrown: exit 2.
 */
async function buildFailed(error: BuildError, config: Config, reporter: Reporter, run: RunState, clock: PhaseClock): Promise<number> {
  const cause = error.cause;
  const step = { bootstrap: 'platform bootstrap', migrations: 'migration', seed: 'seed', pgTAP: 'pgTAP install', 'setup files': 'setup files', PGlite: 'database start' }[error.phase];
  const failure: FileOutcome = {
    file: cause instanceof SqlFileError ? cause.file : error.phase === 'migrations' ? shown(config, config.migrationsDir) : `(${step})`,
    tap: [],
    error: cause instanceof SqlFileError ? cause.formatted : describe(cause),
    durationMs: clock.phases.at(-1)?.ms ?? 0,
    summary: summariseTap([]),
    buildStep: step,
  };
  await clock.time('reports', () =>
    writeReports(config, [failure], { reason: `the database could not be built (${step})`, notRun: notRun(config, run) }),
  );
  run.reported = true;
  if (!(cause instanceof SqlFileError)) throw cause;
  reporter.fileDone(0, failure);
  reporter.finished([failure], run.selected.length, 'the database could not be built', clock.totalMs(), timeLine(clock.phases), true);
  return 1;
}

/**
 * How the first worker started: its code (loaded while the snapshot was checked
 * or built) and the snapshot's restore. The time line's phase is only the wait
 * that was left once the snapshot was ready.
 */
function workerStart(executors: Executor[]): string | undefined {
  const first = executors.find((e): e is WorkerExecutor => e instanceof WorkerExecutor && e.startup !== null)?.startup;
  return first ? `each: code ${seconds(first.loadMs)}, restore ${seconds(first.restoreMs)}` : undefined;
}

/** "start 1.2 s, database 9.8 s, files 2.0 s": every phase, in order. */
function timeLine(phases: Phase[]): string {
  return phases.map((p) => `${p.name} ${seconds(p.ms)}${p.detail !== undefined ? ` (${p.detail})` : ''}`).join(', ');
}
