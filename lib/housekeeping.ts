/**
 * Rows that only matter for a while, removed on a schedule (hourly: the worker's cron locally,
 * `vercel.json`'s cron route on Vercel), in bounded batches so no run holds locks for long:
 * - signature nonces: they guard against a nonce reused with another request, which matters
 *   while a provider could still retry; a month is far beyond any provider's retry window;
 * - sign-in attempts: the record behind "failed sign-ins from elsewhere"; a month is kept;
 * - rate-limit buckets: counted over an hour at most; a day is kept;
 * - each team's own data, on the team's schedule: raw bodies, messages, old deliveries and
 *   forwarding events (lib/retention.ts).
 */
import type pg from "pg";
import { applyRetention, type RetentionResult } from "@/lib/retention";

export const HOUSEKEEPING_TASK = "moshi_housekeeping";

const DAY_MS = 24 * 60 * 60 * 1000;

export const KEEP = {
  signatureNonces: 30 * DAY_MS,
  signInAttempts: 30 * DAY_MS,
  rateLimitBuckets: DAY_MS,
} as const;

const BATCH = 5_000;

/** Deletes, batch by batch, the rows of one table older than `before`; answers how many. */
async function prune(pool: pg.Pool, table: string, column: string, before: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM "${table}" WHERE ctid IN (SELECT ctid FROM "${table}" WHERE "${column}" < $1::timestamp LIMIT ${BATCH})`,
      [before.toISOString().replace("Z", "")],
    );
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < BATCH) return total;
  }
}

export type HousekeepingResult = { signatureNonces: number; signInAttempts: number; rateLimitBuckets: number; retention: RetentionResult };

export async function runHousekeeping(pool: pg.Pool, now: Date = new Date()): Promise<HousekeepingResult> {
  const before = (keep: number) => new Date(now.getTime() - keep);
  return {
    signatureNonces: await prune(pool, "SignatureNonce", "firstSeenAt", before(KEEP.signatureNonces)),
    signInAttempts: await prune(pool, "SignInAttempt", "createdAt", before(KEEP.signInAttempts)),
    rateLimitBuckets: await prune(pool, "RateLimitBucket", "windowStart", before(KEEP.rateLimitBuckets)),
    retention: await applyRetention(pool, now),
  };
}
