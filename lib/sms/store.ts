/**
 * The SQL of ingestion: finding a number by its webhook token, and storing a delivery with the
 * messages it carries. Spoken to PostgreSQL directly through the pool under Prisma (one round
 * trip per statement, prepared once per connection); the rest of the app uses Prisma.
 *
 * Round trips per request, the token lookup included:
 * - single messages (every Infobip batch, most others), new or retried: 2. One statement records
 *   the delivery, inserts the parts (a retry meets the unique index on (number, provider message
 *   id) and is skipped), the messages of the parts that went in, and each sender's thread with
 *   its counters and consent; the delivery's outcome and counts come from what went in.
 * - a part of a long message already stored (a retry), or resent under a new id after its
 *   message completed: 2 as well, decided and recorded by one statement.
 * - a new part of a long message: 7. Lookup, then that check, then a transaction: BEGIN; lock
 *   the message (created by its first part to arrive) and insert the part; read the parts
 *   received so far, which, taken after the lock, include those of concurrent requests that
 *   committed before it; write the message assembled from them (reassemble.ts), the thread and
 *   the delivery; COMMIT. Of two last parts arriving together, exactly one sees the message
 *   complete.
 *
 * Uniqueness is the database's: the indexes on (number, provider message id), on (message, part
 * index) while a message is open, and the group key once it is closed. Foreign keys between rows
 * inserted by one statement are checked when the statement ends, so one statement may insert a
 * part before the message it belongs to. Strings reaching here are storable (storable.ts).
 */
import type pg from "pg";
import { createId } from "./id";
import { incompleteBefore } from "./incomplete";
import { consentChange } from "./keyword";
import { assembleMessage, type ReceivedPart } from "./reassemble";
import { isStorageWarning } from "./storable";
import type { InboundPart, Payload, Provider, SignatureMethod } from "./types";

/** A pool, or one connection of it inside a transaction. */
type Sql = Pick<pg.Pool, "query">;

/**
 * A statement, prepared once per connection under `name`: PostgreSQL then skips parsing and
 * planning on the next calls (measured: about half the database time of a new message). Sent
 * unnamed when MOSHI_PREPARED_STATEMENTS=false: for a connection pooler in transaction mode
 * that does not track prepared statements, and the embedded database, whose connections share
 * one session (scripts/lib/database.ts sets it).
 */
function statement(name: string, text: string, values: unknown[]): pg.QueryConfig {
  return process.env.MOSHI_PREPARED_STATEMENTS === "false" ? { text, values } : { name, text, values };
}

/** The number a delivery arrived for, as ingestion needs it (its secret still sealed). */
export type IngestNumber = {
  id: string;
  teamId: string;
  provider: Provider;
  e164: string;
  signatureMethod: SignatureMethod | null;
  signatureSecretSealed: string | null;
};

/** A part ready to store, with the warnings making it storable produced. */
export type StorablePart = { part: InboundPart; warnings: string[] };

export type StoredCounts = { stored: number; duplicates: number; resent: number };

/** Reasons are for people; a hostile request must not turn one into megabytes. */
export const MAX_REASON_LENGTH = 2000;

export function capReason(reason: string): string {
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
}

/**
 * The number whose current token hashes to `tokenHash`, or whose previous token does while it is
 * still valid after a rotation.
 */
export async function findNumberByTokenHash(sql: Sql, { provider, tokenHash, now }: { provider: Provider; tokenHash: string; now: Date }): Promise<IngestNumber | null> {
  const { rows } = await sql.query<IngestNumber>(statement("moshi_number_by_token", `SELECT "id", "teamId", "provider", "e164", "signatureMethod", "signatureSecretEnc" AS "signatureSecretSealed"
      FROM "PhoneNumber"
      WHERE "provider" = $1::"Provider"
        AND ("tokenHash" = $2 OR ("previousTokenHash" = $2 AND "previousTokenExpiresAt" > $3::timestamp))
      LIMIT 1`,
    [provider, tokenHash, iso(now)],
  ));
  return rows[0] ?? null;
}

