/**
 * Probes the real database as each actor of the RLS matrix and records what
 * every command could reach.
 *
 * Everything happens inside one transaction that is always rolled back. As the
 * connecting role it builds fixtures with literal UUIDs: users owner, other
 * and admin (auth.users and profiles), a published and an unpublished automation
 * with a tool, steps and media, and for owner and other a questionnaire session
 * with an answer, a weekly discovery with a recommendation, an adopted
 * automation with progress, a subscription and a usage counter. Then each probe
 * is one call of a temporary function, one round trip: inside a plpgsql
 * exception block (a savepoint), it optionally prepares as the connecting role,
 * becomes the actor with set_config('role') and set_config('request.jwt.claims'),
 * runs one statement, and raises to undo it, so no probe sees another's effects.
 *
 *   select  one statement over all the probed rows: which of them are visible
 *   insert  one new row per group (the owner's / the other user's; published / unpublished)
 *   update  per row, every column set to itself; when that is refused for lack of
 *           privilege, each column alone, to find the columns that may change
 *   delete  per row
 *
 * Values never change (`set c = c`): the matrix is about rows and columns, which
 * policies and privileges decide. Attacks on values (raising one's own role,
 * moving a row to someone else) are the pgTAP files' job.
 *
 * Needs nothing a Supabase `postgres` lacks, superuser or not: TEMP (for the
 * function), membership in the API roles, ownership of the public tables and
 * the right to write auth.users (Supabase's postgres has privileges there and
 * BYPASSRLS; auth.users has row level security enabled). Checked against a
 * PostgreSQL 15 server as a non-superuser postgres set up that way.
 */
import { quoteIdent, quoteLiteral as lit } from '../database/sql-quote.js';
import type { Target } from '../database/target.js';
import { describe } from '../errors.js';
import {
  ACTORS,
  COMMANDS,
  cellKey,
  type Actor,
  type Command,
  type Matrix,
  type Outcome,
  type TableKind,
} from './rls-matrix.js';

/** The rows a probe targets: whose they are, or which automation they belong to. */
export type Group = 'owner' | 'other' | 'published' | 'unpublished';

const GROUP_NAME: Record<Group, string> = {
  owner: "the owner's row",
  other: "the other user's row",
  published: 'the published row',
  unpublished: 'the unpublished row',
};

