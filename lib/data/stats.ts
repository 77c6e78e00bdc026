import "server-only";
import type { PrismaClient, Provider } from "@/lib/generated/prisma/client";
import { Provider as ProviderEnum } from "@/lib/generated/prisma/enums";
import { Prisma } from "@/lib/generated/prisma/client";
import { type Bucket, bucketSeries } from "@/lib/periods";
import { messageStatusSql } from "./message-status";

export type StatsRange = { teamId: string; from: Date; to: Date; phoneNumberId?: string | null };

export type DeliveryCounts = {
  /** The bucket's key: see `bucketKey`. */
  start: string;
  deliveries: number;
  stored: number;
  duplicates: number;
  ignored: number;
  rejected: number;
};

/**
 * Deliveries per UTC hour or day and outcome, for the statistics chart. Buckets without any
 * delivery are filled in with zeros, so a silent spell shows as one.
 */
export async function countDeliveriesOverTime(prisma: PrismaClient, { teamId, from, to, phoneNumberId = null }: StatsRange, bucket: Bucket): Promise<DeliveryCounts[]> {
  // "receivedAt" holds UTC without a zone, so truncating it and reading its epoch stays in UTC
  // whatever the session's time zone.
  const rows = await prisma.$queryRaw<{ start: number; outcome: string; count: bigint }[]>`
    SELECT extract(epoch FROM date_trunc(${bucket}, "receivedAt"))::float8 AS start, "outcome"::text AS outcome, count(*) AS count
    FROM "Delivery"
    WHERE "teamId" = ${teamId} AND NOT "isTest" AND "receivedAt" >= ${from} AND "receivedAt" < ${to}
      AND (${phoneNumberId}::text IS NULL OR "phoneNumberId" = ${phoneNumberId})
    GROUP BY 1, 2`;
  const series = bucketSeries<DeliveryCounts>(from, to, bucket, (start) => ({ start, deliveries: 0, stored: 0, duplicates: 0, ignored: 0, rejected: 0 }));
  for (const row of rows) {
    const entry = series.at(row.start);
    if (!entry) continue;
    const count = Number(row.count);
    entry.deliveries += count;
    if (row.outcome === "STORED") entry.stored += count;
    else if (row.outcome === "DUPLICATE") entry.duplicates += count;
    else if (row.outcome === "IGNORED") entry.ignored += count;
    else entry.rejected += count;
  }
  return series.values();
}

export type Summary = {
  deliveries: number;
  duplicates: number;
  /** Duplicates among all deliveries: how much retrying Moshi absorbed. */
  retryRate: number;
  rejected: number;
  messages: number;
  multipart: number;
  incomplete: number;
  /** Provider timestamp to receipt, in seconds, where the provider gives a timestamp. */
  lagMedianSeconds: number | null;
  lagP95Seconds: number | null;
};

export type ProviderSummary = Summary & { provider: Provider };
export type NumberSummary = Summary & { phoneNumberId: string };

/** Totals per provider over a period: deliveries, retries, rejections, messages, lag. */
export async function summarizeByProvider(prisma: PrismaClient, range: StatsRange): Promise<ProviderSummary[]> {
  const rows = await summarize(prisma, range, "provider");
  return [...rows].sort(([a], [b]) => a.localeCompare(b)).map(([key, summary]) => ({ provider: key as Provider, ...summary }));
}

/** The same totals per number; numbers with no traffic in the period are left out. */
export async function summarizeByNumber(prisma: PrismaClient, range: StatsRange): Promise<NumberSummary[]> {
  const rows = await summarize(prisma, range, "phoneNumberId");
  return [...rows].map(([key, summary]) => ({ phoneNumberId: key, ...summary }));
}

