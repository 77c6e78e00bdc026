import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { readStoredBody } from "@/lib/deliveries/body";

/**
 * A team's whole data as JSON lines, one object per line with its `type`: the team, then its
 * numbers, conversations, messages and deliveries, in that order, each kind oldest first. Read
 * in keyset batches on (time, id), so a team of any size streams without being held in memory.
 * Numbers carry no secret: neither their webhook token (nor its hint) nor their credentials,
 * only whether a signature is checked. Test messages (the Numbers page's Test button), their
 * deliveries and the threads that hold nothing else are left out unless `tests` is asked for,
 * as in every other export; the team's internal notes come after the conversations.
 */

/** Rows per query; deliveries, whose bodies weigh up to 256 KiB each, come fewer at a time. */
export const EXPORT_BATCH = 1_000;
export const EXPORT_DELIVERY_BATCH = 100;

type Line = Record<string, unknown> & { type: string };

type Keyed = { id: string };

/** Rows of one kind oldest first, batch after batch: `read` answers the batch after `after`. */
async function* keyset<T extends Keyed>(read: (after: { at: Date; id: string } | null, take: number) => Promise<T[]>, at: (row: T) => Date, take: number) {
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const rows = await read(after, take);
    if (rows.length > 0) yield rows;
    if (rows.length < take) return;
    const last = rows.at(-1)!;
    after = { at: at(last), id: last.id };
  }
}

/** The rows after `after` in (field asc, id asc) order. */
function newerThan<F extends string>(field: F, after: { at: Date; id: string } | null) {
  if (!after) return {};
  return { [field]: { gte: after.at }, OR: [{ [field]: { gt: after.at } }, { [field]: after.at, id: { gt: after.id } }] };
}

const numberSelect = { id: true, provider: true, e164: true, label: true, credentials: true, createdAt: true } satisfies Prisma.PhoneNumberSelect;

const conversationSelect = {
  id: true,
  phoneNumberId: true,
  sender: true,
  createdAt: true,
  lastMessageAt: true,
  messageCount: true,
  testCount: true,
  optedOutAt: true,
  doneAt: true,
} satisfies Prisma.ConversationSelect;

const noteSelect = { id: true, conversationId: true, authorId: true, authorName: true, body: true, createdAt: true } satisfies Prisma.ConversationNoteSelect;

const messageSelect = {
  id: true,
  conversationId: true,
  phoneNumberId: true,
  provider: true,
  from: true,
  to: true,
  encoding: true,
  text: true,
  binaryHex: true,
  keyword: true,
  providerKeyword: true,
  providerTimestamp: true,
  receivedAt: true,
  completedAt: true,
  status: true,
  partsExpected: true,
  partsReceived: true,
  smsCount: true,
  priceAmount: true,
  priceCurrency: true,
  warnings: true,
  incompleteAt: true,
  isTest: true,
} satisfies Prisma.MessageSelect;

const deliverySelect = {
  id: true,
  phoneNumberId: true,
  provider: true,
  method: true,
  contentType: true,
  headers: true,
  query: true,
  body: true,
  receivedAt: true,
  outcome: true,
  reason: true,
  reasonCode: true,
  status: true,
  durationMs: true,
  signed: true,
  storedCount: true,
  duplicateCount: true,
  replayOfId: true,
  acceptedUnsignedAt: true,
  bodyPurgedAt: true,
  isTest: true,
  parts: { select: { messageId: true, partIndex: true }, orderBy: [{ messageId: "asc" }, { partIndex: "asc" }] },
} satisfies Prisma.DeliverySelect;

type DeliveryRow = Prisma.DeliveryGetPayload<{ select: typeof deliverySelect }>;

/** The body as base64 always (bytes, exactly), and as text too when it is valid UTF-8. */
export function exportedBody(bytes: Uint8Array): { base64: string; text: string | null; size: number } {
  const read = readStoredBody(bytes);
  let utf8 = true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    utf8 = false;
  }
  return { base64: Buffer.from(bytes).toString("base64"), text: utf8 ? read.text : null, size: read.size };
}

function deliveryLine({ body, parts, ...delivery }: DeliveryRow): Line {
  return {
    type: "delivery",
    ...delivery,
    body: delivery.bodyPurgedAt ? null : exportedBody(body),
    parts,
  };
}

/** Every line of the team's export, in batches of lines (each batch one query). */
export async function* exportTeam(
  prisma: PrismaClient,
  teamId: string,
  { batch = EXPORT_BATCH, deliveryBatch = EXPORT_DELIVERY_BATCH, tests = false }: { batch?: number; deliveryBatch?: number; tests?: boolean } = {},
): AsyncGenerator<Line[]> {
  // A thread of test messages only: messages, all tests (an empty thread kept for its opt-out stays).
  const testThread: Prisma.ConversationWhereInput = { testCount: { gt: 0 }, messageCount: { lte: prisma.conversation.fields.testCount } };
  const conversationFilter: Prisma.ConversationWhereInput = tests ? {} : { NOT: testThread };
  const notTest = tests ? {} : { isTest: false };
  const team = await prisma.team.findUniqueOrThrow({
    where: { id: teamId },
    select: { id: true, name: true, slug: true, createdAt: true, keepBodiesDays: true, keepMessagesDays: true },
  });
  yield [{ type: "team", ...team }];

  const numbers = keyset(
    (after, take) => prisma.phoneNumber.findMany({ where: { teamId, ...newerThan("createdAt", after) }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take, select: numberSelect }),
    (row) => row.createdAt,
    batch,
  );
  for await (const rows of numbers) yield rows.map(({ credentials, ...number }) => ({ type: "number", ...number, checksSignatures: credentials !== null }));

  const conversations = keyset(
    (after, take) => prisma.conversation.findMany({ where: { teamId, ...conversationFilter, ...newerThan("createdAt", after) }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take, select: conversationSelect }),
    (row) => row.createdAt,
    batch,
  );
  for await (const rows of conversations) yield rows.map((conversation) => ({ type: "conversation", ...conversation }));

  const notes = keyset(
    (after, take) =>
      prisma.conversationNote.findMany({
        where: { teamId, conversation: conversationFilter, ...newerThan("createdAt", after) },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take,
        select: noteSelect,
      }),
    (row) => row.createdAt,
    batch,
  );
  for await (const rows of notes) yield rows.map((note) => ({ type: "note", ...note }));

  const messages = keyset(
    (after, take) => prisma.message.findMany({ where: { teamId, ...notTest, ...newerThan("receivedAt", after) }, orderBy: [{ receivedAt: "asc" }, { id: "asc" }], take, select: messageSelect }),
    (row) => row.receivedAt,
    batch,
  );
  for await (const rows of messages) yield rows.map((message) => ({ type: "message", ...message }));

  const deliveries = keyset(
    (after, take) => prisma.delivery.findMany({ where: { teamId, ...notTest, ...newerThan("receivedAt", after) }, orderBy: [{ receivedAt: "asc" }, { id: "asc" }], take, select: deliverySelect }),
    (row) => row.receivedAt,
    deliveryBatch,
  );
  for await (const rows of deliveries) yield rows.map(deliveryLine);
}

/** One JSON line; dates as ISO strings (JSON.stringify's own). */
export function jsonLine(line: Line): string {
  return JSON.stringify(line) + "\n";
}
