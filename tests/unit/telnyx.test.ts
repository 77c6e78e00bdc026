import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RFC8032_PUBLISHED_TEST_KEY, telnyxAdapter } from "@/lib/sms/providers/telnyx";
import { telnyxCredentialsSchema } from "@/lib/sms/providers/telnyx/schema";
import { decodePublicKey, decodeSignature, publicKeyOfSeed, signTelnyx, verifyEd25519 } from "@/lib/sms/providers/telnyx/signature";
import { segmentCount } from "@/lib/sms/providers/simulation";
import type { CredentialFieldMeta, InboundPart, ParseResult, RawDelivery, VerifyResult } from "@/lib/sms/types";
import { readJsonFixture } from "../helpers/http-fixture";

type Vector = {
  id: string;
  status: string;
  public_key_hex?: string;
  public_key_base64?: string;
  message_hex?: string;
  signature_hex?: string;
  headers?: Record<string, string>;
  body?: string;
  expect: boolean;
};

const { vectors, derived_key: derivedKey } = readJsonFixture<{
  vectors: Vector[];
  derived_key: { private_seed_hex: string; public_key_base64: string };
}>("telnyx/signature-vectors.json");
const sample = readJsonFixture<{ body: { data: Record<string, unknown> & { payload: Record<string, unknown> } } }>("telnyx/inbound-message-received.json").body;

