/**
 * Telnyx webhook signatures: `telnyx-signature-ed25519` is the base64 Ed25519 signature of the
 * UTF-8 bytes `telnyx-timestamp + "|" + rawBody`, checked with the account's public key (the
 * base64 of 32 raw bytes that the portal shows). Only node:crypto is used: Node reads a raw
 * Ed25519 key once it is wrapped in the fixed DER header of its SPKI (public) or PKCS #8
 * (private) form.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

/** Telnyx's SDKs refuse a timestamp further than this from their clock, either way. */
export const TELNYX_TOLERANCE_SECONDS = 300;

export const SIGNATURE_HEADER = "telnyx-signature-ed25519";
export const TIMESTAMP_HEADER = "telnyx-timestamp";

/**
 * The key pair of RFC 8032 §7.1 TEST 1. Its private half is printed in the RFC, so a signature
 * made with it proves nothing: it exists so that tests and the demo can sign requests as Telnyx
 * would. Never give a real number this public key.
 */
export const RFC8032_PUBLISHED_TEST_KEY = {
  /** The 32-byte seed, hex: what `simulate` reads from `credentials.privateKey`. */
  privateKey: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
  /** The public key as Telnyx shows one: base64 of the 32 raw bytes. */
  publicKey: "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
} as const;

// The DER that precedes a raw Ed25519 key in SubjectPublicKeyInfo and in PKCS #8 (RFC 8410).
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

const KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;

export type DecodedKey = { ok: true; key: Buffer } | { ok: false; reason: string };

/**
 * Reads a public key as Telnyx shows it (base64 of 32 bytes; the URL-safe alphabet and missing
 * padding are tolerated, whitespace around it too). The reason says what was pasted instead.
 */
export function decodePublicKey(value: string): DecodedKey {
  const text = value.trim();
  if (text === "") return { ok: false, reason: "The Telnyx public key is empty." };
  const bytes = decodeBase64(text);
  if (!bytes) {
    return {
      ok: false,
      reason: "The Telnyx public key is not base64: copy it from the Telnyx portal, Keys & Credentials → Public Key (44 characters ending in “=”).",
    };
  }
  if (bytes.length === KEY_BYTES) return { ok: true, key: bytes };
  if (/^[0-9a-f]{64}$/i.test(text)) {
    return { ok: false, reason: "This looks like the key in hex (64 digits); Telnyx shows its public key in base64 (44 characters ending in “=”): paste that form." };
  }
  if (bytes.length === SPKI_PREFIX.length + KEY_BYTES && bytes.subarray(0, SPKI_PREFIX.length).equals(SPKI_PREFIX)) {
    return { ok: false, reason: "This is the key wrapped as a PEM/SPKI key; paste the bare public key the Telnyx portal shows (44 characters ending in “=”)." };
  }
  return {
    ok: false,
    reason: `The Telnyx public key must decode to exactly ${KEY_BYTES} bytes; this one decodes to ${bytes.length}. Copy it again from Keys & Credentials → Public Key in the Telnyx portal.`,
  };
}

/** Reads the signature header: 64 bytes in base64, or null when it is anything else. */
export function decodeSignature(value: string): Buffer | null {
  const bytes = decodeBase64(value.trim());
  return bytes && bytes.length === SIGNATURE_BYTES ? bytes : null;
}

/** The bytes Telnyx signs: the timestamp header as sent, a `|`, then the body exactly as received. */
export function signedContent(timestamp: string, body: string): Buffer {
  return Buffer.from(`${timestamp}|${body}`, "utf8");
}

/**
 * Whether `signature` is this key's Ed25519 signature of `message`. Ed25519 verification has
 * no secret to leak through timing; a key Node refuses to read counts as a mismatch. Never
 * throws.
 */
export function verifyEd25519(publicKey: Buffer, message: Buffer, signature: Buffer): boolean {
  if (publicKey.length !== KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
  try {
    return verify(null, message, publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}

/** Whether the headers' signature is the key's over `timestamp|body`. Never throws. */
export function isValidTelnyxSignature(publicKey: Buffer, timestamp: string, body: string, signature: Buffer): boolean {
  return verifyEd25519(publicKey, signedContent(timestamp, body), signature);
}

/**
 * Signs as Telnyx does, answering the header value (base64). `seedHex` is a 32-byte Ed25519
 * private seed in hex; throws when it is not one (only tests and the simulator sign).
 */
export function signTelnyx(seedHex: string, timestamp: string, body: string): string {
  return sign(null, signedContent(timestamp, body), privateKeyObject(seedHex)).toString("base64");
}

/** The base64 public key (Telnyx's form) belonging to a hex private seed; throws when it is not one. */
export function publicKeyOfSeed(seedHex: string): string {
  const der = createPublicKey(privateKeyObject(seedHex)).export({ format: "der", type: "spki" });
  return der.subarray(SPKI_PREFIX.length).toString("base64");
}

function publicKeyObject(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: "der", type: "spki" });
}

function privateKeyObject(seedHex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(seedHex.trim())) throw new Error("An Ed25519 private key for signing must be 32 bytes in hex (64 hex digits).");
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, Buffer.from(seedHex.trim(), "hex")]), format: "der", type: "pkcs8" });
}

/**
 * Strict base64 (standard or URL-safe alphabet, padding optional): null for anything else, since
 * Buffer.from(…, "base64") silently skips what it cannot read.
 */
function decodeBase64(text: string): Buffer | null {
  if (text.length > 1024 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  const unpadded = text.replace(/=+$/, "");
  if (unpadded.length % 4 === 1) return null;
  if (text.includes("=") && text.length % 4 !== 0) return null;
  return Buffer.from(unpadded.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}
