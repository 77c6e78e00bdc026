import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { escapeLike } from "./conversations";
import { encodePosition, olderThan, type Position } from "./keyset";

/** The columns `messageResource` (lib/events/resources.ts) builds a Message from. */
const messageRowSelect = {
  id: true,
  conversationId: true,
  phoneNumberId: true,
  provider: true,
  from: true,
  to: true,
  status: true,
  encoding: true,
  text: true,
  binaryHex: true,
  keyword: true,
  partsExpected: true,
  partsReceived: true,
  receivedAt: true,
  completedAt: true,
  providerTimestamp: true,
  priceAmount: true,
  priceCurrency: true,
  warnings: true,
  isTest: true,
} satisfies Prisma.MessageSelect;

export type MessageRecord = Prisma.MessageGetPayload<{ select: typeof messageRowSelect }>;

export type ListMessagesOptions = {
  teamId: string;
  phoneNumberId?: string | null;
  conversationId?: string | null;
  /** The sender exactly as stored: E.164 for phone numbers. */
  sender?: string | null;
  /** A keyword as stored (upper-case). */
  keyword?: string | null;
  /** Text to find, case-insensitively, as typed: LIKE wildcards in it are literal. */
  search?: string | null;
  /** receivedAt ≥ since */
  since?: Date | null;
  /** receivedAt < until */
  until?: Date | null;
  after?: Position | null;
  take?: number;
};

/**
 * The team's messages, newest first, keyset-paginated on (receivedAt, id) along the
 * (teamId, receivedAt) index, under any of the filters.
 */
export async function listMessages(
  prisma: PrismaClient,
  { teamId, phoneNumberId, conversationId, sender, keyword, search, since, until, after = null, take = 50 }: ListMessagesOptions,
): Promise<{ items: MessageRecord[]; nextCursor: string | null }> {
  const receivedAt: Prisma.DateTimeFilter = {};
  if (since) receivedAt.gte = since;
  if (until) receivedAt.lt = until;
  const rows = await prisma.message.findMany({
    where: {
      AND: [
        {
          teamId,
          ...(phoneNumberId ? { phoneNumberId } : {}),
          ...(conversationId ? { conversationId } : {}),
          ...(sender ? { from: sender } : {}),
          ...(keyword ? { keyword } : {}),
          // Prisma passes `contains` to ILIKE as it is: the wildcards people type must be escaped.
          ...(search ? { text: { contains: escapeLike(search), mode: "insensitive" } } : {}),
          ...(since || until ? { receivedAt } : {}),
        },
        after ? olderThan("receivedAt", after) : {},
      ],
    },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: messageRowSelect,
  });
  const items = rows.slice(0, take);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > take && last ? encodePosition({ at: last.receivedAt, id: last.id }) : null };
}

/** One message of the team; null for another team's, exactly as for one that does not exist. */
export async function findMessage(prisma: PrismaClient, { teamId, messageId }: { teamId: string; messageId: string }): Promise<MessageRecord | null> {
  return prisma.message.findFirst({ where: { id: messageId, teamId }, select: messageRowSelect });
}
