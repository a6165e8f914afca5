/**
 * The extensions a Supabase database has, on the embedded target.
 *
 * Every Supabase database has `uuid-ossp` and `pgcrypto` installed in schema
 * `extensions`, and many more available to `create extension`. PGlite ships
 * PostgreSQL's contrib modules as bundles (a gzipped tar of control files,
 * SQL scripts and a WebAssembly `.so`), beside pgvector's and pgTAP's, and a
 * bundle must be passed to `PGlite.create({ extensions })` for its extension
 * to exist at all.
 *
 * PGlite has no option to load a bundle lazily: for each one it is given, it
 * unpacks the files and compiles the `.so` while it starts, about half a
 * second more for all the contrib bundles on every start (every test worker
 * restores a snapshot, so that is paid per worker). So each contrib bundle
 * goes in through a small extension of our own (`lazyBundle`) that writes the
 * bundle's files into PGlite's file system once PostgreSQL is up, without
 * compiling anything; PostgreSQL then loads a `.so` the first time it needs it
 * (on `create extension` or the first call of one of its functions), as it
 * does on a server. Every extension is available, and only those used cost time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Extension, PGliteInterface } from '@electric-sql/pglite';
import { pgtap } from '@electric-sql/pglite-pgtap';
import { vector } from '@electric-sql/pglite-pgvector';
import type { Statement } from './sql-split.js';
import type { Target } from './target.js';

/**
 * Extensions a Supabase database offers that PGlite does not ship: a migration
 * that creates one needs a server target (a Supabase stack, or a PostgreSQL with
 * the extension installed). Supabase's own and third-party extensions, then the
 * contrib modules PGlite leaves out.
 */
export const SUPABASE_ONLY_EXTENSIONS = [
  'pg_net',
  'pg_graphql',
  'pgsodium',
  'supabase_vault',
  'pg_cron',
  'pgjwt',
  'pg_jsonschema',
  'pg_hashids',
  'pgmq',
  'http',
  'pg_tle',
  'plv8',
  'plpgsql_check',
  'pgaudit',
  'pg_repack',
  'pg_stat_monitor',
  'hypopg',
  'index_advisor',
  'rum',
  'pgroonga',
  'pgroonga_database',
  'timescaledb',
  'wrappers',
  'postgis',
  'postgis_raster',
  'postgis_sfcgal',
  'postgis_tiger_geocoder',
  'postgis_topology',
  'address_standardizer',
  'address_standardizer_data_us',
  'pgrouting',
  'dblink',
  'postgres_fdw',
  'pgstattuple',
  'pgrowlocks',
  'pg_prewarm',
  'sslinfo',
  'intagg',
  'xml2',
] as const;

interface BundleFile {
  name: string;
  data: Uint8Array;
}

/** The folder of PGlite's own contrib bundles (`<name>.tar.gz`). */
function contribDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
}

/** A bundle's files, read and unpacked once per thread. */
const unpacked = new Map<string, BundleFile[]>();
function bundleFiles(bundle: URL): BundleFile[] {
  const file = fileURLToPath(bundle);
  let files = unpacked.get(file);
  if (files === undefined) {
    files = untar(gunzipSync(readFileSync(file)));
    unpacked.set(file, files);
  }
  return files;
}

