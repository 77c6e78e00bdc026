/**
 * Vonage (formerly Nexmo), two inbound formats on one number:
 * - the SMS API: GET with a query string, or POST with a form or JSON body (one official capture
 *   has no content type at all), optionally signed with `sig`; each request is one SMS or one
 *   part of a long one;
 * - the Messages API (`channel: "sms"`): a JSON POST of a message Vonage already joined, signed
 *   with an HS256 JWT in `Authorization`.
 * The account's signature secret verifies both.
 */
import { normalizeProviderAddress } from "@/lib/phone";
import { parseUdh } from "../../udh";
import { isGsm7Text } from "../../decode";
import {
  type ConcatInfo,
  defineProvider,
  type Encoding,
  type InboundPart,
  type ParseResult,
  type Payload,
  type RawDelivery,
  type SimulatedMessage,
  type SimulatedRequest,
  type VerifyResult,
} from "../../types";
import { describeIssues, isRecord, parseProviderTimestamp, readParams } from "../params";
import { digits, entropyFor, firstWord, formRequest, getRequest, jsonRequest, splitCodeUnits } from "../simulation";
import { payloadHash, signHs256, verifyHs256 } from "./jwt";
import {
  VONAGE_RECEIPT_FIELDS,
  type VonageCredentials,
  vonageCredentialsSchema,
  vonageInboundSchema,
  type VonageInbound,
  type VonageMessagesInbound,
  vonageMessagesSchema,
} from "./schema";
import { vonageDemo } from "./demo";
import { isValidVonageSignature, signVonageParams } from "./signature";

const ENCODINGS = { text: "GSM7", unicode: "UCS2", binary: "BINARY" } as const satisfies Record<VonageInbound["type"], Encoding>;

/**
 * How long a Messages API token stays acceptable: Vonage retries for 24 hours and does not say
 * whether a retry carries a new token, so a retry's may be that old. A token's body hash ties it
 * to one body, so an old token can only bring the same message again, which is a duplicate.
 */
const MESSAGES_TOKEN_MAX_AGE_SECONDS = 24 * 60 * 60 + 15 * 60;
/** Clocks differ: a token issued up to this far in the future is still fresh. */
const CLOCK_SKEW_SECONDS = 5 * 60;

/**
 * Reads one Vonage webhook: an SMS API part, or a Messages API message. Receipts and status
 * webhooks are `ignored` with an explanation; verification applies only when the number has a
 * signature secret.
 */
