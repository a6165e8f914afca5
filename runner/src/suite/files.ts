/**
 * Which files a run reads, from the file system: every `.sql` and `.pg` under
 * the tests folder, as `supabase test db` runs them (`pg_prove --ext .pg --ext
 * .sql -r`), or the files, folders and globs given, then `--grep` and
 * `--shard` (selection.ts). A file that cannot be read, or no file at all, is
 * a usage error, found before anything is built.
 */
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'zx';
import type { Config } from '../config.js';
import { shown } from '../config.js';
import { schemasCreatedBy } from '../database/project-schemas.js';
import { splitSql } from '../database/sql-split.js';
import { usage } from '../errors.js';
import { TEST_FILE_GLOB, commitsChanges, grepFiles, isGlob, setupPrefix, shardFiles } from './selection.js';

/**
 * The files this run reports, in path order, and the setup files every run
 * applies. Unreadable files and an empty selection are usage errors.
 */
export async function chooseFiles(config: Config): Promise<{ selected: string[]; setupFiles: string[] }> {
  const all = await findTestFiles(config);
  const setupFiles = await findSetupFiles(config);
  const grepped = grepFiles(all, config.test.grep, (f) => shown(config, f));
  if (grepped.length === 0) throw usage(`no test file matches --grep ${config.test.grep?.source}`);
  return { selected: shardFiles(grepped, config.test.shard, setupFiles), setupFiles };
}

/** The leading files of the tests directory that commit changes by what they say (selection.ts). */
export async function findSetupFiles(config: Config): Promise<string[]> {
  const files = (await glob(TEST_FILE_GLOB, { cwd: config.testsDir, absolute: true, onlyFiles: false }).catch(() => [])).sort();
  const commits = new Map<string, boolean>();
  for (const file of files) {
    const content = await readFile(file, 'utf8').catch(() => null);
    const says =
      content !== null &&
      commitsChanges(
        splitSql(content, { psql: true })
          .filter((s) => s.meta !== true)
          .map((s) => s.sql),
      );
    commits.set(file, says);
    if (!says) break;
  }
  return setupPrefix(files, (file) => commits.get(file) === true);
}

/** The schemas setup files create (test helpers): never the project's (database/project-schemas.ts). */
export async function setupSchemas(setupFiles: string[]): Promise<string[]> {
  return schemasCreatedBy(await Promise.all(setupFiles.map((file) => readFile(file, 'utf8'))));
}

/** The `.sql` and `.pg` files under the given paths or globs (default: the tests directory), sorted by path. */
export async function findTestFiles(config: Config): Promise<string[]> {
  const roots = config.testPaths.length > 0 ? config.testPaths : [config.testsDir];
  const files = new Set<string>();
  for (const root of roots) {
    if (isGlob(root)) {
      const matches = await glob(root, { cwd: config.root, absolute: true, onlyFiles: false });
      if (matches.length === 0) throw usage(`no file matches ${shown(config, root)}`);
      for (const match of matches) files.add(match);
      continue;
    }
    const resolved = path.resolve(config.root, root);
    const info = await stat(resolved).catch(() => null);
    if (info === null) throw usage(`no such test file or directory: ${shown(config, resolved)}`);
    if (info.isFile()) files.add(resolved);
    // onlyFiles false: a broken link is listed, to be reported unreadable rather than skipped
    else for (const file of await glob(TEST_FILE_GLOB, { cwd: resolved, absolute: true, onlyFiles: false })) files.add(file);
  }
  // folders named *.sql or *.pg are not files; anything else that cannot be read is reported, all at once
  const unreadable: string[] = [];
  for (const file of [...files]) {
    const info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      files.delete(file);
      continue;
    }
    const problem = await access(file, constants.R_OK).then(
      () => null,
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    );
    if (problem !== null) unreadable.push(`${shown(config, file)} (${problem === 'ENOENT' ? 'ENOENT: a broken link, or deleted' : problem})`);
  }
  if (unreadable.length > 0) throw usage(`cannot read test file${unreadable.length === 1 ? '' : 's'}:\n${unreadable.map((u) => `  - ${u}`).join('\n')}`);
  if (files.size === 0) {
    throw usage(`no pgTAP files (*.sql, *.pg) under ${roots.map((r) => (isGlob(r) ? r : shown(config, path.resolve(config.root, r)))).join(', ')}`);
  }
  return [...files].sort();
}
