/**
 * Vonage (formerly Nexmo) SMS API inbound webhooks: GET with a query string, or POST with a
 * form or JSON body (one official capture has no content type at all), optionally signed with
 * `sig`. Each request is one SMS or one part of a long one.
 */
import { normalizeProviderAddress } from "@/lib/phone";
import { parseUdh } from "../../udh";
import type { ConcatInfo, Encoding, InboundAdapter, InboundPart, ParseResult, Payload, RawDelivery, VerifyResult } from "../../types";
import { describeIssues, parseProviderTimestamp, readParams } from "../params";
import { VONAGE_RECEIPT_FIELDS, vonageInboundSchema, type VonageInbound } from "./schema";
import { isValidVonageSignature } from "./signature";

const ENCODINGS = { text: "GSM7", unicode: "UCS2", binary: "BINARY" } as const satisfies Record<VonageInbound["type"], Encoding>;

/**
 * Reads one Vonage SMS API webhook into one part. Receipts and Messages API payloads are
 * `ignored` with an explanation; verification applies only when the number has a secret.
 */
export const vonageAdapter: InboundAdapter = {
  provider: "VONAGE",
  methods: ["GET", "POST"],

  parse(delivery: RawDelivery): ParseResult {
    const read = readParams(delivery);
    if (!read.ok) return { kind: "invalid", reason: `${read.reason} Vonage sends inbound SMS as a query string (GET), a form body or JSON.` };
    const { params, json } = read;

    const notAMessage = explainNonMessage(params, json);
    if (notAMessage) return { kind: "ignored", reason: notAMessage };

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

  verify(delivery, { secret, method, now }): VerifyResult {
    if (!secret) return { ok: true, signed: false, signatureAgeSeconds: null };
    const read = readParams(delivery);
    const params = read.ok ? read.params : {};
    const sig = params.sig;
    if (!sig) {
      // Receipts and Messages API payloads are never stored as messages; refusing them would
      // only make Vonage retry for a day and hide the real explanation that parse gives.
      if (read.ok && explainNonMessage(read.params, read.json)) return { ok: true, signed: false, signatureAgeSeconds: null };
      const unreadable = read.ok ? "" : ` (${read.reason})`;
      return {
        ok: false,
        code: "signature_missing",
        reason:
          `Vonage signature missing: this number has a signature secret, so every webhook must carry a sig parameter, and this one has none${unreadable}. ` +
          "Turn on signed webhooks in the Vonage dashboard (API settings), or remove the secret from this number if signing is off on purpose.",
      };
    }
    if (!isValidVonageSignature(params, sig, secret, method ?? "MD5HASH")) {
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
};

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
 * Why a well-formed Vonage request is not an inbound SMS, with what to change; null when it may
 * be one. Shared by parse and verify so that they never disagree.
 */
function explainNonMessage(params: Record<string, string>, json: Record<string, unknown> | null): string | null {
  const keys = new Set(Object.keys(json ?? params));
  if (keys.has("message_uuid") || (keys.has("channel") && keys.has("message_type"))) {
    const uuid = params.message_uuid ? ` (message_uuid ${params.message_uuid})` : "";
    return (
      `This is a Vonage Messages API webhook${uuid}, not the SMS API inbound format this URL reads, so nothing was stored. ` +
      "Vonage sends this format when the account's default SMS setting is “Messages API” or the number is linked to a Messages application. " +
      "To receive it here, open the Vonage dashboard → API settings → SMS settings and choose “SMS API”, " +
      "then make sure this URL is the number's Inbound webhook URL (Numbers → Your numbers → edit) and that no Messages application handles the number."
    );
  }
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
