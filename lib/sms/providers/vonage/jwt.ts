/**
 * Vonage Messages API signed webhooks: `Authorization: Bearer <JWT>`, HS256, keyed with the
 * account's signature secret, with `payload_hash` (hex SHA-256 of the raw body) among the claims.
 * Only HS256 is accepted: Vonage's own Node helper also accepts RS256, which would let a token
 * signed with a public key pass.
 */
import { createHash, createHmac } from "node:crypto";
import { safeEqual } from "@/lib/crypto";

export type JwtCheck =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; problem: "malformed" | "algorithm" | "mismatch"; detail: string };

/** Checks a compact JWT's HS256 signature with `secret`; never throws. */
export function verifyHs256(token: string, secret: string): JwtCheck {
  const pieces = token.trim().split(".");
  if (pieces.length !== 3 || pieces.some((piece) => !/^[A-Za-z0-9_-]*$/.test(piece))) {
    return { ok: false, problem: "malformed", detail: "the bearer token is not a JWT (three base64url parts separated by dots)" };
  }
  const [header, payload, signature] = pieces as [string, string, string];
  const head = decodeJson(header);
  const claims = decodeJson(payload);
  if (!head || !claims) return { ok: false, problem: "malformed", detail: "the JWT's header or claims are not JSON objects" };
  if (head.alg !== "HS256") return { ok: false, problem: "algorithm", detail: `the JWT is signed with ${JSON.stringify(head.alg ?? null)}, and Vonage signs webhooks with HS256 only` };
  const expected = createHmac("sha256", Buffer.from(secret, "utf8")).update(`${header}.${payload}`, "ascii").digest("base64url");
  if (!safeEqual(expected, signature)) return { ok: false, problem: "mismatch", detail: "the JWT's signature does not match this number's signature secret" };
  return { ok: true, claims };
}

/** Signs claims as Vonage does (HS256), for the simulator and tests. */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = createHmac("sha256", Buffer.from(secret, "utf8")).update(`${header}.${payload}`, "ascii").digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** Hex SHA-256 of the body's bytes: what `payload_hash` must be. */
export function payloadHash(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("hex");
}

function decodeJson(part: string): Record<string, unknown> | null {
  if (part.length > 8192) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
