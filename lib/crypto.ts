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

const CIPHER = "aes-256-gcm";
const VERSION = "v1";

/**
 * Encrypts a small secret (a Vonage signature secret) with AES-256-GCM under
 * MOSHI_ENCRYPTION_KEY. Output: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
export function encryptSecret(plaintext: string, key = encryptionKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv(CIPHER, key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function decryptSecret(sealed: string, key = encryptionKey()): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
    throw new Error("Unrecognised encrypted secret format");
  }
  const decipher = createDecipheriv(CIPHER, key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/** MOSHI_ENCRYPTION_KEY: 32 bytes, given as base64 (44 characters) or hex (64 characters). */
export function encryptionKey(value = process.env.MOSHI_ENCRYPTION_KEY): Buffer {
  if (!value) throw new Error("MOSHI_ENCRYPTION_KEY is not set (32 random bytes, base64: `openssl rand -base64 32`).");
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
  if (key.length !== 32) throw new Error("MOSHI_ENCRYPTION_KEY must decode to exactly 32 bytes.");
  return key;
}

export type SecretResult = { ok: true; value: string; previousKey: boolean } | { ok: false; reason: string };

/** Opens a sealed secret; never throws. */
export function openSecret(sealed: string): SecretResult {
  try {
    return { ok: true, value: decryptSecret(sealed), previousKey: false };
  } catch (error) {
    return { ok: false, reason: `The stored secret cannot be decrypted with MOSHI_ENCRYPTION_KEY (${error instanceof Error ? error.message : String(error)}).` };
  }
}