// Literal UUIDs, recognisable and far from any seed data.
const id = (n: number) => `f1500000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const USER = { owner: id(1), other: id(2), admin: id(3) } as const;
const AUTOMATION = { published: id(10), unpublished: id(11) } as const;
/** published, adopted and recommended by no one: what an insert into user_automations adopts and one into discovered_automations recommends */
const UNADOPTED = id(19);
const TOOL = { published: id(12), unpublished: id(13) } as const;
const STEP = { published: id(14), unpublished: id(15) } as const;
const SECOND_STEP = id(16);
const MEDIA = { published: id(17), unpublished: id(18) } as const;
const SESSION = { owner: id(20), other: id(21) } as const;
const RESPONSE = { owner: id(22), other: id(23) } as const;
const DISCOVERY = { owner: id(24), other: id(25) } as const;
const RECOMMENDATION = { owner: id(26), other: id(27) } as const;
const ADOPTION = { owner: id(28), other: id(29) } as const;
const PROGRESS = { owner: id(30), other: id(31) } as const;
const SUBSCRIPTION = { owner: id(32), other: id(33) } as const;
const USAGE = { owner: id(34), other: id(35) } as const;

type UserGroup = 'owner' | 'other';
type CatalogueGroup = 'published' | 'unpublished';

interface ProbedTable {
  name: string;
  kind: TableKind;
  /** the primary key column the probes filter on */
  key: string;
  /** the fixture row of each group */
  rows: Partial<Record<Group, string>>;
  /** a new row for the group; `prepare` runs first, as the connecting role */
  insert(group: Group): { prepare?: string; sql: string };
  /** runs before a delete, as the connecting role: clears what would refuse it for reasons other than security */
  prepareDelete?(row: string): string;
}

const userOf = (group: Group) => lit(USER[group as UserGroup]);
const onUser = <T extends Record<UserGroup, string>>(ids: T, group: Group) => lit(ids[group as UserGroup]);
const onAutomation = <T extends Record<CatalogueGroup, string>>(ids: T, group: Group) => lit(ids[group as CatalogueGroup]);

/** Every table of schema public, in the schema's order. A new table must be added here and to the matrix file. */
export const PROBED_TABLES: readonly ProbedTable[] = [
  {
    name: 'user_profiles',
    kind: 'user',
    key: 'user_id',
    rows: userRows(USER),
    insert: (g) => ({
      prepare: `delete from public.user_profiles where user_id = ${userOf(g)}`,
      sql: `insert into public.user_profiles (user_id, full_name) values (${userOf(g)}, 'Probe')`,
    }),
  },
  {
    name: 'questionnaire_sessions',
    kind: 'user',
    key: 'id',
    rows: userRows(SESSION),
    insert: (g) => ({ sql: `insert into public.questionnaire_sessions (user_id) values (${userOf(g)})` }),
  },
  {
    name: 'questionnaire_responses',
    kind: 'user',
    key: 'id',
    rows: userRows(RESPONSE),
    insert: (g) => ({
      sql: `insert into public.questionnaire_responses (session_id, user_id, question_key, answer)
            values (${onUser(SESSION, g)}, ${userOf(g)}, 'rls_probe', '"yes"')`,
    }),
  },
  {
    name: 'automations',
    kind: 'catalogue',
    key: 'id',
    rows: catalogueRows(AUTOMATION),
    insert: (g) => ({
      sql: `insert into public.automations (slug, title, summary, category, difficulty, published)
            values ('rls-probe-new-${g}', 'New', 'New', 'operations', 'easy', ${g === 'published'})`,
    }),
    // adoptions restrict the delete of an automation: that is integrity, not security
    prepareDelete: (row) => `delete from public.user_automations where automation_id = ${lit(row)}`,
  },
  {
    name: 'automation_tools',
    kind: 'catalogue',
    key: 'id',
    rows: catalogueRows(TOOL),
    insert: (g) => ({
      sql: `insert into public.automation_tools (automation_id, name) values (${onAutomation(AUTOMATION, g)}, 'New tool')`,
    }),
  },
  {
    name: 'implementation_steps',
    kind: 'catalogue',
    key: 'id',
    rows: catalogueRows(STEP),
    insert: (g) => ({
      sql: `insert into public.implementation_steps (automation_id, step_number, title, instructions)
            values (${onAutomation(AUTOMATION, g)}, 9, 'New step', 'New')`,
    }),
  },
  {
    name: 'step_media',
    kind: 'catalogue',
    key: 'id',
    rows: catalogueRows(MEDIA),
    insert: (g) => ({
      sql: `insert into public.step_media (step_id, media_type, url, position)
            values (${onAutomation(STEP, g)}, 'image', 'https://example.com/new.png', 2)`,
    }),
  },
  {
    name: 'weekly_discoveries',
    kind: 'user',
    key: 'id',
    rows: userRows(DISCOVERY),
    insert: (g) => ({
      sql: `insert into public.weekly_discoveries (user_id, week_of) values (${userOf(g)}, '2025-08-25')`,
    }),
  },
  {
    name: 'discovered_automations',
    kind: 'user',
    key: 'id',
    rows: userRows(RECOMMENDATION),
    insert: (g) => ({
      sql: `insert into public.discovered_automations (discovery_id, user_id, automation_id, rank, relevance_score)
            values (${onUser(DISCOVERY, g)}, ${userOf(g)}, ${lit(UNADOPTED)}, 2, 0.5)`,
    }),
  },
  {
    name: 'user_automations',
    kind: 'user',
    key: 'id',
    rows: userRows(ADOPTION),
    insert: (g) => ({
      sql: `insert into public.user_automations (user_id, automation_id) values (${userOf(g)}, ${lit(UNADOPTED)})`,
    }),
  },
  {
    name: 'automation_progress',
    kind: 'user',
    key: 'id',
    rows: userRows(PROGRESS),
    insert: (g) => ({
      sql: `insert into public.automation_progress (user_id, user_automation_id, automation_id, step_id)
            values (${userOf(g)}, ${onUser(ADOPTION, g)}, ${lit(AUTOMATION.published)}, ${lit(SECOND_STEP)})`,
    }),
  },
  {
    name: 'subscriptions',
    kind: 'user',
    key: 'id',
    rows: userRows(SUBSCRIPTION),
    insert: (g) => ({
      // canceled: history, so it does not collide with the live one
      sql: `insert into public.subscriptions (user_id, stripe_customer_id, plan, status)
            values (${userOf(g)}, 'cus_rls_probe_new', 'pro', 'canceled')`,
    }),
  },
  {
    name: 'usage_metrics',
    kind: 'user',
    key: 'id',
    rows: userRows(USAGE),
    insert: (g) => ({
      sql: `insert into public.usage_metrics (user_id, metric, period_start, period_end)
            values (${userOf(g)}, 'ai_queries', '2025-08-01', '2025-09-01')`,
    }),
  },
];

function userRows(ids: Record<UserGroup, string>): Partial<Record<Group, string>> {
  return { owner: ids.owner, other: ids.other };
}
function catalogueRows(ids: Record<CatalogueGroup, string>): Partial<Record<Group, string>> {
  return { published: ids.published, unpublished: ids.unpublished };
}

/** Each probed table and how its rows belong, for the matrix parser. */
export const TABLE_KINDS: ReadonlyMap<string, TableKind> = new Map(PROBED_TABLES.map((t) => [t.name, t.kind]));

const FIXTURES_SQL = /* sql */ `
insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, email_confirmed_at, created_at, updated_at)
values
  (${lit(USER.owner)}, 'authenticated', 'authenticated', 'rls-probe-owner@probe.invalid', '{"provider": "email"}', '{}', now(), now(), now()),
  (${lit(USER.other)}, 'authenticated', 'authenticated', 'rls-probe-other@probe.invalid', '{"provider": "email"}', '{}', now(), now(), now()),
  (${lit(USER.admin)}, 'authenticated', 'authenticated', 'rls-probe-admin@probe.invalid', '{"provider": "email"}', '{}', now(), now(), now());