const PUBLIC_KEY = RFC8032_PUBLISHED_TEST_KEY.publicKey;
// RFC 8032 TEST 2's public key: a valid key that did not sign anything here.
const OTHER_PUBLIC_KEY = Buffer.from("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "hex").toString("base64");

const algorithmVectors = vectors.filter((vector) => vector.message_hex !== undefined);
const telnyxVectors = vectors.filter((vector) => vector.body !== undefined);

function delivery(body: string, headers: Record<string, string> = {}): RawDelivery {
  return { method: "POST", contentType: "application/json", headers: { "content-type": "application/json", ...headers }, query: new URLSearchParams(), body };
}

function post(value: unknown, headers: Record<string, string> = {}): RawDelivery {
  return delivery(JSON.stringify(value), headers);
}

/** The sample with some of its payload's fields replaced (undefined removes one). */
function withPayload(changes: Record<string, unknown>, event: Record<string, unknown> = {}): unknown {
  const payload: Record<string, unknown> = { ...sample.data.payload, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete payload[key];
  return { data: { ...sample.data, ...event, payload } };
}

function onlyPart(result: ParseResult): InboundPart {
  if (result.kind !== "parts") throw new Error(`Expected parts, got ${result.kind}: ${JSON.stringify(result)}`);
  expect(result.parts).toHaveLength(1);
  return result.parts[0]!;
}

function signedDelivery(body: string, timestamp: number, seed: string = RFC8032_PUBLISHED_TEST_KEY.privateKey): RawDelivery {
  return delivery(body, { "telnyx-timestamp": String(timestamp), "telnyx-signature-ed25519": signTelnyx(seed, String(timestamp), body) });
}

const at = (seconds: number) => new Date(seconds * 1000);
const withKey = (now: Date, publicKey: string = PUBLIC_KEY) => ({ credentials: { publicKey }, now });

describe("Telnyx signature vectors", () => {
  it("covers every vector in the reference file", () => {
    expect(vectors.map((vector) => vector.id)).toEqual(["RFC8032-T1", "RFC8032-T2", "TX-01", "TX-02", "TX-03"]);
    expect(algorithmVectors).toHaveLength(2);
    expect(telnyxVectors).toHaveLength(3);
  });

  it("derives the key the Telnyx vectors use from the RFC 8032 TEST 1 seed", () => {
    expect(derivedKey.private_seed_hex).toBe(RFC8032_PUBLISHED_TEST_KEY.privateKey);
    expect(derivedKey.public_key_base64).toBe(RFC8032_PUBLISHED_TEST_KEY.publicKey);
    expect(publicKeyOfSeed(RFC8032_PUBLISHED_TEST_KEY.privateKey)).toBe(PUBLIC_KEY);
  });

  it.each(algorithmVectors)("$id: Ed25519 answers $expect", (vector) => {
    const key = Buffer.from(vector.public_key_hex!, "hex");
    const message = Buffer.from(vector.message_hex!, "hex");
    const signature = Buffer.from(vector.signature_hex!, "hex");
    expect(verifyEd25519(key, message, signature)).toBe(vector.expect);
    // The key as Telnyx would show it reads back to the same bytes.
    const decoded = decodePublicKey(key.toString("base64"));
    expect(decoded.ok && decoded.key.equals(key)).toBe(true);
    // One flipped bit in the message or the signature, or another key, and it fails.
    expect(verifyEd25519(key, Buffer.concat([message, Buffer.from([0])]), signature)).toBe(false);
    const flipped = Buffer.from(signature);
    flipped[0]! ^= 1;
    expect(verifyEd25519(key, message, flipped)).toBe(false);
    const other = algorithmVectors.find((o) => o.id !== vector.id)!;
    expect(verifyEd25519(Buffer.from(other.public_key_hex!, "hex"), message, signature)).toBe(false);
  });

  it.each(telnyxVectors)("$id: the adapter answers ok=$expect with the clock near the vector's timestamp", (vector) => {
    const timestamp = Number(vector.headers!["telnyx-timestamp"]);
    const result = telnyxAdapter.verify(delivery(vector.body!, vector.headers), withKey(at(timestamp + 5), vector.public_key_base64!));
    expect(result.ok).toBe(vector.expect);
    if (vector.expect) expect(result).toEqual({ ok: true, signed: true, signatureAgeSeconds: 5 });
    else expect(result).toMatchObject({ ok: false, code: "signature_mismatch", reason: expect.stringMatching(/Public Key/) });
  });

  it("TX-01 is the compact serialisation of the official sample, and parses whether or not it verifies", () => {
    const tx01 = telnyxVectors.find((vector) => vector.id === "TX-01")!;
    expect(tx01.body).toBe(JSON.stringify(sample));
    for (const vector of telnyxVectors) expect(onlyPart(telnyxAdapter.parse(delivery(vector.body!))).providerMessageId).toBe("7ee4241c-f127-47e5-9c34-3aac291f8058");
  });

  it("TX-01 is accepted up to 300 seconds either side of its timestamp and stale beyond", () => {
    const tx01 = telnyxVectors.find((vector) => vector.id === "TX-01")!;
    const timestamp = Number(tx01.headers!["telnyx-timestamp"]);
    const check = (offset: number) => telnyxAdapter.verify(delivery(tx01.body!, tx01.headers), withKey(at(timestamp + offset)));
    expect(check(300)).toEqual({ ok: true, signed: true, signatureAgeSeconds: 300 });
    expect(check(-300)).toEqual({ ok: true, signed: true, signatureAgeSeconds: -300 });
    expect(check(301)).toMatchObject({ ok: false, code: "signature_stale", reason: expect.stringMatching(/301 seconds ago.*300 seconds/) });
    expect(check(-301)).toMatchObject({ ok: false, code: "signature_stale", reason: expect.stringMatching(/301 seconds in the future/) });
    // Milliseconds of the clock do not count: the age is whole seconds.
    expect(telnyxAdapter.verify(delivery(tx01.body!, tx01.headers), withKey(new Date(timestamp * 1000 + 300_999)))).toMatchObject({ ok: true, signatureAgeSeconds: 300 });
  });

  it("TX-02 and TX-03 stay mismatches however the clock is set: a stale check never hides a forgery", () => {
    for (const vector of telnyxVectors.filter((v) => !v.expect)) {
      const result = telnyxAdapter.verify(delivery(vector.body!, vector.headers), withKey(at(2_000_000_000)));
      expect(result).toMatchObject({ ok: false, code: "signature_mismatch" });
    }
  });
});

describe("Telnyx parse", () => {
  const officialPart: InboundPart = {
    providerMessageId: "7ee4241c-f127-47e5-9c34-3aac291f8058",
    from: "+18665550001",
    to: "+18445550001",
    encoding: "GSM7",
    payload: { format: "text", value: "Hello, World!" },
    udhHex: null,
    providerKeyword: null,
    providerTimestamp: new Date("2019-01-23T18:10:02.574Z"),
    price: { amount: "0.0051", currency: "USD" },
    callbackData: null,
    smsCount: 1,
    concat: null,
  };

  it("reads the official message.received sample into one part", () => {
    expect(telnyxAdapter.parse(post(sample))).toEqual({ kind: "parts", parts: [officialPart] });
  });

  it("reads a real delivery's meta, a body without a content type, and the event without its data wrapper", () => {
    const withMeta = { ...sample, meta: { attempt: 2, delivered_to: "https://moshi.example/in/telnyx/token" } };
    expect(onlyPart(telnyxAdapter.parse(post(withMeta)))).toEqual(officialPart);
    expect(onlyPart(telnyxAdapter.parse({ ...post(sample), contentType: null, headers: {} }))).toEqual(officialPart);
    expect(onlyPart(telnyxAdapter.parse(post(sample.data)))).toEqual(officialPart);
  });

  it("keeps the message id, not the event id, as the key: a second event for the same message is the same message", () => {
    const again = { data: { ...sample.data, id: "0c5b5bd4-0000-4000-8000-000000000001" }, meta: { attempt: 1, delivered_to: "https://backup.example.com/hooks" } };
    expect(onlyPart(telnyxAdapter.parse(post(again))).providerMessageId).toBe(officialPart.providerMessageId);
  });

  it("reads a cost whose amount is a number, as in the apispec rendering, as a string", () => {
    expect(onlyPart(telnyxAdapter.parse(post(withPayload({ cost: { amount: 0.0051, currency: "USD" } })))).price).toEqual({ amount: "0.0051", currency: "USD" });
    expect(onlyPart(telnyxAdapter.parse(post(withPayload({ cost: { amount: 1e-7, currency: "EUR" } })))).price).toEqual({ amount: "0.0000001", currency: "EUR" });
    for (const cost of [null, {}, { amount: "0.0051" }, { amount: null, currency: "USD" }, { amount: "free", currency: "USD" }, "0.0051"]) {
      expect(onlyPart(telnyxAdapter.parse(post(withPayload({ cost })))).price).toBeNull();
    }
  });

  it("maps Telnyx's encoding names, and judges the text when the name is unknown or absent", () => {
    const encodingOf = (encoding: unknown, text = "Hello") => onlyPart(telnyxAdapter.parse(post(withPayload({ encoding, text })))).encoding;
    expect(encodingOf("GSM-7")).toBe("GSM7");
    expect(encodingOf("UCS-2", "Привет 👋")).toBe("UCS2");
    expect(encodingOf("ucs2", "Hello")).toBe("UCS2");
    expect(encodingOf(null, "Привет 👋")).toBe("UCS2");
    expect(encodingOf(undefined, "Hello")).toBe("GSM7");
    expect(encodingOf("ISO-8859-1", "café €")).toBe("GSM7");
    expect(encodingOf("ISO-8859-1", "done ✓")).toBe("UCS2");
    expect(encodingOf("utf-8", "Hello")).toBe("GSM7");
  });

  it("reads a long message as one joined part whose smsCount is Telnyx's parts", () => {
    const text = "A".repeat(400);
    expect(onlyPart(telnyxAdapter.parse(post(withPayload({ text, parts: 3 }))))).toMatchObject({ payload: { format: "text", value: text }, smsCount: 3, concat: null });
    for (const parts of [0, -1, 1.5, "many", null, undefined]) expect(onlyPart(telnyxAdapter.parse(post(withPayload({ parts })))).smsCount).toBeNull();
    expect(onlyPart(telnyxAdapter.parse(post(withPayload({ parts: "2" })))).smsCount).toBe(2);
  });

  it("takes received_at, else the event's occurred_at, and never refuses a message for its timestamp", () => {
    expect(onlyPart(telnyxAdapter.parse(post(withPayload({ received_at: undefined })))).providerTimestamp).toEqual(new Date("2019-01-23T18:10:02.574Z"));
    const event = { occurred_at: "2019-12-09T21:32:14.148+00:00" };
    expect(onlyPart(telnyxAdapter.parse(post(withPayload({ received_at: null }, event)))).providerTimestamp).toEqual(new Date("2019-12-09T21:32:14.148Z"));
    expect(onlyPart(telnyxAdapter.parse(post(withPayload({ received_at: 12 }, { occurred_at: "yesterday" })))).providerTimestamp).toBeNull();
  });

  it("picks our number among the recipients: the only one, else the one the webhook was delivered for, else the first", () => {
    const toOf = (to: unknown[]) => onlyPart(telnyxAdapter.parse(post(withPayload({ to })))).to;
    expect(toOf([{ phone_number: "+18445550001" }])).toBe("+18445550001");
    expect(toOf([{ phone_number: "+18445550002", status: "delivered" }, { phone_number: "+18445550001", status: "webhook_delivered" }])).toBe("+18445550001");
    expect(toOf([{ phone_number: "+18445550003" }, { phone_number: "+18445550004" }])).toBe("+18445550003");
    expect(toOf(["+1", { carrier: "x" }, { phone_number: "18445550005" }])).toBe("+18445550005");
  });

  it("keeps a short code or an alphanumeric sender as sent", () => {
    expect(onlyPart(telnyxAdapter.parse(post(withPayload({ from: { phone_number: "24273" } })))).from).toBe("24273");
    expect(onlyPart(telnyxAdapter.parse(post(withPayload({ from: { phone_number: "TELNYX" } })))).from).toBe("TELNYX");
  });

  it("stores the text of an MMS (its media stay in the raw delivery) and ignores an MMS with no text", () => {
    const media = [{ url: "https://media.example/a.jpg", content_type: "image/jpeg", hash_sha256: null, size: 1200 }];
    expect(onlyPart(telnyxAdapter.parse(post(withPayload({ type: "MMS", media, text: "Look at this" }))))).toMatchObject({
      payload: { format: "text", value: "Look at this" },
      providerMessageId: officialPart.providerMessageId,
    });
    for (const text of ["", null, undefined]) {
      const result = telnyxAdapter.parse(post(withPayload({ type: "MMS", media, text })));
      expect(result).toEqual({ kind: "ignored", code: "not_inbound", reason: expect.stringMatching(/MMS .*1 attachment and no text.*raw body/) });
    }
  });

  it("stores an SMS whose text is empty: an empty SMS is still a message", () => {
    expect(onlyPart(telnyxAdapter.parse(post(withPayload({ text: "" })))).payload).toEqual({ format: "text", value: "" });
  });

  it("reads a message.received whose payload leaves out direction and type as an SMS", () => {
    expect(onlyPart(telnyxAdapter.parse(post(withPayload({ direction: undefined, type: undefined }))))).toEqual(officialPart);
  });
});

describe("Telnyx requests that are not inbound SMS", () => {
  const status = (eventType: string, toStatus: string) =>
    withPayload({ direction: "outbound", from: { phone_number: "+18445550001" }, to: [{ phone_number: "+18665550001", status: toStatus }] }, { event_type: eventType });

  it.each([
    ["message.sent", "sent"],
    ["message.finalized", "delivered"],
  ])("%s is a delivery receipt, with how to keep status events away", (eventType, toStatus) => {
    const result = telnyxAdapter.parse(post(status(eventType, toStatus)));
    expect(result).toEqual({ kind: "ignored", code: "delivery_receipt", reason: expect.any(String) });
    const reason = (result as { reason: string }).reason;
    expect(reason).toContain(`Telnyx ${eventType} event (status ${toStatus}, message 7ee4241c-f127-47e5-9c34-3aac291f8058)`);
    expect(reason).toMatch(/webhook_url/);
    expect(reason).toMatch(/Messaging Profiles/);
  });

  it("any other event type is not inbound, with where it comes from", () => {
    for (const eventType of ["message.queued", "call.initiated", "number_order.complete"]) {
      const result = telnyxAdapter.parse(post({ data: { record_type: "event", id: "e1", event_type: eventType, occurred_at: "2024-01-01T00:00:00Z", payload: { id: "x" } } }));
      expect(result).toEqual({ kind: "ignored", code: "not_inbound", reason: expect.stringContaining(`Telnyx ${eventType} event, not an inbound SMS`) });
    }
  });

  it("a message.received for an outbound message, or of another channel, is not inbound", () => {
    expect(telnyxAdapter.parse(post(withPayload({ direction: "outbound" })))).toEqual({ kind: "ignored", code: "not_inbound", reason: expect.stringMatching(/direction is “outbound”/) });
    expect(telnyxAdapter.parse(post(withPayload({ direction: 7 })))).toMatchObject({ kind: "ignored", code: "not_inbound" });
    expect(telnyxAdapter.parse(post(withPayload({ type: "RCS" })))).toEqual({ kind: "ignored", code: "not_inbound", reason: expect.stringMatching(/RCS message, not an SMS/) });
  });

  it("an API v1 webhook is another format, with the setting that changes it", () => {
    const v1 = { sms_id: "7ee4241c-f127-47e5-9c34-3aac291f8058", direction: "inbound", from: "+18665550001", to: "+18445550001", body: "Hello" };
    expect(telnyxAdapter.parse(post(v1))).toEqual({ kind: "ignored", code: "other_format", reason: expect.stringMatching(/API v1.*API v2/) });
  });
});

describe("Telnyx bodies that are not Telnyx's", () => {
  const reasonOf = (raw: RawDelivery) => {
    const result = telnyxAdapter.parse(raw);
    if (result.kind !== "invalid") throw new Error(`Expected invalid, got ${JSON.stringify(result)}`);
    expect(result.reason).toContain('"event_type": "message.received"');
    return result.reason;
  };

  it("names what is wrong and shows the shape Telnyx sends", () => {
    expect(reasonOf(delivery(""))).toMatch(/^The body is empty/);
    expect(reasonOf(delivery("not json"))).toMatch(/^The body is not a JSON object/);
    expect(reasonOf(delivery("[1,2]"))).toMatch(/^The body is not a JSON object/);
    expect(reasonOf({ ...delivery("msisdn=1&to=2&text=hi"), contentType: "application/x-www-form-urlencoded" })).toMatch(/form, not JSON.*webhook API version is 2/);
    expect(reasonOf(post({ results: [] }))).toMatch(/^Missing data: not a Telnyx webhook \(the body has results\)/);
    expect(reasonOf(post({ data: "message.received" }))).toMatch(/^data is not an object/);
    expect(reasonOf(post({ data: { id: "e1", payload: {} } }))).toMatch(/^Missing data\.event_type/);
    expect(reasonOf(post({ data: { event_type: "message.received" } }))).toMatch(/^Missing data\.payload/);
    expect(reasonOf(post(withPayload({ id: undefined })))).toMatch(/^Missing data\.payload\.id/);
    expect(reasonOf(post(withPayload({ from: undefined, to: undefined })))).toMatch(/^Missing data\.payload\.from, data\.payload\.to/);
    expect(reasonOf(post(withPayload({ to: [] })))).toMatch(/data\.payload\.to: must list the recipient/);
    expect(reasonOf(post(withPayload({ to: [{ carrier: "x" }] })))).toMatch(/data\.payload\.to names no phone_number/);
    expect(reasonOf(post(withPayload({ text: undefined })))).toMatch(/^Missing data\.payload\.text/);
    expect(reasonOf(post(withPayload({ id: 42 })))).toMatch(/data\.payload\.id: /);
  });

  it("stays short for a hostile body", () => {
    const reason = reasonOf(post({ data: { event_type: "message.received", payload: { ...sample.data.payload, id: "", from: {}, to: Array(100_000).fill(1) } } }));
    expect(reason.length).toBeLessThan(600);
  });
});

describe("Telnyx credentials", () => {
  const check = (publicKey: unknown) => telnyxCredentialsSchema.safeParse({ publicKey });
  const message = (publicKey: unknown) => {
    const result = check(publicKey);
    if (result.success) throw new Error(`Expected ${String(publicKey)} to be refused`);
    return result.error.issues.map((issue) => issue.message).join(" ");
  };

  it("accepts the base64 of 32 bytes, nothing, or an empty field", () => {
    expect(check(PUBLIC_KEY)).toEqual({ success: true, data: { publicKey: PUBLIC_KEY } });
    expect(check(` ${PUBLIC_KEY}\n`).success).toBe(true);
    expect(check(PUBLIC_KEY.replace(/=$/, "")).success).toBe(true);
    expect(check(undefined)).toEqual({ success: true, data: {} });
    expect(check("").success).toBe(true);
  });

  it("refuses anything that is not 32 bytes, saying what it is", () => {
    expect(message(Buffer.alloc(31, 7).toString("base64"))).toMatch(/exactly 32 bytes; this one decodes to 31/);
    expect(message(Buffer.alloc(64, 7).toString("base64"))).toMatch(/decodes to 64/);
    expect(message("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")).toMatch(/looks like the key in hex/);
    const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(PUBLIC_KEY, "base64")]).toString("base64");
    expect(message(spki)).toMatch(/PEM\/SPKI/);
    expect(message("not a key!")).toMatch(/not base64/);
    expect(message(`${PUBLIC_KEY}x`)).toMatch(/not base64|32 bytes/);
    expect(check(42).success).toBe(false);
  });

  it("annotates the field for the form: a public key, not a secret", () => {
    const meta = telnyxCredentialsSchema.shape.publicKey.meta() as CredentialFieldMeta;
    expect(meta).toMatchObject({ title: "Public key", secret: false });
    expect(meta.description).toMatch(/Keys & Credentials → Public Key/);
  });
});

