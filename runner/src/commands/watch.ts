/**
 * `watch`: the developer loop. Builds a fresh in-memory database (bootstrap,
 * migrations, seed) and runs every pgTAP file, then watches supabase/: a saved
 * migration or seed (or config.toml) rebuilds the database and reruns every
 * file; a saved test file reruns that file. After each run it prints only what
 * changed: files that flipped between ok and FAIL, and their failing
 * assertions. The on-disk database (`make db`, `db serve`) is not touched.
 * Runs until Ctrl-C.
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
import { describe } from '../errors.js';
import type { Output } from '../output.js';
import { seconds } from '../report/report.js';
import { runPgTapFile } from '../suite/pgtap.js';
import { fileFaults, type FileOutcome } from '../suite/tap.js';
import {
  classifyChange, debounce, describeChanges, planRun, runSummary,
  type ChangeKind, type FileVerdict, type RunPlan, type WatchedPaths,
} from '../suite/watch-plan.js';

const DEBOUNCE_MS = 200;

export function verdictOf(outcome: FileOutcome): FileVerdict {
  const faults = fileFaults(outcome);
  return {
    ok: faults.length === 0 && outcome.summary.failedAssertions === 0,
    passed: outcome.summary.passed,
    failures: [...outcome.summary.failures.map((f) => `${f.id ?? '?'} - ${f.name}`), ...faults],
  };
}

export async function watchCommand(config: Config, output: Output, stop: Promise<void> = untilSignal()): Promise<number> {
  let target: EmbeddedTarget | null = null;
  let verdicts = new Map<string, FileVerdict>();
  let first = true;
  const configFile = path.join(config.supabaseDir, 'config.toml');
  // config.toml as last read: a save changes [db.seed]
  let current = config;

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
      const all = (await glob('**/*.sql', { cwd: config.testsDir, absolute: true, onlyFiles: true })).sort();
      const files = plan.tests === 'all' ? all : plan.tests.filter((f) => existsSync(f));
      const next = plan.tests === 'all' ? new Map<string, FileVerdict>() : new Map(verdicts);
      if (plan.tests !== 'all') for (const f of plan.tests) if (!existsSync(f)) next.delete(shown(config, f));
      const ran: string[] = [];
      for (const file of files) {
        const name = shown(config, file);
        next.set(name, verdictOf(await runPgTapFile(target, file, name)));
        ran.push(name);
      }
      const changes = describeChanges(first ? new Map() : verdicts, next, ran);
      if (first) {
        const failing = [...next].filter(([, v]) => !v.ok);
        output.info(`${next.size} files, ${failing.length} failing`);
        for (const line of describeChanges(new Map(), new Map(failing), failing.map(([f]) => f))) output.info(line);
      } else {
        for (const line of changes) output.info(line);
        if (changes.length === 0) output.info('no file changed its result');
      }
      output.info(`${runSummary(next, first ? null : verdicts)} in ${seconds(Date.now() - started)}`);
      verdicts = next;
      first = false;
    } catch (error) {
      // a broken migration or seed: say so once, keep watching for the fix
      output.warn((error as { formatted?: string }).formatted ?? describe(error));
      output.warn('the database could not be built: fix the file and save again');
      await target?.close();
      target = null;
    }
  };

  output.info(`watch: building an in-memory database and running ${shown(config, config.testsDir)}`);
  await run({ rebuild: true, tests: 'all' });

  const onChange = debounce(DEBOUNCE_MS, async (files) => {
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
    await run(plan);
  });
  const watcher = watchDirectories(config.supabaseDir, onChange);
  output.info(`watching ${shown(config, config.supabaseDir)} (migrations, seed, tests); Ctrl-C to stop`);
  try {
    await stop;
  } finally {
    watcher.close();
    await (target as EmbeddedTarget | null)?.close();
  }
  return 0;
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
  return { close: () => watchers.forEach((w) => w.close()) };
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
