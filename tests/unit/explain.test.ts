import { describe, expect, it } from "vitest";
import { describeDuration, describeSignature, explainDelivery, type ExplainableDelivery } from "@/lib/deliveries/explain";
import { infobipAdapter } from "@/lib/sms/providers/infobip";
import { vonageAdapter } from "@/lib/sms/providers/vonage";
import type { InboundAdapter, RawDelivery } from "@/lib/sms/types";

const base: ExplainableDelivery = { outcome: "STORED", status: 200, reason: null, toMismatch: false, signed: false, signatureAgeSeconds: null, provider: "VONAGE" };

const get = (params: Record<string, string>): RawDelivery => ({ method: "GET", contentType: null, headers: {}, query: new URLSearchParams(params), body: "" });
const post = (body: string, contentType = "application/json"): RawDelivery => ({ method: "POST", contentType, headers: {}, query: new URLSearchParams(), body });

// The reasons the pipeline records, taken from the provider modules themselves, so the
// explanations are tested against the words a team really sees.
function parseReason(adapter: InboundAdapter, delivery: RawDelivery): string {
  const result = adapter.parse(delivery);
  if (result.kind === "parts" || result.kind === "too-many") throw new Error("expected a reason");
  return result.reason;
}
function verifyReason(delivery: RawDelivery, secret = "the-secret"): string {
  const result = vonageAdapter.verify(delivery, { credentials: { signatureSecret: secret, signatureMethod: "SHA256" }, now: new Date() });
  if (result.ok) throw new Error("expected a refusal");
  return result.reason;
}

const inbound = { msisdn: "447700900001", to: "12192259404", messageId: "0A00000001", text: "Hello", type: "text", timestamp: "1700000000" };
const receipt = { msisdn: "447700900001", to: "12192259404", messageId: "0B0000001A2B3C4D", status: "delivered", "err-code": "0", "network-code": "310090", price: "0.0057" };
const messagesApiOld = { message_uuid: "aaaaaaaa-bbbb-cccc-dddd-0123456789ab", to: { type: "sms", number: "12192259404" }, message: { content: { type: "text", text: "Hi" } } };