/** The regular files of a ustar archive (what PGlite's bundles are). */
function untar(archive: Uint8Array): BundleFile[] {
  const decoder = new TextDecoder();
  const field = (at: number, length: number) => {
    const bytes = archive.subarray(at, at + length);
    const end = bytes.indexOf(0);
    return decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
  };
  const files: BundleFile[] = [];
  let at = 0;
  while (at + 512 <= archive.length) {
    const name = field(at, 100);
    if (name === '') break;
    const size = parseInt(field(at + 124, 12).trim() || '0', 8);
    const type = field(at + 156, 1);
    const prefix = field(at + 257, 5) === 'ustar' ? field(at + 345, 155) : '';
    if (type === '0' || type === '') {
      files.push({ name: prefix === '' ? name : `${prefix}/${name}`, data: archive.slice(at + 512, at + 512 + size) });
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** PGlite's Emscripten module, as far as writing a bundle needs it. */
interface EmscriptenFs {
  WASM_PREFIX: string;
  FS: { mkdirTree(path: string): void; writeFile(path: string, data: Uint8Array): void };
}

/**
 * An extension whose bundle's files are written into PGlite's file system after
 * it starts, instead of being unpacked and compiled while it starts.
 */
function lazyBundle(name: string, bundle: URL): Extension {
  return {
    name,
    setup: async (pg: PGliteInterface) => ({
      init: async () => {
        const module = (pg as unknown as { Module: EmscriptenFs }).Module;
        for (const file of bundleFiles(bundle)) {
          const target = `${module.WASM_PREFIX}/${file.name}`;
          module.FS.mkdirTree(target.slice(0, target.lastIndexOf('/')));
          module.FS.writeFile(target, file.data);
        }
      },
    }),
  };
}

/** The bundle a PGlite extension package points at (pgvector's, pgTAP's). */
async function bundleOf(extension: Extension): Promise<URL> {
  const { bundlePath } = await extension.setup({} as PGliteInterface, {});
  if (bundlePath === undefined) throw new Error(`the PGlite extension ${extension.name} has no bundle`);
  return bundlePath;
}

/** The contrib bundles PGlite ships, each loaded lazily. */
let bundles: { name: string; bundle: URL }[] | undefined;
function contribBundles(): { name: string; bundle: URL }[] {
  const dir = contribDir();
  bundles ??= readdirSync(dir)
    .filter((file) => file.endsWith('.tar.gz'))
    .sort()
    .map((file) => ({ name: file.slice(0, -'.tar.gz'.length), bundle: pathToFileURL(path.join(dir, file)) }));
  return bundles;
}

/**
 * Every extension the embedded database offers, for `PGlite.create({ extensions })`:
 * pgvector and pgTAP as their packages load them (every database here uses
 * them), every contrib bundle lazily. Measured, this starts in the time and
 * memory the two alone take (PGlite with no bundle loaded the usual way at all
 * took more memory, not less: keep those two as they are).
 */
export async function embeddedExtensions(): Promise<Record<string, Extension>> {
  const extensions: Record<string, Extension> = { vector, pgtap };
  for (const { name, bundle } of contribBundles()) extensions[name.replace(/\W/g, '_')] = lazyBundle(name, bundle);
  return extensions;
}

/** The names `create extension` accepts on the embedded database: every control file of every bundle, and plpgsql. */
export async function embeddedExtensionNames(): Promise<Set<string>> {
  const names = new Set<string>(['plpgsql']);
  const all = [...contribBundles().map((c) => c.bundle), await bundleOf(vector), await bundleOf(pgtap)];
  for (const bundle of all) {
    for (const file of bundleFiles(bundle)) {
      const match = /^share\/postgresql\/extension\/([^/]+)\.control$/.exec(file.name);
      if (match) names.add(match[1]!);
    }
  }
  return names;
}

/** A `create extension` statement of a migration. */
export interface ExtensionUse {
  name: string;
  /** where, as file:line:col */
  at: string;
}

const CREATE_EXTENSION = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*create\s+extension\s+(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)/i;

/** The extensions the statements create with `create extension` (not those created by dynamic SQL). */
export function extensionsCreated(file: string, statements: Statement[]): ExtensionUse[] {
  const uses: ExtensionUse[] = [];
  for (const statement of statements) {
    const match = CREATE_EXTENSION.exec(statement.sql);
    if (match === null) continue;
    const quoted = match[1]!.startsWith('"');
    const name = quoted ? match[1]!.slice(1, -1).replace(/""/g, '"') : match[1]!.toLowerCase();
    uses.push({ name, at: `${file}:${statement.line}:${statement.column}` });
  }
  return uses;
}

/** Why these extensions cannot be created on the target; empty when they all can. */
export function missingExtensionProblems(uses: ExtensionUse[], available: Set<string>, target: { kind: 'embedded' | 'server'; label: string }): string[] {
  const supabaseOnly = new Set<string>(SUPABASE_ONLY_EXTENSIONS);
  return uses
    .filter((use) => !available.has(use.name))
    .map((use) =>
      target.kind === 'embedded'
        ? `${use.at} creates the extension ${use.name}, which the embedded database (PGlite) does not have` +
          `${supabaseOnly.has(use.name) ? ' (Supabase does)' : ''}: run against a server target that has it ` +
          '(DATABASE_URL or --db-url, such as a Supabase stack)'
        : `${use.at} creates the extension ${use.name}, which ${target.label} does not have: install it on the server`,
    );
}

/** The extensions `create extension` accepts on the target. */
export async function availableExtensions(target: Target): Promise<Set<string>> {
  if (target.kind === 'embedded') return embeddedExtensionNames();
  const rows = await target.query<{ name: string }>(`select name from pg_catalog.pg_available_extensions`);
  return new Set(rows.map((r) => r.name));
}