describe("Telnyx verify", () => {
  const body = JSON.stringify(sample);
  const now = at(1_700_000_000);
  const signed = signedDelivery(body, 1_700_000_000 - 3);

  it("lets everything through unsigned when the number has no public key", () => {
    const unsigned = { ok: true, signed: false, signatureAgeSeconds: null } satisfies VerifyResult;
    expect(telnyxAdapter.verify(delivery(body), { credentials: null, now })).toEqual(unsigned);
    expect(telnyxAdapter.verify(delivery(body), { credentials: {}, now })).toEqual(unsigned);
    expect(telnyxAdapter.verify(delivery(body), { credentials: { publicKey: " " }, now })).toEqual(unsigned);
    expect(telnyxAdapter.verify(signed, { credentials: null, now })).toEqual(unsigned);
  });

  it("accepts a request signed with the number's key and reports its age", () => {
    expect(telnyxAdapter.verify(signed, withKey(now))).toEqual({ ok: true, signed: true, signatureAgeSeconds: 3 });
  });

  it("refuses a request without the headers Telnyx always sends, naming the missing one", () => {
    const { "telnyx-signature-ed25519": _signature, ...noSignature } = signed.headers;
    const { "telnyx-timestamp": _timestamp, ...noTimestamp } = signed.headers;
    expect(telnyxAdapter.verify(delivery(body), withKey(now))).toMatchObject({
      ok: false,
      code: "signature_missing",
      reason: expect.stringMatching(/no telnyx-signature-ed25519 and telnyx-timestamp\./),
    });
    expect(telnyxAdapter.verify({ ...signed, headers: noSignature }, withKey(now))).toMatchObject({ code: "signature_missing", reason: expect.stringMatching(/no telnyx-signature-ed25519\./) });
    expect(telnyxAdapter.verify({ ...signed, headers: noTimestamp }, withKey(now))).toMatchObject({ code: "signature_missing", reason: expect.stringMatching(/no telnyx-timestamp\./) });
    expect(telnyxAdapter.verify({ ...signed, headers: { ...signed.headers, "telnyx-signature-ed25519": "" } }, withKey(now))).toMatchObject({ code: "signature_missing" });
  });

  it("verifies status events like any other request: Telnyx signs everything it sends", () => {
    const receipt = JSON.stringify(withPayload({ direction: "outbound" }, { event_type: "message.finalized" }));
    expect(telnyxAdapter.verify(delivery(receipt), withKey(now))).toMatchObject({ ok: false, code: "signature_missing" });
    expect(telnyxAdapter.verify(signedDelivery(receipt, 1_700_000_000), withKey(now))).toEqual({ ok: true, signed: true, signatureAgeSeconds: 0 });
  });

  it("calls unreadable headers malformed", () => {
    const malformed = (headers: Record<string, string>) => telnyxAdapter.verify({ ...signed, headers: { ...signed.headers, ...headers } }, withKey(now));
    expect(malformed({ "telnyx-timestamp": "2023-11-14T22:13:17Z" })).toMatchObject({ ok: false, code: "signature_malformed", reason: expect.stringMatching(/Unix time in seconds/) });
    expect(malformed({ "telnyx-timestamp": "-5" })).toMatchObject({ code: "signature_malformed" });
    expect(malformed({ "telnyx-signature-ed25519": "not base64!" })).toMatchObject({ code: "signature_malformed", reason: expect.stringMatching(/64 bytes/) });
    expect(malformed({ "telnyx-signature-ed25519": Buffer.alloc(32).toString("base64") })).toMatchObject({ code: "signature_malformed" });
    expect(malformed({ "telnyx-signature-ed25519": `v1a,${signed.headers["telnyx-signature-ed25519"]}` })).toMatchObject({ code: "signature_malformed" });
    expect(decodeSignature(signed.headers["telnyx-signature-ed25519"]!)).toHaveLength(64);
  });

  it("refuses another key, a changed body and a changed timestamp as mismatches", () => {
    expect(telnyxAdapter.verify(signed, withKey(now, OTHER_PUBLIC_KEY))).toMatchObject({ ok: false, code: "signature_mismatch" });
    expect(telnyxAdapter.verify({ ...signed, body: body.replace("Hello", "Hellp") }, withKey(now))).toMatchObject({ code: "signature_mismatch" });
    expect(telnyxAdapter.verify({ ...signed, headers: { ...signed.headers, "telnyx-timestamp": "1699999998" } }, withKey(now))).toMatchObject({ code: "signature_mismatch" });
    // A signature over the body alone, without the timestamp, is not Telnyx's scheme.
    const bodyOnly = signTelnyx(RFC8032_PUBLISHED_TEST_KEY.privateKey, "", body);
    expect(telnyxAdapter.verify({ ...signed, headers: { ...signed.headers, "telnyx-signature-ed25519": bodyOnly } }, withKey(now))).toMatchObject({ code: "signature_mismatch" });
  });

  it("refuses to check with a key that is not 32 bytes", () => {
    for (const publicKey of [Buffer.alloc(31).toString("base64"), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "###"]) {
      expect(telnyxAdapter.verify(signed, withKey(now, publicKey))).toMatchObject({ ok: false, code: "credentials_invalid", reason: expect.stringMatching(/public key/) });
    }
  });

  it("explains every failure it can return", () => {
    expect(Object.keys(telnyxAdapter.explain.failures).sort()).toEqual(["credentials_invalid", "signature_malformed", "signature_mismatch", "signature_missing", "signature_stale"]);
  });
});