/** Deliveries and messages of a period grouped by one column both tables share. */
async function summarize(prisma: PrismaClient, { teamId, from, to, phoneNumberId = null }: StatsRange, by: "provider" | "phoneNumberId") {
  const column = Prisma.raw(`"${by}"::text`);
  const deliveries = await prisma.$queryRaw<{ key: string; deliveries: bigint; duplicates: bigint; rejected: bigint }[]>`
    SELECT ${column} AS key, count(*) AS deliveries,
      count(*) FILTER (WHERE "outcome" = 'DUPLICATE') AS duplicates,
      count(*) FILTER (WHERE "outcome" = 'REJECTED') AS rejected
    FROM "Delivery"
    WHERE "teamId" = ${teamId} AND NOT "isTest" AND "receivedAt" >= ${from} AND "receivedAt" < ${to}
      AND (${phoneNumberId}::text IS NULL OR "phoneNumberId" = ${phoneNumberId})
    GROUP BY 1`;
  const messages = await prisma.$queryRaw<{ key: string; messages: bigint; multipart: bigint; incomplete: bigint; lag_median: number | null; lag_p95: number | null }[]>`
    SELECT ${column} AS key, count(*) AS messages,
      count(*) FILTER (WHERE "partsExpected" > 1) AS multipart,
      count(*) FILTER (WHERE ${messageStatusSql(new Date()).incomplete}) AS incomplete,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "receivedAt" - "providerTimestamp")) AS lag_median,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM "receivedAt" - "providerTimestamp")) AS lag_p95
    FROM "Message"
    WHERE "teamId" = ${teamId} AND NOT "isTest" AND "receivedAt" >= ${from} AND "receivedAt" < ${to}
      AND (${phoneNumberId}::text IS NULL OR "phoneNumberId" = ${phoneNumberId})
    GROUP BY 1`;
  const keys = new Set([...deliveries.map((d) => d.key), ...messages.map((m) => m.key)]);
  const result = new Map<string, Summary>();
  for (const key of keys) {
    const d = deliveries.find((row) => row.key === key);
    const m = messages.find((row) => row.key === key);
    const total = Number(d?.deliveries ?? 0);
    const duplicates = Number(d?.duplicates ?? 0);
    result.set(key, {
      deliveries: total,
      duplicates,
      retryRate: total ? duplicates / total : 0,
      rejected: Number(d?.rejected ?? 0),
      messages: Number(m?.messages ?? 0),
      multipart: Number(m?.multipart ?? 0),
      incomplete: Number(m?.incomplete ?? 0),
      lagMedianSeconds: m?.lag_median ?? null,
      lagP95Seconds: m?.lag_p95 ?? null,
    });
  }
  return result;
}

export type MessageCounts = { start: string; messages: number; multipart: number } & Record<Provider, number>;

const ZERO_PER_PROVIDER = Object.fromEntries(Object.values(ProviderEnum).map((provider) => [provider, 0])) as Record<Provider, number>;

/**
 * Messages stored per UTC hour or day, split by provider, with how many were multi-part: the
 * chart of what each provider brought in. Empty buckets are zeros, like the deliveries chart.
 */
export async function countMessagesOverTime(prisma: PrismaClient, { teamId, from, to, phoneNumberId = null }: StatsRange, bucket: Bucket): Promise<MessageCounts[]> {
  const rows = await prisma.$queryRaw<{ start: number; provider: Provider; count: bigint; multipart: bigint }[]>`
    SELECT extract(epoch FROM date_trunc(${bucket}, "receivedAt"))::float8 AS start, "provider"::text AS provider,
      count(*) AS count, count(*) FILTER (WHERE "partsExpected" > 1) AS multipart
    FROM "Message"
    WHERE "teamId" = ${teamId} AND NOT "isTest" AND "receivedAt" >= ${from} AND "receivedAt" < ${to}
      AND (${phoneNumberId}::text IS NULL OR "phoneNumberId" = ${phoneNumberId})
    GROUP BY 1, 2`;
  const series = bucketSeries<MessageCounts>(from, to, bucket, (start) => ({ start, messages: 0, multipart: 0, ...ZERO_PER_PROVIDER }));
  for (const row of rows) {
    const entry = series.at(row.start);
    if (!entry) continue;
    entry[row.provider] += Number(row.count);
    entry.messages += Number(row.count);
    entry.multipart += Number(row.multipart);
  }
  return series.values();
}

/** Rejected deliveries grouped by their reason, most frequent first. */
export async function countRejectionsByReason(prisma: PrismaClient, { teamId, from, to, phoneNumberId = null }: StatsRange) {
  const rows = await prisma.delivery.groupBy({
    by: ["status", "reason"],
    where: { teamId, isTest: false, outcome: "REJECTED", receivedAt: { gte: from, lt: to }, ...(phoneNumberId ? { phoneNumberId } : {}) },
    _count: true,
    orderBy: { _count: { id: "desc" } },
    take: 20,
  });
  return rows.map((row) => ({ status: row.status, reason: row.reason, count: row._count }));
}

/** Each number with the time of its latest message, so a silent number stands out. */
export async function listLastMessagePerNumber(prisma: PrismaClient, teamId: string) {
  const numbers = await prisma.phoneNumber.findMany({
    where: { teamId },
    orderBy: { createdAt: "asc" },
    select: { id: true, label: true, e164: true, provider: true, createdAt: true },
  });
  const latest = await prisma.message.groupBy({ by: ["phoneNumberId"], where: { teamId, isTest: false }, _max: { receivedAt: true } });
  const byNumber = new Map(latest.map((row) => [row.phoneNumberId, row._max.receivedAt]));
  return numbers.map((number) => ({ ...number, lastMessageAt: byNumber.get(number.id) ?? null }));
}