insert into public.user_profiles (user_id, full_name, business_name, role)
values
  (${lit(USER.owner)}, 'Probe Owner', 'Owner Ltd', 'user'),
  (${lit(USER.other)}, 'Probe Other', 'Other Ltd', 'user'),
  (${lit(USER.admin)}, 'Probe Admin', 'Platform', 'admin');

insert into public.automations (id, slug, title, summary, category, difficulty, published)
values
  (${lit(AUTOMATION.published)}, 'rls-probe-published', 'Published', 'Published', 'operations', 'easy', true),
  (${lit(AUTOMATION.unpublished)}, 'rls-probe-unpublished', 'Unpublished', 'Unpublished', 'operations', 'easy', false),
  (${lit(UNADOPTED)}, 'rls-probe-unadopted', 'Unadopted', 'Unadopted', 'operations', 'easy', true);

insert into public.automation_tools (id, automation_id, name)
values
  (${lit(TOOL.published)}, ${lit(AUTOMATION.published)}, 'Tool'),
  (${lit(TOOL.unpublished)}, ${lit(AUTOMATION.unpublished)}, 'Tool');

insert into public.implementation_steps (id, automation_id, step_number, title, instructions)
values
  (${lit(STEP.published)}, ${lit(AUTOMATION.published)}, 1, 'Step one', 'Do it'),
  (${lit(SECOND_STEP)}, ${lit(AUTOMATION.published)}, 2, 'Step two', 'Do it again'),
  (${lit(STEP.unpublished)}, ${lit(AUTOMATION.unpublished)}, 1, 'Step one', 'Do it');

insert into public.step_media (id, step_id, media_type, url)
values
  (${lit(MEDIA.published)}, ${lit(STEP.published)}, 'image', 'https://example.com/published.png'),
  (${lit(MEDIA.unpublished)}, ${lit(STEP.unpublished)}, 'image', 'https://example.com/unpublished.png');

insert into public.questionnaire_sessions (id, user_id)
values (${lit(SESSION.owner)}, ${lit(USER.owner)}), (${lit(SESSION.other)}, ${lit(USER.other)});

insert into public.questionnaire_responses (id, session_id, user_id, question_key, answer)
values
  (${lit(RESPONSE.owner)}, ${lit(SESSION.owner)}, ${lit(USER.owner)}, 'business_size', '"solo"'),
  (${lit(RESPONSE.other)}, ${lit(SESSION.other)}, ${lit(USER.other)}, 'business_size', '"solo"');