describe("Telnyx simulate", () => {
  const now = new Date("2026-03-01T12:00:00.000Z");
  const message = { provider: "TELNYX" as const, from: "+18665550001", to: "+13125550142", text: "Hello from the simulator", now };
  const seeded = (seed: number) => {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
  };

  it("builds one JSON POST in the official sample's shape, with fresh ids, that parses back", () => {
    const requests = telnyxAdapter.simulate(message);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: "POST", contentType: "application/json", signed: false });
    const body = JSON.parse(request!.body!) as typeof sample;
    expect(Object.keys(body.data.payload).sort()).toEqual(Object.keys(sample.data.payload).sort());
    expect(Object.keys(body.data).sort()).toEqual(Object.keys(sample.data).sort());
    expect(body.data.payload.id).not.toBe(sample.data.payload.id);
    expect(body.data.payload.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body.data.id).not.toBe(body.data.payload.id);

    const raw: RawDelivery = { method: request!.method, contentType: request!.contentType, headers: request!.headers ?? {}, query: request!.query, body: request!.body! };
    expect(onlyPart(telnyxAdapter.parse(raw))).toEqual({
      providerMessageId: String(body.data.payload.id),
      from: "+18665550001",
      to: "+13125550142",
      encoding: "GSM7",
      payload: { format: "text", value: "Hello from the simulator" },
      udhHex: null,
      providerKeyword: null,
      providerTimestamp: now,
      price: { amount: "0.0040", currency: "USD" },
      callbackData: null,
      smsCount: 1,
      concat: null,
    } satisfies InboundPart);
  });

  it("gives numbers in Telnyx's +E.164 form whatever it was handed", () => {
    const body = JSON.parse(telnyxAdapter.simulate({ ...message, from: "18665550001", to: "13125550142" })[0]!.body!) as typeof sample;
    expect(body.data.payload.from).toMatchObject({ phone_number: "+18665550001" });
    expect(body.data.payload.to).toEqual([expect.objectContaining({ phone_number: "+13125550142" })]);
  });

  it("sends a long message once, with parts the segment count, whatever parts was asked", () => {
    const text = "0123456789".repeat(40);
    const requests = telnyxAdapter.simulate({ ...message, text, parts: 5 });
    expect(requests).toHaveLength(1);
    const part = onlyPart(telnyxAdapter.parse(post(JSON.parse(requests[0]!.body!))));
    expect(part).toMatchObject({ payload: { value: text }, smsCount: 3, concat: null, price: { amount: "0.0120", currency: "USD" } });
    const unicode = onlyPart(telnyxAdapter.parse(post(JSON.parse(telnyxAdapter.simulate({ ...message, text: "Привет! ".repeat(10) })[0]!.body!))));
    expect(unicode).toMatchObject({ encoding: "UCS2", smsCount: 2 });
  });

  it("counts segments as a phone does", () => {
    expect(segmentCount("")).toBe(1);
    expect(segmentCount("a".repeat(160))).toBe(1);
    expect(segmentCount("a".repeat(161))).toBe(2);
    expect(segmentCount("€".repeat(80))).toBe(1);
    expect(segmentCount("€".repeat(81))).toBe(2);
    expect(segmentCount("я".repeat(70))).toBe(1);
    expect(segmentCount("я".repeat(71))).toBe(2);
    expect(segmentCount("я".repeat(135))).toBe(3);
  });

  it("repeats itself with the same seed", () => {
    const first = telnyxAdapter.simulate({ ...message, random: seeded(7) });
    expect(telnyxAdapter.simulate({ ...message, random: seeded(7) })).toEqual(first);
    expect(telnyxAdapter.simulate({ ...message, random: seeded(8) })[0]!.body).not.toBe(first[0]!.body);
  });

  it("signs with the published test key, and the signature verifies with its public key", () => {
    const [request] = telnyxAdapter.simulate({ ...message, credentials: { ...RFC8032_PUBLISHED_TEST_KEY }, url: "https://moshi.example/in/telnyx/abc" });
    expect(request!.signed).toBe(true);
    expect(request!.headers).toMatchObject({ "telnyx-timestamp": String(now.getTime() / 1000), "user-agent": "telnyx-webhooks" });
    const raw: RawDelivery = { method: "POST", contentType: request!.contentType, headers: request!.headers!, query: request!.query, body: request!.body! };
    expect(telnyxAdapter.verify(raw, withKey(now))).toEqual({ ok: true, signed: true, signatureAgeSeconds: 0 });
    expect(telnyxAdapter.verify(raw, withKey(now, OTHER_PUBLIC_KEY))).toMatchObject({ ok: false, code: "signature_mismatch" });
    expect(telnyxAdapter.verify(raw, withKey(new Date(now.getTime() + 301_000)))).toMatchObject({ ok: false, code: "signature_stale" });
    expect(telnyxAdapter.verify(raw, { credentials: null, now })).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
    expect(JSON.parse(raw.body)).toMatchObject({ meta: { attempt: 1, delivered_to: "https://moshi.example/in/telnyx/abc" } });
  });

  it("does not call a signature signed when the number's public key is not the signing key's", () => {
    const [request] = telnyxAdapter.simulate({ ...message, credentials: { privateKey: RFC8032_PUBLISHED_TEST_KEY.privateKey, publicKey: OTHER_PUBLIC_KEY } });
    expect(request!.signed).toBe(false);
    expect(request!.headers!["telnyx-signature-ed25519"]).toBeDefined();
  });

  it("sends no signature without a private key, which a number's credentials never hold", () => {
    const [request] = telnyxAdapter.simulate({ ...message, credentials: { publicKey: PUBLIC_KEY } });
    expect(request!.signed).toBe(false);
    expect(request!.headers!["telnyx-signature-ed25519"]).toBeUndefined();
    const raw: RawDelivery = { method: "POST", contentType: request!.contentType, headers: request!.headers!, query: request!.query, body: request!.body! };
    expect(telnyxAdapter.verify(raw, withKey(now))).toMatchObject({ ok: false, code: "signature_missing" });
    expect(telnyxAdapter.verify(raw, { credentials: null, now })).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
  });

  it("refuses a format Telnyx does not send and a private key that is not a hex seed", () => {
    expect(() => telnyxAdapter.simulate({ ...message, format: "form" })).toThrow(/only JSON/);
    expect(() => telnyxAdapter.simulate({ ...message, credentials: { privateKey: "abc" } })).toThrow(/64 hex digits/);
  });
});

