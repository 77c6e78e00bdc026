import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { isGsm7Text } from "./decode";
import type { Provider, SignatureMethod } from "./types";
import { signVonageParams } from "./providers/vonage/signature";

/**
 * Builds realistic provider deliveries for a message, as the provider would send them: split
 * into parts (with Vonage concat fields or a Rakuten UDH), signed for Vonage when a secret is
 * given. Used by `npm run sms:send`, the dashboard's "send a test message" and the demo traffic.
 */
export type SimulatedMessage = {
  provider: Provider;
  from: string;
  to: string;
  text: string;
  /** Split into this many parts (1 = a single SMS). Infobip always delivers one joined message. */
  parts?: number;
  /** Vonage only: how the webhook is sent. */
  transport?: "get" | "form" | "json";
  signature?: { method: SignatureMethod; secret: string } | null;
  now?: Date;
  /**
   * Where message ids, nonces and concat references come from: a seeded generator (values in
   * [0, 1), like Math.random) makes the output repeatable. Defaults to node:crypto.
   */
  random?: () => number;
};

export type SimulatedRequest = { method: "GET" | "POST"; query: URLSearchParams; body: string | null; contentType: string | null };

export function buildDeliveries(message: SimulatedMessage): SimulatedRequest[] {
  const now = message.now ?? new Date();
  const from = message.from.replace(/^\+/, "");
  const to = message.to.replace(/^\+/, "");
  const unicode = !isGsm7Text(message.text);
  const chunks = message.provider === "INFOBIP" ? [message.text] : splitCodeUnits(message.text, Math.max(1, message.parts ?? 1));
  const entropy = message.random ? seededEntropy(message.random) : cryptoEntropy;
  const reference = entropy.int(256);
  switch (message.provider) {
    case "INFOBIP":
      return [json(infobipBody(message.text, from, to, now, entropy))];
    case "RAKUTEN":
      return chunks.map((chunk, i) =>
        json({
          message_id: `rk-${entropy.hex(6)}`,
          sender_address: from,
          destination_address: to,
          content_type: unicode ? "unicode" : "text",
          udh: chunks.length > 1 ? `050003${hex2(reference)}${hex2(chunks.length)}${hex2(i + 1)}` : "",
          message_body: unicode ? utf16Hex(chunk) : chunk,
        }),
      );
    case "VONAGE":
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
          ...(chunks.length > 1
            ? { concat: "true", "concat-ref": String(reference), "concat-total": String(chunks.length), "concat-part": String(i + 1) }
            : {}),
        };
        if (message.signature) params.sig = signVonageParams(params, message.signature.secret, message.signature.method);
        const transport = message.transport ?? "form";
        if (transport === "get") return { method: "GET", query: new URLSearchParams(params), body: null, contentType: null };
        if (transport === "json") return json(params);
        return { method: "POST", query: new URLSearchParams(), body: new URLSearchParams(params).toString(), contentType: "application/x-www-form-urlencoded; charset=UTF-8" };
      });
  }
}

function infobipBody(text: string, from: string, to: string, now: Date, entropy: Entropy) {
  const keyword = firstWord(text);
  return {
    results: [
      {
        messageId: entropy.hex(9),
        from,
        to,
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
  };
}

function json(body: unknown): SimulatedRequest {
  return { method: "POST", query: new URLSearchParams(), body: JSON.stringify(body), contentType: "application/json" };
}

/** Splits on UTF-16 code units, as SMS segmentation does: a surrogate pair may be cut in two. */
export function splitCodeUnits(text: string, parts: number): string[] {
  const size = Math.ceil(text.length / parts) || 1;
  const chunks: string[] = [];
  for (let i = 0; i < parts; i++) chunks.push(text.slice(i * size, (i + 1) * size));
  return chunks.filter((chunk, i) => chunk.length > 0 || i === 0);
}

function utf16Hex(text: string): string {
  let hex = "";
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, "0").toUpperCase();
  return hex;
}

type Entropy = { int(below: number): number; hex(bytes: number): string; uuid(): string };

const cryptoEntropy: Entropy = {
  int: (below) => randomInt(0, below),
  hex: (bytes) => randomBytes(bytes).toString("hex"),
  uuid: () => randomUUID(),
};

function seededEntropy(random: () => number): Entropy {
  const int = (below: number) => Math.floor(random() * below);
  const hex = (bytes: number) => Array.from({ length: bytes }, () => hex2(int(256)).toLowerCase()).join("");
  return {
    int,
    hex,
    // Shaped like a version 4 UUID, as Vonage's nonces are.
    uuid: () => {
      const h = hex(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${(8 + int(4)).toString(16)}${h.slice(17, 20)}-${h.slice(20)}`;
    },
  };
}

const hex2 = (n: number) => n.toString(16).padStart(2, "0").toUpperCase();
const firstWord = (text: string) => (text.trim().split(/\s+/)[0] ?? "").toUpperCase();
