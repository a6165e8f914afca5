/**
 * The scale data: fills a migrated database (bootstrap and migrations applied,
 * no seed) with `Scale` rows, deterministically, through the schema's own
 * constraints, triggers and indexes: nothing is disabled or deferred. Once
 * the catalogue is in, its discovery index is trained as an operator would
 * after loading it (`select private.train_discovery_index()`, migration
 * 20261206231500), so that match_automations searches lists made from these
 * rows, with the probes training set.
 *
 * Every row is made on the server by `insert ... select ... generate_series`,
 * in chunks of about CHUNK_ROWS, with ids and pseudo-random choices computed
 * from the row's number (pg_temp.bench_uuid, pg_temp.bench_random: a hash of
 * the number and the fixed seed, hashint8extended, the same on every server),
 * so no data crosses the wire. Embeddings too are made on the server: sending
 * them as text costs PGlite about 5 ms a vector to parse, making them costs
 * less than 1 ms (embeddings.ts).
 *
 * Ids: <tag as 8 hex digits>-0000-4000-8000-<row number as 12 hex digits>, a
 * valid version 4 UUID; the tag says the table (TAGS), so a user is
 * bench_uuid(1, n) for n = 1..users.
 */
import type { Target } from 'pg-tap-runner';
import { EMBEDDING_SQL, embeddingSql } from './embeddings.js';
import { SEED, THIS_WEEK, expectedRows, type Scale } from './scale.js';

const CHUNK_ROWS = 100_000;
const AUTOMATION_CHUNK = 500;

export const TAGS = {
  users: 1,
  sessions: 2,
  responses: 3,
  automations: 4,
  tools: 5,
  steps: 6,
  media: 7,
  discoveries: 8,
  recommendations: 9,
  adoptions: 10,
  progress: 11,
  subscriptions: 12,
  usage: 13,
} as const;

export interface GeneratedTable {
  table: string;
  rows: number;
  ms: number;
}

/** private.train_discovery_index() after the catalogue was inserted */
export interface Training {
  ms: number;
  /** the ivfflat.probes it set on match_automations (what it returned) */
  probes: number;
}

export interface Generation {
  tables: GeneratedTable[];
  /** the discovery index trained on the catalogue */
  training: Training;
  /** inserting every row (the training included) */
  insertMs: number;
  /** vacuum (analyze) afterwards, as autovacuum would */
  analyzeMs: number;
  totalMs: number;
  databaseBytes: number;
  /** the largest tables with their indexes, bytes */
  tableBytes: { table: string; bytes: number; indexBytes: number }[];
}

