/**
 * Plivo incoming messages: the callback Plivo sends to the message URL of the application
 * linked to a number, as a form POST (or a GET query, by the application's message method).
 * Plivo joins long SMS before sending, so each request is one whole message, and the callback
 * carries no timestamp. Requests are signed (V3, or V2) with the account's Auth Token; see
 * `signature.ts`, and {@link plivoReplayKey} for what V2 leaves to the integrator.
 */
import { normalizeProviderAddress } from "@/lib/phone";
import { isGsm7Text } from "../../decode";
import { defineProvider, type InboundPart, type ParseResult, type RawDelivery } from "../../types";
import { describeIssues, readParams } from "../params";
import { PLIVO_STATUS_FIELDS, plivoCredentialsSchema, plivoInboundSchema, type PlivoCredentials, type PlivoInbound } from "./schema";
import { verifyPlivoSignature, type PlivoVerifyResult } from "./signature";
import { simulatePlivo } from "./simulate";

export { plivoReplayKey, type PlivoVerifyResult } from "./signature";

const FORMAT = "Plivo sends an incoming SMS as a form POST (or a query string when the application's message method is GET) with MessageUUID, From, To, Text and Type.";

export const plivoAdapter = defineProvider<PlivoCredentials>({
  provider: "PLIVO",
  name: "Plivo",
  tone: "neutral",
  colour: "#64748b",
  pathSegments: ["plivo"],
  methods: ["POST", "GET"],
  setup:
    "In the Plivo console, open Messaging → Applications, edit the application linked to the number (Phone Numbers → Your Numbers), paste it as the Message URL and keep the Message Method POST.",
  exampleNumber: "+12025550143",
  credentials: plivoCredentialsSchema,
  credentialsHelp:
    "Plivo signs every request it sends with the account's Auth Token (the X-Plivo-Signature-V3 or -V2 headers); with the token here, Moshi refuses requests Plivo did not sign for this URL. " +
    "Copy the Auth Token from the Plivo console's overview page (Account, next to the Auth ID). The main account's Auth Token works for every number, subaccounts' numbers included, because Plivo also signs with it in the X-Plivo-Signature-Ma headers; " +
    "a subaccount's own token works for that subaccount's numbers. Without a token, the secret in the URL is the only check.",
  keptHeaders: [
    "x-plivo-signature-v2",
    "x-plivo-signature-ma-v2",
    "x-plivo-signature-v2-nonce",
    "x-plivo-signature-v3",
    "x-plivo-signature-ma-v3",
    "x-plivo-signature-v3-nonce",
    "user-agent",
  ],
  formats: ["form", "get"],
  explain: {
    format:
      "Check in the Plivo console (Messaging → Applications) that this URL is the Message URL of the application linked to the number, and not its Answer, Hangup or Fallback URL, nor the url of messages you send. " +
      FORMAT,
    failures: {
      signature_missing:
        "Plivo adds X-Plivo-Signature-V3 (or -V2) headers to every request it sends. Make sure nothing between Plivo and Moshi (a proxy, a tunnel) drops X-Plivo-* headers, or remove the Auth Token from this number if the requests are not Plivo's.",
      signature_mismatch:
        "Enter the Auth Token from the Plivo console's overview page (the main account's token works for every number; a subaccount's token only for its own numbers), " +
        "and make sure the application's Message URL is exactly this number's URL (same scheme, host, port and path) and that MOSHI_PUBLIC_URL is the address Plivo calls: Plivo signs the URL.",
      signature_malformed:
        "The X-Plivo-Signature headers could not be read (a signature without its nonce, or not base64 HMAC-SHA256): something other than Plivo is calling this URL, or a proxy rewrites the headers.",
      credentials_invalid: "Enter the number's Plivo Auth Token again on the Numbers page: the stored value is not an Auth Token (an Auth ID, or unreadable).",
    },
  },

  parse(delivery: RawDelivery): ParseResult {
    const read = readParams(delivery);
    if (!read.ok) return { kind: "invalid", reason: `${read.reason} ${FORMAT}` };
    const { params } = read;

    const notAMessage = explainNonMessage(params);
    if (notAMessage) return { kind: "ignored", code: notAMessage.code, reason: notAMessage.reason };

    const result = plivoInboundSchema.safeParse(params);
    if (!result.success) {
      const none = Object.keys(params).length === 0 ? " The request carries no parameters at all." : "";
      return { kind: "invalid", reason: `${describeIssues(result.error.issues, params)}: not a Plivo incoming message.${none} ${FORMAT}` };
    }
    return readMessage(result.data);
  },

  verify(delivery, { credentials }): PlivoVerifyResult {
    if (!credentials || credentials.authToken === undefined) return { ok: true, signed: false, signatureAgeSeconds: null };
    return verifyPlivoSignature(delivery, credentials.authToken);
  },

  simulate: simulatePlivo,
});

