/**
 * Which file to try first, pure. A mutant is killed by the first file that
 * fails, so the run is as fast as its guesses: the file that killed this very
 * mutant last time (the history, .data/mutate/killers.json), then what this
 * run has learnt so far (which files kill which operator on which table) and
 * which files name the table and the object. The order changes how soon a
 * mutant dies, never whether: a survivor has run every file.
 */
import type { Job } from '../suite/jobs.js';
import type { Mutant } from './mutants.js';

export interface SuiteFile {
  job: Job;
  /** the file's text, lower case, to find names in */
  text: string;
  /** how long it took in the control run */
  ms: number;
}

export class KillerMemory {
  /** kills counted by key (operator and table, operator, table), then by file */
  private readonly kills = new Map<string, Map<string, number>>();
  /** how often each file names a table, by table */
  private readonly mentions = new Map<string, Map<string, number>>();

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

  /**
   * The files in the order to try them for `mutant`: by the chance that a file
   * kills it over the square root of what the file costs (its time in the
   * control run), so a quick file with a fair chance goes before a slow one
   * with a slightly better one. The chance is the strongest of: it killed this
   * mutant last time (certain); its share of the kills of this operator on
   * this table; its share of this operator's kills, squared (an operator that
   * some structure file always catches, such as a dropped NOT NULL, follows
   * that file; one that each table's own file catches does not); a share of
   * the table's kills; its share of the mentions of the table's name; naming
   * the object at all.
   */
  order(mutant: Mutant, files: SuiteFile[]): Job[] {
    const [byBoth, byOperator, byTable] = keys(mutant).map((k) => this.kills.get(k));
    const share = (counts: Map<string, number> | undefined, file: string): number => {
      if (counts === undefined) return 0;
      let total = 0;
      for (const n of counts.values()) total += n;
      return total === 0 ? 0 : (counts.get(file) ?? 0) / total;
    };
    const name = mutant.names[0]?.toLowerCase();
    const tableMentions = mutant.table === null ? undefined : this.tableMentions(mutant.table.replace(/^.*\./, '').toLowerCase(), files);
    const chance = (file: SuiteFile): number => {
      const shown = file.job.shown;
      if (this.previous.get(mutant.id) === shown) return 1;
      return Math.max(
        share(byBoth, shown),
        share(byOperator, shown) ** 2,
        0.3 * share(byTable, shown),
        0.5 * share(tableMentions, shown),
        name !== undefined && file.text.includes(name) ? 0.2 : 0,
        0.01,
      );
    };
    return files
      .map((file) => ({ file, score: chance(file) / Math.sqrt(Math.max(1, file.ms)) }))
      .sort((a, b) => b.score - a.score || a.file.ms - b.file.ms || a.file.job.shown.localeCompare(b.file.job.shown))
      .map(({ file }) => file.job);
  }

  private tableMentions(table: string, files: SuiteFile[]): Map<string, number> {
    let counts = this.mentions.get(table);
    if (counts === undefined) {
      counts = new Map(files.map((f) => [f.job.shown, f.text.split(table).length - 1]));
      this.mentions.set(table, counts);
    }
    return counts;
  }
}

/** What a kill teaches: same operator and table, same operator, same table. */
function keys(mutant: Mutant): [string, string, string] {
  return [`${mutant.operator} ${mutant.table ?? '-'}`, mutant.operator, `table ${mutant.table ?? '-'}`];
}