insert into public.weekly_discoveries (id, user_id, week_of, status, generated_at)
values
  (${lit(DISCOVERY.owner)}, ${lit(USER.owner)}, '2025-08-18', 'ready', now()),
  (${lit(DISCOVERY.other)}, ${lit(USER.other)}, '2025-08-18', 'ready', now());

insert into public.discovered_automations (id, discovery_id, user_id, automation_id, rank, relevance_score)
values
  (${lit(RECOMMENDATION.owner)}, ${lit(DISCOVERY.owner)}, ${lit(USER.owner)}, ${lit(AUTOMATION.published)}, 1, 0.9),
  (${lit(RECOMMENDATION.other)}, ${lit(DISCOVERY.other)}, ${lit(USER.other)}, ${lit(AUTOMATION.published)}, 1, 0.9);

insert into public.user_automations (id, user_id, automation_id, status, started_at)
values
  (${lit(ADOPTION.owner)}, ${lit(USER.owner)}, ${lit(AUTOMATION.published)}, 'in_progress', now()),
  (${lit(ADOPTION.other)}, ${lit(USER.other)}, ${lit(AUTOMATION.published)}, 'in_progress', now());

insert into public.automation_progress (id, user_id, user_automation_id, automation_id, step_id, status)
values
  (${lit(PROGRESS.owner)}, ${lit(USER.owner)}, ${lit(ADOPTION.owner)}, ${lit(AUTOMATION.published)}, ${lit(STEP.published)}, 'in_progress'),
  (${lit(PROGRESS.other)}, ${lit(USER.other)}, ${lit(ADOPTION.other)}, ${lit(AUTOMATION.published)}, ${lit(STEP.published)}, 'in_progress');

insert into public.subscriptions (id, user_id, stripe_customer_id, stripe_subscription_id, plan, status, current_period_start, current_period_end)
values
  (${lit(SUBSCRIPTION.owner)}, ${lit(USER.owner)}, 'cus_rls_probe_owner', 'sub_rls_probe_owner', 'pro', 'active', now(), now() + interval '1 month'),
  (${lit(SUBSCRIPTION.other)}, ${lit(USER.other)}, 'cus_rls_probe_other', 'sub_rls_probe_other', 'pro', 'active', now(), now() + interval '1 month');

insert into public.usage_metrics (id, user_id, metric, period_start, period_end, quantity)
values
  (${lit(USAGE.owner)}, ${lit(USER.owner)}, 'discoveries', '2025-08-01', '2025-09-01', 3),
  (${lit(USAGE.other)}, ${lit(USER.other)}, 'discoveries', '2025-08-01', '2025-09-01', 3);
`;

/**
 * One probe: prepare as the connecting role, become the actor, run the
 * statement, then raise so that the exception block (a savepoint) undoes the
 * statement, the preparation, the role and the claims alike. `phase` tells a
 * failed preparation (a fixture that no longer fits the schema) from a refusal.
 */
const PROBE_FUNCTION_SQL = /* sql */ `
create function pg_temp.rls_probe(
  actor_role text, claims text, prepare text, statement text, is_select boolean,
  out reached text[], out affected integer, out phase text, out error_code text, out error_message text
)
language plpgsql
as $$
begin
  begin
    phase := 'prepare';
    if prepare is not null then
      execute prepare;
    end if;
    phase := 'probe';
    perform set_config('role', actor_role, true);
    perform set_config('request.jwt.claims', claims, true);
    if is_select then
      execute statement into reached;
      affected := coalesce(cardinality(reached), 0);
    else
      execute statement;
      get diagnostics affected = row_count;
    end if;
    raise exception using errcode = 'RLSPR', message = 'undo the probe';
  exception
    when sqlstate 'RLSPR' then
      null;
    when others then
      error_code := sqlstate;
      error_message := sqlerrm;
      affected := 0;
  end;
