/**
 * `watch`: the developer loop. Builds a fresh in-memory database (bootstrap,
 * migrations, seed) and runs every pgTAP file, then watches supabase/: a saved
 * migration or seed (or config.toml) rebuilds the database and reruns every
 * file; a saved test file reruns that file. After each run it prints only what
 * changed: files that flipped between ok and FAIL, and their failing
 * assertions, each with its file:line and pgTAP's diagnostics (have / want) as
 * `test` shows them. The on-disk database (`db reset`, `db serve`) and a server
 * (DATABASE_URL: it says so) are not touched. Runs until Ctrl-C: idle, it exits
 * 0; during a run, the file running stops at its next statement, the files not
 * run are reported as not run, and it exits 130.
 */
import { existsSync, readdirSync, watch as watchFiles, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { glob } from 'zx';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { ensurePgTap } from '../database/bootstrap.js';
import { rebuild } from '../database/reset.js';
import { readSupabaseConfig } from '../config.js';
import { resolveSeedFiles } from '../database/supabase-config.js';
import { EmbeddedTarget } from '../database/target.js';
import { redact } from '../database/target.js';
import { Interrupted, describe } from '../errors.js';
import type { Output } from '../output.js';
import { printable, seconds } from '../report/report.js';
import type { Job } from '../suite/jobs.js';
import { runPgTapFile } from '../suite/pgtap.js';
import { runSuite, type Stop } from '../suite/run.js';
import { TEST_FILE_GLOB } from '../suite/selection.js';
import { assertionsOf, fileFaults, type FileOutcome } from '../suite/tap.js';
import {
  classifyChange,
  debounce,
  describeChanges,
  planRun,
  runSummary,
  type ChangeKind,
  type FileVerdict,
  type RunPlan,
  type WatchedPaths,
} from '../suite/watch-plan.js';

const DEBOUNCE_MS = 200;

/** A file's result, and each failure explained as `test` explains it: file:line and diagnostics, or the error. */
export function verdictOf(outcome: FileOutcome): FileVerdict {
  const failures: string[] = [];
  const details: Record<string, string[]> = {};
  for (const a of assertionsOf(outcome)) {
    if (a.ok || a.todo !== null) continue;
    const key = `${a.id} - ${printable(a.description) || '(no description)'}`;
    failures.push(key);
    details[key] = [...(a.line !== null ? [`at ${printable(outcome.file)}:${a.line}`] : []), ...a.diagnostics.map(printable)];
  }
  for (const fault of fileFaults(outcome)) {
    const key = printable(fault);
    failures.push(key);
    if (fault.startsWith('left changes behind')) details[key] = (outcome.leaks ?? []).map(printable);
    else if (outcome.error !== null) details[key] = outcome.error.split('\n').map(printable);
  }
  return { ok: failures.length === 0, passed: outcome.summary.passed, failures, details };
}

export async function watchCommand(config: Config, output: Output, stop: Promise<void> = untilSignal()): Promise<number> {
  let target: EmbeddedTarget | null = null;
  let verdicts = new Map<string, FileVerdict>();
  let first = true;
  const configFile = path.join(config.supabaseDir, 'config.toml');
  // config.toml as last read: a save changes [db.seed]
  let current = config;
  if (config.target.kind === 'server') {
    output.warn(`note: DATABASE_URL is set, but watch always builds its own in-memory database: the server ${redact(config.target.url)} is not used`);
  }
  // Ctrl-C: the run in progress stops at its next statement, and says what it did not run
  let interrupted = false;
  let cutShort = false;
  let running: Promise<void> | null = null;
  void stop.then(() => {
    interrupted = true;
  });

  const paths = async (): Promise<WatchedPaths> => {
    const { files } = await resolveSeedFiles(config.supabaseDir, current.seed.enabled ? current.seed.sqlPaths : []);
    return { migrationsDir: config.migrationsDir, testsDir: config.testsDir, seedFiles: files, configFile };
  };

  const run = async (plan: RunPlan): Promise<void> => {
    const started = Date.now();
    try {
      if (plan.rebuild || target === null) {
        await target?.close();
        target = null;
        const reread = readSupabaseConfig(config.supabaseDir, shown(config, configFile));
        // the command line printed the first reading's warnings
        if (!first) for (const warning of reread.warnings) output.warn(`warning: ${warning}`);
        if (reread.problems.length > 0) {
          for (const problem of reread.problems) output.warn(problem);
          output.warn('the database could not be built: fix config.toml and save again');
          return;
        }
        current = { ...config, seed: reread.config.seed };
        const fresh = await EmbeddedTarget.open(null);
        const messages: string[] = [];
        try {
          await rebuild(fresh, current, { info: (l) => messages.push(l), warn: (l) => output.warn(l) });
          await ensurePgTap(fresh);
        } catch (error) {
          await fresh.close();
          throw error;
        }
        target = fresh;
        if (first) for (const m of messages) output.info(m);
      }
      const all = (await glob(TEST_FILE_GLOB, { cwd: config.testsDir, absolute: true, onlyFiles: true })).sort();
      const files = plan.tests === 'all' ? all : plan.tests.filter((f) => existsSync(f));
      const next = plan.tests === 'all' ? new Map<string, FileVerdict>() : new Map(verdicts);
      if (plan.tests !== 'all') for (const f of plan.tests) if (!existsSync(f)) next.delete(shown(config, f));
      // one file after another on the database built above, what each commits kept for the next, as under pg_prove
      const results: (FileOutcome | undefined)[] = [];
      const queue = files.map((file, index) => ({ index, job: { file, shown: shown(config, file) } }));
      const inPlace = { run: (job: Job) => runPgTapFile(target!, job.file, job.shown, { stop: () => interrupted }) };
      // a file cut short by Ctrl-C did not fail: it did not run
      const stop: Stop = {
        get signal() {
          return interrupted ? 'SIGINT' : null;
        },
        race: (work) => work.then((outcome) => (interrupted ? Promise.reject(new Interrupted('SIGINT')) : outcome)),
      };
      const { fatal } = await runSuite([inPlace], queue, results, { bail: false, stop });
      if (fatal !== null && !(fatal instanceof Interrupted)) throw fatal;
      const ran = results.flatMap((outcome) => (outcome === undefined ? [] : [outcome.file]));
      for (const outcome of results) if (outcome !== undefined) next.set(outcome.file, verdictOf(outcome));
      if (interrupted) {
        cutShort = true;
        for (const line of describeChanges(first ? new Map() : verdicts, next, ran)) output.info(line);
        const notRun = files.length - ran.length;
        output.info(`interrupted: ${notRun} file${notRun === 1 ? '' : 's'} not run${ran.length > 0 ? ` (${ran.length} ran)` : ''}`);
        return;
      }
      const changes = describeChanges(first ? new Map() : verdicts, next, ran);
      if (first) {
        const failing = [...next].filter(([, v]) => !v.ok);
        output.info(`${next.size} files, ${failing.length} failing`);
        for (const line of describeChanges(
          new Map(),
          new Map(failing),
          failing.map(([f]) => f),
        ))
          output.info(line);
      } else {
        for (const line of changes) output.info(line);
        if (changes.length === 0) output.info('no file changed its result');
      }
      output.info(`${runSummary(next, first ? null : verdicts)} in ${seconds(Date.now() - started)}`);
      verdicts = next;
      first = false;
    } catch (error) {
      if (interrupted) {
        cutShort = true;
        output.info('interrupted: the database was being built, no file ran');
        return;
      }
      // a broken migration or seed: say so once, keep watching for the fix
      output.warn((error as { formatted?: string }).formatted ?? describe(error));
      output.warn('the database could not be built: fix the file and save again');
      await target?.close();
      target = null;
    }
  };

  output.info(`watch: building an in-memory database and running ${shown(config, config.testsDir)}`);
  running = run({ rebuild: true, tests: 'all' });
  await running;

  const onChange = debounce(DEBOUNCE_MS, async (files) => {
    if (interrupted) return;
    const watched = await paths();
    const changes = new Map<string, ChangeKind>();
    for (const file of files) {
      const kind = classifyChange(file, watched);
      if (kind !== null) changes.set(file, kind);
    }
    const plan = planRun(changes);
    if (plan === null) return;
    output.info('');
    output.info(`changed: ${[...changes].map(([f, k]) => `${shown(config, f)} (${k})`).join(', ')}`);
    output.info(plan.rebuild ? 'rebuilding the database, running every test file' : `running ${plan.tests.length} file(s)`);
    running = run(plan);
    await running;
  });
  const watcher = watchDirectories(config.supabaseDir, onChange);
  output.info(`watching ${shown(config, config.supabaseDir)} (migrations, seed, tests); Ctrl-C to stop`);
  try {
    await stop;
    // a run in progress stops at its next statement: its database is closed after it
    await running;
  } finally {
    watcher.close();
    await (target as EmbeddedTarget | null)?.close();
  }
  return cutShort ? 130 : 0;
}

/**
 * Watches every folder under `root` (new ones too), one fs.watch each. Node 20's
 * `recursive: true` on Linux watches files, and loses a file that an editor
 * saves by renaming a new one over it; a folder's watch sees every save.
 */
function watchDirectories(root: string, onFile: (file: string) => void): { close(): void } {
  const watchers = new Map<string, FSWatcher>();
  const add = (dir: string) => {
    if (watchers.has(dir)) return;
    try {
      watchers.set(
        dir,
        watchFiles(dir, (_event, name) => {
          if (name === null) return;
          const file = path.join(dir, name.toString());
          if (isWatchable(file)) add(file);
          onFile(file);
        }),
      );
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory() && !entry.name.startsWith('.')) add(path.join(dir, entry.name));
      }
    } catch {
      // gone meanwhile, or not a folder
    }
  };
  const isWatchable = (file: string) => {
    try {
      return !path.basename(file).startsWith('.') && readdirSync(file) !== undefined;
    } catch {
      return false;
    }
  };
  add(root);
  return {
    close: () => {
      for (const w of watchers.values()) w.close();
    },
  };
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
