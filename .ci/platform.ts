/**
 * The platform fingerprint: the schemas auth, storage, realtime and extensions,
 * the roles, default privileges, extensions and publications
 * (server/platform-fingerprint.sql), after the runner's embedded bootstrap
 * (a new in-memory PGlite, ensurePlatform) against the same on a real
 * Supabase-like database (DATABASE_URL, fresh: before any project migration).
 * Every difference must be listed, with its reason, in server/platform-allowlist.txt;
 * an unlisted difference, or an entry that matches none any more, fails.
 *
 *   npx tsx .ci/platform.ts <DATABASE_URL>                   check (exit 1 on a problem)
 *   npx tsx .ci/platform.ts --print-unlisted <DATABASE_URL>  the unlisted differences in the
 *                                                           allowlist's format, to paste and give reasons
 *   npx tsx .ci/platform.ts --allowlist <file> <DATABASE_URL>  another allowlist (e.g. for a `supabase start` stack)
 *
 * The allowlist: `## <reason>` starts a group; each entry below it is `- <line>`
 * (only the embedded bootstrap has it) or `+ <line>` (only the real platform has
 * it), where `*` in <line> matches any text; `#` lines are comments.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { EmbeddedTarget, ensurePlatform } from 'pg-tap-runner';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FINGERPRINT_SQL = path.join(ROOT, 'server/platform-fingerprint.sql');
export const DEFAULT_ALLOWLIST = path.join(ROOT, 'server/platform-allowlist.txt');

/** A line of the fingerprint present on one side only: '-' embedded only, '+' the real platform only. */
export interface Difference {
  side: '-' | '+';
  line: string;
}

interface Entry {
  side: '-' | '+';
  pattern: string;
  matcher: RegExp;
  reason: string;
  lineNumber: number;
}

/** The fingerprint after the runner's embedded bootstrap, in a new in-memory PGlite. */
export async function embeddedFingerprint(): Promise<string[]> {
  const sql = await readFile(FINGERPRINT_SQL, 'utf8');
  const target = await EmbeddedTarget.open(null);
  try {
    await ensurePlatform(target);
    return (await target.query<{ line: string }>(sql)).map((r) => r.line);
  } finally {
    await target.close();
  }
}

/** The fingerprint of the database at `url`. */
export async function serverFingerprint(url: string): Promise<string[]> {
  const sql = await readFile(FINGERPRINT_SQL, 'utf8');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ line: string }>(sql)).rows.map((r) => r.line);
  } finally {
    await client.end();
  }
}

/** The lines on one side only (pure). */
export function differences(embedded: string[], server: string[]): Difference[] {
  const inServer = new Set(server);
  const inEmbedded = new Set(embedded);
  return [
    ...embedded.filter((l) => !inServer.has(l)).map((line) => ({ side: '-' as const, line })),
    ...server.filter((l) => !inEmbedded.has(l)).map((line) => ({ side: '+' as const, line })),
  ];
}

/** Parses the allowlist (pure); a malformed line or an entry without a reason is a problem. */
export function parseAllowlist(text: string): { entries: Entry[]; problems: string[] } {
  const entries: Entry[] = [];
  const problems: string[] = [];
  let reason = '';
  text.split('\n').forEach((raw, index) => {
    const lineNumber = index + 1;
    const line = raw.trimEnd();
    if (line === '' || (line.startsWith('#') && !line.startsWith('## '))) return;
    if (line.startsWith('## ')) {
      reason = line.slice(3).trim();
      if (reason === '' || /^TODO\b/.test(reason)) problems.push(`line ${lineNumber}: a group needs its reason, not "${line}"`);
      return;
    }
    const match = /^([-+]) (.+)$/.exec(line);
    if (match === null) {
      problems.push(`line ${lineNumber}: neither "## reason", "- line", "+ line" nor a # comment: ${line}`);
      return;
    }
    if (reason === '') problems.push(`line ${lineNumber}: an entry before any "## reason"`);
    const pattern = match[2]!;
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    entries.push({ side: match[1] as '-' | '+', pattern, matcher: new RegExp(`^${source}$`), reason, lineNumber });
  });
  return { entries, problems };
}

/** The differences no entry lists, and the entries that list no difference (pure). */
export function checkAgainst(diffs: Difference[], entries: Entry[]): { unlisted: Difference[]; stale: Entry[] } {
  const used = new Set<Entry>();
  const unlisted: Difference[] = [];
  for (const d of diffs) {
    const entry = entries.find((e) => e.side === d.side && e.matcher.test(d.line));
    if (entry === undefined) unlisted.push(d);
    else used.add(entry);
  }
  return { unlisted, stale: entries.filter((e) => !used.has(e)) };
}

/** Compares the platforms; returns the lines to print and whether the check passed. */
export async function comparePlatforms(url: string, allowlistFile = DEFAULT_ALLOWLIST): Promise<{ ok: boolean; report: string[]; unlisted: Difference[] }> {
  const [embedded, server] = await Promise.all([embeddedFingerprint(), serverFingerprint(url)]);
  const diffs = differences(embedded, server);
  const { entries, problems } = parseAllowlist(await readFile(allowlistFile, 'utf8'));
  const { unlisted, stale } = checkAgainst(diffs, entries);
  const shownFile = path.relative(ROOT, allowlistFile);
  const report = [
    `platform: ${embedded.length} facts embedded, ${server.length} on the server; ${diffs.length} differences, ` +
      `${diffs.length - unlisted.length} listed in ${shownFile} (${entries.length} entries)`,
    ...problems.map((p) => `platform: ${shownFile}: ${p}`),
    ...unlisted.map((d) => `platform: unlisted difference: ${d.side} ${d.line}`),
    ...stale.map((e) => `platform: ${shownFile}:${e.lineNumber}: matches no difference any more: ${e.side} ${e.pattern}`),
  ];
  if (unlisted.length > 0) {
    report.push(
      `platform: ${unlisted.length} unlisted: list each with its reason (npx tsx .ci/platform.ts --print-unlisted <DATABASE_URL> prints them in the file's format)`,
    );
  }
  return { ok: problems.length === 0 && unlisted.length === 0 && stale.length === 0, report, unlisted };
}

async function main(args: string[]): Promise<number> {
  let printUnlisted = false;
  let allowlist = DEFAULT_ALLOWLIST;
  let url = process.env['DATABASE_URL'] ?? '';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--print-unlisted') printUnlisted = true;
    else if (arg === '--allowlist' && args[i + 1] !== undefined) allowlist = path.resolve(args[++i]!);
    else if (!arg.startsWith('-')) url = arg;
    else {
      console.error(`platform: unknown option ${arg}; usage: npx tsx .ci/platform.ts [--print-unlisted] [--allowlist <file>] <DATABASE_URL>`);
      return 2;
    }
  }
  if (url === '') {
    console.error('platform: give the DATABASE_URL of a fresh Supabase-like database (make server prints one)');
    return 2;
  }
  const { ok, report, unlisted } = await comparePlatforms(url, allowlist);
  if (printUnlisted) {
    console.log('## TODO: why each of these differs (and whether the embedded bootstrap should change instead)');
    for (const d of unlisted) console.log(`${d.side} ${d.line}`);
    return 0;
  }
  for (const line of report) console.log(line);
  console.log(ok ? 'platform: every difference is listed with its reason' : 'platform: FAILED');
  return ok ? 0 : 1;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`platform: FAILED: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 2;
    },
  );
}