describe("Telnyx adapter", () => {
  it("declares itself fully", () => {
    expect(telnyxAdapter).toMatchObject({
      provider: "TELNYX",
      name: "Telnyx",
      methods: ["POST"],
      pathSegments: ["telnyx"],
      formats: ["json"],
      keptHeaders: ["telnyx-signature-ed25519", "telnyx-timestamp", "user-agent"],
    });
    expect(telnyxAdapter.colour).toMatch(/^#[0-9A-F]{6}$/i);
    expect(telnyxAdapter.exampleNumber).toMatch(/^\+1\d{3}55501\d{2}$/);
    expect(telnyxAdapter.keptHeaders).not.toContain("authorization");
    expect(telnyxAdapter.acknowledge).toBeUndefined();
  });
});

describe("Telnyx never throws, whatever arrives", () => {
  const value = fc.oneof(
    fc.string(),
    fc.jsonValue(),
    fc.constantFrom("message.received", "message.finalized", "inbound", "outbound", "SMS", "MMS", "GSM-7", "UCS-2", "2019-01-23T18:10:02.574Z", "+18445550001"),
  );
  const loose = (keys: string[]) => fc.record(Object.fromEntries(keys.map((key) => [key, value])), { requiredKeys: [] });
  const payloadKeys = ["id", "direction", "type", "text", "encoding", "parts", "received_at", "cost", "media"];
  const payload = fc.oneof(
    loose(payloadKeys),
    fc.record(
      {
        id: value,
        from: fc.oneof(value, loose(["phone_number", "carrier"])),
        to: fc.oneof(value, fc.array(fc.oneof(value, loose(["phone_number", "status"])))),
        text: value,
        type: value,
        direction: value,
        parts: value,
        cost: fc.oneof(value, loose(["amount", "currency"])),
      },
      { requiredKeys: [] },
    ),
  );
  const event = fc.record({ record_type: value, id: value, event_type: value, occurred_at: value, payload: fc.oneof(payload, value) }, { requiredKeys: [] });
  const body = fc.oneof(
    fc.string(),
    fc.jsonValue().map((json) => JSON.stringify(json)),
    fc.record({ data: fc.oneof(event, value), meta: value }, { requiredKeys: [] }).map((json) => JSON.stringify(json)),
    event.map((json) => JSON.stringify(json)),
  );
  const base64ish = fc.oneof(fc.string(), fc.uint8Array({ minLength: 0, maxLength: 80 }).map((bytes) => Buffer.from(bytes).toString("base64")));
  const headers = fc.oneof(
    fc.dictionary(fc.string(), fc.string()),
    fc.record({ "telnyx-signature-ed25519": base64ish, "telnyx-timestamp": fc.oneof(fc.string(), fc.integer().map(String)), "user-agent": fc.string() }, { requiredKeys: [] }),
  );
  const raw = fc.record({
    method: fc.oneof(fc.constantFrom("POST", "GET", "post", ""), fc.string()),
    contentType: fc.option(fc.oneof(fc.constantFrom("application/json", "application/x-www-form-urlencoded", "text/plain"), fc.string())),
    headers,
    query: fc.dictionary(fc.string(), fc.string()).map((params) => new URLSearchParams(params)),
    body,
  });
  const credentials = fc.option(fc.record({ publicKey: fc.oneof(base64ish, fc.constant(PUBLIC_KEY)) }, { requiredKeys: [] }));
  const now = fc.date();

  it("parse and verify always answer", () => {
    fc.assert(
      fc.property(raw, credentials, now, (delivery, creds, clock) => {
        const parsed = telnyxAdapter.parse(delivery);
        expect(["parts", "ignored", "invalid"]).toContain(parsed.kind);
        if (parsed.kind === "parts") for (const part of parsed.parts) expect(part.providerMessageId).not.toBe("");
        else if (parsed.kind !== "too-many") expect(parsed.reason.length).toBeGreaterThan(10);
        const verified = telnyxAdapter.verify(delivery, { credentials: creds, now: clock });
        expect(typeof verified.ok).toBe("boolean");
        if (!verified.ok) expect(Object.keys(telnyxAdapter.explain.failures)).toContain(verified.code);
      }),
      { numRuns: 2000 },
    );
  });
});
