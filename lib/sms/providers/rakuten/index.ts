/**
 * Rakuten CPaaS inbound (MO) SMS: a JSON POST per SMS part, concatenation signalled only in the
 * UDH. Rakuten's optional header signing (`x-api-signature` and friends) is documented without
 * the exact string to sign, so it is not verified here; the headers stay with the stored raw
 * delivery until the full specification is at hand. The URL's token authenticates meanwhile.
 */
import { normalizeProviderAddress } from "@/lib/phone";
import { parseUdh } from "../../udh";
import type { Encoding, InboundAdapter, ParseResult, Payload, RawDelivery } from "../../types";
import { describeIssues, parseJsonObject } from "../params";
import { rakutenInboundSchema, type RakutenInbound } from "./schema";

const ENCODINGS = { text: "GSM7", unicode: "UCS2", binary: "BINARY" } as const satisfies Record<RakutenInbound["content_type"], Encoding>;

/** Reads one Rakuten MO part; its concatenation comes from the UDH. Never signed (see above). */
export const rakutenAdapter: InboundAdapter = {
  provider: "RAKUTEN",
  methods: ["POST"],

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
};

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
