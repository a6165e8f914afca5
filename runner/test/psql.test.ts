/** What psql does to a pgTAP file before PostgreSQL sees it (src/suite/psql.ts): pure, no database. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitSql } from '../src/database/sql-split.js';
import { decodeScript, interpolate, isOn, metaCommand, pgProveVariables } from '../src/suite/psql.js';

test('bytes that are not UTF-8 are found where PostgreSQL would refuse them, named as it names them', () => {
  const latin1 = Buffer.from("select ok(true, 'caf\xe9 au lait');\n", 'latin1');
  const { text, invalid } = decodeScript(latin1);
  assert.deepEqual(invalid, [{ offset: text.indexOf('\ufffd'), bytes: '0xe9 0x20 0x61' }]);
  assert.deepEqual(decodeScript(Buffer.from("select 'café ✓';", 'utf8')).invalid, []);
  // an overlong form and a lone continuation byte
  assert.equal(decodeScript(Uint8Array.from([0xc0, 0xaf, 0x80])).invalid.length, 3);
});

test('psql variables: as written, as a literal, as an identifier; casts, quotes and unknown names untouched', () => {
  const vars = new Map([
    ['n', '3'],
    ['who', "o'neil"],
  ]);
  assert.equal(interpolate('select plan(:n)', vars), 'select plan(3)');
  assert.equal(interpolate('select :\'who\', :"who"', vars), `select 'o''neil', "o'neil"`);
  assert.equal(interpolate("select 1::int, ':n', $$ :n $$, :missing -- :n", vars), "select 1::int, ':n', $$ :n $$, :missing -- :n");
});

test('meta-commands: variables set and unset, echo printed, printing settings accepted, the rest refused', () => {
  const vars = pgProveVariables();
  assert.equal(isOn(vars.get('ON_ERROR_STOP')), true, 'pg_prove sets ON_ERROR_STOP');
  assert.deepEqual(metaCommand('\\set ON_ERROR_STOP false', vars), { kind: 'none' });
  assert.equal(isOn(vars.get('ON_ERROR_STOP')), false);
  assert.deepEqual(metaCommand("\\set greeting 'hello world'", vars), { kind: 'none' });
  assert.deepEqual(metaCommand('\\echo :greeting', vars), { kind: 'print', text: 'hello world' });
  assert.deepEqual(metaCommand('\\unset greeting', vars), { kind: 'none' });
  assert.equal(vars.has('greeting'), false);
  for (const line of ['\\pset format unaligned', '\\pset tuples_only true', '\\timing off', '\\t']) assert.deepEqual(metaCommand(line, vars), { kind: 'none' });
  assert.deepEqual(metaCommand('\\ir include/helpers.inc', vars), { kind: 'include', file: 'include/helpers.inc', relative: true });
  assert.deepEqual(metaCommand('\\q', vars), { kind: 'quit' });
  assert.equal(metaCommand('\\c other', vars).kind, 'error');
  // split as psql reads a file: a meta-command is its line, the SQL around it statements
  const statements = splitSql('\\set QUIET 1\nbegin;\nselect plan(:n);\n\\echo done\nrollback;', { psql: true });
  assert.deepEqual(
    statements.map((s) => [s.sql, s.meta === true, s.line]),
    [
      ['\\set QUIET 1', true, 1],
      ['begin', false, 2],
      ['select plan(:n)', false, 3],
      ['\\echo done', true, 4],
      ['rollback', false, 5],
    ],
  );
  assert.deepEqual(
    splitSql("select E'a\\\\b';", { psql: true }).map((s) => s.meta === true),
    [false],
    'a backslash in a string is no meta-command',
  );
});
