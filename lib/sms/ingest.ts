import { createId } from "./id";
import { openSecret } from "@/lib/crypto";
import { findNumberByToken } from "@/lib/data/numbers";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { decodePayload, joinPayloads } from "./decode";
import { consentChange, extractKeyword } from "./keyword";
import { adapters, providerFromPath } from "./registry";
import type { InboundAdapter, InboundPart, Payload, RawDelivery } from "./types";

/** Larger requests are refused: no provider sends inbound SMS anywhere near this size. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Parts still missing this long after the first one arrived are given up on. */
export const INCOMPLETE_AFTER_MS = 24 * 60 * 60 * 1000;

export type IncomingRequest = {
  providerSegment: string;
  token: string;
  method: string;
  headers: Headers;
  url: URL;
  /** The raw body, or null when it was larger than MAX_BODY_BYTES. */
  body: string | null;
  receivedAt: Date;
};

export type IngestResponse = {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** The recorded delivery, when one was recorded. */
  deliveryId?: string;
};

type Tx = Prisma.TransactionClient;

/**
 * Handles one webhook request: find the number by its token, check method and size, verify,
 * parse, then store the delivery and everything it carries in one transaction.
 *
 * The answer is 200 only once the messages are committed; any database failure answers 503 so
 * the provider retries, and the retry is absorbed by deduplication. Rejections are recorded
 * with their reason before they are answered. Handlers keep no state between requests:
 * uniqueness and ordering come from the database, so any number of instances may run at once.
 */
export async function ingestDelivery(prisma: PrismaClient, request: IncomingRequest): Promise<IngestResponse> {
  const provider = providerFromPath(request.providerSegment);
  if (!provider) return notFound(`unknown provider "${request.providerSegment}"`);

  let number: IngestNumber | null;
  try {
    number = await findNumberByToken(prisma, { provider, token: request.token, now: request.receivedAt });
  } catch (error) {
    return unavailable(error);
  }
  if (!number) return notFound(`no ${provider} number has this token`);

  return processDelivery(prisma, number, {
    raw: {
      method: request.method.toUpperCase(),
      contentType: request.headers.get("content-type"),
      headers: keptHeaders(request.headers),
      query: request.url.searchParams,
      body: request.body ?? "",
    },
    rawQuery: request.url.search.replace(/^\?/, ""),
    tooLarge: request.body === null,
    receivedAt: request.receivedAt,
  });
}

/** A delivery for a known number: a webhook request, a replay of a stored one, or a test. */
export type ReceivedDelivery = {
  raw: RawDelivery;
  /** The query string exactly as it arrived, for the log (defaults to `raw.query`). */
  rawQuery?: string;
  tooLarge: boolean;
  receivedAt: Date;
  /** The stored delivery this one replays, if it is a replay. */
  replayOfId?: string | null;
};

export type IngestNumber = NonNullable<Awaited<ReturnType<typeof findNumberByToken>>>;

/**
 * Everything after the token lookup: method and size checks, signature, parsing, storage. The
 * delivery log's replay and the numbers page's test message come in here too, so they go
 * through exactly what a provider's request does.
 */