export const vonageAdapter = defineProvider<VonageCredentials>({
  provider: "VONAGE",
  name: "Vonage",
  tone: "violet",
  colour: "#8b5cf6",
  // Nexmo is Vonage's former name; URLs configured under it keep working.
  pathSegments: ["vonage", "nexmo"],
  methods: ["GET", "POST"],
  setup: "In the Vonage dashboard, open Numbers → your number → Inbound webhook URL and paste it (or, for the Messages API, the application's Inbound URL).",
  exampleNumber: "+12192259404",
  credentials: vonageCredentialsSchema,
  credentialsHelp:
    "If your Vonage account signs inbound messages, enter its signature secret and method. Unsigned or wrongly signed deliveries are then refused and logged. Messages API webhooks are checked with the same secret.",
  keptHeaders: ["x-vonage-", "x-nexmo-"],
  formats: ["form", "get", "json", "messages"],
  explain: {
    format:
      "Make sure this URL is the number's Inbound webhook URL (Numbers → your number) or the Messages application's Inbound URL, not a status or event URL, and that nothing else posts to it.",
    failures: {
      signature_missing:
        "Turn on signed webhooks in the Vonage dashboard (API settings) with the same signature secret and method as this number in Moshi (Numbers → Edit), or remove the secret from the number if Vonage is not meant to sign.",
      signature_mismatch:
        "Check that the signature secret and method in the Vonage dashboard (API settings) match this number's settings in Moshi (Numbers → Edit). The secret is case-sensitive.",
      signature_stale:
        "The token was issued long before it arrived: check the clock of whatever sends it. Vonage's own tokens are issued when it sends.",
      signature_malformed: "Vonage signs Messages API webhooks with an HS256 JWT; a request with any other token did not come from Vonage.",
    },
  },

  parse(delivery: RawDelivery): ParseResult {
    const read = readParams(delivery);
    if (!read.ok) return { kind: "invalid", reason: `${read.reason} Vonage sends inbound SMS as a query string (GET), a form body or JSON.` };
    const { params, json } = read;
    if (json && isMessagesApi(json)) return parseMessagesApi(json);

    const receipt = explainReceipt(params);
    if (receipt) return { kind: "ignored", code: "delivery_receipt", reason: receipt };

    const result = vonageInboundSchema.safeParse(params);
    if (!result.success) {
      const none = Object.keys(params).length === 0 ? " The request carries no parameters at all." : "";
      return { kind: "invalid", reason: `${describeIssues(result.error.issues, params)}: not a Vonage inbound SMS.${none}` };
    }
    const message = result.data;

    const payload = readPayload(message);
    if (!payload) {
      const field = message.type === "binary" ? "data" : "text";
      return { kind: "invalid", reason: `Missing ${field}: a Vonage ${message.type} message carries its content in ${field}.` };
    }

    const part: InboundPart = {
      providerMessageId: message.messageId,
      from: normalizeProviderAddress(message.msisdn),
      to: normalizeProviderAddress(message.to),
      encoding: ENCODINGS[message.type],
      payload,
      udhHex: message.udh || null,
      providerKeyword: message.keyword || null,
      providerTimestamp: parseProviderTimestamp(message["message-timestamp"]),
      price: null,
      callbackData: null,
      smsCount: null,
      concat: readConcat(message) ?? (message.type === "binary" ? concatFromUdh(message.udh) : null),
    };
    return { kind: "parts", parts: [part] };
  },

  verify(delivery, { credentials, now }): VerifyResult {
    const secret = credentials?.signatureSecret;
    if (!secret) return { ok: true, signed: false, signatureAgeSeconds: null };
    const read = readParams(delivery);
    if (read.ok && read.json && isMessagesApi(read.json)) {
      // The old format is never stored; refusing it would only make Vonage retry for a day and
      // hide the explanation parse gives.
      if (isVersion01(read.json) && !delivery.headers.authorization) return { ok: true, signed: false, signatureAgeSeconds: null };
      return verifyMessagesApi(delivery, secret, now);
    }

    const params = read.ok ? read.params : {};
    const sig = params.sig;
    if (!sig) {
      // Receipts are never stored as messages; refusing them would only make Vonage retry for
      // a day and hide the real explanation that parse gives.
      if (read.ok && explainReceipt(read.params)) return { ok: true, signed: false, signatureAgeSeconds: null };
      const unreadable = read.ok ? "" : ` (${read.reason})`;
      return {
        ok: false,
        code: "signature_missing",
        reason:
          `Vonage signature missing: this number has a signature secret, so every webhook must carry a sig parameter, and this one has none${unreadable}. ` +
          "Turn on signed webhooks in the Vonage dashboard (API settings), or remove the secret from this number if signing is off on purpose.",
      };
    }
    if (!isValidVonageSignature(params, sig, secret, credentials.signatureMethod ?? "MD5HASH")) {
      return {
        ok: false,
        code: "signature_mismatch",
        reason:
          "The Vonage signature (sig) does not match this number's signature secret and method. " +
          "Check that the secret and the signature method here are the ones in the Vonage dashboard's API settings.",
      };
    }
    return { ok: true, signed: true, signatureAgeSeconds: ageInSeconds(params.timestamp, now) };
  },

  simulate: simulateVonage,
  demo: vonageDemo,
});

/** A Messages API payload: it has a message_uuid, or a channel and a message type. */
function isMessagesApi(json: Record<string, unknown>): boolean {
  return "message_uuid" in json || ("channel" in json && "message_type" in json);
}

/** The Messages API's first webhook format (v0.1) nests addresses and content: `to: {type, number}`, `message: {content}`. */
function isVersion01(json: Record<string, unknown>): boolean {
  return isRecord(json.message) || isRecord(json.to) || isRecord(json.from);
}

