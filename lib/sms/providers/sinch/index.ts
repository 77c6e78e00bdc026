/**
 * Sinch SMS REST API inbound (MO) callbacks: a JSON POST per inbound message to the service
 * plan's callback URL. Text arrives whole (`mo_text`, up to 2000 characters); binary messages
 * arrive one part per callback (`mo_binary`, base64 octets with a hex UDH) and are joined by
 * Moshi from the UDH; MMS (`mo_media`) is stored by its text. Callbacks are unsigned unless
 * Sinch has set up HMAC signing for the account: then a number holds the signing secret.
 */
import { isGsm7Text } from "@/lib/sms/decode";
import { normalizeProviderAddress } from "@/lib/phone";
import { parseUdh } from "../../udh";
import { defineProvider, type InboundPart, type ParseResult, type RawDelivery, type VerifyContext, type VerifyResult } from "../../types";
import { describeIssues, isRecord, MAX_PARAMS, parseJsonObject, parseProviderTimestamp } from "../params";
import {
  SINCH_MO_SCHEMAS,
  SINCH_MO_TYPES,
  SINCH_REPORT_TYPE,
  sinchCredentialsSchema,
  type SinchCredentials,
  type SinchMo,
  type SinchMoBinary,
  type SinchMoMedia,
  type SinchMoType,
} from "./schema";
import { ALGORITHM_HEADER, isValidSinchSignature, NONCE_HEADER, readSignature, SIGNATURE_HEADER, SINCH_ALGORITHM, TIMESTAMP_HEADER } from "./signature";
import { SINCH_FORMATS, simulateSinch } from "./simulate";

/**
 * How old a valid signature may be. Sinch retries a failed callback with doubling pauses from
 * 5 s, the last "81920 seconds (or 22 hours 45 minutes) after the initial failed attempt"; read
 * as pauses between attempts, the same schedule spans 45 h 31 min. Whether a retry is signed
 * again or carries the first signature is not documented, so the window covers the longer
 * reading with room for a queue before the first attempt: a retry is never refused for its
 * age. A replay inside the window gains nothing: a message is stored once per Sinch id.
 */
export const MAX_SIGNATURE_AGE_SECONDS = 48 * 3600;

/** How far ahead of Moshi's clock a signature may be: clock drift, never a real callback. */
export const MAX_SIGNATURE_AHEAD_SECONDS = 3600;

const SIGNATURE_HEADERS = [SIGNATURE_HEADER, ALGORITHM_HEADER, NONCE_HEADER, TIMESTAMP_HEADER] as const;

const CALLBACK_URLS = "the Sinch dashboard → SMS → Service APIs → your service plan → Callback URLs";

const FORMAT = 'Sinch posts inbound SMS as JSON: {"type": "mo_text" or "mo_binary", "id", "from", "to", "body", "received_at", …}.';

export const sinchAdapter = defineProvider<SinchCredentials>({
  provider: "SINCH",
  name: "Sinch",
  tone: "amber",
  colour: "#eab308",
  pathSegments: ["sinch"],
  methods: ["POST"],
  setup: "In the Sinch dashboard, open SMS → Service APIs → your service plan → Callback URLs, and paste it as the Incoming URL.",
  exampleNumber: "+46701740642",
  credentials: sinchCredentialsSchema,
  credentialsHelp:
    "Sinch does not sign SMS callbacks unless your account manager sets up signing, so by default the secret token in this number's URL is what shows a callback came from Sinch: keep the URL private. " +
    "If Sinch signs your service plan's callbacks (x-sinch-webhook-signature headers, HMAC-SHA256), enter the signing secret agreed with Sinch: Moshi then refuses callbacks that are unsigned, altered, or signed more than 48 hours ago.",
  keptHeaders: [...SIGNATURE_HEADERS, "user-agent"],
  formats: SINCH_FORMATS,
  explain: {
    format:
      `Sinch's inbound callbacks are JSON objects with a type (mo_text, mo_binary or mo_media), id, from, to and body. Check that this URL is the Incoming URL in ${CALLBACK_URLS}, ` +
      "and that nothing else (another system, a test tool) posts to it.",
    failures: {
      signature_missing:
        "This number has a Sinch signing secret, but the callback carried no x-sinch-webhook-signature header. Sinch signs SMS callbacks only when your account manager has set it up for the service plan: " +
        "ask them to turn it on, or remove the secret from this number if your callbacks are unsigned.",
      signature_mismatch:
        "The signature does not match this number's signing secret: set the secret again exactly as agreed with Sinch (no spaces). " +
        "If the secret is right, something between Sinch and Moshi changed the body, or the request did not come from Sinch.",
      signature_stale:
        "The signature's timestamp (x-sinch-webhook-signature-timestamp) is more than 48 hours old or more than an hour ahead of Moshi's clock, which none of Sinch's retries is. " +
        "Check the server's clock; if the callback is genuine, accept it from the delivery log.",
      signature_malformed:
        "The x-sinch-webhook-signature headers are incomplete or unreadable: Sinch sends four (signature, algorithm HmacSHA256, nonce and a Unix timestamp). " +
        "A proxy between Sinch and Moshi may drop or rewrite headers; otherwise the request did not come from Sinch.",
      credentials_invalid: "This number's Sinch signing secret is not usable text: set it again on the Numbers page.",
    },
  },
  parse,
  verify,
  simulate: simulateSinch,
});