export async function processDelivery(prisma: PrismaClient, number: IngestNumber, delivery: ReceivedDelivery): Promise<IngestResponse> {
  const started = performance.now();
  const { raw } = delivery;
  const adapter: InboundAdapter = adapters[number.provider];
  const record = (outcome: Outcome) => recordRejection(prisma, number, delivery, outcome, started);

  if (!(adapter.methods as readonly string[]).includes(raw.method)) {
    const allow = adapter.methods.join(", ");
    return record({
      status: 405,
      outcome: "REJECTED",
      reason: `${raw.method} is not how ${providerName(number.provider)} delivers inbound SMS (it uses ${allow}).`,
      headers: { Allow: allow },
    });
  }
  if (delivery.tooLarge) {
    return record({ status: 413, outcome: "REJECTED", reason: `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB; no inbound SMS is that large.` });
  }

  const opened = number.signatureSecretSealed ? openSecret(number.signatureSecretSealed) : null;
  if (opened && !opened.ok) return unavailable(new Error(opened.reason));
  const verified = adapter.verify(raw, { secret: opened?.value ?? null, method: number.signatureMethod, now: delivery.receivedAt });
  if (!verified.ok) return record({ status: 401, outcome: "REJECTED", reason: verified.reason });
  const signature = { signed: verified.signed, signatureAgeSeconds: verified.signatureAgeSeconds };

  const parsed = adapter.parse(raw);
  if (parsed.kind === "invalid") return record({ status: 400, outcome: "REJECTED", reason: parsed.reason, ...signature });
  if (parsed.kind === "ignored") return record({ status: 200, outcome: "IGNORED", reason: parsed.reason, ...signature });

  try {
    const result = await withDeadlockRetry(() =>
      prisma.$transaction((tx) => storeDelivery(tx, number, delivery, parsed.parts, signature, started), { timeout: 15_000 }),
    );
    return { status: 200, body: { ok: true, stored: result.stored, duplicates: result.duplicates }, deliveryId: result.deliveryId };
  } catch (error) {
    return unavailable(error);
  }
}

type Outcome = {
  status: number;
  outcome: "REJECTED" | "IGNORED";
  reason: string;
  headers?: Record<string, string>;
  signed?: boolean;
  signatureAgeSeconds?: number | null;
};

async function recordRejection(
  prisma: PrismaClient,
  number: IngestNumber,
  delivery: ReceivedDelivery,
  outcome: Outcome,
  started: number,
): Promise<IngestResponse> {
  let deliveryId: string;
  try {
    ({ id: deliveryId } = await prisma.delivery.create({
      select: { id: true },
      data: {
        ...deliveryFields(number, delivery),
        outcome: outcome.outcome,
        reason: outcome.reason,
        status: outcome.status,
        durationMs: Math.round(performance.now() - started),
        signed: outcome.signed ?? false,
        signatureAgeSeconds: outcome.signatureAgeSeconds ?? null,
      },
    }));
  } catch (error) {
    // Unrecorded, the request must not be acknowledged: the provider's retry gets another chance.
    return unavailable(error);
  }
  const body = outcome.outcome === "IGNORED" ? { ok: true, ignored: outcome.reason } : { error: outcome.reason };
  return { status: outcome.status, body, headers: outcome.headers, deliveryId };
}

async function storeDelivery(
  tx: Tx,
  number: IngestNumber,
  received: ReceivedDelivery,
  parts: InboundPart[],
  signature: { signed: boolean; signatureAgeSeconds: number | null },
  started: number,
) {
  const delivery = await tx.delivery.create({
    data: { ...deliveryFields(number, received), outcome: "STORED", status: 200, durationMs: 0, ...signature },
    select: { id: true },
  });
  await giveUpOnStalePartials(tx, number.id, received.receivedAt);

  let stored = 0;
  let duplicates = 0;
  const misaddressed = new Set<string>();
  for (const part of parts) {
    if (part.to !== number.e164) misaddressed.add(part.to);
    const isNew = await storePart(tx, number, delivery.id, part, received.receivedAt);
    if (isNew) stored++;
    else duplicates++;
  }
  const notes = [
    duplicates > 0 && stored === 0 ? "A retry of messages already stored: nothing new." : null,
    misaddressed.size > 0
      ? `Addressed to ${[...misaddressed].join(", ")}, not ${number.e164}: stored under this number because it arrived on its URL.`
      : null,
  ].filter(Boolean);
  await tx.delivery.update({
    where: { id: delivery.id },
    data: {
      outcome: stored > 0 ? "STORED" : "DUPLICATE",
      storedCount: stored,
      duplicateCount: duplicates,
      toMismatch: misaddressed.size > 0,
      reason: notes.length ? notes.join(" ") : null,
      durationMs: Math.round(performance.now() - started),
    },
  });
  return { deliveryId: delivery.id, stored, duplicates };
}

/**
 * Stores one part; answers false when it was stored before (a retry). The unique index on
 * (number, provider message id) decides, so concurrent copies of one delivery store it once.
 */
