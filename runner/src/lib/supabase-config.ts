/**
 * supabase/config.toml, read with smol-toml (a complete TOML 1.0 parser), and
 * the little of it the runner needs: `[db.seed]` (enabled, sql_paths).
 *
 * Reading is pure and synchronous, so the configuration is checked with the
 * command line, before any database is opened or reset. A problem is one line
 * that starts `supabase/config.toml:line:col:`, then the lines around it with a
 * caret, as smol-toml shows them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { glob } from 'zx';

export interface SeedConfig {
  enabled: boolean;
  /** patterns relative to the supabase directory, as written in config.toml */
  sqlPaths: string[];
}

export const DEFAULT_SEED: SeedConfig = { enabled: true, sqlPaths: ['./seed.sql'] };

/** What the runner takes from config.toml. */
export interface SupabaseConfig {
  seed: SeedConfig;
}

/**
 * Parses config.toml's text. `file` is the path shown in problems. With
 * problems, `config` holds the defaults for what could not be read.
 */
export function parseSupabaseConfig(text: string, file: string): { config: SupabaseConfig; problems: string[] } {
  let document: Record<string, unknown>;
  try {
    document = parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    const context = error.codeblock.replace(/\n$/, '').split('\n').map((line) => `    ${line}`);
    return { config: { seed: DEFAULT_SEED }, problems: [[`${file}:${error.line}:${error.column}: ${reason}`, ...context].join('\n')] };
  }

  const problems: string[] = [];
  const at = (key: string) => {
    const line = lineOf(text, 'db.seed', key);
    return line === null ? `${file}: [db.seed] ${key}` : `${file}:${line}:1: [db.seed] ${key}`;
  };
  const db = document['db'];
  const seedTable = isTable(db) ? db['seed'] : undefined;
  if (db !== undefined && !isTable(db)) problems.push(`${file}: db must be a table ([db]), got ${shownValue(db)}`);
  if (seedTable !== undefined && !isTable(seedTable)) problems.push(`${file}: db.seed must be a table ([db.seed]), got ${shownValue(seedTable)}`);
  const seed = isTable(seedTable) ? seedTable : {};

  let enabled = DEFAULT_SEED.enabled;
  if (seed['enabled'] !== undefined) {
    if (typeof seed['enabled'] === 'boolean') enabled = seed['enabled'];
    else problems.push(`${at('enabled')} must be true or false, got ${shownValue(seed['enabled'])}`);
  }
  let sqlPaths = DEFAULT_SEED.sqlPaths;
  const paths = seed['sql_paths'];
  if (paths !== undefined) {
    if (Array.isArray(paths) && paths.every((p) => typeof p === 'string' && p !== '')) sqlPaths = paths;
    else problems.push(`${at('sql_paths')} must be a list of file paths or globs, like ["./seed.sql"], got ${shownValue(paths)}`);
  }
  return { config: { seed: { enabled, sqlPaths } }, problems };
}

/** Reads `<supabaseDir>/config.toml`; a missing file means the defaults, as for the Supabase CLI. */
export function readSupabaseConfig(supabaseDir: string, shownFile: string): { config: SupabaseConfig; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(path.join(supabaseDir, 'config.toml'), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { config: { seed: DEFAULT_SEED }, problems: [] };
    return { config: { seed: DEFAULT_SEED }, problems: [`${shownFile}: cannot be read (${code ?? (error as Error).message})`] };
  }
  return parseSupabaseConfig(text, shownFile);
}

/**
 * The seed files, in the order of the patterns, each pattern's matches sorted,
 * no file twice; patterns matching nothing are reported, as the CLI warns.
 */
export async function resolveSeedFiles(
  supabaseDir: string,
  patterns: string[],
): Promise<{ files: string[]; unmatched: string[] }> {
  const files: string[] = [];
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    const matches = (await glob(pattern, { cwd: supabaseDir, absolute: true, onlyFiles: true })).sort();
    if (matches.length === 0) unmatched.push(pattern);
    for (const match of matches) if (!files.includes(match)) files.push(match);
  }
  return { files, unmatched };
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function shownValue(value: unknown): string {
  return value instanceof Date ? value.toISOString() : JSON.stringify(value);
}

/**
 * The line where `key` is set in `table`, for a problem's location: under the
 * `[table]` header, or written out as `table.key = ...`. Null when not found
 * (an inline table, say): the problem then names the key without a line.
 */
function lineOf(text: string, table: string, key: string): number | null {
  const lines = text.split('\n');
  const name = (raw: string) => raw.replace(/["'\s]/g, '');
  let current = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const header = /^\[([^[\]]+)\]/.exec(line);
    if (header) {
      current = name(header[1]!);
      continue;
    }
    const assignment = /^([^=]+)=/.exec(line);
    if (assignment && `${current === '' ? '' : `${current}.`}${name(assignment[1]!)}` === `${table}.${key}`) return i + 1;
  }
  return null;
}
