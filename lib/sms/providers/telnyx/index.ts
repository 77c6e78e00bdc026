/**
 * Telnyx Messaging (API v2) webhooks: a JSON POST per event, signed with Ed25519. The messaging
 * profile's webhook URL receives inbound messages (`message.received`) and also the status
 * events of messages sent from its numbers; only an inbound SMS (or an MMS's text) is stored.
 * Telnyx joins a long SMS itself: one event, `parts` segments.
 */
import type { z } from "zod";
import { normalizeProviderAddress } from "@/lib/phone";
import { isGsm7Text } from "../../decode";
import { defineProvider, type Encoding, type InboundPart, type ParseResult, type RawDelivery, type VerifyContext, type VerifyResult } from "../../types";
import { describeIssues, isRecord, parseJsonObject, parseProviderTimestamp } from "../params";
import {
  TELNYX_STATUS_EVENTS,
  telnyxCredentialsSchema,
  telnyxEventSchema,
  telnyxMessageSchema,
  type TelnyxCredentials,
  type TelnyxEvent,
  type TelnyxMessage,
} from "./schema";
import { decodePublicKey, decodeSignature, isValidTelnyxSignature, SIGNATURE_HEADER, TELNYX_TOLERANCE_SECONDS, TIMESTAMP_HEADER } from "./signature";
import { simulateTelnyx } from "./simulate";
import { telnyxDemo } from "./demo";

export { RFC8032_PUBLISHED_TEST_KEY } from "./signature";

const SHAPE = 'Telnyx sends inbound SMS as JSON: {"data": {"event_type": "message.received", "payload": {"id", "from", "to", "text", …}}}';
const PORTAL_PROFILE = "Telnyx portal → Messaging → Messaging Profiles → the number's profile";

export const telnyxAdapter = defineProvider<TelnyxCredentials>({
  provider: "TELNYX",
  name: "Telnyx",
  tone: "green",
  colour: "#10b981",
  pathSegments: ["telnyx"],
  methods: ["POST"],
  setup: "In the Telnyx portal, open Messaging → Messaging Profiles → the number's profile → Inbound and paste it as the webhook URL.",
  exampleNumber: "+13125550142",
  credentials: telnyxCredentialsSchema,
  credentialsHelp:
    "Telnyx signs every webhook with your account's Ed25519 key. Paste the account's public key (Telnyx portal → Keys & Credentials → Public Key) " +
    "and Moshi accepts only requests that Telnyx signed in the last five minutes. Without it, the URL's secret token alone authenticates requests. " +
    "The public key can only check signatures, so it is not secret.",
  keptHeaders: [SIGNATURE_HEADER, TIMESTAMP_HEADER, "user-agent"],
  formats: ["json"],
  explain: {
    format:
      "Telnyx Messaging API v2 posts JSON events ({\"data\": {\"event_type\": \"message.received\", …}}). " +
      `Check that this URL is the webhook URL of the number's messaging profile (${PORTAL_PROFILE}), that the profile sends API v2 webhooks, ` +
      "and that nothing between Telnyx and Moshi rewrites the request.",
    failures: {
      signature_missing:
        "Telnyx adds telnyx-signature-ed25519 and telnyx-timestamp headers to every webhook. A request without them did not come from Telnyx, " +
        "or passed through a proxy that drops headers: make the proxy pass them on.",
      signature_mismatch:
        "Check that the number's public key is the one under Keys & Credentials → Public Key in the Telnyx portal of the account that owns the number. " +
        "Telnyx signs the exact bytes it sends: a proxy that re-serialises the JSON breaks the signature.",
      signature_stale:
        "Telnyx signs each attempt with its sending time, and a signature more than 300 seconds from Moshi's clock is refused as a possible replay. " +
        "Check the server's clock (NTP); a request replayed later is refused on purpose.",
      signature_malformed:
        "telnyx-signature-ed25519 must be a base64 Ed25519 signature (64 bytes) and telnyx-timestamp Unix seconds, as Telnyx sends them: " +
        "something between Telnyx and Moshi changed these headers, or the request is not Telnyx's.",
      credentials_invalid:
        "The number's Telnyx public key must be the base64 of 32 bytes (44 characters ending in “=”): copy it again from Keys & Credentials → Public Key in the Telnyx portal.",
    },
  },
  parse,
  verify,
  simulate: simulateTelnyx,
  demo: telnyxDemo,
});

