/**
 * One webhook request, from the URL's token to the answer the provider sees: find the number,
 * read the body, check method and size, verify, parse, store. The SQL is store.ts, reassembly and
 * decoding reassemble.ts and decode.ts (pure); this module decides what is recorded and what is
 * answered.
 *
 * The promise to providers: 200 only once what they sent is committed; every refusal recorded
 * with its reason before it is answered; 503 (retry) when the database cannot take it; and no
 * input, however hostile, makes a 5xx of its own or loses a message.
 */
import { createHash } from "node:crypto";
import { hashToken } from "@/lib/crypto";
import { sqlPool } from "@/lib/db";
import { buildEvent, rejectedDelivery } from "@/lib/events/resources";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { openCredentials } from "./credentials";
import { createId } from "./id";
import { adapters, providerFromPath } from "./registry";
import { storableOrNull, storablePart, storableText } from "./storable";
import { capReason, type DeliveryRecord, findNumberByTokenHash, type IngestNumber, MAX_REASON_LENGTH, type StorablePart, storeDelivery } from "./store";
import { type IgnoredCode, MAX_MESSAGES_PER_DELIVERY, type InboundAdapter, type RawDelivery, VERIFICATION_FAILURES, type VerificationFailure } from "./types";

export { MAX_REASON_LENGTH, type IngestNumber };

/** Larger requests are refused: no provider sends inbound SMS anywhere near this size. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * A body still arriving after this long is given up on: providers send a few hundred bytes at
 * once, and a client trickling one must not hold a connection (and a worker) for minutes.
 */
export const BODY_DEADLINE_MS = 10_000;

/** How reading the body ended. */
export type BodyRead =
  | { kind: "complete"; bytes: Uint8Array<ArrayBuffer> }
  | { kind: "too-large" }
  | { kind: "timeout" }
  /** The client went away, or the framing was broken, before the body ended. */
  | { kind: "broken" };

export type IncomingRequest = {
  providerSegment: string;
  token: string;
  method: string;
  headers: Headers;
  url: URL;
  /**
   * Reads the body, called only once the token is known to belong to a number: nobody can
   * make the server read (or wait for) a body by guessing paths.
   */
  readBody?: () => Promise<BodyRead>;
  /** Or the body itself, already read (tests, benchmarks, scripts). */
  body?: string | Uint8Array<ArrayBuffer>;
  receivedAt: Date;
};

