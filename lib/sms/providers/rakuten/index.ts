/**
 * Rakuten CPaaS inbound (MO) SMS: a JSON POST per SMS part, concatenation signalled only in the
 * UDH. Rakuten's optional header signing (`x-api-signature` and friends) is documented without
 * the exact string to sign, so it is not verified here; the headers stay with the stored raw
 * delivery until the full specification is at hand. The URL's token authenticates meanwhile.
 */
import { z } from "zod";
import { normalizeProviderAddress } from "@/lib/phone";
import { parseUdh } from "../../udh";
import { isGsm7Text } from "../../decode";
import { defineProvider, type Encoding, type ParseResult, type Payload, type RawDelivery, type SimulatedMessage, type SimulatedRequest } from "../../types";
import { describeIssues, parseJsonObject } from "../params";
import { digits, entropyFor, hex2, jsonRequest, splitCodeUnits, utf16Hex } from "../simulation";
import { rakutenInboundSchema, type RakutenInbound } from "./schema";
import { rakutenDemo } from "./demo";

const ENCODINGS = { text: "GSM7", unicode: "UCS2", binary: "BINARY" } as const satisfies Record<RakutenInbound["content_type"], Encoding>;

/** Reads one Rakuten MO part; its concatenation comes from the UDH. Never signed (see above). */
export const rakutenAdapter = defineProvider({
  provider: "RAKUTEN",
  name: "Rakuten CPaaS",
  tone: "red",
  colour: "#e11d48",
  pathSegments: ["rakuten"],
  methods: ["POST"],
  setup: "Paste it as the MO message URL of the number in the Rakuten CPaaS console.",
  exampleNumber: "+815012345678",
  credentials: z.object({}),
  credentialsHelp: "Rakuten CPaaS does not sign inbound messages in a way Moshi can check: the secret webhook URL is the credential.",
  keptHeaders: ["x-api-", "x-security-"],
  formats: ["json"],
  explain: {
    format: "Make sure this URL is the number's MO message URL in the Rakuten CPaaS console, not a delivery-status callback, and that nothing else posts to it.",
    failures: {},
  },

  parse(delivery: RawDelivery): ParseResult {
    // Parsed whatever the content type says: the JSON is what matters.
    const json = parseJsonObject(delivery.body);
    if (!json) {
      return {
        kind: "invalid",
        reason: "The body is not a JSON object. Rakuten CPaaS posts inbound SMS as JSON with message_id, sender_address, destination_address, content_type, udh and message_body.",
      };
    }
    const parsed = rakutenInboundSchema.safeParse(json);
    if (!parsed.success) return { kind: "invalid", reason: `${describeIssues(parsed.error.issues, json)}: not a Rakuten CPaaS inbound SMS.` };
    const message = parsed.data;

    const udh = message.udh ?? "";
    const header = parseUdh(udh);
    if (!header.ok) return { kind: "invalid", reason: header.reason };

    return {
      kind: "parts",
      parts: [
        {
          providerMessageId: message.message_id,
          from: normalizeProviderAddress(message.sender_address),
          to: normalizeProviderAddress(message.destination_address),
          encoding: ENCODINGS[message.content_type],
          payload: readPayload(message),
          udhHex: udh || null,
          providerKeyword: null,
          providerTimestamp: null,
          price: null,
          callbackData: null,
          smsCount: null,
          concat: header.concat,
        },
      ],
    };
  },

  verify() {
    return { ok: true, signed: false, signatureAgeSeconds: null };
  },

  simulate: simulateRakuten,
  demo: rakutenDemo,
});

/** The parts Rakuten would post: one JSON request per part, concatenation in the UDH. */
function simulateRakuten(message: SimulatedMessage): SimulatedRequest[] {
  const entropy = entropyFor(message);
  const unicode = !isGsm7Text(message.text);
  const chunks = splitCodeUnits(message.text, Math.max(1, message.parts ?? 1));
  const reference = entropy.int(256);
  return chunks.map((chunk, i) =>
    jsonRequest({
      message_id: `rk-${entropy.hex(6)}`,
      sender_address: digits(message.from),
      destination_address: digits(message.to),
      content_type: unicode ? "unicode" : "text",
      udh: chunks.length > 1 ? `050003${hex2(reference)}${hex2(chunks.length)}${hex2(i + 1)}` : "",
      message_body: unicode ? utf16Hex(chunk) : chunk,
    }),
  );
}

/**
 * Rakuten says a `unicode` body "is UTF-16 encoded" without saying whether that means a JSON
 * string or hex code units, so both are accepted: a body made only of whole hex code units is
 * read as hex, anything else as text. The value is kept exactly as sent.
 */
function readPayload(message: RakutenInbound): Payload {
  const body = message.message_body;
  switch (message.content_type) {
    case "binary":
      return { format: "binary-hex", value: body };
    case "unicode":
      return body.length > 0 && body.length % 4 === 0 && /^[0-9A-Fa-f]+$/.test(body) ? { format: "utf16-hex", value: body } : { format: "text", value: body };
    case "text":
      return { format: "text", value: body };
  }
}
