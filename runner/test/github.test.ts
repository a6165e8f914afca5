/**
 * The runner on GitHub Actions (GITHUB_ACTIONS=true): the annotations and the
 * job summary of a failing fixture suite (the faults project, plus a file
 * whose description needs escaping) and of a mutation run with survivors;
 * the escaping read back the way GitHub's runner reads workflow commands;
 * where each mutant's rule is found in migrations.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';
import { Parser } from 'tap-parser';
import { mutateCommand } from '../src/commands/mutate.js';
import { testCommand } from '../src/commands/test.js';
import type { Flags } from '../src/config.js';
import { locateRule, type MigrationText } from '../src/mutate/locate.js';
import type { Mutant, Operator } from '../src/mutate/mutants.js';
import { memoryOutput } from '../src/output.js';
import { errorCommand, escapeData, escapeProperty, markdownText } from '../src/report/github.js';
import { FIXTURES, SCRATCH, copyFixture, fixtureConfig } from './helpers.js';

/**
 * A workflow command read as GitHub's runner reads it (actions/runner,
 * ActionCommand.TryParseV2): the name up to a space, properties split at `,`
 * and `=`, the data after the next `::`; then each value unescaped.
 */
function parseCommand(line: string): { name: string; properties: Record<string, string>; data: string } | null {
  if (!line.startsWith('::')) return null;
  const end = line.indexOf('::', 2);
  if (end < 0) return null;
  const info = line.slice(2, end);
  const space = info.indexOf(' ');
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .split(',')
      .filter((p) => p !== '')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = githubUnescape(pair.slice(eq + 1), true);
    }
  }
  return { name: space < 0 ? info : info.slice(0, space), properties, data: githubUnescape(line.slice(end + 2), false) };
}

/** GitHub's unescaping: each escape replaced in turn, %25 last. */
function githubUnescape(text: string, property: boolean): string {
  const mappings: [string, string][] = [
    ['%0D', '\r'],
    ['%0A', '\n'],
    ...(property
      ? ([
          ['%3A', ':'],
          ['%2C', ','],
        ] as [string, string][])
      : []),
    ['%25', '%'],
  ];
  return mappings.reduce((t, [from, to]) => t.split(from).join(to), text);
}

test('escaping: data escapes %, CR and LF; a property also : and ,; GitHub reads back the original', () => {
  assert.equal(escapeData('50% done\r\nnext: a, b'), '50%25 done%0D%0Anext: a, b');
  assert.equal(escapeProperty('50% done\r\nnext: a, b'), '50%25 done%0D%0Anext%3A a%2C b');
  // text that looks escaped already stays itself
  assert.equal(escapeData('%0A %25'), '%250A %2525');

  const nasty = 'a %0A literal, a real\nnewline: 100% and %3A\r';
  const line = errorCommand({ file: 'supabase/tests/a, b: c.sql', line: 7, title: nasty, message: nasty });
  assert.equal(line.split('\n').length, 1, 'one line');
  assert.deepEqual(parseCommand(line), {
    name: 'error',
    properties: { file: 'supabase/tests/a, b: c.sql', line: '7', title: nasty },
    data: nasty,
  });
  // without a line: the file alone
  assert.equal(errorCommand({ file: 'x.sql', line: null, title: 't', message: 'm' }), '::error file=x.sql,title=t::m');
});

test('Markdown text: HTML and Markdown characters escaped, one line', () => {
  assert.equal(markdownText('a <b> & `c` | *d* _e_ [f]\ng'), 'a &lt;b&gt; &amp; \\`c\\` \\| \\*d\\* \\_e\\_ \\[f\\] g');
});

// ------------------------------------------------------------------ a failing suite

const ESCAPING_FILE = `begin;
select plan(2);
select ok(true, 'this one passes');
select is('100%'::text, '50%', 'a 50% share: kept, or not');
select * from finish();
rollback;
`;

let project: string;
let run: { code: number; lines: string[]; warnings: string[]; summary: string };
async function runSuite(flags: Flags = {}, name = 'suite') {
  const summaryFile = path.join(SCRATCH, `github-summary-${name}.md`);
  await writeFile(summaryFile, '# an earlier step\n');
  const output = memoryOutput();
  const config = fixtureConfig(
    project,
    { timeout: 4, 'reports-dir': path.join(SCRATCH, `github-reports-${name}`), ...flags },
    {
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summaryFile,
    },
  );
  const code = await testCommand(config, output);
  return { code, lines: output.lines, warnings: output.warnings, summary: await readFile(summaryFile, 'utf8') };
}

