import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * OWASP's "device cookies": after a successful sign-in the browser gets a cookie, signed with
 * AUTH_SECRET, that names the account and a random device id. A browser presenting it has signed
 * in to that account before, so it is counted on a budget of its own and an attacker's failures
 * elsewhere cannot lock the owner out. It grants nothing else: the password is still checked.
 */
export const DEVICE_COOKIE = "moshi-device";
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** A fresh cookie value for this account: `<device id>.<signature>`. Null without AUTH_SECRET. */
export function issueDeviceCookie(email: string, secret = process.env.AUTH_SECRET): string | null {
  if (!secret) return null;
  const device = randomBytes(16).toString("base64url");
  return `${device}.${sign(email, device, secret)}`;
}

/** The device id when `value` is a cookie this server issued for this account, else null. */
export function verifyDeviceCookie(value: string | undefined, email: string, secret = process.env.AUTH_SECRET): string | null {
  if (!value || !secret) return null;
  const match = /^([\w-]{22})\.([\w-]{43})$/.exec(value);
  if (!match) return null;
  const [, device, signature] = match as unknown as [string, string, string];
  const expected = Buffer.from(sign(email, device, secret), "utf8");
  const given = Buffer.from(signature, "utf8");
  return expected.length === given.length && timingSafeEqual(expected, given) ? device : null;
}

/** One cookie's value from a Cookie header. */
export function readCookie(headers: Headers, name: string): string | undefined {
  for (const pair of (headers.get("cookie") ?? "").split(";")) {
    const separator = pair.indexOf("=");
    if (separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
}

function sign(email: string, device: string, secret: string): string {
  // Prefixed so that no other HMAC this secret makes can be replayed as a device cookie.
  return createHmac("sha256", secret).update(`moshi-device-cookie\u0000${email}\u0000${device}`).digest("base64url");
}
