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
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'zx';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { usage } from '../lib/errors.js';
import { ConnectionExecutor, WorkerExecutor, type Executor, type ServerBaseline } from '../lib/executors.js';
import type { Job } from '../lib/jobs.js';
import { fingerprint } from '../lib/leaks.js';
import type { Output } from '../lib/output.js';
import { seconds } from '../lib/report.js';
import { humanReporter, tapReporter, writeReports } from '../lib/reporters.js';
import { grepFiles, isGlob, isSetupFile, shardFiles } from '../lib/selection.js';
import { buildDatabase, prepareSnapshot } from '../lib/snapshot.js';
import { filePassed, type FileOutcome } from '../lib/tap.js';
import { openResetTarget } from './reset.js';

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
    const snapshot = await prepareSnapshot(config, setupFiles, reporter.buildOutput);
    const phases = snapshot.phases.map((p) => `${p.name} ${seconds(p.ms)}`).join(', ');
    reporter.buildOutput.info(
      snapshot.reused
        ? `database: snapshot reused (hash ${snapshot.hash}, built ${snapshot.createdAt})`
        : `database: snapshot built (hash ${snapshot.hash}; ${phases}) and kept in ${shown(config, snapshot.file)}`,
    );
    databaseNote = `database ${snapshot.reused ? 'snapshot reused' : 'snapshot built'} in ${seconds(Date.now() - started)}`;
    for (const outcome of snapshot.setup) setupOutcomes.set(outcome.file, outcome);
    for (let i = 0; i < jobs; i++) executors.push(new WorkerExecutor({ snapshot: snapshot.bytes, config }, config.test.timeoutSeconds));
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
      queue.push({ index, job: { file, shown: shown(config, file) } });
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

/**
 * The files this run reports, in path order, and the setup files every run
 * applies. Unreadable files and an empty selection are usage errors.
 */
export async function chooseFiles(config: Config): Promise<{ selected: string[]; setupFiles: string[] }> {
  const all = await findTestFiles(config);
  const setupFiles = (await glob('**/*.sql', { cwd: config.testsDir, absolute: true, onlyFiles: false }).catch(() => []))
    .filter(isSetupFile)
    .sort();
  const grepped = grepFiles(all, config.test.grep, (f) => shown(config, f));
  if (grepped.length === 0) throw usage(`no test file matches --grep ${config.test.grep?.source}`);
  return { selected: shardFiles(grepped, config.test.shard), setupFiles };
}

/** The `.sql` files under the given paths or globs (default: the tests directory), sorted by path. */
export async function findTestFiles(config: Config): Promise<string[]> {
  const roots = config.testPaths.length > 0 ? config.testPaths : [config.testsDir];
  const files = new Set<string>();
  for (const root of roots) {
    if (isGlob(root)) {
      const matches = await glob(root, { cwd: config.root, absolute: true, onlyFiles: false });
      if (matches.length === 0) throw usage(`no file matches ${root}`);
      for (const match of matches) files.add(match);
      continue;
    }
    const resolved = path.resolve(config.root, root);
    const info = await stat(resolved).catch(() => null);
    if (info === null) throw usage(`no such test file or directory: ${shown(config, resolved)}`);
    if (info.isFile()) files.add(resolved);
    // onlyFiles false: a broken link is listed, to be reported unreadable rather than skipped
    else for (const file of await glob('**/*.sql', { cwd: resolved, absolute: true, onlyFiles: false })) files.add(file);
  }
  // folders named *.sql are not files; anything else that cannot be read is reported, all at once
  const unreadable: string[] = [];
  for (const file of [...files]) {
    const info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      files.delete(file);
      continue;
    }
    const problem = await access(file, constants.R_OK).then(
      () => null,
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    );
    if (problem !== null) unreadable.push(`${shown(config, file)} (${problem === 'ENOENT' ? 'ENOENT: a broken link, or deleted' : problem})`);
  }
  if (unreadable.length > 0) throw usage(`cannot read test file${unreadable.length === 1 ? '' : 's'}:\n${unreadable.map((u) => `  - ${u}`).join('\n')}`);
  if (files.size === 0) {
    throw usage(`no pgTAP files (*.sql) under ${roots.map((r) => (isGlob(r) ? r : shown(config, path.resolve(config.root, r)))).join(', ')}`);
  }
  return [...files].sort();
}

