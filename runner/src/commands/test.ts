/**
 * `test`: build a fresh database (embedded: in memory; server: reset, guarded),
 * then run every pgTAP file under supabase/tests, sorted by path, and print one
 * TAP stream ending with the closing line `N passed, N failed`.
 * Exit 0 when everything passed, 1 on any failure.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'zx';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { ensurePgTap } from '../lib/bootstrap.js';
import { usage } from '../lib/errors.js';
import type { Output } from '../lib/output.js';
import { runPgTapFile } from '../lib/pgtap.js';
import { closingLine, subtest, tally, type FileOutcome } from '../lib/tap.js';
import { openResetTarget, rebuild } from './reset.js';

export async function testCommand(config: Config, output: Output): Promise<number> {
  const files = await findTestFiles(config);
  const started = Date.now();
  // the build's own messages are TAP comments, so the stream stays valid TAP
  const commented: Output = { info: (l) => output.info(`# ${l}`), warn: (l) => output.warn(l) };
  output.info('TAP version 14');
  const target = await openResetTarget(config, commented, { memory: true, action: 'reset the database before testing' });
  try {
    await rebuild(target, config, commented);
    await ensurePgTap(target);
    commented.info(`database ready in ${Date.now() - started} ms`);
    const outcomes: FileOutcome[] = [];
    for (const file of files) {
      const outcome = await runPgTapFile(target, file, shown(config, file));
      outcomes.push(outcome);
      for (const line of subtest(outcome, outcomes.length)) output.info(line);
      if (outcome.summary.bailout !== null) break;
    }
    output.info(`1..${outcomes.length}`);
    const { passed, failed, failedFiles } = tally(outcomes);
    output.info(`# ${outcomes.length} files, ${failedFiles} failed, ${Date.now() - started} ms`);
    output.info(closingLine(passed, failed));
    return failed > 0 ? 1 : 0;
  } finally {
    await target.close();
  }
}

/** The `.sql` files under the given paths (default: the tests directory), sorted by path. */
export async function findTestFiles(config: Config): Promise<string[]> {
  const roots = config.testPaths.length > 0 ? config.testPaths.map((p) => path.resolve(config.root, p)) : [config.testsDir];
  const files = new Set<string>();
  for (const root of roots) {
    const info = await stat(root).catch(() => null);
    if (info === null) throw usage(`no such test file or directory: ${shown(config, root)}`);
    if (info.isFile()) files.add(root);
    else for (const file of await glob('**/*.sql', { cwd: root, absolute: true, onlyFiles: true })) files.add(file);
  }
  if (files.size === 0) throw usage(`no pgTAP files (*.sql) under ${roots.map((r) => shown(config, r)).join(', ')}`);
  return [...files].sort();
}
