import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeProviderAddress } from "@/lib/phone";
import { MAX_SIGNATURE_AGE_SECONDS, MAX_SIGNATURE_AHEAD_SECONDS, sinchAdapter } from "@/lib/sms/providers/sinch";
import { sinchCredentialsSchema } from "@/lib/sms/providers/sinch/schema";
import { readSignature, signSinchWebhook } from "@/lib/sms/providers/sinch/signature";
import { ulid } from "@/lib/sms/providers/sinch/simulate";
import { assembleMessage } from "@/lib/sms/reassemble";
import type { InboundPart, ParseResult, RawDelivery, SimulatedMessage, SimulatedRequest, VerifyResult } from "@/lib/sms/types";
import { parseUdh } from "@/lib/sms/udh";
import { jsonDelivery, readJsonFixture } from "../helpers/http-fixture";

type Sample = { id: string; status: string; raw_body?: string; json?: Record<string, unknown> };
type Vector = { id: string; secret: string; headers: Record<string, string>; body: string; expect: boolean };

const { samples } = readJsonFixture<{ samples: Sample[] }>("sinch/inbound-mo-samples.json");
const { vectors } = readJsonFixture<{ vectors: Vector[] }>("sinch/signature-vectors.json");

const sample = (id: string) => samples.find((s) => s.id === id)!;
const sampleBody = (s: Sample) => s.raw_body ?? JSON.stringify(s.json);
const vector = (id: string) => vectors.find((v) => v.id === id)!;

/** The second the official vectors were signed at (x-sinch-webhook-signature-timestamp). */
const SIGNED_AT = 1736760161;
const at = (seconds: number) => new Date(seconds * 1000);

function post(body: string, headers: Record<string, string> = {}): RawDelivery {
  return { method: "POST", contentType: "application/json", headers: { "content-type": "application/json", ...headers }, query: new URLSearchParams(), body };
}

function fromRequest(request: SimulatedRequest): RawDelivery {
  return {
    method: request.method,
    contentType: request.contentType,
    headers: { ...(request.contentType ? { "content-type": request.contentType } : {}), ...request.headers },
    query: request.query,
    body: request.body ?? "",
  };
}

function onlyPart(result: ParseResult): InboundPart {
  if (result.kind !== "parts") throw new Error(`Expected parts, got ${result.kind}: ${JSON.stringify(result)}`);
  expect(result.parts).toHaveLength(1);
  return result.parts[0]!;
}

function reasonOf(result: ParseResult): string {
  if (result.kind !== "invalid" && result.kind !== "ignored") throw new Error(`Expected a reason, got ${result.kind}: ${JSON.stringify(result)}`);
  return result.reason;
}

