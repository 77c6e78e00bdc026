/**
 * The SQL of ingestion: finding a number by its webhook token, and storing a delivery with the
 * messages it carries. Spoken to PostgreSQL directly through the pool under Prisma (one round
 * trip per statement, prepared once per connection); the rest of the app uses Prisma.
 *
 * Round trips per request, the token lookup included:
 * - single messages (every message of a batch, most others), new or retried: 2. One statement records
 *   the delivery, inserts the parts (a retry meets the unique index on (number, provider message
 *   id) and is skipped), the messages of the parts that went in, and each sender's thread with
 *   its counters and consent; the delivery's outcome and counts come from what went in.
 * - a part of a long message already stored (a retry), or resent under a new id after its
 *   message completed: 2 as well, decided and recorded by one statement.
 * - a new part of a long message: 3. That statement stores it and says whether its message is
 *   complete (see storeLongPart); a second writes the text (a third reads parts first when
 *   another part of the message was stored at the same moment).
 *
 * Uniqueness is the database's: the indexes on (number, provider message id), on (message, part
 * index) while a message is open, and the group key once it is closed. Foreign keys between rows
 * inserted by one statement are checked when the statement ends, so one statement may insert a
 * part before the message it belongs to. Strings reaching here are storable (storable.ts).
 */
import type pg from "pg";
import { blank, fillBlanks, ISO_TEXT } from "@/lib/events/outbox";
import { buildEvent, consentChange as consentData, messageResource } from "@/lib/events/resources";
import { createId } from "./id";
import { incompleteBefore } from "./incomplete";
import { consentChange } from "./keyword";
import { assembleMessage, type ReceivedPart } from "./reassemble";
import { STORAGE_WARNING_MARK } from "./storable";
import type { InboundPart, Payload, Provider } from "./types";

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
  return preparedStatements() ? { name, text, values } : { text, values };
}

/** Whether statements may be prepared under a name (see `statement`); the job queue follows it too. */
export function preparedStatements(): boolean {
  return process.env.MOSHI_PREPARED_STATEMENTS !== "false";
}