export type IngestResponse = {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** The body the provider expects instead of `body` as JSON (its module's `acknowledge`, e.g. empty XML). */
  reply?: { contentType: string; body: string };
  /** The recorded delivery, when one was recorded. */
  deliveryId?: string;
  /**
   * The request body was not read to its end: the connection must close after the answer, or
   * the rest of the body would be read as the next request.
   */
  closeConnection?: boolean;
};

/** Kinds of refusal, stored with the delivery (see `Delivery.reasonCode`). */
export type ReasonCode =
  | "method_not_allowed"
  | "body_too_large"
  | "body_timeout"
  | "body_broken"
  | "secret_unreadable"
  | VerificationFailure
  | "invalid_payload"
  | "too_many_messages"
  | "storage_failed"
  /** Acknowledged, not stored: what the provider module found instead of a message. */
  | IgnoredCode;

/** Refusals an owner or admin may overrule by accepting the delivery without a valid signature. */
export const SIGNATURE_REFUSALS = [...VERIFICATION_FAILURES, "secret_unreadable"] as const satisfies readonly ReasonCode[];

/**
 * Handles one webhook request. The token is looked up before anything else is read, then the
 * body, then everything else runs in {@link processDelivery}.
 */
export async function ingestDelivery(prisma: PrismaClient, request: IncomingRequest): Promise<IngestResponse> {
  const provider = providerFromPath(request.providerSegment);
  if (!provider) return notFound(`unknown provider ${quoteForLog(request.providerSegment)}`);

  let number: IngestNumber | null;
  try {
    number = await findNumberByTokenHash(sqlPool(prisma), { provider, tokenHash: hashToken(request.token), now: request.receivedAt });
  } catch (error) {
    return { ...unavailable("looking up the token failed", error), closeConnection: true };
  }
  if (!number) return notFound(`no ${provider} number has this token`);

  const read: BodyRead = request.readBody
    ? await request.readBody()
    : { kind: "complete", bytes: typeof request.body === "string" || request.body === undefined ? new TextEncoder().encode(request.body ?? "") : request.body };
  const bytes = read.kind === "complete" ? read.bytes : new Uint8Array();
  return processDelivery(prisma, number, {
    raw: {
      method: request.method.toUpperCase(),
      contentType: request.headers.get("content-type"),
      headers: Object.fromEntries(request.headers),
      query: request.url.searchParams,
      body: decodeBody(bytes),
      urls: publicUrls(request.url),
    },
    rawBody: bytes,
    rawQuery: request.url.search.replace(/^\?/, ""),
    bodyProblem: read.kind === "complete" ? null : read.kind,
    receivedAt: request.receivedAt,
  });
}

/** A delivery for a known number: a webhook request, a replay of a stored one, or a test. */
export type ReceivedDelivery = {
  /** What the provider modules read; the body as text (invalid UTF-8 as U+FFFD). */
  raw: RawDelivery;
  /** The body byte for byte, as stored; defaults to the UTF-8 of `raw.body`. */
  rawBody?: Uint8Array<ArrayBuffer>;
  /** The query string exactly as it arrived, for the log (defaults to `raw.query`). */
  rawQuery?: string;
  /** Why the body could not be read whole, if it could not. */
  bodyProblem?: Exclude<BodyRead["kind"], "complete"> | null;
  receivedAt: Date;
  /** The stored delivery this one replays, if it is a replay. */
  replayOfId?: string | null;
  /** An owner or admin accepts this replay without a valid signature. */
  acceptUnsigned?: { userId: string } | null;
  /**
   * A replay of a delivery whose signature was verified when it arrived: it is not checked again
   * (the URL some providers sign holds the secret token, which is not stored).
   */
  verifiedBefore?: { signatureAgeSeconds: number | null } | null;
  /**
   * The Numbers page's Test button sent it (or a replay of such a delivery): its messages are
   * test messages. Set only by callers inside Moshi; a provider's request has no way to set it.
   */
  test?: boolean;
};

/**
 * Everything after the token lookup: method and size checks, signature, parsing, storage. The
 * delivery log's replay and the numbers page's test message come in here too, so they go
 * through exactly what a provider's request does.
 */
export async function processDelivery(prisma: PrismaClient, number: IngestNumber, delivery: ReceivedDelivery): Promise<IngestResponse> {
  const started = performance.now();
  const { raw } = delivery;
  const adapter: InboundAdapter = adapters[number.provider];
  const refuse = (refusal: Refusal) => recordRefusal(prisma, number, delivery, refusal, started);

  if (!(adapter.methods as readonly string[]).includes(raw.method)) {
    const allow = adapter.methods.join(", ");
    return refuse({
      status: 405,
      code: "method_not_allowed",
      reason: `${raw.method} is not how ${providerName(number.provider)} delivers inbound SMS (it uses ${allow}).`,
      headers: { Allow: allow },
    });
  }
  switch (delivery.bodyProblem) {
    case "too-large":
      return refuse({ status: 413, code: "body_too_large", reason: `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB; no inbound SMS is that large.`, closeConnection: true });
    case "timeout":
      return refuse({ status: 408, code: "body_timeout", reason: `The request body did not arrive within ${BODY_DEADLINE_MS / 1000} seconds.`, closeConnection: true });
    case "broken":
      return refuse({ status: 400, code: "body_broken", reason: "The request body ended early (the connection closed or its framing was broken).", closeConnection: true });
  }

  let signature = { signed: false, signatureAgeSeconds: null as number | null };
  if (delivery.verifiedBefore) {
    signature = { signed: true, signatureAgeSeconds: delivery.verifiedBefore.signatureAgeSeconds };
  } else if (!delivery.acceptUnsigned) {
    const credentials = openCredentials(number.provider, number.credentialsSealed);
    if (!credentials.ok) {
      // Not the provider's fault: ask it to retry while the team (or the operator) fixes
      // the key, and tell the team why in the log. Replay or accept it once fixed.
      return refuse({
        status: 503,
        code: "secret_unreadable",
        reason: `This number's credentials cannot be read, so the signature cannot be checked: ${credentials.reason} The provider was asked to retry; enter them again on the Numbers page, or accept this delivery without a valid signature.`,
        headers: { "Retry-After": "60" },
      });
    }
    const verified = adapter.verify(raw, { credentials: credentials.value, now: delivery.receivedAt });
    if (!verified.ok) {
      return refuse(
        verified.retry
          ? { status: 503, code: verified.code, reason: verified.reason, headers: { "Retry-After": "5" } }
          : { status: 401, code: verified.code, reason: verified.reason },
      );
    }
    signature = { signed: verified.signed, signatureAgeSeconds: verified.signatureAgeSeconds };
    if (verified.replayKey) {
      let replayed: boolean;
      try {
        replayed = await isReplayed(prisma, number, verified.replayKey, delivery);
      } catch (error) {
        return unavailable("checking a signature nonce failed", error);
      }
      if (replayed) {
        return refuse({
          status: 401,
          code: "signature_replayed",
          reason:
            `This signature's nonce came before with a different request: its signature covers the URL but not the body, so someone reused a signature ${providerName(number.provider)} made for another message. ` +
            "Nothing was stored. If the webhook URL may have leaked, rotate it on the Numbers page.",
        });
      }
    }
  }

  const parsed = adapter.parse(raw);
  if (parsed.kind === "too-many") {
    return refuse({
      status: 413,
      code: "too_many_messages",
      reason: `The request carries ${parsed.count} messages; at most ${MAX_MESSAGES_PER_DELIVERY} are accepted in one request. Ask the provider to send smaller batches.`,
      ...signature,
    });
  }
  if (parsed.kind === "invalid") return refuse({ status: 400, code: "invalid_payload", reason: parsed.reason, ...signature });
  if (parsed.kind === "ignored") return refuse({ status: 200, outcome: "IGNORED", code: parsed.code ?? "not_inbound", reason: parsed.reason, ...signature });

  const parts = parsed.parts.map(storablePart);
  const record: DeliveryRecord = {
    ...deliveryFields(number, delivery),
    id: createId(),
    status: 200,
    ...signature,
    toMismatch: parts.some(({ part }) => part.to !== number.e164),
    notes: deliveryNotes(number, parts),
    started,
  };
  try {
    const counts = await withConflictRetry(() => storeDelivery(sqlPool(prisma), number, record, parts));
    return { status: 200, body: { ok: true, stored: counts.stored, duplicates: counts.duplicates }, reply: adapter.acknowledge, deliveryId: record.id };
  } catch (error) {
    if (isTransient(error)) return unavailable("storing the delivery failed", error);
    // Not the database being away: something in this delivery cannot be stored. The raw
    // request is kept so nothing is lost, and the provider retries in case a fix ships.
    console.error(`[webhook] could not store a delivery for number ${number.id}`, error);
    return refuse({
      status: 503,
      code: "storage_failed",
      reason: `Moshi could not store this delivery (${errorSummary(error)}). The raw request is kept and the provider was asked to retry; replay it from here once fixed.`,
      headers: { "Retry-After": "60" },
      ...signature,
    });
  }
}

type Refusal = {
  status: number;
  outcome?: "REJECTED" | "IGNORED";
  code?: ReasonCode;
  reason: string;
  headers?: Record<string, string>;
  signed?: boolean;
  signatureAgeSeconds?: number | null;
  closeConnection?: boolean;
};

/**
 * Records a refused (or ignored) delivery, then answers it. When the record cannot be written,
 * the server log says why, and the answer stays honest: 503 while the database is away (the
 * provider's retry will be recorded), otherwise the refusal itself.
 */
async function recordRefusal(prisma: PrismaClient, number: IngestNumber, delivery: ReceivedDelivery, refusal: Refusal, started: number): Promise<IngestResponse> {
  const outcome = refusal.outcome ?? "REJECTED";
  const body = outcome === "IGNORED" ? { ok: true, ignored: capReason(refusal.reason) } : { error: capReason(refusal.reason) };
  const reply = outcome === "IGNORED" ? adapters[number.provider].acknowledge : undefined;
  const answer: IngestResponse = { status: refusal.status, body, reply, headers: refusal.headers, closeConnection: refusal.closeConnection };
  try {
    const id = createId();
    const fields = deliveryFields(number, delivery);
    const reason = storableText(capReason(refusal.reason));
    const create = prisma.delivery.create({
      select: { id: true },
      data: {
        id,
        ...fields,
        outcome,
        reason,
        reasonCode: refusal.code ?? null,
        status: refusal.status,
        durationMs: Math.round(performance.now() - started),
        signed: refusal.signed ?? false,
        signatureAgeSeconds: refusal.signatureAgeSeconds ?? null,
      },
    });
    if (outcome === "REJECTED") {
      // The outbox: the team's endpoints hear of it, committed with the delivery row.
      const event = buildEvent(
        "delivery.rejected",
        rejectedDelivery({ deliveryId: id, phoneNumberId: number.id, provider: number.provider, status: refusal.status, reasonCode: refusal.code ?? null, reason, receivedAt: fields.receivedAt }),
        { at: fields.receivedAt, phoneNumberId: number.id },
      );
      await prisma.$transaction([create, prisma.event.create({ data: { ...event, teamId: number.teamId } })]);
    } else {
      await create;
    }
    return { ...answer, deliveryId: id };
  } catch (error) {
    console.error(`[webhook] could not record a ${refusal.status} (${refusal.code ?? outcome.toLowerCase()}) for number ${number.id}: ${errorSummary(error)}`);
    if (isTransient(error)) return { ...unavailable("recording a refusal failed", error), closeConnection: refusal.closeConnection };
    return answer;
  }
}

function deliveryFields(number: IngestNumber, delivery: ReceivedDelivery) {
  const { raw, rawQuery, receivedAt, replayOfId, acceptUnsigned } = delivery;
  return {
    teamId: number.teamId,
    phoneNumberId: number.id,
    provider: number.provider,
    method: storableText(raw.method),
    contentType: storableOrNull(raw.contentType),
    headers: Object.fromEntries(Object.entries(keptHeaders(raw.headers, number.provider)).map(([name, value]) => [storableText(name), storableText(value)])),
    query: storableText(rawQuery ?? raw.query.toString()),
    body: delivery.rawBody ?? new TextEncoder().encode(raw.body),
    receivedAt,
    replayOfId: replayOfId ?? null,
    acceptedUnsignedById: acceptUnsigned?.userId ?? null,
    acceptedUnsignedAt: acceptUnsigned ? receivedAt : null,
    isTest: delivery.test ?? false,
  };
}

/** Notes on a delivery known before storing it; store.ts adds those on what it found. */
function deliveryNotes(number: IngestNumber, parts: StorablePart[]): string[] {
  const misaddressed = [...new Set(parts.map(({ part }) => part.to).filter((to) => to !== number.e164))];
  const warnings = [...new Set(parts.flatMap(({ warnings }) => warnings))];
  return [
    misaddressed.length > 0 ? `Addressed to ${misaddressed.slice(0, 5).join(", ")}, not ${number.e164}: stored under this number because it arrived on its URL.` : null,
    ...warnings,
  ]
    .filter((note): note is string => note !== null)
    .map(storableText);
}

/** The body as the provider modules read it: UTF-8, with invalid sequences as U+FFFD. */
export function decodeBody(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/**
 * Headers worth keeping with a delivery: the common ones and those the provider's module names
 * (its signature, timestamp and nonce headers); never cookies or authorization.
 */
function keptHeaders(headers: Record<string, string>, provider: InboundAdapter["provider"]): Record<string, string> {
  const own = adapters[provider].keptHeaders;
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (NEVER_KEPT.has(lower)) continue;
    if (KEPT_HEADERS.has(lower) || own.some((entry) => (entry.endsWith("-") ? lower.startsWith(entry) : lower === entry))) kept[lower] = value;
  }
  return kept;
}
const KEPT_HEADERS = new Set(["content-type", "content-length", "transfer-encoding", "user-agent", "x-forwarded-for", "x-real-ip"]);
const NEVER_KEPT = new Set(["authorization", "cookie", "proxy-authorization", "set-cookie"]);

function providerName(provider: InboundAdapter["provider"]) {
  return adapters[provider].name;
}

/**
 * The URLs the provider may have called, for the modules that verify a signature over the URL:
 * the one built from MOSHI_PUBLIC_URL (the address teams paste into portals, right behind a
 * TLS-terminating proxy that makes the request look like plain http), then the request's own.
 */
function publicUrls(url: URL): string[] {
  const urls: string[] = [];
  const configured = process.env.MOSHI_PUBLIC_URL?.trim();
  if (configured) {
    try {
      const base = new URL(configured);
      urls.push(`${base.origin}${base.pathname.replace(/\/$/, "")}${url.pathname}${url.search}`);
    } catch {
      // An invalid MOSHI_PUBLIC_URL is reported at start-up; the request's own URL remains.
    }
  }
  if (!urls.includes(url.href)) urls.push(url.href);
  return urls;
}

/**
 * Whether a signature nonce was seen before with another request. The first request to bring a
 * nonce is the one it vouches for (the primary key decides, in one statement); the same request
 * again is the provider's retry.
 */
async function isReplayed(prisma: PrismaClient, number: IngestNumber, key: string, delivery: ReceivedDelivery): Promise<boolean> {
  const { raw } = delivery;
  const requestHash = createHash("sha256")
    .update(`${raw.method}\n${delivery.rawQuery ?? raw.query.toString()}\n`)
    .update(delivery.rawBody ?? new TextEncoder().encode(raw.body))
    .digest("hex");
  const { rows } = await sqlPool(prisma).query<{ requestHash: string }>(
    `INSERT INTO "SignatureNonce" ("phoneNumberId", "key", "requestHash", "firstSeenAt") VALUES ($1, $2, $3, $4::timestamp)
     ON CONFLICT ("phoneNumberId", "key") DO UPDATE SET "key" = EXCLUDED."key"
     RETURNING "requestHash"`,
    [number.id, storableText(key.slice(0, 200)), requestHash, delivery.receivedAt.toISOString().replace("Z", "")],
  );
  return rows[0]?.requestHash !== requestHash;
}

/** A 404 tells nothing; the body was not read, so the connection closes after it. */
function notFound(why: string): IngestResponse {
  console.warn(`[webhook] 404: ${why}`);
  return { status: 404, body: { error: "Not found" }, closeConnection: true };
}

function unavailable(what: string, error: unknown): IngestResponse {
  console.error(`[webhook] 503: ${what}: ${errorSummary(error)}`);
  return {
    status: 503,
    body: { error: "Temporarily unable to store this delivery. Please retry." },
    headers: { "Retry-After": "5" },
  };
}

/**
 * Request-controlled text for a log line: quoted and escaped (a newline cannot forge a line)
 * and cut short.
 */
export function quoteForLog(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

/**
 * Conflicts one retry settles: batches from different senders locking threads in different
 * orders, and a part of a long message from a first-time sender whose thread another request
 * created meanwhile (its statement then refers to a thread that lost the race: see store.ts).
 */
async function withConflictRetry<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (/\b(40P01|40001|23503)\b|deadlock detected|could not serialize/i.test(errorText(error))) return run();
    throw error;
  }
}

