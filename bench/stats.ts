/**
 * Pure helpers of `npm run bench` (bench/webhooks.ts): percentiles, medians over rounds, and
 * the open loop's schedule.
 */

/**
 * The nearest-rank percentile of values sorted ascending: the smallest value that at least a
 * share `q` of them do not exceed (q = 0.5 the median, 0.99 the 99th percentile). NaN when empty.
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

/** Median and range of a few values (one per round); the median of an even count is the mean of the middle two. */
export function spread(values: readonly number[]): { median: number; min: number; max: number } {
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

/**
 * When the `index`-th request of an open-loop run is due (ms, on the clock `start` is on): fixed
 * intervals at `rate` requests per second from the start, whatever the answers. Latency is
 * measured from this time, so a server that falls behind cannot hide the queue it builds up
 * (no coordinated omission).
 */
export function scheduledAt(start: number, rate: number, index: number): number {
  if (!(rate > 0)) throw new Error(`the rate must be positive, got ${rate}`);
  return start + (index * 1000) / rate;
}