end;
$$;
`;

interface Session {
  role: string;
  claims: string;
}

function sessionOf(actor: Actor): Session {
  const user = (name: 'owner' | 'other' | 'admin'): Session => ({
    role: 'authenticated',
    claims: JSON.stringify({ sub: USER[name], role: 'authenticated', email: `rls-probe-${name}@probe.invalid`, aud: 'authenticated' }),
  });
  switch (actor) {
    case 'anon':
      return { role: 'anon', claims: JSON.stringify({ role: 'anon' }) };
    case 'service_role':
      return { role: 'service_role', claims: JSON.stringify({ role: 'service_role' }) };
    default:
      return user(actor);
  }
}

/** The groups an actor is probed on. `other` looks at the owner's rows only: that is the question it answers. */
export function groupsFor(kind: TableKind, actor: Actor): Group[] {
  if (kind === 'catalogue') return ['published', 'unpublished'];
  return actor === 'other' ? ['owner'] : ['owner', 'other'];
}

/** A group as the actor sees it: `own` and `foreign` for users' rows, `published` and `unpublished` for the catalogue. */
export function labelOf(group: Group, actor: Actor): string {
  if (group === 'published' || group === 'unpublished') return group;
  return actor === 'owner' && group === 'owner' ? 'own' : 'foreign';
}

/** What one group's probe found: reached or not; for update, the columns that changed (null: all of them). */
export interface GroupResult {
  group: Group;
  reached: boolean;
  columns: string[] | null;
  /** what happened, for messages */
  note: string;
}

/** The outcome of one cell from its groups' results; pure. */
export function classify(results: GroupResult[], actor: Actor): Outcome {
  const reached = results.filter((r) => r.reached);
  const detail = results.map((r) => `${GROUP_NAME[r.group]}: ${r.note}`).join('; ');
  if (reached.length === 0) return { scope: 'none', columns: null, detail };
  const columnKey = (r: GroupResult) => (r.columns === null ? '*' : r.columns.join(','));
  const uniform = reached.every((r) => columnKey(r) === columnKey(reached[0] as GroupResult));
  if (!uniform) {
    const scope = reached.map((r) => labelOf(r.group, actor) + (r.columns === null ? '' : `(${r.columns.join(',')})`)).join('+');
    return { scope, columns: null, detail };
  }
  const labels = [...new Set(reached.map((r) => labelOf(r.group, actor)))];
  let scope: string;
  if (reached.length === results.length) scope = 'all';
  else if (labels.length === 1 && (labels[0] === 'own' || labels[0] === 'published')) scope = labels[0];
  else scope = labels.join('+');
  return { scope, columns: (reached[0] as GroupResult).columns, detail };
}

type ProbeRow = {
  reached: string[] | null;
  affected: number;
  phase: string;
  error_code: string | null;
  error_message: string | null;
};

export interface ProbeResult {
  observed: Matrix;
  /** tables of schema public that PROBED_TABLES does not know: the matrix cannot speak for them */
  unprobedTables: string[];
  probes: number;
  durationMs: number;
}

/** The fixtures no longer fit the schema, or the probe could not run: not a finding about security. */
export class ProbeError extends Error {}

/**
 * Probes `target` (a migrated database) as every actor, in one transaction that
 * is rolled back, and returns the observed matrix. Call it outside a transaction:
 * it begins its own and always rolls it back.
 */
export async function probeRls(target: Target): Promise<ProbeResult> {
  const started = Date.now();
  let probes = 0;
  const cells = new Map<string, Outcome>();

  await target.exec('begin');
  try {
    const tables = await target.query<{ name: string }>(
      `select c.relname as name from pg_catalog.pg_class c
        where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') order by 1`,
    );
    const known = new Set(PROBED_TABLES.map((t) => t.name));
    const present = new Set(tables.map((t) => t.name));
    const unprobedTables = [...present].filter((t) => !known.has(t));
    const absent = [...known].filter((t) => !present.has(t));
    if (absent.length > 0) throw new ProbeError(`the probe knows tables the database does not have: ${absent.join(', ')}`);

    const columnsOf = await tableColumns(target);
    try {
      await target.exec(PROBE_FUNCTION_SQL + FIXTURES_SQL);
    } catch (error) {
      throw new ProbeError(`the probe's fixtures no longer fit the schema: ${describe(error)}`);
    }

    const run = async (actor: Actor, prepare: string | null, statement: string, isSelect: boolean): Promise<ProbeRow> => {
      probes++;
      const session = sessionOf(actor);
      const [row] = await target.query<ProbeRow>(
        'select reached, affected, phase, error_code, error_message from pg_temp.rls_probe($1, $2, $3, $4, $5)',
        [session.role, session.claims, prepare, statement, isSelect],
      );
      if (row === undefined) throw new ProbeError('the probe function returned no row');
      if (row.phase === 'prepare' && row.error_code !== null) {
        throw new ProbeError(`preparing a probe failed (${row.error_code}: ${row.error_message}): ${prepare}`);
      }
      return row;
    };
    const note = (row: ProbeRow, verb: string) =>
      row.error_code !== null ? `${row.error_message} (${row.error_code})` : row.affected > 0 ? verb : '0 rows';

    for (const table of PROBED_TABLES) {
      const qualified = `public.${table.name}`;
      const columns = columnsOf.get(table.name) ?? [];
      for (const actor of ACTORS) {
        const groups = groupsFor(table.kind, actor);
        const rowOf = (group: Group) => table.rows[group] as string;
        const where = (group: Group) => `${table.key} = ${lit(rowOf(group))}`;

        // select: one statement, which of the probed rows are visible
        const ids = groups.map((g) => lit(rowOf(g))).join(', ');
        const seen = await run(
          actor,
          null,
          `select coalesce(array_agg(${table.key}::text), '{}') from ${qualified} where ${table.key} in (${ids})`,
          true,
        );
        const select = groups.map((group): GroupResult => {
          const visible = seen.reached?.includes(rowOf(group)) ?? false;
          return { group, reached: visible, columns: null, note: seen.error_code !== null ? note(seen, '') : visible ? 'visible' : 'not visible' };
        });

        const insert: GroupResult[] = [];
        const update: GroupResult[] = [];
        const remove: GroupResult[] = [];
        for (const group of groups) {
          const { prepare, sql } = table.insert(group);
          const inserted = await run(actor, prepare ?? null, sql, false);
          insert.push({ group, reached: inserted.affected > 0, columns: null, note: note(inserted, 'inserted') });

          update.push(await probeUpdate(run, actor, qualified, columns, where(group), group));

          const deleted = await run(actor, table.prepareDelete?.(rowOf(group)) ?? null, `delete from ${qualified} where ${where(group)}`, false);
          remove.push({ group, reached: deleted.affected > 0, columns: null, note: note(deleted, 'deleted') });
        }

        const results: Record<Command, GroupResult[]> = { select, insert, update, delete: remove };
        for (const command of COMMANDS) cells.set(cellKey(table.name, actor, command), classify(results[command], actor));
      }
    }
    return {
      observed: { tables: PROBED_TABLES.map((t) => t.name), cells },
      unprobedTables,
      probes,
      durationMs: Date.now() - started,
    };
  } finally {
    await target.exec('rollback').catch(() => {});
  }
}

