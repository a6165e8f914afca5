/**
 * README.md's usage block is generated from the commands' option tables
 * (readme.ts, `npm run -w pg-tap-runner readme`) and checked here, as
 * `docs --check` checks the docs: a stale block fails, showing the difference.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { README, USAGE_BEGIN, USAGE_END, withUsage } from '../readme.js';
import { describeDifference } from '../src/commands/docs.js';
import { COMMANDS } from '../src/commands/index.js';

test("README.md's usage block is what the commands' option tables make (npm run -w pg-tap-runner readme)", () => {
  const committed = readFileSync(README, 'utf8');
  const generated = withUsage(committed);
  assert.ok(generated !== null, `README.md has no usage block between\n${USAGE_BEGIN}\n${USAGE_END}`);
  assert.ok(
    committed === generated,
    ["README.md's usage block is stale: run npm run -w pg-tap-runner readme", ...describeDifference(committed, generated)].join('\n'),
  );
});

test('the usage block holds every command, and a change to a table shows as a difference', () => {
  const generated = withUsage(`intro\n${USAGE_BEGIN}\nold text\n${USAGE_END}\nrest\n`)!;
  assert.match(generated, /^intro\n<!-- usage: [^\n]*-->\n\n### `pg-tap-runner`\n/);
  assert.match(generated, /\n<!-- end of usage -->\nrest\n$/);
  for (const command of COMMANDS)
    assert.ok(generated.includes(`### \`pg-tap-runner ${command.name}\`\n\n\`\`\`text\nusage: pg-tap-runner ${command.name} `), command.name);
  const bail = COMMANDS.find((c) => c.name === 'test')!.options['bail']!;
  const help = bail.help;
  try {
    bail.help = 'stop at the first red file';
    assert.match(
      describeDifference(generated, withUsage(generated)!).join('\n'),
      /- +\d+ \| {3}--bail +stop at the first failing file\n {2}\+ +\d+ \| {3}--bail +stop at the first red file/,
    );
  } finally {
    bail.help = help;
  }
  assert.equal(withUsage('no block here\n'), null);
});
