/**
 * package.json and package-lock.json as a clean `npm ci` on Node.js 20 needs
 * them: every installed package's engines admits the floor our engines field
 * states (no EBADENGINE), each package the runner imports is a dependency (not a
 * devDependency), and every install script is reviewed in allowScripts.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string }; hasInstallScript?: boolean; dev?: boolean }>;
};

type Version = [number, number, number];
const version = (text: string): Version => {
  const [major = 0, minor = 0, patch = 0] = text.replace(/^v/, '').split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : 0));
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
        const parts = text.split('.').filter((p) => /^\d+$/.test(p)).map(Number);
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

test('every package the runner imports is a dependency, so a production install runs every command', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
      // sql-compat.ts is test-only code (postgres15-compat.test.ts): its libpg-query is a devDependency
      else if (entry.name.endsWith('.ts') && entry.name !== 'sql-compat.ts') files.push(path.join(dir, entry.name));
    }
  };
  walk(path.join(ROOT, 'runner', 'src'));
  const imported = new Set<string>();
  for (const file of files) {
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/\bfrom '([^'.][^']*)'|\bimport\('([^'.][^']*)'\)/g)) {
      if (specifier === undefined || specifier.startsWith('node:')) continue;
      imported.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  }
  assert.ok(imported.has('@electric-sql/pglite') && imported.has('smol-toml'), [...imported].join(', '));
  assert.deepEqual([...imported].filter((name) => manifest.dependencies[name] === undefined).sort(), []);
});

test('every install script is reviewed in allowScripts', () => {
  const unreviewed = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript === true)
    .map(([where, entry]) => ({ name: where.replace(/^.*node_modules\//, ''), version: entry.version }))
    .filter(({ name, version: v }) => manifest.allowScripts?.[name] === undefined && manifest.allowScripts?.[`${name}@${v}`] === undefined);
  assert.deepEqual(unreviewed, [], 'npm ci would warn "install scripts not yet covered by allowScripts"');
});