function failure(result: VerifyResult): { code: string; reason: string } {
  if (result.ok) throw new Error(`Expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

/** A small seeded generator (mulberry32), values in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const mo = (fields: Record<string, unknown>) => jsonDelivery({ id: "01JHFG0000000000000000TEST", from: "+447700900001", to: "46701740642", received_at: "2025-01-13T09:22:40.914Z", ...fields });

describe("Sinch's official samples", () => {
  it("covers every sample in the reference file", () => {
    expect(samples.map((s) => s.id)).toEqual(["SN-S1", "SN-S2", "SN-S3", "SN-S4"]);
  });

  it("SN-S1 (InboundTextDto): the mo_text as a person reads it", () => {
    const expected: InboundPart = {
      providerMessageId: "01FC66621XXXXX119Z8PMV1QPA",
      from: "+11203494390",
      // Sent as "11203453453", without the "+" the sender has: normalised all the same.
      to: "+11203453453",
      encoding: "GSM7",
      payload: { format: "text", value: "a body" },
      udhHex: null,
      providerKeyword: null,
      // received_at (Sinch's receipt), not sent_at (14:15:22, the handset's).
      providerTimestamp: new Date("2019-08-24T14:17:22Z"),
      price: null,
      callbackData: "a client reference",
      smsCount: null,
      concat: null,
    };
    expect(sinchAdapter.parse(post(sampleBody(sample("SN-S1"))))).toEqual({ kind: "parts", parts: [expected] });
  });

  it("SN-S3 (the node SDK's mo_text literal): numbers without +, a timestamp with milliseconds, no client reference", () => {
    expect(onlyPart(sinchAdapter.parse(post(sampleBody(sample("SN-S3")))))).toEqual({
      providerMessageId: "01XXXXX21XXXXX119Z8P1XXXXX",
      from: "+16051234567",
      to: "+13185551234",
      encoding: "GSM7",
      payload: { format: "text", value: "This is the SMS body" },
      udhHex: null,
      providerKeyword: null,
      providerTimestamp: new Date("2024-01-10T08:49:58.429Z"),
      price: null,
      callbackData: null,
      smsCount: null,
      concat: null,
    });
  });

  it("SN-S2 (InboundBinaryDto) is refused: neither its body nor its udh is what a binary part carries", () => {
    const result = sinchAdapter.parse(post(sampleBody(sample("SN-S2"))));
    expect(result.kind).toBe("invalid");
    const reason = reasonOf(result);
    expect(reason).toContain('The body "a body" is not base64.');
    expect(reason).toContain('The UDH "foo udh" is not hexadecimal.');
    expect(reason).toMatch(/User Data Header as hex in udh/);
  });

  it("SN-S4 (the node SDK's mo_binary literal) is refused: its udh is hex for “UserDataHeader”, not a header", () => {
    const udh = "5573657244617461486561646572";
    expect(Buffer.from(udh, "hex").toString("latin1")).toBe("UserDataHeader");
    // What the shared UDH reader makes of it: a length byte of 0x55 before 13 bytes.
    expect(parseUdh(udh)).toEqual({ ok: false, reason: "The UDH length byte says 85 bytes follow, but 13 do." });
    const result = sinchAdapter.parse(post(sampleBody(sample("SN-S4"))));
    expect(result.kind).toBe("invalid");
    expect(reasonOf(result)).toMatch(/^The UDH length byte says 85 bytes follow, but 13 do\. A Sinch mo_binary callback/);
    expect(reasonOf(result)).not.toMatch(/base64\./);
  });

  it("SN-S4's body is good base64: with a real header the same part is stored, as binary octets", () => {
    const json = { ...sample("SN-S4").json, udh: "050003CC0201" };
    expect(onlyPart(sinchAdapter.parse(jsonDelivery(json)))).toEqual({
      providerMessageId: "01XXXXX21XXXXX119Z8P1XXXXX",
      from: "+16051234567",
      to: "+13185551234",
      encoding: "BINARY",
      payload: { format: "binary-hex", value: Buffer.from("This is the SMS body").toString("hex").toUpperCase() },
      udhHex: "050003CC0201",
      providerKeyword: null,
      providerTimestamp: new Date("2024-01-10T08:49:58.429Z"),
      price: null,
      callbackData: null,
      smsCount: null,
      concat: { reference: 0xcc, referenceBits: 8, total: 2, index: 1 },
    });
  });
});

describe("Sinch signature vectors", () => {
  const deliveryOf = (v: Vector, headers: Record<string, string> = v.headers, body = v.body) => post(body, headers);
  const credentials = (v: Vector) => ({ signingSecret: v.secret });
  const now = at(SIGNED_AT + 30);

  it("covers every vector in the reference file", () => {
    expect(vectors.map((v) => [v.id, v.expect])).toEqual([
      ["SN-01", true],
      ["SN-02", false],
    ]);
  });

  it.each(vectors)("$id: verifies as the reference expects", (v) => {
    const result = sinchAdapter.verify(deliveryOf(v), { credentials: credentials(v), now });
    expect(result.ok).toBe(v.expect);
  });

  it("SN-01: signs to the published signature, and verifies with its age", () => {
    const v = vector("SN-01");
    expect(signSinchWebhook(v.body, v.secret, v.headers["x-sinch-webhook-signature-nonce"]!, v.headers["x-sinch-webhook-signature-timestamp"]!)).toBe(
      v.headers["x-sinch-webhook-signature"],
    );
    expect(sinchAdapter.verify(deliveryOf(v), { credentials: credentials(v), now })).toEqual({ ok: true, signed: true, signatureAgeSeconds: 30 });
  });

  it("SN-02: “invalid-signature” cannot be an HMAC-SHA256 in base64, so it is malformed", () => {
    const v = vector("SN-02");
    const result = failure(sinchAdapter.verify(deliveryOf(v), { credentials: credentials(v), now }));
    expect(result.code).toBe("signature_malformed");
    expect(result.reason).toMatch(/"invalid-signature", not a base64 HMAC-SHA256/);
  });

  it.each(vectors)("$id: its body, a delivery report, is ignored whatever the signature", (v) => {
    const result = sinchAdapter.parse(deliveryOf(v));
    expect(result).toMatchObject({ kind: "ignored", code: "delivery_receipt" });
    expect(reasonOf(result)).toMatch(/^This is a Sinch delivery report \(recipient_delivery_report_sms, status Delivered, batch 01JHFFHQ0P99JPPNQPJDV7JTBP\)/);
  });

  it("SN-01: another secret, a changed body, nonce or timestamp do not match", () => {
    const v = vector("SN-01");
    const mismatch = { ok: false, code: "signature_mismatch" };
    expect(sinchAdapter.verify(deliveryOf(v), { credentials: { signingSecret: "SMSWebhooksSecreT" }, now })).toMatchObject(mismatch);
    expect(sinchAdapter.verify(deliveryOf(v, v.headers, v.body.replace("Delivered", "Failed")), { credentials: credentials(v), now })).toMatchObject(mismatch);
    expect(sinchAdapter.verify(deliveryOf(v, v.headers, `${v.body}\n`), { credentials: credentials(v), now })).toMatchObject(mismatch);
    const nonce = { ...v.headers, "x-sinch-webhook-signature-nonce": "01JHFFHWYY7HSS4FWTMDTQEK8W" };
    expect(sinchAdapter.verify(deliveryOf(v, nonce), { credentials: credentials(v), now })).toMatchObject(mismatch);
    const timestamp = { ...v.headers, "x-sinch-webhook-signature-timestamp": String(SIGNED_AT + 1) };
    expect(sinchAdapter.verify(deliveryOf(v, timestamp), { credentials: credentials(v), now })).toMatchObject(mismatch);
  });

  it("SN-01: the algorithm is read without regard to case, and may be left out", () => {
    const v = vector("SN-01");
    for (const headers of [{ ...v.headers, "x-sinch-webhook-signature-algorithm": "hmacsha256" }, Object.fromEntries(Object.entries(v.headers).filter(([name]) => !name.endsWith("-algorithm")))]) {
      expect(sinchAdapter.verify(deliveryOf(v, headers), { credentials: credentials(v), now })).toEqual({ ok: true, signed: true, signatureAgeSeconds: 30 });
    }
  });

  it("SN-01: another algorithm is malformed, even when the HMAC would match", () => {
    const v = vector("SN-01");
    const result = failure(sinchAdapter.verify(deliveryOf(v, { ...v.headers, "x-sinch-webhook-signature-algorithm": "HmacSHA512" }), { credentials: credentials(v), now }));
    expect(result).toMatchObject({ code: "signature_malformed", reason: expect.stringMatching(/"HmacSHA512", and Sinch signs with HmacSHA256 only/) });
  });

  it("SN-01: the signature also reads in the URL-safe alphabet without padding", () => {
    const v = vector("SN-01");
    const urlSafe = v.headers["x-sinch-webhook-signature"]!.replace(/\+/g, "-").replace(/\//g, "_").replace(/=$/, "");
    expect(readSignature(urlSafe)).toEqual(readSignature(v.headers["x-sinch-webhook-signature"]!));
    expect(sinchAdapter.verify(deliveryOf(v, { ...v.headers, "x-sinch-webhook-signature": urlSafe }), { credentials: credentials(v), now })).toMatchObject({ ok: true, signed: true });
  });

  it("SN-01: without the nonce or the timestamp, or with a timestamp that is not Unix seconds, it is malformed", () => {
    const v = vector("SN-01");
    const without = (name: string) => Object.fromEntries(Object.entries(v.headers).filter(([key]) => key !== name));
    expect(failure(sinchAdapter.verify(deliveryOf(v, without("x-sinch-webhook-signature-nonce")), { credentials: credentials(v), now }))).toMatchObject({
      code: "signature_malformed",
      reason: expect.stringMatching(/without x-sinch-webhook-signature-nonce:/),
    });
    expect(failure(sinchAdapter.verify(deliveryOf(v, without("x-sinch-webhook-signature-timestamp")), { credentials: credentials(v), now }))).toMatchObject({
      code: "signature_malformed",
      reason: expect.stringMatching(/without x-sinch-webhook-signature-timestamp:/),
    });
    const iso = { ...v.headers, "x-sinch-webhook-signature-timestamp": "2025-01-13T09:22:41Z" };
    expect(failure(sinchAdapter.verify(deliveryOf(v, iso), { credentials: credentials(v), now }))).toMatchObject({
      code: "signature_malformed",
      reason: expect.stringMatching(/not the Unix time in seconds/),
    });
  });

  it("SN-01 without its signature: missing when the number has a secret (Sinch signs reports too), fine when it has none", () => {
    const v = vector("SN-01");
    const unsigned = Object.fromEntries(Object.entries(v.headers).filter(([name]) => name !== "x-sinch-webhook-signature"));
    const result = failure(sinchAdapter.verify(deliveryOf(v, unsigned), { credentials: credentials(v), now }));
    expect(result.code).toBe("signature_missing");
    expect(result.reason).toMatch(/it has x-sinch-webhook-signature-algorithm, x-sinch-webhook-signature-nonce, x-sinch-webhook-signature-timestamp/);
    expect(failure(sinchAdapter.verify(deliveryOf(v, {}), { credentials: credentials(v), now })).reason).toMatch(/has none\. Sinch signs SMS callbacks only once/);
    for (const none of [null, {}, { signingSecret: "" }]) {
      expect(sinchAdapter.verify(deliveryOf(v, {}), { credentials: none, now })).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
      // Signature headers do not matter when the number checks none.
      expect(sinchAdapter.verify(deliveryOf(vector("SN-02")), { credentials: none, now })).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
    }
  });

  it("SN-01: a valid signature is accepted up to 48 hours old and an hour ahead, and is stale beyond", () => {
    const v = vector("SN-01");
    const verifyAt = (seconds: number) => sinchAdapter.verify(deliveryOf(v), { credentials: credentials(v), now: at(seconds) });
    expect(MAX_SIGNATURE_AGE_SECONDS).toBe(48 * 3600);
    expect(MAX_SIGNATURE_AHEAD_SECONDS).toBe(3600);
    // Sinch's last retry: 81 920 s after the first attempt, or 163 835 s if the doublings are pauses.
    expect(verifyAt(SIGNED_AT + 81_920)).toEqual({ ok: true, signed: true, signatureAgeSeconds: 81_920 });
    expect(verifyAt(SIGNED_AT + 163_835)).toEqual({ ok: true, signed: true, signatureAgeSeconds: 163_835 });
    expect(verifyAt(SIGNED_AT + MAX_SIGNATURE_AGE_SECONDS)).toEqual({ ok: true, signed: true, signatureAgeSeconds: MAX_SIGNATURE_AGE_SECONDS });
    expect(verifyAt(SIGNED_AT - MAX_SIGNATURE_AHEAD_SECONDS)).toEqual({ ok: true, signed: true, signatureAgeSeconds: -MAX_SIGNATURE_AHEAD_SECONDS });
    expect(failure(verifyAt(SIGNED_AT + MAX_SIGNATURE_AGE_SECONDS + 1))).toMatchObject({ code: "signature_stale", reason: expect.stringMatching(/^The Sinch signature is valid but was made 2 days ago/) });
    expect(failure(verifyAt(SIGNED_AT - MAX_SIGNATURE_AHEAD_SECONDS - 60))).toMatchObject({ code: "signature_stale", reason: expect.stringMatching(/made 61 minutes ahead of Moshi's clock/) });
    // A year later, SN-02 is still reported for what is wrong with it, not for its age.
    expect(failure(sinchAdapter.verify(deliveryOf(vector("SN-02")), { credentials: credentials(v), now: at(SIGNED_AT + 365 * 86_400) })).code).toBe("signature_malformed");
  });

  it("refuses to verify with a secret that is not text", () => {
    const v = vector("SN-01");
    const result = sinchAdapter.verify(deliveryOf(v), { credentials: { signingSecret: 42 } as unknown as Record<string, unknown>, now });
    expect(failure(result).code).toBe("credentials_invalid");
  });

  it("the vectors' nonce is a ULID of the signing time, as the simulator makes them", () => {
    const zero = { int: () => 0 };
    expect(ulid(new Date(1736760161246), zero).slice(0, 10)).toBe(vector("SN-01").headers["x-sinch-webhook-signature-nonce"]!.slice(0, 10));
    expect(ulid(new Date(0), zero)).toBe("0".repeat(26));
  });
});

describe("Sinch delivery reports sent to the inbound URL", () => {
  it.each([
    [{ type: "recipient_delivery_report_mms", batch_id: "01JHFFHQ0P99JPPNQPJDV7JTBP", recipient: "12015550123", code: 401, status: "Dispatched", at: "2025-01-13T09:22:40.914Z" }, /\(recipient_delivery_report_mms, status Dispatched, batch 01JHFFHQ0P99JPPNQPJDV7JTBP\)/],
    [{ type: "delivery_report_sms", batch_id: "01JHFFHQ0P99JPPNQPJDV7JTBP", statuses: [{ code: 0, count: 2, status: "Delivered" }], total_message_count: 2 }, /\(delivery_report_sms, status Delivered, batch 01JHFFHQ0P99JPPNQPJDV7JTBP\)/],
    [{ type: "delivery_report_mms", statuses: "odd" }, /\(delivery_report_mms\)/],
  ])("%j is ignored as a delivery receipt, with how to stop it", (body, about) => {
    const result = sinchAdapter.parse(jsonDelivery(body));
    expect(result).toMatchObject({ kind: "ignored", code: "delivery_receipt" });
    const reason = reasonOf(result);
    expect(reason).toMatch(about);
    expect(reason).toMatch(/not an inbound SMS, so nothing was stored/);
    expect(reason).toMatch(/Callback URLs/);
    expect(reason).toMatch(/Incoming URL only/);
    expect(reason).toMatch(/callback_url/);
    expect(reason).toMatch(/delivery_report "none"/);
  });
});

describe("Sinch MMS (mo_media)", () => {
  const media = [{ code: 0, content_type: "image/jpeg", status: "Uploaded", url: "https://example.com/a.jpg" }];

  it("stores its text, subject first, and leaves the media links in the raw body", () => {
    const part = onlyPart(sinchAdapter.parse(mo({ type: "mo_media", body: { subject: "Damage", message: "Photo of the dent attached", media } })));
    expect(part).toMatchObject({ encoding: "GSM7", payload: { format: "text", value: "Damage\nPhoto of the dent attached" }, udhHex: null, concat: null });
    expect(onlyPart(sinchAdapter.parse(mo({ type: "mo_media", body: { message: "Only text ☺", media } }))).payload).toEqual({ format: "text", value: "Only text ☺" });
    expect(onlyPart(sinchAdapter.parse(mo({ type: "mo_media", body: { message: "Only text ☺" } }))).encoding).toBe("UCS2");
    expect(onlyPart(sinchAdapter.parse(mo({ type: "mo_media", body: "as a string" }))).payload).toEqual({ format: "text", value: "as a string" });
  });

  it("ignores an MMS with no text as not inbound, saying what it held", () => {
    const result = sinchAdapter.parse(mo({ type: "mo_media", body: { subject: " ", media: [...media, ...media] } }));
    expect(result).toMatchObject({ kind: "ignored", code: "not_inbound" });
    expect(reasonOf(result)).toMatch(/Sinch MMS \(mo_media 01JHFG0000000000000000TEST\) with no text and only 2 media files/);
    expect(reasonOf(result)).toMatch(/account manager/);
    expect(reasonOf(sinchAdapter.parse(mo({ type: "mo_media", body: {} })))).toMatch(/no media either/);
  });

  it("refuses a body that is neither text nor an MMS body", () => {
    expect(reasonOf(sinchAdapter.parse(mo({ type: "mo_media", body: 7 })))).toMatch(/^body: must be an object with subject, message and media: not a Sinch mo_media callback/);
  });
});

describe("Sinch mo_binary parts", () => {
  const text = "Binary parts joined by their header";
  const octets = Buffer.from(text);
  const half = Math.ceil(octets.length / 2);
  const partOf = (index: number, udh: string) => ({ type: "mo_binary", id: `01JHFG00000000000000000PT${index}`, body: octets.subarray((index - 1) * half, index * half).toString("base64"), udh });

  it("places each part by its concatenation header, and the reassembly joins them", () => {
    const parts = [partOf(2, "050003CC0202"), partOf(1, "050003CC0201")].map((json) => onlyPart(sinchAdapter.parse(mo(json))));
    expect(parts.map((p) => [p.providerMessageId, p.udhHex, p.concat, p.encoding])).toEqual([
      ["01JHFG00000000000000000PT2", "050003CC0202", { reference: 0xcc, referenceBits: 8, total: 2, index: 2 }, "BINARY"],
      ["01JHFG00000000000000000PT1", "050003CC0201", { reference: 0xcc, referenceBits: 8, total: 2, index: 1 }, "BINARY"],
    ]);
    const joined = assembleMessage(
      parts.map((p) => ({ partIndex: p.concat!.index, payload: p.payload })),
      "BINARY",
      2,
    );
    expect(joined).toMatchObject({ complete: true, text: null, binaryHex: octets.toString("hex") });
  });

  it("reads a 16-bit reference, and a header that comes without its length byte", () => {
    expect(onlyPart(sinchAdapter.parse(mo(partOf(1, "08041234030" + "1")))).concat).toEqual({ reference: 0x1234, referenceBits: 16, total: 3, index: 1 });
    const bare = onlyPart(sinchAdapter.parse(mo(partOf(1, "0003CC0201"))));
    expect(bare).toMatchObject({ udhHex: "0003CC0201", concat: { reference: 0xcc, referenceBits: 8, total: 2, index: 1 } });
  });

  it("keeps a header without concatenation (a WAP push port) and stores the part alone", () => {
    expect(onlyPart(sinchAdapter.parse(mo(partOf(1, "06050423F40000"))))).toMatchObject({ udhHex: "06050423F40000", concat: null });
  });

  it("stores a part without a header (udh empty, null or absent) as a message of its own", () => {
    for (const udh of [{ udh: "" }, { udh: null }, {}]) {
      const part = onlyPart(sinchAdapter.parse(mo({ type: "mo_binary", body: "AAECAw==", ...udh })));
      expect(part).toMatchObject({ payload: { format: "binary-hex", value: "00010203" }, udhHex: null, concat: null });
    }
  });

  it("reads base64 with a line break (as MIME encoders write it), without padding, or empty", () => {
    expect(onlyPart(sinchAdapter.parse(mo({ type: "mo_binary", body: "AAECAw==\n", udh: "" }))).payload).toEqual({ format: "binary-hex", value: "00010203" });
    expect(onlyPart(sinchAdapter.parse(mo({ type: "mo_binary", body: "AAECAw", udh: "" }))).payload).toEqual({ format: "binary-hex", value: "00010203" });
    expect(onlyPart(sinchAdapter.parse(mo({ type: "mo_binary", body: "", udh: "" }))).payload).toEqual({ format: "binary-hex", value: "" });
  });

  it("refuses a body that is not base64, or a header that is not one, naming which", () => {
    for (const body of ["AAEC Aw==", "AAECA", "AA=ECAw=", "hex:00010203"]) {
      expect(reasonOf(sinchAdapter.parse(mo({ type: "mo_binary", body, udh: "" })))).toMatch(/is not base64\. A Sinch mo_binary callback carries/);
    }
    expect(reasonOf(sinchAdapter.parse(mo({ type: "mo_binary", body: "AAECAw==", udh: "050003CC02" })))).toMatch(/^The UDH length byte says 5 bytes follow, but 4 do\./);
    expect(reasonOf(sinchAdapter.parse(mo({ type: "mo_binary", body: "AAECAw==", udh: "05000" })))).toMatch(/^The UDH has an odd number of hex digits/);
    expect(reasonOf(sinchAdapter.parse(mo({ type: "mo_binary", body: "AAECAw==", udh: 5 })))).toMatch(/^udh: must be the User Data Header in hex/);
  });
});

describe("Sinch mo_text and the fields around it", () => {
  it("stores a long text as it arrives: one part, no concatenation", () => {
    const text = "Long message. ".repeat(60);
    expect(onlyPart(sinchAdapter.parse(mo({ type: "mo_text", body: text })))).toMatchObject({ payload: { format: "text", value: text }, concat: null, smsCount: null });
  });

  it("marks text outside GSM-7 as UCS-2", () => {
    expect(onlyPart(sinchAdapter.parse(mo({ type: "mo_text", body: "こんにちは 👋" }))).encoding).toBe("UCS2");
    expect(onlyPart(sinchAdapter.parse(mo({ type: "mo_text", body: "Grüße, {ok}" }))).encoding).toBe("GSM7");
  });

  it("normalises both ways Sinch writes numbers, and keeps short codes and sender names", () => {
    const read = (from: string, to: string) => onlyPart(sinchAdapter.parse(mo({ type: "mo_text", body: "hi", from, to })));
    expect(read("+16051234567", "13185551234")).toMatchObject({ from: "+16051234567", to: "+13185551234" });
    expect(read("16051234567", "+13185551234")).toMatchObject({ from: "+16051234567", to: "+13185551234" });
    expect(read("ACME", "12345")).toMatchObject({ from: "ACME", to: "12345" });
  });

  it("takes the time from received_at only: without it there is none, whatever sent_at says", () => {
    expect(onlyPart(sinchAdapter.parse(mo({ type: "mo_text", body: "hi", received_at: "2024-01-10T08:49:58.429+01:00" }))).providerTimestamp).toEqual(new Date("2024-01-10T07:49:58.429Z"));
    for (const received_at of [undefined, "yesterday", 1704876598]) {
      const part = onlyPart(sinchAdapter.parse(mo({ type: "mo_text", body: "hi", received_at, sent_at: "2024-01-10T08:49:58.429Z" })));
      expect(part.providerTimestamp).toBeNull();
    }
  });

  it("reads client_reference as the callback data, a number as text", () => {
    expect(onlyPart(sinchAdapter.parse(mo({ type: "mo_text", body: "hi", client_reference: 1234 }))).callbackData).toBe("1234");
    expect(onlyPart(sinchAdapter.parse(mo({ type: "mo_text", body: "hi", client_reference: "" }))).callbackData).toBeNull();
  });

  it("reads a numeric id as text", () => {
    expect(onlyPart(sinchAdapter.parse(mo({ type: "mo_text", body: "hi", id: 42 }))).providerMessageId).toBe("42");
  });
});

describe("requests that are not Sinch inbound callbacks", () => {
  it.each([
    ["not JSON", "type=mo_text&body=hi", /^The body is not a JSON object\. Sinch posts inbound SMS as JSON/],
    ["a JSON array", "[]", /^The body is not a JSON object/],
    ["empty", "", /^The body is not a JSON object/],
    ["no type", JSON.stringify({ id: "x", from: "1", to: "2", body: "hi" }), /^Missing type: not a Sinch inbound callback/],
    ["an outbound type", JSON.stringify({ type: "mt_text", body: "hi" }), /^type "mt_text" is not one of Sinch's inbound types \(mo_text, mo_binary, mo_media\)/],
    ["a type that is not text", JSON.stringify({ type: { mo: "text" } }), /^type "\{"mo":"text"\}" is not one of Sinch's inbound types/],
    ["missing fields", JSON.stringify({ type: "mo_text", body: "hi" }), /^Missing id, from, to: not a Sinch mo_text callback/],
    ["an empty id", JSON.stringify({ type: "mo_text", id: "", from: "1", to: "2", body: "hi" }), /^Missing id: not a Sinch mo_text callback/],
    ["a body that is not text", JSON.stringify({ type: "mo_text", id: "x", from: "1", to: "2", body: 5 }), /^body: must be the message text \(a string\)/],
    ["too many fields", JSON.stringify(Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`k${i}`, i]))), /^The body has 250 fields/],
  ])("%s is invalid, with a reason", (_name, body, reason) => {
    const result = sinchAdapter.parse(post(body));
    expect(result.kind).toBe("invalid");
    expect(reasonOf(result)).toMatch(reason);
  });

  it("reads the JSON whatever the content type says", () => {
    const body = sampleBody(sample("SN-S3"));
    for (const contentType of [null, "text/plain", "application/json; charset=utf-8"]) {
      expect(sinchAdapter.parse({ ...post(body), contentType }).kind).toBe("parts");
    }
  });
});

describe("the Sinch module", () => {
  it("describes itself", () => {
    expect(sinchAdapter).toMatchObject({ provider: "SINCH", name: "Sinch", pathSegments: ["sinch"], methods: ["POST"], formats: ["text", "binary"] });
    expect(sinchAdapter.colour).toMatch(/^#[0-9A-F]{6}$/i);
    expect(sinchAdapter.exampleNumber).toMatch(/^\+\d{8,15}$/);
    expect(normalizeProviderAddress(sinchAdapter.exampleNumber)).toBe(sinchAdapter.exampleNumber);
    expect(sinchAdapter.setup).toMatch(/Incoming URL/);
    expect(sinchAdapter.credentialsHelp).toMatch(/does not sign SMS callbacks unless/);
    expect(sinchAdapter.acknowledge).toBeUndefined();
  });

  it("keeps the signature headers and the user agent, never credentials", () => {
    expect([...sinchAdapter.keptHeaders].sort()).toEqual([
      "user-agent",
      "x-sinch-webhook-signature",
      "x-sinch-webhook-signature-algorithm",
      "x-sinch-webhook-signature-nonce",
      "x-sinch-webhook-signature-timestamp",
    ]);
  });

  it("explains every failure its verify returns", () => {
    expect(Object.keys(sinchAdapter.explain.failures).sort()).toEqual(["credentials_invalid", "signature_malformed", "signature_mismatch", "signature_missing", "signature_stale"]);
    expect(sinchAdapter.explain.format).toMatch(/Incoming URL/);
  });

  it("takes an optional signing secret, marked secret, and says what is wrong with a bad one", () => {
    expect(sinchCredentialsSchema.parse({})).toEqual({});
    expect(sinchCredentialsSchema.parse({ signingSecret: "SMSWebhooksSecret", other: 1 })).toEqual({ signingSecret: "SMSWebhooksSecret" });
    expect(sinchCredentialsSchema.safeParse({ signingSecret: " SMSWebhooksSecret\n" }).error?.issues[0]?.message).toMatch(/begins or ends with a space or line break/);
    expect(sinchCredentialsSchema.safeParse({ signingSecret: "x".repeat(1025) }).error?.issues[0]?.message).toBe(
      "The signing secret is 1025 characters long; a webhook secret is far shorter, so this is probably not it.",
    );
    expect(sinchCredentialsSchema.safeParse({ signingSecret: 7 }).error?.issues[0]?.message).toBe("The signing secret must be text.");
    expect(sinchCredentialsSchema.shape.signingSecret.meta()).toMatchObject({ title: "Webhook signing secret", secret: true, description: expect.stringMatching(/x-sinch-webhook-signature/) });
  });
});

describe("simulating Sinch", () => {
  const now = new Date("2026-12-03T10:00:00.123Z");
  const base: SimulatedMessage = { provider: "SINCH", from: "447700900001", to: "+46701740642", text: "Hello from the simulator", now };

  it("sends a text as one mo_text, whatever the number of parts: Sinch delivers text joined", () => {
    const requests = sinchAdapter.simulate({ ...base, parts: 3, random: seeded(1) });
    expect(requests).toHaveLength(1);
    const [request] = requests as [SimulatedRequest];
    expect(request).toMatchObject({ method: "POST", contentType: "application/json", body: expect.any(String) });
    expect(request.headers).toBeUndefined();
    expect(request.signed).toBeFalsy();
    const json = JSON.parse(request.body!) as Record<string, unknown>;
    expect(json).toEqual({ id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/), type: "mo_text", from: "+447700900001", to: "46701740642", body: base.text, received_at: "2026-12-03T10:00:00.123Z" });
    expect(String(json.id).slice(0, 10)).toBe(ulid(now, { int: () => 0 }).slice(0, 10));
  });

  it("round-trips a text through parse", () => {
    const [request] = sinchAdapter.simulate({ ...base, text: "Grüße 👋", random: seeded(2) });
    const part = onlyPart(sinchAdapter.parse(fromRequest(request!)));
    expect(part).toEqual({
      providerMessageId: (JSON.parse(request!.body!) as { id: string }).id,
      from: "+447700900001",
      to: "+46701740642",
      encoding: "UCS2",
      payload: { format: "text", value: "Grüße 👋" },
      udhHex: null,
      providerKeyword: null,
      providerTimestamp: now,
      price: null,
      callbackData: null,
      smsCount: null,
      concat: null,
    });
  });

  it("is repeatable with a seed, and varies without one", () => {
    expect(sinchAdapter.simulate({ ...base, random: seeded(7) })).toEqual(sinchAdapter.simulate({ ...base, random: seeded(7) }));
    expect(sinchAdapter.simulate({ ...base, random: seeded(7) })).not.toEqual(sinchAdapter.simulate({ ...base, random: seeded(8) }));
    expect(sinchAdapter.simulate(base)[0]!.body).not.toBe(sinchAdapter.simulate(base)[0]!.body);
  });

  it("sends binary as mo_binary parts with one concatenation header, which parse and reassembly join", () => {
    const text = "Binary, in three parts: ü and 👋 may be cut between parts.";
    const requests = sinchAdapter.simulate({ ...base, text, format: "binary", parts: 3, random: seeded(3) });
    expect(requests).toHaveLength(3);
    const bodies = requests.map((r) => JSON.parse(r.body!) as { id: string; type: string; udh: string; body: string; from: string; to: string });
    const reference = bodies[0]!.udh.slice(6, 8);
    expect(bodies.map((b) => b.udh)).toEqual([`050003${reference}0301`, `050003${reference}0302`, `050003${reference}0303`]);
    expect(bodies.every((b) => b.type === "mo_binary" && b.from === "+447700900001" && b.to === "46701740642")).toBe(true);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(3);
    const parts = requests.map((r) => onlyPart(sinchAdapter.parse(fromRequest(r))));
    expect(parts.map((p) => p.concat)).toEqual([1, 2, 3].map((index) => ({ reference: Number.parseInt(reference, 16), referenceBits: 8, total: 3, index })));
    const joined = assembleMessage(
      parts.map((p) => ({ partIndex: p.concat!.index, payload: p.payload })),
      "BINARY",
      3,
    );
    expect(Buffer.from(joined.binaryHex!, "hex").toString("utf8")).toBe(text);
  });

  it("splits binary into parts of at most 134 octets, and sends a short one without a header", () => {
    const long = sinchAdapter.simulate({ ...base, text: "x".repeat(300), format: "binary", random: seeded(4) });
    expect(long).toHaveLength(3);
    for (const request of long) expect(Buffer.from((JSON.parse(request.body!) as { body: string }).body, "base64").length).toBeLessThanOrEqual(134);
    const [single] = sinchAdapter.simulate({ ...base, format: "binary", random: seeded(5) });
    expect(onlyPart(sinchAdapter.parse(fromRequest(single!)))).toMatchObject({ udhHex: null, concat: null, payload: { value: Buffer.from(base.text).toString("hex").toUpperCase() } });
  });

  it("refuses a format Sinch does not have", () => {
    expect(() => sinchAdapter.simulate({ ...base, format: "form" })).toThrow(/text or binary, not "form"/);
  });

  it("signs with the number's secret, and verify accepts exactly that", () => {
    const credentials = { signingSecret: "SMSWebhooksSecret" };
    for (const format of ["text", "binary"]) {
      const requests = sinchAdapter.simulate({ ...base, text: "Signed ✓ ".repeat(30), format, credentials, random: seeded(6) });
      for (const request of requests) {
        expect(request.signed).toBe(true);
        expect(request.headers).toMatchObject({ "x-sinch-webhook-signature-algorithm": "HmacSHA256", "x-sinch-webhook-signature-timestamp": String(Math.floor(now.getTime() / 1000)) });
        expect(request.headers!["x-sinch-webhook-signature-nonce"]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
        const delivery = fromRequest(request);
        expect(sinchAdapter.verify(delivery, { credentials, now: new Date(now.getTime() + 5000) })).toEqual({ ok: true, signed: true, signatureAgeSeconds: 5 });
        expect(sinchAdapter.verify(delivery, { credentials: { signingSecret: "another secret" }, now })).toMatchObject({ ok: false, code: "signature_mismatch" });
        expect(sinchAdapter.verify(delivery, { credentials: null, now })).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
      }
    }
  });

  it("sends unsigned requests without a secret, which a number with one refuses", () => {
    const [request] = sinchAdapter.simulate({ ...base, credentials: { signingSecret: "" }, random: seeded(9) });
    expect(request!.signed).toBeFalsy();
    expect(sinchAdapter.verify(fromRequest(request!), { credentials: null, now })).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
    expect(sinchAdapter.verify(fromRequest(request!), { credentials: { signingSecret: "SMSWebhooksSecret" }, now })).toMatchObject({ ok: false, code: "signature_missing" });
  });
});

describe("Sinch against arbitrary input", () => {
  const value = fc.oneof(
    fc.string(),
    fc.jsonValue(),
    fc.constantFrom("mo_text", "mo_binary", "mo_media", "recipient_delivery_report_sms", "delivery_report_mms", "050003CC0201", "0003CC0201", "AAECAw==", "2024-01-10T08:49:58.429Z", "+16051234567"),
  );
  const keys = ["type", "id", "from", "to", "body", "udh", "received_at", "sent_at", "operator_id", "client_reference", "batch_id", "status", "statuses"];
  const shaped = fc.record(Object.fromEntries(keys.map((key) => [key, value])), { requiredKeys: [] });
  const mmsShaped = fc.record({ type: fc.constant("mo_media"), id: fc.string(), from: fc.string(), to: fc.string(), body: fc.oneof(value, fc.record({ subject: value, message: value, media: fc.oneof(fc.array(value), value) }, { requiredKeys: [] })) }, { requiredKeys: [] });
  const body = fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), shaped.map((v) => JSON.stringify(v)), mmsShaped.map((v) => JSON.stringify(v)));
  const headerValue = fc.oneof(fc.string(), fc.constantFrom("HmacSHA256", "hmacsha256", "1736760161", "ZoHei66PPN/kZjw7hFVfGhJOnml3iGNCMWoyQVcE5o0=", ""));
  const headers = fc.oneof(
    fc.dictionary(fc.string(), fc.string()),
    fc.record(Object.fromEntries(["x-sinch-webhook-signature", "x-sinch-webhook-signature-algorithm", "x-sinch-webhook-signature-nonce", "x-sinch-webhook-signature-timestamp"].map((name) => [name, headerValue])), { requiredKeys: [] }).map((record) => record as Record<string, string>),
  );
  const delivery = fc.record({
    method: fc.oneof(fc.constantFrom("POST", "GET", "post"), fc.string()),
    contentType: fc.option(fc.oneof(fc.constant("application/json"), fc.string())),
    headers,
    query: fc.dictionary(fc.string(), fc.string()).map((params) => new URLSearchParams(params)),
    body,
  });
  const credentials = fc.option(fc.oneof(fc.record({ signingSecret: fc.oneof(fc.string(), fc.anything()) }, { requiredKeys: [] }), fc.constant({ signingSecret: "SMSWebhooksSecret" })));

  it("parse and verify always answer", () => {
    fc.assert(
      fc.property(delivery, credentials, fc.date({ noInvalidDate: true }), (raw, creds, now) => {
        const parsed = sinchAdapter.parse(raw);
        expect(["parts", "ignored", "invalid"]).toContain(parsed.kind);
        if (parsed.kind === "parts") {
          expect(parsed.parts).toHaveLength(1);
          expect(parsed.parts[0]!.providerMessageId).not.toBe("");
        } else {
          expect(reasonOf(parsed).length).toBeGreaterThan(0);
        }
        const verified = sinchAdapter.verify(raw, { credentials: creds as Record<string, unknown> | null, now });
        if (verified.ok) expect(typeof verified.signed).toBe("boolean");
        else expect(verified.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it("round-trips any text and secret through simulate, parse and verify", () => {
    const secret = fc.string({ minLength: 1 }).filter((s) => s === s.trim());
    fc.assert(
      fc.property(fc.string(), secret, fc.integer({ min: 1, max: 4 }), fc.integer(), (text, signingSecret, parts, seed) => {
        const message: SimulatedMessage = { ...{ provider: "SINCH", from: "+16051234567", to: "13185551234", now: at(SIGNED_AT) }, text, parts, credentials: { signingSecret }, random: seeded(seed) };
        const [request] = sinchAdapter.simulate(message);
        const delivery = fromRequest(request!);
        expect(onlyPart(sinchAdapter.parse(delivery)).payload).toEqual({ format: "text", value: text });
        expect(sinchAdapter.verify(delivery, { credentials: { signingSecret }, now: at(SIGNED_AT) })).toEqual({ ok: true, signed: true, signatureAgeSeconds: 0 });
        const binary = sinchAdapter.simulate({ ...message, format: "binary" }).map((r) => onlyPart(sinchAdapter.parse(fromRequest(r))));
        const joined = assembleMessage(
          binary.map((p) => ({ partIndex: p.concat?.index ?? 1, payload: p.payload })),
          "BINARY",
          binary.length,
        );
        expect(joined.binaryHex).toBe(Buffer.from(text, "utf8").toString("hex"));
      }),
      { numRuns: 200 },
    );
  });
});