/**
 * Whether a database error may pass by itself (the server away, a connection dropped, a pool
 * exhausted, a conflict): then the provider's retry is the cure. Data errors (SQLSTATE classes
 * 22 and 23) are about this delivery and would fail again. Unknown errors count as transient,
 * which errs on the side of a retry.
 */
function isTransient(error: unknown): boolean {
  const text = errorText(error);
  if (/\b(22\d{3}|22P\d{2}|23\d{3}|23P\d{2})\b/.test(text)) return false;
  if (/invalid byte sequence|invalid input syntax|unsupported Unicode escape|value too long|out of range|violates/i.test(text)) return false;
  return true;
}

function errorText(error: unknown): string {
  const { message, meta, code, cause } = (error ?? {}) as { message?: unknown; meta?: unknown; code?: unknown; cause?: unknown };
  let text = `${String(message ?? error)} ${String(code ?? "")}`;
  try {
    text += ` ${JSON.stringify(meta ?? {})} ${JSON.stringify(cause ?? {})}`;
  } catch {
    // Circular metadata: the message is enough.
  }
  return text;
}

/** One line about a database error, for logs and reasons: no stack, no query text. */
function errorSummary(error: unknown): string {
  const message = String((error as { message?: unknown })?.message ?? error).replace(/\s+/g, " ").trim();
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}