function parseMessagesApi(json: Record<string, unknown>): ParseResult {
  const uuid = typeof json.message_uuid === "string" ? ` (message_uuid ${json.message_uuid})` : "";
  if (isVersion01(json)) {
    return {
      kind: "ignored",
      code: "other_format",
      reason:
        `This is a Vonage Messages API webhook in the old v0.1 format${uuid}, which nests addresses and content, so nothing was stored. ` +
        "Moshi reads the current format: in the Vonage dashboard, open the Messages application (Applications → your application → Edit) and set the Messages webhook version to v1, " +
        "or switch the account's SMS setting to “SMS API” (API settings → SMS settings).",
    };
  }
  if (typeof json.status === "string" && json.text === undefined) {
    return {
      kind: "ignored",
      code: "delivery_receipt",
      reason:
        `This is a Vonage Messages API status webhook (status “${json.status}”${uuid}), not an inbound message, so nothing was stored. ` +
        "Vonage sends statuses to the application's Status URL, which points at this number's inbound URL. To stop them, set the Status URL of the Messages application in the Vonage dashboard to your own handler.",
    };
  }
  if (typeof json.channel === "string" && json.channel !== "sms") {
    return {
      kind: "ignored",
      code: "not_inbound",
      reason:
        `This is a Vonage Messages API ${json.channel} message${uuid}, not an SMS, so nothing was stored. ` +
        "Moshi receives SMS only: link only SMS numbers to the Messages application whose Inbound URL is this one.",
    };
  }
  const result = vonageMessagesSchema.safeParse(json);
  if (!result.success) return { kind: "invalid", reason: `${describeIssues(result.error.issues, json)}: not a Vonage Messages API inbound SMS.` };
  const message: VonageMessagesInbound = result.data;
  const count = readCount(message.sms?.num_messages === undefined ? undefined : String(message.sms.num_messages));
  const price = message.usage?.price;
  return {
    kind: "parts",
    parts: [
      {
        providerMessageId: message.message_uuid,
        from: normalizeProviderAddress(message.from),
        to: normalizeProviderAddress(message.to),
        encoding: isGsm7Text(message.text) ? "GSM7" : "UCS2",
        payload: { format: "text", value: message.text },
        udhHex: null,
        providerKeyword: message.sms?.keyword || null,
        providerTimestamp: parseProviderTimestamp(message.timestamp),
        price: price !== undefined && message.usage?.currency ? { amount: String(price), currency: message.usage.currency } : null,
        callbackData: message.client_ref || null,
        smsCount: count,
        // Vonage joins the parts for the Messages API; num_messages says how many there were.
        concat: null,
      },
    ],
  };
}

function verifyMessagesApi(delivery: RawDelivery, secret: string, now: Date): VerifyResult {
  const authorization = delivery.headers.authorization ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
  if (!token) {
    return {
      ok: false,
      code: "signature_missing",
      // Vonage documents that it may, rarely, send an unsigned callback, and retries a 5xx.
      retry: true,
      reason:
        "Vonage Messages API signature missing: this number has a signature secret, so the webhook must carry Authorization: Bearer <JWT>, and this one does not. " +
        "Moshi answered 503, as Vonage advises for unsigned callbacks, so Vonage retries it signed.",
    };
  }
  const checked = verifyHs256(token, secret);
  if (!checked.ok) {
    return checked.problem === "mismatch"
      ? {
          ok: false,
          code: "signature_mismatch",
          reason: "The Messages API token's signature does not match this number's signature secret. Check the secret against the Vonage dashboard's API settings.",
        }
      : { ok: false, code: "signature_malformed", reason: `The Messages API token cannot be checked: ${checked.detail}.` };
  }
  const { claims } = checked;
  if (typeof claims.payload_hash !== "string") {
    return { ok: false, code: "signature_malformed", reason: "The Messages API token carries no payload_hash, so it does not vouch for this body. Vonage's tokens always do." };
  }
  if (!safeHexEqual(claims.payload_hash, payloadHash(delivery.body))) {
    return {
      ok: false,
      code: "signature_mismatch",
      reason: "The body does not match the payload_hash of its Messages API token: it was changed after Vonage signed it, or the token belongs to another request.",
    };
  }
  const age = typeof claims.iat === "number" && Number.isFinite(claims.iat) ? Math.floor(now.getTime() / 1000 - claims.iat) : null;
  if (age === null) return { ok: false, code: "signature_malformed", reason: "The Messages API token has no issue time (iat), so its freshness cannot be told." };
  if (age > MESSAGES_TOKEN_MAX_AGE_SECONDS || age < -CLOCK_SKEW_SECONDS) {
    return {
      ok: false,
      code: "signature_stale",
      reason: `The Messages API token was issued ${Math.abs(age)} seconds ${age < 0 ? "in the future" : "ago"}; Moshi accepts tokens up to a day old (Vonage's retry window) and at most 5 minutes ahead.`,
    };
  }
  return { ok: true, signed: true, signatureAgeSeconds: age };
}

function safeHexEqual(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase() && a.length === 64;
}

function readPayload(message: VonageInbound): Payload | null {
  if (message.type === "binary") return message.data === undefined ? null : { format: "binary-hex", value: message.data };
  return message.text === undefined ? null : { format: "text", value: message.text };
}