function parse(delivery: RawDelivery): ParseResult {
  const json = parseJsonObject(delivery.body);
  if (!json) return { kind: "invalid", reason: `${notJson(delivery.body)} ${SHAPE}.` };

  const legacy = explainLegacyFormat(json);
  if (legacy) return { kind: "ignored", code: "other_format", reason: legacy };

  // Real deliveries wrap the event in `data`; one rendering of Telnyx's callback reference shows
  // the event itself as the body, which is read the same way.
  const wrapped = isRecord(json.data);
  if (!wrapped && !("event_type" in json && "payload" in json)) {
    if (json.data !== undefined && json.data !== null) return { kind: "invalid", reason: `data is not an object: not a Telnyx webhook. ${SHAPE}.` };
    const keys = Object.keys(json).slice(0, 5).join(", ");
    return { kind: "invalid", reason: `Missing data: not a Telnyx webhook${keys ? ` (the body has ${keys})` : ""}. ${SHAPE}.` };
  }
  const eventInput = wrapped ? (json.data as Record<string, unknown>) : json;
  const prefix = wrapped ? ["data"] : [];
  const event = telnyxEventSchema.safeParse(eventInput);
  if (!event.success) return invalid(event.error.issues, prefix, json, "not a Telnyx webhook event");

  if (event.data.event_type !== "message.received") return explainOtherEvent(event.data);

  const payload = event.data.payload;
  if (!isRecord(payload)) {
    return { kind: "invalid", reason: `Missing ${[...prefix, "payload"].join(".")}: a Telnyx message.received event carries the message there. ${SHAPE}.` };
  }
  const notSms = explainNotSms(payload);
  if (notSms) return { kind: "ignored", code: "not_inbound", reason: notSms };

  const result = telnyxMessageSchema.safeParse(payload);
  if (!result.success) return invalid(result.error.issues, [...prefix, "payload"], json, "not a Telnyx inbound message");
  const message = result.data;

  const text = message.text;
  if (typeof text !== "string") {
    if (isMms(message)) return { kind: "ignored", code: "not_inbound", reason: explainMediaOnly(message) };
    return { kind: "invalid", reason: `Missing ${[...prefix, "payload", "text"].join(".")}: a Telnyx inbound SMS carries its content in text. ${SHAPE}.` };
  }
  // An MMS that is only a picture has an empty text: there is nothing to store.
  if (text === "" && isMms(message) && mediaCount(message) > 0) return { kind: "ignored", code: "not_inbound", reason: explainMediaOnly(message) };

  const to = pickRecipient(message.to);
  if (!to) {
    return { kind: "invalid", reason: `${[...prefix, "payload", "to"].join(".")} names no phone_number: a Telnyx inbound message lists our number as to[0].phone_number. ${SHAPE}.` };
  }

  const part: InboundPart = {
    // The message id, not the event id (data.id). The event id names one notification, and
    // Telnyx does not say whether a retry or a delivery to the failover URL keeps it; the
    // message id is the message's whatever carries it, so keying on it stores one message once
    // either way (keying on the event id would store it twice should a retry carry a new one).
    providerMessageId: message.id,
    from: normalizeProviderAddress(message.from.phone_number),
    to: normalizeProviderAddress(to),
    encoding: readEncoding(message.encoding, text),
    payload: { format: "text", value: text },
    udhHex: null,
    providerKeyword: null,
    providerTimestamp: readTimestamp(message.received_at) ?? readTimestamp(event.data.occurred_at),
    price: readCost(message.cost),
    callbackData: null,
    smsCount: readCount(message.parts),
    // Telnyx joins the segments itself; parts says how many there were.
    concat: null,
  };
  return { kind: "parts", parts: [part] };
}