/**
 * Reads one Sinch callback: an inbound message becomes one part; a delivery report, or an MMS
 * with no text, is ignored with what to change. Never throws.
 */
function parse(delivery: RawDelivery): ParseResult {
  const json = parseJsonObject(delivery.body);
  if (!json) return invalid(`The body is not a JSON object. ${FORMAT}`);
  const fields = Object.keys(json).length;
  if (fields > MAX_PARAMS) return invalid(`The body has ${fields} fields; a Sinch callback has about ten, so it was not read further.`);

  const report = explainReport(json);
  if (report) return { kind: "ignored", code: "delivery_receipt", reason: report };

  const type = json.type;
  if (type === undefined || type === null || type === "") return invalid(`Missing type: not a Sinch inbound callback. ${FORMAT}`);
  if (!isMoType(type)) {
    const shown = typeof type === "string" ? type : JSON.stringify(type);
    return invalid(`type "${abbreviate(shown)}" is not one of Sinch's inbound types (mo_text, mo_binary, mo_media). ${FORMAT}`);
  }

  const parsed = SINCH_MO_SCHEMAS[type].safeParse(json);
  if (!parsed.success) return invalid(`${describeIssues(parsed.error.issues, json)}: not a Sinch ${type} callback. ${FORMAT}`);
  const message = parsed.data;
  switch (message.type) {
    case "mo_text":
      return onePart(message, { encoding: textEncoding(message.body), payload: { format: "text", value: message.body }, udhHex: null, concat: null });
    case "mo_binary":
      return parseBinary(message);
    case "mo_media":
      return parseMedia(message);
  }
}

/**
 * A binary part: base64 octets and a hex UDH whose concatenation element places the part in its
 * message, as the SMS carried it. A UDH that cannot be read leaves the part unplaceable, so the
 * callback is refused with the reason (and kept in the delivery log) rather than stored as if
 * it were a whole message.
 */
function parseBinary(message: SinchMoBinary): ParseResult {
  const octets = decodeBase64(message.body);
  const udh = (message.udh ?? "").trim();
  const header = readUdh(udh);
  if (octets === null || !header.ok) {
    const problems = [
      octets === null ? `The body "${abbreviate(message.body)}" is not base64.` : null,
      header.ok ? null : header.reason,
    ].filter(Boolean);
    return invalid(
      `${problems.join(" ")} A Sinch mo_binary callback carries the part's octets in base64 in body (such as "VGhpcyBpcyB0aGUgU01TIGJvZHk=") and its User Data Header as hex in udh, ` +
        'length byte first (such as "050003CC0201" for part 1 of 2); without them the part cannot be read or placed in its message.',
    );
  }
  return onePart(message, {
    encoding: "BINARY",
    payload: { format: "binary-hex", value: octets.toString("hex").toUpperCase() },
    udhHex: udh === "" ? null : udh,
    concat: header.concat,
  });
}

/**
 * The UDH as parseUdh reads it; when that fails, the same bytes read with a length byte put in
 * front, in case a header arrives without its own (Sinch does not say whether udh includes it;
 * its examples do), taken only when that yields a concatenation element. Otherwise the reason
 * for the header as sent is the one reported.
 */
function readUdh(udh: string): ReturnType<typeof parseUdh> {
  const parsed = parseUdh(udh);
  if (parsed.ok || udh.length === 0 || udh.length > 508 || udh.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(udh)) return parsed;
  const withLength = parseUdh((udh.length / 2).toString(16).padStart(2, "0") + udh);
  return withLength.ok && withLength.concat ? withLength : parsed;
}

/**
 * An MMS: stored as its text (subject, then message) so that what the sender wrote reaches the
 * inbox; the media links stay in the delivery's raw body. An MMS with no text has nothing Moshi
 * can store and is ignored with an explanation.
 */
