/**
 * Storage of a delivery and the messages it carries, in the caller's transaction. Uniqueness is
 * the database's: a retried part meets the unique index on (number, provider message id), a
 * part resent under a new id meets the one on (message, part index) while its message is open,
 * and the group key once it is closed. Strings reaching here are storable (see storable.ts).
 *
 * Single messages (every Infobip message, most others) are stored set-based: one statement for
 * a whole batch, whatever its size. Parts of long messages are few per delivery (Rakuten and
 * Vonage send one per request) and go one by one, since each may complete its message.
 */
import type { Prisma } from "@/lib/generated/prisma/client";
import { createId } from "./id";
import { consentChange } from "./keyword";
import { assembleMessage, type ReceivedPart } from "./reassemble";
import { isStorageWarning } from "./storable";
import type { InboundPart, Payload, Provider } from "./types";

type Tx = Prisma.TransactionClient;

/** Parts still missing this long after the first one arrived are given up on. */
export const INCOMPLETE_AFTER_MS = 24 * 60 * 60 * 1000;

/** The number a delivery arrived for, as storage needs it. */
export type StorageNumber = { id: string; teamId: string; provider: Provider; e164: string };

/** A part ready to store, with the warnings making it storable produced. */
export type StorablePart = { part: InboundPart; warnings: string[] };

export type StoredCounts = { stored: number; duplicates: number; resent: number };

/**
 * Stores the parts of one delivery (already recorded as `deliveryId`) and answers how many were
 * new, how many were retries, and how many were parts resent under a new id.
 */
export async function storeParts(tx: Tx, number: StorageNumber, deliveryId: string, parts: StorablePart[], now: Date): Promise<StoredCounts> {
  const singles = parts.filter(({ part }) => part.concat === null);
  const counts: StoredCounts = { stored: 0, duplicates: 0, resent: 0 };
  if (singles.length > 0) {
    const stored = await storeSingles(tx, number, deliveryId, singles, now);
    counts.stored += stored;
    counts.duplicates += singles.length - stored;
  }
  const concatenated = parts.filter(({ part }) => part.concat !== null);
  if (concatenated.length > 0) await giveUpOnStalePartials(tx, number.id, now);
  for (const part of concatenated) {
    const outcome = await storeConcatPart(tx, number, deliveryId, part, now);
    if (outcome === "stored") counts.stored++;
    else counts.duplicates++;
    if (outcome === "resent") counts.resent++;
  }
  return counts;
}

/**
 * One statement for any number of single messages: insert the parts (a retry meets the unique
 * index and is skipped), then the messages of the parts that went in, then each sender's thread
 * with its counters. The part rows reference messages inserted later in the same statement,
 * which PostgreSQL allows: foreign keys are checked when the statement ends. Answers how many
 * messages were new.
 */
