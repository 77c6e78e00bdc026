import { isGsm7Text } from "@/lib/sms/decode";
/**
 * Infobip inbound SMS forwarding. MO_JSON_2 posts a batch of messages, each already
 * reassembled by Infobip; the rare legacy forwarding sends one message as GET query parameters
 * under the same names. Number-level forwarding is not signed: the URL's token authenticates.
 */
import { normalizeProviderAddress } from "@/lib/phone";
import { z } from "zod";
import { defineProvider, MAX_MESSAGES_PER_DELIVERY, type InboundPart, type ParseResult, type RawDelivery, type SimulatedMessage, type SimulatedRequest } from "../../types";
import { describeIssues, isRecord, parseJsonObject, parseProviderTimestamp, readParams } from "../params";
import { digits, entropyFor, firstWord, jsonRequest } from "../simulation";
import { INFOBIP_REPORT_FIELDS, infobipInboundSchema, infobipQuerySchema, type InfobipQuery, type InfobipResult } from "./schema";
import { infobipDemo } from "./demo";

/** Reads an MO_JSON_2 batch (or one legacy GET message) into parts; never signed. */
export const infobipAdapter = defineProvider({
  provider: "INFOBIP",
  name: "Infobip",
  tone: "orange",
  colour: "#f97316",
  pathSegments: ["infobip"],
  methods: ["GET", "POST"],
  setup: "In Infobip, open Numbers → your number → Forwarding, choose “Forward to HTTP” and paste it.",
  exampleNumber: "+385921004026",
  credentials: z.object({}),
  credentialsHelp: "Infobip's number forwarding is not signed: the secret webhook URL is the credential.",
  keptHeaders: ["x-infobip-"],
  formats: ["json"],
  explain: {
    format:
      "Make sure the number forwards with “Forward to HTTP” in the MO_JSON_2 format (Numbers → your number → Forwarding), and that this URL is not used as a delivery report URL.",
    failures: {},
  },

  parse(delivery: RawDelivery): ParseResult {
    return delivery.method.toUpperCase() === "GET" ? parseQuery(delivery) : parseBatch(delivery.body);
  },

  verify() {
    return { ok: true, signed: false, signatureAgeSeconds: null };
  },

  simulate: simulateInfobip,
  demo: infobipDemo,
});

/** What Infobip would post: one MO_JSON_2 batch with the message already joined. */
function simulateInfobip(message: SimulatedMessage): SimulatedRequest[] {
  const now = message.now ?? new Date();
  const entropy = entropyFor(message);
  const { text } = message;
  const keyword = firstWord(text);
  return [
    jsonRequest({
      results: [
        {
          messageId: entropy.hex(9),
          from: digits(message.from),
          to: digits(message.to),
          text,
          cleanText: text.slice(keyword.length).trimStart(),
          keyword,
          receivedAt: now.toISOString().replace("Z", "+0000"),
          smsCount: Math.max(1, Math.ceil(text.length / (isGsm7Text(text) ? 153 : 67))),
          price: { pricePerMessage: 0, currency: "EUR" },
          callbackData: "moshi-test",
        },
      ],
      messageCount: 1,
      pendingMessageCount: 0,
    }),
  ];
}

function parseBatch(body: string): ParseResult {
  const json = parseJsonObject(body);
  if (!json) {
    return { kind: "invalid", reason: 'The body is not a JSON object. Infobip forwards inbound SMS as JSON (MO_JSON_2): {"results": [...]}.' };
  }
  const results = json.results;
  if (!Array.isArray(results)) {
    const keys = Object.keys(json).slice(0, 5).join(", ");
    return {
      kind: "invalid",
      reason: `Missing results: not an Infobip inbound SMS (MO_JSON_2 sends {"results": [...]})${keys ? `; the body has ${keys}` : ""}.`,
    };
  }
  if (results.length === 0) return { kind: "invalid", reason: "The Infobip payload has no messages (results is empty)." };
  // Checked before validating: a huge batch must cost no more than refusing it.
  if (results.length > MAX_MESSAGES_PER_DELIVERY) return { kind: "too-many", count: results.length };

  const report = explainReport(results);
  if (report) return { kind: "ignored", code: "delivery_receipt", reason: report };

  const parsed = infobipInboundSchema.safeParse(json);
  if (!parsed.success) return { kind: "invalid", reason: `${describeIssues(parsed.error.issues, json)}: not an Infobip inbound SMS.` };
  return { kind: "parts", parts: parsed.data.results.map(toPart) };
}

function parseQuery(delivery: RawDelivery): ParseResult {
  const read = readParams(delivery);
  if (!read.ok) return { kind: "invalid", reason: read.reason };
  const report = explainReport([read.params]);
  if (report) return { kind: "ignored", code: "delivery_receipt", reason: report };

  const parsed = infobipQuerySchema.safeParse(read.params);
  if (!parsed.success) {
    const none = Object.keys(read.params).length === 0 ? " The query string is empty; Infobip's usual forwarding is a JSON POST." : "";
    return { kind: "invalid", reason: `${describeIssues(parsed.error.issues, read.params)}: not an Infobip inbound SMS.${none}` };
  }
  return { kind: "parts", parts: [fromQuery(parsed.data)] };
}

function toPart(result: InfobipResult): InboundPart {
  const amount = result.price?.pricePerMessage;
  const currency = result.price?.currency;
  return {
    providerMessageId: result.messageId,
    from: normalizeProviderAddress(result.from),
    to: normalizeProviderAddress(result.to),
    encoding: isGsm7Text(result.text) ? "GSM7" : "UCS2",
    payload: { format: "text", value: result.text },
    udhHex: null,
    providerKeyword: result.keyword || null,
    providerTimestamp: parseProviderTimestamp(result.receivedAt),
    price: amount !== null && amount !== undefined && currency ? { amount: String(amount), currency } : null,
    callbackData: result.callbackData || null,
    smsCount: result.smsCount ?? null,
    // Infobip joins the parts itself; smsCount says how many there were.
    concat: null,
  };
}

function fromQuery(query: InfobipQuery): InboundPart {
  const amount = query.pricePerMessage ?? query.price;
  const smsCount = query.smsCount !== undefined && /^\d{1,4}$/.test(query.smsCount) ? Number(query.smsCount) : null;
  return toPart({
    ...query,
    smsCount,
    price: amount && query.currency ? { pricePerMessage: amount, currency: query.currency } : null,
  });
}

/**
 * Explains a delivery report (results with a status and no text) sent to the inbound URL;
 * null when the results may be messages.
 */
function explainReport(results: unknown[]): string | null {
  const isReport = (result: unknown) => isRecord(result) && result.text === undefined && INFOBIP_REPORT_FIELDS.some((field) => result[field] !== undefined);
  if (!results.every((result) => isRecord(result) && result.text === undefined) || !results.some(isReport)) return null;
  const first = results.find(isReport) as Record<string, unknown>;
  const status = isRecord(first.status) ? (first.status.groupName ?? first.status.name) : first.status;
  const about = [typeof status === "string" ? `status ${status}` : null, typeof first.messageId === "string" ? `message ${first.messageId}` : null]
    .filter(Boolean)
    .join(" for ");
  return (
    `This is an Infobip delivery report${about ? ` (${about})` : ""}, not an inbound SMS, so nothing was stored. ` +
    "Infobip sends reports to the notifyUrl given when a message is sent, or to the delivery report URL set for the account or application, and one of them points at this number's inbound URL. " +
    "Point that URL at your own report handler instead."
  );
}

