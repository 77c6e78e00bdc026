/**
 * Twilio webhook signatures (`X-Twilio-Signature`): base64 of an HMAC (SHA-1 with the Auth Token
 * by default) over the full URL Twilio called followed by every POST parameter, sorted by name,
 * each as name + value with no separators. Written from Twilio's documentation and its SDKs'
 * test vectors.
 */
import { createHash, createHmac } from "node:crypto";
import { safeEqual } from "@/lib/crypto";
import type { RawDelivery, VerifyResult } from "../../types";
import { MAX_PARAMS, readParams } from "../params";
import { MAX_AUTH_TOKEN_LENGTH } from "./schema";

export type TwilioAlgorithm = "sha1" | "sha256";

export const SIGNATURE_HEADER = "x-twilio-signature";
/** Present when a Webhooks Rule signs the URL with a shared key: `key=<id>,algorithm=HMAC_SHA256`. */
export const SIGNATURE_SETTINGS_HEADER = "x-twilio-webhooks-signature-settings";

/** At most this many candidate URLs are tried; each yields a handful of spellings. */
const MAX_CANDIDATE_URLS = 8;

/**
 * The string Twilio signs: the URL, then each parameter name (sorted) followed by its value.
 * A name sent more than once is followed by each of its distinct values, sorted, as the SDKs do.
 * Sorting is by UTF-8 bytes (code points).
 */
export function twilioSignedString(url: string, params: Iterable<readonly [string, string]>): string {
  const byName = new Map<string, Set<string>>();
  for (const [name, value] of params) {
    const values = byName.get(name);
    if (values) values.add(value);
    else byName.set(name, new Set([value]));
  }
  let text = url;
  for (const name of [...byName.keys()].sort(compareCodePoints)) {
    for (const value of [...byName.get(name)!].sort(compareCodePoints)) text += name + value;
  }
  return text;
}

/** The signature Twilio would send for this URL and these parameters (base64). */
export function signTwilioRequest(secret: string, url: string, params: Iterable<readonly [string, string]> = [], algorithm: TwilioAlgorithm = "sha1"): string {
  return createHmac(algorithm, secret).update(twilioSignedString(url, params), "utf8").digest("base64");
}

/** Lower-case hex SHA-256 of a body, as Twilio puts it in the `bodySHA256` query parameter. */
export function bodySha256(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("hex");
}

/**
 * The spellings of a URL Twilio may have signed, the URL itself first: Twilio's signing has
 * changed over time around ports and encoding, so its SDKs accept the URL as received, without
 * its port, with the scheme's default port (`:443`, `:80`) added, and WHATWG-normalised (which
 * escapes `'` in the query as `%27`); the reverse of that escaping is tried too, for a URL that
 * was normalised on its way here. Never throws.
 */
export function urlSpellings(url: string): string[] {
  const bases = [url];
  const normalised = whatwgHref(url);
  if (normalised) bases.push(normalised);
  const apostrophes = unescapeQueryApostrophes(url);
  if (apostrophes) bases.push(apostrophes);
  const spellings = new Set<string>();
  for (const base of bases) {
    spellings.add(base);
    const parts = splitAuthority(base);
    if (!parts) continue;
    const { scheme, userinfo, host, port, rest } = parts;
    spellings.add(scheme + userinfo + host + rest);
    const standard = DEFAULT_PORTS[scheme.toLowerCase()];
    if (port === undefined && standard) spellings.add(`${scheme}${userinfo}${host}:${standard}${rest}`);
  }
  return [...spellings];
}

const DEFAULT_PORTS: Record<string, string> = { "https://": "443", "http://": "80" };

/**
 * Checks a delivery's `X-Twilio-Signature` with a number's Auth Token (or shared key secret)
 * against each candidate URL in `delivery.urls`. Never throws.
 */
