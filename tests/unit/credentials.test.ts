import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { encryptSecret, openSecret } from "@/lib/crypto";
import { credentialFields, credentialsNoun, openCredentials, readCredentialsInput, sealCredentials, summarizeCredentials } from "@/lib/sms/credentials";
import { adapters, PROVIDERS } from "@/lib/sms/registry";

const key = Buffer.alloc(32, 3);
const otherKey = Buffer.alloc(32, 4);

beforeEach(() => vi.stubEnv("MOSHI_ENCRYPTION_KEY", key.toString("base64")));
afterEach(() => vi.unstubAllEnvs());

describe("a provider's credential form", () => {
  it("is generated from its module's schema: titles, help, secrecy and choices", () => {
    const vonage = credentialFields("VONAGE");
    expect(vonage.map((field) => [field.name, field.title, field.secret])).toEqual([
      ["signatureMethod", "Signature method", false],
      ["signatureSecret", "Signature secret", true],
    ]);
    expect(vonage[0]!.options).toContainEqual({ value: "SHA256", label: "HMAC-SHA256 (sha256)" });
    expect(vonage[1]!.description).toMatch(/Vonage dashboard/);
    expect(credentialFields("RAKUTEN")).toEqual([]);
    expect(credentialsNoun("VONAGE")).toBe("signature secret");
  });

  it("gives every field of every provider a title and help text, so no form shows a bare field name", () => {
    for (const provider of PROVIDERS) {
      for (const field of credentialFields(provider)) {
        expect(field.title, `${provider}.${field.name}`).not.toBe(field.name);
        expect(field.description.length, `${provider}.${field.name}`).toBeGreaterThan(20);
      }
      expect(adapters[provider].credentialsHelp.length).toBeGreaterThan(20);
    }
  });
});

describe("stored credentials", () => {
  const vonage = { signatureMethod: "SHA256", signatureSecret: "s3cret" };

  it("are sealed whole, and open only through the provider's schema", () => {
    const sealed = sealCredentials(vonage)!;
    expect(sealed).not.toContain("s3cret");
    expect(sealed).not.toContain("SHA256");
    expect(openCredentials("VONAGE", sealed)).toEqual({ ok: true, value: vonage, previousKey: false });
    expect(sealCredentials({ signatureSecret: undefined })).toBeNull();
    expect(sealCredentials(null)).toBeNull();
    expect(openCredentials("VONAGE", null)).toEqual({ ok: true, value: null, previousKey: false });
  });

  it("read the form the migration left: a JSON object whose secret field is sealed on its own", () => {
    const migrated = JSON.stringify({ signatureMethod: "MD5HASH", signatureSecret: encryptSecret("legacy") });
    expect(openCredentials("VONAGE", migrated)).toEqual({ ok: true, value: { signatureMethod: "MD5HASH", signatureSecret: "legacy" }, previousKey: false });
    expect(summarizeCredentials("VONAGE", migrated)).toEqual({ state: "set", values: { signatureMethod: "MD5HASH" }, secretsSet: ["signatureSecret"] });
  });

  it("say what is wrong when they cannot be read, in the provider's words for them", () => {
    const sealed = sealCredentials(vonage)!;
    vi.stubEnv("MOSHI_ENCRYPTION_KEY", otherKey.toString("base64"));
    const opened = openCredentials("VONAGE", sealed);
    expect(opened).toMatchObject({ ok: false, reason: expect.stringMatching(/^The stored signature secret was sealed with key /) });
    expect(summarizeCredentials("VONAGE", sealed)).toMatchObject({ state: "unreadable" });
    expect(openCredentials("TWILIO", "{not json")).toMatchObject({ ok: false, reason: expect.stringMatching(/auth token is damaged/i) });
    // Sealed, but no longer what the provider's schema accepts.
    vi.stubEnv("MOSHI_ENCRYPTION_KEY", key.toString("base64"));
    expect(openCredentials("VONAGE", encryptSecret(JSON.stringify({ signatureSecret: "no method" })))).toMatchObject({ ok: false, reason: expect.stringMatching(/no longer passes/) });
    expect(openSecret(sealed)).toMatchObject({ ok: true });
  });
});

describe("the credential fields of a submitted form", () => {
  it("are checked by the provider's schema, each problem on its field, and empty secrets keep the stored ones", () => {
    expect(readCredentialsInput("TELNYX", { "credentials.publicKey": "not-a-key" })).toMatchObject({ ok: false, fieldErrors: { "credentials.publicKey": expect.any(String) } });
    expect(readCredentialsInput("TWILIO", { "credentials.authToken": "  0123456789abcdef0123456789abcdef " })).toEqual({
      ok: true,
      value: { authToken: "0123456789abcdef0123456789abcdef" },
    });
    expect(readCredentialsInput("TWILIO", { "credentials.authToken": "" }, { authToken: "kept" })).toEqual({ ok: true, value: { authToken: "kept" } });
    expect(readCredentialsInput("TWILIO", {})).toEqual({ ok: true, value: null });
    // A provider without credentials ignores anything posted under their names.
    expect(readCredentialsInput("RAKUTEN", { "credentials.authToken": "x" })).toEqual({ ok: true, value: null });
  });
});
