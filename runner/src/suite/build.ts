/**
 * The database a suite runs on: the project's database (bootstrap when
 * missing, every migration, the seed), then pgTAP and the setup files (000_*),
 * which commit on purpose: their objects stay for every file. Embedded, `test`
 * keeps it as a snapshot (database/snapshot.ts); on a server it is built once per run.
 */
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { ensurePgTap } from '../database/bootstrap.js';
import { rebuild } from '../database/reset.js';
import type { BuiltDatabase, Phase } from '../database/snapshot.js';
import type { Target } from '../database/target.js';
import type { Output } from '../output.js';
import { runPgTapFile } from './pgtap.js';
import type { FileOutcome } from './tap.js';

/** Bootstrap when missing, every migration, the seed, pgTAP, then the setup files. Each phase timed. */
export async function buildDatabase(
  target: Target,
  config: Config,
  setupFiles: string[],
  output: Output,
): Promise<BuiltDatabase<FileOutcome>> {
  const phases: Phase[] = [];
  const timed = async <R>(name: string, work: () => Promise<R>): Promise<R> => {
    const started = Date.now();
    const result = await work();
    phases.push({ name, ms: Date.now() - started });
    return result;
  };
  await rebuild(target, config, output, timed);
  await timed('pgtap', () => ensurePgTap(target));
  const setup: FileOutcome[] = [];
  await timed('setup files', async () => {
    for (const file of setupFiles) setup.push({ ...(await runPgTapFile(target, file, shown(config, file))), setup: true });
  });
  return { setup, phases };
}