function verify(delivery: RawDelivery, { credentials, now }: VerifyContext<TelnyxCredentials>): VerifyResult {
  const configured = credentials?.publicKey?.trim();
  if (!configured) return { ok: true, signed: false, signatureAgeSeconds: null };
  const key = decodePublicKey(configured);
  if (!key.ok) {
    return { ok: false, code: "credentials_invalid", reason: `This number's Telnyx public key cannot check signatures: ${key.reason} Edit the number and paste the key again.` };
  }

  // Telnyx signs every webhook it sends, status events included: nothing is let through unsigned.
  const signature = header(delivery, SIGNATURE_HEADER);
  const timestamp = header(delivery, TIMESTAMP_HEADER);
  if (!signature || !timestamp) {
    const missing = [!signature && SIGNATURE_HEADER, !timestamp && TIMESTAMP_HEADER].filter(Boolean).join(" and ");
    return {
      ok: false,
      code: "signature_missing",
      reason:
        `Telnyx signature missing: this number has a Telnyx public key, so every request must carry the ${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER} headers Telnyx adds to its webhooks, and this one has no ${missing}. ` +
        "Telnyx always sends them: the request came from elsewhere, or a proxy in front of Moshi dropped them.",
    };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return {
      ok: false,
      code: "signature_malformed",
      reason: `${TIMESTAMP_HEADER} is “${abbreviate(timestamp)}”; Telnyx sends the Unix time in seconds (e.g. 1548267003). Something between Telnyx and Moshi changed it, or the request is not Telnyx's.`,
    };
  }
  const decoded = decodeSignature(signature);
  if (!decoded) {
    return {
      ok: false,
      code: "signature_malformed",
      reason: `${SIGNATURE_HEADER} is not a base64 Ed25519 signature (64 bytes, 88 characters ending in “==”), as Telnyx sends. Something between Telnyx and Moshi changed it, or the request is not Telnyx's.`,
    };
  }
  // The signature first: a stale request that is not Telnyx's is a mismatch, not a late one.
  if (!isValidTelnyxSignature(key.key, timestamp, delivery.body, decoded)) {
    return {
      ok: false,
      code: "signature_mismatch",
      reason:
        `The ${SIGNATURE_HEADER} signature does not match this number's Telnyx public key over ${TIMESTAMP_HEADER} “|” body. ` +
        "Check that the key is the one under Keys & Credentials → Public Key in the Telnyx portal of the account that owns the number; " +
        "a proxy that re-serialises the JSON body also breaks the signature, since Telnyx signs the exact bytes it sends.",
    };
  }
  const age = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (!Number.isFinite(age) || Math.abs(age) > TELNYX_TOLERANCE_SECONDS) {
    const when = !Number.isFinite(age) ? "at an unknown time" : age > 0 ? `${age} seconds ago` : `${-age} seconds in the future`;
    return {
      ok: false,
      code: "signature_stale",
      reason:
        `The Telnyx signature is genuine but was made ${when} (${TIMESTAMP_HEADER} ${timestamp}); Telnyx's own libraries accept at most ${TELNYX_TOLERANCE_SECONDS} seconds either way, ` +
        "since an old signed request may be a replay. Telnyx signs every attempt afresh: if real deliveries are refused, check the server's clock (NTP).",
    };
  }
  return { ok: true, signed: true, signatureAgeSeconds: age };
}

function header(delivery: RawDelivery, name: string): string | null {
  const value = Object.hasOwn(delivery.headers, name) ? delivery.headers[name] : undefined;
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function invalid(issues: readonly z.core.$ZodIssue[], prefix: string[], input: unknown, what: string): ParseResult {
  const placed = issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] }));
  return { kind: "invalid", reason: `${describeIssues(placed, input)}: ${what}. ${SHAPE}.` };
}

