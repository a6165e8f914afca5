/**
 * The little of supabase/config.toml the runner needs: `[db.seed]` (enabled,
 * sql_paths). A TOML subset parser, enough for the file `supabase init` writes:
 * tables, strings, numbers, booleans and arrays of those, comments.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'zx';

type Value = string | number | boolean | Value[];
export type Toml = Record<string, Record<string, Value>>;

export interface SeedConfig {
  enabled: boolean;
  /** patterns relative to the supabase directory, as written in config.toml */
  sqlPaths: string[];
}

export const DEFAULT_SEED: SeedConfig = { enabled: true, sqlPaths: ['./seed.sql'] };

/** Parses the TOML subset; keys are grouped by their table name ("db.seed"). */
export function parseToml(text: string): Toml {
  const tables: Toml = { '': {} };
  let current = tables['']!;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = stripComment(lines[i]!).trim();
    if (line === '') continue;
    const header = /^\[([A-Za-z0-9_.\-" ]+)\]$/.exec(line);
    if (header) {
      const name = header[1]!.replace(/"/g, '').trim();
      current = tables[name] ??= {};
      continue;
    }
    const pair = /^([A-Za-z0-9_\-"]+)\s*=\s*(.*)$/.exec(line);
    if (!pair) throw new Error(`config.toml line ${i + 1}: cannot read "${line}"`);
    let raw = pair[2]!;
    // an array may continue over several lines
    while (raw.startsWith('[') && !balanced(raw) && i + 1 < lines.length) {
      raw += ' ' + stripComment(lines[++i]!).trim();
    }
    current[pair[1]!.replace(/"/g, '')] = parseValue(raw.trim(), i + 1);
  }
  return tables;
}

export function seedConfig(toml: Toml): SeedConfig {
  const table = toml['db.seed'] ?? {};
  const enabled = table['enabled'];
  const paths = table['sql_paths'];
  return {
    enabled: typeof enabled === 'boolean' ? enabled : DEFAULT_SEED.enabled,
    sqlPaths: Array.isArray(paths) ? paths.map(String) : DEFAULT_SEED.sqlPaths,
  };
}

/** Reads supabase/config.toml; a missing file means the defaults. */
export async function readSeedConfig(supabaseDir: string): Promise<SeedConfig> {
  try {
    return seedConfig(parseToml(await readFile(path.join(supabaseDir, 'config.toml'), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_SEED;
    throw error;
  }
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

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

function balanced(raw: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (const c of raw) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
  }
  return depth === 0;
}

function parseValue(raw: string, line: number): Value {
  if (raw.startsWith('[')) {
    const inner = raw.slice(1, -1).trim();
    if (inner === '') return [];
    return splitTopLevel(inner)
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => parseValue(part, line));
  }
  if (raw.startsWith('"')) return JSON.parse(raw) as string;
  if (raw.startsWith("'")) return raw.slice(1, -1);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^[+-]?[0-9_]+(\.[0-9_]+)?$/.test(raw)) return Number(raw.replace(/_/g, ''));
  throw new Error(`config.toml line ${line}: unsupported value ${raw}`);
}

function splitTopLevel(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts;
}
