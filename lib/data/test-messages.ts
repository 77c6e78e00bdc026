import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";

export type DeletedTestMessages = { messages: number; conversations: number };

/**
 * Deletes test messages of the team (Message.isTest: sent with the Numbers page's Test button),
 * one by id or every one of a number, with the test deliveries that carried them, in one
 * transaction that keeps every counter right:
 *
 * - each thread's message and test counts and its latest time are counted again from what is
 *   left, and a thread left empty goes;
 * - each person's read marker (a count of the thread's messages, oldest first) drops by the
 *   deleted messages it had covered, so what was unread stays unread and nothing else becomes so;
 * - the delivery log and statistics lose the test deliveries, never a provider's.
 *
 * Another team's ids, and messages that are not tests, are not found: nothing is deleted.
 */
export async function deleteTestMessages(
  prisma: PrismaClient,
  { teamId, ...target }: { teamId: string } & ({ messageId: string } | { phoneNumberId: string }),
): Promise<DeletedTestMessages> {
  const which = "messageId" in target ? Prisma.sql`m."id" = ${target.messageId}` : Prisma.sql`m."phoneNumberId" = ${target.phoneNumberId}`;
  return prisma.$transaction(async (tx) => {
    // Each doomed message's place in its thread (1 = oldest), as read markers count them; the
    // threads are locked first, so a message stored meanwhile waits and counts after.
    const doomed = await tx.$queryRaw<{ id: string; conversationId: string; place: number; deliveryIds: string[] }[]>`
      WITH threads AS (
        SELECT c."id" FROM "Conversation" c
        WHERE c."teamId" = ${teamId} AND c."id" IN (SELECT m."conversationId" FROM "Message" m WHERE m."teamId" = ${teamId} AND m."isTest" AND ${which})
        ORDER BY c."id" FOR UPDATE
      ),
      ranked AS (
        SELECT m."id", m."conversationId", m."isTest", m."teamId", m."phoneNumberId",
          row_number() OVER (PARTITION BY m."conversationId" ORDER BY m."receivedAt", m."id")::int AS place
        FROM "Message" m WHERE m."conversationId" IN (SELECT "id" FROM threads)
      )
      SELECT m."id", m."conversationId", m.place,
        coalesce((SELECT array_agg(DISTINCT p."deliveryId") FROM "MessagePart" p WHERE p."messageId" = m."id"), '{}') AS "deliveryIds"
      FROM ranked m WHERE m."teamId" = ${teamId} AND m."isTest" AND ${which}`;
    if (doomed.length === 0) return { messages: 0, conversations: 0 };
    const ids = doomed.map((d) => d.id);
    const threadIds = [...new Set(doomed.map((d) => d.conversationId))];
    const deliveryIds = [...new Set(doomed.flatMap((d) => d.deliveryIds))];

    await tx.$executeRaw`
      UPDATE "ConversationRead" r SET "readCount" = r."readCount" - d.covered, "updatedAt" = now()
      FROM (
        SELECT r2."conversationId", r2."userId", count(*)::int AS covered
        FROM "ConversationRead" r2 JOIN jsonb_to_recordset(${JSON.stringify(doomed.map(({ conversationId, place }) => ({ conversationId, place })))}::jsonb)
          AS x("conversationId" text, place int) ON x."conversationId" = r2."conversationId" AND x.place <= r2."readCount"
        GROUP BY r2."conversationId", r2."userId"
      ) d
      WHERE r."conversationId" = d."conversationId" AND r."userId" = d."userId"`;
    await tx.message.deleteMany({ where: { teamId, isTest: true, id: { in: ids } } });
    // A test delivery carries only its test message; one with other parts left keeps its row.
    await tx.delivery.deleteMany({ where: { teamId, isTest: true, id: { in: deliveryIds }, parts: { none: {} } } });
    await tx.$executeRaw`
      UPDATE "Conversation" c SET "messageCount" = s.n, "testCount" = s.tests, "lastMessageAt" = coalesce(s.latest, c."lastMessageAt")
      FROM (
        SELECT t."id", count(m."id")::int AS n, (count(m."id") FILTER (WHERE m."isTest"))::int AS tests, max(m."receivedAt") AS latest
        FROM unnest(${threadIds}::text[]) AS t("id") LEFT JOIN "Message" m ON m."conversationId" = t."id"
        GROUP BY t."id"
      ) s
      WHERE c."id" = s."id" AND c."teamId" = ${teamId}`;
    const emptied = await tx.conversation.deleteMany({ where: { teamId, id: { in: threadIds }, messageCount: 0 } });
    return { messages: ids.length, conversations: emptied.count };
  });
}

/** How many test messages a number has (for the Numbers page's "delete test messages"). */
export async function countTestMessages(prisma: PrismaClient, teamId: string): Promise<Map<string, number>> {
  const rows = await prisma.message.groupBy({ by: ["phoneNumberId"], where: { teamId, isTest: true }, _count: { _all: true } });
  return new Map(rows.map((row) => [row.phoneNumberId, row._count._all]));
}