type Run = (actor: Actor, prepare: string | null, statement: string, isSelect: boolean) => Promise<ProbeRow>;

/** Every column set to itself; if privileges refuse that, each column alone. */
async function probeUpdate(run: Run, actor: Actor, table: string, columns: string[], where: string, group: Group): Promise<GroupResult> {
  const set = (cols: string[]) => cols.map((c) => `${quoteIdent(c)} = ${quoteIdent(c)}`).join(', ');
  const whole = await run(actor, null, `update ${table} set ${set(columns)} where ${where}`, false);
  if (whole.error_code !== '42501') {
    const reached = whole.error_code === null && whole.affected > 0;
    const why = whole.error_code !== null ? `${whole.error_message} (${whole.error_code})` : reached ? 'updated' : '0 rows';
    return { group, reached, columns: null, note: why };
  }
  const changed: string[] = [];
  for (const column of columns) {
    const one = await run(actor, null, `update ${table} set ${set([column])} where ${where}`, false);
    if (one.error_code === null && one.affected > 0) changed.push(column);
  }
  return {
    group,
    reached: changed.length > 0,
    columns: changed.length > 0 ? changed : null,
    note: `${changed.length > 0 ? `only ${changed.join(', ')}` : 'no column'} (the whole row: ${whole.error_code})`,
  };
}

/** Each probed table's updatable columns (not generated, not dropped), in the table's order. */
async function tableColumns(target: Target): Promise<Map<string, string[]>> {
  const rows = await target.query<{ table_name: string; columns: string[] }>(
    `select c.relname as table_name, array_agg(a.attname::text order by a.attnum) as columns
       from pg_catalog.pg_attribute a
       join pg_catalog.pg_class c on c.oid = a.attrelid
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
        and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      group by c.relname`,
  );
  return new Map(rows.map((r) => [r.table_name, r.columns]));
}

