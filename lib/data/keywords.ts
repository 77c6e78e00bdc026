import "server-only";
import { AppError, notFoundError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";

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
    WHERE "teamId" = ${teamId} AND "keyword" IS NOT NULL AND "receivedAt" >= ${previousFrom} AND "receivedAt" < ${to}
      AND (${phoneNumberId}::text IS NULL OR "phoneNumberId" = ${phoneNumberId})
    GROUP BY "keyword"
    HAVING count(*) FILTER (WHERE "receivedAt" >= ${from}) > 0
    ORDER BY count DESC, "keyword" ASC
    LIMIT ${take}`;
  return rows.map((row) => ({ keyword: row.keyword, count: Number(row.count), previousCount: Number(row.previous) }));
}

/** Per UTC day, how often each of the given keywords was used. Missing days count zero. */
export async function countKeywordsByDay(prisma: PrismaClient, { teamId, from, to, phoneNumberId = null }: KeywordRange, keywords: string[]) {
  if (keywords.length === 0) return [];
  const rows = await prisma.$queryRaw<{ day: Date; keyword: string; count: bigint }[]>`
    SELECT date_trunc('day', "receivedAt" AT TIME ZONE 'UTC') AS day, "keyword", count(*) AS count
    FROM "Message"
    WHERE "teamId" = ${teamId} AND "keyword" IN (${Prisma.join(keywords)}) AND "receivedAt" >= ${from} AND "receivedAt" < ${to}
      AND (${phoneNumberId}::text IS NULL OR "phoneNumberId" = ${phoneNumberId})
    GROUP BY 1, 2`;
  const days: Record<string, number | string>[] = [];
  const start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (let t = start; t < to.getTime(); t += 86_400_000) {
    days.push({ day: new Date(t).toISOString().slice(0, 10), ...Object.fromEntries(keywords.map((k) => [k, 0])) });
  }
  for (const row of rows) {
    const entry = days.find((d) => d.day === new Date(row.day).toISOString().slice(0, 10));
    if (entry) entry[row.keyword] = Number(row.count);
  }
  return days;
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
