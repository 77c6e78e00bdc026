/**
 * Sinch's webhook signatures (the `x-sinch-webhook-signature` header family, shared with the
 * Conversation API): `base64(HMAC-SHA256(secret as UTF-8, body + "." + nonce + "." + timestamp))`,
 * over the raw body exactly as it arrived. Written from Sinch's published description and test
 * vectors, not with its SDK (which re-serialises object bodies and compares with `===`).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-sinch-webhook-signature";
export const ALGORITHM_HEADER = "x-sinch-webhook-signature-algorithm";
export const NONCE_HEADER = "x-sinch-webhook-signature-nonce";
export const TIMESTAMP_HEADER = "x-sinch-webhook-signature-timestamp";

/** The one algorithm Sinch names, as it spells it. */
export const SINCH_ALGORITHM = "HmacSHA256";

/** The signature Sinch sends for this body, nonce and timestamp (the header values as sent). */
export function signSinchWebhook(body: string, secret: string, nonce: string, timestamp: string): string {
  return hmac(body, secret, nonce, timestamp).toString("base64");
}

/**
 * The 32 bytes a signature header carries, or null when it cannot be an HMAC-SHA256 in base64
 * (either alphabet, padding optional). Never throws.
 */
export function readSignature(value: string): Buffer | null {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) return null;
  const bytes = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  return bytes.length === 32 ? bytes : null;
}

/** Whether `signature` (read by {@link readSignature}) signs this body, nonce and timestamp; constant time. */
export function isValidSinchSignature(signature: Buffer, body: string, secret: string, nonce: string, timestamp: string): boolean {
  const expected = hmac(body, secret, nonce, timestamp);
  return signature.length === expected.length && timingSafeEqual(signature, expected);
}

function hmac(body: string, secret: string, nonce: string, timestamp: string): Buffer {
  return createHmac("sha256", Buffer.from(secret, "utf8")).update(`${body}.${nonce}.${timestamp}`, "utf8").digest();
}
