/**
 * The production guard: a reset destroys data, so it refuses (exit 2, nothing
 * touched) when the environment says production; when the connection goes
 * anywhere but this machine, without --allow-remote and --confirm <database>;
 * when the database itself is marked production; and, the first time, when the
 * database holds what neither the platform nor the project's migrations made
 * (consent.ts), without --confirm <database>.
 *
 * Where the connection goes is judged on every host the driver could use (the
 * URL's host, its `host` and `hostaddr` parameters, PGHOST, PGHOSTADDR: config.ts's
 * serverTarget) before connecting, and on the address the socket reached after.
 *
 * The database's production marker is one its owner can set without being a
 * superuser (on Supabase, `postgres` owns the database `postgres` but may not
 * `alter database ... set` a custom setting):
 *   comment on database postgres is 'app.environment=production';
 * The older `alter database ... set app.environment = 'production'`, where a
 * superuser could set it, is still honoured.
 */
import type { Config } from '../config.js';
import { refused } from '../errors.js';
import type { Target } from './target.js';

/** Checks that need no connection; run them before connecting. */
export function guardBeforeConnecting(config: Config, action: string): void {
  for (const name of ['APP_ENV', 'NODE_ENV'] as const) {
    if (config.environment[name]?.trim().toLowerCase() === 'production') {
      throw refused(`refusing to ${action}: ${name} is "production"`);
    }
  }
  const target = config.target;
  if (target.kind !== 'server') return;
  const remote = target.hosts.filter((h) => !isLoopback(h));
  if (remote.length === 0) return;
  const where = remote.includes(target.host)
    ? `${destination(target.host, target.port)} is not on this machine`
    : `the connection string also names ${remote.join(', ')} (hostaddr or PGHOSTADDR), which is not on this machine`;
  allowRemote(
    config,
    action,
    where + (remote.length > 1 && remote.includes(target.host) ? ` (nor ${remote.filter((h) => h !== target.host).join(', ')})` : ''),
    target.database,
  );
}

/** Passes only with --allow-remote --confirm <database>. */
function allowRemote(config: Config, action: string, why: string, database: string): void {
  if (!config.allowRemote) {
    throw refused(`refusing to ${action}: ${why}; pass --allow-remote --confirm ${database} if you really mean it`);
  }
  if (config.confirm !== database) {
    throw refused(
      `refusing to ${action}: --allow-remote needs --confirm ${database} (the database's name)` +
        (config.confirm === null ? ' as well' : `, not --confirm ${config.confirm}`),
    );
  }
}

/** "127.0.0.1:54322", "[::1]:5432", "the socket in /var/run/postgresql (port 5432)" */
export function destination(host: string, port: number): string {
  if (host.startsWith('/')) return `the Unix socket in ${host} (port ${port})`;
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Run right after connecting, before anything else: the address the
 * connection reached (a name that resolved elsewhere than its looks), and the
 * database's production marker.
 */
export async function guardDatabase(target: Target, action: string, config?: Config): Promise<void> {
  if (config?.target.kind === 'server' && target.peer !== undefined && target.peer !== null && !isLoopback(target.peer)) {
    const { host, port, database } = config.target;
    if (isLoopback(host)) allowRemote(config, action, `${destination(host, port)} reached ${target.peer}, which is not on this machine`, database);
  }
  // the session's value, the database's own setting in the catalogue (which a session that
  // started before "alter database ... set" does not see), and the database's comment
  const [row] = await target.query<{ session: string | null; database: string | null; comment: string | null }>(`
    select current_setting('app.environment', true) as session,
           (select split_part(setting, '=', 2)
              from pg_catalog.pg_db_role_setting s
              join pg_catalog.pg_database d on d.oid = s.setdatabase,
                   unnest(s.setconfig) as setting
             where d.datname = current_database() and s.setrole = 0
               and setting like 'app.environment=%') as database,
           (select pg_catalog.shobj_description(d.oid, 'pg_database')
              from pg_catalog.pg_database d where d.datname = current_database()) as comment`);
  const marked = [row?.session, row?.database].some((value) => value?.trim().toLowerCase() === 'production') || PRODUCTION_COMMENT.test(row?.comment ?? '');
  if (marked) {
    throw refused(
      `refusing to ${action}: the database is marked production ` +
        `(${PRODUCTION_COMMENT.test(row?.comment ?? '') ? 'its comment says app.environment=production' : "app.environment = 'production'"}); nothing was touched`,
    );
  }
}

/** The production marker in a database's comment: `app.environment=production`, anywhere in it. */
export const PRODUCTION_COMMENT = /\bapp\.environment\s*=\s*'?production\b/i;

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(h) || h.startsWith('/')
  );
}