export function verifyTwilioSignature(delivery: RawDelivery, secret: unknown): VerifyResult {
  if (typeof secret !== "string" || secret.trim() === "" || secret.length > MAX_AUTH_TOKEN_LENGTH) {
    return {
      ok: false,
      code: "credentials_invalid",
      reason:
        "This number's Twilio Auth Token cannot be used (it is empty, not text or too long), so no signature can be checked. " +
        "Paste it again from Twilio Console → Account Info → Auth Token.",
    };
  }
  const presented = (delivery.headers[SIGNATURE_HEADER] ?? "").trim();
  if (!presented) {
    return {
      ok: false,
      code: "signature_missing",
      reason:
        "Twilio signature missing: this number has an Auth Token, so every request must carry an X-Twilio-Signature header, and this one has none. " +
        "Twilio signs every webhook it sends, so the request did not come from Twilio, or something on the way (a proxy) dropped the header. " +
        "If this number is not on Twilio's side of things at all, remove the Auth Token here.",
    };
  }

  const settings = readSignatureSettings(delivery.headers[SIGNATURE_SETTINGS_HEADER]);
  if (!settings.ok) return { ok: false, code: "signature_malformed", reason: settings.reason };
  const { algorithm, keyId } = settings;
  const shape = algorithm === "sha1" ? /^[A-Za-z0-9+/]{27}=$/ : /^[A-Za-z0-9+/]{43}=$/;
  if (!shape.test(presented)) {
    const expected = algorithm === "sha1" ? "the base64 of an HMAC-SHA1 (28 characters ending in “=”)" : "the base64 of an HMAC-SHA256 (44 characters ending in “=”)";
    return {
      ok: false,
      code: "signature_malformed",
      reason: `The X-Twilio-Signature header is not a Twilio signature: expected ${expected}, got ${presented.length} characters. The request did not come from Twilio.`,
    };
  }

  const urls = (delivery.urls ?? []).filter((url) => typeof url === "string" && url !== "").slice(0, MAX_CANDIDATE_URLS);
  if (urls.length === 0) {
    return {
      ok: false,
      code: "signature_mismatch",
      reason:
        "The X-Twilio-Signature cannot be checked here: Twilio signs the full URL it called, and the URL of this request is not known " +
        "(a replayed delivery keeps no URL, since the URL holds the number's secret token). The signature can only be checked as the request arrives.",
    };
  }

  const signed = signedParams(delivery);
  if (!signed.ok) return { ok: false, code: "signature_mismatch", reason: signed.reason };

  const query = delivery.query.toString();
  const suffix = twilioSignedString("", signed.params);
  for (const url of urls) {
    // A candidate built without the query (a configured public origin) gets the request's own.
    const withQuery = !url.includes("?") && query ? [url, `${url}?${query}`] : [url];
    for (const spelling of withQuery.flatMap(urlSpellings)) {
      const expected = createHmac(algorithm, secret).update(spelling + suffix, "utf8").digest("base64");
      if (!safeEqual(expected, presented)) continue;
      if (signed.bodyHash !== null && !safeEqual(bodySha256(delivery.body), signed.bodyHash)) {
        return {
          ok: false,
          code: "signature_mismatch",
          reason:
            "The X-Twilio-Signature matches the URL, but the body is not the one Twilio signed: its SHA-256 differs from the bodySHA256 in the URL. " +
            "Something on the way changed the body (a proxy re-encoding JSON, say), or the request was forged from a genuine URL.",
        };
      }
      return { ok: true, signed: true, signatureAgeSeconds: null };
    }
  }

  const key = keyId ? `the secret of shared key ${keyId} (the request says a Webhooks Rule signed it, with ${algorithm === "sha1" ? "HMAC-SHA1" : "HMAC-SHA256"})` : "this number's Auth Token";
  const tried = urls.length === 1 ? "the URL Moshi knows for this request" : `any of the ${urls.length} URLs Moshi knows for this request`;
  return {
    ok: false,
    code: "signature_mismatch",
    reason:
      `The X-Twilio-Signature does not match ${key} for ${tried} (each tried as received, with and without its port, and normalised). ` +
      (keyId
        ? "Check that the secret saved here is that shared key's secret. "
        : "Check that the Auth Token is the primary one of the account that owns the number (Console → Account Info; a number in a subaccount is signed with the subaccount's token, and a secondary token signs nothing until it is promoted). ") +
      "If it is, the URL Twilio calls differs from this server's: make sure MOSHI_PUBLIC_URL is the exact origin of the webhook URL set in Twilio (https, host, no extra path), as a TLS-terminating proxy changes what the server itself sees.",
  };
}

type SignatureSettings = { ok: true; algorithm: TwilioAlgorithm; keyId: string | null } | { ok: false; reason: string };

