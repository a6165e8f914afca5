/** Medians and spreads of repeated measurements. Pure. */

export interface Spread {
  /** how many measurements */
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  /** first and third quartiles */
  q1: number;
  q3: number;
}

/** The value at quantile q (0..1) of sorted values, linearly interpolated. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

export function spread(samples: number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
  };
}

/** Milliseconds rounded for reports: 3 significant digits below 100, whole above. */
export function roundMs(ms: number): number {
  if (!Number.isFinite(ms)) return ms;
  return ms >= 100 ? Math.round(ms) : Number(ms.toPrecision(3));
}

/** The same spread with every figure rounded (for the JSON). */
export function rounded(s: Spread): Spread {
  return {
    n: s.n,
    median: roundMs(s.median),
    p95: roundMs(s.p95),
    min: roundMs(s.min),
    max: roundMs(s.max),
    q1: roundMs(s.q1),
    q3: roundMs(s.q3),
  };
}

/** Wall time of `work` in milliseconds (fractional). */
export async function timed<R>(work: () => Promise<R>): Promise<{ ms: number; result: R }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}