/** A delivery as recorded, but for what storing it decides (outcome, counts, notes on those). */
export type DeliveryRecord = {
  id: string;
  teamId: string;
  phoneNumberId: string;
  provider: Provider;
  method: string;
  contentType: string | null;
  headers: Record<string, string>;
  query: string;
  body: Uint8Array;
  receivedAt: Date;
  status: number;
  signed: boolean;
  signatureAgeSeconds: number | null;
  toMismatch: boolean;
  replayOfId: string | null;
  acceptedUnsignedById: string | null;
  acceptedUnsignedAt: Date | null;
  /** Notes known before storing (misaddressed parts, storage warnings). */
  notes: string[];
  /** When handling the request began (`performance.now()`), for `durationMs`. */
  started: number;
};

/**
 * Records `delivery` and stores its parts, atomically: either all of it is committed or none.
 * Answers how many parts were new, how many were retries, and how many were parts resent under
 * a new id.
 */
export async function storeDelivery(pool: pg.Pool, number: IngestNumber, delivery: DeliveryRecord, parts: StorablePart[]): Promise<StoredCounts> {
  const singles = parts.filter(({ part }) => part.concat === null);
  const long = parts.filter(({ part }) => part.concat !== null);
  if (long.length === 0) return storeSingles(pool, number, delivery, singles, true);

  if (parts.length === 1) {
    // The usual request for a part of a long message: a retry is answered by one statement.
    const verdict = await checkPart(pool, number, long[0]!, delivery, { record: true });
    if (verdict !== "new") return { stored: 0, duplicates: 1, resent: verdict === "resent" ? 1 : 0 };
    return transaction(pool, async (client) => {
      const counts: StoredCounts = { stored: 0, duplicates: 0, resent: 0 };
      const outcome = await storeLongPart(client, number, delivery, long[0]!, { record: true, counts });
      if (outcome === "stored") return { ...counts, stored: 1 };
      const copy = { ...counts, duplicates: 1 };
      await finishDelivery(client, delivery, copy);
      return copy;
    });
  }

  // Several parts in one request (no provider sends that today, but nothing forbids it): the
  // delivery is recorded first, then each part, then what they came to.
  return transaction(pool, async (client) => {
    const counts: StoredCounts = { stored: 0, duplicates: 0, resent: 0 };
    if (singles.length > 0) {
      const stored = await storeSingles(client, number, delivery, singles, true);
      counts.stored += stored.stored;
      counts.duplicates += stored.duplicates;
    } else {
      await insertDelivery(client, delivery, counts);
    }
    for (const part of long) {
      const verdict = await checkPart(client, number, part, delivery, { record: false });
      const outcome = verdict === "new" ? await storeLongPart(client, number, delivery, part, { record: false, counts: null }) : verdict;
      if (outcome === "stored") counts.stored++;
      else counts.duplicates++;
      if (outcome === "resent") counts.resent++;
    }
    await finishDelivery(client, delivery, counts);
    return counts;
  });
}

/**
 * The outcome and note a delivery gets for what storing it found. Misaddressed parts and storage
 * warnings were noted before.
 */
export function deliveryOutcome(delivery: DeliveryRecord, counts: StoredCounts) {
  const notes = [
    counts.duplicates > 0 && counts.stored === 0 ? "A retry of messages already stored: nothing new." : null,
    counts.resent > 0 ? `${counts.resent === 1 ? "A part" : `${counts.resent} parts`} of a message already complete, resent under a new id: kept as a copy.` : null,
    ...delivery.notes,
  ].filter((note): note is string => note !== null);
  return {
    outcome: counts.stored > 0 ? ("STORED" as const) : ("DUPLICATE" as const),
    reason: notes.length ? capReason(notes.join(" ")) : null,
    storedCount: counts.stored,
    duplicateCount: counts.duplicates,
    durationMs: Math.round(performance.now() - delivery.started),
  };
}

// ---------------------------------------------------------------------------------------------
// The delivery row

