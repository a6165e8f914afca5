/**
 * An embedded database restored from a snapshot without copying it: the
 * snapshot is an uncompressed tar of PGlite's data directory (as
 * `dumpDataDir('none')` writes it), and each file of the restored database is
 * a view into the tar's bytes.
 *
 * PGlite's own `loadDataDir` reads the tar through a Blob, tries it as a plain
 * tar, gunzips it, parses it and copies every file into its in-memory file
 * system. Here the file system is populated before PostgreSQL starts, the way
 * PGlite resumes a database it finds on disk; PostgreSQL then writes into
 * those views as into any file, so each restore needs bytes of its own.
 *
 * `readTar` is pure; `SnapshotFS` is the file system PGlite starts on;
 * `dataDirTar` writes the tar from a running PGlite's files.
 */
import { MemoryFS } from '@electric-sql/pglite';

/** PGlite's data directory inside its file system (PGDATA in PGlite's sources). */
const PGDATA = '/pglite/data';

export interface TarEntry {
  /** path inside the archive, without a leading slash */
  name: string;
  kind: 'file' | 'directory';
  /** a view into the archive, not a copy */
  data: Uint8Array;
}

const BLOCK = 512;
const decoder = new TextDecoder();

/** A NUL-terminated string field of a tar header. */
function field(header: Uint8Array, offset: number, length: number): string {
  const bytes = header.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return decoder.decode(end === -1 ? bytes : bytes.subarray(0, end));
}

/**
 * The files and folders of an uncompressed tar (ustar, or the variant PGlite
 * writes), each file's data a view into `tar`. Anything else than files and
 * folders (links, devices) is refused, as is a gzipped or damaged archive.
 */
export function readTar(tar: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  for (;;) {
    if (offset + BLOCK > tar.length) throw new Error('not an uncompressed tar, or a truncated one: it does not end with an empty block');
    const header = tar.subarray(offset, offset + BLOCK);
    if (header[0] === 0) break; // the empty blocks that end the archive
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    const stored = parseInt(field(header, 148, 8).trim(), 8);
    if (stored !== sum) throw new Error(`not an uncompressed tar, or a damaged one: bad header checksum at byte ${offset}`);
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const prefix = field(header, 345, 131);
    const name = (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100)).replace(/^\/+/, '').replace(/\/+$/, '');
    const type = String.fromCharCode(header[156]!);
    const start = offset + BLOCK;
    if (start + size > tar.length) throw new Error(`damaged tar: ${name} runs past the end of the archive`);
    if (type === '5') entries.push({ name, kind: 'directory', data: tar.subarray(start, start) });
    else if (type === '0' || type === '\0') entries.push({ name, kind: 'file', data: tar.subarray(start, start + size) });
    else throw new Error(`unsupported tar entry ${name} (type ${JSON.stringify(type)})`);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}

/** The part of Emscripten's file system API `dataDirTar` uses. */
interface EmscriptenFS {
  readdir(path: string): string[];
  stat(path: string): { mode: number };
  isDir(mode: number): boolean;
  readFile(path: string): Uint8Array;
}

const encoder = new TextEncoder();

/** A ustar header block: a file of `size` bytes, or a folder. */
function tarHeader(name: string, size: number, kind: 'file' | 'directory'): Uint8Array {
  const header = new Uint8Array(BLOCK);
  const put = (offset: number, text: string) => header.set(encoder.encode(text), offset);
  const path = kind === 'directory' ? `${name}/` : name;
  if (encoder.encode(path).length > 100) throw new Error(`cannot write ${path} in a tar: its name is over 100 bytes`);
  put(0, path);
  put(100, kind === 'directory' ? '0000700\0' : '0000600\0');
  put(108, '0000000\0');
  put(116, '0000000\0');
  put(124, `${size.toString(8).padStart(11, '0')}\0`);
  put(136, '00000000000\0');
  put(156, kind === 'directory' ? '5' : '0');
  put(257, 'ustar\0');
  put(263, '00');
  header.fill(32, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

/**
 * A running PGlite's data directory as an uncompressed tar, folders and files
 * sorted by name, for readTar: what `dumpDataDir('none')` writes, without its
 * Blob and the copies that go with it.
 */
export function dataDirTar(FS: EmscriptenFS): Uint8Array {
  const blocks: Uint8Array[] = [];
  let length = 0;
  const add = (block: Uint8Array) => {
    blocks.push(block);
    length += block.length;
  };
  const walk = (dir: string, prefix: string) => {
    for (const name of FS.readdir(dir)
      .filter((n) => n !== '.' && n !== '..')
      .sort()) {
      const file = `${dir}/${name}`;
      const entry = prefix === '' ? name : `${prefix}/${name}`;
      if (FS.isDir(FS.stat(file).mode)) {
        add(tarHeader(entry, 0, 'directory'));
        walk(file, entry);
      } else {
        const data = FS.readFile(file);
        add(tarHeader(entry, data.length, 'file'));
        add(data);
        if (data.length % BLOCK !== 0) add(new Uint8Array(BLOCK - (data.length % BLOCK)));
      }
    }
  };
  walk(PGDATA, '');
  add(new Uint8Array(2 * BLOCK));
  const tar = new Uint8Array(length);
  let offset = 0;
  for (const block of blocks) {
    tar.set(block, offset);
    offset += block.length;
  }
  return tar;
}

/**
 * PGlite's in-memory file system with the snapshot's data directory already
 * in it when PostgreSQL starts. Pass it as PGlite's `fs`, with no `dataDir`
 * and no `loadDataDir`.
 */
export class SnapshotFS extends MemoryFS {
  constructor(private readonly tar: Uint8Array) {
    super();
  }

  override async initialSyncFs(): Promise<void> {
    await super.initialSyncFs();
    const FS = this.pg!.Module.FS;
    FS.mkdirTree(PGDATA);
    for (const entry of readTar(this.tar)) {
      const target = entry.name === '' ? PGDATA : `${PGDATA}/${entry.name}`;
      if (entry.kind === 'directory') {
        FS.mkdirTree(target);
      } else {
        FS.mkdirTree(target.slice(0, target.lastIndexOf('/')));
        // canOwn: the file is the view itself, no copy
        FS.writeFile(target, entry.data, { canOwn: true });
      }
    }
    if (!FS.analyzePath(`${PGDATA}/PG_VERSION`).exists) throw new Error('the snapshot holds no PostgreSQL data directory (no PG_VERSION)');
  }
}