before(async () => {
  project = await copyFixture('faults');
  await writeFile(path.join(project, 'supabase/tests/200_escaping.sql'), ESCAPING_FILE);
  run = await runSuite();
});

test('each failure is an error annotation on its file, at the line of the failing statement', () => {
  assert.equal(run.code, 1);
  const annotations = run.warnings.filter((w) => w.startsWith('::'));
  const at = (file: string) => annotations.filter((a) => a.startsWith(`::error file=supabase/tests/${file},`));
  // a failed assertion: its description as the title, pgTAP's diagnostics as the message
  assert.deepEqual(at('020_fail.sql'), [
    '::error file=supabase/tests/020_fail.sql,line=4,title=not ok 2 - arithmetic & <xml> "escaping" fails on purpose::' +
      'not ok 2 - arithmetic & <xml> "escaping" fails on purpose%0Ahave: 2%0Awant: 3',
  ]);
  // %, : and , escaped in the title; % in the message
  assert.deepEqual(at('200_escaping.sql'), [
    '::error file=supabase/tests/200_escaping.sql,line=4,title=not ok 2 - a 50%25 share%3A kept%2C or not::' +
      'not ok 2 - a 50%25 share: kept, or not%0Ahave: 100%25%0Awant: 50%25',
  ]);
  // an SQL error: at its statement's line, the located error as the message
  const sqlError = at('030_sql_error.sql');
  assert.equal(sqlError.length, 1);
  assert.match(
    sqlError[0]!,
    /^::error file=supabase\/tests\/030_sql_error\.sql,line=5,title=SQL error::supabase\/tests\/030_sql_error\.sql:5:25: ERROR: relation "public\.no_such_table" does not exist%0A/,
  );
  assert.match(sqlError[0]!, /SQLSTATE: 42P01$/);
  // plan problems: at the plan when there is one
  assert.deepEqual(at('050_plan_mismatch.sql'), [
    '::error file=supabase/tests/050_plan_mismatch.sql,line=2,title=plan mismatch::planned 3 assertions but ran 2',
  ]);
  assert.deepEqual(at('060_no_plan.sql'), ['::error file=supabase/tests/060_no_plan.sql,title=plan mismatch::no plan (ran 1 assertion)']);
  assert.deepEqual(at('080_empty.sql'), ['::error file=supabase/tests/080_empty.sql,title=empty file%3A no statements::empty file: no statements']);
  // a file that committed changes the later files ran with: not a failure (as under pg_prove), a warning at its commit
  assert.deepEqual(at('090_leak.sql'), []);
  const warnings = run.warnings.filter((w) => w.startsWith('::warning '));
  const kept = warnings.filter((w) => w.startsWith('::warning file=supabase/tests/090_leak.sql,'));
  assert.equal(kept.length, 1, warnings.join('\n'));
  assert.match(kept[0]!, /^::warning file=supabase\/tests\/090_leak\.sql,line=8,title=committed changes instead of rolling back/);
  assert.match(kept[0]!, /%0A {2}new table public\.leftover/);
  // a commit of pgTAP's temporary tables alone leaves nothing: no warning
  assert.ok(!warnings.some((w) => w.includes('125_commit_only.sql')), warnings.join('\n'));
  // a time-out: at the statement that did not finish
  assert.deepEqual(at('110_timeout.sql'), [
    '::error file=supabase/tests/110_timeout.sql,line=4,title=did not finish within 4 s (--timeout)::stopped after 4 s at supabase/tests/110_timeout.sql:4: the statement there had not finished',
  ]);
  // passing files have none; every annotation reads back as one error command with a file
  assert.deepEqual(at('010_pass.sql'), []);
  for (const a of annotations) assert.ok(['error', 'warning'].includes(parseCommand(a)?.name ?? ''), a);
  assert.equal(annotations.filter((a) => a.startsWith('::error ')).length, 8);
  // standard output is the human report as ever, its closing line last
  assert.equal(run.lines.at(-1), '17 passed, 8 failed');
  assert.ok(!run.lines.some((l) => l.startsWith('::')));
});

