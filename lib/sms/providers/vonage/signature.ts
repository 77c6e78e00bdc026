/**
 * Vonage SMS API webhook signatures (`sig`). Written from the SDKs' test vectors rather than
 * with `@vonage/auth`, whose `createSignatureHash` builds a different string.
 */
import { createHash, createHmac } from "node:crypto";
import { safeEqual } from "@/lib/crypto";
import type { VonageSignatureMethod as SignatureMethod } from "./schema";

/**
 * The string Vonage signs: every parameter except `sig`, sorted by key in byte order, each as
 * `&key=value` (the leading `&` kept) with `&` and `=` inside the value replaced by `_`. Values
 * are the decoded ones. With `dropEmpty`, parameters whose value is empty are left out, as one
 * of Vonage's SDKs does.
 */
export function buildVonageSignatureString(params: Record<string, string>, { dropEmpty = false }: { dropEmpty?: boolean } = {}): string {
  return Object.entries(params)
    .filter(([key, value]) => key !== "sig" && !(dropEmpty && value === ""))
    .sort(([a], [b]) => compareBytes(a, b))
    .map(([key, value]) => `&${key}=${value.replace(/[&=]/g, "_")}`)
    .join("");
}

/**
 * Signs parameters as Vonage does, answering lowercase hex: `MD5HASH` is MD5 of the string
 * followed by the secret; the others are HMACs of the string keyed with the secret.
 */
export function signVonageParams(params: Record<string, string>, secret: string, method: SignatureMethod, options?: { dropEmpty?: boolean }): string {
  return digest(buildVonageSignatureString(params, options), secret, method);
}

/**
 * Whether `sig` (either case) was made from these parameters with this secret and method.
 * Both forms of the string are accepted, with empty values kept and dropped, since Vonage's
 * SDKs disagree; the comparison runs in constant time. Never throws.
 */
export function isValidVonageSignature(params: Record<string, string>, sig: string, secret: string, method: SignatureMethod): boolean {
  const presented = sig.trim().toLowerCase();
  const kept = signVonageParams(params, secret, method);
  if (safeEqual(kept, presented)) return true;
  const hasEmpty = Object.entries(params).some(([key, value]) => key !== "sig" && value === "");
  return hasEmpty && safeEqual(signVonageParams(params, secret, method, { dropEmpty: true }), presented);
}

function digest(data: string, secret: string, method: SignatureMethod): string {
  switch (method) {
    case "MD5HASH":
      return createHash("md5").update(data + secret, "utf8").digest("hex");
    case "MD5":
      return createHmac("md5", secret).update(data, "utf8").digest("hex");
    case "SHA1":
      return createHmac("sha1", secret).update(data, "utf8").digest("hex");
    case "SHA256":
      return createHmac("sha256", secret).update(data, "utf8").digest("hex");
    case "SHA512":
      return createHmac("sha512", secret).update(data, "utf8").digest("hex");
  }
}

// Byte order of the UTF-8 encoding, as the SDKs' sorts see it; UTF-16 code-unit order (the
// default of Array#sort) differs for characters above U+FFFF.
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
