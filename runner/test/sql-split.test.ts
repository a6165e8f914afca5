import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { lineColumn, splitSql } from '../src/database/sql-split.js';
import { FIXTURES } from './helpers.js';

test('splits on semicolons outside quotes, comments and dollar quotes, with positions', () => {
  const script = readFileSync(path.join(FIXTURES, 'split', 'tricky.sql'), 'utf8');
  const statements = splitSql(script);
  assert.deepEqual(
    statements.map((s) => [s.line, s.column, s.sql.split('\n')[0]]),
    [
      [2, 1, "select 'a;b' as s"],
      [3, 1, "select E'it\\'s; escaped' as e"],
      [3, 32, 'select "odd;name" from (select 1 as "odd;name") t'],
      [5, 1, 'create function f() returns int language plpgsql as $body$'],
      [10, 1, 'do $$ begin perform 1; end $$'],
      [11, 1, 'create function g() returns int language sql'],
      [16, 1, 'select $1::int'],
    ],
  );
  assert.match(statements[3]!.sql, /\$body\$$/);
  assert.match(statements[5]!.sql, /select 2;\nend$/);
  for (const s of statements) assert.equal(script.slice(s.offset, s.offset + s.sql.length), s.sql);
});

test('a script of comments and blanks has no statements', () => {
  assert.deepEqual(splitSql('-- nothing\n/* at all; */\n\n;;\n'), []);
});

test('an unterminated quote runs to the end of the script rather than splitting inside it', () => {
  assert.deepEqual(
    splitSql("select 1; select 'oops; select 2").map((s) => s.sql),
    ['select 1', "select 'oops; select 2"],
  );
});

test("a standard string's backslash does not escape the quote", () => {
  assert.deepEqual(
    splitSql("select 'a\\'; select 2").map((s) => s.sql),
    ["select 'a\\'", 'select 2'],
  );
});

test('lineColumn counts from 1', () => {
  assert.deepEqual(lineColumn('ab\ncd', 0), { line: 1, column: 1 });
  assert.deepEqual(lineColumn('ab\ncd', 4), { line: 2, column: 2 });
});