function readMessage(message: PlivoInbound): ParseResult {
  const type = (message.Type ?? "sms").trim().toLowerCase() || "sms";
  if (type === "sms") {
    if (message.Text === undefined) return { kind: "invalid", reason: `Missing Text: a Plivo SMS (Type sms) carries its content in Text. ${FORMAT}` };
    return { kind: "parts", parts: [toPart(message, message.Text, readUnits(message.Units))] };
  }
  if (type === "mms") {
    // The text of an MMS is stored as a message; its media are not (the raw delivery keeps their URLs).
    const text = message.Text || message.Body;
    if (text) return { kind: "parts", parts: [toPart(message, text, null)] };
    const media = readUnits(message.MediaCount);
    return {
      kind: "ignored",
      code: "not_inbound",
      reason:
        `This is a Plivo MMS (MessageUUID ${abbreviate(message.MessageUUID)}) with ${media === null ? "media" : `${media} media file${media === 1 ? "" : "s"}`} and no text, so nothing was stored: Moshi stores the text of messages. ` +
        "The media URLs stay with this delivery. To receive MMS elsewhere, link the number to a Plivo application whose Message URL is your own MMS handler.",
    };
  }
  return {
    kind: "ignored",
    code: "not_inbound",
    reason:
      `This is a Plivo incoming message of Type “${abbreviate(message.Type ?? "")}” (MessageUUID ${abbreviate(message.MessageUUID)}), not an SMS, so nothing was stored. ` +
      "Plivo sends it to the Message URL of the application linked to the number that received it; to receive it elsewhere, link that number to an application whose Message URL is your own handler.",
  };
}

function toPart(message: PlivoInbound, text: string, smsCount: number | null): InboundPart {
  return {
    providerMessageId: message.MessageUUID,
    from: normalizeProviderAddress(message.From),
    to: normalizeProviderAddress(message.To),
    encoding: isGsm7Text(text) ? "GSM7" : "UCS2",
    payload: { format: "text", value: text },
    udhHex: null,
    providerKeyword: null,
    // The incoming message callback carries no time of its own.
    providerTimestamp: null,
    // TotalAmount is in the account's billing currency (USD, or INR for accounts billed in
    // India), which the callback does not name: no price rather than a wrong currency.
    price: null,
    callbackData: null,
    smsCount,
    // Plivo joins long messages itself; Units says how many parts there were.
    concat: null,
  };
}

function readUnits(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,4}$/.test(value.trim())) return null;
  const count = Number(value.trim());
  return count > 0 ? count : null;
}

/**
 * Why a well-formed Plivo request is not an incoming message, with what to change; null when
 * it may be one.
 */
function explainNonMessage(params: Record<string, string>): { code: "delivery_receipt" | "not_inbound"; reason: string } | null {
  if (params.CallUUID && !params.MessageUUID) {
    const event = params.Event ? `event ${abbreviate(params.Event)} ` : "";
    return {
      code: "not_inbound",
      reason:
        `This is a Plivo voice callback (${event}for call ${abbreviate(params.CallUUID)}), not an incoming message, so nothing was stored. ` +
        "This URL is set as an Answer, Hangup or other voice URL of a Plivo application; in the Plivo console, set it only as the application's Message URL (Messaging → Applications) and give the voice URLs a handler of their own.",
    };
  }
  const hasContent = params.Text !== undefined || params.Body !== undefined;
  if (!hasContent && params.MessageUUID && PLIVO_STATUS_FIELDS.some((field) => params[field] !== undefined)) {
    const status = params.Status ? `status “${abbreviate(params.Status)}” ` : "";
    return {
      code: "delivery_receipt",
      reason:
        `This is a Plivo message status callback (${status}for message ${abbreviate(params.MessageUUID)}), not an incoming message, so nothing was stored. ` +
        "Plivo sends status callbacks for the messages you send to the url given with each of them (the url parameter of the Send Message API, or the callbackUrl of a <Message> XML element), and that url is this number's inbound URL, which belongs only in the application's Message URL. " +
        "Send messages with url set to your own status handler, or without it.",
    };
  }
  if (params.MessageUUID && params.Type?.trim().toLowerCase() === "whatsapp") {
    return {
      code: "not_inbound",
      reason:
        `This is a Plivo WhatsApp message (MessageUUID ${abbreviate(params.MessageUUID)}), not an SMS, so nothing was stored. ` +
        "Plivo sends incoming WhatsApp messages to the Message URL of the application linked to the WhatsApp Business number, and that is this number's inbound URL; link the WhatsApp number to an application whose Message URL is your own WhatsApp handler.",
    };
  }
  return null;
}

// A reason quoting a whole hostile value would bury what it says.
function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
