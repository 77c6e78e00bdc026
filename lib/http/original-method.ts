/**
 * Next.js routes see only the seven methods of its route handlers: TRACE fails building the
 * Request (a 500 before any route runs), and PROPFIND, PURGE and the like are answered 400 by
 * Next itself, unrecorded. Moshi's own server (scripts/serve.ts) therefore hands any other
 * method to Next as a POST carrying the real method in a header, and the webhook route answers
 * and records it under that method (405). The header is only believed with a
 * token this process made at start, so a client cannot relabel its own requests, and where
 * Moshi's server is not in front (Vercel) it is ignored.
 */
import { randomBytes } from "node:crypto";
import { safeEqual } from "@/lib/crypto";

export const ORIGINAL_METHOD_HEADER = "x-moshi-original-method";

const TOKEN = Symbol.for("moshi.original-method-token");
type WithToken = typeof globalThis & { [TOKEN]?: string };

/** The methods Next.js routes take as they are; Moshi's server passes any other on under POST. */
export const ROUTE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"]);

/** Called once by the server process; answers the header value for a method. */
export function enableOriginalMethodHeader(): (method: string) => string {
  const store = globalThis as WithToken;
  store[TOKEN] ??= randomBytes(16).toString("hex");
  const token = store[TOKEN];
  return (method) => `${method} ${token}`;
}

/** The method the client really used, when this process's server passed it on; else null. */
export function originalMethod(headers: Headers): string | null {
  const token = (globalThis as WithToken)[TOKEN];
  const value = headers.get(ORIGINAL_METHOD_HEADER);
  if (!token || !value) return null;
  const [method, presented] = value.split(" ");
  return method && presented && /^[A-Z][A-Z-]{0,19}$/.test(method) && safeEqual(presented, token) ? method : null;
}
