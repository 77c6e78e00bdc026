import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, MAX_PARAMS, parseJsonObject, readParams } from "@/lib/sms/providers/params";
import { adapters } from "@/lib/sms/registry";
import type { RawDelivery } from "@/lib/sms/types";
import { parseUdh } from "@/lib/sms/udh";

const post = (body: string, contentType: string | null = "application/x-www-form-urlencoded"): RawDelivery => ({ method: "POST", contentType, headers: {}, query: new URLSearchParams(), body });

// Each of these bodies used to cost the server hundreds of milliseconds of CPU; now each is
// refused before the expensive step. What is checked is the refusal, not a time.
describe("bodies built to be expensive are refused before the expensive part", () => {
  it("does not read or sign tens of thousands of parameters", () => {
    const form = Array.from({ length: 40_000 }, (_, i) => `k${i}=`).join("&") + "&msisdn=1&to=2&messageId=x&type=text&text=hi&sig=abc";
    expect(readParams(post(form))).toEqual({ ok: false, reason: expect.stringMatching(/40006 parameters/) });
    const json = JSON.stringify(Object.fromEntries(Array.from({ length: MAX_PARAMS + 1 }, (_, i) => [`k${i}`, ""])));
    expect(readParams(post(json, "application/json")).ok).toBe(false);
    const query: RawDelivery = { method: "GET", contentType: null, headers: {}, query: new URLSearchParams(Array.from({ length: MAX_PARAMS + 1 }, (_, i) => [`k${i}`, "v"])), body: "" };
    expect(readParams(query).ok).toBe(false);
    const verified = adapters.VONAGE.verify(post(form), { credentials: { signatureSecret: "s", signatureMethod: "SHA256" }, now: new Date() });
    expect(verified).toMatchObject({ ok: false, code: "signature_missing", reason: expect.stringMatching(/parameters/) });
    expect(adapters.VONAGE.parse(post(form))).toMatchObject({ kind: "invalid", reason: expect.stringMatching(/parameters/) });
  });

  it("does not parse JSON nested deeper than any provider's", () => {
    expect(parseJsonObject("[".repeat(130_000) + "]".repeat(130_000))).toBeNull();
    expect(parseJsonObject('{"a":'.repeat(MAX_JSON_DEPTH + 1) + "1" + "}".repeat(MAX_JSON_DEPTH + 1))).toBeNull();
    expect(parseJsonObject('{"a":'.repeat(MAX_JSON_DEPTH) + "1" + "}".repeat(MAX_JSON_DEPTH))).not.toBeNull();
    // Brackets inside strings are text, not nesting.
    expect(parseJsonObject(JSON.stringify({ text: "[".repeat(1000), quote: '\\"[[[' }))).toEqual({ text: "[".repeat(1000), quote: '\\"[[[' });
  });

  it("does not scan a UDH longer than a header can be", () => {
    expect(parseUdh("05".repeat(100_000))).toEqual({ ok: false, reason: expect.stringMatching(/at most 256 bytes/) });
  });
});