/** The columns a delivery is inserted with, and their parameters from `$first` on. */
const DELIVERY_COLUMNS = `"id", "teamId", "phoneNumberId", "provider", "method", "contentType", "headers", "query", "body",
  "receivedAt", "status", "signed", "signatureAgeSeconds", "toMismatch", "replayOfId", "acceptedUnsignedById", "acceptedUnsignedAt",
  "durationMs", "outcome", "reason", "storedCount", "duplicateCount"`;
const DELIVERY_PARAMS = 17;

function deliveryParams(first: number): string {
  const p = (i: number) => `$${first + i}`;
  return `${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}::"Provider", ${p(4)}, ${p(5)}, ${p(6)}::jsonb, ${p(7)}, ${p(8)}::bytea,
    ${p(9)}::timestamp, ${p(10)}::int, ${p(11)}::boolean, ${p(12)}::int, ${p(13)}::boolean, ${p(14)}, ${p(15)}, ${p(16)}::timestamp`;
}

function deliveryValues(d: DeliveryRecord): unknown[] {
  return [
    d.id,
    d.teamId,
    d.phoneNumberId,
    d.provider,
    d.method,
    d.contentType,
    JSON.stringify(d.headers),
    d.query,
    Buffer.from(d.body.buffer, d.body.byteOffset, d.body.byteLength),
    iso(d.receivedAt),
    d.status,
    d.signed,
    d.signatureAgeSeconds,
    d.toMismatch,
    d.replayOfId,
    d.acceptedUnsignedById,
    d.acceptedUnsignedAt && iso(d.acceptedUnsignedAt),
  ];
}

async function insertDelivery(sql: Sql, delivery: DeliveryRecord, counts: StoredCounts) {
  const o = deliveryOutcome(delivery, counts);
  const p = DELIVERY_PARAMS + 1;
  await sql.query(statement("moshi_insert_delivery", `INSERT INTO "Delivery" (${DELIVERY_COLUMNS})
      VALUES (${deliveryParams(1)}, $${p}::int, $${p + 1}::"DeliveryOutcome", $${p + 2}, $${p + 3}::int, $${p + 4}::int)`,
    [...deliveryValues(delivery), o.durationMs, o.outcome, o.reason, o.storedCount, o.duplicateCount],
  ));
}

async function finishDelivery(sql: Sql, delivery: DeliveryRecord, counts: StoredCounts) {
  const o = deliveryOutcome(delivery, counts);
  await sql.query(statement("moshi_finish_delivery", `UPDATE "Delivery" SET "outcome" = $2::"DeliveryOutcome", "reason" = $3, "storedCount" = $4::int, "duplicateCount" = $5::int, "durationMs" = $6::int
      WHERE "id" = $1`,
    [delivery.id, o.outcome, o.reason, o.storedCount, o.duplicateCount, o.durationMs],
  ));
}

// ---------------------------------------------------------------------------------------------
// Single messages

/**
 * One statement for any number of single messages: the parts (retries skipped by the unique
 * index), the messages of the parts that went in, each sender's thread with its counters and
 * consent (STOP opts out, START opts back in; the sender's latest new message decides), and,
 * when `record`, the delivery with the outcome those decide.
 */
async function storeSingles(sql: Sql, number: IngestNumber, delivery: DeliveryRecord, parts: StorablePart[], record: boolean): Promise<StoredCounts> {
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
      pts: part.providerTimestamp && iso(part.providerTimestamp),
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
  // The two outcomes the delivery can have; the statement picks by what went in.
  const someNew = deliveryOutcome(delivery, { stored: 1, duplicates: 0, resent: 0 });
  const noneNew = deliveryOutcome(delivery, { stored: 0, duplicates: 1, resent: 0 });
  const { rows: result } = await sql.query<{ stored: number; total: number }>(statement("moshi_store_singles", STORE_SINGLES,
    [
      JSON.stringify(rows),
      number.id,
      number.teamId,
      number.provider,
      iso(delivery.receivedAt),
      delivery.id,
      record,
      someNew.reason,
      noneNew.reason,
      someNew.durationMs,
      ...deliveryValues(delivery),
    ],
  ));
  const { stored, total } = result[0]!;
  return { stored, duplicates: total - stored, resent: 0 };
}

