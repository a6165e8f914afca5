/**
 * Nothing of this repository inside the package: it knows Supabase and pgTAP,
 * never one project's data model, its make targets or its files.
 * - everywhere in the package (sources, tests, fixtures, README, manifest): no
 *   table the repository's supabase/migrations create, nor its project_id;
 * - in what the package ships (package.json and the files it lists: src/,
 *   sql/, bin/, build.js): also no other object the migrations create
 *   (schema, function, type, policy, trigger, index, ...), no `make <target>`
 *   of the repository's Makefile, and no path of the repository outside the
 *   package (docs/schema.md, types/database.ts, bench/, .ci/, server/, ...).
 * Every name is read from the repository, so the check follows it. Generic
 * words stay allowed: a schema that is an ordinary word (`private`) counts only
 * where it is used as one (`private.f`, `'private'`), and a folder the package
 * has too (src/docs/) only by the repository's file paths under it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PACKAGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPOSITORY = path.dirname(PACKAGE);
const shown = (file: string) => path.relative(PACKAGE, file);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

/** The folders of the package, by name (src/docs/ is one: `docs/` alone says nothing). */
function packageFolderNames(dir = PACKAGE): Set<string> {
  const out = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name === 'dist') continue;
    out.add(entry.name);
    for (const name of packageFolderNames(path.join(dir, entry.name))) out.add(name);
  }
  return out;
}

/** The objects the repository's migrations create, by kind. */
function migrationObjects(): { tables: string[]; schemas: string[]; others: string[] } {
  const migrations = path.join(REPOSITORY, 'supabase', 'migrations');
  const tables = new Set<string>();
  const schemas = new Set<string>();
  const others = new Set<string>();
  const creates =
    /\bcreate\s+(?:or\s+replace\s+)?(?:unique\s+)?(?:unlogged\s+)?(?:materialized\s+)?(schema|table|view|function|procedure|type|domain|policy|trigger|index|sequence)\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:(?:"[^"]+"|\w+)\.)?(?:"([^"]+)"|(\w+))/gi;
  for (const file of readdirSync(migrations).filter((f) => f.endsWith('.sql'))) {
    const sql = readFileSync(path.join(migrations, file), 'utf8').replace(/--[^\n]*/g, '');
    for (const m of sql.matchAll(creates)) {
      const name = (m[2] ?? m[3]!).toLowerCase();
      const kind = m[1]!.toLowerCase();
      (kind === 'table' ? tables : kind === 'schema' ? schemas : others).add(name);
    }
  }
  return { tables: [...tables], schemas: [...schemas], others: [...others].filter((n) => !tables.has(n)) };
}

function projectId(): string[] {
  const id = /^project_id\s*=\s*"([^"]+)"/m.exec(readFileSync(path.join(REPOSITORY, 'supabase', 'config.toml'), 'utf8'))?.[1];
  return id ? [id] : [];
}

/** The targets of the repository's Makefile. */
function makeTargets(): string[] {
  const makefile = readFileSync(path.join(REPOSITORY, 'Makefile'), 'utf8');
  const targets = new Set<string>();
  for (const m of makefile.matchAll(/^([A-Za-z][\w-]*(?:[ \t]+[A-Za-z][\w-]*)*)[ \t]*:(?![:=])/gm)) {
    for (const name of m[1]!.split(/\s+/)) targets.add(name);
  }
  return [...targets];
}

/**
 * The repository's own folders outside the package, as patterns: `bench/`,
 * `.ci/`, ...; a folder whose name the package uses too (docs/), by the paths
 * of its files (docs/schema.md), written with slashes or as path.join's
 * arguments ('docs', 'schema.md'). Not supabase/ (Supabase's layout, which the
 * package knows), .github/ (GitHub's), nor what .gitignore keeps out of the
 * repository (the package's own .data/, reports/).
 */
function repositoryPaths(): { folders: string[]; files: string[] } {
  const ignored = readFileSync(path.join(REPOSITORY, '.gitignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim().replace(/^\/|\/$/g, ''));
  const own = packageFolderNames();
  const folders: string[] = [];
  const files: string[] = [];
  for (const entry of readdirSync(REPOSITORY, { withFileTypes: true })) {
    if (!entry.isDirectory() || ['.git', '.github', 'supabase', path.basename(PACKAGE)].includes(entry.name) || ignored.includes(entry.name)) continue;
    const dir = path.join(REPOSITORY, entry.name);
    for (const file of filesUnder(dir)) files.push(path.relative(REPOSITORY, file).split(path.sep).join('/'));
    if (!own.has(entry.name)) folders.push(entry.name);
  }
  return { folders, files };
}

interface Rule {
  what: string;
  pattern: RegExp;
}

function rules(): { everywhere: Rule[]; shipped: Rule[] } {
  const { tables, schemas, others } = migrationObjects();
  const words = (names: string[]) => `(?<![\\w-])(${names.map(escape).join('|')})(?![\\w-])`;
  const { folders, files } = repositoryPaths();
  const asPath = (file: string) => file.split('/').map(escape).join(`(?:/|['"\`],\\s*['"\`])`);
  return {
    everywhere: [{ what: "a table of this repository's migrations, or its project_id", pattern: new RegExp(words([...tables, ...projectId()]), 'g') }],
    shipped: [
      ...(others.length > 0 ? [{ what: "an object of this repository's migrations", pattern: new RegExp(words(others), 'g') }] : []),
      ...(schemas.length > 0
        ? [
            {
              what: "a schema of this repository's migrations",
              pattern: new RegExp(`(?<![\\w-])(${schemas.map(escape).join('|')})(?=\\.["\\w])|(['"\`])(${schemas.map(escape).join('|')})\\2(?!\\s*:)`, 'g'),
            },
          ]
        : []),
      { what: "a make target of this repository's Makefile", pattern: new RegExp(`\\bmake\\s+(${makeTargets().map(escape).join('|')})(?![\\w-])`, 'g') },
      {
        what: 'a path of this repository outside the package',
        pattern: new RegExp(
          [...files.map((f) => `(?<![\\w.@/-])${asPath(f)}(?![\\w-])`), ...folders.map((f) => `(?<![\\w.@/-])${escapeRegExp(f)}/`)].join('|'),
          'g',
        ),
      },
    ],
  };
}

/** Where `rule` matches in `files`, as `file:line: match`. */
function findings(files: string[], rule: Rule): string[] {
  const found: string[] = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const m of line.matchAll(rule.pattern)) found.push(`${shown(file)}:${i + 1}: ${m[0]} (${rule.what})`);
      });
  }
  return found;
}