function parseMedia(message: SinchMoMedia): ParseResult {
  const body = message.body;
  const pieces = typeof body === "string" ? [body] : [body.subject ?? "", body.message ?? ""];
  const text = pieces.filter((piece) => piece.trim() !== "").join("\n");
  if (text === "") {
    const count = typeof body === "string" ? 0 : (body.media?.length ?? 0);
    const media = count === 0 ? "no media either" : `only ${count === 1 ? "a media file" : `${count} media files`}`;
    return {
      kind: "ignored",
      code: "not_inbound",
      reason:
        `This is a Sinch MMS (mo_media ${abbreviate(message.id)}) with no text and ${media}, so nothing was stored: Moshi stores the text of inbound messages, and the media links stay in this delivery's raw body. ` +
        "Sinch sends MMS to the service plan's callback URL when MMS is enabled for it, which your Sinch account manager does; ask them to turn it off if this number should receive SMS only.",
    };
  }
  return onePart(message, { encoding: textEncoding(text), payload: { format: "text", value: text }, udhHex: null, concat: null });
}

function onePart(message: SinchMo, content: Pick<InboundPart, "encoding" | "payload" | "udhHex" | "concat">): ParseResult {
  const part: InboundPart = {
    providerMessageId: message.id,
    from: normalizeProviderAddress(message.from),
    to: normalizeProviderAddress(message.to),
    encoding: content.encoding,
    payload: content.payload,
    udhHex: content.udhHex,
    providerKeyword: null,
    // When Sinch received it; sent_at is the handset's clock, when the operator passes it on.
    providerTimestamp: typeof message.received_at === "string" ? parseProviderTimestamp(message.received_at) : null,
    price: null,
    callbackData: message.client_reference || null,
    smsCount: null,
    concat: content.concat,
  };
  return { kind: "parts", parts: [part] };
}

/** Checks the x-sinch-webhook-signature headers when the number has a signing secret. Never throws. */
function verify(delivery: RawDelivery, { credentials, now }: VerifyContext<SinchCredentials>): VerifyResult {
  const secret: unknown = credentials?.signingSecret;
  if (secret === undefined || secret === null || secret === "") return { ok: true, signed: false, signatureAgeSeconds: null };
  if (typeof secret !== "string") {
    return { ok: false, code: "credentials_invalid", reason: "This number's Sinch signing secret is not text, so no signature can be checked: set it again on the Numbers page." };
  }

  const signature = header(delivery, SIGNATURE_HEADER);
  if (signature === null) {
    // Sinch signs every callback of a service plan once signing is on, delivery reports
    // included (its only published vector signs one), so none is let through unsigned.
    const others = SIGNATURE_HEADERS.filter((name) => name !== SIGNATURE_HEADER && header(delivery, name) !== null);
    const partial = others.length > 0 ? ` (it has ${others.join(", ")}, so a proxy may have dropped the signature itself)` : "";
    return {
      ok: false,
      code: "signature_missing",
      reason:
        `Sinch signature missing: this number has a signing secret, so every callback must carry an x-sinch-webhook-signature header, and this one has none${partial}. ` +
        "Sinch signs SMS callbacks only once your account manager has set up signing for the service plan: ask them to, or remove the secret from this number if your callbacks are unsigned.",
    };
  }

  const algorithm = header(delivery, ALGORITHM_HEADER);
  // Absent, it can only mean HmacSHA256, the one algorithm Sinch uses: the HMAC still decides.
  if (algorithm !== null && algorithm.toLowerCase() !== SINCH_ALGORITHM.toLowerCase()) {
    return malformed(`x-sinch-webhook-signature-algorithm is "${abbreviate(algorithm)}", and Sinch signs with ${SINCH_ALGORITHM} only, so this signature cannot be checked.`);
  }
  const nonce = header(delivery, NONCE_HEADER);
  const timestamp = header(delivery, TIMESTAMP_HEADER);
  if (nonce === null || timestamp === null) {
    const missing = [nonce === null ? NONCE_HEADER : null, timestamp === null ? TIMESTAMP_HEADER : null].filter(Boolean).join(" and ");
    return malformed(`The Sinch signature cannot be checked without ${missing}: Sinch signs the body together with the nonce and timestamp it sends beside the signature. A proxy may have dropped them.`);
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return malformed(`x-sinch-webhook-signature-timestamp is "${abbreviate(timestamp)}", not the Unix time in seconds that Sinch sends, so the signature cannot be checked.`);
  }
  const presented = readSignature(signature);
  if (presented === null) {
    return malformed(
      `x-sinch-webhook-signature is "${abbreviate(signature)}", not a base64 HMAC-SHA256 (44 characters, such as "ZoHei66PPN/kZjw7hFVfGhJOnml3iGNCMWoyQVcE5o0="), so it cannot be checked.`,
    );
  }
  if (!isValidSinchSignature(presented, delivery.body, secret, nonce, timestamp)) {
    return {
      ok: false,
      code: "signature_mismatch",
      reason:
        "The Sinch signature (x-sinch-webhook-signature) does not match this number's signing secret. " +
        "Check that the secret here is exactly the one agreed with Sinch for this service plan; if it is, the body was changed on the way or the request did not come from Sinch.",
    };
  }

  const age = ageInSeconds(timestamp, now);
  if (age !== null && (age > MAX_SIGNATURE_AGE_SECONDS || age < -MAX_SIGNATURE_AHEAD_SECONDS)) {
    const when = age > 0 ? `${describeDuration(age)} ago` : `${describeDuration(-age)} ahead of Moshi's clock`;
    return {
      ok: false,
      code: "signature_stale",
      reason:
        `The Sinch signature is valid but was made ${when} (x-sinch-webhook-signature-timestamp ${timestamp}). ` +
        "Moshi accepts signatures up to 48 hours old, which covers every retry Sinch makes, and up to an hour ahead for clock drift. " +
        "Check this server's clock; a genuine callback can be accepted from the delivery log.",
    };
  }
  return { ok: true, signed: true, signatureAgeSeconds: age };
}