/**
 * Reads `X-Twilio-Webhooks-Signature-Settings`; without it, Twilio signs with the Auth Token and
 * HMAC-SHA1.
 */
export function readSignatureSettings(header: string | undefined): SignatureSettings {
  if (header === undefined || header.trim() === "") return { ok: true, algorithm: "sha1", keyId: null };
  const fields = new Map<string, string>();
  for (const item of header.slice(0, 1000).split(",")) {
    const eq = item.indexOf("=");
    if (eq > 0) fields.set(item.slice(0, eq).trim().toLowerCase(), item.slice(eq + 1).trim());
  }
  const named = fields.get("algorithm");
  const key = fields.get("key");
  const keyId = key && /^[A-Za-z0-9_.-]{1,64}$/.test(key) ? key : null;
  const algorithm = named === undefined ? undefined : ALGORITHMS[named.toUpperCase()];
  if (!algorithm) {
    const what = named === undefined ? "names no algorithm" : `names the algorithm “${named.slice(0, 40)}”`;
    return {
      ok: false,
      reason:
        `The X-Twilio-Webhooks-Signature-Settings header ${what}; Moshi checks HMAC_SHA1 and HMAC_SHA256 signatures only. ` +
        "Set the Webhook Setting's signing algorithm to HMAC_SHA256 in Twilio's Webhooks configuration, or remove the Webhooks Rule that matches this URL.",
    };
  }
  return { ok: true, algorithm, keyId };
}

const ALGORITHMS: Record<string, TwilioAlgorithm> = { HMAC_SHA1: "sha1", HMAC_SHA256: "sha256" };

type SignedParams =
  | { ok: true; params: (readonly [string, string])[]; bodyHash: string | null }
  | { ok: false; reason: string };

/**
 * What Twilio appends to the URL: nothing for a GET (its parameters are in the URL) or for a
 * JSON body (whose hash is in the URL's `bodySHA256` instead), every form parameter otherwise,
 * repeated names included.
 */
function signedParams(delivery: RawDelivery): SignedParams {
  if (delivery.method.toUpperCase() === "GET") return { ok: true, params: [], bodyHash: null };
  const hash = delivery.query.get("bodySHA256");
  if (hash !== null) return { ok: true, params: [], bodyHash: hash.trim().toLowerCase() };
  const read = readParams(delivery);
  if (read.ok && read.source === "json") return { ok: true, params: Object.entries(read.params), bodyHash: null };
  // A form (or anything else, which then signs as whatever a form parser makes of it). Read
  // here rather than with readParams, which keeps only the last of repeated names: Twilio signs
  // every value.
  const declaredForm = (delivery.contentType ?? "").toLowerCase().includes("application/x-www-form-urlencoded");
  const body = declaredForm ? delivery.body : delivery.body.trim();
  const count = countOf(body, "&") + 1;
  if (count > MAX_PARAMS) {
    return { ok: false, reason: `The body carries ${count} parameters, more than any Twilio webhook, so its signature was not checked.` };
  }
  return { ok: true, params: [...new URLSearchParams(body)], bodyHash: null };
}

function whatwgHref(url: string): string | null {
  try {
    return new URL(url).href;
  } catch {
    return null;
  }
}

function unescapeQueryApostrophes(url: string): string | null {
  const start = url.indexOf("?");
  if (start === -1 || !url.includes("%27", start)) return null;
  return url.slice(0, start) + url.slice(start).replaceAll("%27", "'");
}

type Authority = { scheme: string; userinfo: string; host: string; port: string | undefined; rest: string };

// scheme://[userinfo@]host[:port] then the rest (path, query, fragment).
const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)([\s\S]*)$/;
const HOST_PORT = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d*))?$/;

function splitAuthority(url: string): Authority | null {
  const parts = URL_PARTS.exec(url);
  if (!parts) return null;
  const [, scheme = "", authority = "", rest = ""] = parts;
  const at = authority.lastIndexOf("@");
  const hostPort = HOST_PORT.exec(authority.slice(at + 1));
  if (!hostPort) return null;
  const [, host = "", port] = hostPort;
  return { scheme, userinfo: authority.slice(0, at + 1), host, port: port || undefined, rest };
}

function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function countOf(text: string, char: string): number {
  let count = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) count++;
  return count;
}
