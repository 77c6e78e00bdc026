import "server-only";
import type { DeliveryOutcome, PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { effectiveStatus } from "@/lib/sms/incomplete";
import { decodePosition, encodePosition, olderThan } from "./keyset";

export const DELIVERY_OUTCOMES = ["STORED", "DUPLICATE", "IGNORED", "REJECTED"] as const satisfies readonly DeliveryOutcome[];

const listSelect = {
  id: true,
  receivedAt: true,
  provider: true,
  method: true,
  status: true,
  outcome: true,
  reason: true,
  durationMs: true,
  signed: true,
  signatureAgeSeconds: true,
  toMismatch: true,
  storedCount: true,
  duplicateCount: true,
  replayOfId: true,
  reasonCode: true,
  acceptedUnsignedAt: true,
  bodyPurgedAt: true,
  acceptedUnsignedBy: { select: { name: true, email: true } },
  phoneNumber: { select: { id: true, label: true, e164: true } },
} satisfies Prisma.DeliverySelect;

export type DeliverySummary = Prisma.DeliveryGetPayload<{ select: typeof listSelect }>;

export type ListDeliveriesOptions = {
  teamId: string;
  outcome?: DeliveryOutcome | null;
  phoneNumberId?: string | null;
  /** From a previous page's `nextCursor`; an unreadable one starts from the newest. */
  cursor?: string | null;
  take?: number;
};

/**
 * The team's deliveries, newest first, without their bodies. Pages are keyset-paginated on
 * (receivedAt, id): a page costs the same on the thousandth page as on the first, and rows
 * arriving meanwhile neither shift nor repeat what the reader already saw.
 */
export async function listDeliveries(
  prisma: PrismaClient,
  { teamId, outcome = null, phoneNumberId = null, cursor = null, take = 50 }: ListDeliveriesOptions,
): Promise<{ items: DeliverySummary[]; nextCursor: string | null }> {
  const after = cursor ? decodePosition(cursor) : null;
  const rows = await prisma.delivery.findMany({
    where: {
      teamId,
      ...(outcome ? { outcome } : {}),
      ...(phoneNumberId ? { phoneNumberId } : {}),
      ...(after ? olderThan("receivedAt", after) : {}),
    },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: listSelect,
  });
  const items = rows.slice(0, take);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > take && last ? encodeDeliveryCursor(last) : null };
}

/** What the list shows, and the raw request with what became of its parts. */
const detailSelect = {
  ...listSelect,
  contentType: true,
  headers: true,
  query: true,
  body: true,
  phoneNumber: { select: { id: true, label: true, e164: true, provider: true } },
  // Where this delivery was accepted without a valid signature, and by whom.
  replays: {
    where: { acceptedUnsignedById: { not: null } },
    orderBy: { receivedAt: "asc" },
    take: 5,
    select: { id: true, receivedAt: true, outcome: true, acceptedUnsignedBy: { select: { name: true, email: true } } },
  },
  parts: {
    orderBy: [{ receivedAt: "asc" }, { partIndex: "asc" }],
    select: {
      partIndex: true,
      message: {
        select: { id: true, conversationId: true, from: true, text: true, status: true, partsExpected: true, partsReceived: true, receivedAt: true },
      },
    },
  },
} satisfies Prisma.DeliverySelect;

/** How long a stored message's text is shown next to its delivery. */
const SNIPPET_LENGTH = 140;

/**
 * One delivery of the team with its raw request and the messages it stored (a message appears
 * once even when the delivery carried several of its parts); null for another team's delivery.
 */
export async function getDelivery(prisma: PrismaClient, { teamId, deliveryId }: { teamId: string; deliveryId: string }) {
  const delivery = await prisma.delivery.findFirst({ where: { id: deliveryId, teamId }, select: detailSelect });
  if (!delivery) return null;
  const { parts, ...rest } = delivery;
  const messages = new Map<string, StoredMessage>();
  for (const { partIndex, message } of parts) {
    const { text, ...fields } = message;
    const entry = messages.get(message.id) ?? { ...fields, status: effectiveStatus(message, new Date()), snippet: snippet(text), partIndexes: [] };
    entry.partIndexes.push(partIndex);
    messages.set(message.id, entry);
  }
  return { ...rest, messages: [...messages.values()] };
}

export type DeliveryDetail = NonNullable<Awaited<ReturnType<typeof getDelivery>>>;

type StoredMessage = Omit<Prisma.MessageGetPayload<{ select: (typeof detailSelect)["parts"]["select"]["message"]["select"] }>, "text"> & {
  snippet: string | null;
  /** The parts of the message this delivery carried. */
  partIndexes: number[];
};

/** How many deliveries the team has per outcome (every outcome present, zero when none). */
export async function countDeliveriesByOutcome(
  prisma: PrismaClient,
  teamId: string,
  { phoneNumberId = null }: { phoneNumberId?: string | null } = {},
): Promise<Record<DeliveryOutcome, number>> {
  const rows = await prisma.delivery.groupBy({
    by: ["outcome"],
    where: { teamId, ...(phoneNumberId ? { phoneNumberId } : {}) },
    _count: { _all: true },
  });
  const counts = Object.fromEntries(DELIVERY_OUTCOMES.map((outcome) => [outcome, 0])) as Record<DeliveryOutcome, number>;
  for (const row of rows) counts[row.outcome] = row._count._all;
  return counts;
}

/** An opaque page position (see lib/data/keyset.ts). */
export function encodeDeliveryCursor({ receivedAt, id }: { receivedAt: Date; id: string }): string {
  return encodePosition({ at: receivedAt, id });
}

/** The position in a cursor, or null when it is not one this module wrote. */
export function decodeDeliveryCursor(cursor: string): { receivedAt: Date; id: string } | null {
  const position = decodePosition(cursor);
  return position && { receivedAt: position.at, id: position.id };
}

function snippet(text: string | null): string | null {
  if (text === null) return null;
  // By code points, so an emoji is never cut in half.
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length > SNIPPET_LENGTH ? `${chars.slice(0, SNIPPET_LENGTH - 1).join("")}…` : chars.join("");
}