/**
 * Explains a delivery report posted to the inbound URL (Sinch sends them to the same callback
 * URLs as inbound messages); null for anything else.
 */
function explainReport(json: Record<string, unknown>): string | null {
  const type = json.type;
  if (typeof type !== "string" || !SINCH_REPORT_TYPE.test(type)) return null;
  const status = typeof json.status === "string" ? json.status : firstStatus(json.statuses);
  const about = [type, status ? `status ${abbreviate(status)}` : null, typeof json.batch_id === "string" ? `batch ${abbreviate(json.batch_id)}` : null]
    .filter(Boolean)
    .join(", ");
  return (
    `This is a Sinch delivery report (${about}), not an inbound SMS, so nothing was stored. ` +
    "Sinch reports on the batches you send with delivery_report set (summary, full, per_recipient or per_recipient_final) to the batch's callback_url, or else to the service plan's Default or Outgoing URL, and one of them is this number's inbound URL. " +
    `To stop them here, open ${CALLBACK_URLS}, keep this URL as the Incoming URL only and put your own report handler (or nothing) in the Default and Outgoing URLs; ` +
    'send batches with your own callback_url, or with delivery_report "none" if you do not need reports.'
  );
}

function firstStatus(statuses: unknown): string | null {
  if (!Array.isArray(statuses)) return null;
  const first: unknown = statuses[0];
  return isRecord(first) && typeof first.status === "string" ? first.status : null;
}

function isMoType(type: unknown): type is SinchMoType {
  return typeof type === "string" && (SINCH_MO_TYPES as readonly string[]).includes(type);
}

function textEncoding(text: string): "GSM7" | "UCS2" {
  return isGsm7Text(text) ? "GSM7" : "UCS2";
}

/** Strict base64 (either alphabet, padding optional, line breaks allowed): the octets, or null. */
function decodeBase64(body: string): Buffer | null {
  // MIME encoders wrap lines, and one of Sinch's SDK examples ends its base64 with "\n".
  const compact = body.replace(/[\r\n]+/g, "");
  if (compact.length % 4 === 1 || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) return null;
  if (compact.includes("=") && compact.length % 4 !== 0) return null;
  return Buffer.from(compact.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

/** A header's value as sent (lower-case name), trimmed; null when absent or empty. */
function header(delivery: RawDelivery, name: string): string | null {
  const headers: unknown = delivery.headers;
  if (!isRecord(headers) || !Object.hasOwn(headers, name)) return null;
  const value = headers[name];
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

function ageInSeconds(timestamp: string, now: Date): number | null {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  return Number.isFinite(nowSeconds) ? nowSeconds - Number(timestamp) : null;
}

function describeDuration(seconds: number): string {
  if (seconds >= 2 * 86_400) return `${Math.floor(seconds / 86_400)} days`;
  if (seconds >= 2 * 3600) return `${Math.floor(seconds / 3600)} hours`;
  return `${Math.floor(seconds / 60)} minutes`;
}

function malformed(reason: string): VerifyResult {
  return { ok: false, code: "signature_malformed", reason };
}

function invalid(reason: string): ParseResult {
  return { kind: "invalid", reason };
}

// Keeps reasons short when a whole body lands in one field.
function abbreviate(value: string): string {
  return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}
