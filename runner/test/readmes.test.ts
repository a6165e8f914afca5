/**
 * Each folder of src/ has a README.md that says what the folder owns and then lists its files, one
 * line each (`- \`name.ts\`: what it does.`; a subfolder's as `sub/name.ts`). The list is exactly the folder's .ts files, so a file
 * added, renamed or removed without its line fails here.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
const FOLDERS = readdirSync(SRC, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** The files a README lists: each line `- \`file\`: description`, in the order written. */
function listedFiles(readme: string): { file: string; description: string }[] {
  return [...readme.matchAll(/^- `([^`]+)`:[ \t]*(.*)$/gm)].map((match) => ({ file: match[1]!, description: match[2]!.trim() }));
}

test('src/ has folders to check', () => {
  assert.ok(FOLDERS.length >= 6, `found ${FOLDERS.join(', ')}`);
});

for (const folder of FOLDERS) {
  test(`src/${folder}/README.md lists exactly the folder's .ts files, one line each`, () => {
    const readmePath = path.join(SRC, folder, 'README.md');
    assert.ok(existsSync(readmePath), `src/${folder}/ has no README.md`);
    const readme = readFileSync(readmePath, 'utf8');
    const listed = listedFiles(readme);
    // a subfolder's files too (report/reporters/), by their path from the folder
    const actual = readdirSync(path.join(SRC, folder), { recursive: true, encoding: 'utf8' })
      .map((name) => name.split(path.sep).join('/'))
      .filter((name) => name.endsWith('.ts'))
      .sort();
    const names = listed.map(({ file }) => file);
    const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
    assert.deepEqual(duplicates, [], `src/${folder}/README.md lists a file twice`);
    assert.deepEqual(
      { missing: actual.filter((name) => !names.includes(name)), stale: names.filter((name) => !actual.includes(name)) },
      { missing: [], stale: [] },
      `src/${folder}/README.md: list each .ts file of the folder on a line "- \`name.ts\`: what it does", and no other`,
    );
    for (const { file, description } of listed) assert.notEqual(description, '', `src/${folder}/README.md: ${file} has no description`);
    const intro = readme.slice(0, readme.search(/^- `/m)).replace(/^#.*$/m, '').trim();
    assert.notEqual(intro, '', `src/${folder}/README.md: a sentence on the folder comes before its files`);
  });
}

test('the list is read from its lines only', () => {
  const readme = '# x/\n\nWhat x owns; `inline.ts` in prose is no entry.\n\n- `a.ts`: the first.\n- `b.ts`: the second.\n';
  assert.deepEqual(listedFiles(readme), [
    { file: 'a.ts', description: 'the first.' },
    { file: 'b.ts', description: 'the second.' },
  ]);
});
