/**
 * Plivo request signatures. Plivo adds two header families to the requests it sends, and its
 * documentation disagrees on which one messaging carries, so whichever is present is checked:
 *
 * - V3 (`X-Plivo-Signature-V3`, `X-Plivo-Signature-Ma-V3`, `X-Plivo-Signature-V3-Nonce`):
 *   base64(HMAC-SHA256(token, canonical URL + "." + nonce)), the canonical URL covering the
 *   query and the POST parameters (see {@link plivoV3SignedString}). A header may list several
 *   signatures separated by commas; one matching is enough.
 * - V2 (`X-Plivo-Signature-V2`, `X-Plivo-Signature-Ma-V2`, `X-Plivo-Signature-V2-Nonce`):
 *   base64(HMAC-SHA256(token, scheme://host[:port]/path + nonce)). Neither the query nor the
 *   body is covered: a V2 signature proves the request was made for this URL by Plivo, not
 *   that its parameters are Plivo's, and it can be replayed with another body. See
 *   {@link plivoReplayKey}.
 *
 * The plain headers are signed with the token of the (sub)account that owns the number, the
 * `-Ma-` ones with the main account's token; a number has one token, and both headers are
 * checked against it, so either the main account's or the subaccount's token works.
 *
 * The legacy `X-Plivo-Signature` (V1, HMAC-SHA1 over the URL and parameters) is not accepted:
 * Plivo's messaging does not send it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { RawDelivery, VerifyResult } from "../../types";
import { MAX_PARAMS, readParams } from "../params";
import { PLIVO_AUTH_ID } from "./schema";

export type Pairs = readonly (readonly [string, string])[];

export type PlivoScheme = "v3" | "v2";

/**
 * What verification answers: the shared result, and on a signed success which scheme was
 * checked and the nonce to record against replays ({@link plivoReplayKey}).
 */
export type PlivoVerifyResult =
  | { ok: true; signed: false; signatureAgeSeconds: null }
  | { ok: true; signed: true; signatureAgeSeconds: null; scheme: PlivoScheme; replayKey?: string }
  | Extract<VerifyResult, { ok: false }>;

export const PLIVO_HEADERS = {
  v3: { signature: "x-plivo-signature-v3", main: "x-plivo-signature-ma-v3", nonce: "x-plivo-signature-v3-nonce", label: "X-Plivo-Signature-V3" },
  v2: { signature: "x-plivo-signature-v2", main: "x-plivo-signature-ma-v2", nonce: "x-plivo-signature-v2-nonce", label: "X-Plivo-Signature-V2" },
} as const;

const LEGACY_HEADER = "x-plivo-signature";

/** Candidate URLs tried per request, signatures read per header, and nonce length: hostile requests stay cheap. */
const MAX_URLS = 8;
const MAX_SIGNATURES = 8;
const MAX_NONCE_LENGTH = 256;

