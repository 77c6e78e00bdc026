/**
 * Builds the callbacks Sinch would post for a message: one `mo_text` with the whole text (Sinch
 * takes up to 2000 characters in one inbound callback, so it delivers a long text joined), or
 * `mo_binary` parts that each carry a concatenation UDH. Signed like Sinch when the number has
 * a signing secret.
 */
import { randomInt } from "node:crypto";
import type { SimulatedMessage, SimulatedRequest } from "../../types";
import { ALGORITHM_HEADER, NONCE_HEADER, SIGNATURE_HEADER, SINCH_ALGORITHM, signSinchWebhook, TIMESTAMP_HEADER } from "./signature";

export const SINCH_FORMATS = ["text", "binary"] as const;

/** Octets per binary part: 140 less the 6-byte concatenation header. */
const PART_OCTETS = 134;

export function simulateSinch(message: SimulatedMessage): SimulatedRequest[] {
  const format = message.format ?? SINCH_FORMATS[0];
  if (!(SINCH_FORMATS as readonly string[]).includes(format)) {
    throw new Error(`Sinch sends inbound SMS as ${SINCH_FORMATS.join(" or ")}, not "${format}".`);
  }
  const now = message.now ?? new Date();
  const entropy = message.random ? seededEntropy(message.random) : cryptoEntropy;
  const secret = signingSecretOf(message.credentials);
  // Sinch's own examples write the sender with "+" and our number without it, and both ways
  // round elsewhere: the simulator sends the mix, so that reading it is always exercised.
  const common = { from: withPlus(message.from), to: message.to.trim().replace(/^\+/, "") };
  const receivedAt = now.toISOString();

  const bodies =
    format === "binary"
      ? binaryParts(message.text, message.parts ?? 1, entropy).map(({ body, udh }) => ({
          id: ulid(now, entropy),
          type: "mo_binary",
          ...common,
          body,
          udh,
          received_at: receivedAt,
        }))
      : [{ id: ulid(now, entropy), type: "mo_text", ...common, body: message.text, received_at: receivedAt }];

  return bodies.map((value) => {
    const body = JSON.stringify(value);
    const request: SimulatedRequest = { method: "POST", query: new URLSearchParams(), body, contentType: "application/json" };
    if (secret === null) return request;
    const nonce = ulid(now, entropy);
    const timestamp = String(Math.floor(now.getTime() / 1000));
    return {
      ...request,
      headers: {
        [SIGNATURE_HEADER]: signSinchWebhook(body, secret, nonce, timestamp),
        [ALGORITHM_HEADER]: SINCH_ALGORITHM,
        [NONCE_HEADER]: nonce,
        [TIMESTAMP_HEADER]: timestamp,
      },
      signed: true,
    };
  });
}

/**
 * The text's UTF-8 octets split into at least `requested` parts of at most 134 octets (at most
 * 255 parts), each with a `050003 ref total index` header; a single part has no header.
 */
function binaryParts(text: string, requested: number, entropy: Entropy): { body: string; udh: string }[] {
  const octets = Buffer.from(text, "utf8");
  const count = Math.min(255, Math.max(1, Math.floor(requested), Math.ceil(octets.length / PART_OCTETS)));
  const size = Math.max(1, Math.ceil(octets.length / count));
  const reference = entropy.int(256);
  return Array.from({ length: count }, (_, i) => ({
    body: octets.subarray(i * size, (i + 1) * size).toString("base64"),
    udh: count === 1 ? "" : `050003${hexByte(reference)}${hexByte(count)}${hexByte(i + 1)}`,
  }));
}

function signingSecretOf(credentials: Record<string, unknown> | null | undefined): string | null {
  const secret = credentials?.signingSecret;
  return typeof secret === "string" && secret !== "" ? secret : null;
}

function withPlus(address: string): string {
  const trimmed = address.trim();
  return /^\+?\d+$/.test(trimmed) ? `+${trimmed.replace(/^\+/, "")}` : trimmed;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * An id shaped like Sinch's (a ULID: 26 Crockford base32 characters, the first 10 the time in
 * milliseconds, the rest random), as its message ids and signature nonces are.
 */
export function ulid(now: Date, entropy: Entropy): string {
  let time = Math.max(0, Math.floor(now.getTime()) || 0);
  let head = "";
  for (let i = 0; i < 10; i++) {
    head = CROCKFORD[time % 32]! + head;
    time = Math.floor(time / 32);
  }
  let tail = "";
  for (let i = 0; i < 16; i++) tail += CROCKFORD[entropy.int(32)]!;
  return head + tail;
}

export type Entropy = { int(below: number): number };

const cryptoEntropy: Entropy = { int: (below) => randomInt(0, below) };

/** Values from a seeded generator in [0, 1), like Math.random, so that output is repeatable. */
function seededEntropy(random: () => number): Entropy {
  return { int: (below) => Math.min(below - 1, Math.floor(random() * below)) };
}

const hexByte = (n: number) => n.toString(16).padStart(2, "0").toUpperCase();
