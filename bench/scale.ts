/**
 * How much data the benchmark generates. `full` is the platform's expected
 * size (issue 8); `small`, a tenth of it, is `make bench`'s default and runs in
 * a few minutes. Every other count follows from these.
 */
export interface Scale {
  name: 'small' | 'full';
  users: number;
  /** published automations, each with an embedding */
  automations: number;
  /** unpublished ones on top (admins' drafts) */
  drafts: number;
  toolsPerAutomation: number;
  stepsPerAutomation: number;
  /** weekly discoveries per user: the current week and the ones before */
  weeks: number;
  recommendationsPerDiscovery: number;
  /** user automations per user; each has one progress row per step */
  adoptionsPerUser: number;
  sessionsPerUser: number;
  responsesPerSession: number;
  /** monthly periods of usage per user and metric (4 metrics) */
  usagePeriods: number;
  /** topics of the synthetic embeddings */
  topics: number;
  /** query embeddings for the vector search */
  vectorQueries: number;
  /** users whose dashboard queries are timed */
  dashboardUsers: number;
  /** make test runs per target for the suite's figures */
  suiteRuns: number;
}

export const SCALES: Record<Scale['name'], Scale> = {
  full: {
    name: 'full',
    users: 10_000,
    automations: 5_000,
    drafts: 250,
    toolsPerAutomation: 3,
    stepsPerAutomation: 5,
    weeks: 5,
    recommendationsPerDiscovery: 5,
    adoptionsPerUser: 4,
    sessionsPerUser: 2,
    responsesPerSession: 5,
    usagePeriods: 25,
    topics: 50,
    vectorQueries: 200,
    dashboardUsers: 200,
    suiteRuns: 5,
  },
  small: {
    name: 'small',
    users: 1_000,
    automations: 500,
    drafts: 25,
    toolsPerAutomation: 3,
    stepsPerAutomation: 5,
    weeks: 5,
    recommendationsPerDiscovery: 5,
    adoptionsPerUser: 4,
    sessionsPerUser: 2,
    responsesPerSession: 5,
    usagePeriods: 25,
    topics: 20,
    vectorQueries: 100,
    dashboardUsers: 100,
    suiteRuns: 5,
  },
};

/** Rows per table this scale produces, for the summary. */
export function expectedRows(s: Scale): Record<string, number> {
  const total = s.automations + s.drafts;
  const discoveries = s.users * s.weeks;
  const adoptions = s.users * s.adoptionsPerUser;
  return {
    'auth.users': s.users,
    user_profiles: s.users,
    questionnaire_sessions: s.users * s.sessionsPerUser,
    questionnaire_responses: s.users * s.sessionsPerUser * s.responsesPerSession,
    automations: total,
    automation_tools: total * s.toolsPerAutomation,
    implementation_steps: total * s.stepsPerAutomation,
    step_media: total * s.stepsPerAutomation,
    weekly_discoveries: discoveries,
    discovered_automations: discoveries * s.recommendationsPerDiscovery,
    user_automations: adoptions,
    automation_progress: adoptions * s.stepsPerAutomation,
    subscriptions: s.users,
    usage_metrics: s.users * 4 * s.usagePeriods,
  };
}

/** The fixed seed of every pseudo-random choice. */
export const SEED = 20250818;
/** "This week" of the generated data: a Monday, fixed so every run is the same. */
export const THIS_WEEK = '2025-08-18';
