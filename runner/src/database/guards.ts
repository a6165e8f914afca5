/**
 * The production guard: a reset destroys data, so it refuses (exit 2, nothing
 * touched) when the environment says production, when the server is not on
 * loopback without --allow-remote and --confirm <database>, and when the
 * database itself is marked production (`alter database ... set app.environment = 'production'`).
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
  if (target.kind !== 'server' || isLoopback(target.host)) return;
  if (!config.allowRemote) {
    throw refused(
      `refusing to ${action}: ${target.host} is not on this machine; ` +
        `pass --allow-remote --confirm ${target.database} if you really mean it`,
    );
  }
  if (config.confirm !== target.database) {
    throw refused(
      `refusing to ${action}: --allow-remote needs --confirm ${target.database} (the database's name)` +
        (config.confirm === null ? ' as well' : `, not --confirm ${config.confirm}`),
    );
  }
}

/** The database's own marker; run it right after connecting, before anything else. */
export async function guardDatabase(target: Target, action: string): Promise<void> {
  // the session's value, and the database's own setting in the catalogue (which a
  // session that started before "alter database ... set" does not see)
  const [row] = await target.query<{ session: string | null; database: string | null }>(`
    select current_setting('app.environment', true) as session,
           (select split_part(setting, '=', 2)
              from pg_catalog.pg_db_role_setting s
              join pg_catalog.pg_database d on d.oid = s.setdatabase,
                   unnest(s.setconfig) as setting
             where d.datname = current_database() and s.setrole = 0
               and setting like 'app.environment=%') as database`);
  for (const value of [row?.session, row?.database]) {
    if (value?.trim().toLowerCase() === 'production') {
      throw refused(
        `refusing to ${action}: the database is marked production (app.environment = 'production'); ` +
          'nothing was touched',
      );
    }
  }
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h.startsWith('/');
}
