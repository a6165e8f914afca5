/**
 * The database a suite runs on: the project's database (bootstrap when
 * missing, every migration, the seed), then pgTAP and the setup files (selection.ts),
 * which commit on purpose: their objects stay for every file. Embedded, `test`
 * keeps it as a snapshot (database/snapshot.ts); on a server it is built once per run.
 */
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { ensurePgTap } from '../database/bootstrap.js';
import { rebuild } from '../database/reset.js';
import { BuildError, phaseClock, type BuiltDatabase, type PhaseClock } from '../database/snapshot.js';
import type { Target } from '../database/target.js';
import type { Output } from '../output.js';
import { runPgTapFile } from './pgtap.js';
import type { FileOutcome } from './tap.js';

/**
 * Bootstrap when missing, every migration, the seed, pgTAP, then the setup
 * files. Each phase on `clock`; a failure is a BuildError naming the phase.
 */
export async function buildDatabase(
  target: Target,
  config: Config,
  setupFiles: string[],
  output: Output,
  clock: PhaseClock = phaseClock(),
): Promise<BuiltDatabase<FileOutcome>> {
  let phase: BuildError['phase'] = 'bootstrap';
  const timed = <R>(name: BuildError['phase'], work: () => Promise<R>): Promise<R> => {
    phase = name;
    return clock.time(name, work);
  };
  const setup: FileOutcome[] = [];
  try {
    await rebuild(target, config, output, timed);
    await timed('pgTAP', () => ensurePgTap(target));
    await timed('setup files', async () => {
      for (const file of setupFiles) setup.push({ ...(await runPgTapFile(target, file, shown(config, file))), setup: true });
    });
  } catch (error) {
    throw new BuildError(phase, error);
  }
  return { setup, phases: clock.phases };
}
