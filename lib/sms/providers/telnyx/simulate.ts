/**
 * Builds the request Telnyx sends for an inbound message: one JSON POST in the shape of
 * Telnyx's own `message.received` example, with fresh ids, signed when the caller holds a
 * private key (only tests and the demo do: a team never has Telnyx's).
 */
import { randomUUID } from "node:crypto";
import { normalizeProviderAddress } from "@/lib/phone";
import { isGsm7Text } from "../../decode";
import type { SimulatedMessage, SimulatedRequest } from "../../types";
import { segmentCount } from "../simulation";
import { decodePublicKey, publicKeyOfSeed, SIGNATURE_HEADER, signTelnyx, TIMESTAMP_HEADER } from "./signature";

/**
 * One request per message whatever `message.parts` asks: Telnyx joins a long SMS and says in
 * `parts` how many segments its text takes. Signed when `message.credentials.privateKey` holds
 * a 32-byte Ed25519 seed in hex (a test-only field, not part of the credentials schema); the
 * request is `signed` unless the credentials also hold a public key that is not its pair.
 */
export function simulateTelnyx(message: SimulatedMessage): SimulatedRequest[] {
  if (message.format !== undefined && message.format !== "json") {
    throw new Error(`Telnyx sends only JSON webhooks (format "json"), not "${message.format}".`);
  }
  const now = message.now ?? new Date();
  const entropy = message.random ? seededEntropy(message.random) : cryptoEntropy;
  const at = now.toISOString();
  const parts = segmentCount(message.text);
  // Inbound SMS are billed per segment; the amounts are made up, in the string form of the example.
  const perPart = (amount: number) => (amount * parts).toFixed(4);

  const body = {
    data: {
      record_type: "event",
      id: entropy.uuid(),
      event_type: "message.received",
      occurred_at: at,
      payload: {
        record_type: "message",
        direction: "inbound",
        id: entropy.uuid(),
        type: "SMS",
        messaging_profile_id: entropy.uuid(),
        organization_id: entropy.uuid(),
        from: { phone_number: normalizeProviderAddress(message.from), carrier: null, line_type: null },
        to: [{ phone_number: normalizeProviderAddress(message.to), status: "webhook_delivered", carrier: "TELNYX LLC", line_type: "VoIP" }],
        cc: [],
        text: message.text,
        subject: null,
        media: [],
        webhook_url: message.url ?? null,
        webhook_failover_url: null,
        encoding: isGsm7Text(message.text) ? "GSM-7" : "UCS-2",
        parts,
        tags: [],
        cost: { amount: perPart(0.004), currency: "USD" },
        cost_breakdown: { carrier_fee: { amount: perPart(0.0025), currency: "USD" }, rate: { amount: perPart(0.0015), currency: "USD" } },
        tcr_campaign_id: null,
        tcr_campaign_billable: false,
        tcr_campaign_registered: null,
        received_at: at,
        sent_at: null,
        completed_at: null,
        valid_until: null,
        errors: [],
      },
    },
    meta: { attempt: 1, ...(message.url ? { delivered_to: message.url } : {}) },
  };
  const text = JSON.stringify(body);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const headers: Record<string, string> = { "user-agent": "telnyx-webhooks", [TIMESTAMP_HEADER]: timestamp };

  const privateKey = message.credentials?.privateKey;
  let signed = false;
  if (typeof privateKey === "string") {
    headers[SIGNATURE_HEADER] = signTelnyx(privateKey, timestamp, text);
    signed = pairsWith(privateKey, message.credentials?.publicKey);
  }
  return [{ method: "POST", query: new URLSearchParams(), body: text, contentType: "application/json", headers, signed }];
}


// Whether the number's public key (when it has one) verifies what this seed signs.
function pairsWith(seedHex: string, publicKey: unknown): boolean {
  if (typeof publicKey !== "string" || publicKey.trim() === "") return true;
  const decoded = decodePublicKey(publicKey);
  return decoded.ok && decoded.key.toString("base64") === publicKeyOfSeed(seedHex);
}

type Entropy = { uuid(): string };

const cryptoEntropy: Entropy = { uuid: () => randomUUID() };

// The same draws as the shared simulator's seeded generator, so a seed gives repeatable ids.
function seededEntropy(random: () => number): Entropy {
  const int = (below: number) => Math.floor(random() * below);
  const hex = (bytes: number) => Array.from({ length: bytes }, () => int(256).toString(16).padStart(2, "0")).join("");
  return {
    // Shaped like a version 4 UUID, as Telnyx's ids are.
    uuid: () => {
      const h = hex(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${(8 + int(4)).toString(16)}${h.slice(17, 20)}-${h.slice(20)}`;
    },
  };
}
