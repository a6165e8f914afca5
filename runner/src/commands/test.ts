/**
 * `test`: the pgTAP suite, on the database the repository defines.
 *
 * 1. Choose: every `supabase/tests/**\/*.sql` and `*.pg` (or the paths and globs given),
 *    then `--grep`, then `--shard i/n`; an unreadable file or no file at all is
 *    a usage error (exit 2) before anything is built.
 * 2. Build once: embedded, the snapshot of the migrated, seeded database with
 *    the setup files (suite/selection.ts) applied, reused when nothing changed;
 *    server, a reset and the same build on the server.
 * 3. Run (suite/run.ts): `--jobs N` workers (embedded, each restored from the snapshot) or
 *    connections (server), each file under `--timeout`, in a new session.
 *    After a file that committed changes, the files after it run again in
 *    order on a database that keeps what each commits, as under pg_prove.
 * 4. Report in path order (human or TAP), write reports/junit.xml and
 *    reports/tap/, end with `N passed, N failed`; on GitHub Actions, also an
 *    annotation on each failing line and the job summary (report/reporters/github.ts).
 * Exit 0 when everything passed, 1 on any failure, 2 on usage, configuration
 * or connection problems.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { checkMigrationFiles } from '../database/migrate.js';
import { BuildError, phaseClock, type Phase, type PhaseClock } from '../database/snapshot.js';
import { Interrupted, SqlFileError, describe } from '../errors.js';
import type { Output } from '../output.js';
import { claimReports, startReports, writeReports } from '../report/files.js';
import { chooseReporter, type Reporter } from '../report/registry.js';
import { seconds } from '../report/report.js';
import { WorkerExecutor, type Executor } from '../suite/executor.js';
import { chooseFiles } from '../suite/files.js';
import type { Job } from '../suite/jobs.js';
import { prepareRun, runSuite, stopSignals, type PreparedRun, type Stop } from '../suite/run.js';
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

async function runFiles(config: Config, output: Output, clock: PhaseClock, stop: Stop, run: RunState): Promise<number> {
  const { selected, setupFiles } = await chooseFiles(config);
  run.selected = selected;
  // the migration files' own problems refuse the run before anything is built or reset
  await checkMigrationFiles(config, 'build the database');
  // from here on, junit.xml says the run has not finished until it has: the last run's reports are gone
  await startReports(
    config,
    selected.map((f) => shown(config, f)),
  );
  run.started = true;
  clock.lap('selection');
  const reporter = chooseReporter(config, output);
  reporter.started(selected.length);
  const jobs = Math.max(1, Math.min(config.test.jobs, selected.filter((f) => !setupFiles.includes(f)).length));

  // 2. the database, built once
  let prepared: PreparedRun;
  try {
    prepared = await clock.time('database', () =>
      stop.race(prepareRun(config, setupFiles, reporter.buildOutput, { jobs, label: 'test', action: 'reset the database before testing' })),
    );
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    return buildFailed(error, config, reporter, run, clock);
  }
  reporter.buildOutput.info(builtLine(config, prepared));
  const { executors } = prepared;

  // 3. run, in parallel when asked; results by index, so the order is the paths' whatever the timing
  const results = run.results;
  const setup = new Map(prepared.setup.map((o) => [o.file, o]));
  const queue: { index: number; job: Job }[] = [];
  selected.forEach((file, index) => {
    const outcome = setup.get(shown(config, file));
    if (setupFiles.includes(file) && outcome !== undefined) results[index] = outcome;
    else queue.push({ index, job: { file, shown: shown(config, file) } });
  });
  let stopped: string | null = null;
  let fatal: unknown = null;
  try {
    await stop.race(Promise.all(executors.map((e) => e.whenReady())));
    if (config.target.kind === 'embedded') clock.lap(`${jobs} worker${jobs === 1 ? '' : 's'} ready`, workerStart(executors));
    else clock.lap('connections');
    ({ stopped, fatal } = await clock.time('files', () =>
      runSuite(executors, queue, results, {
        bail: config.test.bail,
        stop,
        chain: prepared.chain,
        started: (job) => reporter.fileStarted(job.shown),
        done: (outcome) => reporter.fileDone(outcome),
      }),
    ));
  } catch (error) {
    // the workers or connections could not start (a damaged snapshot, a refused connection), or a signal came
    fatal = error;
  } finally {
    await Promise.all(executors.map((e) => e.close()));
  }

  // 4. report: a stopped run names why and every file it did not run
  const outcomes = ran(run);
  const reason = fatal !== null ? describe(fatal) : stopped;
  await clock.time('reports', () => writeReports(config, outcomes, reason === null ? undefined : { reason, notRun: notRun(config, run) }));
  run.reported = true;
  const interrupted = fatal instanceof Interrupted ? fatal.message : null;
  reporter.finished({
    outcomes,
    notRun: selected.length - outcomes.length,
    stopped: interrupted ?? stopped,
    totalMs: clock.totalMs(),
    phases: timeLine(clock.phases),
    closing: fatal === null,
  });
  if (fatal !== null) throw fatal;
  const failed = outcomes.some((o) => !filePassed(o));
  return failed || outcomes.some((o) => o.summary.bailout !== null) ? 1 : 0;
}

/** How the database was made: the snapshot reused or built, or the server's build, with its time line. */
function builtLine(config: Config, prepared: PreparedRun): string {
  const { snapshot } = prepared;
  const total = seconds(prepared.phases.reduce((sum, p) => sum + p.ms, 0));
  const phases = timeLine(prepared.phases);
  if (snapshot === null) return `database: built in ${total} (${phases})`;
  return snapshot.reused
    ? `database: snapshot reused in ${total} (${phases}; hash ${snapshot.hash}, built ${snapshot.createdAt})`
    : `database: snapshot built in ${total} (${phases}; hash ${snapshot.hash}) and kept in ${shown(config, snapshot.file)}`;
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
  const step = {
    bootstrap: 'platform bootstrap',
    migrations: 'migration',
    seed: 'seed',
    pgTAP: 'pgTAP install',
    'setup files': 'setup files',
    PGlite: 'database start',
  }[error.phase];
  const failure: FileOutcome = {
    file: cause instanceof SqlFileError ? cause.file : error.phase === 'migrations' ? shown(config, config.migrationsDir) : `(${step})`,
    tap: [],
    error: cause instanceof SqlFileError ? cause.formatted : describe(cause),
    durationMs: clock.phases.at(-1)?.ms ?? 0,
    summary: summariseTap([]),
    buildStep: step,
  };
  await clock.time('reports', () => writeReports(config, [failure], { reason: `the database could not be built (${step})`, notRun: notRun(config, run) }));
  run.reported = true;
  if (!(cause instanceof SqlFileError)) throw cause;
  reporter.fileDone(failure);
  reporter.finished({
    outcomes: [failure],
    notRun: run.selected.length,
    stopped: 'the database could not be built',
    totalMs: clock.totalMs(),
    phases: timeLine(clock.phases),
    closing: true,
  });
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
