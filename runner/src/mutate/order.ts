/**
 * Which file to try first, pure. A mutant is killed by the first file that
 * fails, so the run is as fast as its guesses: the file that killed this very
 * mutant last time (the history, .data/mutate/killers.json), then the files
 * that killed mutants of the same kind on the same table in this run, then of
 * the same kind, then of the same table, then files that name the object or
 * its table, the quickest first. The order changes how soon a mutant dies,
 * never whether: a survivor has run every file.
 */
import type { Job } from '../lib/jobs.js';
import type { Mutant } from './mutants.js';

export interface SuiteFile {
  job: Job;
  /** the file's text, lower case, to find names in */
  text: string;
  /** how long it took in the control run */
  ms: number;
}

export class KillerMemory {
  private readonly kills = new Map<string, Map<string, number>>();

  /** `previous`: mutant id → the file that killed it in an earlier run */
  constructor(private readonly previous: ReadonlyMap<string, string> = new Map()) {}

  /** Notes that `file` killed `mutant`. */
  learn(mutant: Mutant, file: string): void {
    for (const key of keys(mutant)) {
      const counts = this.kills.get(key) ?? new Map<string, number>();
      counts.set(file, (counts.get(file) ?? 0) + 1);
      this.kills.set(key, counts);
    }
  }

  /** The files in the order to try them for `mutant`. */
  order(mutant: Mutant, files: SuiteFile[]): Job[] {
    const [sameKindSameTable, sameKind, sameTable] = keys(mutant).map((k) => this.kills.get(k));
    const names = mutant.names.map((n) => n.toLowerCase());
    const score = (file: SuiteFile): number => {
      const shown = file.job.shown;
      let s = 0;
      if (this.previous.get(mutant.id) === shown) s += 1_000_000;
      s += 10_000 * Math.min(9, sameKindSameTable?.get(shown) ?? 0);
      s += 1_000 * Math.min(9, sameKind?.get(shown) ?? 0);
      s += 100 * Math.min(9, sameTable?.get(shown) ?? 0);
      // the most specific name first: the object's own name counts most
      names.forEach((name, i) => {
        if (file.text.includes(name)) s += i === 0 ? 50 : 10;
      });
      return s;
    };
    return files
      .map((file) => ({ file, score: score(file) }))
      .sort((a, b) => b.score - a.score || a.file.ms - b.file.ms || a.file.job.shown.localeCompare(b.file.job.shown))
      .map(({ file }) => file.job);
  }
}

/** What a kill teaches: same operator and table, same operator, same table. */
function keys(mutant: Mutant): [string, string, string] {
  return [`${mutant.operator} ${mutant.table ?? '-'}`, mutant.operator, `table ${mutant.table ?? '-'}`];
}
