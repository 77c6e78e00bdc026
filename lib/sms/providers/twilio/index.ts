/**
 * Twilio Programmable Messaging: the incoming message webhook ("A message comes in"), a form
 * POST by default or a GET with the same fields in the query string, one request per message
 * (Twilio joins long ones), signed with `X-Twilio-Signature` over the URL and the parameters.
 * Twilio expects TwiML back, and does not redeliver a message beyond one quick retry (then it
 * calls the number's fallback URL, if one is set).
 */
import { normalizeProviderAddress } from "@/lib/phone";
import { isGsm7Text } from "../../decode";
import { defineProvider, type InboundPart, type ParseResult, type RawDelivery } from "../../types";
import { describeIssues, readParams } from "../params";
import { LEGACY_SID_FIELDS, twilioCredentialsSchema, twilioInboundSchema, type TwilioCredentials } from "./schema";
import { verifyTwilioSignature } from "./signature";
import { simulateTwilio, TWILIO_FORMATS } from "./simulate";
import { twilioDemo } from "./demo";

const FORMAT_HINT =
  "Twilio sends an incoming message as a form POST (application/x-www-form-urlencoded), or a GET with the same fields in the query string, carrying MessageSid, From, To and Body.";

/** Empty TwiML: take the message and send no reply. Twilio logs error 11200 for an empty body. */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export const twilioAdapter = defineProvider<TwilioCredentials>({
  provider: "TWILIO",
  name: "Twilio",
  tone: "sky",
  colour: "#0ea5e9",
  pathSegments: ["twilio"],
  methods: ["POST", "GET"],
  setup:
    "In the Twilio Console, open Phone Numbers → Manage → Active numbers → your number → Messaging configuration and paste it as “A message comes in” (Webhook, HTTP POST); for a number in a Messaging Service, paste it in the service's Integration → “Send a webhook” instead.",
  exampleNumber: "+15005550006",
  credentials: twilioCredentialsSchema,
  credentialsHelp:
    "Twilio signs every webhook with the account's Auth Token (X-Twilio-Signature over the URL and the fields). With the token here, Moshi refuses requests that Twilio did not send. " +
    "Find it in the Twilio Console under Account Info → Auth Token; a number that belongs to a subaccount is signed with the subaccount's Auth Token. " +
    "Twilio signs the exact URL it calls, so MOSHI_PUBLIC_URL must be the origin of the webhook URL set in Twilio.",
  keptHeaders: ["x-twilio-", "i-twilio-", "x-home-region", "user-agent"],
  formats: TWILIO_FORMATS,
  acknowledge: { contentType: "text/xml", body: EMPTY_TWIML },
  explain: {
    format:
      "This URL expects Twilio's incoming message webhook. In the Twilio Console open Phone Numbers → Manage → Active numbers → your number → Messaging configuration, " +
      "and set “A message comes in” to Webhook, this URL, HTTP POST (or, for a number in a Messaging Service, the service's Integration → “Send a webhook”).",
    failures: {
      signature_missing:
        "Twilio signs every webhook, so a request without X-Twilio-Signature did not come from Twilio, or a proxy in front of Moshi dropped the header. If the number should not be checked, remove its Auth Token here.",
      signature_mismatch:
        "Paste the primary Auth Token of the account or subaccount that owns the number (Twilio Console → Account Info → Auth Token), and make sure MOSHI_PUBLIC_URL is the exact origin of the webhook URL set in Twilio: Twilio signs the URL it calls.",
      signature_malformed:
        "The X-Twilio-Signature (or X-Twilio-Webhooks-Signature-Settings) header is not one Twilio sends: the request did not come from Twilio, or a Webhooks Rule signs with an algorithm other than HMAC_SHA1 or HMAC_SHA256.",
      credentials_invalid: "Paste the Auth Token again from Twilio Console → Account Info → Auth Token.",
    },
  },

  parse(delivery: RawDelivery): ParseResult {
    const read = readParams(delivery);
    if (!read.ok) return { kind: "invalid", reason: `${read.reason} ${FORMAT_HINT}` };
    const params = read.params;

    const notAMessage = explainNonMessage(params);
    if (notAMessage) return { kind: "ignored", ...notAMessage };

    const legacySid = LEGACY_SID_FIELDS.map((field) => params[field]).find(Boolean);
    const input = params.MessageSid || !legacySid ? params : { ...params, MessageSid: legacySid };
    const result = twilioInboundSchema.safeParse(input);
    if (!result.success) {
      const none = Object.keys(params).length === 0 ? " The request carries no parameters at all." : "";
      return { kind: "invalid", reason: `${describeIssues(result.error.issues, input)}: not a Twilio incoming message.${none} ${FORMAT_HINT}` };
    }
    const message = result.data;

    const media = readCount(message.NumMedia) ?? 0;
    if (message.Body === undefined && media === 0) {
      return { kind: "invalid", reason: "Missing Body: Twilio sends a message's text in Body, which only a picture message (NumMedia above 0) may leave out." };
    }
    // A picture message without text is stored with empty text. The part has no place for
    // media: their URLs (MediaUrl0, MediaContentType0, …) stay in the stored raw request.
    const text = message.Body ?? "";

    const part: InboundPart = {
      providerMessageId: message.MessageSid,
      from: readAddress(message.From),
      to: readAddress(message.To),
      encoding: isGsm7Text(text) ? "GSM7" : "UCS2",
      payload: { format: "text", value: text },
      udhHex: null,
      providerKeyword: null,
      // Twilio's webhook carries no time of its own.
      providerTimestamp: null,
      price: null,
      callbackData: null,
      smsCount: readCount(message.NumSegments),
      // Twilio joins long messages before it calls; NumSegments says how many parts there were.
      concat: null,
    };
    return { kind: "parts", parts: [part] };
  },

  verify(delivery, { credentials }) {
    const token = credentials?.authToken;
    if (token === undefined || token === null) return { ok: true, signed: false, signatureAgeSeconds: null };
    return verifyTwilioSignature(delivery, token);
  },

  simulate: simulateTwilio,
  demo: twilioDemo,
});