async function storeSingles(tx: Tx, number: StorageNumber, deliveryId: string, parts: StorablePart[], now: Date): Promise<number> {
  const threadIds = new Map<string, string>();
  const rows = parts.map(({ part, warnings }, ord) => {
    const decoded = assembleMessage([{ partIndex: 1, payload: part.payload }], part.encoding, 1);
    if (!threadIds.has(part.from)) threadIds.set(part.from, createId());
    return {
      ord,
      mid: createId(),
      pid: createId(),
      cid: threadIds.get(part.from),
      pmid: part.providerMessageId,
      from: part.from,
      to: part.to,
      enc: part.encoding,
      fmt: part.payload.format,
      payload: part.payload.value,
      udh: part.udhHex,
      pkw: part.providerKeyword,
      pts: part.providerTimestamp?.toISOString() ?? null,
      text: decoded.text,
      bin: decoded.binaryHex,
      kw: decoded.keyword,
      warn: [...warnings, ...decoded.warnings],
      sms: part.smsCount,
      pa: part.price?.amount ?? null,
      pc: part.price?.currency ?? null,
      cb: part.callbackData,
      consent: consentChange(decoded.keyword),
    };
  });

  const fresh = await tx.$queryRaw<{ conversationId: string; consent: string | null }[]>`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
        ord int, mid text, pid text, cid text, pmid text, "from" text, "to" text, enc text, fmt text, payload text,
        udh text, pkw text, pts timestamptz, text text, bin text, kw text, warn text[], sms int, pa text, pc text,
        cb text, consent text)
    ),
    -- A batch may carry one message twice: the first copy counts.
    uniq AS (SELECT DISTINCT ON (pmid) * FROM input ORDER BY pmid, ord),
    part AS (
      INSERT INTO "MessagePart" ("id", "phoneNumberId", "messageId", "deliveryId", "providerMessageId", "partIndex",
        "payloadFormat", "payload", "udhHex", "providerKeyword", "providerTimestamp", "receivedAt")
      SELECT pid, ${number.id}, mid, ${deliveryId}, pmid, 1, fmt, payload, udh, pkw, pts, ${now}
      FROM uniq ORDER BY pmid
      ON CONFLICT DO NOTHING
      RETURNING "messageId"
    ),
    fresh AS (SELECT uniq.* FROM uniq JOIN part ON part."messageId" = uniq.mid),
    -- Threads in sender order, so concurrent batches lock them in the same order.
    thread AS (
      INSERT INTO "Conversation" ("id", "teamId", "phoneNumberId", "sender", "lastMessageAt", "unreadCount", "messageCount", "createdAt")
      SELECT min(cid), ${number.teamId}, ${number.id}, "from", ${now}, count(*), count(*), ${now}
      FROM fresh GROUP BY "from" ORDER BY "from"
      ON CONFLICT ("phoneNumberId", "sender") DO UPDATE SET
        "messageCount" = "Conversation"."messageCount" + EXCLUDED."messageCount",
        "unreadCount" = "Conversation"."unreadCount" + EXCLUDED."unreadCount",
        "lastMessageAt" = GREATEST("Conversation"."lastMessageAt", EXCLUDED."lastMessageAt")
      RETURNING "id", "sender"
    ),
    message AS (
      INSERT INTO "Message" ("id", "teamId", "phoneNumberId", "conversationId", "provider", "from", "to", "encoding",
        "text", "binaryHex", "keyword", "providerKeyword", "providerTimestamp", "receivedAt", "completedAt", "status",
        "partsExpected", "partsReceived", "smsCount", "priceAmount", "priceCurrency", "callbackData", "warnings")
      SELECT fresh.mid, ${number.teamId}, ${number.id}, thread."id", ${number.provider}::"Provider", fresh."from", fresh."to",
        fresh.enc::"Encoding", fresh.text, fresh.bin, fresh.kw, fresh.pkw, fresh.pts, ${now}, ${now}, 'COMPLETE'::"MessageStatus",
        1, 1, fresh.sms, fresh.pa, fresh.pc, fresh.cb, fresh.warn
      FROM fresh JOIN thread ON thread."sender" = fresh."from"
      RETURNING "id"
    )
    SELECT thread."id" AS "conversationId", fresh.consent
    FROM fresh JOIN thread ON thread."sender" = fresh."from"
    ORDER BY fresh.ord`;

  // Consent follows each sender's latest new message: STOP opts out, START opts back in. Rare,
  // so it costs a statement only when a batch carries such a keyword.
  const latest = new Map<string, string>();
  for (const row of fresh) if (row.consent) latest.set(row.conversationId, row.consent);
  for (const [conversationId, change] of latest) {
    await tx.conversation.update({ where: { id: conversationId }, data: { optedOutAt: change === "opt-out" ? now : null } });
  }
  return fresh.length;
}

/**
 * Stores one part of a long message: into the open group it belongs to (created by its first
 * part to arrive), completing the message when it is the last. A part whose group already
 * closed, with the very payload stored for that index within the last day, is a carrier
 * resending it under a new id: a duplicate, not the start of a phantom message.
 */
async function storeConcatPart(tx: Tx, number: StorageNumber, deliveryId: string, { part, warnings }: StorablePart, now: Date): Promise<"stored" | "duplicate" | "resent"> {
  const concat = part.concat!;
  const groupKey = `${part.from}|${concat.referenceBits}:${concat.reference}|${concat.total}`;

  const [resent] = await tx.$queryRaw<{ id: string }[]>`
    SELECT p."id" FROM "Message" m JOIN "MessagePart" p ON p."messageId" = m."id"
    WHERE m."phoneNumberId" = ${number.id} AND m."groupKey" = ${groupKey} AND m."concatKey" IS NULL
      AND m."receivedAt" > ${new Date(now.getTime() - INCOMPLETE_AFTER_MS)}
      AND p."partIndex" = ${concat.index} AND p."payloadFormat" = ${part.payload.format} AND p."payload" = ${part.payload.value}
    LIMIT 1`;
  if (resent) return "resent";

  const conversationId = await lockConversation(tx, number, part.from, now);
  // The message first (new, or the open group this part belongs to), then the part under it.
  const [message] = await tx.$queryRaw<{ id: string; inserted: boolean }[]>`
    INSERT INTO "Message" ("id", "teamId", "phoneNumberId", "conversationId", "provider", "from", "to", "encoding",
      "status", "partsExpected", "partsReceived", "concatKey", "groupKey", "receivedAt", "warnings")
    VALUES (${createId()}, ${number.teamId}, ${number.id}, ${conversationId}, ${number.provider}::"Provider", ${part.from}, ${part.to},
      ${part.encoding}::"Encoding", 'PARTIAL'::"MessageStatus", ${concat.total}, 0, ${groupKey}, ${groupKey}, ${now}, ARRAY[]::text[])
    ON CONFLICT ("phoneNumberId", "concatKey") DO UPDATE SET "concatKey" = EXCLUDED."concatKey"
    RETURNING "id", (xmax = 0) AS "inserted"`;
  if (!message) throw new Error("Message upsert returned nothing");

  const created = await tx.messagePart.createManyAndReturn({
    data: [
      {
        phoneNumberId: number.id,
        messageId: message.id,
        deliveryId,
        providerMessageId: part.providerMessageId,
        partIndex: concat.index,
        payloadFormat: part.payload.format,
        payload: part.payload.value,
        udhHex: part.udhHex,
        providerKeyword: part.providerKeyword,
        providerTimestamp: part.providerTimestamp,
        receivedAt: now,
      },
    ],
    // Either unique index may answer "already here": the same provider message id (a retry),
    // or the same index of the same open group (a carrier resending a part under a new id).
    skipDuplicates: true,
    select: { id: true },
  });
  if (created.length === 0) {
    if (message.inserted) await tx.message.delete({ where: { id: message.id } });
    return "duplicate";
  }

  // The count update takes the message's row lock: of two last parts arriving together,
  // exactly one sees the group complete.
  await tx.$executeRaw`UPDATE "Message" SET "partsReceived" = "partsReceived" + 1 WHERE "id" = ${message.id}`;
  await rebuildMessage(tx, message.id, part, warnings, now);

  if (message.inserted) {
    await tx.$executeRaw`
      UPDATE "Conversation" SET "messageCount" = "messageCount" + 1, "unreadCount" = "unreadCount" + 1,
        "lastMessageAt" = GREATEST("lastMessageAt", ${now})
      WHERE "id" = ${conversationId}`;
  }
  return "stored";
}

