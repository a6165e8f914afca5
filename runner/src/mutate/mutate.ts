/**
 * A mutation run: is every rule of the schema guarded by a test that fails
 * when the rule is weakened?
 *
 * 1. Before anything is built: the equivalents file parses, the suite's files
 *    can be read (the files `test` runs, setup files aside).
 * 2. Build once: embedded, `test`'s snapshot (reused when nothing changed);
 *    server, a reset and the same build. Read the catalogue; list the mutants
 *    (mutants.ts); keep those `--grep` selects.
 * 3. The control run: the suite, with no mutant, as mutants will run it
 *    (suite/mutant-run.ts), its files dealt among the workers. Every file must pass, or no
 *    verdict would mean anything; their times guide the order.
 * 4. Each mutant in turn on `jobs` workers (embedded; a server runs one at a
 *    time), its files ordered by order.ts, stopping at the first that fails.
 *    The history of which file killed which mutant is kept for the next run.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { shown, type Config } from '../config.js';
import type { Output } from '../output.js';
import { usage } from '../errors.js';
import { seconds } from '../report/report.js';
import type { Executor } from '../suite/executor.js';
import { setupSchemas } from '../suite/files.js';
import type { Job } from '../suite/jobs.js';
import type { MutantResult } from '../suite/mutant-run.js';
import { deal, prepareRun } from '../suite/run.js';
import { filePassed, summariseTap, type FileOutcome } from '../suite/tap.js';
import { readMutationCatalogue } from './catalogue.js';
import { EquivalentsError, parseEquivalents } from './equivalents.js';
import { listMutants, type Mutant } from './mutants.js';
import { KillerMemory, type SuiteFile } from './order.js';
import type { Verdict } from './report.js';

export interface MutationHooks {
  /** where the database build writes */
  buildOutput: Output;
  /** the mutants are listed: how many run, how many are inert, on how many workers, against how many files */
  listed?(run: number, inert: number, jobs: number, files: number): void;
  /** a mutant starts on a worker */
  started?(mutant: Mutant): void;
  /** a mutant has its verdict */
  done?(verdict: Verdict, finished: number, total: number): void;
}

export interface SuiteInput {
  /** the suite's files, setup files aside, in path order */
  files: string[];
  setupFiles: string[];
}

export type MutationRun =
  | { kind: 'listed'; mutants: Mutant[] }
  | { kind: 'control failed'; outcomes: FileOutcome[] }
  | {
      kind: 'ran';
      verdicts: Verdict[];
      /** equivalents file entries that name no mutant (full runs only) */
      stale: string[];
      jobs: number;
      /** where the time went */
      phases: string;
    };

/** The equivalents file's entries, read before anything is built; a missing file lists none. */
export async function readEquivalents(config: Config): Promise<Map<string, string>> {
  const file = config.mutate.equivalentsFile;
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw usage(`cannot read ${shown(config, file)}: ${error.message}`);
  });
  try {
    return parseEquivalents(text, shown(config, file));
  } catch (error) {
    if (error instanceof EquivalentsError) throw usage(`the equivalents file is malformed:\n${error.problems.map((p) => `  - ${p}`).join('\n')}`);
    throw error;
  }
}