// Vonage drops or mangles concat fields on some routes; a part with unusable numbers is still
// a readable SMS on its own, so it is stored alone rather than refused.
function readConcat(message: VonageInbound): ConcatInfo | null {
  if (message.concat?.toLowerCase() !== "true") return null;
  const reference = readCount(message["concat-ref"]);
  const total = readCount(message["concat-total"]);
  const index = readCount(message["concat-part"]);
  if (reference === null || total === null || index === null) return null;
  if (reference > 0xffff || total === 0 || total > 255 || index === 0 || index > total) return null;
  return { reference, referenceBits: reference <= 0xff ? 8 : 16, total, index };
}

// Binary parts may carry their concatenation only inside the UDH.
function concatFromUdh(udh: string | undefined): ConcatInfo | null {
  if (!udh) return null;
  const parsed = parseUdh(udh);
  return parsed.ok ? parsed.concat : null;
}

function readCount(value: string | undefined): number | null {
  return value !== undefined && /^\d{1,6}$/.test(value.trim()) ? Number(value.trim()) : null;
}

function ageInSeconds(timestamp: string | undefined, now: Date): number | null {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp.trim())) return null;
  return Math.floor(now.getTime() / 1000) - Number(timestamp.trim());
}

/**
 * Explains an SMS API delivery receipt sent to the inbound URL, with what to change; null when
 * the request may be an inbound SMS. Shared by parse and verify so that they never disagree.
 */
function explainReceipt(params: Record<string, string>): string | null {
  const hasContent = params.text !== undefined || params.type !== undefined || params.data !== undefined;
  if (!hasContent && params.messageId && VONAGE_RECEIPT_FIELDS.some((field) => params[field] !== undefined)) {
    const status = params.status ? `status “${params.status}” ` : "";
    return (
      `This is a Vonage delivery receipt (${status}for message ${params.messageId}), not an inbound SMS, so nothing was stored. ` +
      "Vonage sends receipts for the messages you send to the account's Delivery receipts webhook URL, which points at this number's inbound URL. " +
      "To stop them, open the Vonage dashboard → API settings → SMS settings and set “Delivery receipts (DLR) webhooks” to your own receipt handler, or clear it."
    );
  }
  return null;
}

/**
 * The requests Vonage would send: SMS API parts (form, GET or JSON; concat fields when split,
 * `sig` when the number has a secret), or one Messages API request with a signed JWT.
 */
function simulateVonage(message: SimulatedMessage): SimulatedRequest[] {
  const now = message.now ?? new Date();
  const entropy = entropyFor(message);
  const credentials = vonageCredentialsSchema.safeParse(message.credentials ?? {});
  const secret = credentials.success ? credentials.data.signatureSecret : undefined;
  const method = credentials.success ? (credentials.data.signatureMethod ?? "MD5HASH") : "MD5HASH";
  const [from, to] = [digits(message.from), digits(message.to)];
  const unicode = !isGsm7Text(message.text);
  const format = message.format ?? "form";

  if (format === "messages") {
    const total = Math.max(1, message.parts ?? 1);
    const body = JSON.stringify({
      channel: "sms",
      message_uuid: entropy.uuid(),
      to,
      from,
      timestamp: now.toISOString(),
      text: message.text,
      sms: { num_messages: String(total), total_count: String(total), keyword: firstWord(message.text) },
      usage: { currency: "EUR", price: (0.0057 * total).toFixed(4) },
    });
    const headers: Record<string, string> = {};
    if (secret) {
      const claims = { iat: Math.floor(now.getTime() / 1000), jti: entropy.uuid(), iss: "Vonage", payload_hash: payloadHash(body), api_key: "a1b2c3d4" };
      headers.authorization = `Bearer ${signHs256(claims, secret)}`;
    }
    return [{ method: "POST", query: new URLSearchParams(), body, contentType: "application/json", headers, signed: Boolean(secret) }];
  }

  const chunks = splitCodeUnits(message.text, Math.max(1, message.parts ?? 1));
  const reference = entropy.int(256);
  return chunks.map((chunk, i) => {
    const params: Record<string, string> = {
      msisdn: from,
      to,
      messageId: entropy.hex(8).toUpperCase(),
      text: chunk,
      type: unicode ? "unicode" : "text",
      keyword: firstWord(chunk),
      "message-timestamp": now.toISOString().slice(0, 19).replace("T", " "),
      timestamp: String(Math.floor(now.getTime() / 1000)),
      nonce: entropy.uuid(),
      ...(chunks.length > 1 ? { concat: "true", "concat-ref": String(reference), "concat-total": String(chunks.length), "concat-part": String(i + 1) } : {}),
    };
    if (secret) params.sig = signVonageParams(params, secret, method);
    const request = format === "get" ? getRequest(params) : format === "json" ? jsonRequest(params) : formRequest(params);
    return { ...request, signed: Boolean(secret) };
  });
}
