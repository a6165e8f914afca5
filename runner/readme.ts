/**
 * Writes README.md's usage block, between its two usage lines (USAGE_BEGIN,
 * USAGE_END), from the commands' option tables: `npm run -w pg-tap-runner
 * readme`. test/readme.test.ts fails, showing the difference, while the
 * committed block is not what this writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { usageBlock } from './src/commands/index.js';

export const README = fileURLToPath(new URL('README.md', import.meta.url));
export const USAGE_BEGIN = "<!-- usage: generated from the commands' option tables; regenerate with npm run -w pg-tap-runner readme -->";
export const USAGE_END = '<!-- end of usage -->';

/** The README with its usage block generated; null when it lacks the two lines. */
export function withUsage(readme: string): string | null {
  const begin = readme.indexOf(`${USAGE_BEGIN}\n`);
  const end = readme.indexOf(`\n${USAGE_END}`, begin);
  if (begin < 0 || end < 0) return null;
  return `${readme.slice(0, begin)}${USAGE_BEGIN}\n\n${usageBlock()}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const updated = withUsage(readFileSync(README, 'utf8'));
  if (updated === null) {
    console.error(`error: ${README} has no usage block: put the lines\n${USAGE_BEGIN}\n${USAGE_END}\nwhere it goes`);
    process.exitCode = 2;
  } else writeFileSync(README, updated);
}
