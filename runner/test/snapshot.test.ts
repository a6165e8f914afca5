/**
 * The test snapshot's format and the compiled runner's freshness:
 * - readTar reads what PGlite's dumpDataDir('none') writes (and what tar(1)
 *   lists), each file a view into the archive; a gzipped or damaged archive
 *   and entries other than files and folders are refused;
 * - a database restored by SnapshotFS has what the snapshot's had, and two
 *   restores of copies of the same bytes are independent;
 * - build.js: dist is fresh for the sources it was built from, stale after any
 *   source changes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readTar } from '../src/database/snapshot-fs.js';
import { EmbeddedTarget } from '../src/database/target.js';

const RUNNER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A tar header and data blocks, as ustar writes them. */
function tarEntry(name: string, type: '0' | '5' | '2', data = ''): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${Buffer.byteLength(data).toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write(type, 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.write('        ', 148);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(data) / 512) * 512);
  body.write(data);
  return Buffer.concat([header, body]);
}

const archive = (...entries: Buffer[]) => Buffer.concat([...entries, Buffer.alloc(1024)]);

test('readTar lists folders and files, each file a view into the archive, not a copy', () => {
  const tar = archive(tarEntry('/base/', '5'), tarEntry('/base/1/PG_VERSION', '0', '18\n'), tarEntry('empty', '0'));
  const entries = readTar(tar);
  assert.deepEqual(
    entries.map((e) => [e.name, e.kind, Buffer.from(e.data).toString()]),
    [
      ['base', 'directory', ''],
      ['base/1/PG_VERSION', 'file', '18\n'],
      ['empty', 'file', ''],
    ],
  );
  assert.equal(entries[1]!.data.buffer, tar.buffer, 'the file is a view into the archive');
});

test('readTar refuses a gzipped archive, a damaged header, a truncated file and a link', () => {
  const good = archive(tarEntry('a', '0', 'hello'));
  assert.throws(() => readTar(gzipSync(good)), /not an uncompressed tar/);
  // a gzipped archive larger than a block: its first block is no tar header
  let seed = 1;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed & 0xff;
  };
  const noise = Buffer.from(Array.from({ length: 4096 }, next));
  assert.throws(() => readTar(gzipSync(archive(tarEntry('noise', '0', noise.toString('latin1'))))), /not an uncompressed tar, or a damaged one/);
  assert.throws(() => readTar(good.subarray(0, 1024)), /not an uncompressed tar, or a truncated one/);
  const damaged = Buffer.from(good);
  damaged[0] = 'b'.charCodeAt(0);
  assert.throws(() => readTar(damaged), /bad header checksum at byte 0/);
  assert.throws(() => readTar(good.subarray(0, 514)), /a runs past the end of the archive/);
  assert.throws(() => readTar(archive(tarEntry('link', '2'))), /unsupported tar entry link \(type "2"\)/);
});

test('a snapshot restores the database it was taken of, and each restore is its own', { timeout: 300_000 }, async () => {
  const source = await EmbeddedTarget.forSnapshot();
  let tar: Uint8Array;
  try {
    await source.exec(`create table notes (id int primary key, body text); insert into notes values (1, 'kept');`);
    tar = await source.snapshot();
  } finally {
    await source.close();
  }
  // what PGlite wrote is a tar that tar(1) reads too, with the same files
  const dir = mkdtempSync(path.join(os.tmpdir(), 'snapshot-test-'));
  writeFileSync(path.join(dir, 'snapshot.tar'), tar);
  const listed = execFileSync('tar', ['-tf', path.join(dir, 'snapshot.tar')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^\/+/, '').replace(/\/+$/, ''))
    .sort();
  assert.deepEqual(
    readTar(tar)
      .map((e) => e.name)
      .sort(),
    listed,
  );
  assert.ok(listed.includes('PG_VERSION') && listed.some((f) => f.startsWith('pg_wal/')));

  const first = await EmbeddedTarget.fromSnapshot(new Uint8Array(tar));
  const second = await EmbeddedTarget.fromSnapshot(new Uint8Array(tar));
  try {
    assert.deepEqual(await first.rowsAsText('select id, body from notes'), ['1|kept']);
    await first.exec(`insert into notes values (2, 'only in the first')`);
    assert.deepEqual(await first.rowsAsText('select count(*) from notes'), ['2']);
    assert.deepEqual(await second.rowsAsText('select count(*) from notes'), ['1'], "the second restore does not see the first one's writes");
    assert.deepEqual(await first.rowsAsText(`select current_setting('shared_buffers')`), ['16MB']);
  } finally {
    await first.close();
    await second.close();
  }
});

test('build.js: dist is fresh for the sources it was built from and stale after any change', () => {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'runner-build-'));
  cpSync(path.join(RUNNER, 'build.js'), path.join(copy, 'build.js'));
  cpSync(path.join(RUNNER, 'src'), path.join(copy, 'src'), { recursive: true });
  cpSync(path.join(RUNNER, 'package.json'), path.join(copy, 'package.json'));
  // esbuild, from the repository's node_modules
  symlinkSync(path.resolve(RUNNER, '..', 'node_modules'), path.join(copy, 'node_modules'));
  const node = (code: string) => execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: copy, encoding: 'utf8' }).trim();
  const fresh = () => node(`import { isFresh } from './build.js'; console.log(isFresh())`);
  assert.equal(fresh(), 'false', 'no dist yet');
  execFileSync(process.execPath, ['build.js'], { cwd: copy });
  assert.equal(fresh(), 'true');
  assert.ok(readFileSync(path.join(copy, 'dist', 'cli.js'), 'utf8').includes('compileWasmForShortRuns'));
  const file = path.join(copy, 'src', 'output.ts');
  writeFileSync(file, readFileSync(file, 'utf8') + '\n// edited\n');
  assert.equal(fresh(), 'false', 'a source changed');
  execFileSync(process.execPath, ['build.js'], { cwd: copy });
  assert.equal(fresh(), 'true');
});
