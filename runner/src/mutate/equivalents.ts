/**
 * The committed list of equivalent mutants, pure: survivors that change nothing
 * anyone can observe, each with the reason a reviewer can check ("another rule
 * already refuses this path because ..."). The score leaves them out; the run
 * fails when a listed mutant is killed (the reason no longer holds) or no
 * longer exists (its object was renamed or removed).
 *
 * The file: `#` comments and blank lines; each entry is a mutant id at the
 * start of a line, as `mutate` prints it, then its reason on the indented
 * lines under it.
 *
 *   roles-public public.notes.notes_select_published
 *       authenticated already reads every published note through
 *       notes_select_own_or_published, so ...
 */
import { OPERATORS } from './mutants.js';

export class EquivalentsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Mutant id → reason. Throws EquivalentsError listing every problem of the file. */
export function parseEquivalents(text: string, file: string): Map<string, string> {
  const entries = new Map<string, string>();
  const problems: string[] = [];
  let current: { id: string; line: number; reason: string[] } | null = null;
  const close = () => {
    if (current === null) return;
    if (current.reason.length === 0)
      problems.push(`${file}:${current.line}: ${current.id} has no reason: say why it changes nothing observable, indented under it`);
    else if (entries.has(current.id)) problems.push(`${file}:${current.line}: ${current.id} is listed twice`);
    else entries.set(current.id, current.reason.join(' '));
    current = null;
  };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    if (/^\s/.test(line)) {
      if (current === null) problems.push(`${file}:${i + 1}: a reason with no mutant id above it`);
      else current.reason.push(line.trim());
      return;
    }
    close();
    const match = /^(\S+) (\S+)$/.exec(line);
    if (match === null || !(OPERATORS as readonly string[]).includes(match[1]!)) {
      problems.push(`${file}:${i + 1}: "${line}" is not a mutant id (<operator> <object>, operator one of ${OPERATORS.join(', ')})`);
      return;
    }
    current = { id: line, line: i + 1, reason: [] };
  });
  close();
  if (problems.length > 0) throw new EquivalentsError(problems);
  return entries;
}
