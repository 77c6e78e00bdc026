import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildVonageSignatureString, isValidVonageSignature, signVonageParams } from "@/lib/sms/providers/vonage/signature";
import type { VonageSignatureMethod as SignatureMethod } from "@/lib/sms/providers/vonage/schema";
import { readJsonFixture } from "../helpers/http-fixture";

type Vector = {
  id: string;
  algorithm: "md5hash" | "md5" | "sha1" | "sha256" | "sha512";
  secret: string;
  params?: Record<string, string>;
  params_ref?: string;
  sig: string;
};

const { vectors } = readJsonFixture<{ vectors: Vector[] }>("vonage-signature-vectors.json");

/** Every vector with its parameters resolved (`params_ref` names another vector's). */
const resolved = vectors.map((vector) => {
  const params = vector.params ?? vectors.find((other) => other.id === vector.params_ref)?.params;
  if (!params) throw new Error(`Vector ${vector.id} has no parameters`);
  return { ...vector, params, method: vector.algorithm.toUpperCase() as SignatureMethod };
});

describe("Vonage signature vectors", () => {
  it("covers every vector in the reference file", () => {
    expect(resolved).toHaveLength(11);
    expect(new Set(resolved.map((v) => v.method))).toEqual(new Set(["MD5HASH", "MD5", "SHA1", "SHA256", "SHA512"]));
  });

  it.each(resolved)("$id: signs to the published sig", ({ params, secret, method, sig }) => {
    expect(signVonageParams(params, secret, method)).toBe(sig.toLowerCase());
  });

  it.each(resolved)("$id: accepts the sig in lower and upper case", ({ params, secret, method, sig }) => {
    expect(isValidVonageSignature(params, sig.toLowerCase(), secret, method)).toBe(true);
    expect(isValidVonageSignature(params, sig.toUpperCase(), secret, method)).toBe(true);
  });

  it.each(resolved)("$id: refuses a tampered text, another secret and another method", ({ params, secret, method, sig }) => {
    expect(isValidVonageSignature({ ...params, text: `${params.text}!` }, sig, secret, method)).toBe(false);
    expect(isValidVonageSignature(params, sig, `${secret}x`, method)).toBe(false);
    const other: SignatureMethod = method === "SHA256" ? "SHA512" : "SHA256";
    expect(isValidVonageSignature(params, sig, secret, other)).toBe(false);
  });

  it.each(resolved)("$id: accepts an empty parameter whether the signer kept or dropped it", ({ params, secret, method }) => {
    const withEmpty = { ...params, keyword: "" };
    const kept = signVonageParams(withEmpty, secret, method);
    const dropped = signVonageParams(withEmpty, secret, method, { dropEmpty: true });
    expect(kept).not.toBe(dropped);
    expect(isValidVonageSignature(withEmpty, kept, secret, method)).toBe(true);
    expect(isValidVonageSignature(withEmpty, dropped.toUpperCase(), secret, method)).toBe(true);
    // Dropping empties is a way of signing, not a licence to change what was signed.
    expect(isValidVonageSignature({ ...withEmpty, text: "changed" }, dropped, secret, method)).toBe(false);
  });
});

describe("the string Vonage signs", () => {
  it("sorts keys in byte order, keeps the leading &, and replaces & and = inside values", () => {
    const vector = resolved.find((v) => v.id === "inbound-5-amp-eq-in-text")!;
    expect(buildVonageSignatureString(vector.params)).toBe(
      "&keyword=TEST&message-timestamp=2017-04-04 22:57:47&messageId=0B00000042AC53BD&msisdn=14843472194" +
        "&nonce=929d6744-bd28-42c8-b6cf-31d5b4f43732&text=Test with _ and _&timestamp=1491346667&to=12192259404&type=text",
    );
  });

  it("leaves sig out and keys untouched", () => {
    expect(buildVonageSignatureString({ b: "1", sig: "abc", "a=b": "x&y" })).toBe("&a=b=x_y&b=1");
  });

  it("drops empty values only when asked", () => {
    expect(buildVonageSignatureString({ a: "", b: "1" })).toBe("&a=&b=1");
    expect(buildVonageSignatureString({ a: "", b: "1" }, { dropEmpty: true })).toBe("&b=1");
  });

  it("orders by UTF-8 bytes, where characters above U+FFFF follow U+FFFD", () => {
    // Code-unit order would put "😀" (D83D…) before "\uFFFD"; UTF-8 (F0… after EF…) does not.
    expect(buildVonageSignatureString({ "😀": "1", "\uFFFD": "2", Z: "3", a: "4" })).toBe("&Z=3&a=4&\uFFFD=2&😀=1");
  });

  it("verifies whatever it signs, for any parameters, secret and method", () => {
    const method = fc.constantFrom<SignatureMethod>("MD5HASH", "MD5", "SHA1", "SHA256", "SHA512");
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), fc.string(), method, fc.boolean(), (params, secret, m, dropEmpty) => {
        const sig = signVonageParams(params, secret, m, { dropEmpty });
        expect(isValidVonageSignature({ ...params, sig }, sig, secret, m)).toBe(true);
      }),
    );
  });
});
