/**
 * The package's shape, checked on its sources:
 * - layering: arrows point down. cli.ts, index.ts and main.ts (the entry
 *   points) may import anything; a command imports the capability folders and
 *   the shared files, never another command (a command's option table loads
 *   its own command; commands/index.ts lists the tables); nothing below
 *   commands/ imports a command; and the folders stay in order: mutate/ may use report/, suite/
 *   and database/, report/ may use suite/ and database/, suite/ and docs/ may
 *   use database/, database/ only the shared command-line.ts, config.ts,
 *   errors.ts and output.ts, which import nothing of the folders.
 * Nothing of this repository inside the package: layering-repository.test.ts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PACKAGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(PACKAGE, 'src');

/** Each layer and the layers it may import. */
const LAYERS: Record<string, string[]> = {
  entry: ['entry', 'commands', 'mutate', 'report', 'docs', 'suite', 'database', 'shared'],
  commands: ['mutate', 'report', 'docs', 'suite', 'database', 'shared'],
  mutate: ['mutate', 'report', 'suite', 'database', 'shared'],
  report: ['report', 'suite', 'database', 'shared'],
  docs: ['docs', 'database', 'shared'],
  suite: ['suite', 'database', 'shared'],
  database: ['database', 'shared'],
  shared: ['shared'],
};
const ENTRY_FILES = ['cli.ts', 'index.ts', 'main.ts'];
const SHARED_FILES = ['command-line.ts', 'config.ts', 'errors.ts', 'output.ts'];

function layerOf(file: string): string | null {
  const relative = path.relative(SRC, file);
  const [first, ...rest] = relative.split(path.sep);
  if (rest.length === 0) return ENTRY_FILES.includes(first!) ? 'entry' : SHARED_FILES.includes(first!) ? 'shared' : null;
  return first! in LAYERS && first !== 'entry' && first !== 'shared' ? first! : null;
}

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, keep));
    else if (entry.isFile() && keep(full)) out.push(full);
  }
  return out.sort();
}

/** The runner files a source file imports: static and dynamic imports, and worker entries (`new URL('./x.ts', import.meta.url)`). */
function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const specifiers = [
    ...text.matchAll(/\bfrom\s+'([^']+)'/g),
    ...text.matchAll(/\bimport\s*\(\s*'([^']+)'\s*\)/g),
    ...text.matchAll(/^import\s+'([^']+)'/gm),
    ...text.matchAll(/new URL\(\s*'([^']+)'\s*,\s*import\.meta\.url\s*\)/g),
  ].map((m) => m[1]!);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')))
    .filter((target) => target.startsWith(SRC + path.sep));
}

const shown = (file: string) => path.relative(PACKAGE, file);

/**
 * Inside commands/, the command line's side: a command's table (`x.options.ts`)
 * spreads the shared groups (`options.ts`) and loads its own command (`x.ts`)
 * when it runs; `index.ts` lists the tables.
 */
function commandLineImport(file: string, target: string): boolean {
  const [from, to] = [path.basename(file, '.ts'), path.basename(target, '.ts')];
  return to === 'options' || (from === 'index' && to.endsWith('.options')) || from === `${to}.options`;
}

test('every source file is in a layer, and every import points down', () => {
  const sources = filesUnder(SRC, (f) => f.endsWith('.ts'));
  assert.ok(sources.length > 30, `only ${sources.length} source files found`);
  const problems: string[] = [];
  for (const file of sources) {
    const layer = layerOf(file);
    if (layer === null) {
      problems.push(`${shown(file)} is in no layer: put it in a capability folder, or add its folder to LAYERS in runner/test/layering.test.ts`);
      continue;
    }
    for (const target of importsOf(file)) {
      const targetLayer = layerOf(target);
      if (targetLayer === null) continue; // reported as a file of its own
      if (layer === 'commands' && targetLayer === 'entry') problems.push(`${shown(file)} imports the entry point ${shown(target)}`);
      else if (layer === 'commands' && targetLayer === 'commands') {
        if (commandLineImport(file, target)) continue;
        problems.push(`the command ${shown(file)} imports the command ${shown(target)}: move what they share below commands/`);
      } else if (targetLayer === 'commands' && layer !== 'entry') {
        problems.push(`${shown(file)} imports the command ${shown(target)}: nothing below commands/ may`);
      } else if (!LAYERS[layer]!.includes(targetLayer)) {
        problems.push(`${shown(file)} (${layer}) imports ${shown(target)} (${targetLayer}): ${layer} may use ${LAYERS[layer]!.join(', ')}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('the layering check sees static, dynamic and worker imports', () => {
  const jobs = importsOf(path.join(SRC, 'suite', 'jobs.ts')).map(shown);
  assert.ok(jobs.includes('src/suite/tap.ts'), `static: ${jobs.join(', ')}`);
  const dynamic = importsOf(path.join(SRC, 'suite', 'any.ts'), "const { chooseFiles } = await import('./files.js');").map(shown);
  assert.deepEqual(dynamic, ['src/suite/files.ts'], 'dynamic');
  const executors = importsOf(path.join(SRC, 'suite', 'executor.ts')).map(shown);
  assert.ok(executors.includes('src/suite/worker.ts'), `worker: ${executors.join(', ')}`);
  const cli = importsOf(path.join(SRC, 'cli.ts')).map(shown);
  assert.ok(cli.includes('src/commands/index.ts'), `entry: ${cli.join(', ')}`);
  assert.equal(layerOf(path.join(SRC, 'commands', 'test.ts')), 'commands');
  assert.equal(layerOf(path.join(SRC, 'somewhere', 'new.ts')), null);
});