/** The id of row n of a table, as the generator spells it. */
export function benchUuid(tag: number, n: number): string {
  return `${tag.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export const HELPERS = /* sql */ `
create or replace function pg_temp.bench_uuid(tag integer, n bigint) returns uuid
language sql immutable as $$
  select (lpad(to_hex(tag), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid
$$;
-- a number in [0, 1) from a row number and a stream: the same on every run and server
create or replace function pg_temp.bench_random(stream integer, n bigint) returns double precision
language sql immutable as $$
  select (hashint8extended(n, ${SEED}::bigint * 100 + stream) & 4503599627370495)::double precision / 4503599627370496
$$;
create or replace function pg_temp.bench_pick(options text[], stream integer, n bigint) returns text
language sql immutable as $$
  select options[1 + floor(pg_temp.bench_random(stream, n) * cardinality(options))::integer]
$$;
create or replace function pg_temp.bench_user_created(n bigint) returns timestamptz
language sql immutable as $$
  select timestamptz '2024-01-01 09:00:00+00' + floor(pg_temp.bench_random(1, n) * 540) * interval '1 day'
$$;
`;

/** The automation (1..published) that user n's k-th adoption (or discovery slot) points at: distinct for k < slots. */
function slotSql(stream: number, slots: number, scale: Scale, row: string, k: string): string {
  const a = scale.automations;
  const stride = Math.floor(a / slots);
  return `(1 + (floor(pg_temp.bench_random(${stream}, ${row}) * ${a})::bigint + (${k} - 1) * ${stride}) % ${a})`;
}

/**
 * The catalogue: automations 1..automations + drafts, those up to
 * `automations` published, automation i in topic (i - 1) % topics, its
 * embedding around the topic's centroid (embeddings.ts). $1 and $2: the first
 * and last number of a chunk. Needs HELPERS and EMBEDDING_SQL first.
 */
export function automationsInsertSql(s: Scale): string {
  return `
    insert into public.automations (
      id, slug, title, summary, description, category, difficulty, setup_minutes,
      hours_saved_per_week, tags, embedding, published, published_at, created_at, updated_at)
    select pg_temp.bench_uuid(${TAGS.automations}, i), 'automation-' || i,
      'Automation ' || i, 'An automation about topic ' || t || '.', 'Step-by-step guide for automation ' || i || '.',
      pg_temp.bench_pick('{marketing,sales,customer-support,operations,finance,hr,productivity,ecommerce}', 40, i),
      pg_temp.bench_pick('{easy,medium,hard}', 41, i),
      10 + floor(pg_temp.bench_random(42, i) * 170)::integer,
      round((0.5 + pg_temp.bench_random(43, i) * 9.5)::numeric, 2),
      array['topic-' || t, pg_temp.bench_pick('{email,crm,invoicing,scheduling,reporting,social,inventory,support}', 44, i)],
      ${embeddingSql('i')},
      i <= ${s.automations},
      case when i <= ${s.automations} then timestamptz '2024-06-03 09:00:00+00' + (i % 400) * interval '1 day' end,
      timestamptz '2024-06-01 09:00:00+00', timestamptz '2024-06-01 09:00:00+00'
    from generate_series($1::bigint, $2::bigint) as i
    cross join lateral (select (i - 1) % ${s.topics} as t) as x`;
}

export async function generate(target: Target, scale: Scale, progress: (line: string) => void): Promise<Generation> {
  const started = Date.now();
  const tables: GeneratedTable[] = [];
  await target.exec(HELPERS);
  await target.exec(EMBEDDING_SQL(scale));
  const s = scale;
  const expected = expectedRows(s);

  /** Runs `sql` (with $1, $2 = first and last user number) over the users in chunks. */
  const perUser = async (table: string, rowsPerUser: number, sql: string) => {
    const began = Date.now();
    const chunk = Math.max(1, Math.floor(CHUNK_ROWS / rowsPerUser));
    for (let first = 1; first <= s.users; first += chunk) {
      await target.query(sql, [first, Math.min(s.users, first + chunk - 1)]);
    }
    record(table, began);
  };
  const perAutomation = async (table: string, sql: string) => {
    const began = Date.now();
    await target.query(sql, [1, s.automations + s.drafts]);
    record(table, began);
  };
  // in chunks, so that progress shows: every insert adds the row to a list of the IVFFlat index
  const perAutomationChunks = async (table: string, sql: string) => {
    const began = Date.now();
    const total = s.automations + s.drafts;
    for (let first = 1; first <= total; first += AUTOMATION_CHUNK) {
      await target.query(sql, [first, Math.min(total, first + AUTOMATION_CHUNK - 1)]);
      progress(`generate: automations ${Math.min(total, first + AUTOMATION_CHUNK - 1)} of ${total}`);
    }
    record(table, began);
  };
  const record = (table: string, began: number) => {
    const ms = Date.now() - began;
    tables.push({ table, rows: expected[table] ?? 0, ms });
    progress(`generate: ${table} ${(expected[table] ?? 0).toLocaleString('en-US')} rows in ${(ms / 1000).toFixed(1)} s`);
  };
  const users = `generate_series($1::bigint, $2::bigint) as n`;

  await perUser(
    'auth.users',
    1,
    `
    insert into auth.users (
      id, instance_id, aud, role, email, encrypted_password, email_confirmed_at,
      raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
      confirmation_token, recovery_token, email_change_token_new, email_change)
    select pg_temp.bench_uuid(${TAGS.users}, n), '00000000-0000-0000-0000-000000000000', 'authenticated', 'authenticated',
      'user' || n || '@bench.example.com', '$2a$10$HSaJdJnXz1hJzjDZBz3StevW/RAH2UhwlGgHpVGad5vnNuk8MkW1C',
      pg_temp.bench_user_created(n) + interval '5 minutes',
      '{"provider": "email", "providers": ["email"]}', jsonb_build_object('full_name', 'User ' || n),
      pg_temp.bench_user_created(n), pg_temp.bench_user_created(n) + interval '5 minutes', '', '', '', ''
    from ${users}`,
  );

  // one admin per thousand users; the dashboard benchmarks act as others
  await perUser(
    'user_profiles',
    1,
    `
    insert into public.user_profiles (
      user_id, full_name, business_name, industry, business_size, experience,
      current_tools, goals, role, onboarding_status, onboarding_completed_at, created_at, updated_at)
    select pg_temp.bench_uuid(${TAGS.users}, n), 'User ' || n, 'Business ' || n,
      pg_temp.bench_pick('{Retail,Hospitality,Healthcare,Software,Construction,Education,Finance,Logistics}', 20, n),
      pg_temp.bench_pick('{solo,small-team,large-team}', 21, n),
      pg_temp.bench_pick('{beginner,intermediate,expert}', 22, n),
      array[pg_temp.bench_pick('{Slack,Notion,Gmail,Shopify,HubSpot,Stripe,Airtable,Trello}', 23, n),
            pg_temp.bench_pick('{Zapier,Make,Google Sheets,QuickBooks,Calendly,Mailchimp}', 24, n)],
      '{"Save time on admin","Grow sales"}',
      case when n % 1000 = 0 then 'admin' else 'user' end,
      'completed', pg_temp.bench_user_created(n) + interval '1 hour',
      pg_temp.bench_user_created(n), pg_temp.bench_user_created(n) + interval '1 hour'
    from ${users}`,
  );

  const session = `((n - 1) * ${s.sessionsPerUser} + k)`;
  await perUser(
    'questionnaire_sessions',
    s.sessionsPerUser,
    `
    insert into public.questionnaire_sessions (
      id, user_id, status, current_step, ai_context, started_at, completed_at, created_at, updated_at)
    select pg_temp.bench_uuid(${TAGS.sessions}, ${session}), pg_temp.bench_uuid(${TAGS.users}, n),
      st.status, case when st.status = 'completed' then 8 else 1 + floor(pg_temp.bench_random(31, ${session}) * 7)::integer end,
      jsonb_build_object('summary', 'Business ' || n || ', session ' || k),
      t.started, case when st.status = 'completed' then t.started + interval '25 minutes' end, t.started, t.started
    from ${users} cross join generate_series(1, ${s.sessionsPerUser}) as k
    cross join lateral (select pg_temp.bench_user_created(n) + (k - 1) * interval '30 days'
                          + floor(pg_temp.bench_random(32, ${session}) * 1440) * interval '1 minute' as started) as t
    cross join lateral (select case when k = 1 then 'completed'
                                    when pg_temp.bench_random(30, ${session}) < 0.5 then 'abandoned'
                                    else 'in_progress' end as status) as st`,
  );

  const response = `((${session} - 1) * ${s.responsesPerSession} + q)`;
  await perUser(
    'questionnaire_responses',
    s.sessionsPerUser * s.responsesPerSession,
    `
    insert into public.questionnaire_responses (id, session_id, user_id, question_key, answer, created_at, updated_at)
    select pg_temp.bench_uuid(${TAGS.responses}, ${response}), pg_temp.bench_uuid(${TAGS.sessions}, ${session}),
      pg_temp.bench_uuid(${TAGS.users}, n), 'question_' || q,
      jsonb_build_object('choice', pg_temp.bench_pick('{a,b,c,d}', 33, ${response})),
      pg_temp.bench_user_created(n), pg_temp.bench_user_created(n)
    from ${users} cross join generate_series(1, ${s.sessionsPerUser}) as k
    cross join generate_series(1, ${s.responsesPerSession}) as q`,
  );

  // the catalogue: topic t's automations lie around its centroid (embeddings.ts)
  await perAutomationChunks('automations', automationsInsertSql(s));
  const training = await train(target);
  progress(`generate: discovery index trained in ${(training.ms / 1000).toFixed(1)} s (private.train_discovery_index(): probes ${training.probes})`);

  const tool = `((i - 1) * ${s.toolsPerAutomation} + k)`;
  await perAutomation(
    'automation_tools',
    `
    insert into public.automation_tools (id, automation_id, name, url, required, pricing_note)
    select pg_temp.bench_uuid(${TAGS.tools}, ${tool}), pg_temp.bench_uuid(${TAGS.automations}, i),
      (array['Slack','Notion','Gmail','Shopify','HubSpot','Stripe','Airtable','Trello','Zapier','Make',
             'Google Sheets','QuickBooks','Calendly','Mailchimp','Xero','Typeform','Intercom','Asana','Pipedrive','Zendesk'])
        [1 + (i * ${s.toolsPerAutomation} + k) % 20],
      'https://example.com/tools/' || ${tool}, k = 1, case when k > 1 then 'free tier' end
    from generate_series($1::bigint, $2::bigint) as i cross join generate_series(1, ${s.toolsPerAutomation}) as k`,
  );

  const step = `((i - 1) * ${s.stepsPerAutomation} + j)`;
  await perAutomation(
    'implementation_steps',
    `
    insert into public.implementation_steps (id, automation_id, step_number, title, instructions, estimated_minutes)
    select pg_temp.bench_uuid(${TAGS.steps}, ${step}), pg_temp.bench_uuid(${TAGS.automations}, i), j,
      'Step ' || j, 'Do step ' || j || ' of automation ' || i || '.', 5 + floor(pg_temp.bench_random(50, ${step}) * 25)::integer
    from generate_series($1::bigint, $2::bigint) as i cross join generate_series(1, ${s.stepsPerAutomation}) as j`,
  );

  await perAutomation(
    'step_media',
    `
    insert into public.step_media (id, step_id, media_type, url, caption, position)
    select pg_temp.bench_uuid(${TAGS.media}, ${step}), pg_temp.bench_uuid(${TAGS.steps}, ${step}),
      pg_temp.bench_pick('{image,video,gif,document}', 51, ${step}),
      'https://example.com/media/' || ${step}, 'Step ' || j, 1
    from generate_series($1::bigint, $2::bigint) as i cross join generate_series(1, ${s.stepsPerAutomation}) as j`,
  );

  // week 1 is this week; most are ready, some of this week's still pending
  const discovery = `((n - 1) * ${s.weeks} + w)`;
  await perUser(
    'weekly_discoveries',
    s.weeks,
    `
    insert into public.weekly_discoveries (id, user_id, week_of, status, generated_at, viewed_at, created_at, updated_at)
    select pg_temp.bench_uuid(${TAGS.discoveries}, ${discovery}), pg_temp.bench_uuid(${TAGS.users}, n), d.week_of,
      d.status, case when d.status = 'ready' then d.week_of + interval '6 hours' end,
      case when d.status = 'ready' and pg_temp.bench_random(61, ${discovery}) < 0.7 then d.week_of + interval '1 day' end,
      d.week_of, d.week_of
    from ${users} cross join generate_series(1, ${s.weeks}) as w
    cross join lateral (select date '${THIS_WEEK}' - (w - 1) * 7 as week_of,
                               case when w = 1 and pg_temp.bench_random(60, ${discovery}) < 0.1 then 'pending' else 'ready' end as status) as d`,
  );

  const recommendation = `((${discovery} - 1) * ${s.recommendationsPerDiscovery} + k)`;
  await perUser(
    'discovered_automations',
    s.weeks * s.recommendationsPerDiscovery,
    `
    insert into public.discovered_automations (id, discovery_id, user_id, automation_id, rank, relevance_score, reason, reaction)
    select pg_temp.bench_uuid(${TAGS.recommendations}, ${recommendation}), pg_temp.bench_uuid(${TAGS.discoveries}, ${discovery}),
      pg_temp.bench_uuid(${TAGS.users}, n),
      pg_temp.bench_uuid(${TAGS.automations}, ${slotSql(62, s.recommendationsPerDiscovery, s, discovery, 'k')}),
      k, round((0.95 - 0.1 * k + pg_temp.bench_random(63, ${recommendation}) * 0.05)::numeric, 4),
      'Matches the business''s tools and goals',
      pg_temp.bench_pick('{new,new,saved,dismissed,started}', 64, ${recommendation})
    from ${users} cross join generate_series(1, ${s.weeks}) as w
    cross join generate_series(1, ${s.recommendationsPerDiscovery}) as k`,
  );

  const adoption = `((n - 1) * ${s.adoptionsPerUser} + k)`;
  const adopted = slotSql(70, s.adoptionsPerUser, s, 'n', 'k');
  await perUser(
    'user_automations',
    s.adoptionsPerUser,
    `
    insert into public.user_automations (id, user_id, automation_id, status, started_at, completed_at, created_at, updated_at)
    select pg_temp.bench_uuid(${TAGS.adoptions}, ${adoption}), pg_temp.bench_uuid(${TAGS.users}, n),
      pg_temp.bench_uuid(${TAGS.automations}, ${adopted}), st.status,
      case when st.status <> 'saved' then t.created + interval '1 day' end,
      case when st.status = 'completed' then t.created + interval '8 days' end,
      t.created, t.created
    from ${users} cross join generate_series(1, ${s.adoptionsPerUser}) as k
    cross join lateral (select pg_temp.bench_pick('{saved,in_progress,in_progress,completed,abandoned}', 71, ${adoption}) as status) as st
    cross join lateral (select pg_temp.bench_user_created(n) + k * interval '20 days' as created) as t`,
  );

  // one row per step of each adopted automation: done up to a point, or all done when completed
  await perUser(
    'automation_progress',
    s.adoptionsPerUser * s.stepsPerAutomation,
    `
    insert into public.automation_progress (id, user_id, user_automation_id, automation_id, step_id, status, completed_at, notes)
    select pg_temp.bench_uuid(${TAGS.progress}, (${adoption} - 1) * ${s.stepsPerAutomation} + j),
      pg_temp.bench_uuid(${TAGS.users}, n), pg_temp.bench_uuid(${TAGS.adoptions}, ${adoption}),
      pg_temp.bench_uuid(${TAGS.automations}, a.i),
      pg_temp.bench_uuid(${TAGS.steps}, (a.i - 1) * ${s.stepsPerAutomation} + j),
      p.status, case when p.status = 'completed' then pg_temp.bench_user_created(n) + (k * 20 + j) * interval '1 day' end,
      case when j = 1 then 'first step done' end
    from ${users} cross join generate_series(1, ${s.adoptionsPerUser}) as k
    cross join lateral (select ${adopted} as i,
                               pg_temp.bench_pick('{saved,in_progress,in_progress,completed,abandoned}', 71, ${adoption}) as status) as a
    cross join generate_series(1, ${s.stepsPerAutomation}) as j
    cross join lateral (select case
      when a.status = 'completed' then 'completed'
      when a.status = 'saved' then 'not_started'
      when j <= floor(pg_temp.bench_random(72, ${adoption}) * ${s.stepsPerAutomation}) then 'completed'
      when j = 1 + floor(pg_temp.bench_random(72, ${adoption}) * ${s.stepsPerAutomation}) then 'in_progress'
      else 'not_started' end as status) as p`,
  );

  await perUser(
    'subscriptions',
    1,
    `
    insert into public.subscriptions (
      id, user_id, stripe_customer_id, stripe_subscription_id, stripe_price_id, plan, status,
      current_period_start, current_period_end, cancel_at_period_end, canceled_at)
    select pg_temp.bench_uuid(${TAGS.subscriptions}, n), pg_temp.bench_uuid(${TAGS.users}, n),
      'cus_bench' || n, 'sub_bench' || n, 'price_' || x.plan, x.plan, x.status,
      timestamptz '${THIS_WEEK} 00:00:00+00' - interval '10 days', timestamptz '${THIS_WEEK} 00:00:00+00' + interval '20 days',
      false, case when x.status = 'canceled' then timestamptz '${THIS_WEEK} 00:00:00+00' - interval '2 days' end
    from ${users}
    cross join lateral (select pg_temp.bench_pick('{free,pro,pro,business}', 80, n) as plan,
                               pg_temp.bench_pick('{active,active,active,trialing,past_due,canceled}', 81, n) as status) as x`,
  );

  const usage = `(((n - 1) * 4 + m - 1) * ${s.usagePeriods} + p)`;
  await perUser(
    'usage_metrics',
    4 * s.usagePeriods,
    `
    insert into public.usage_metrics (id, user_id, metric, period_start, period_end, quantity)
    select pg_temp.bench_uuid(${TAGS.usage}, ${usage}), pg_temp.bench_uuid(${TAGS.users}, n),
      (array['discoveries','ai_queries','guide_views','automations_started'])[m],
      d.period_start, (d.period_start + interval '1 month')::date,
      floor(pg_temp.bench_random(90, ${usage}) * 200)::bigint
    from ${users} cross join generate_series(1, 4) as m cross join generate_series(1, ${s.usagePeriods}) as p
    cross join lateral (select (date '${THIS_WEEK}' - (${s.usagePeriods} - p) * interval '1 month')::date as period_start) as d`,
  );

  const insertMs = Date.now() - started;
  const analyzeStarted = Date.now();
  await target.exec('vacuum (analyze)');
  const analyzeMs = Date.now() - analyzeStarted;
  progress(`generate: vacuum (analyze) in ${(analyzeMs / 1000).toFixed(1)} s`);

  const [size] = await target.query<{ bytes: string }>(`select pg_database_size(current_database())::text as bytes`);
  const sizes = await target.query<{ table: string; bytes: string; index_bytes: string }>(`
    select c.oid::regclass::text as table, pg_table_size(c.oid)::text as bytes, pg_indexes_size(c.oid)::text as index_bytes
      from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
     where c.relkind = 'r' and ns.nspname in ('public', 'auth')
     order by pg_total_relation_size(c.oid) desc`);
  return {
    tables,
    training,
    insertMs,
    analyzeMs,
    totalMs: Date.now() - started,
    databaseBytes: Number(size?.bytes ?? 0),
    tableBytes: sizes.map((r) => ({ table: r.table, bytes: Number(r.bytes), indexBytes: Number(r.index_bytes) })),
  };
}

/** Trains the discovery index on the catalogue as it is: the lists rebuilt, match_automations's probes set. Run as the owner. */
export async function train(target: Target): Promise<Training> {
  const started = Date.now();
  const [row] = await target.query<{ probes: number }>('select private.train_discovery_index() as probes');
  return { ms: Date.now() - started, probes: Number(row?.probes ?? Number.NaN) };
}
