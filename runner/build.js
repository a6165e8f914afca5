/**
 * The compiled runner: src/**\/*.ts transpiled to dist/**\/*.js by esbuild
 * (what tsx does at every start, done once), and dist/.source-hash, the hash
 * of the sources it was built from.
 *
 *   node runner/build.js    (npm run build; npm ci's prepare and make run it)
 *
 * bin/pg-tap-runner.js runs dist/ only when that hash is the hash of src/ as it
 * is now, so a developer who edits src/ never runs stale JavaScript: until the
 * next build, the sources run through tsx, as before.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
const HASH_FILE = '.source-hash';

/** Every .ts file under src, sorted. */
function sources() {
  return readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => path.join(src, name));
}

/** The hash of every source file's path and content, and of this file (how they are built). */
export function sourceHash() {
  const hash = createHash('sha256');
  for (const file of [...sources(), fileURLToPath(import.meta.url)]) {
    const content = readFileSync(file);
    hash.update(`${path.relative(root, file)}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex');
}

/** True when dist/ was built from the sources as they are now. */
export function isFresh() {
  try {
    return readFileSync(path.join(dist, HASH_FILE), 'utf8') === sourceHash();
  } catch {
    return false;
  }
}

/** Transpiles src/ into a new folder, then puts it in place of dist/. */
export async function build() {
  const { build: esbuild } = await import('esbuild');
  const hash = sourceHash();
  const next = `${dist}.${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  await esbuild({
    entryPoints: sources(),
    outdir: next,
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  writeFileSync(path.join(next, HASH_FILE), hash);
  const old = `${dist}.old.${process.pid}`;
  try {
    renameSync(dist, old);
  } catch {
    // no dist yet
  }
  renameSync(next, dist);
  rmSync(old, { recursive: true, force: true });
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await build();
}