function notJson(body: string): string {
  const trimmed = body.trim();
  if (trimmed === "") return "The body is empty.";
  if (/^[^\s=&{[][^\s]*=/.test(trimmed)) {
    return "The body is a form, not JSON; Telnyx API v2 webhooks are JSON, so check that the messaging profile's webhook API version is 2 (not 1 or the legacy 2010-04-01 format).";
  }
  return "The body is not a JSON object.";
}

/**
 * A messaging profile can still send Telnyx's API v1 webhook format (flat, with `sms_id`),
 * which this URL does not read.
 */
function explainLegacyFormat(json: Record<string, unknown>): string | null {
  if (json.data !== undefined || json.sms_id === undefined) return null;
  return (
    "This is a Telnyx API v1 messaging webhook (it has sms_id), not the API v2 event this URL reads, so nothing was stored. " +
    `Telnyx sends this format when the messaging profile's webhook API version is 1: open ${PORTAL_PROFILE} and set it to API v2.`
  );
}

/** Any event but `message.received`: a sent message's status, or something else entirely. */
function explainOtherEvent(event: TelnyxEvent): ParseResult {
  const payload = isRecord(event.payload) ? event.payload : {};
  const type = abbreviate(event.event_type);
  if ((TELNYX_STATUS_EVENTS as readonly string[]).includes(event.event_type)) {
    const recipient = Array.isArray(payload.to) && isRecord(payload.to[0]) ? payload.to[0] : {};
    const facts = [
      typeof recipient.status === "string" ? `status ${abbreviate(recipient.status)}` : null,
      typeof payload.id === "string" ? `message ${abbreviate(payload.id)}` : null,
    ].filter(Boolean);
    return {
      kind: "ignored",
      code: "delivery_receipt",
      reason:
        `This is a Telnyx ${type} event${facts.length ? ` (${facts.join(", ")})` : ""}: a status update for a message sent from one of your numbers, not an inbound SMS, so nothing was stored. ` +
        "Telnyx sends a sent message's status events to the webhook URL given when it was sent, or else to the webhook URL of the sending number's messaging profile, which is this URL. " +
        `To keep them away, send with webhook_url set to your own status handler and use_profile_webhooks false, or send from a number on a messaging profile whose webhook URL is your own handler (${PORTAL_PROFILE}).`,
    };
  }
  return {
    kind: "ignored",
    code: "not_inbound",
    reason:
      `This is a Telnyx ${type} event, not an inbound SMS (message.received), so nothing was stored. ` +
      "Telnyx sends it here because this URL is set as a webhook URL for it in the Telnyx portal (a messaging profile's, or another product's). " +
      "Only message.received events belong here: point the other webhook at your own handler.",
  };
}

/** A `message.received` that is not an inbound SMS or MMS: null when it may be one. */
function explainNotSms(payload: Record<string, unknown>): string | null {
  const id = typeof payload.id === "string" ? ` (message ${abbreviate(payload.id)})` : "";
  const direction = payload.direction;
  if (direction !== undefined && direction !== null && (typeof direction !== "string" || direction.toLowerCase() !== "inbound")) {
    return (
      `This Telnyx message.received event${id} is for a message whose direction is “${abbreviate(String(direction))}”, not inbound, so nothing was stored. ` +
      `Only messages received by the number belong here; check the webhook URLs of ${PORTAL_PROFILE} and those given when sending.`
    );
  }
  const type = payload.type;
  if (type === undefined || type === null || (typeof type === "string" && ["SMS", "MMS"].includes(type.toUpperCase()))) return null;
  return (
    `This Telnyx message.received event${id} is a ${abbreviate(String(type))} message, not an SMS, so nothing was stored. ` +
    `Moshi stores SMS (and the text of MMS); send other channels' messages to another webhook URL (${PORTAL_PROFILE}, or the channel's own settings).`
  );
}

function isMms(message: TelnyxMessage): boolean {
  return typeof message.type === "string" && message.type.toUpperCase() === "MMS";
}

function mediaCount(message: TelnyxMessage): number {
  return Array.isArray(message.media) ? message.media.length : 0;
}

function explainMediaOnly(message: TelnyxMessage): string {
  const count = mediaCount(message);
  return (
    `This Telnyx MMS (message ${abbreviate(message.id)}) has ${count === 1 ? "1 attachment" : `${count} attachments`} and no text. ` +
    "Moshi stores the text of messages, so nothing was stored; the media URLs are in this delivery's raw body."
  );
}

/**
 * Our number among the recipients. There is one in every example; should a group message list
 * several, the one whose status says this webhook was delivered for it is ours, else the first.
 */
function pickRecipient(to: unknown[]): string | null {
  const numbers: { phone: string; status: unknown }[] = [];
  for (const entry of to.slice(0, 50)) {
    if (isRecord(entry) && typeof entry.phone_number === "string" && entry.phone_number.trim() !== "") {
      numbers.push({ phone: entry.phone_number, status: entry.status });
    }
  }
  return (numbers.find((entry) => entry.status === "webhook_delivered") ?? numbers[0])?.phone ?? null;
}

/** Telnyx names the encoding (`GSM-7`, `UCS-2`); anything else is judged by the text. */
function readEncoding(value: unknown, text: string): Encoding {
  const name = typeof value === "string" ? value.toUpperCase().replace(/[^A-Z0-9]/g, "") : "";
  if (name === "GSM7") return "GSM7";
  if (name === "UCS2" || name === "UTF16") return "UCS2";
  return isGsm7Text(text) ? "GSM7" : "UCS2";
}

function readTimestamp(value: unknown): Date | null {
  return typeof value === "string" ? parseProviderTimestamp(value) : null;
}

function readCount(value: unknown): number | null {
  const count = typeof value === "string" && /^\d{1,4}$/.test(value.trim()) ? Number(value) : value;
  return typeof count === "number" && Number.isInteger(count) && count >= 1 && count <= 9999 ? count : null;
}

/** `cost: {amount, currency}`: the amount as a string whether Telnyx sent a string or a number. */
function readCost(cost: unknown): InboundPart["price"] {
  if (!isRecord(cost)) return null;
  const { amount, currency } = cost;
  if (typeof currency !== "string" || currency.trim() === "") return null;
  if (typeof amount === "string" && /^-?\d+(\.\d+)?$/.test(amount.trim())) return { amount: amount.trim(), currency: currency.trim() };
  if (typeof amount === "number" && Number.isFinite(amount)) return { amount: plainDecimal(amount), currency: currency.trim() };
  return null;
}

// String(1e-7) is "1e-7"; a price is written out in digits.
function plainDecimal(value: number): string {
  return value.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 });
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
