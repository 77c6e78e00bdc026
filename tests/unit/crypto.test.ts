import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, encryptionKey, generateToken, hashToken, safeEqual } from "@/lib/crypto";

const key = Buffer.alloc(32, 7);

describe("webhook tokens", () => {
  it("are URL-safe and carry at least 128 random bits", () => {
    const tokens = new Set(Array.from({ length: 200 }, generateToken));
    expect(tokens.size).toBe(200);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      // 32 base64url characters encode 24 bytes = 192 bits.
      expect(Buffer.from(token, "base64url").length * 8).toBeGreaterThanOrEqual(128);
    }
  });

  it("are stored as their SHA-256", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("secret encryption", () => {
  it("round-trips, and never produces the same ciphertext twice", () => {
    const a = encryptSecret("vonage-secret-ü", key);
    const b = encryptSecret("vonage-secret-ü", key);
    expect(a).not.toBe(b);
    expect(a).not.toContain("vonage");
    expect(decryptSecret(a, key)).toBe("vonage-secret-ü");
  });

  it("refuses a tampered ciphertext or the wrong key", () => {
    const sealed = encryptSecret("secret", key);
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0]! ^= 1;
    parts[3] = body.toString("base64url");
    expect(() => decryptSecret(parts.join("."), key)).toThrow();
    expect(() => decryptSecret(sealed, Buffer.alloc(32, 8))).toThrow();
  });

  it("reads the key as base64 or hex and insists on 32 bytes", () => {
    expect(encryptionKey(key.toString("base64"))).toEqual(key);
    expect(encryptionKey(key.toString("hex"))).toEqual(key);
    expect(() => encryptionKey("c2hvcnQ=")).toThrow(/32 bytes/);
    expect(() => encryptionKey("")).toThrow(/MOSHI_ENCRYPTION_KEY/);
  });
});

describe("safeEqual", () => {
  it("compares exactly", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
  });
});
