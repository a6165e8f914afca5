/**
 * `test`: the pgTAP suite, on the database the repository defines.
 *
 * 1. Choose: every `supabase/tests/**\/*.sql` (or the paths and globs given),
 *    then `--grep`, then `--shard i/n`; an unreadable file or no file at all is
 *    a usage error (exit 2) before anything is built.
 * 2. Build once: embedded, the snapshot of the migrated, seeded database with
 *    the setup files (000_*) applied, reused when nothing changed; server, a
 *    reset and the same build on the server.
 * 3. Run: `--jobs N` workers (embedded, each restored from the snapshot) or
 *    connections (server), each file under `--timeout`, checked for leaks.
 * 4. Report in path order (human or TAP), write reports/junit.xml and
 *    reports/tap/, end with `N passed, N failed`.
 * Exit 0 when everything passed, 1 on any failure, 2 on usage, configuration
 * or connection problems.
 */
import path from 'node:path';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { openResetTarget } from '../database/reset.js';
import { prepareSnapshot } from '../database/snapshot.js';
import type { Output } from '../output.js';
import { seconds } from '../report/report.js';
import { humanReporter, tapReporter, writeReports } from '../report/reporters.js';
import { buildDatabase } from '../suite/build.js';
import { ConnectionExecutor, WorkerExecutor, type Executor, type ServerBaseline } from '../suite/executors.js';
import { chooseFiles } from '../suite/files.js';
import type { Job } from '../suite/jobs.js';
import { fingerprint } from '../suite/leaks.js';
import { isSetupFile } from '../suite/selection.js';
import { filePassed, type FileOutcome } from '../suite/tap.js';

export async function testCommand(config: Config, output: Output): Promise<number> {
  // performance.now() counts from the process's start: what came before this line is node starting and loading the runner
  const started = performance.now();
  const times = [`start ${seconds(started)}`];
  const { selected, setupFiles } = await chooseFiles(config);
  const reporter = config.test.reporter === 'tap' ? tapReporter(output) : humanReporter(output, config);
  reporter.started(selected.length);

  // 2. the database, built once
  const setupOutcomes = new Map<string, FileOutcome>();
  const executors: Executor[] = [];
  const jobs = Math.max(1, Math.min(config.test.jobs, selected.filter((f) => !isSetupFile(f)).length));
  try {
    if (config.target.kind === 'embedded') {
      // the workers start now and restore the snapshot once it is checked or built
      let snapshotReady!: (file: string) => void;
      let snapshotFailed!: (error: unknown) => void;
      const snapshotFile = new Promise<string>((resolve, reject) => {
        snapshotReady = resolve;
        snapshotFailed = reject;
      });
      for (let i = 0; i < jobs; i++) executors.push(new WorkerExecutor({ config }, snapshotFile, config.test.timeoutSeconds));
      const snapshot = await prepareSnapshot(config, setupFiles, reporter.buildOutput, (target, output) =>
        buildDatabase(target, config, setupFiles, output),
      ).catch((error: unknown) => {
        snapshotFailed(error);
        throw error;
      });
      snapshotReady(snapshot.file);
      const phases = snapshot.phases.map((p) => `${p.name} ${seconds(p.ms)}`).join(', ');
      reporter.buildOutput.info(
        snapshot.reused
          ? `database: snapshot reused (hash ${snapshot.hash}, built ${snapshot.createdAt})`
          : `database: snapshot built (hash ${snapshot.hash}; ${phases}) and kept in ${shown(config, snapshot.file)}`,
      );
      times.push(`snapshot ${snapshot.reused ? 'reused' : 'built'} ${seconds(performance.now() - started)}`);
      for (const outcome of snapshot.setup) setupOutcomes.set(outcome.file, outcome);
    } else {
      const target = await openResetTarget(config, reporter.buildOutput, { memory: true, action: 'reset the database before testing' });
      let baseline: ServerBaseline;
      try {
        const built = await buildDatabase(target, config, setupFiles, reporter.buildOutput);
        for (const outcome of built.setup) setupOutcomes.set(outcome.file, outcome);
        baseline = { current: await fingerprint(target) };
      } finally {
        await target.close();
      }
      times.push(`database built ${seconds(performance.now() - started)}`);
      if (config.target.kind !== 'server') throw new Error('unreachable');
      const url = config.target.url;
      executors.push(...(await Promise.all(Array.from({ length: jobs }, () => ConnectionExecutor.open(url, config, baseline)))));
    }
  } catch (error) {
    await Promise.all(executors.map((e) => e.close()));
    throw error;
  }

  // 3. run, in parallel when asked; results by index, so the order is the paths' whatever the timing
  const results: (FileOutcome | undefined)[] = new Array(selected.length);
  const queue: { index: number; job: Job }[] = [];
  selected.forEach((file, index) => {
    const setup = setupOutcomes.get(shown(config, file));
    if (isSetupFile(file) && setup !== undefined) {
      results[index] = setup;
      reporter.fileDone(index, setup);
    } else {
      queue.push({ index, job: { file, shown: shown(config, file) } });
    }
  });
  let stopped: string | null = null;
  let fatal: unknown = null;
  let next = 0;
  try {
    const workersWaited = performance.now();
    await Promise.all(executors.map((e) => e.whenReady()));
    const filesStarted = performance.now();
    if (config.target.kind === 'embedded') times.push(workerTimes(executors, filesStarted - workersWaited));
    await Promise.all(
      executors.map(async (executor) => {
        while (stopped === null && fatal === null && next < queue.length) {
          const { index, job } = queue[next++]!;
          reporter.fileStarted(job.shown);
          try {
            const outcome = await executor.run(job);
            results[index] = outcome;
            reporter.fileDone(index, outcome);
            if (outcome.summary.bailout !== null) stopped ??= `Bail out! in ${outcome.file}: ${outcome.summary.bailout}`;
            else if (config.test.bail && !filePassed(outcome)) stopped ??= `--bail: ${outcome.file} failed`;
          } catch (error) {
            fatal ??= error;
          }
        }
      }),
    );
    times.push(`files ${seconds(performance.now() - filesStarted)}`);
  } finally {
    await Promise.all(executors.map((e) => e.close()));
  }

  // 4. report
  const reportsStarted = performance.now();
  const outcomes = results.filter((r): r is FileOutcome => r !== undefined);
  await writeReports(config, outcomes);
  const notRun = selected.length - outcomes.length;
  times.push(`reports ${seconds(performance.now() - reportsStarted)}`);
  reporter.finished(outcomes, notRun, stopped, performance.now(), times.join(', '), fatal === null);
  if (fatal !== null) throw fatal;
  const failed = outcomes.some((o) => !filePassed(o));
  return failed || outcomes.some((o) => o.summary.bailout !== null) ? 1 : 0;
}

/**
 * The wait for the workers after the snapshot was ready, and how the first one
 * started: its thread and code (overlapping the snapshot's check or build), then
 * reading and restoring the snapshot.
 */
function workerTimes(executors: Executor[], waitedMs: number): string {
  const n = executors.length;
  const first = executors.find((e): e is WorkerExecutor => e instanceof WorkerExecutor && e.startup !== null)?.startup;
  const detail = first ? ` (each: code ${seconds(first.loadMs)}, restore ${seconds(first.restoreMs)})` : '';
  return `${n} worker${n === 1 ? '' : 's'} ready ${seconds(waitedMs)}${detail}`;
}