const STORE_SINGLES = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
      ord int, mid text, pid text, cid text, pmid text, "from" text, "to" text, enc text, fmt text, payload text,
      udh text, pkw text, pts timestamp, text text, bin text, kw text, warn text[], sms int, pa text, pc text,
      cb text, consent text)
  ),
  -- A batch may carry one message twice: the first copy counts.
  uniq AS (SELECT DISTINCT ON (pmid) * FROM input ORDER BY pmid, ord),
  part AS (
    INSERT INTO "MessagePart" ("id", "phoneNumberId", "messageId", "deliveryId", "providerMessageId", "partIndex",
      "payloadFormat", "payload", "udhHex", "providerKeyword", "providerTimestamp", "receivedAt")
    SELECT pid, $2, mid, $6, pmid, 1, fmt, payload, udh, pkw, pts, $5::timestamp
    FROM uniq ORDER BY pmid
    ON CONFLICT DO NOTHING
    RETURNING "messageId"
  ),
  fresh AS (SELECT uniq.* FROM uniq JOIN part ON part."messageId" = uniq.mid),
  consent AS (SELECT DISTINCT ON ("from") "from", consent FROM fresh WHERE consent IS NOT NULL ORDER BY "from", ord DESC),
  -- Threads in sender order, so concurrent batches lock them in the same order.
  thread AS (
    INSERT INTO "Conversation" ("id", "teamId", "phoneNumberId", "sender", "lastMessageAt", "unreadCount", "messageCount", "createdAt", "optedOutAt")
    SELECT min(f.cid), $3, $2, f."from", $5::timestamp, count(*), count(*), $5::timestamp,
      CASE WHEN (SELECT c.consent FROM consent c WHERE c."from" = f."from") = 'opt-out' THEN $5::timestamp END
    FROM fresh f GROUP BY f."from" ORDER BY f."from"
    ON CONFLICT ("phoneNumberId", "sender") DO UPDATE SET
      "messageCount" = "Conversation"."messageCount" + EXCLUDED."messageCount",
      "unreadCount" = "Conversation"."unreadCount" + EXCLUDED."unreadCount",
      "lastMessageAt" = GREATEST("Conversation"."lastMessageAt", EXCLUDED."lastMessageAt"),
      "optedOutAt" = CASE (SELECT c.consent FROM consent c WHERE c."from" = EXCLUDED."sender")
        WHEN 'opt-out' THEN EXCLUDED."lastMessageAt" WHEN 'opt-in' THEN NULL ELSE "Conversation"."optedOutAt" END
    RETURNING "id", "sender"
  ),
  message AS (
    INSERT INTO "Message" ("id", "teamId", "phoneNumberId", "conversationId", "provider", "from", "to", "encoding",
      "text", "binaryHex", "keyword", "providerKeyword", "providerTimestamp", "receivedAt", "completedAt", "status",
      "partsExpected", "partsReceived", "smsCount", "priceAmount", "priceCurrency", "callbackData", "warnings")
    SELECT f.mid, $3, $2, thread."id", $4::"Provider", f."from", f."to", f.enc::"Encoding", f.text, f.bin, f.kw, f.pkw, f.pts,
      $5::timestamp, $5::timestamp, 'COMPLETE'::"MessageStatus", 1, 1, f.sms, f.pa, f.pc, f.cb, f.warn
    FROM fresh f JOIN thread ON thread."sender" = f."from"
  ),
  counts AS (SELECT (SELECT count(*) FROM fresh)::int AS stored, (SELECT count(*) FROM input)::int AS total),
  delivery AS (
    INSERT INTO "Delivery" (${DELIVERY_COLUMNS})
    SELECT ${deliveryParams(11)}, $10::int,
      CASE WHEN stored > 0 THEN 'STORED' ELSE 'DUPLICATE' END::"DeliveryOutcome",
      CASE WHEN stored > 0 THEN $8 ELSE $9 END, stored, total - stored
    FROM counts WHERE $7::boolean
  )
  SELECT stored, total FROM counts`;

// ---------------------------------------------------------------------------------------------
// Parts of long messages

/** The key of a long message's parts: sender, reference and total, as the UDH or provider says. */
function groupKeyOf(part: InboundPart): string {
  const concat = part.concat!;
  return `${part.from}|${concat.referenceBits}:${concat.reference}|${concat.total}`;
}

/**
 * Whether a part of a long message is new, a retry (its provider id is stored), or a copy a
 * carrier resent under a new id after its message closed (the very payload stored for that
 * index of that group within the incomplete window). With `record`, a retry or a copy is
 * recorded here as the delivery's whole answer. On the way, the open message of its group, if older than the
 * incomplete window, is closed, so the part starts a new message instead of joining it.
 */
async function checkPart(sql: Sql, number: IngestNumber, { part }: StorablePart, delivery: DeliveryRecord, options: { record: boolean }): Promise<"new" | "duplicate" | "resent"> {
  const retry = deliveryOutcome(delivery, { stored: 0, duplicates: 1, resent: 0 });
  const resent = deliveryOutcome(delivery, { stored: 0, duplicates: 1, resent: 1 });
  const { rows } = await sql.query<{ verdict: "new" | "duplicate" | "resent" }>(statement("moshi_check_part", CHECK_PART,
    [
      number.id,
      part.providerMessageId,
      groupKeyOf(part),
      part.concat!.index,
      part.payload.format,
      part.payload.value,
      iso(incompleteBefore(delivery.receivedAt)),
      options.record,
      retry.reason,
      resent.reason,
      retry.durationMs,
      ...deliveryValues(delivery),
    ],
  ));
  return rows[0]!.verdict;
}

const CHECK_PART = `
  WITH retry AS (SELECT 1 FROM "MessagePart" WHERE "phoneNumberId" = $1 AND "providerMessageId" = $2),
  copy AS (
    SELECT 1 FROM "Message" m JOIN "MessagePart" p ON p."messageId" = m."id"
    WHERE m."phoneNumberId" = $1 AND m."groupKey" = $3 AND m."concatKey" IS NULL AND m."receivedAt" > $7::timestamp
      AND p."partIndex" = $4::int AND p."payloadFormat" = $5 AND p."payload" = $6
    LIMIT 1
  ),
  stale AS (
    UPDATE "Message" SET "status" = 'INCOMPLETE', "concatKey" = NULL
    WHERE "phoneNumberId" = $1 AND "concatKey" = $3 AND "status" = 'PARTIAL' AND "receivedAt" < $7::timestamp
    RETURNING 1
  ),
  verdict AS (
    SELECT CASE WHEN EXISTS (SELECT FROM retry) THEN 'duplicate' WHEN EXISTS (SELECT FROM copy) THEN 'resent' ELSE 'new' END AS verdict
  ),
  delivery AS (
    INSERT INTO "Delivery" (${DELIVERY_COLUMNS})
    SELECT ${deliveryParams(12)}, $11::int, 'DUPLICATE'::"DeliveryOutcome",
      CASE verdict WHEN 'resent' THEN $10 ELSE $9 END, 0, 1
    FROM verdict WHERE $8::boolean AND verdict <> 'new'
  )
  SELECT verdict FROM verdict`;

/**
 * Stores one new part of a long message, in the caller's transaction: into the open message of
 * its group (created by its first part to arrive), whose row lock it then holds, so the parts
 * read next include every part committed before; then the message rebuilt from them (complete
 * when the last is here). `record` inserts the delivery on the way; `counts` (what the rest of
 * the delivery stored), when given, finishes it as this part stored.
 */
async function storeLongPart(
  sql: Sql,
  number: IngestNumber,
  delivery: DeliveryRecord,
  { part, warnings }: StorablePart,
  options: { record: boolean; counts: StoredCounts | null },
): Promise<"stored" | "duplicate"> {
  const concat = part.concat!;
  const now = iso(delivery.receivedAt);
  const provisional = deliveryOutcome(delivery, { stored: 1, duplicates: 0, resent: 0 });
  const { rows } = await sql.query<{ id: string; inserted: boolean; conversationId: string; encoding: InboundPart["encoding"]; partsExpected: number; warnings: string[]; stored: boolean }>(statement("moshi_store_long_part", STORE_LONG_PART,
    [
      createId(),
      number.teamId,
      number.id,
      createId(),
      number.provider,
      part.from,
      part.to,
      part.encoding,
      concat.total,
      groupKeyOf(part),
      now,
      createId(),
      delivery.id,
      part.providerMessageId,
      concat.index,
      part.payload.format,
      part.payload.value,
      part.udhHex,
      part.providerKeyword,
      part.providerTimestamp && iso(part.providerTimestamp),
      options.record,
      provisional.reason,
      provisional.durationMs,
      ...deliveryValues(delivery),
    ],
  ));
  const message = rows[0]!;
  if (!message.stored) {
    // The same index of the same open message is here already, under another id: a copy. A
    // message this part had just created is taken back.
    if (message.inserted) await sql.query(statement("moshi_drop_message", `DELETE FROM "Message" WHERE "id" = $1`, [message.id]));
    return "duplicate";
  }

  const { rows: received } = await sql.query<{ partIndex: number; payloadFormat: Payload["format"]; payload: string; providerKeyword: string | null; providerTimestamp: string | null }>(statement("moshi_received_parts", `SELECT "partIndex", "payloadFormat", "payload", "providerKeyword",
        to_char("providerTimestamp", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "providerTimestamp"
      FROM "MessagePart" WHERE "messageId" = $1 ORDER BY "partIndex"`,
    [message.id],
  ));
  const assembled = assembleMessage(
    received.map((row): ReceivedPart => ({ partIndex: row.partIndex, payload: { format: row.payloadFormat, value: row.payload } as Payload })),
    message.encoding,
    message.partsExpected,
  );
  const first = received[0];
  // Decoding warnings are recomputed from all parts; a part's own storage warnings accumulate.
  const kept = message.warnings.filter(isStorageWarning);
  const consent = assembled.complete ? consentChange(assembled.keyword) : null;
  const final = options.counts && deliveryOutcome(delivery, { ...options.counts, stored: options.counts.stored + 1 });
  await sql.query(statement("moshi_rebuild_message", REBUILD_MESSAGE,
    [
      message.id,
      assembled.text,
      assembled.binaryHex,
      assembled.keyword,
      first?.providerKeyword ?? part.providerKeyword,
      first?.providerTimestamp ?? (part.providerTimestamp && iso(part.providerTimestamp)),
      part.smsCount,
      part.price?.amount ?? null,
      part.price?.currency ?? null,
      part.callbackData,
      [...new Set([...kept, ...warnings, ...assembled.warnings])],
      received.length,
      assembled.complete,
      now,
      message.conversationId,
      message.inserted,
      consent,
      delivery.id,
      final !== null,
      final?.outcome ?? "STORED",
      final?.reason ?? null,
      final?.storedCount ?? 0,
      final?.duplicateCount ?? 0,
      final?.durationMs ?? 0,
    ],
  ));
  return "stored";
}

const STORE_LONG_PART = `
  WITH thread AS (
    INSERT INTO "Conversation" ("id", "teamId", "phoneNumberId", "sender", "lastMessageAt", "unreadCount", "messageCount", "createdAt")
    VALUES ($4, $2, $3, $6, $11::timestamp, 0, 0, $11::timestamp)
    ON CONFLICT ("phoneNumberId", "sender") DO UPDATE SET "sender" = EXCLUDED."sender"
    RETURNING "id"
  ),
  message AS (
    INSERT INTO "Message" ("id", "teamId", "phoneNumberId", "conversationId", "provider", "from", "to", "encoding",
      "status", "partsExpected", "partsReceived", "concatKey", "groupKey", "receivedAt", "warnings")
    SELECT $1, $2, $3, thread."id", $5::"Provider", $6, $7, $8::"Encoding", 'PARTIAL'::"MessageStatus", $9::int, 0, $10, $10,
      $11::timestamp, ARRAY[]::text[]
    FROM thread
    ON CONFLICT ("phoneNumberId", "concatKey") DO UPDATE SET "concatKey" = EXCLUDED."concatKey"
    RETURNING "id", (xmax = 0) AS "inserted", "conversationId", "encoding", "partsExpected", "warnings"
  ),
  delivery AS (
    INSERT INTO "Delivery" (${DELIVERY_COLUMNS})
    SELECT ${deliveryParams(24)}, $23::int, 'STORED'::"DeliveryOutcome", $22, 1, 0
    WHERE $21::boolean
  ),
  part AS (
    -- Either unique index may answer "already here": the same provider message id (a retry
    -- racing this one), or the same index of the same open message (resent under a new id).
    INSERT INTO "MessagePart" ("id", "phoneNumberId", "messageId", "deliveryId", "providerMessageId", "partIndex",
      "payloadFormat", "payload", "udhHex", "providerKeyword", "providerTimestamp", "receivedAt")
    SELECT $12, $3, message."id", $13, $14, $15::int, $16, $17, $18, $19, $20::timestamp, $11::timestamp FROM message
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT message.*, EXISTS (SELECT FROM part) AS "stored" FROM message`;

const REBUILD_MESSAGE = `
  WITH message AS (
    UPDATE "Message" SET "text" = $2, "binaryHex" = $3, "keyword" = $4, "providerKeyword" = $5, "providerTimestamp" = $6::timestamp,
      "smsCount" = $7::int, "priceAmount" = $8, "priceCurrency" = $9, "callbackData" = $10, "warnings" = $11::text[],
      "partsReceived" = $12::int,
      "status" = CASE WHEN $13::boolean THEN 'COMPLETE'::"MessageStatus" ELSE "status" END,
      "concatKey" = CASE WHEN $13::boolean THEN NULL ELSE "concatKey" END,
      "completedAt" = CASE WHEN $13::boolean THEN $14::timestamp ELSE "completedAt" END
    WHERE "id" = $1
  ),
  thread AS (
    UPDATE "Conversation" SET
      "messageCount" = "messageCount" + CASE WHEN $16::boolean THEN 1 ELSE 0 END,
      "unreadCount" = "unreadCount" + CASE WHEN $16::boolean THEN 1 ELSE 0 END,
      "lastMessageAt" = CASE WHEN $16::boolean THEN GREATEST("lastMessageAt", $14::timestamp) ELSE "lastMessageAt" END,
      -- Consent follows the sender's latest complete message: STOP opts out, START opts back in.
      "optedOutAt" = CASE $17::text WHEN 'opt-out' THEN $14::timestamp WHEN 'opt-in' THEN NULL ELSE "optedOutAt" END
    WHERE "id" = $15 AND ($16::boolean OR $17::text IS NOT NULL)
  ),
  delivery AS (
    UPDATE "Delivery" SET "outcome" = $20::"DeliveryOutcome", "reason" = $21, "storedCount" = $22::int, "duplicateCount" = $23::int,
      "durationMs" = $24::int
    WHERE "id" = $18 AND $19::boolean
  )
  SELECT 1`;

// ---------------------------------------------------------------------------------------------

/**
 * Runs `work` in a transaction on one connection. A connection whose ROLLBACK fails is broken
 * and leaves the pool; the error that caused the rollback is the one thrown.
 */
async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    try {
      client.release(broken);
    } catch {
      // Released already: the pool's error listener (lib/db.ts) drops a connection that died.
    }
  }
}

/**
 * An instant as a `timestamp` (without time zone) parameter: the columns hold UTC, and the zone
 * in an ISO string is ignored by that type, whatever the session's time zone.
 */
function iso(date: Date): string {
  return date.toISOString();
}