test('the job summary: counts, every failure with its line, the slowest files, appended', () => {
  const s = run.summary;
  assert.ok(s.startsWith('# an earlier step\n### ❌ pgTAP: 17 passed, 8 failed\n'), s.slice(0, 200));
  assert.match(s, /^\| files \| 8 \| 8 \| 0 \|$/m);
  assert.match(s, /^\| assertions \| 17 \| 2 \| 0 \|$/m);
  assert.match(s, /^#### Failures \(8 files\)$/m);
  assert.match(
    s,
    /^- `supabase\/tests\/020_fail\.sql:4` not ok 2 - arithmetic &amp; &lt;xml&gt; "escaping" fails on purpose\n\n {2}```\n {2}have: 2\n {2}want: 3\n {2}```$/m,
  );
  assert.match(s, /^- `supabase\/tests\/030_sql_error\.sql:5` SQL error\n\n {2}```\n {2}supabase\/tests\/030_sql_error\.sql:5:25: ERROR: /m);
  assert.match(s, /^- `supabase\/tests\/050_plan_mismatch\.sql:2` plan mismatch: planned 3 assertions but ran 2$/m);
  assert.doesNotMatch(s, /090_leak\.sql:8/);
  assert.match(s, /^- `supabase\/tests\/110_timeout\.sql:4` did not finish within 4 s \(--timeout\): stopped after 4 s/m);
  assert.match(s, /^- `supabase\/tests\/070_no_assertions\.sql` no assertions$/m);
  // the slowest first: the file that ran out of time
  assert.match(s, /^#### Slowest files\n\n\| file \| time \| assertions \|\n\|---\|---:\|---:\|\n\| `supabase\/tests\/110_timeout\.sql` \| 4\.\d s \| 1 \|$/m);
});

test('with --reporter tap, standard output stays one valid TAP document; a shard says so in the summary', async () => {
  const tap = await runSuite({ reporter: 'tap', grep: /(020|200)_/, shard: { index: 1, count: 1 } }, 'tap');
  assert.equal(tap.code, 1);
  const parser = new Parser();
  const extra: string[] = [];
  parser.on('extra', (line: string) => extra.push(line));
  parser.end(tap.lines.join('\n') + '\n');
  assert.deepEqual(extra, [], 'nothing but TAP on standard output');
  assert.equal(tap.warnings.filter((w) => w.startsWith('::error ')).length, 2);
  assert.match(tap.summary, /^### ❌ pgTAP \(shard 1 of 1\): 2 passed, 2 failed$/m);
});

test('GITHUB_ACTIONS unset: no annotation, no summary', async () => {
  const output = memoryOutput();
  const summaryFile = path.join(SCRATCH, 'github-summary-off.md');
  await writeFile(summaryFile, '');
  await testCommand(
    fixtureConfig(project, { grep: /020_/, 'reports-dir': path.join(SCRATCH, 'github-reports-off') }, { GITHUB_STEP_SUMMARY: summaryFile }),
    output,
  );
  assert.ok(!output.warnings.some((w) => w.startsWith('::')));
  assert.equal(await readFile(summaryFile, 'utf8'), '');
});

// ------------------------------------------------------------------ mutate

test('mutate: each survivor annotated on the migration line of the rule it weakens, and the summary', async () => {
  const summaryFile = path.join(SCRATCH, 'github-summary-mutate.md');
  await writeFile(summaryFile, '');
  const output = memoryOutput();
  const config = fixtureConfig(
    path.join(FIXTURES, 'mutate'),
    { jobs: 2, 'reports-dir': path.join(SCRATCH, 'github-reports-mutate') },
    {
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summaryFile,
    },
  );
  assert.equal(await mutateCommand(config, output), 1);
  const migration = 'supabase/migrations/20250101000000_notes.sql';
  assert.deepEqual(
    output.warnings.filter((w) => w.startsWith('::')),
    [
      `::error file=${migration},line=21,title=mutant survived%3A drop-policy public.notes.notes_insert_own::` +
        'No test fails when this rule is weakened: policy notes_insert_own on public.notes: insert to authenticated with check ((owner_id = ( SELECT auth.uid() AS uid)))' +
        '%0Asql: drop policy notes_insert_own on public.notes' +
        '%0AAdd a test that fails with it, or list it in supabase/equivalent-mutants.txt with the reason it changes nothing observable.',
      `::error file=${migration},line=24,title=mutant survived%3A with-check-true public.notes.notes_insert_own::` +
        'No test fails when this rule is weakened: policy notes_insert_own on public.notes: insert to authenticated with check ((owner_id = ( SELECT auth.uid() AS uid)))' +
        '%0Asql: alter policy notes_insert_own on public.notes with check (true)' +
        '%0AAdd a test that fails with it, or list it in supabase/equivalent-mutants.txt with the reason it changes nothing observable.',
    ],
  );
  assert.equal(output.lines.at(-1), 'mutation score: 14 of 16 killed');
  const summary = await readFile(summaryFile, 'utf8');
  assert.match(summary, /^### ❌ mutation score: 14 of 16 killed$/m);
  assert.match(summary, /^\| drop-policy \| 1\/2 \| 1 \| 0 \| 0 \| 0 \|$/m);
  assert.match(summary, /^- `supabase\/migrations\/20250101000000_notes\.sql:21` mutant survived: drop-policy public\.notes\.notes\\_insert\\_own$/m);
});

const mutant = (operator: Operator, object: string, table: string | null, names: string[] = []): Mutant => ({
  id: `${operator} ${object}`,
  operator,
  object,
  weakens: '',
  sql: '',
  table,
  names: [...names, ...(table ? [table.split('.')[1]!] : [])],
  inert: null,
});

test('a rule is found where its migration writes it; a later migration that redefines it wins', () => {
  const migrations: MigrationText[] = [
    {
      file: 'm/1_books.sql',
      content: [
        'create table public.books (', //                                   1
        '  id bigint primary key,', //                                      2
        "  title text not null check (title <> ''),", //                    3
        '  "Shelf" text', //                                                4
        '    constraint "Shelf label" check ("Shelf" ~ \'^[A-Z]\'),', //     5
        '  isbn text not null', //                                          6
        ');', //                                                            7
        'alter table public.books enable row level security;', //           8
        'revoke all on all tables in schema public from anon, authenticated;', // 9
        'grant select on public.books to authenticated;', //               10
        'create policy books_read on public.books for select', //          11
        '  to authenticated', //                                           12
        '  using (true);', //                                              13
        'create index books_isbn_idx on public.books (isbn);', //          14
        'create function public.can_read()', //                            15
        'returns boolean language sql', //                                 16
        "security definer set search_path = ''", //                      17
        'as $$ select true $$;', //                                        18
      ].join('\n'),
    },
    {
      file: 'm/2_later.sql',
      content: ['-- narrower', 'alter policy books_read on public.books', '  using (id > 0);', 'alter table public.books alter column isbn set not null;'].join(
        '\n',
      ),
    },
  ];
  const where = (m: Mutant) => {
    const at = locateRule(m, migrations);
    return at === null ? null : `${at.file}:${at.line}`;
  };
  // a constraint PostgreSQL named: its column's line; a quoted name: its constraint line
  assert.equal(where(mutant('drop-check', 'public.books.books_title_check', 'public.books', ['books_title_check', 'title'])), 'm/1_books.sql:3');
  assert.equal(where(mutant('drop-check', 'public.books.Shelf label', 'public.books', ['Shelf label', 'Shelf'])), 'm/1_books.sql:5');
  assert.equal(where(mutant('drop-not-null', 'public.books.title', 'public.books')), 'm/1_books.sql:3');
  assert.equal(where(mutant('drop-not-null', 'public.books.isbn', 'public.books')), 'm/2_later.sql:4');
  assert.equal(where(mutant('disable-rls', 'public.books', 'public.books')), 'm/1_books.sql:8');
  // the policy: its later alter wins; a role change at its `to` line
  assert.equal(where(mutant('using-true', 'public.books.books_read', 'public.books')), 'm/2_later.sql:3');
  assert.equal(where(mutant('roles-public', 'public.books.books_read', 'public.books')), 'm/2_later.sql:2');
  assert.equal(where(mutant('drop-index', 'public.books_isbn_idx', 'public.books')), 'm/1_books.sql:14');
  // privileges: the statement that names the table and the role, else the schema-wide revoke
  assert.equal(where(mutant('grant-back', 'public.books:insert:authenticated', 'public.books')), 'm/1_books.sql:10');
  assert.equal(where(mutant('grant-back', 'public.books:select:anon', 'public.books')), 'm/1_books.sql:9');
  assert.equal(where(mutant('security-invoker', 'public.can_read()', null)), 'm/1_books.sql:17');
  assert.equal(where(mutant('return-true', 'public.can_read()', null)), 'm/1_books.sql:15');
  // nothing that defines it: no location
  assert.equal(where(mutant('drop-trigger', 'public.other.gone', null)), null);
});
