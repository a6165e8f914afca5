/**
 * The files a run leaves for CI, whatever the reporter: reports/junit.xml and
 * reports/tap/<file>.tap (report.ts makes their content), in a folder the
 * runner claims before anything is built.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { shown, type Config } from '../config.js';
import { claimFolder, fileError, markFolder, writeAtomically } from '../database/folders.js';
import type { FileOutcome } from '../suite/tap.js';
import { junitXml, rawTap, type RunStop } from './report.js';

/**
 * reports/junit.xml and reports/tap/<file>.tap, for every file that ran; when
 * the run was stopped (`stopped`), an error naming why and every file that did
 * not run, in junit.xml and in tap/ (`run-stopped.tap`, and a `Bail out!` for
 * each file not run). The last run's reports go first, so a failed write never
 * leaves them beside this run's; each file is written whole or not at all.
 */
export async function writeReports(config: Config, outcomes: FileOutcome[], stopped?: RunStop): Promise<void> {
  const dir = await reportsDir(config);
  const tapFile = (file: string) => path.join(dir, 'tap', `${file.replace(/^(\.\.\/)+/, '').replace(/^\//, '')}.tap`);
  const write = async (file: string, content: string) => {
    try {
      await mkdir(path.dirname(file), { recursive: true });
    } catch (error) {
      throw fileError(error, `write the reports in ${shown(config, dir)}`);
    }
    await writeAtomically(file, content, shown(config, file));
  };
  for (const outcome of outcomes) await write(tapFile(outcome.file), rawTap(outcome));
  if (stopped !== undefined) {
    for (const file of stopped.notRun) await write(tapFile(file), `Bail out! not run: ${stopped.reason}\n`);
    await write(path.join(dir, 'tap', 'run-stopped.tap'), [`Bail out! ${stopped.reason}`, ...stopped.notRun.map((f) => `# not run: ${f}`)].join('\n') + '\n');
  }
  await write(path.join(dir, 'junit.xml'), junitXml(outcomes, stopped === undefined ? {} : { stopped }));
}

/**
 * Before a run: the reports folder is the runner's (or new, or empty) and
 * writable, or the run is refused before anything is built; the last run's
 * reports are removed and junit.xml says this run has not finished (`files`
 * not run), which stays if the process is killed before it writes its own.
 */
export async function startReports(config: Config, files: string[]): Promise<void> {
  const dir = await reportsDir(config);
  await writeAtomically(
    path.join(dir, 'junit.xml'),
    junitXml([], { stopped: { reason: `the run did not finish (it started at ${new Date().toISOString()} and wrote no report)`, notRun: files } }),
    shown(config, path.join(dir, 'junit.xml')),
  );
}

/** The reports folder, claimed and marked, without the last run's junit.xml and tap/. */
async function reportsDir(config: Config): Promise<string> {
  const dir = await claimReports(config);
  const shownDir = shown(config, dir);
  try {
    await rm(path.join(dir, 'tap'), { recursive: true, force: true });
    await rm(path.join(dir, 'junit.xml'), { force: true });
  } catch (error) {
    throw fileError(error, `remove the last run's reports from ${shownDir}`);
  }
  return dir;
}

/**
 * The reports folder, when it is the runner's (or new, or empty); refused
 * otherwise, nothing touched. `create` (default) makes and marks it, which
 * also proves it writable.
 */
export async function claimReports(config: Config, options: { create?: boolean } = {}): Promise<string> {
  const dir = config.test.reportsDir;
  const shownDir = shown(config, dir);
  const state = await claimFolder(dir, 'reports', shownDir, 'write the reports there');
  if (state !== 'marked' && options.create !== false) await markFolder(dir, 'reports', shownDir);
  return dir;
}