/** Recomputes a long message from the parts received so far (see reassemble.ts). */
async function rebuildMessage(tx: Tx, messageId: string, latest: InboundPart, partWarnings: string[], now: Date) {
  const rows = await tx.messagePart.findMany({
    where: { messageId },
    orderBy: { partIndex: "asc" },
    select: { partIndex: true, payloadFormat: true, payload: true, providerKeyword: true, providerTimestamp: true },
  });
  const message = await tx.message.findUniqueOrThrow({ where: { id: messageId }, select: { encoding: true, partsExpected: true, conversationId: true, warnings: true } });
  const parts: ReceivedPart[] = rows.map((row) => ({ partIndex: row.partIndex, payload: { format: row.payloadFormat, value: row.payload } as Payload }));
  const assembled = assembleMessage(parts, message.encoding, message.partsExpected);
  const first = rows[0];
  // Decoding warnings are recomputed from all parts; a part's own storage warnings accumulate.
  const kept = message.warnings.filter(isStorageWarning);
  await tx.message.update({
    where: { id: messageId },
    data: {
      text: assembled.text,
      binaryHex: assembled.binaryHex,
      keyword: assembled.keyword,
      providerKeyword: first?.providerKeyword ?? latest.providerKeyword,
      providerTimestamp: first?.providerTimestamp ?? latest.providerTimestamp,
      smsCount: latest.smsCount,
      priceAmount: latest.price?.amount ?? null,
      priceCurrency: latest.price?.currency ?? null,
      callbackData: latest.callbackData,
      warnings: [...new Set([...kept, ...partWarnings, ...assembled.warnings])],
      ...(assembled.complete ? { status: "COMPLETE", concatKey: null, completedAt: now } : {}),
    },
  });
  // Consent follows the sender's latest complete message: STOP opts out, START opts back in.
  const change = assembled.complete ? consentChange(assembled.keyword) : null;
  if (change) {
    await tx.conversation.update({ where: { id: message.conversationId }, data: { optedOutAt: change === "opt-out" ? now : null } });
  }
}

/** Creates or finds the thread, and holds its row lock for the rest of the transaction. */
async function lockConversation(tx: Tx, number: StorageNumber, sender: string, now: Date): Promise<string> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Conversation" ("id", "teamId", "phoneNumberId", "sender", "lastMessageAt", "unreadCount", "messageCount", "createdAt")
    VALUES (${createId()}, ${number.teamId}, ${number.id}, ${sender}, ${now}, 0, 0, ${now})
    ON CONFLICT ("phoneNumberId", "sender") DO UPDATE SET "sender" = EXCLUDED."sender"
    RETURNING "id"`;
  return row!.id;
}

/** Marks groups still missing parts after 24 hours as incomplete and frees their references. */
async function giveUpOnStalePartials(tx: Tx, phoneNumberId: string, now: Date) {
  await tx.message.updateMany({
    where: { phoneNumberId, status: "PARTIAL", receivedAt: { lt: new Date(now.getTime() - INCOMPLETE_AFTER_MS) } },
    data: { status: "INCOMPLETE", concatKey: null },
  });
}
