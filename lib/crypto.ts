import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A new secret token: 192 random bits, URL-safe (base64url, 32 characters). */
export function generateToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Tokens are stored only as their SHA-256 (hex); lookups hash the presented token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Constant-time comparison of two strings (false when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Why a sealed secret could not be opened, in words for the team, with the fix. */
export type SecretResult =
  | {
      ok: true;
      value: string;
      /** true when it was sealed with MOSHI_ENCRYPTION_KEY_PREVIOUS */
      previousKey: boolean;
    }
  | { ok: false; reason: string };

const CIPHER = "aes-256-gcm";
const CURRENT = "MOSHI_ENCRYPTION_KEY";
const PREVIOUS = "MOSHI_ENCRYPTION_KEY_PREVIOUS";

/**
 * Seals a small secret (a number's credentials) with AES-256-GCM under MOSHI_ENCRYPTION_KEY:
 * `v2.<key id>.<iv>.<tag>.<ciphertext>`, binary parts base64url. The key id (see keyId) lets a
 * failure say which key a value needs; the version and key id are authenticated with the value.
 * Throws when MOSHI_ENCRYPTION_KEY is missing or invalid.
 */
export function encryptSecret(plaintext: string): string {
  const key = encryptionKey();
  const header = `v2.${keyId(key)}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv(CIPHER, key, iv);
  cipher.setAAD(Buffer.from(header, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [header, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

/**
 * Opens a value sealed by encryptSecret, with MOSHI_ENCRYPTION_KEY or, during a rotation,
 * MOSHI_ENCRYPTION_KEY_PREVIOUS. Never throws: a missing or invalid key, a value sealed with
 * another key and a damaged value all become a reason the team can read.
 *
 * Also reads the older `v1.<iv>.<tag>.<ciphertext>`, which names no key: both keys are tried.
 */
export function openSecret(sealed: string, { noun = "signature secret" }: { noun?: string } = {}): SecretResult {
  const REENTER = `enter the number's ${noun} again on the Numbers page`;
  const parsed = parseSealed(sealed);
  if (!parsed) return { ok: false, reason: `The stored ${noun} is damaged (not a value Moshi sealed): ${REENTER}.` };
  const slots = [readKeySlot(CURRENT), readKeySlot(PREVIOUS)] as const;
  const usable = slots.filter((slot) => slot.key !== null);
  const configured = `${describeSlot(slots[0])} nor ${describeSlot(slots[1])}`;

  if (parsed.keyId !== null) {
    const slot = usable.find((candidate) => candidate.id === parsed.keyId);
    if (!slot) {
      return {
        ok: false,
        reason:
          `The stored ${noun} was sealed with key ${parsed.keyId}, which is neither ${configured}. ` +
          `Set ${PREVIOUS} to that key and run \`npm run keys:rotate\`, or ${REENTER}.`,
      };
    }
    const value = decrypt(parsed, slot.key!);
    if (value === null) {
      return { ok: false, reason: `The stored ${noun} was sealed with key ${parsed.keyId} (${slot.name}) but does not open with it, so it is damaged: ${REENTER}.` };
    }
    return { ok: true, value, previousKey: slot.name === PREVIOUS };
  }

  for (const slot of usable) {
    const value = decrypt(parsed, slot.key!);
    if (value !== null) return { ok: true, value, previousKey: slot.name === PREVIOUS };
  }
  return {
    ok: false,
    reason:
      `The stored ${noun} was sealed before Moshi recorded key ids, and neither ${configured} opens it: ` +
      `it was sealed with another key, or it is damaged. Set ${PREVIOUS} to the key it was sealed with, or ${REENTER}.`,
  };
}

/**
 * MOSHI_ENCRYPTION_KEY (or the given value): exactly 32 bytes, written as 64 hex characters, as
 * canonical base64 (44 characters, ending in one "=") or as base64url (43 characters, no "=").
 * Anything else is refused with the reason, including what Buffer.from(…, "base64") would
 * quietly accept: a stray character, whitespace, a wrong length, missing or extra padding.
 */
export function encryptionKey(value: string | undefined = process.env[CURRENT]): Buffer {
  return parseKey(CURRENT, value);
}

/**
 * What is wrong with the configured keys, one sentence each, for the server log at start-up.
 * Empty when MOSHI_ENCRYPTION_KEY is valid and MOSHI_ENCRYPTION_KEY_PREVIOUS is valid or unset.
 */
export function encryptionKeyProblems(): string[] {
  const [current, previous] = [readKeySlot(CURRENT), readKeySlot(PREVIOUS)];
  const problems: string[] = [];
  if (current.error) problems.push(`${current.error} numbers' credentials (signature secrets, auth tokens) can be neither saved nor checked until it is fixed.`);
  if (previous.error) problems.push(`${previous.error} Secrets sealed with the previous key cannot be opened until it is fixed.`);
  if (current.id && current.id === previous.id) problems.push(`${PREVIOUS} is the same key as ${CURRENT} (${current.id}): set it to the key being replaced, or remove it.`);
  return problems;
}

/**
 * A short, public name for a key: the first 8 hex digits of its SHA-256. It tells keys apart in
 * messages without revealing them (`openssl base64 -d <<< "$KEY" | sha256sum | cut -c1-8`).
 */
export function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

type Sealed = { keyId: string | null; aad: string | null; iv: Buffer; tag: Buffer; ciphertext: Buffer };

function parseSealed(sealed: string): Sealed | null {
  const parts = sealed.split(".");
  const binary = (part: string | undefined) => (part !== undefined && /^[A-Za-z0-9_-]*$/.test(part) ? Buffer.from(part, "base64url") : null);
  let keyIdPart: string | null = null;
  let rest: (string | undefined)[];
  if (parts[0] === "v2" && parts.length === 5 && /^[0-9a-f]{8}$/.test(parts[1]!)) {
    keyIdPart = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === "v1" && parts.length === 4) {
    rest = parts.slice(1);
  } else {
    return null;
  }
  const [iv, tag, ciphertext] = rest.map(binary);
  if (!iv || iv.length !== 12 || !tag || tag.length !== 16 || !ciphertext) return null;
  return { keyId: keyIdPart, aad: keyIdPart === null ? null : `v2.${keyIdPart}`, iv, tag, ciphertext };
}

function decrypt({ aad, iv, tag, ciphertext }: Sealed, key: Buffer): string | null {
  try {
    const decipher = createDecipheriv(CIPHER, key, iv);
    if (aad !== null) decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

type KeySlot = { name: string; set: boolean; key: Buffer | null; id: string | null; error: string | null };

// Read on every use rather than once: tests and scripts set the environment after import.
function readKeySlot(name: typeof CURRENT | typeof PREVIOUS): KeySlot {
  const value = process.env[name];
  if (!value) return { name, set: false, key: null, id: null, error: name === CURRENT ? keyError(name, value) : null };
  try {
    const key = parseKey(name, value);
    return { name, set: true, key, id: keyId(key), error: null };
  } catch (error) {
    return { name, set: true, key: null, id: null, error: (error as Error).message };
  }
}

function describeSlot(slot: KeySlot): string {
  if (slot.id) return `${slot.name} (${slot.id})`;
  return `${slot.name} (${slot.set ? "set but invalid, see the server log" : "not set"})`;
}

function parseKey(name: string, value: string | undefined): Buffer {
  const error = keyError(name, value);
  if (error) throw new Error(error);
  if (value!.length === 64) return Buffer.from(value!, "hex");
  return Buffer.from(value!.replace(/=$/, ""), /[-_]/.test(value!) ? "base64url" : "base64");
}

const FORMATS = `64 hex characters, 44 base64 characters ending in "=", or 43 base64url characters`;

/** The reason a key value is refused, or null when it is exactly 32 bytes in a canonical form. */
function keyError(name: string, value: string | undefined): string | null {
  const refuse = (why: string) => `${name} ${why}. Expected 32 random bytes as ${FORMATS} (\`openssl rand -base64 32\`).`;
  if (!value) return refuse("is not set");
  if (/^[0-9a-fA-F]{64}$/.test(value)) return null;

  const space = value.search(/\s/);
  if (space !== -1) return refuse(`contains whitespace at character ${space + 1} (a line break or space from copying it?)`);
  const stray = value.search(/[^A-Za-z0-9+/_=-]/);
  if (stray !== -1) return refuse(`contains ${JSON.stringify(value[stray])} at character ${stray + 1}, which is neither hex nor base64`);
  if (/[+/]/.test(value) && /[-_]/.test(value)) return refuse(`mixes base64 ("+", "/") and base64url ("-", "_") characters`);
  const body = value.replace(/=+$/, "");
  if (body.includes("=")) return refuse(`has "=" inside it, where only the end may carry padding`);

  if (body.length !== 43) {
    if (/^[0-9a-fA-F]+$/.test(value)) return refuse(`has ${value.length} hex characters, not 64`);
    if (body.length % 4 === 1) return refuse(`is ${body.length} base64 characters long, which no number of bytes encodes to`);
    return refuse(`decodes to ${Math.floor((body.length * 3) / 4)} bytes, not 32`);
  }
  const padding = value.length - body.length;
  const urlSafe = /[-_]/.test(value);
  if (urlSafe && padding > 0) return refuse(`is base64url with "=" padding, which base64url keys are written without`);
  if (/[+/]/.test(value) && padding === 0) return refuse(`is base64 without its closing "="`);
  if (padding > 1) return refuse(`ends in ${padding} "=", where 32 bytes of base64 end in exactly one`);
  // 43 characters carry 258 bits; the last 2 must be zero, or the key was edited or mistyped.
  const bytes = Buffer.from(body, urlSafe ? "base64url" : "base64");
  if (bytes.toString(urlSafe ? "base64url" : "base64").replace(/=$/, "") !== body) {
    return refuse(`is not canonical base64: its last character ${JSON.stringify(body.at(-1))} carries bits beyond 32 bytes`);
  }
  return null;
}
