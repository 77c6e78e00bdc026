import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Attempts are counted in PostgreSQL, not in memory, so any number of server instances share one
 * budget. Each counter is a fixed window: it starts with the first attempt and holds `limit`
 * attempts until `windowMs` later.
 *
 * An attempt is reserved before the work it guards (a password check, creating an account), in
 * one upsert per counter that adds one and returns the new count. Twenty-five parallel
 * guesses therefore get the counts 1 to 25, and only the first `limit` go on to a password check;
 * a check-then-record design lets every one of them pass the check before any is recorded.
 */
export type Bucket = { key: string; limit: number; windowMs: number };

/** What `reserveAttempt` took, so that an attempt that turned out fine can be given back. */
export type Reservation = { key: string; windowStart: Date }[];

export type ReserveResult = { allowed: true; reservation: Reservation } | { allowed: false; retryAfterMs: number };

export async function reserveAttempt(prisma: PrismaClient, buckets: Bucket[]): Promise<ReserveResult> {
  const reservation: Reservation = [];
  let retryAfterMs = 0;
  for (const bucket of buckets) {
    const row = await countAttempt(prisma, bucket);
    reservation.push({ key: bucket.key, windowStart: row.windowStart });
    if (row.count > bucket.limit) retryAfterMs = Math.max(retryAfterMs, row.retryAfterMs, 1);
  }
  return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true, reservation };
}

/** Gives reserved attempts back (a sign-in that succeeded is not a guess), in the same windows only. */
export async function refundAttempt(prisma: PrismaClient, reservation: Reservation): Promise<void> {
  for (const { key, windowStart } of reservation) {
    await prisma.$executeRaw`
      UPDATE "RateLimitBucket" SET "count" = "count" - 1
      WHERE "key" = ${key} AND "windowStart" = ${windowStart} AND "count" > 0`;
  }
}

/**
 * Adds one attempt to a counter, starting a new window when the last one has run out, and
 * answers the count: one statement, so concurrent attempts are counted one after another.
 * Times are UTC without a zone, as Prisma stores them, from the database's clock: the one clock
 * every instance shares.
 */
async function countAttempt(prisma: PrismaClient, { key, windowMs }: Bucket) {
  const [row] = await prisma.$queryRaw<{ count: number; windowStart: Date; retryAfterMs: number }[]>`
    INSERT INTO "RateLimitBucket" AS bucket ("key", "windowStart", "count")
    VALUES (${key}, (now() AT TIME ZONE 'UTC')::timestamp(3), 1)
    ON CONFLICT ("key") DO UPDATE SET
      "windowStart" = CASE WHEN bucket."windowStart" <= EXCLUDED."windowStart" - make_interval(secs => ${windowMs}::int / 1000.0)
        THEN EXCLUDED."windowStart" ELSE bucket."windowStart" END,
      "count" = CASE WHEN bucket."windowStart" <= EXCLUDED."windowStart" - make_interval(secs => ${windowMs}::int / 1000.0)
        THEN 1 ELSE bucket."count" + 1 END
    RETURNING bucket."count", bucket."windowStart",
      ceil(EXTRACT(EPOCH FROM (bucket."windowStart" + make_interval(secs => ${windowMs}::int / 1000.0) - (now() AT TIME ZONE 'UTC'))) * 1000)::int AS "retryAfterMs"`;
  return row!;
}
