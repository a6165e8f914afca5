/**
 * On GitHub Actions, around the chosen reporter: at the end of the run, the
 * annotations of every failing file (standard error) and the job summary
 * (the formatting is ../github.ts's). Each file's text is read only for a
 * leak's commit line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import type { Output } from '../../output.js';
import { filePassed, keptChanges } from '../../suite/tap.js';
import { annotationsOf, appendSummary, commitLine, errorCommand, summaryMarkdown } from '../github.js';
import type { Reporter } from '../registry.js';

export function githubReporter(inner: Reporter, output: Output, config: Config): Reporter {
  const summaryFile = config.github?.summaryFile ?? null;
  const textOf = (file: string): string | null => {
    try {
      return readFileSync(path.resolve(config.root, file), 'utf8');
    } catch {
      return null;
    }
  };
  return {
    ...inner,
    finished(end) {
      for (const outcome of end.outcomes) {
        // a file that committed changes every later file ran with (as under pg_prove): a warning at its commit
        const kept = keptChanges(outcome);
        if (kept.length > 0) {
          const text = textOf(outcome.file);
          output.warn(
            errorCommand({ file: outcome.file, line: text === null ? null : commitLine(text), title: kept[0]!, message: kept.join('\n') }, 'warning'),
          );
        }
        if (filePassed(outcome)) continue;
        const leaked = (outcome.leaks ?? []).length > 0;
        for (const a of annotationsOf(outcome, leaked ? textOf(outcome.file) : null)) output.warn(errorCommand(a));
      }
      inner.finished(end);
      const { outcomes, notRun, stopped, totalMs } = end;
      appendSummary(summaryFile, summaryMarkdown(outcomes, { shard: config.test.shard, notRun, stopped, totalMs, textOf }), output);
    },
  };
}
