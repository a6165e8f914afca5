/**
 * Naming a new migration, pure: `<UTC yyyymmddhhmmss>_<snake_case name>.sql`,
 * as `supabase migration new` names it.
 */
import { MIGRATION_NAME, compareFileNames } from './migration-files.js';

export const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** The 14-digit UTC timestamp of a moment: 2025-08-17T09:05:03Z -> 20250817090503. */
export function utcVersion(at: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    pad(at.getUTCFullYear(), 4) + pad(at.getUTCMonth() + 1) + pad(at.getUTCDate()) + pad(at.getUTCHours()) + pad(at.getUTCMinutes()) + pad(at.getUTCSeconds())
  );
}

/**
 * The problems with a new migration's name, given the files already there:
 * not snake_case, a name already used, a version already taken, or a file that
 * sorts after it (migrations apply in file-name order: the new one would be
 * applied out of order).
 */
export function newMigrationProblems(name: string, version: string, existing: string[]): string[] {
  const problems: string[] = [];
  const candidate = `${version}_${name}.sql`;
  if (!SNAKE_CASE.test(name)) {
    problems.push(`"${name}" is not a snake_case name (lowercase letters, digits and single underscores, starting with a letter)`);
  }
  for (const file of existing) {
    const match = MIGRATION_NAME.exec(file);
    if (match === null) continue;
    const [, fileVersion, fileName] = match;
    if (fileName === name) problems.push(`a migration named "${name}" exists already: ${file}`);
    if (fileVersion === version) problems.push(`version ${version} is taken by ${file}: wait a second and try again`);
    else if (compareFileNames(file, candidate) > 0) {
      problems.push(`${file} comes after ${candidate} in file-name order, the order migrations apply in: is the clock right?`);
    }
  }
  return problems;
}

export function migrationFileName(name: string, at: Date): string {
  return `${utcVersion(at)}_${name}.sql`;
}