const small = (file: string) => statSync(file).size < 2_000_000;
/**
 * What the package ships: its manifest and the files it lists (src/, sql/,
 * bin/, build.js, README.md; not its tests and their fixtures), but dist/
 * (built from src/).
 */
function shippedFiles(): string[] {
  const manifest = path.join(PACKAGE, 'package.json');
  const listed = (JSON.parse(readFileSync(manifest, 'utf8')) as { files: string[] }).files.filter((f) => f !== 'dist');
  return [
    manifest,
    ...listed.flatMap((f) => (statSync(path.join(PACKAGE, f)).isDirectory() ? filesUnder(path.join(PACKAGE, f)) : [path.join(PACKAGE, f)])),
  ].filter(small);
}

test('the names this check looks for are read from the repository', () => {
  const { tables, schemas, others } = migrationObjects();
  assert.ok(tables.length > 3, `tables: ${tables.join(', ')}`);
  assert.ok(schemas.length > 0 && !schemas.includes('public'), `schemas: ${schemas.join(', ')}`);
  assert.ok(others.length > 10, `others: ${others.join(', ')}`);
  const targets = makeTargets();
  for (const target of ['db', 'test', 'docs', 'new-migration', 'server-stop']) assert.ok(targets.includes(target), `make targets: ${targets.join(', ')}`);
  const { folders, files } = repositoryPaths();
  for (const file of ['docs/schema.md', 'types/database.ts']) assert.ok(files.includes(file), `files: ${files.join(', ')}`);
  for (const folder of ['bench', '.ci', 'server']) assert.ok(folders.includes(folder), `folders: ${folders.join(', ')}`);
  for (const folder of ['docs', 'test', 'runner', 'supabase', '.github', 'node_modules'])
    assert.ok(!folders.includes(folder), `folders: ${folders.join(', ')}`);
  const shipped = shippedFiles().map(shown);
  for (const file of ['package.json', 'src/cli.ts', 'src/docs/schema-catalogue.ts', 'sql/auth.sql', 'bin/pg-tap-runner.js', 'build.js'])
    assert.ok(shipped.includes(file), `shipped: ${file}`);
  assert.ok(!shipped.some((f) => f.startsWith('test/') || f.startsWith('dist/')), 'not the tests, nor dist/');
});

test('the check is precise: it finds the repository, not the words it shares with everyone', () => {
  const { shipped } = rules();
  const hits = (text: string) => shipped.flatMap((rule) => [...text.matchAll(rule.pattern)].map((m) => m[0]));
  // found
  assert.deepEqual(hits("where n.nspname in ('public', 'private')"), ["'private'"]);
  assert.deepEqual(hits('select private.is_admin()'), ['is_admin', 'private']);
  assert.deepEqual(hits('run "make db" first, or make test-runner'), ['make db', 'make test-runner']);
  assert.deepEqual(hits("path.join(root, 'docs', 'schema.md') or types/database.ts"), ["docs', 'schema.md", 'types/database.ts']);
  assert.deepEqual(hits('see bench/ and .ci/run, server/README.md'), ['bench/', '.ci/run', 'server/README.md']);
  // not found
  for (const text of [
    "'public' 'auth' 'test' 'tests' 'server' 'docs'",
    '"private": true, private readonly lost, kept private.',
    'make sure; make the statement fail',
    "import { x } from '../docs/rls-matrix-doc.js'; src/docs/schema-markdown.ts; @types/node; test/fixtures/",
    'a server target; the served database; benchmarks',
  ]) {
    assert.deepEqual(hits(text), [], text);
  }
});

test("no file of the package names this repository's tables or project", () => {
  const [rule] = rules().everywhere;
  const found = findings(filesUnder(PACKAGE).filter(small), rule!);
  assert.deepEqual(found, [], 'the package must not know this schema: move the code to the repository (bench/, supabase/tests) or make it generic');
});

test("nothing the package ships names this repository's schema, make targets or files", () => {
  const found = rules().shipped.flatMap((rule) => findings(shippedFiles(), rule));
  assert.deepEqual(
    found,
    [],
    "the package knows Supabase and pgTAP, never this repository: read the project's objects from its database, name the runner's own commands, take paths as options",
  );
});