export async function runMutation(config: Config, suite: SuiteInput, equivalents: Map<string, string>, hooks: MutationHooks): Promise<MutationRun> {
  const started = Date.now();
  const excluded = await setupSchemas(suite.setupFiles);
  const files: Job[] = suite.files.filter((f) => !suite.setupFiles.includes(f)).map((file) => ({ file, shown: shown(config, file) }));

  // 2. build once, read the catalogue
  const prepared = await prepareRun(config, suite.setupFiles, hooks.buildOutput, {
    jobs: 0,
    label: 'mutation',
    action: 'reset the database before mutation testing',
  });
  const { snapshot } = prepared;
  if (snapshot !== null) {
    hooks.buildOutput.info(
      snapshot.reused
        ? `database: snapshot reused (hash ${snapshot.hash})`
        : `database: snapshot built (hash ${snapshot.hash}) and kept in ${shown(config, snapshot.file)}`,
    );
  }
  const failedSetup = prepared.setup.filter((o) => !filePassed(o));
  if (failedSetup.length > 0) return { kind: 'control failed', outcomes: failedSetup };
  const reader = await prepared.read();
  let mutants: Mutant[];
  try {
    mutants = listMutants(await readMutationCatalogue(reader, excluded));
  } finally {
    await reader.close();
  }
  // a mutant's uncommitted DDL locks its table for every other session: one at a time on a server
  const jobs = config.target.kind === 'embedded' ? config.mutate.jobs : 1;
  const executors: Executor[] = [];
  try {
    const built = Date.now();

    const selected = config.test.grep === null ? mutants : mutants.filter((m) => config.test.grep!.test(m.id));
    if (selected.length === 0) throw usage(`no mutant matches --grep ${config.test.grep?.source}`);
    if (config.mutate.list) return { kind: 'listed', mutants: selected };
    const runnable = selected.filter((m) => m.inert === null);
    hooks.listed?.(runnable.length, selected.length - runnable.length, jobs, files.length);
    executors.push(...(await prepared.open(jobs)));

    // 3. the control run: every file, dealt among the executors
    await Promise.all(executors.map((e) => e.whenReady()));
    const ready = Date.now();
    const controls = await Promise.all(
      executors.map((e, k) => e.runMutant({ id: 'control', sql: null, files: files.filter((_, i) => i % executors.length === k) }, false)),
    );
    const controlOutcomes = controls.flatMap((c): FileOutcome[] =>
      c.status === 'timeout'
        ? [
            {
              file: c.killedBy!.file,
              tap: [],
              error: 'the control run was stopped while this file ran',
              durationMs: c.ms,
              summary: summariseTap([]),
              timedOutAfter: config.test.timeoutSeconds,
            },
          ]
        : (c.outcomes ?? []),
    );
    if (controlOutcomes.some((o) => !filePassed(o))) return { kind: 'control failed', outcomes: controlOutcomes.filter((o) => !filePassed(o)) };
    const controlMs = new Map(controls.flatMap((c) => c.files.map((f) => [f.file, f.ms] as const)));
    const suiteFiles: SuiteFile[] = await Promise.all(
      files.map(async (job) => ({ job, text: (await readFile(job.file, 'utf8')).toLowerCase(), ms: controlMs.get(job.shown) ?? 0 })),
    );
    const controlDone = Date.now();

    // 4. the mutants, the likely killer first
    const historyFile = path.join(path.dirname(config.test.snapshotDir), 'mutate', 'killers.json');
    const history = await readHistory(historyFile);
    const memory = new KillerMemory(history);
    const results = new Map<string, MutantResult>();
    let finished = 0;
    const verdictOf = (mutant: Mutant): Verdict => ({ mutant, result: results.get(mutant.id) ?? null, equivalent: equivalents.get(mutant.id) ?? null });
    const fatal = await deal(executors, runnable, async (executor, mutant) => {
      hooks.started?.(mutant);
      const result = await executor.runMutant({ id: mutant.id, sql: mutant.sql, files: memory.order(mutant, suiteFiles) }, true);
      results.set(mutant.id, result);
      if (result.killedBy !== null && result.status !== 'timeout') memory.learn(mutant, result.killedBy.file);
      hooks.done?.(verdictOf(mutant), ++finished, runnable.length);
    });
    if (fatal !== null) throw fatal;
    const mutantsDone = Date.now();

    for (const [id, result] of results) {
      if (result.killedBy !== null) history.set(id, result.killedBy.file);
      else history.delete(id);
    }
    await writeHistory(historyFile, history);

    const ids = new Set(mutants.map((m) => m.id));
    const stale = config.test.grep === null ? [...equivalents.keys()].filter((id) => !ids.has(id)) : [];
    const phases = [
      `database and catalogue ${seconds(built - started)}`,
      `${jobs} ${config.target.kind === 'embedded' ? `worker${jobs === 1 ? '' : 's'}` : 'connection'} ready ${seconds(ready - built)}`,
      `control run ${seconds(controlDone - ready)}`,
      `mutants ${seconds(mutantsDone - controlDone)}`,
    ].join(', ');
    return { kind: 'ran', verdicts: selected.map(verdictOf), stale, jobs, phases };
  } finally {
    await Promise.all(executors.map((e) => e.close()));
  }
}

async function readHistory(file: string): Promise<Map<string, string>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    return new Map(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return new Map();
  }
}

async function writeHistory(file: string, history: Map<string, string>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}`;
  await writeFile(temporary, JSON.stringify(Object.fromEntries([...history].sort(([a], [b]) => a.localeCompare(b))), null, 1) + '\n');
  await rename(temporary, file);
}
