/**
 * The seed files that supabase/config.toml's `[db.seed] sql_paths` name
 * (config.ts reads the file itself, with the command line).
 */
import { glob } from 'zx';

/**
 * The seed files, in the order of the patterns, each pattern's matches sorted,
 * no file twice; patterns matching nothing are reported, as the CLI warns.
 */
export async function resolveSeedFiles(supabaseDir: string, patterns: string[]): Promise<{ files: string[]; unmatched: string[] }> {
  const files: string[] = [];
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    const matches = (await glob(pattern, { cwd: supabaseDir, absolute: true, onlyFiles: true })).sort();
    if (matches.length === 0) unmatched.push(pattern);
    for (const match of matches) if (!files.includes(match)) files.push(match);
  }
  return { files, unmatched };
}
