import "server-only";
import { AppError, notFoundError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { type Bucket, bucketSeries } from "@/lib/periods";
import { extractKeyword } from "@/lib/sms/keyword";

export type KeywordRange = { teamId: string; from: Date; to: Date; phoneNumberId?: string | null };

export type KeywordCount = { keyword: string; count: number; previousCount: number };

/**
 * The most used keywords of a period, with their count in the period just before it, so a
 * rising keyword shows as one.
 */
export async function listTopKeywords(prisma: PrismaClient, { teamId, from, to, phoneNumberId = null }: KeywordRange, take = 20): Promise<KeywordCount[]> {
  const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  const rows = await prisma.$queryRaw<{ keyword: string; count: bigint; previous: bigint }[]>`
    SELECT "keyword",
      count(*) FILTER (WHERE "receivedAt" >= ${from}) AS count,
      count(*) FILTER (WHERE "receivedAt" < ${from}) AS previous
    FROM "Message"
    WHERE "teamId" = ${teamId} AND NOT "isTest" AND "keyword" IS NOT NULL AND "receivedAt" >= ${previousFrom} AND "receivedAt" < ${to}
      AND (${phoneNumberId}::text IS NULL OR "phoneNumberId" = ${phoneNumberId})
    GROUP BY "keyword"
    HAVING count(*) FILTER (WHERE "receivedAt" >= ${from}) > 0
    ORDER BY count DESC, "keyword" ASC
    LIMIT ${take}`;
  return rows.map((row) => ({ keyword: row.keyword, count: Number(row.count), previousCount: Number(row.previous) }));
}

/**
 * The keywords customers use most lately, for suggestions: counted over the team's newest
 * `sample` messages, read newest first along the (teamId, receivedAt) index, so it costs the
 * same with a thousand messages or a million (counting whole periods is the keywords page's job).
 */
export async function listRecentKeywords(prisma: PrismaClient, teamId: string, { sample = 2000, take = 20 } = {}): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ keyword: string }[]>`
    SELECT "keyword" FROM (
      SELECT "keyword" FROM "Message" WHERE "teamId" = ${teamId} AND NOT "isTest" ORDER BY "receivedAt" DESC LIMIT ${sample}
    ) recent
    WHERE "keyword" IS NOT NULL
    GROUP BY "keyword"
    ORDER BY count(*) DESC, "keyword" ASC
    LIMIT ${take}`;
  return rows.map((row) => row.keyword);
}

export type KeywordTrendPoint = { start: string; counts: Record<string, number> };

/**
 * How often each of the given keywords was used per UTC hour or day of the range (see
 * `bucketKey` for the keys). Buckets without any use count zero, so a quiet spell shows.
 */
export async function countKeywordsOverTime(
  prisma: PrismaClient,
  { teamId, from, to, phoneNumberId = null }: KeywordRange,
  keywords: string[],
  bucket: Bucket,
): Promise<KeywordTrendPoint[]> {
  if (keywords.length === 0) return [];
  // "receivedAt" holds UTC without a zone, so truncating it and reading its epoch stays in UTC
  // whatever the session's time zone.
  const rows = await prisma.$queryRaw<{ start: number; keyword: string; count: bigint }[]>`
    SELECT extract(epoch FROM date_trunc(${bucket}, "receivedAt"))::float8 AS start, "keyword", count(*) AS count
    FROM "Message"
    WHERE "teamId" = ${teamId} AND NOT "isTest" AND "keyword" IN (${Prisma.join(keywords)}) AND "receivedAt" >= ${from} AND "receivedAt" < ${to}
      AND (${phoneNumberId}::text IS NULL OR "phoneNumberId" = ${phoneNumberId})
    GROUP BY 1, 2`;
  const series = bucketSeries<KeywordTrendPoint>(from, to, bucket, (start) => ({ start, counts: Object.fromEntries(keywords.map((k) => [k, 0])) }));
  for (const row of rows) {
    const point = series.at(row.start);
    if (point) point.counts[row.keyword] = Number(row.count);
  }
  return series.values();
}

export async function listTeamKeywords(prisma: PrismaClient, teamId: string) {
  return prisma.teamKeyword.findMany({ where: { teamId }, orderBy: { word: "asc" }, select: { id: true, word: true, label: true, color: true } });
}

export async function createTeamKeyword(prisma: PrismaClient, { teamId, word, label, color }: { teamId: string; word: string; label: string; color: string }) {
  try {
    return await prisma.teamKeyword.create({ data: { teamId, word: word.toUpperCase(), label, color }, select: { id: true } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CONFLICT", "Please correct the highlighted fields.", { word: "This team already names that keyword." });
    }
    throw error;
  }
}

export async function deleteTeamKeyword(prisma: PrismaClient, { teamId, keywordId }: { teamId: string; keywordId: string }) {
  const { count } = await prisma.teamKeyword.deleteMany({ where: { id: keywordId, teamId } });
  if (count !== 1) throw notFoundError("Keyword not found");
}

export type RecomputedKeywords = { read: number; changed: number };

/**
 * Gives the complete messages stored before a change of the keyword rule (lib/sms/keyword.ts)
 * the keyword that rule gives their text now, with their team's named keywords: `npm run
 * keywords:recompute`. New messages get it as they arrive; a partial message gets it again
 * with its next part. Incomplete ones keep theirs: their text shows the gaps, and the rule
 * reads the first part alone. Consent is not touched: it was decided as each message arrived.
 * Walks the messages in id order, `batchSize` at a time, so it can run on a live database, and
 * again: what is already right is left alone.
 */
export async function recomputeKeywords(prisma: PrismaClient, { teamId, batchSize = 1000 }: { teamId?: string; batchSize?: number } = {}): Promise<RecomputedKeywords> {
  const named = new Map<string, Set<string>>();
  for (const { teamId: team, word } of await prisma.teamKeyword.findMany({ where: teamId ? { teamId } : {}, select: { teamId: true, word: true } })) {
    named.set(team, (named.get(team) ?? new Set()).add(word));
  }
  const result: RecomputedKeywords = { read: 0, changed: 0 };
  let after = "";
  for (;;) {
    const rows = await prisma.message.findMany({
      where: { id: { gt: after }, status: "COMPLETE", text: { not: null }, ...(teamId ? { teamId } : {}) },
      orderBy: { id: "asc" },
      take: batchSize,
      select: { id: true, teamId: true, text: true, keyword: true },
    });
    result.read += rows.length;
    const changes = rows.map((row) => ({ id: row.id, old: row.keyword, keyword: extractKeyword(row.text, { named: named.get(row.teamId) }) })).filter((c) => c.keyword !== c.old);
    if (changes.length > 0) {
      result.changed += await prisma.$executeRaw`
        UPDATE "Message" m SET "keyword" = c.keyword
        FROM unnest(${changes.map((c) => c.id)}::text[], ${changes.map((c) => c.keyword)}::text[]) AS c(id, keyword)
        WHERE m."id" = c.id`;
    }
    if (rows.length < batchSize) return result;
    after = rows.at(-1)!.id;
  }
}
