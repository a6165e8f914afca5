/** `mutate`'s command line; the command is mutate.ts. */
import { RESET, TARGET, TEST, type RunnerCommand } from './options.js';

export const mutate: RunnerCommand = {
  name: 'mutate',
  summary: 'weaken the schema one rule at a time and run the suite against each',
  about: 'Survivors, then "mutation score: K of N killed"; reports/mutate-junit.xml; exit 1 on a survivor not\nlisted as equivalent.',
  options: {
    ...TARGET,
    ...RESET,
    jobs: { ...TEST.jobs, help: 'mutants at once (embedded); a server runs one at a time', default: 'every core' },
    grep: { ...TEST.grep, help: 'only mutants whose id ("<operator> <object>") matches' },
    timeout: { ...TEST.timeout, help: "time limit of one mutant's run of the suite" },
    'no-cache': TEST['no-cache'],
    'reports-dir': TEST['reports-dir'],
    'snapshot-dir': TEST['snapshot-dir'],
    equivalents: { value: 'FILE', help: 'the equivalent mutants, each with its reason', default: 'supabase/equivalent-mutants.txt' },
    list: { help: 'print the mutants and their SQL, run none' },
  },
  args: { kind: 'none' },
  run: async (config, output) => (await import('./mutate.js')).mutateCommand(config, output),
};
