/**
 * A mutation run on GitHub Actions (config.github), pure: each survivor an
 * error annotation on the migration line of the rule it weakens (locate.ts),
 * each wrong entry of the equivalents file (listed but killed, or naming no
 * mutant) one on that entry's line; and the job summary: the score, the table
 * per operator, the survivors with their lines. The mutate command writes them
 * as report/github.ts does the suite's.
 */
import { errorCommand, fenced, markdownText, type Annotation } from '../report/github.js';
import { outcomeOf, scoreDetail, scoreLine, scoreOf, type Verdict } from './report.js';
import type { RuleLocation } from './locate.js';
import type { Mutant } from './mutants.js';
import { OPERATORS } from './mutants.js';

export interface MutationFindings {
  verdicts: Verdict[];
  /** equivalents file entries that name no mutant */
  stale: string[];
  /** the equivalents file as shown, and its text (for an entry's line) */
  equivalentsFile: string;
  equivalentsText: string;
  locate: (mutant: Mutant) => RuleLocation | null;
}

/** The 1-based line where the equivalents file lists `id`, or null. */
function entryLine(text: string, id: string): number | null {
  const index = text.split('\n').findIndex((line) => line.trimEnd() === id);
  return index < 0 ? null : index + 1;
}

export function mutationAnnotations(f: MutationFindings): Annotation[] {
  const out: Annotation[] = [];
  const sorted = [...f.verdicts].sort((a, b) => a.mutant.id.localeCompare(b.mutant.id));
  for (const v of sorted) {
    const outcome = outcomeOf(v);
    if (outcome === 'survived') {
      const at = f.locate(v.mutant);
      out.push({
        file: at?.file ?? null,
        line: at?.line ?? null,
        title: `mutant survived: ${v.mutant.id}`,
        message: [
          `No test fails when this rule is weakened: ${v.mutant.weakens}`,
          `sql: ${v.mutant.sql}`,
          `Add a test that fails with it, or list it in ${f.equivalentsFile} with the reason it changes nothing observable.`,
        ].join('\n'),
      });
    } else if (outcome === 'listed but killed') {
      out.push({
        file: f.equivalentsFile,
        line: entryLine(f.equivalentsText, v.mutant.id),
        title: `listed as equivalent, but killed: ${v.mutant.id}`,
        message: `killed by ${v.result?.killedBy?.file}: ${v.result?.killedBy?.reason}\nRemove it from ${f.equivalentsFile}.`,
      });
    }
  }
  for (const id of f.stale) {
    out.push({
      file: f.equivalentsFile,
      line: entryLine(f.equivalentsText, id),
      title: `no such mutant: ${id}`,
      message: `${f.equivalentsFile} lists ${id}, which no longer exists (renamed or removed): remove or rename it.`,
    });
  }
  return out;
}

export function mutationCommands(f: MutationFindings): string[] {
  return mutationAnnotations(f).map((a) => errorCommand(a));
}

/** The job summary: score, the table per operator, then every finding with its line. */
export function mutationSummary(f: MutationFindings): string {
  const score = scoreOf(f.verdicts);
  const findings = mutationAnnotations(f);
  const out = [
    `### ${findings.length > 0 ? '❌' : '✅'} ${scoreLine(score)}`,
    '',
    markdownText(scoreDetail(score, f.equivalentsFile)),
    '',
    '| operator | killed | survived | equivalent | inert | n/a |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const operator of OPERATORS) {
    const mine = f.verdicts.filter((v) => v.mutant.operator === operator);
    if (mine.length === 0) continue;
    const s = scoreOf(mine);
    out.push(`| ${operator} | ${s.killed}/${s.counted} | ${s.survived} | ${s.equivalent} | ${s.inert} | ${s.notApplicable} |`);
  }
  out.push('');
  if (findings.length > 0) {
    out.push(`#### To fix (${findings.length})`, '');
    for (const a of findings) {
      const where = a.file === null ? '' : `\`${a.file}${a.line !== null ? `:${a.line}` : ''}\` `;
      out.push(`- ${where}${markdownText(a.title)}`, '', ...fenced(a.message.split('\n')).map((l) => `  ${l}`), '');
    }
  }
  return out.join('\n') + '\n';
}
