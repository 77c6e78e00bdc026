/**
 * Standard Webhooks signing (https://www.standardwebhooks.com), through the spec's own library:
 * `webhook-id` (the event id, the same on every attempt), `webhook-timestamp` (the attempt's
 * time, seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, one
 * per secret, space-separated: after a rotation both the new and the old secret sign).
 */
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** A new secret: `whsec_` and 32 random bytes in base64, the spec's format. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

export function signatureHeaders(eventId: string, at: Date, body: string, secrets: string[]): Record<string, string> {
  if (secrets.length === 0) throw new Error("An event needs at least one secret to be signed with.");
  const timestamp = new Date(Math.floor(at.getTime() / 1000) * 1000);
  return {
    "webhook-id": eventId,
    "webhook-timestamp": String(timestamp.getTime() / 1000),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(eventId, timestamp, body)).join(" "),
  };
}
