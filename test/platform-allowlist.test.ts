/**
 * The platform fingerprint's allowlist (.ci/platform.ts): what it lists, what it
 * reports unlisted or stale, and that the committed server/platform-allowlist.txt
 * parses with a reason for every entry. The comparison itself runs on the
 * Supabase-like server in CI (.ci/on-server.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_ALLOWLIST, checkAgainst, differences, parseAllowlist } from '../.ci/platform.js';

test('differences: lines on one side only, "-" embedded and "+" the real platform', () => {
  assert.deepEqual(differences(['a', 'b', 'c'], ['b', 'c', 'd']), [
    { side: '-', line: 'a' },
    { side: '+', line: 'd' },
  ]);
});

test('an entry lists the differences of its side that it matches, "*" matching any text; the rest are unlisted or stale', () => {
  const { entries, problems } = parseAllowlist(
    ['# a comment', '## GoTrue tables', '+ column auth.sessions.*', '## gone', '- role ghost', '## sides', '- column auth.sessions.id uuid'].join('\n'),
  );
  assert.deepEqual(problems, []);
  const diffs = differences(['role postgres super=t'], ['column auth.sessions.id uuid', 'column auth.sessions.aal text', 'role postgres super=f']);
  const { unlisted, stale } = checkAgainst(diffs, entries);
  assert.deepEqual(unlisted, [
    { side: '-', line: 'role postgres super=t' },
    { side: '+', line: 'role postgres super=f' },
  ]);
  assert.deepEqual(
    stale.map((e) => `${e.side} ${e.pattern}`),
    ['- role ghost', '- column auth.sessions.id uuid'],
    'an entry of the other side lists nothing',
  );
});

test('an entry without a reason, a TODO reason or a malformed line is a problem', () => {
  const { problems } = parseAllowlist(['+ role x', '## TODO: why', '- role y', 'role z'].join('\n'));
  assert.equal(problems.length, 3, problems.join('\n'));
  assert.match(problems[0]!, /line 1: an entry before any "## reason"/);
  assert.match(problems[1]!, /line 2: a group needs its reason/);
  assert.match(problems[2]!, /line 4: neither/);
});

test('the committed allowlist gives every entry a reason', () => {
  const { entries, problems } = parseAllowlist(readFileSync(DEFAULT_ALLOWLIST, 'utf8'));
  assert.deepEqual(problems, []);
  assert.ok(entries.length > 0);
  for (const e of entries) assert.ok(e.reason.length > 20, `line ${e.lineNumber}: a reason of a sentence`);
});
