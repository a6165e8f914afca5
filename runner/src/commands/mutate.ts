/**
 * `mutate`: would the suite fail if a rule of the schema were weakened? Builds
 * the database once, lists mutants from the catalogue (runner/src/mutate/),
 * runs the suite against each (stopping at the first failing file), prints
 * the survivors with the SQL that made them and the rule they weaken, then
 * `mutation score: K of N killed`. Writes reports/mutate-junit.xml; on GitHub
 * Actions, annotates each survivor on its rule's migration line and writes
 * the job summary (mutate/github.ts).
 *
 * Exit 0 when every mutant that counts is killed and the equivalents file is
 * true; 1 on a survivor it does not list, a listed mutant that was killed or
 * no longer exists, or a suite that fails with no mutant; 2 on usage,
 * configuration or connection problems (a malformed equivalents file among
 * them, reported before anything is built).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Chalk } from 'chalk';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { readMigrations } from '../database/migration-files.js';
import { writeAtomically } from '../database/folders.js';
import { mutationCommands, mutationSummary, type MutationFindings } from '../mutate/github.js';
import { locateRule } from '../mutate/locate.js';
import { readEquivalents, runMutation } from '../mutate/mutate.js';
import { listedButKilledLines, mutationJunit, operatorLines, orderLine, outcomeOf, scoreDetail, scoreLine, scoreOf, survivorLines } from '../mutate/report.js';
import type { Output } from '../output.js';
import { appendSummary } from '../report/github.js';
import { failureLines, fileLine, seconds } from '../report/report.js';
import { claimReports } from '../report/files.js';
import { chooseFiles } from '../suite/files.js';

export const JUNIT_FILE = 'mutate-junit.xml';

export async function mutateCommand(config: Config, output: Output): Promise<number> {
  const started = Date.now();
  const terminal = output.isTTY === true;
  const c = new Chalk({ level: terminal && config.test.colour ? 1 : 0 });
  const equivalentsShown = shown(config, config.mutate.equivalentsFile);

  // checks before anything is built: the reports folder, the equivalents file, the suite's files (every one: --grep selects mutants)
  await claimReports(config);
  const equivalents = await readEquivalents(config);
  const { selected, setupFiles } = await chooseFiles({ ...config, testPaths: [], test: { ...config.test, grep: null, shard: null } });

  let total = 0;
  let killed = 0;
  let survived = 0;
  let lastLogged = 0;
  const running = new Set<string>();
  const progress = (finished: number) => {
    const line = `[${finished}/${total}] ${killed} killed, ${survived} survived`;
    if (terminal && output.status !== undefined) output.status(c.dim(`${line}${running.size > 0 ? ` · ${[...running].join(', ')}` : ''}`));
    else if (finished === total || finished - lastLogged >= Math.max(25, Math.ceil(total / 10))) {
      lastLogged = finished;
      output.info(line);
    }
  };
  const run = await runMutation(config, { files: selected, setupFiles }, equivalents, {
    buildOutput: { info: (line) => output.info(c.dim(line)), warn: (line) => output.warn(c.yellow(line)) },
    listed: (count, inert, jobs, files) => {
      total = count;
      const where = config.target.kind === 'embedded' ? `worker${jobs === 1 ? '' : 's'}` : 'connection';
      output.info(
        `mutate: ${count} mutants to run (${inert} inert, not run) on ${jobs} ${where}, after a control run of the suite (${files} file${files === 1 ? '' : 's'})`,
      );
    },
    started: (mutant) => {
      running.add(mutant.id);
    },
    done: (verdict, finished) => {
      running.delete(verdict.mutant.id);
      const outcome = outcomeOf(verdict);
      if (outcome === 'killed' || outcome === 'timeout' || outcome === 'listed but killed') killed++;
      if (outcome === 'survived') survived++;
      progress(finished);
    },
  });
  output.status?.('');

  if (run.kind === 'listed') {
    for (const m of run.mutants) {
      output.info(`${m.id}${m.inert !== null ? c.dim(`  (inert: ${m.inert})`) : ''}`);
      for (const line of m.sql.split('\n')) output.info(c.dim(`    ${line}`));
    }
    output.info(`${run.mutants.length} mutants, ${run.mutants.filter((m) => m.inert !== null).length} of them inert`);
    return 0;
  }
  if (run.kind === 'control failed') {
    output.warn(c.red('mutate: the suite fails with no mutant, so no mutant can be judged (fix it first: pg-tap-runner test):'));
    for (const outcome of run.outcomes) {
      output.warn(fileLine(outcome, c));
      for (const line of failureLines(outcome, c)) output.warn(line);
    }
    return 1;
  }

  const score = scoreOf(run.verdicts);
  const verdicts = [...run.verdicts].sort((a, b) => a.mutant.id.localeCompare(b.mutant.id));
  const survivors = verdicts.filter((v) => outcomeOf(v) === 'survived');
  const wrong = verdicts.filter((v) => outcomeOf(v) === 'listed but killed');
  const inapplicable = verdicts.filter((v) => outcomeOf(v) === 'not applicable');

  output.info('');
  for (const line of operatorLines(run.verdicts)) output.info(line);
  if (inapplicable.length > 0) {
    output.info('');
    output.info(c.yellow(`not applicable (PostgreSQL refused the mutant; not counted):`));
    for (const v of inapplicable) output.info(`  ${v.mutant.id}: ${v.result?.applyError}`);
  }
  for (const v of survivors) {
    output.info('');
    for (const line of survivorLines(v, c)) output.info(line);
  }
  for (const v of wrong) {
    output.info('');
    for (const line of listedButKilledLines(v, c, equivalentsShown)) output.info(line);
  }
  if (run.stale.length > 0) {
    output.info('');
    output.info(
      c.red(
        `✗ ${equivalentsShown} lists mutant${run.stale.length === 1 ? '' : 's'} that no longer exist (renamed or removed): remove or rename ${run.stale.length === 1 ? 'it' : 'them'}`,
      ),
    );
    for (const id of run.stale) output.info(`    ${id}`);
  }
  if (survivors.length > 0) {
    output.info('');
    output.info(
      `${survivors.length} survivor${survivors.length === 1 ? '' : 's'}: add a test that fails with ${survivors.length === 1 ? 'it' : 'each'}, ` +
        `or list ${survivors.length === 1 ? 'it' : 'each'} in ${equivalentsShown} with the reason it changes nothing observable`,
    );
  }

  // on GitHub Actions: each survivor annotated on its rule's migration line, and the job summary
  if (config.github !== null) {
    const migrations = (await readMigrations(config.migrationsDir, shown(config, config.migrationsDir))).files;
    const findings: MutationFindings = {
      verdicts: run.verdicts,
      stale: run.stale,
      equivalentsFile: equivalentsShown,
      equivalentsText: await readFile(config.mutate.equivalentsFile, 'utf8').catch(() => ''),
      locate: (mutant) => locateRule(mutant, migrations),
    };
    for (const command of mutationCommands(findings)) output.warn(command);
    appendSummary(config.github.summaryFile, mutationSummary(findings), output);
  }

  const junit = path.join(config.test.reportsDir, JUNIT_FILE);
  await writeAtomically(junit, mutationJunit(run.verdicts, run.stale, equivalentsShown), shown(config, junit));

  output.info('');
  output.info(`${scoreDetail(score, equivalentsShown)}`);
  const order = orderLine(run.verdicts);
  if (order !== '') output.info(order);
  output.info(`time ${seconds(Date.now() - started)} (${run.phases}); ${shown(config, junit)}`);
  output.info(scoreLine(score));
  return survivors.length > 0 || wrong.length > 0 || run.stale.length > 0 ? 1 : 0;
}
