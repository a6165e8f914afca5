/**
 * The hot queries: what the platform runs for every user, written as the
 * application would (an explicit filter on the user, as supabase-js sends
 * `.eq('user_id', id)`), so the same text runs as `authenticated` (row level
 * security on) and as `service_role` (bypassed).
 */
import { benchUuid, TAGS } from './generate.js';
import { THIS_WEEK, type Scale } from './scale.js';

export interface BenchUser {
  /** the generator's user number */
  n: number;
  id: string;
}

export interface HotQuery {
  name: string;
  /** what the platform uses it for */
  purpose: string;
  /** a dashboard query: its RLS cost is measured */
  dashboard: boolean;
  sql: string;
  params(user: BenchUser, scale: Scale, extra: { queryEmbedding: string }): unknown[];
  /** an index the plan must use once its table is large (the vector search: IVFFlat) */
  expectIndex?: { index: string; table: string };
}

export const HOT_QUERIES: HotQuery[] = [
  {
    name: 'dashboard_automations',
    purpose: "dashboard: a user's adopted automations by status, with progress through their steps",
    dashboard: true,
    sql: `select ua.id, ua.status, a.title,
       count(p.id) filter (where p.status = 'completed') as steps_done, count(p.id) as steps
  from public.user_automations ua
  join public.automations a on a.id = ua.automation_id
  left join public.automation_progress p on p.user_id = ua.user_id and p.user_automation_id = ua.id
 where ua.user_id = $1
 group by ua.id, a.title
 order by ua.created_at desc`,
    params: (u) => [u.id],
  },
  {
    name: 'dashboard_discoveries',
    purpose: "dashboard: this week's discovery with its ranked recommendations",
    dashboard: true,
    sql: `select d.id, d.status, d.viewed_at, da.rank, da.relevance_score, da.reaction, a.title, a.slug
  from public.weekly_discoveries d
  join public.discovered_automations da on da.user_id = d.user_id and da.discovery_id = d.id
  join public.automations a on a.id = da.automation_id
 where d.user_id = $1 and d.week_of = $2
 order by da.rank`,
    params: (u) => [u.id, THIS_WEEK],
  },
  {
    name: 'dashboard_sessions',
    purpose: "dashboard: a user's recent questionnaire sessions, newest first, with their answer counts",
    dashboard: true,
    sql: `select s.id, s.status, s.current_step, s.started_at, s.completed_at, count(r.id) as answers
  from public.questionnaire_sessions s
  left join public.questionnaire_responses r on r.user_id = s.user_id and r.session_id = s.id
 where s.user_id = $1
 group by s.id
 order by s.created_at desc
 limit 5`,
    params: (u) => [u.id],
  },
  {
    name: 'nearest_automations',
    purpose:
      "discovery: the 10 published automations of one category nearest to a business by embedding, in the shape of match_automations's inner query (IVFFlat over half-precision embeddings, the session's ivfflat.probes)",
    dashboard: false,
    sql: `select id, title, embedding <=> $1::extensions.vector as distance
  from public.automations
 where published and category = 'finance'
 order by embedding::extensions.halfvec(1536) <=> $1::extensions.halfvec(1536)
 limit 10`,
    params: (_u, _s, extra) => [extra.queryEmbedding],
    expectIndex: { index: 'automations_embedding_idx', table: 'automations' },
  },
  {
    name: 'current_subscription',
    purpose: "billing: a user's live subscription (plan and period)",
    dashboard: false,
    sql: `select plan, status, current_period_end, cancel_at_period_end
  from public.subscriptions
 where user_id = $1 and status in ('trialing', 'active', 'past_due')`,
    params: (u) => [u.id],
  },
  {
    name: 'usage_this_period',
    purpose: "billing: a user's usage of every metric in the current period",
    dashboard: false,
    sql: `select metric, quantity
  from public.usage_metrics
 where user_id = $1 and period_start = $2`,
    params: (u, s) => [u.id, usagePeriodStart(s)],
  },
  {
    name: 'automation_guide',
    purpose: "guide: an automation's steps in order, with their media",
    dashboard: false,
    sql: `select st.step_number, st.title, m.media_type, m.url
  from public.implementation_steps st
  left join public.step_media m on m.step_id = st.id
 where st.automation_id = $1
 order by st.step_number, m.position`,
    params: (u, s) => [benchUuid(TAGS.automations, 1 + ((u.n * 37) % s.automations))],
  },
  {
    name: 'catalogue_browse',
    purpose: 'catalogue: the newest published automations of a category and difficulty',
    dashboard: false,
    sql: `select id, slug, title, hours_saved_per_week
  from public.automations
 where published and category = $1 and difficulty = $2
 order by published_at desc
 limit 20`,
    params: () => ['sales', 'easy'],
  },
];

/** The generator's last usage period starts on THIS_WEEK (a month per period before it). */
export function usagePeriodStart(_scale: Scale): string {
  return THIS_WEEK;
}

/**
 * The users whose queries are timed: spread over all users, never an admin
 * (the generator makes user n an admin when n is a multiple of 1000).
 */
export function benchUsers(scale: Scale): BenchUser[] {
  const users: BenchUser[] = [];
  for (let k = 0; users.length < Math.min(scale.dashboardUsers, scale.users - Math.floor(scale.users / 1000)); k++) {
    const n = 1 + ((k * 7919) % scale.users);
    if (n % 1000 === 0 || users.some((u) => u.n === n)) continue;
    users.push({ n, id: benchUuid(TAGS.users, n) });
  }
  return users;
}

export const claims = (user: BenchUser) => JSON.stringify({ sub: user.id, role: 'authenticated', aud: 'authenticated' });