/** The URL as Plivo signs it: everything before the query or fragment, exactly as written (a port stays). */
export function plivoBaseUrl(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/**
 * The string a V3 signature covers, before the nonce, as Plivo's SDKs build it:
 * - GET: the base URL, then `?` and the query's `key=value` pairs sorted by key, joined by `&`
 *   (the parameters are in the query);
 * - POST: the base URL, then `?` when there is a query or there are parameters, the sorted
 *   `key=value&…` of the query, a `.` between query and parameters when there are both, then
 *   the parameters sorted by key as `keyvalue` with no separator at all.
 * Values are the decoded ones, empty values included; keys sort in code point order, a key
 * repeated sorts by value. Extra GET `params` (the SDK's signature) join the query, the
 * query's value winning on a key in both.
 */
export function plivoV3SignedString(method: string, baseUrl: string, query: Pairs, params: Pairs): string {
  if (method.toUpperCase() === "GET") {
    const inQuery = new Set(query.map(([key]) => key));
    const all = [...query, ...params.filter(([key]) => !inQuery.has(key))];
    const joined = sortPairs(all)
      .map(([key, value]) => `${key}=${value}`)
      .join("&");
    return joined ? `${baseUrl}?${joined}` : baseUrl;
  }
  const joinedQuery = sortPairs(query)
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
  if (params.length === 0) return joinedQuery ? `${baseUrl}?${joinedQuery}` : baseUrl;
  const joinedParams = sortPairs(params)
    .map(([key, value]) => `${key}${value}`)
    .join("");
  return `${baseUrl}?${joinedQuery ? `${joinedQuery}.` : ""}${joinedParams}`;
}

/**
 * Signs as Plivo does with V3, for a request to `url` (its own query included) carrying
 * `params` (the form body for POST, the added query parameters for GET).
 */
export function signPlivoV3(authToken: string, method: string, url: string, params: Pairs, nonce: string): string {
  return hmacV3(authToken, plivoV3SignedString(method, plivoBaseUrl(url), queryOf(url), params), nonce).toString("base64");
}

/** Signs as Plivo does with V2: the URL without its query, followed directly by the nonce. */
export function signPlivoV2(authToken: string, url: string, nonce: string): string {
  return hmacV2(authToken, plivoBaseUrl(url), nonce).toString("base64");
}

/**
 * Whether a signature header value (one signature or several separated by commas) holds the
 * V3 signature of this request. Constant-time per comparison; never throws.
 */
export function isValidPlivoV3Signature(header: string, authToken: string, method: string, url: string, params: Pairs, nonce: string): boolean {
  const expected = hmacV3(authToken, plivoV3SignedString(method, plivoBaseUrl(url), queryOf(url), params), nonce);
  return readSignatures([header]).some((candidate) => timingSafeEqual(candidate, expected));
}

/** Whether a V2 signature header value holds the signature of this URL and nonce. */
export function isValidPlivoV2Signature(header: string, authToken: string, url: string, nonce: string): boolean {
  const expected = hmacV2(authToken, plivoBaseUrl(url), nonce);
  return readSignatures([header]).some((candidate) => timingSafeEqual(candidate, expected));
}

/**
 * The nonce an integrator records to refuse a replay: the V2 nonce when the request carries a
 * V2 signature, otherwise the V3 nonce; null when it carries neither. A V2 signature covers
 * only the URL and the nonce, so anyone who saw one signed request can send another body with
 * the same headers, and the signature still matches: refuse a second request with the same key
 * whose body differs (the same body again is Plivo retrying, and its MessageUUID deduplicates
 * it). The V2 nonce is preferred even when the V3 signature is the one verified, since the V3
 * headers can be stripped to fall back to V2. A V3 signature covers the parameters, so its
 * nonce only matters where no V2 signature came with it.
 */
export function plivoReplayKey(delivery: Pick<RawDelivery, "headers">): string | null {
  for (const scheme of ["v2", "v3"] as const) {
    const family = readFamily(delivery.headers, scheme);
    if (family.present && family.nonce) return family.nonce;
  }
  return null;
}

/**
 * Checks a delivery's Plivo signature against the number's Auth Token: V3 when its headers
 * are present, V2 otherwise. The URLs are the delivery's candidate public URLs, tried in turn.
 * Never throws.
 */
export function verifyPlivoSignature(delivery: RawDelivery, authToken: unknown): PlivoVerifyResult {
  if (typeof authToken !== "string") {
    return {
      ok: false,
      code: "credentials_invalid",
      reason: "This number's Plivo Auth Token is not readable text, so no signature can be checked. Enter the Auth Token again on the Numbers page.",
    };
  }
  const token = authToken.trim();
  if (token === "") return { ok: true, signed: false, signatureAgeSeconds: null };
  if (PLIVO_AUTH_ID.test(token)) {
    return {
      ok: false,
      code: "credentials_invalid",
      reason:
        "This number's Plivo credential is an Auth ID (MA… or SA…), not an Auth Token, so no signature can match it. " +
        "Enter the Auth Token shown next to the Auth ID on the Plivo console's overview page.",
    };
  }

  const v3 = readFamily(delivery.headers, "v3");
  const v2 = readFamily(delivery.headers, "v2");
  const family = v3.present ? v3 : v2.present ? v2 : null;
  if (!family) {
    const legacy = headerValue(delivery.headers, LEGACY_HEADER)
      ? " It carries only the legacy X-Plivo-Signature (V1, HMAC-SHA1), which Plivo's messaging does not send and Moshi does not accept."
      : "";
    return {
      ok: false,
      code: "signature_missing",
      reason:
        "Plivo signature missing: this number has a Plivo Auth Token, so every request must carry the X-Plivo-Signature-V3 (or X-Plivo-Signature-V2) headers Plivo adds to all its requests, and this one has none." +
        `${legacy} Check that no proxy in front of Moshi drops X-Plivo-* headers, or remove the Auth Token from this number if these requests do not come from Plivo.`,
    };
  }
  const { label } = PLIVO_HEADERS[family.scheme];
  if (!family.nonce) {
    const nonceHeader = `${label}-Nonce`;
    return {
      ok: false,
      code: "signature_malformed",
      reason:
        family.nonceTooLong
          ? `The ${nonceHeader} header is longer than any nonce Plivo sends (${MAX_NONCE_LENGTH} characters at most), so the ${label} signature cannot be checked.`
          : `The request carries ${label} but no ${nonceHeader}: Plivo always sends the nonce with the signature, and without it the signature cannot be checked.`,
    };
  }
  const nonce = family.nonce;
  const signatures = readSignatures(family.values);
  if (signatures.length === 0) {
    return {
      ok: false,
      code: "signature_malformed",
      reason: `The ${label} header holds no readable signature: Plivo sends base64 HMAC-SHA256 values (44 characters ending in “=”), several separated by commas.`,
    };
  }

  const urls = (delivery.urls ?? []).filter((url) => typeof url === "string" && url !== "").slice(0, MAX_URLS);
  if (urls.length === 0) {
    return {
      ok: false,
      code: "signature_mismatch",
      reason:
        `The ${label} signature cannot be checked: Plivo signs the URL it calls, and Moshi does not know that URL for this delivery ` +
        "(a replayed delivery keeps no URL, since the URL holds the number's secret token). Set MOSHI_PUBLIC_URL so the public URL is known.",
    };
  }

  let matched: boolean;
  if (family.scheme === "v3") {
    const signed = signedParams(delivery);
    if (!signed.ok) {
      return { ok: false, code: "signature_mismatch", reason: `The ${label} signature covers the request's parameters, which could not be read: ${signed.reason}` };
    }
    matched = urls.some((url) => {
      const expected = hmacV3(token, plivoV3SignedString(delivery.method, plivoBaseUrl(url), signed.query, signed.params), nonce);
      return signatures.some((candidate) => timingSafeEqual(candidate, expected));
    });
  } else {
    matched = urls.some((url) => {
      const expected = hmacV2(token, plivoBaseUrl(url), nonce);
      return signatures.some((candidate) => timingSafeEqual(candidate, expected));
    });
  }

  if (matched) {
    const replayKey = plivoReplayKey(delivery);
    return { ok: true, signed: true, signatureAgeSeconds: null, scheme: family.scheme, ...(replayKey ? { replayKey } : {}) };
  }

  const origins = [...new Set(urls.map(originOf))].join(", ");
  const hint = family.scheme === "v3" && v2MatchesAny(token, urls, v2) ? V2_ONLY_HINT : "";
  return {
    ok: false,
    code: "signature_mismatch",
    reason:
      `The Plivo ${label} signature does not match this number's Auth Token for the URL Plivo was given (tried ${origins}). ` +
      "Check that the Auth Token here is the one on the Plivo console's overview page (the main account's token works for every number, a subaccount's token only for its own numbers), " +
      `and that the application's Message URL is exactly this number's URL, with the same scheme, host, port and path: Plivo signs the URL it calls.${hint}`,
  };
}

const V2_ONLY_HINT =
  " The request's X-Plivo-Signature-V2 does match, so the token and URL are right: the form parameters or the query were changed after Plivo signed them, or Plivo builds the V3 string differently for this request.";

function v2MatchesAny(token: string, urls: readonly string[], v2: Family): boolean {
  const nonce = v2.nonce;
  if (!v2.present || !nonce) return false;
  const signatures = readSignatures(v2.values);
  return urls.some((url) => {
    const expected = hmacV2(token, plivoBaseUrl(url), nonce);
    return signatures.some((candidate) => timingSafeEqual(candidate, expected));
  });
}

type Family = { scheme: PlivoScheme; present: boolean; values: string[]; nonce: string | null; nonceTooLong: boolean };

function readFamily(headers: Record<string, string>, scheme: PlivoScheme): Family {
  const names = PLIVO_HEADERS[scheme];
  const values = [headerValue(headers, names.signature), headerValue(headers, names.main)].filter((value): value is string => value !== null);
  const rawNonce = headerValue(headers, names.nonce);
  const nonceTooLong = rawNonce !== null && rawNonce.length > MAX_NONCE_LENGTH;
  return { scheme, present: values.length > 0, values, nonce: nonceTooLong ? null : rawNonce, nonceTooLong };
}

/** A header's trimmed value, null when absent or empty. Only own string properties count. */
function headerValue(headers: Record<string, string>, name: string): string | null {
  if (typeof headers !== "object" || headers === null || !Object.hasOwn(headers, name)) return null;
  const value: unknown = headers[name];
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

// 32 bytes of HMAC-SHA256 in standard base64: 43 characters and one "=" of padding (accepted
// without it too).
const SIGNATURE = /^[A-Za-z0-9+/]{43}=?$/;

/** The readable signatures in header values: comma-separated, each 32 bytes of base64. */
function readSignatures(values: readonly string[]): Buffer[] {
  const signatures: Buffer[] = [];
  for (const value of values) {
    let count = 0;
    for (const piece of value.split(",", MAX_SIGNATURES * 2)) {
      const candidate = piece.trim();
      if (!SIGNATURE.test(candidate)) continue;
      signatures.push(Buffer.from(candidate, "base64"));
      if (++count >= MAX_SIGNATURES) break;
    }
  }
  return signatures;
}

type SignedParams = { ok: true; query: Pairs; params: Pairs } | { ok: false; reason: string };

/**
 * The query and POST parameters a V3 signature covers, as decoded pairs (a repeated key kept
 * each time). A GET carries everything in its query.
 */
function signedParams(delivery: RawDelivery): SignedParams {
  if (delivery.query.size > MAX_PARAMS) return { ok: false, reason: `the query has ${delivery.query.size} parameters, more than any Plivo request.` };
  const query: Pairs = [...delivery.query];
  if (delivery.method.toUpperCase() === "GET") return { ok: true, query, params: [] };
  if (delivery.body.trim() === "") return { ok: true, query, params: [] };
  const read = readParams(delivery);
  if (!read.ok) return { ok: false, reason: read.reason };
  // A form is read again as pairs, so that a repeated key is signed each time, as Plivo would.
  const params: Pairs = read.source === "form" ? [...new URLSearchParams(delivery.body.trim())] : Object.entries(read.params);
  return { ok: true, query, params };
}

function hmacV3(authToken: string, signedString: string, nonce: string): Buffer {
  return createHmac("sha256", authToken).update(`${signedString}.${nonce}`, "utf8").digest();
}

function hmacV2(authToken: string, baseUrl: string, nonce: string): Buffer {
  return createHmac("sha256", authToken).update(`${baseUrl}${nonce}`, "utf8").digest();
}

function queryOf(url: string): Pairs {
  const withoutFragment = url.split("#", 1)[0] ?? "";
  const start = withoutFragment.indexOf("?");
  return start === -1 ? [] : [...new URLSearchParams(withoutFragment.slice(start + 1))];
}

/** Pairs sorted by key, then by value, in code point order (the UTF-8 byte order Plivo's SDKs sort in). */
function sortPairs(pairs: Pairs): Pairs {
  return [...pairs].sort(([keyA, valueA], [keyB, valueB]) => compareCodePoints(keyA, keyB) || compareCodePoints(valueA, valueB));
}

function compareCodePoints(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** `scheme://host[:port]` of a URL, for a reason: the path holds the number's secret token. */
function originOf(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url)?.[0] ?? "a URL that is not absolute";
}