describe("explainDelivery", () => {
  it("explains a missing Vonage signature, with where to fix it", () => {
    const explained = explainDelivery({ ...base, outcome: "REJECTED", status: 401, reason: verifyReason(get(inbound)) });
    expect(explained).toMatchObject({ title: "Signature missing", tone: "error" });
    expect(explained.explanation).toContain("has none");
    expect(explained.fix).toMatch(/Vonage dashboard/);
    expect(explained.fix).toMatch(/signature secret and method/);
  });

  it("explains a signature that does not match", () => {
    const explained = explainDelivery({ ...base, outcome: "REJECTED", status: 401, reason: verifyReason(get({ ...inbound, sig: "0".repeat(64) })) });
    expect(explained).toMatchObject({ title: "Signature does not match", tone: "error" });
    expect(explained.fix).toMatch(/match this number's settings in Moshi/);
  });

  it("names a delivery receipt and a format Moshi does not read, keeping the stored reason", () => {
    const dlr = parseReason(vonageAdapter, get(receipt));
    const receiptExplained = explainDelivery({ ...base, outcome: "IGNORED", reason: dlr });
    expect(receiptExplained).toMatchObject({ title: "Delivery receipt sent to the inbound URL", tone: "warning" });
    expect(receiptExplained.explanation).toContain(dlr);
    expect(receiptExplained.explanation).toMatch(/answered 200 so that Vonage stops retrying/);

    const api = parseReason(vonageAdapter, post(JSON.stringify(messagesApiOld)));
    expect(explainDelivery({ ...base, outcome: "IGNORED", reasonCode: "other_format", reason: api })).toMatchObject({ title: "A format Moshi does not read", tone: "warning" });
    // Logged before reasons had codes: the stored words still name it.
    expect(explainDelivery({ ...base, outcome: "IGNORED", reason: "This is a Vonage Messages API webhook, not the SMS API inbound format" })).toMatchObject({ title: "Messages API payload" });

    const report = parseReason(infobipAdapter, post(JSON.stringify({ results: [{ messageId: "m1", status: { groupName: "DELIVERED" } }] })));
    expect(explainDelivery({ ...base, provider: "INFOBIP", outcome: "IGNORED", reason: report }).title).toBe("Delivery receipt sent to the inbound URL");
  });

  it("says a 400 was not the provider's inbound format, with the reason and a fix", () => {
    const reason = parseReason(infobipAdapter, post("this is not json"));
    const explained = explainDelivery({ ...base, provider: "INFOBIP", outcome: "REJECTED", status: 400, reason });
    expect(explained).toMatchObject({ title: "Not an inbound SMS in Infobip's format", tone: "error" });
    expect(explained.explanation).toContain(reason);
    expect(explained.fix).toMatch(/MO_JSON_2/);
    expect(explainDelivery({ ...base, outcome: "REJECTED", status: 400, reason: "Missing msisdn" }).title).toBe("Not an inbound SMS in Vonage's format");
  });

  it("explains a wrong method and an oversized body", () => {
    expect(explainDelivery({ ...base, provider: "RAKUTEN", outcome: "REJECTED", status: 405, reason: "PUT is not how Rakuten CPaaS delivers inbound SMS (it uses POST)." })).toMatchObject({
      title: "Wrong HTTP method",
      fix: expect.stringMatching(/HTTP method/),
    });
    expect(explainDelivery({ ...base, outcome: "REJECTED", status: 413, reason: "The request body is larger than 256 KiB." })).toMatchObject({
      title: "Request too large",
      fix: expect.stringMatching(/rotate it/),
    });
  });

  it("calls a duplicate a retry absorbed, with nothing to fix", () => {
    const explained = explainDelivery({ ...base, outcome: "DUPLICATE", reason: "A retry of messages already stored: nothing new." });
    expect(explained).toMatchObject({ title: "Retry absorbed", tone: "info" });
    expect(explained.explanation).toMatch(/working as intended/);
    expect(explained.fix).toBeUndefined();
  });

  it("warns about a message addressed to another number, and is quiet about a plain stored one", () => {
    const reason = "Addressed to +819099999999, not +815012345678: stored under this number because it arrived on its URL.";
    const mismatch = explainDelivery({ ...base, provider: "RAKUTEN", toMismatch: true, reason });
    expect(mismatch).toMatchObject({ title: "Stored, but addressed to another number", tone: "warning" });
    expect(mismatch.explanation).toContain("+819099999999");
    expect(mismatch.fix).toMatch(/its own webhook URL/);

    const stored = explainDelivery(base);
    expect(stored).toMatchObject({ title: "Message stored", tone: "success" });
    expect(stored.fix).toBeUndefined();
  });

  it("never leaves a rejection without words, even without a stored reason", () => {
    for (const status of [400, 401, 405, 413, 418]) {
      const explained = explainDelivery({ ...base, outcome: "REJECTED", status, reason: null });
      expect(explained.title.length).toBeGreaterThan(3);
      expect(explained.explanation.length).toBeGreaterThan(20);
    }
  });
});

describe("describeSignature", () => {
  it("tells fresh signatures from a retry's old one", () => {
    expect(describeSignature({ signed: false, signatureAgeSeconds: null })).toBe("not signed");
    expect(describeSignature({ signed: true, signatureAgeSeconds: null })).toBe("signed");
    expect(describeSignature({ signed: true, signatureAgeSeconds: 3 })).toBe("signed just now");
    expect(describeSignature({ signed: true, signatureAgeSeconds: 90 })).toBe("signed 1 minute ago");
    expect(describeSignature({ signed: true, signatureAgeSeconds: 2 * 86_400 + 5 })).toBe("signed 2 days ago (a provider retry)");
    expect(describeSignature({ signed: true, signatureAgeSeconds: -600 })).toMatch(/10 minutes in the future/);
  });

  it("tells a refused signature from a missing one", () => {
    // `signed` is false for both: it says a signature held.
    const wrong = verifyReason(get({ ...inbound, sig: "0".repeat(64) }));
    expect(describeSignature({ signed: false, signatureAgeSeconds: null, status: 401, reason: wrong })).toBe("signed, but not with this number's secret");
    expect(describeSignature({ signed: false, signatureAgeSeconds: null, status: 401, reason: verifyReason(get(inbound)) })).toBe("not signed");
    // The failure's code, where it was recorded, says which.
    expect(describeSignature({ signed: false, signatureAgeSeconds: null, status: 401, reason: "…", reasonCode: "signature_stale" })).toBe("genuinely signed, but too long ago");
    expect(describeSignature({ signed: false, signatureAgeSeconds: null, status: 401, reason: "…", reasonCode: "signature_missing" })).toBe("not signed");
    expect(describeSignature({ signed: false, signatureAgeSeconds: null, status: 401, reason: "…", reasonCode: "signature_mismatch" })).toBe("signed, but not with this number's secret");
  });

  it("words durations in their largest unit", () => {
    expect(describeDuration(1)).toBe("1 second");
    expect(describeDuration(59)).toBe("59 seconds");
    expect(describeDuration(3 * 3600 + 1)).toBe("3 hours");
    expect(describeDuration(400 * 86_400)).toBe("1 year");
  });
});
