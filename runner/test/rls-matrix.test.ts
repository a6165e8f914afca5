/** The RLS matrix, pure: parsing the file of intent, diffing, TAP and Markdown, classifying probe results. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  MatrixError,
  allowsMore,
  cellKey,
  cellOf,
  diffMatrices,
  formatDiffs,
  formatOutcome,
  matrixErrorTap,
  matrixTap,
  parseMatrix,
  renderMarkdown,
  type Matrix,
  type Outcome,
  type TableKinds,
} from '../src/suite/rls-matrix.js';
import { TABLE_KINDS, classify, type GroupResult } from '../src/suite/rls-probe.js';
import { summariseTap } from '../src/suite/tap.js';
import { FIXTURES } from './helpers.js';

const DIR = path.join(FIXTURES, 'rls-matrix');
const fixture = (name: string) => readFileSync(path.join(DIR, name), 'utf8');
const KINDS: TableKinds = new Map([
  ['notes', 'user'],
  ['guides', 'catalogue'],
]);
const intent = () => parseMatrix(fixture('intent.txt'), KINDS, 'intent.txt');

const problemsOf = (text: string, file: string): string[] => {
  try {
    parseMatrix(text, KINDS, file);
  } catch (error) {
    if (error instanceof MatrixError) return error.problems;
    throw error;
  }
  assert.fail(`${file} parsed without problems`);
};

/** A copy of `matrix` with some cells replaced. */
function withCells(matrix: Matrix, changes: Record<string, Outcome>): Matrix {
  const cells = new Map(matrix.cells);
  for (const [key, outcome] of Object.entries(changes)) cells.set(key, outcome);
  return { tables: matrix.tables, cells };
}

test('a complete file gives every table × actor × command, column limits included', () => {
  const m = intent();
  assert.deepEqual(m.tables, ['notes', 'guides']);
  assert.equal(m.cells.size, 2 * 5 * 4);
  assert.deepEqual(cellOf(m, 'notes', 'owner', 'update'), { scope: 'own', columns: ['body', 'title'] });
  assert.deepEqual(cellOf(m, 'guides', 'anon', 'select'), { scope: 'published', columns: null });
  assert.equal(formatOutcome(cellOf(m, 'notes', 'admin', 'insert') as Outcome), 'none');
});

test('every problem of a malformed file is reported at once, with its line', () => {
  assert.deepEqual(problemsOf(fixture('malformed.txt'), 'malformed.txt'), [
    'malformed.txt:3: expected 6 fields (table actor select insert update delete), found 5',
    'malformed.txt:4: unknown table "notez" (tables: notes, guides)',
    'malformed.txt:5: unknown actor "owners" (actors: anon, owner, other, admin, service_role)',
    'malformed.txt:6: notes other select: unknown outcome "nobody" (outcomes: all, own, published, none, and for update all(column,...))',
    'malformed.txt:7: notes admin delete: a column list applies to update only',
    'malformed.txt:8: notes admin is already given on line 7',
    'malformed.txt:9: notes service_role select: "published" applies to the catalogue only; this table\'s rows belong to users',
    'malformed.txt:9: notes service_role insert: "own" applies to the owner only: service_role is probed on rows that are not its own, so the outcome is all or none',
    'malformed.txt:9: notes service_role update: "none" takes no column list',
    'malformed.txt:10: guides anon select: "own" needs rows that belong to a user; this table\'s rows belong to automations',
    'malformed.txt:11: guides owner update: column a is listed twice',
    'malformed.txt:12: guides other update: bad column list "(Title)": column names separated by commas, no spaces',
    'malformed.txt: missing a line for notes anon',
    'malformed.txt: missing a line for notes owner',
    'malformed.txt: missing a line for guides admin',
    'malformed.txt: missing a line for guides service_role',
  ]);
});

test('the header comes first; an empty file says so', () => {
  const problems = problemsOf(fixture('no-header.txt'), 'no-header.txt');
  assert.equal(problems[0], 'no-header.txt:2: the first line that is not a comment must be the header "table actor select insert update delete"');
  // the line is still read as a cell: notes anon is not reported missing
  assert.ok(!problems.includes('no-header.txt: missing a line for notes anon'));
  assert.deepEqual(problemsOf('table actor select update insert delete\n', 'x.txt').slice(0, 1), [
    'x.txt:1: the header must read "table actor select insert update delete"',
  ]);
  assert.deepEqual(problemsOf('# only comments\n\n', 'empty.txt'), [
    'empty.txt: empty: no header "table actor select insert update delete" and no lines',
  ]);
});

test('the committed matrix covers every probed table', () => {
  const file = path.resolve(FIXTURES, '../../../supabase/rls-matrix.txt');
  const m = parseMatrix(readFileSync(file, 'utf8'), TABLE_KINDS, 'supabase/rls-matrix.txt');
  assert.equal(m.cells.size, TABLE_KINDS.size * 5 * 4);
});

test('the same matrix has no differences; column lists compare as sets', () => {
  const m = intent();
  assert.deepEqual(diffMatrices(m, m), []);
  const reordered = withCells(m, { [cellKey('notes', 'owner', 'update')]: { scope: 'own', columns: ['title', 'body'] } });
  assert.deepEqual(diffMatrices(m, reordered), []);
});

