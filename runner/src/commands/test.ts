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
import { chooseFiles, RLS_MATRIX } from '../suite/files.js';
import type { Job } from '../suite/jobs.js';
import { fingerprint } from '../suite/leaks.js';
import { isSetupFile } from '../suite/selection.js';
import { filePassed, type FileOutcome } from '../suite/tap.js';

export async function testCommand(config: Config, output: Output): Promise<number> {
  const started = Date.now();
  const { selected, setupFiles } = await chooseFiles(config);
  const reporter = config.test.reporter === 'tap' ? tapReporter(output) : humanReporter(output, config);
  reporter.started(selected.length);

  // 2. the database, built once
  const setupOutcomes = new Map<string, FileOutcome>();
  const executors: Executor[] = [];
  let databaseNote: string;
  const jobs = Math.max(1, Math.min(config.test.jobs, selected.filter((f) => !isSetupFile(f)).length));
  if (config.target.kind === 'embedded') {
    const snapshot = await prepareSnapshot(config, setupFiles, reporter.buildOutput, (target, output) =>
      buildDatabase(target, config, setupFiles, output),
    );
    const phases = snapshot.phases.map((p) => `${p.name} ${seconds(p.ms)}`).join(', ');
    reporter.buildOutput.info(
      snapshot.reused
        ? `database: snapshot reused (hash ${snapshot.hash}, built ${snapshot.createdAt})`
        : `database: snapshot built (hash ${snapshot.hash}; ${phases}) and kept in ${shown(config, snapshot.file)}`,
    );
    databaseNote = `database ${snapshot.reused ? 'snapshot reused' : 'snapshot built'} in ${seconds(Date.now() - started)}`;
    for (const outcome of snapshot.setup) setupOutcomes.set(outcome.file, outcome);
    for (let i = 0; i < jobs; i++) executors.push(new WorkerExecutor({ snapshotFile: snapshot.file, config }, config.test.timeoutSeconds));
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
    databaseNote = `database built in ${seconds(Date.now() - started)}`;
    if (config.target.kind !== 'server') throw new Error('unreachable');
    const url = config.target.url;
    executors.push(...(await Promise.all(Array.from({ length: jobs }, () => ConnectionExecutor.open(url, config, baseline)))));
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
      const kind = path.basename(file) === RLS_MATRIX ? 'extra' : 'sql';
      queue.push({ index, job: { file, shown: shown(config, file), kind } });
    }
  });
  let stopped: string | null = null;
  let fatal: unknown = null;
  let next = 0;
  let phases = databaseNote;
  try {
    const workersStarted = Date.now();
    await Promise.all(executors.map((e) => e.whenReady()));
    const filesStarted = Date.now();
    if (config.target.kind === 'embedded') phases += `, ${jobs} worker${jobs === 1 ? '' : 's'} ready in ${seconds(filesStarted - workersStarted)}`;
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
    phases += `, files ${seconds(Date.now() - filesStarted)}`;
  } finally {
    await Promise.all(executors.map((e) => e.close()));
  }

  // 4. report
  const outcomes = results.filter((r): r is FileOutcome => r !== undefined);
  await writeReports(config, outcomes);
  const notRun = selected.length - outcomes.length;
  reporter.finished(outcomes, notRun, stopped, Date.now() - started, phases, fatal === null);
  if (fatal !== null) throw fatal;
  const failed = outcomes.some((o) => !filePassed(o));
  return failed || outcomes.some((o) => o.summary.bailout !== null) ? 1 : 0;
}