async function storePart(tx: Tx, number: IngestNumber, deliveryId: string, part: InboundPart, now: Date): Promise<boolean> {
  const conversationId = await lockConversation(tx, number, part.from, now);
  const concatKey = part.concat ? `${part.from}|${part.concat.referenceBits}:${part.concat.reference}|${part.concat.total}` : null;
  const total = part.concat?.total ?? 1;

  // The message first (new, or the open group this part belongs to), then the part under it.
  const [message] = await tx.$queryRaw<{ id: string; inserted: boolean }[]>`
    INSERT INTO "Message" ("id", "teamId", "phoneNumberId", "conversationId", "provider", "from", "to", "encoding",
      "status", "partsExpected", "partsReceived", "concatKey", "receivedAt", "warnings")
    VALUES (${createId()}, ${number.teamId}, ${number.id}, ${conversationId}, ${number.provider}::"Provider", ${part.from}, ${part.to},
      ${part.encoding}::"Encoding", 'PARTIAL'::"MessageStatus", ${total}, 0, ${concatKey}, ${now}, ARRAY[]::text[])
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
        partIndex: part.concat?.index ?? 1,
        payloadFormat: part.payload.format,
        payload: part.payload.value,
        udhHex: part.udhHex,
        providerKeyword: part.providerKeyword,
        providerTimestamp: part.providerTimestamp,
        receivedAt: now,
      },
    ],
    // Either unique index may answer "already here": the same provider message id (a retry),
    // or the same index of the same group (a carrier resending a part under a new id).
    skipDuplicates: true,
    select: { id: true },
  });
  if (created.length === 0) {
    if (message.inserted) await tx.message.delete({ where: { id: message.id } });
    return false;
  }

  const [counts] = await tx.$queryRaw<{ partsReceived: number; partsExpected: number }[]>`
    UPDATE "Message" SET "partsReceived" = "partsReceived" + 1 WHERE "id" = ${message.id}
    RETURNING "partsReceived", "partsExpected"`;
  await rebuildMessage(tx, message.id, part, counts!.partsReceived >= counts!.partsExpected, now);

  if (message.inserted) {
    await tx.$executeRaw`
      UPDATE "Conversation" SET "messageCount" = "messageCount" + 1, "unreadCount" = "unreadCount" + 1,
        "lastMessageAt" = GREATEST("lastMessageAt", ${now})
      WHERE "id" = ${conversationId}`;
  }
  return true;
}

/**
 * Recomputes a message's text from the parts received so far, joined in index order before
 * decoding. The transaction holds the message's row lock (taken by the count update), so of
 * two last parts arriving together exactly one sees the group complete.
 */
async function rebuildMessage(tx: Tx, messageId: string, latest: InboundPart, complete: boolean, now: Date) {
  const parts = await tx.messagePart.findMany({
    where: { messageId },
    orderBy: { partIndex: "asc" },
    select: { partIndex: true, payloadFormat: true, payload: true, providerKeyword: true, providerTimestamp: true },
  });
  const message = await tx.message.findUniqueOrThrow({ where: { id: messageId }, select: { encoding: true, partsExpected: true, conversationId: true } });
  const runs = contiguousRuns(parts);
  const warnings: string[] = [];
  const texts: string[] = [];
  let binaryHex: string | null = null;
  for (const run of runs) {
    const decoded = decodeRun(run.map((p) => ({ format: p.payloadFormat, value: p.payload }) as Payload), message.encoding);
    warnings.push(...decoded.warnings);
    if (decoded.text !== null) texts.push(decoded.text);
    if (decoded.binaryHex !== null) binaryHex = (binaryHex ?? "") + decoded.binaryHex;
  }
  // Gaps between runs are shown, so a partial message never reads as if it were whole.
  const startsAtFirst = parts[0]?.partIndex === 1;
  const endsAtLast = parts.at(-1)?.partIndex === message.partsExpected;
  const text = texts.length ? (startsAtFirst ? "" : "… ") + texts.join(" … ") + (endsAtLast ? "" : " …") : null;
  const fullText = complete && texts.length ? texts.join("") : null;
  const first = parts[0];
  const keyword = startsAtFirst ? extractKeyword(texts[0] ?? null) : null;
  await tx.message.update({
    where: { id: messageId },
    data: {
      text: complete ? fullText : text,
      binaryHex,
      keyword,
      providerKeyword: first?.providerKeyword ?? latest.providerKeyword,
      providerTimestamp: first?.providerTimestamp ?? latest.providerTimestamp,
      smsCount: latest.smsCount,
      priceAmount: latest.price?.amount ?? null,
      priceCurrency: latest.price?.currency ?? null,
      callbackData: latest.callbackData,
      warnings,
      ...(complete ? { status: "COMPLETE", concatKey: null, completedAt: now } : {}),
    },
  });
  // Consent follows the sender's latest complete message: STOP opts out, START opts back in.
  const change = complete ? consentChange(keyword) : null;
  if (change) {
    await tx.conversation.update({ where: { id: message.conversationId }, data: { optedOutAt: change === "opt-out" ? now : null } });
  }
}

function decodeRun(payloads: Payload[], encoding: "GSM7" | "UCS2" | "BINARY") {
  try {
    return decodePayload(joinPayloads(payloads), encoding);
  } catch {
    // Parts that disagree on their format cannot be joined raw; decode them one by one.
    const decoded = payloads.map((payload) => decodePayload(payload, encoding));
    return {
      text: decoded.some((d) => d.text !== null) ? decoded.map((d) => d.text ?? "").join("") : null,
      binaryHex: decoded.some((d) => d.binaryHex !== null) ? decoded.map((d) => d.binaryHex ?? "").join("") : null,
      warnings: ["Parts arrived in different formats and were decoded separately.", ...decoded.flatMap((d) => d.warnings)],
    };
  }
}

function contiguousRuns<T extends { partIndex: number }>(parts: T[]): T[][] {
  const runs: T[][] = [];
  for (const part of parts) {
    const run = runs.at(-1);
    if (run && run.at(-1)!.partIndex === part.partIndex - 1) run.push(part);
    else runs.push([part]);
  }
  return runs;
}

/** Creates or finds the thread, and holds its row lock for the rest of the transaction. */
async function lockConversation(tx: Tx, number: IngestNumber, sender: string, now: Date): Promise<string> {
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

function deliveryFields(number: IngestNumber, { raw, rawQuery, receivedAt, replayOfId }: ReceivedDelivery) {
  return {
    teamId: number.teamId,
    phoneNumberId: number.id,
    provider: number.provider,
    method: raw.method,
    contentType: raw.contentType,
    headers: raw.headers,
    query: rawQuery ?? raw.query.toString(),
    body: raw.body,
    receivedAt,
    replayOfId: replayOfId ?? null,
  };
}

/** Headers worth keeping with a delivery: never cookies or authorization. */
function keptHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (KEPT_HEADERS.has(name) || KEPT_PREFIXES.some((prefix) => name.startsWith(prefix))) kept[name] = value;
  }
  return kept;
}
const KEPT_HEADERS = new Set(["content-type", "content-length", "user-agent", "x-forwarded-for", "x-real-ip"]);
const KEPT_PREFIXES = ["x-api-", "x-security-", "x-vonage-", "x-nexmo-", "x-infobip-"];

function providerName(provider: string) {
  return provider === "RAKUTEN" ? "Rakuten CPaaS" : provider === "INFOBIP" ? "Infobip" : "Vonage";
}

function notFound(why: string): IngestResponse {
  console.warn(`[webhook] 404: ${why}`);
  return { status: 404, body: { error: "Not found" } };
}

function unavailable(error: unknown): IngestResponse {
  console.error("[webhook] 503: could not store the delivery", error);
  return {
    status: 503,
    body: { error: "Temporarily unable to store this delivery. Please retry." },
    headers: { "Retry-After": "5" },
  };
}

/** Batches from different senders may lock threads in different orders; one retry settles it. */
async function withDeadlockRetry<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isRetryable(error)) return run();
    throw error;
  }
}

function isRetryable(error: unknown): boolean {
  const text = String((error as { message?: string })?.message ?? "") + JSON.stringify((error as { meta?: unknown })?.meta ?? {});
  return /40P01|40001|deadlock detected|could not serialize/i.test(text);
}