/** The number a delivery arrived for, as ingestion needs it (its credentials still sealed). */
export type IngestNumber = {
  id: string;
  teamId: string;
  provider: Provider;
  e164: string;
  credentialsSealed: string | null;
  /** The words the team has named on its keywords page: a message's keyword never skips them. */
  namedKeywords: string[];
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
  const { rows } = await sql.query<IngestNumber>(statement("moshi_number_by_token_v3", `SELECT "id", "teamId", "provider", "e164", "credentials" AS "credentialsSealed",
        ARRAY(SELECT k."word" FROM "TeamKeyword" k WHERE k."teamId" = "PhoneNumber"."teamId") AS "namedKeywords"
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
  /** Sent by the Numbers page's Test button (never from a provider's request): its messages are test messages. */
  isTest: boolean;
  /** Notes known before storing (misaddressed parts, storage warnings). */
  notes: string[];
  /** When handling the request began (`performance.now()`), for `durationMs`. */
  started: number;
};

/**
 * Records `delivery` and stores its parts, atomically: the delivery, the parts and the messages
 * they start are committed together or not at all (a long message's text follows; see
 * storeLongPart). Answers how many parts were new, how many were retries, and how many were
 * parts resent under a new id.
 */
export async function storeDelivery(pool: pg.Pool, number: IngestNumber, delivery: DeliveryRecord, parts: StorablePart[]): Promise<StoredCounts> {
  const singles = parts.filter(({ part }) => part.concat === null);
  const long = parts.filter(({ part }) => part.concat !== null);
  if (long.length === 0) return storeSingles(pool, number, delivery, singles, true);

  // The usual request for a part of a long message: stored, or found a retry, by one statement.
  if (parts.length === 1) {
    const verdict = await storeLongPart(pool, number, delivery, long[0]!, { record: true });
    return verdict === "stored" ? { stored: 1, duplicates: 0, resent: 0 } : { stored: 0, duplicates: 1, resent: verdict === "resent" ? 1 : 0 };
  }

  // Several parts in one request (no provider sends that today, but nothing forbids it): one
  // transaction records the delivery, then each part, then what they came to.
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
      const verdict = await storeLongPart(client, number, delivery, part, { record: false });
      if (verdict === "stored") counts.stored++;
      else counts.duplicates++;
      if (verdict === "resent") counts.resent++;
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
  "isTest", "durationMs", "outcome", "reason", "storedCount", "duplicateCount"`;
const DELIVERY_PARAMS = 18;

function deliveryParams(first: number): string {
  const p = (i: number) => `$${first + i}`;
  return `${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}::"Provider", ${p(4)}, ${p(5)}, ${p(6)}::jsonb, ${p(7)}, ${p(8)}::bytea,
    ${p(9)}::timestamp, ${p(10)}::int, ${p(11)}::boolean, ${p(12)}::int, ${p(13)}::boolean, ${p(14)}, ${p(15)}, ${p(16)}::timestamp, ${p(17)}::boolean`;
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
    d.isTest,
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
  const at = delivery.receivedAt;
  const keywordOptions = { named: new Set(number.namedKeywords) };
  const rows = parts.map(({ part, warnings }, ord) => {
    const decoded = assembleMessage([{ partIndex: 1, payload: part.payload }], part.encoding, 1, keywordOptions);
    if (!threadIds.has(part.from)) threadIds.set(part.from, createId());
    const mid = createId();
    const warn = [...warnings, ...decoded.warnings];
    const consent = consentChange(decoded.keyword);
    // Sent only if the part turns out new; the thread's id is filled in by the statement.
    const received = buildEvent(
      "message.received",
      messageResource({
        id: mid,
        conversationId: blank("conversationId"),
        phoneNumberId: number.id,
        provider: number.provider,
        from: part.from,
        to: part.to,
        status: "COMPLETE",
        encoding: part.encoding,
        text: decoded.text,
        binaryHex: decoded.binaryHex,
        keyword: decoded.keyword,
        partsExpected: 1,
        partsReceived: 1,
        receivedAt: at,
        completedAt: at,
        providerTimestamp: part.providerTimestamp,
        priceAmount: part.price?.amount ?? null,
        priceCurrency: part.price?.currency ?? null,
        warnings: warn,
        isTest: delivery.isTest,
      }, at),
      { at, phoneNumberId: number.id },
    );
    const consented = consent && decoded.keyword
      ? buildEvent("consent.changed", consentData({ conversationId: blank("conversationId"), phoneNumberId: number.id, sender: part.from, optedOut: consent === "opt-out", keyword: decoded.keyword, messageId: mid, at }), { at, phoneNumberId: number.id })
      : null;
    return {
      eid: received.id,
      ev: received.payload,
      ceid: consented?.id ?? null,
      cev: consented?.payload ?? null,
      ord,
      mid,
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
      warn,
      sms: part.smsCount,
      pa: part.price?.amount ?? null,
      pc: part.price?.currency ?? null,
      cb: part.callbackData,
      consent,
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
      blank("conversationId"),
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
      cb text, consent text, eid text, ev text, ceid text, cev text)
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
    INSERT INTO "Conversation" ("id", "teamId", "phoneNumberId", "sender", "lastMessageAt", "messageCount", "testCount", "createdAt", "optedOutAt")
    SELECT min(f.cid), $3, $2, f."from", $5::timestamp, count(*), CASE WHEN $28::boolean THEN count(*) ELSE 0 END, $5::timestamp,
      CASE WHEN (SELECT c.consent FROM consent c WHERE c."from" = f."from") = 'opt-out' THEN $5::timestamp END
    FROM fresh f GROUP BY f."from" ORDER BY f."from"
    ON CONFLICT ("phoneNumberId", "sender") DO UPDATE SET
      "messageCount" = "Conversation"."messageCount" + EXCLUDED."messageCount",
      "testCount" = "Conversation"."testCount" + EXCLUDED."testCount",
      "lastMessageAt" = GREATEST("Conversation"."lastMessageAt", EXCLUDED."lastMessageAt"),
      "optedOutAt" = CASE (SELECT c.consent FROM consent c WHERE c."from" = EXCLUDED."sender")
        WHEN 'opt-out' THEN EXCLUDED."lastMessageAt" WHEN 'opt-in' THEN NULL ELSE "Conversation"."optedOutAt" END
    RETURNING "id", "sender"
  ),
  message AS (
    INSERT INTO "Message" ("id", "teamId", "phoneNumberId", "conversationId", "provider", "from", "to", "encoding",
      "text", "binaryHex", "keyword", "providerKeyword", "providerTimestamp", "receivedAt", "completedAt", "status",
      "partsExpected", "partsReceived", "smsCount", "priceAmount", "priceCurrency", "callbackData", "warnings", "isTest")
    SELECT f.mid, $3, $2, thread."id", $4::"Provider", f."from", f."to", f.enc::"Encoding", f.text, f.bin, f.kw, f.pkw, f.pts,
      $5::timestamp, $5::timestamp, 'COMPLETE'::"MessageStatus", 1, 1, f.sms, f.pa, f.pc, f.cb, f.warn, $28::boolean
    FROM fresh f JOIN thread ON thread."sender" = f."from"
  ),
  -- The outbox: a new message's events, committed with it (see lib/events/outbox.ts).
  event AS (
    INSERT INTO "Event" ("id", "teamId", "type", "phoneNumberId", "payload", "createdAt")
    SELECT e.id, $3, e.type, $2, ${fillBlanks("e.payload", { conversationId: { param: "$29", value: 'thread."id"', kind: "text" } })}, $5::timestamp
    FROM fresh f JOIN thread ON thread."sender" = f."from"
    CROSS JOIN LATERAL (VALUES (f.eid, 'message.received', f.ev), (f.ceid, 'consent.changed', f.cev)) AS e(id, type, payload)
    WHERE e.id IS NOT NULL
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

type PartVerdict = "stored" | "duplicate" | "resent";

type ReceivedRow = { partIndex: number; payloadFormat: Payload["format"]; payload: string; providerKeyword: string | null; providerTimestamp: string | null };

type StoredPartRow = {
  verdict: PartVerdict | "stale";
  id: string | null;
  encoding: InboundPart["encoding"] | null;
  partsExpected: number | null;
  partIndexes: number[] | null;
  /** The message's other parts this statement could see (committed before it began). */
  parts: ReceivedRow[] | null;
  /** A retry whose message has every part but was never assembled: the request that stored the last part did not finish. */
  unassembled: { id: string; encoding: InboundPart["encoding"]; partsExpected: number } | null;
};

/**
 * Stores one part of a long message with one statement, and then, when it was new, writes the
 * message's text from the parts stored so far with a second. `record` inserts the delivery in
 * the first, with the outcome it finds.
 *
 * The statement finds the part a retry (its provider id is stored) or a copy a carrier resent
 * under a new id after its message closed (the very payload stored for that index of that group
 * within the incomplete window), and then stores nothing more. Otherwise it inserts the message
 * of the part's group or joins the open one, which takes the message's row lock until the
 * statement commits, and adds the part's index to `partIndexes` under that lock: the statement
 * that completes the set is the one that sees it complete, however many parts arrive at once.
 * It returns the other parts it could see; the few committed while it waited for the lock are
 * read afterwards. The text is written only by a writer that has seen more parts than the last
 * one, so a slower writer never puts back an older text.
 *
 * A request that dies between the two statements leaves the text behind: the next part rewrites
 * it, and a retry of the last part (the provider got no answer) assembles it. An open message
 * older than the incomplete window is closed on the way, so the part starts a new one.
 */
async function storeLongPart(sql: Sql, number: IngestNumber, delivery: DeliveryRecord, storable: StorablePart, { record }: { record: boolean }): Promise<PartVerdict> {
  let row = await insertLongPart(sql, number, delivery, storable, record);
  if (row.verdict === "stale") {
    await sql.query(
      statement(
        "moshi_close_stale",
        `UPDATE "Message" SET "status" = 'INCOMPLETE', "concatKey" = NULL
        WHERE "phoneNumberId" = $1 AND "concatKey" = $2 AND "status" = 'PARTIAL' AND "receivedAt" < $3::timestamp`,
        [number.id, groupKeyOf(storable.part), iso(incompleteBefore(delivery.receivedAt))],
      ),
    );
    row = await insertLongPart(sql, number, delivery, storable, record);
    if (row.verdict === "stale") throw new Error("A stale message could not be closed");
  }
  if (row.verdict === "stored") {
    const own: ReceivedRow = {
      partIndex: storable.part.concat!.index,
      payloadFormat: storable.part.payload.format,
      payload: storable.part.payload.value,
      providerKeyword: storable.part.providerKeyword,
      providerTimestamp: storable.part.providerTimestamp && iso(storable.part.providerTimestamp),
    };
    const seen = [...(row.parts ?? []), own];
    const stored = row.partIndexes ?? [];
    const parts = stored.every((index) => seen.some((p) => p.partIndex === index)) ? seen : await readParts(sql, row.id!);
    await writeMessage(sql, number, row.id!, { encoding: row.encoding!, partsExpected: row.partsExpected! }, parts, storable.part, delivery);
  } else if (row.unassembled) {
    const { id, ...shape } = row.unassembled;
    await writeMessage(sql, number, id, shape, await readParts(sql, id), storable.part, delivery);
  }
  return row.verdict as PartVerdict;
}

async function insertLongPart(sql: Sql, number: IngestNumber, delivery: DeliveryRecord, { part, warnings }: StorablePart, record: boolean): Promise<StoredPartRow> {
  const concat = part.concat!;
  const stored = deliveryOutcome(delivery, { stored: 1, duplicates: 0, resent: 0 });
  const retry = deliveryOutcome(delivery, { stored: 0, duplicates: 1, resent: 0 });
  const resent = deliveryOutcome(delivery, { stored: 0, duplicates: 1, resent: 1 });
  const { rows } = await sql.query<StoredPartRow>(
    statement("moshi_store_long_part_v2", STORE_LONG_PART, [
      number.id,
      number.teamId,
      number.provider,
      part.from,
      part.to,
      part.encoding,
      concat.total,
      groupKeyOf(part),
      iso(delivery.receivedAt),
      iso(incompleteBefore(delivery.receivedAt)),
      createId(),
      createId(),
      createId(),
      delivery.id,
      part.providerMessageId,
      concat.index,
      part.payload.format,
      part.payload.value,
      part.udhHex,
      part.providerKeyword,
      part.providerTimestamp && iso(part.providerTimestamp),
      warnings,
      stored.reason,
      retry.reason,
      resent.reason,
      stored.durationMs,
      record,
      ...deliveryValues(delivery),
    ]),
  );
  return rows[0]!;
}


const RECEIVED_COLUMNS = `"partIndex", "payloadFormat", "payload", "providerKeyword",
  to_char("providerTimestamp", ${ISO_TEXT}) AS "providerTimestamp"`;

const STORE_LONG_PART = `
  WITH retry AS (
    SELECT m."id", m."status", m."partIndexes", m."partsExpected", m."encoding"
    FROM "MessagePart" p JOIN "Message" m ON m."id" = p."messageId"
    WHERE p."phoneNumberId" = $1 AND p."providerMessageId" = $15
  ),
  copy AS (
    SELECT 1 FROM "Message" m JOIN "MessagePart" p ON p."messageId" = m."id"
    WHERE m."phoneNumberId" = $1 AND m."groupKey" = $8 AND m."concatKey" IS NULL AND m."receivedAt" > $10::timestamp
      AND p."partIndex" = $16::int AND p."payloadFormat" = $17 AND p."payload" = $18
    LIMIT 1
  ),
  -- The thread is looked up here and upserted below, once the message is known to be new: its
  -- counters then move in this statement. A thread another request creates meanwhile makes
  -- this id dangle, which the foreign key refuses when the statement ends: then it runs again.
  message AS (
    INSERT INTO "Message" ("id", "teamId", "phoneNumberId", "conversationId", "provider", "from", "to", "encoding",
      "status", "partsExpected", "partsReceived", "partIndexes", "concatKey", "groupKey", "receivedAt", "warnings", "isTest")
    SELECT $11, $2, $1, coalesce((SELECT c."id" FROM "Conversation" c WHERE c."phoneNumberId" = $1 AND c."sender" = $4), $12),
      $3::"Provider", $4, $5, $6::"Encoding", 'PARTIAL'::"MessageStatus", $7::int, 0, ARRAY[$16::int], $8, $8, $9::timestamp, $22::text[], $45::boolean
    WHERE NOT EXISTS (SELECT FROM retry) AND NOT EXISTS (SELECT FROM copy)
    ON CONFLICT ("phoneNumberId", "concatKey") DO UPDATE SET
      "partIndexes" = CASE WHEN $16::int = ANY ("Message"."partIndexes") THEN "Message"."partIndexes" ELSE "Message"."partIndexes" || $16::int END,
      "warnings" = CASE WHEN $16::int = ANY ("Message"."partIndexes") THEN "Message"."warnings"
        ELSE ARRAY(SELECT DISTINCT w FROM unnest("Message"."warnings" || $22::text[]) AS w) END
    -- An open message older than the incomplete window takes no more parts: nothing is returned.
    WHERE "Message"."receivedAt" >= $10::timestamp
    RETURNING "id", (xmax = 0) AS "inserted", "encoding", "partsExpected", "partIndexes"
  ),
  thread AS (
    INSERT INTO "Conversation" ("id", "teamId", "phoneNumberId", "sender", "lastMessageAt", "messageCount", "testCount", "createdAt")
    SELECT $12, $2, $1, $4, $9::timestamp, 1, CASE WHEN $45::boolean THEN 1 ELSE 0 END, $9::timestamp FROM message WHERE message."inserted"
    ON CONFLICT ("phoneNumberId", "sender") DO UPDATE SET
      "messageCount" = "Conversation"."messageCount" + 1,
      "testCount" = "Conversation"."testCount" + EXCLUDED."testCount",
      "lastMessageAt" = GREATEST("Conversation"."lastMessageAt", EXCLUDED."lastMessageAt")
  ),
  part AS (
    -- Either unique index may answer "already here": the same provider message id (a retry
    -- racing this one), or the same index of the same open message (resent under a new id).
    INSERT INTO "MessagePart" ("id", "phoneNumberId", "messageId", "deliveryId", "providerMessageId", "partIndex",
      "payloadFormat", "payload", "udhHex", "providerKeyword", "providerTimestamp", "receivedAt")
    SELECT $13, $1, message."id", $14, $15, $16::int, $17, $18, $19, $20, $21::timestamp, $9::timestamp FROM message
    ON CONFLICT DO NOTHING
    RETURNING 1
  ),
  verdict AS (
    SELECT CASE
      WHEN EXISTS (SELECT FROM part) THEN 'stored'
      WHEN EXISTS (SELECT FROM retry) THEN 'duplicate'
      WHEN EXISTS (SELECT FROM copy) THEN 'resent'
      WHEN NOT EXISTS (SELECT FROM message) THEN 'stale'
      ELSE 'duplicate' END AS verdict
  ),
  delivery AS (
    INSERT INTO "Delivery" (${DELIVERY_COLUMNS})
    SELECT ${deliveryParams(28)}, $26::int,
      CASE verdict WHEN 'stored' THEN 'STORED' ELSE 'DUPLICATE' END::"DeliveryOutcome",
      CASE verdict WHEN 'stored' THEN $23 WHEN 'resent' THEN $25 ELSE $24 END,
      CASE verdict WHEN 'stored' THEN 1 ELSE 0 END, CASE verdict WHEN 'stored' THEN 0 ELSE 1 END
    FROM verdict WHERE $27::boolean AND verdict <> 'stale'
  )
  SELECT verdict, message."id", message."encoding", message."partsExpected", message."partIndexes",
    (SELECT json_agg(json_build_object('partIndex', p."partIndex", 'payloadFormat', p."payloadFormat", 'payload', p."payload",
        'providerKeyword', p."providerKeyword", 'providerTimestamp', to_char(p."providerTimestamp", ${ISO_TEXT})))
      FROM "MessagePart" p WHERE p."messageId" = message."id") AS "parts",
    (SELECT json_build_object('id', retry."id", 'encoding', retry."encoding", 'partsExpected', retry."partsExpected") FROM retry
      WHERE retry."status" = 'PARTIAL' AND cardinality(retry."partIndexes") >= retry."partsExpected") AS "unassembled",
    -- A new message whose part was not inserted: the part is a retry whose first copy committed
    -- while this statement ran, after its message completed (so no open message was there to
    -- join). The message would be a phantom: roll the statement back and run it again.
    CASE WHEN message."inserted" AND NOT EXISTS (SELECT FROM part)
      THEN moshi_retry_statement('a retried part met its completed message; run again') END AS "phantom"
  FROM verdict LEFT JOIN message ON true`;

async function readParts(sql: Sql, messageId: string): Promise<ReceivedRow[]> {
  const { rows } = await sql.query<ReceivedRow>(
    statement("moshi_received_parts", `SELECT ${RECEIVED_COLUMNS} FROM "MessagePart" WHERE "messageId" = $1 ORDER BY "partIndex"`, [messageId]),
  );
  return rows;
}

/**
 * Writes a long message as read from `received` (see reassemble.ts): its text so far, or whole
 * and complete. `latest` is the part just stored, whose price and counts the message shows.
 * The write that completes the message also puts its events in the outbox.
 */
async function writeMessage(
  sql: Sql,
  number: IngestNumber,
  messageId: string,
  shape: { encoding: InboundPart["encoding"]; partsExpected: number },
  received: ReceivedRow[],
  latest: InboundPart,
  { receivedAt: now, isTest }: Pick<DeliveryRecord, "receivedAt" | "isTest">,
) {
  const sorted = [...received].sort((a, b) => a.partIndex - b.partIndex);
  const assembled = assembleMessage(
    sorted.map((row): ReceivedPart => ({ partIndex: row.partIndex, payload: { format: row.payloadFormat, value: row.payload } as Payload })),
    shape.encoding,
    shape.partsExpected,
    { named: new Set(number.namedKeywords) },
  );
  const first = sorted[0];
  const providerKeyword = first?.providerKeyword ?? latest.providerKeyword;
  const providerTimestamp = first?.providerTimestamp ?? (latest.providerTimestamp && iso(latest.providerTimestamp));
  const consent = assembled.complete ? consentChange(assembled.keyword) : null;
  const events = assembled.complete ? completedEvents() : null;
  await sql.query(
    statement("moshi_write_message", WRITE_MESSAGE, [
      messageId,
      assembled.text,
      assembled.binaryHex,
      assembled.keyword,
      providerKeyword,
      providerTimestamp,
      latest.smsCount,
      latest.price?.amount ?? null,
      latest.price?.currency ?? null,
      latest.callbackData,
      assembled.warnings,
      STORAGE_WARNING_MARK,
      sorted.length,
      assembled.complete,
      iso(now),
      consent,
      events?.received.id ?? null,
      events?.received.payload ?? null,
      events?.consent?.id ?? null,
      events?.consent?.payload ?? null,
      blank("conversationId"),
      blank("receivedAt"),
      blank("warnings"),
    ]),
  );

  /** The events of the message this write completes; what only the row knows is left blank. */
  function completedEvents() {
    const data = messageResource({
      id: messageId,
      conversationId: blank("conversationId"),
      phoneNumberId: number.id,
      provider: number.provider,
      from: latest.from,
      to: latest.to,
      status: "COMPLETE",
      encoding: shape.encoding,
      text: assembled.text,
      binaryHex: assembled.binaryHex,
      keyword: assembled.keyword,
      partsExpected: shape.partsExpected,
      partsReceived: sorted.length,
      receivedAt: now,
      completedAt: now,
      providerTimestamp: providerTimestamp ? new Date(providerTimestamp) : null,
      priceAmount: latest.price?.amount ?? null,
      priceCurrency: latest.price?.currency ?? null,
      warnings: [],
      isTest,
    }, now);
    // Filled by the statement: the first part's arrival, and the warnings as finally written.
    data.receivedAt = blank("receivedAt");
    (data as { warnings: unknown }).warnings = blank("warnings");
    const received = buildEvent("message.received", data, { at: now, phoneNumberId: number.id });
    const consented = consent && assembled.keyword
      ? buildEvent("consent.changed", consentData({ conversationId: blank("conversationId"), phoneNumberId: number.id, sender: latest.from, optedOut: consent === "opt-out", keyword: assembled.keyword, messageId, at: now }), { at: now, phoneNumberId: number.id })
      : null;
    return { received, consent: consented };
  }
}

const WRITE_MESSAGE = `
  WITH message AS (
    UPDATE "Message" SET "text" = $2, "binaryHex" = $3, "keyword" = $4, "providerKeyword" = $5, "providerTimestamp" = $6::timestamp,
      "smsCount" = $7::int, "priceAmount" = $8, "priceCurrency" = $9, "callbackData" = $10,
      -- Decoding warnings are recomputed from all parts; the parts' own storage warnings stay.
      "warnings" = ARRAY(
        SELECT w FROM unnest(ARRAY(SELECT s FROM unnest("warnings") AS s WHERE strpos(s, $12) > 0) || $11::text[]) WITH ORDINALITY AS t(w, i)
        GROUP BY w ORDER BY min(i)),
      "partsReceived" = $13::int,
      "status" = CASE WHEN $14::boolean THEN 'COMPLETE'::"MessageStatus" ELSE "status" END,
      "concatKey" = CASE WHEN $14::boolean THEN NULL ELSE "concatKey" END,
      "completedAt" = CASE WHEN $14::boolean THEN $15::timestamp ELSE "completedAt" END
    WHERE "id" = $1 AND "status" = 'PARTIAL' AND "partsReceived" < $13::int
    RETURNING "teamId", "phoneNumberId", "conversationId", "receivedAt", "warnings"
  ),
  -- Consent follows the sender's latest complete message: STOP opts out, START opts back in.
  consent AS (
    UPDATE "Conversation" SET "optedOutAt" = CASE $16::text WHEN 'opt-out' THEN $15::timestamp ELSE NULL END
    WHERE $16::text IS NOT NULL AND "id" IN (SELECT "conversationId" FROM message)
  )
  -- The outbox: only the write that completes the message has events to put there.
  INSERT INTO "Event" ("id", "teamId", "type", "phoneNumberId", "payload", "createdAt")
  SELECT e.id, m."teamId", e.type, m."phoneNumberId", ${fillBlanks("e.payload", {
    conversationId: { param: "$21", value: 'm."conversationId"', kind: "text" },
    receivedAt: { param: "$22", value: 'm."receivedAt"', kind: "timestamp" },
    warnings: { param: "$23", value: 'm."warnings"', kind: "text[]" },
  })}, $15::timestamp
  FROM message m CROSS JOIN LATERAL (VALUES ($17, 'message.received', $18), ($19, 'consent.changed', $20)) AS e(id, type, payload)
  WHERE e.id IS NOT NULL`;

// ---------------------------------------------------------------------------------------------

/**
 * Runs `work` in a transaction on one connection. A connection whose ROLLBACK fails is broken
 * and leaves the pool; the error that caused the rollback is the one thrown.
 */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
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