test('differences name the cell and tell an unexpected allow from an unexpected deny', () => {
  const m = intent();
  const observed = withCells(m, {
    [cellKey('guides', 'other', 'select')]: { scope: 'all', columns: null, detail: 'the unpublished row: visible' },
    [cellKey('notes', 'admin', 'select')]: { scope: 'none', columns: null },
    [cellKey('notes', 'owner', 'update')]: { scope: 'own', columns: null },
  });
  const diffs = diffMatrices(m, observed);
  assert.deepEqual(
    diffs.map((d) => [d.table, d.actor, d.command, formatOutcome(d.expected), d.observed && formatOutcome(d.observed), d.direction]),
    [
      ['notes', 'owner', 'update', 'own(body,title)', 'own', 'allow'],
      ['notes', 'admin', 'select', 'all', 'none', 'deny'],
      ['guides', 'other', 'select', 'published', 'all', 'allow'],
    ],
  );
  assert.deepEqual(formatDiffs(diffs), [
    'table   actor  command  expected         observed  ',
    'notes   owner  update   own(body,title)  own       UNEXPECTED ALLOW',
    'notes   admin  select   all              none      unexpected deny',
    'guides  other  select   published        all       UNEXPECTED ALLOW',
    '    the unpublished row: visible',
  ].map((l) => l.trimEnd()));
});

test('allowsMore: wider scopes, more columns and unknown outcomes allow more', () => {
  const o = (scope: string, columns: string[] | null = null): Outcome => ({ scope, columns });
  assert.equal(allowsMore(o('none'), o('own')), true);
  assert.equal(allowsMore(o('own'), o('all')), true);
  assert.equal(allowsMore(o('all'), o('own')), false);
  assert.equal(allowsMore(o('own', ['viewed_at']), o('own')), true);
  assert.equal(allowsMore(o('own', ['viewed_at']), o('own', ['viewed_at', 'status'])), true);
  assert.equal(allowsMore(o('own'), o('own', ['viewed_at'])), false);
  assert.equal(allowsMore(o('own'), o('foreign')), true);
  assert.equal(allowsMore(o('all'), o('none')), false);
});

test('the comparison as TAP: one assertion per cell, failures with diagnostics', () => {
  const m = intent();
  const observed = withCells(m, {
    [cellKey('guides', 'other', 'select')]: { scope: 'all', columns: null, detail: 'the unpublished row: visible' },
  });
  const tap = matrixTap(m, observed, [{ ok: true, description: 'every table of schema public is in the matrix' }]);
  assert.deepEqual(tap, fixture('one-failure.tap').trimEnd().split('\n'));
  const summary = summariseTap(tap);
  assert.deepEqual([summary.planned, summary.passed, summary.failedAssertions], [41, 40, 1]);
  assert.deepEqual(summary.failures, [{ id: 29, name: 'other may select guides: published' }]);
});

test('a malformed matrix is one failing assertion', () => {
  const summary = summariseTap(matrixErrorTap('m.txt', ['m.txt:3: unknown actor "x"']));
  assert.deepEqual([summary.planned, summary.failedAssertions], [1, 1]);
});

test('the Markdown matrix: legend, then a line per table and actor', () => {
  const markdown = renderMarkdown(intent(), { kinds: KINDS, regenerate: 'make rls-doc', intentFile: 'intent.txt' });
  assert.equal(markdown, fixture('intent.md'));
});

const result = (group: GroupResult['group'], reached: boolean, columns: string[] | null = null): GroupResult => ({
  group,
  reached,
  columns,
  note: reached ? 'reached' : '0 rows',
});

test('classify: which probed rows were reached, in the vocabulary', () => {
  const scope = (results: GroupResult[], actor: Parameters<typeof classify>[1]) => formatOutcome(classify(results, actor));
  assert.equal(scope([result('owner', true), result('other', false)], 'owner'), 'own');
  assert.equal(scope([result('owner', true), result('other', true)], 'owner'), 'all');
  assert.equal(scope([result('owner', false), result('other', false)], 'admin'), 'none');
  assert.equal(scope([result('owner', true)], 'other'), 'all');
  assert.equal(scope([result('owner', false)], 'other'), 'none');
  assert.equal(scope([result('published', true), result('unpublished', false)], 'anon'), 'published');
  assert.equal(scope([result('owner', true, ['viewed_at']), result('other', false)], 'owner'), 'own(viewed_at)');
  // outside the vocabulary: described from the groups
  assert.equal(scope([result('owner', false), result('other', true)], 'owner'), 'foreign');
  assert.equal(scope([result('published', false), result('unpublished', true)], 'anon'), 'unpublished');
  assert.equal(scope([result('owner', true, ['a']), result('other', true, ['b'])], 'owner'), 'own(a)+foreign(b)');
  assert.equal(
    classify([result('owner', true), result('other', false)], 'owner').detail,
    "the owner's row: reached; the other user's row: 0 rows",
  );
});