function readCount(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,4}$/.test(value.trim())) return null;
  const count = Number(value.trim());
  return count > 0 ? count : null;
}

// An "sms:" channel prefix, should Twilio ever send one, names the channel this module reads.
function readAddress(address: string): string {
  return normalizeProviderAddress(address.trim().replace(/^sms:/i, ""));
}

/** Channel prefixes Twilio puts on From and To for messages that are not SMS. */
const CHANNEL = /^([A-Za-z][A-Za-z0-9-]{0,30}):/;

/**
 * Why a well-formed Twilio request is not an incoming SMS, with what to change in the Console;
 * null when it may be one.
 */
function explainNonMessage(params: Record<string, string>): { code: "delivery_receipt" | "not_inbound"; reason: string } | null {
  const sid = params.MessageSid ? ` for message ${abbreviate(params.MessageSid)}` : "";
  const status = params.MessageStatus ?? params.SmsStatus;
  if (status !== undefined && status.trim().toLowerCase() !== "received") {
    return {
      code: "delivery_receipt",
      reason:
        `This is a Twilio status callback (status “${abbreviate(status)}”${sid}), not an incoming message, so nothing was stored. ` +
        "Twilio sends status callbacks for the messages you send to the StatusCallback URL given when sending, or to the Messaging Service's status callback URL " +
        "(Messaging → Services → your service → Integration → Status callback URL), and one of them points at this number's inbound URL. " +
        "Point it at your own status handler, or clear it.",
    };
  }
  if (params.CallSid && !params.MessageSid) {
    return {
      code: "not_inbound",
      reason:
        `This is a Twilio voice webhook (call ${abbreviate(params.CallSid)}${params.CallStatus ? `, status “${abbreviate(params.CallStatus)}”` : ""}), not an incoming message, so nothing was stored. ` +
        "The number's Voice configuration (“A call comes in” or its call status callback) points at this number's inbound URL: " +
        "in Phone Numbers → Manage → Active numbers → your number → Voice configuration, set it to your voice handler instead.",
    };
  }
  if (params.EventType && !params.From) {
    return {
      code: "not_inbound",
      reason:
        `This is a Twilio Conversations event (EventType “${abbreviate(params.EventType)}”), not an incoming message webhook, so nothing was stored. ` +
        "A Conversations webhook (Conversations → Manage → Global webhooks, or the conversation service's webhook settings) points at this number's inbound URL; " +
        "point it elsewhere, and take the number out of the Conversations service's autocreate if Moshi should receive its SMS.",
    };
  }
  const channel = [params.From, params.To].map((address) => (address ? CHANNEL.exec(address.trim())?.[1]?.toLowerCase() : undefined)).find(Boolean);
  if (channel && channel !== "sms") {
    const label = CHANNEL_NAMES[channel] ?? `“${channel}”`;
    return {
      code: "not_inbound",
      reason:
        `This is a ${label} message${sid}, not an SMS (its From or To starts with “${channel}:”), so nothing was stored: Moshi keeps SMS only. ` +
        `Twilio sends ${label} messages to the sender's own incoming-message webhook (Messaging → Senders, or the Messaging Service the sender belongs to), which points at this number's inbound URL. ` +
        `Point that webhook at your ${label} handler instead.`,
    };
  }
  return null;
}

const CHANNEL_NAMES: Record<string, string> = { whatsapp: "WhatsApp", messenger: "Facebook Messenger", rcs: "RCS", apple: "Apple Messages for Business" };

// A hostile value quoted whole would bury the reason.
function abbreviate(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed;
}
