import { createCipheriv, randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { encryptSecret, encryptionKey, encryptionKeyProblems, generateToken, hashToken, keyId, openSecret, safeEqual } from "@/lib/crypto";

const oldKey = Buffer.alloc(32, 7);
const newKey = Buffer.alloc(32, 8);
const strangerKey = Buffer.alloc(32, 9);

function useKeys(current: Buffer | string | undefined, previous?: Buffer | string) {
  vi.stubEnv("MOSHI_ENCRYPTION_KEY", typeof current === "string" || current === undefined ? current : current.toString("base64"));
  vi.stubEnv("MOSHI_ENCRYPTION_KEY_PREVIOUS", typeof previous === "string" || previous === undefined ? previous : previous.toString("base64"));
}

beforeEach(() => useKeys(oldKey));
afterEach(() => vi.unstubAllEnvs());

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

describe("the encryption key", () => {
  const key = randomBytes(32);

  it("is read from 64 hex characters, canonical base64 or base64url", () => {
    expect(encryptionKey(key.toString("hex"))).toEqual(key);
    expect(encryptionKey(key.toString("hex").toUpperCase())).toEqual(key);
    expect(encryptionKey(key.toString("base64"))).toEqual(key);
    expect(encryptionKey(key.toString("base64url"))).toEqual(key);
    // `openssl rand -base64 32` prints exactly this form.
    expect(encryptionKey("dGVzdC1vbmx5LWtleS1mb3ItbW9zaGktdml0ZXN0czA=")).toEqual(Buffer.from("test-only-key-for-moshi-vitests0"));
  });

  it("defaults to MOSHI_ENCRYPTION_KEY, and says how to make one when it is unset", () => {
    expect(encryptionKey()).toEqual(oldKey);
    useKeys(undefined);
    expect(() => encryptionKey()).toThrow(/MOSHI_ENCRYPTION_KEY is not set.*openssl rand -base64 32/);
    expect(() => encryptionKey("")).toThrow(/MOSHI_ENCRYPTION_KEY is not set/);
  });

  it("must be exactly 32 bytes", () => {
    expect(() => encryptionKey(randomBytes(31).toString("base64"))).toThrow(/decodes to 31 bytes, not 32/);
    expect(() => encryptionKey(randomBytes(33).toString("base64"))).toThrow(/decodes to 33 bytes, not 32/);
    expect(() => encryptionKey(randomBytes(31).toString("hex"))).toThrow(/has 62 hex characters, not 64/);
    expect(() => encryptionKey(randomBytes(33).toString("hex"))).toThrow(/has 66 hex characters, not 64/);
    expect(() => encryptionKey("c2hvcnQ=")).toThrow(/decodes to 5 bytes, not 32/);
  });

  // Each of these is 32 bytes to Buffer.from(…, "base64"), which skips what it does not expect.
  const base64 = key.toString("base64");
  const lenient = {
    "a stray character": [base64.slice(0, 10) + "!" + base64.slice(10), /contains "!" at character 11/],
    "a trailing line break": [base64 + "\n", /contains whitespace at character 45/],
    "a space inside": [base64.slice(0, 20) + " " + base64.slice(20), /contains whitespace at character 21/],
    "a leading space": [" " + base64, /contains whitespace at character 1/],
    "base64 without its padding": [base64.slice(0, -1).replace(/^./, "+"), /base64 without its closing "="/],
    "extra padding": [base64 + "=", /ends in 2 "="/],
    "base64url with padding": [key.toString("base64url").replace(/^./, "-") + "=", /base64url with "=" padding/],
    "both alphabets": ["+_" + base64.slice(2), /mixes base64/],
  } as const;
  for (const [what, [value, message]] of Object.entries(lenient)) {
    it(`is refused with ${what}`, () => {
      expect(Buffer.from(value, "base64").length).toBe(32);
      expect(() => encryptionKey(value)).toThrow(message);
    });
  }

  it("is refused with padding anywhere but the end", () => {
    expect(() => encryptionKey(base64.slice(0, 20) + "=" + base64.slice(20, -1))).toThrow(/"=" inside it/);
  });

  it("is refused when its last character carries bits beyond 32 bytes", () => {
    // "A=" ends a canonical key; "B=" decodes to the same bytes plus a stray bit.
    const canonical = Buffer.alloc(32).toString("base64");
    expect(canonical.endsWith("A=")).toBe(true);
    const edited = canonical.slice(0, -2) + "B=";
    expect(Buffer.from(edited, "base64")).toEqual(Buffer.alloc(32));
    expect(() => encryptionKey(edited)).toThrow(/not canonical base64: its last character "B"/);
  });

  it("has a short public id: the start of its SHA-256", () => {
    expect(keyId(Buffer.alloc(32))).toBe("66687aad");
  });
});

describe("sealed secrets", () => {
  it("round-trip under the current key, and never produce the same value twice", () => {
    const a = encryptSecret("vonage-secret-ü");
    const b = encryptSecret("vonage-secret-ü");
    expect(a).not.toBe(b);
    expect(a).not.toContain("vonage");
    expect(a.startsWith(`v2.${keyId(oldKey)}.`)).toBe(true);
    expect(openSecret(a)).toEqual({ ok: true, value: "vonage-secret-ü", previousKey: false });
  });

  it("still open with MOSHI_ENCRYPTION_KEY_PREVIOUS after a rotation, and new ones use the new key", () => {
    const sealed = encryptSecret("secret");
    useKeys(newKey, oldKey);
    expect(openSecret(sealed)).toEqual({ ok: true, value: "secret", previousKey: true });
    const resealed = encryptSecret("secret");
    expect(resealed.startsWith(`v2.${keyId(newKey)}.`)).toBe(true);
    expect(openSecret(resealed)).toEqual({ ok: true, value: "secret", previousKey: false });
  });

  it("name the key they were sealed with when neither configured key is it", () => {
    const sealed = encryptSecret("secret");
    useKeys(newKey);
    const result = openSecret(sealed);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toBe(
      `The stored signature secret was sealed with key ${keyId(oldKey)}, which is neither MOSHI_ENCRYPTION_KEY (${keyId(newKey)}) ` +
        "nor MOSHI_ENCRYPTION_KEY_PREVIOUS (not set). Set MOSHI_ENCRYPTION_KEY_PREVIOUS to that key and run `npm run keys:rotate`, " +
        "or enter the number's signature secret again on the Numbers page.",
    );
    useKeys(newKey, strangerKey);
    expect(openSecret(sealed)).toMatchObject({ ok: false, reason: expect.stringContaining(`nor MOSHI_ENCRYPTION_KEY_PREVIOUS (${keyId(strangerKey)})`) });
  });

  it("explain an invalid key instead of throwing", () => {
    const sealed = encryptSecret("secret");
    useKeys("not-a-key", "also bad");
    expect(openSecret(sealed)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("neither MOSHI_ENCRYPTION_KEY (set but invalid, see the server log) nor MOSHI_ENCRYPTION_KEY_PREVIOUS (set but invalid"),
    });
    expect(() => encryptSecret("secret")).toThrow(/MOSHI_ENCRYPTION_KEY is 9 base64 characters long/);
    useKeys(undefined);
    expect(openSecret(sealed)).toMatchObject({ ok: false, reason: expect.stringContaining("MOSHI_ENCRYPTION_KEY (not set)") });
  });

  it("that were tampered with are reported as damaged", () => {
    const sealed = encryptSecret("secret");
    const parts = sealed.split(".");
    const body = Buffer.from(parts[4]!, "base64url");
    body[0]! ^= 1;
    const tampered = [...parts.slice(0, 4), body.toString("base64url")].join(".");
    expect(openSecret(tampered)).toMatchObject({ ok: false, reason: expect.stringMatching(/sealed with key \w{8} \(MOSHI_ENCRYPTION_KEY\) but does not open with it, so it is damaged/) });

    // The key id is authenticated too: relabelling a value for another configured key fails.
    useKeys(oldKey, newKey);
    const relabelled = [parts[0], keyId(newKey), ...parts.slice(2)].join(".");
    expect(openSecret(relabelled)).toMatchObject({ ok: false, reason: expect.stringContaining("(MOSHI_ENCRYPTION_KEY_PREVIOUS) but does not open with it") });

    for (const garbage of ["", "hello", "v2.zzzzzzzz.a.b.c", "v1.a.b", `v2.${keyId(oldKey)}.${parts[2]}.${parts[3]}`, sealed.replace(/\.([^.]+)\./, ".$1!.")]) {
      expect(openSecret(garbage)).toMatchObject({ ok: false, reason: expect.stringContaining("is damaged (not a value Moshi sealed)") });
    }
  });

  it("never throw, whatever is stored", () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.base64String(), { maxLength: 5 }), (text, parts) => {
        for (const value of [text, ["v1", ...parts].join("."), ["v2", keyId(oldKey), ...parts].join(".")]) {
          const result = openSecret(value);
          expect(result.ok ? typeof result.value : result.reason).toEqual(expect.any(String));
        }
      }),
    );
  });

  describe("in the older format without a key id", () => {
    it("open with the current key or the previous one", () => {
      const legacy = sealV1("legacy-secret", oldKey);
      expect(openSecret(legacy)).toEqual({ ok: true, value: "legacy-secret", previousKey: false });
      useKeys(newKey, oldKey);
      expect(openSecret(legacy)).toEqual({ ok: true, value: "legacy-secret", previousKey: true });
    });

    it("say that neither key opens them", () => {
      useKeys(newKey);
      expect(openSecret(sealV1("legacy-secret", oldKey))).toMatchObject({
        ok: false,
        reason: expect.stringContaining(
          `sealed before Moshi recorded key ids, and neither MOSHI_ENCRYPTION_KEY (${keyId(newKey)}) nor MOSHI_ENCRYPTION_KEY_PREVIOUS (not set) opens it`,
        ),
      });
    });
  });
});

describe("start-up key check", () => {
  it("is quiet for valid keys, and names each problem otherwise", () => {
    expect(encryptionKeyProblems()).toEqual([]);
    useKeys(newKey, oldKey);
    expect(encryptionKeyProblems()).toEqual([]);
    useKeys(oldKey, oldKey.toString("hex"));
    expect(encryptionKeyProblems()).toEqual([expect.stringContaining("MOSHI_ENCRYPTION_KEY_PREVIOUS is the same key as MOSHI_ENCRYPTION_KEY")]);
    useKeys(oldKey.toString("base64") + "\n", "x");
    expect(encryptionKeyProblems()).toEqual([
      expect.stringMatching(/^MOSHI_ENCRYPTION_KEY contains whitespace .* numbers' credentials \(signature secrets, auth tokens\) can be neither saved nor checked/),
      expect.stringMatching(/^MOSHI_ENCRYPTION_KEY_PREVIOUS is 1 base64 characters long/),
    ]);
  });
});

describe("safeEqual", () => {
  it("compares exactly", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
  });
});

/** A secret as Moshi sealed it before key ids: `v1.<iv>.<tag>.<ciphertext>`, no associated data. */
function sealV1(plaintext: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}
