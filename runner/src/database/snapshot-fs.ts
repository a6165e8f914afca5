/**
 * An embedded database restored from a snapshot without copying it: the
 * snapshot is an uncompressed tar of PGlite's data directory (`dumpDataDir('none')`),
 * and each file of the restored database is a view into the tar's bytes.
 *
 * PGlite's own `loadDataDir` reads the tar through a Blob, tries it as a plain
 * tar, gunzips it, parses it and copies every file into its in-memory file
 * system. Here the file system is populated before PostgreSQL starts, the way
 * PGlite resumes a database it finds on disk; PostgreSQL then writes into
 * those views as into any file, so each restore needs bytes of its own.
 *
 * `readTar` is pure; `SnapshotFS` is the file system PGlite starts on.
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
