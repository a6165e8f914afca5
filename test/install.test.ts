/**
 * The repository's installation, as a clean `npm ci` on Node.js 20 needs it:
 * every installed package's engines admits the floor the engines fields state
 * (no EBADENGINE), each package imported at run time is a dependency of the
 * package that imports it (pg-tap-runner's in runner/package.json, the bench's
 * in the root), and every install script is reviewed in allowScripts.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
interface Manifest {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}
const manifestOf = (dir: string) => JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) as Manifest;
const manifest = manifestOf('.');
const runner = manifestOf('runner');
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string }; hasInstallScript?: boolean; dev?: boolean }>;
};

type Version = [number, number, number];
const version = (text: string): Version => {
  const [major = 0, minor = 0, patch = 0] = text
    .replace(/^v/, '')
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : 0));
  return [major, minor, patch];
};
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `v` satisfies a node-semver range of the forms engines fields use: `>=x`, `^x.y`, `x`, `x.y.z`, `a || b`. */
function satisfies(v: Version, range: string): boolean {
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .every((comparator) => {
        const match = /^(>=|<=|>|<|\^|~)?v?([\dxX*.]+)$/.exec(comparator);
        assert.ok(match, `cannot read the range "${range}"`);
        const [, op = '', text = ''] = match;
        const parts = text
          .split('.')
          .filter((p) => /^\d+$/.test(p))
          .map(Number);
        const bound = version(parts.join('.'));
        if (op === '>=') return compare(v, bound) >= 0;
        if (op === '>') return compare(v, bound) > 0;
        if (op === '<') return compare(v, bound) < 0;
        if (op === '<=') return compare(v, bound) <= 0;
        if (op === '^') return v[0] === bound[0] && compare(v, bound) >= 0;
        if (op === '~') return v[0] === bound[0] && v[1] === bound[1] && compare(v, bound) >= 0;
        // "20", "20.19", "20.19.0": that release line, or exactly that version
        return parts.every((p, i) => v[i] === p);
      }),
  );
}

/** The lowest version of each release line our engines field admits: ">=20.19.0 || >=22.12" gives 20.19.0 and 22.12.0. */
function floors(range: string): Version[] {
  return range.split('||').map((alternative) => version(/(\d+(\.\d+){0,2})/.exec(alternative)![1]!));
}

test('the engines range check reads the forms packages use', () => {
  assert.ok(satisfies([20, 19, 0], '^20.19.0 || >=22.12.0'));
  assert.ok(!satisfies([20, 18, 3], '^20.19.0 || >=22.12.0'));
  assert.ok(!satisfies([21, 0, 0], '^20.19.0 || >=22.12.0'));
  assert.ok(satisfies([20, 0, 0], '20 || >=22') && !satisfies([21, 7, 0], '20 || >=22'));
  assert.ok(satisfies([20, 19, 0], '>= 12.17.0') && satisfies([20, 19, 0], '>= 10.x'));
  assert.ok(!satisfies([20, 19, 0], '>=22.12.0'));
});

test("engines states the real floor: every installed package's engines admits it, and the running Node.js is above it", () => {
  const ours = manifest.engines.node;
  assert.equal(runner.engines.node, ours, 'pg-tap-runner states the same floor');
  assert.ok(satisfies(version(process.versions.node), ours), `this Node.js ${process.versions.node} is outside ${ours}`);
  const refusing: string[] = [];
  for (const floor of floors(ours)) {
    assert.ok(satisfies(floor, ours), `${floor.join('.')} is not in ${ours}`);
    for (const [where, entry] of Object.entries(lock.packages)) {
      const range = entry.engines?.node;
      if (where === '' || range === undefined) continue;
      if (!satisfies(floor, range)) refusing.push(`${where.replace(/^node_modules\//, '')}@${entry.version} needs node ${range}, not ${floor.join('.')}`);
    }
  }
  assert.deepEqual(refusing, [], `npm ci would warn EBADENGINE on Node.js ${ours}`);
});

/** The packages the .ts files under `dir` import (not node: builtins, not relative paths). */
function importsUnder(dir: string, skip: (file: string) => boolean = () => false): Set<string> {
  const imported = new Set<string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts') && !skip(file)) {
        for (const [, a, b] of readFileSync(file, 'utf8').matchAll(/\bfrom '([^'.][^']*)'|\bimport\('([^'.][^']*)'\)/g)) {
          const specifier = a ?? b!;
          if (specifier.startsWith('node:')) continue;
          imported.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
        }
      }
    }
  };
  walk(path.join(ROOT, dir));
  return imported;
}

test('every package imported at run time is a dependency of the package that imports it', () => {
  const runnerImports = importsUnder('runner/src');
  assert.ok(runnerImports.has('@electric-sql/pglite') && runnerImports.has('smol-toml'), [...runnerImports].join(', '));
  assert.deepEqual([...runnerImports].filter((name) => runner.dependencies[name] === undefined).sort(), [], 'missing from runner/package.json dependencies');
  const benchImports = importsUnder('bench', (file) => file.endsWith('.test.ts'));
  assert.deepEqual([...benchImports].filter((name) => manifest.dependencies[name] === undefined).sort(), [], 'missing from package.json dependencies');
});

test('every install script is reviewed in allowScripts', () => {
  const unreviewed = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript === true)
    .map(([where, entry]) => ({ name: where.replace(/^.*node_modules\//, ''), version: entry.version }))
    .filter(({ name, version: v }) => manifest.allowScripts?.[name] === undefined && manifest.allowScripts?.[`${name}@${v}`] === undefined);
  assert.deepEqual(unreviewed, [], 'npm ci would warn "install scripts not yet covered by allowScripts"');
});
