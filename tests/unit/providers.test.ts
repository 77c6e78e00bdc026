import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { infobipAdapter } from "@/lib/sms/providers/infobip";
import { readParams } from "@/lib/sms/providers/params";
import { rakutenAdapter } from "@/lib/sms/providers/rakuten";
import { vonageAdapter } from "@/lib/sms/providers/vonage";
import { adapters, providerFromPath } from "@/lib/sms/registry";
import { credentialFields } from "@/lib/sms/credentials";
import type { InboundPart, ParseResult, Provider, RawDelivery, VerifyContext } from "@/lib/sms/types";
import { getDelivery, jsonDelivery, parseHttpRequest, readHttpFixture, readJsonFixture } from "../helpers/http-fixture";

const SECRET = "my_secret_key_for_testing";
const FORM = "application/x-www-form-urlencoded; charset=UTF-8";
const unsigned = { credentials: null, now: new Date() } satisfies VerifyContext<Record<string, unknown>>;

/** The parts of a result that must be parts; fails the test with the reason otherwise. */
function partsOf(result: ParseResult): InboundPart[] {
  if (result.kind !== "parts") throw new Error(`Expected parts, got ${result.kind}: ${JSON.stringify(result)}`);
  return result.parts;
}

function onlyPart(result: ParseResult): InboundPart {
  const parts = partsOf(result);
  expect(parts).toHaveLength(1);
  return parts[0]!;
}

function formDelivery(params: Record<string, string>, contentType: string | null = FORM): RawDelivery {
  return { method: "POST", contentType, headers: {}, query: new URLSearchParams(), body: new URLSearchParams(params).toString() };
}

/** The same delivery with its sig parameter taken out, wherever it travelled. */
function withoutSig(delivery: RawDelivery): RawDelivery {
  const query = new URLSearchParams(delivery.query);
  query.delete("sig");
  if (delivery.method === "GET") return { ...delivery, query };
  if (delivery.body.trimStart().startsWith("{")) {
    const { sig: _sig, ...rest } = JSON.parse(delivery.body) as Record<string, unknown>;
    return { ...delivery, body: JSON.stringify(rest) };
  }
  const form = new URLSearchParams(delivery.body);
  form.delete("sig");
  return { ...delivery, body: form.toString() };
}

describe("Vonage", () => {
  const phpSdkPart: InboundPart = {
    providerMessageId: "02000000DA7C52E7",
    from: "+14845552121",
    to: "+16105553939",
    encoding: "GSM7",
    payload: { format: "text", value: "Test this." },
    udhHex: null,
    providerKeyword: "TEST",
    providerTimestamp: new Date("2016-05-24T11:12:01Z"),
    price: null,
    callbackData: null,
    smsCount: null,
    concat: null,
  };

  it("reads the official GET capture, with + in the query as a space", () => {
    expect(vonageAdapter.parse(readHttpFixture("vonage/php-sdk-inbound.http"))).toEqual({ kind: "parts", parts: [phpSdkPart] });
  });

  it("reads the official JSON capture that has no Content-Type header", () => {
    const delivery = readHttpFixture("vonage/php-sdk-json.http");
    expect(delivery.contentType).toBeNull();
    expect(vonageAdapter.parse(delivery)).toEqual({ kind: "parts", parts: [phpSdkPart] });
  });

  it("finds that the official captures' sig was not made with the test secret", () => {
    // The PHP SDK's captures carry a sig from an unknown secret: they parse, but do not verify.
    for (const name of ["vonage/php-sdk-inbound.http", "vonage/php-sdk-json.http"]) {
      const delivery = readHttpFixture(name);
      expect(vonageAdapter.verify(delivery, unsigned)).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
      expect(vonageAdapter.verify(delivery, { credentials: { signatureSecret: SECRET, signatureMethod: "MD5HASH" }, now: new Date() })).toMatchObject({ ok: false });
    }
  });

  it("reads a binary message: hex data, its UDH, no concatenation in a WAP push port header", () => {
    expect(onlyPart(vonageAdapter.parse(readHttpFixture("vonage/php-sdk-inbound-binary.http")))).toEqual({
      providerMessageId: "02000000DA7C52E7",
      from: "+14845552121",
      to: "+16105553939",
      encoding: "BINARY",
      payload: { format: "binary-hex", value: "EA0601AE02056A0045C60C037761702E6F7A656B692E6875000801034F7A656B69000101" },
      udhHex: "0605040B8423F0",
      providerKeyword: "BINARY",
      providerTimestamp: new Date("2016-05-24T11:12:01Z"),
      price: null,
      callbackData: null,
      smsCount: null,
      concat: null,
    });
  });

  it("takes a binary part's concatenation from its UDH when the concat fields are absent", () => {
    const part = onlyPart(
      vonageAdapter.parse(getDelivery({ msisdn: "447700900001", to: "447700900000", messageId: "b-1", type: "binary", data: "0102", udh: "050003CC0201" })),
    );
    expect(part.concat).toEqual({ reference: 204, referenceBits: 8, total: 2, index: 1 });
  });

  it("refuses the PHP SDK's invalid request (no parameters, body on a GET), naming what is missing", () => {
    const result = vonageAdapter.parse(readHttpFixture("vonage/php-sdk-invalid.http"));
    expect(result).toMatchObject({ kind: "invalid" });
    expect(result.kind === "invalid" && result.reason).toMatch(/^Missing msisdn, to, messageId, type\b/);
  });

  const signedPart: InboundPart = {
    providerMessageId: "0B00000042AC53BD",
    from: "+14843472194",
    to: "+12192259404",
    encoding: "GSM7",
    payload: { format: "text", value: "Test with & and =" },
    udhHex: null,
    providerKeyword: "TEST",
    providerTimestamp: new Date("2017-04-04T22:57:47Z"),
    price: null,
    callbackData: null,
    smsCount: null,
    concat: null,
  };

  describe.each(["vonage/derived-signed-get.http", "vonage/derived-signed-post-form.http", "vonage/derived-signed-post-json.http"])("%s", (name) => {
    const delivery = readHttpFixture(name);
    const now = new Date((1491346667 + 90) * 1000);

    it("parses to the message that was signed", () => {
      expect(vonageAdapter.parse(delivery)).toEqual({ kind: "parts", parts: [signedPart] });
    });

    it("verifies with the secret (md5hash) and records the signature's age", () => {
      expect(vonageAdapter.verify(delivery, { credentials: { signatureSecret: SECRET, signatureMethod: "MD5HASH" }, now })).toEqual({ ok: true, signed: true, signatureAgeSeconds: 90 });
    });

    it("never refuses a valid signature for its age", () => {
      const years = new Date("2030-01-01T00:00:00Z");
      expect(vonageAdapter.verify(delivery, { credentials: { signatureSecret: SECRET, signatureMethod: "MD5HASH" }, now: years })).toMatchObject({ ok: true, signed: true });
    });

    it("refuses another secret or method: the signature does not match", () => {
      for (const options of [
        { signatureSecret: "another_secret", signatureMethod: "MD5HASH" },
        { signatureSecret: SECRET, signatureMethod: "SHA256" },
      ]) {
        const result = vonageAdapter.verify(delivery, { credentials: options, now });
        expect(result).toMatchObject({ ok: false });
        expect(!result.ok && result.reason).toMatch(/does not match/);
      }
    });

    it("refuses it without its sig when a secret is set, and accepts it when none is", () => {
      const result = vonageAdapter.verify(withoutSig(delivery), { credentials: { signatureSecret: SECRET, signatureMethod: "MD5HASH" }, now });
      expect(result).toMatchObject({ ok: false });
      expect(!result.ok && result.reason).toMatch(/signature missing/);
      expect(vonageAdapter.verify(withoutSig(delivery), { credentials: null, now })).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
      expect(vonageAdapter.verify(delivery, { credentials: null, now })).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
    });
  });

  it("refuses a signed delivery whose text was changed on the way", () => {
    const delivery = readHttpFixture("vonage/derived-signed-get.http");
    const query = new URLSearchParams(delivery.query);
    query.set("text", "Test with & and ≠");
    const result = vonageAdapter.verify({ ...delivery, query }, { credentials: { signatureSecret: SECRET, signatureMethod: "MD5HASH" }, now: new Date() });
    expect(result).toMatchObject({ ok: false });
  });

  it("verifies a form POST without a charset, or with no Content-Type at all", () => {
    const form = readHttpFixture("vonage/derived-signed-post-form.http");
    for (const contentType of ["application/x-www-form-urlencoded", null]) {
      const delivery = { ...form, contentType };
      expect(vonageAdapter.parse(delivery)).toEqual({ kind: "parts", parts: [signedPart] });
      expect(vonageAdapter.verify(delivery, { credentials: { signatureSecret: SECRET, signatureMethod: "MD5HASH" }, now: new Date() })).toMatchObject({ ok: true, signed: true });
    }
  });

  it("gives each call of a 3-part message, retry included, its concatenation", () => {
    const fixture = readJsonFixture<{ calls: Record<string, string>[]; expected_text: string }>("vonage/derived-concat-sequence.json");
    const parts = fixture.calls.map((call) => onlyPart(vonageAdapter.parse(getDelivery(call))));
    expect(parts.map((p) => [p.providerMessageId, p.concat, p.providerKeyword])).toEqual([
      ["0A00000000000003", { reference: 204, referenceBits: 8, total: 3, index: 3 }, "WORLD!"],
      ["0A00000000000001", { reference: 204, referenceBits: 8, total: 3, index: 1 }, "HELLO"],
      ["0A00000000000003", { reference: 204, referenceBits: 8, total: 3, index: 3 }, "WORLD!"],
      ["0A00000000000002", { reference: 204, referenceBits: 8, total: 3, index: 2 }, "BIG"],
    ]);
    const unique = new Map(parts.map((p) => [p.providerMessageId, p]));
    const joined = [...unique.values()]
      .sort((a, b) => a.concat!.index - b.concat!.index)
      .map((p) => (p.payload.format === "text" ? p.payload.value : ""))
      .join("");
    expect(joined).toBe(fixture.expected_text);
    expect(parts[1]).toMatchObject({ from: "+447700900001", to: "+447700900000", providerTimestamp: new Date("2020-01-01T12:00:01Z") });
  });

  it("reads the same parameters alike from a query, a form and JSON", () => {
    const call = readJsonFixture<{ calls: Record<string, string>[] }>("vonage/derived-concat-sequence.json").calls[0]!;
    const fromQuery = vonageAdapter.parse(getDelivery(call));
    expect(vonageAdapter.parse(formDelivery(call))).toEqual(fromQuery);
    expect(vonageAdapter.parse(jsonDelivery(call))).toEqual(fromQuery);
    expect(vonageAdapter.parse(jsonDelivery(call, null))).toEqual(fromQuery);
  });

  it("uses a 16-bit reference above 255 and ignores concat fields that cannot be right", () => {
    const base = { msisdn: "447700900001", to: "447700900000", messageId: "m", type: "text", text: "x", concat: "true" };
    const concatOf = (fields: Record<string, string>) => onlyPart(vonageAdapter.parse(getDelivery({ ...base, ...fields }))).concat;
    expect(concatOf({ "concat-ref": "4660", "concat-total": "2", "concat-part": "2" })).toEqual({ reference: 4660, referenceBits: 16, total: 2, index: 2 });
    expect(concatOf({ "concat-ref": "255", "concat-total": "2", "concat-part": "1" })).toEqual({ reference: 255, referenceBits: 8, total: 2, index: 1 });
    expect(concatOf({ "concat-ref": "1", "concat-total": "0", "concat-part": "1" })).toBeNull();
    expect(concatOf({ "concat-ref": "1", "concat-total": "2", "concat-part": "0" })).toBeNull();
    expect(concatOf({ "concat-ref": "1", "concat-total": "2", "concat-part": "3" })).toBeNull();
    expect(concatOf({ "concat-ref": "x", "concat-total": "2", "concat-part": "1" })).toBeNull();
    expect(concatOf({ concat: "false", "concat-ref": "1", "concat-total": "2", "concat-part": "1" })).toBeNull();
  });

  it("reads unicode messages as UCS-2 text and ISO timestamps", () => {
    const part = onlyPart(
      vonageAdapter.parse(getDelivery({ msisdn: "819012345678", to: "447700900000", messageId: "u", type: "unicode", text: "こんにちは 😀", "message-timestamp": "2020-01-01T12:00:00+09:00" })),
    );
    expect(part).toMatchObject({ encoding: "UCS2", payload: { format: "text", value: "こんにちは 😀" }, providerTimestamp: new Date("2020-01-01T03:00:00Z"), providerKeyword: null });
  });

  it("keeps an alphanumeric sender as sent", () => {
    const part = onlyPart(vonageAdapter.parse(getDelivery({ msisdn: "ACME", to: "447700900000", messageId: "a", type: "text", text: "hi" })));
    expect(part.from).toBe("ACME");
  });

  const receipt = {
    msisdn: "14845552121",
    to: "12192259404",
    "network-code": "310090",
    messageId: "0B0000001A2B3C4D",
    price: "0.00570000",
    status: "delivered",
    scts: "2001011400",
    "err-code": "0",
    "message-timestamp": "2020-01-01 14:00:00",
  };
  const messagesApi = {
    channel: "sms",
    message_uuid: "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
    to: "12192259404",
    from: "14845552121",
    timestamp: "2020-01-01T14:00:00.000Z",
    text: "Hello",
    sms: { num_messages: "1" },
    message_type: "text",
  };
  const messagesApiNested = {
    message_uuid: "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
    to: { type: "sms", number: "12192259404" },
    from: { type: "sms", number: "14845552121" },
    timestamp: "2020-01-01T14:00:00.000Z",
    direction: "inbound",
    message: { content: { type: "text", text: "Hello" } },
  };

  it("ignores a delivery receipt by any transport, explaining where receipts are configured", () => {
    for (const delivery of [getDelivery(receipt), formDelivery(receipt), jsonDelivery(receipt)]) {
      const result = vonageAdapter.parse(delivery);
      expect(result).toMatchObject({ kind: "ignored" });
      expect(result.kind === "ignored" && result.reason).toMatch(/delivery receipt \(status “delivered” for message 0B0000001A2B3C4D\)/);
      expect(result.kind === "ignored" && result.reason).toMatch(/Delivery receipts \(DLR\) webhooks/);
    }
  });

  it("reads a Messages API SMS, and explains the old nested format instead of storing it", () => {
    expect(vonageAdapter.parse(jsonDelivery(messagesApi))).toEqual({
      kind: "parts",
      parts: [
        {
          providerMessageId: "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
          from: "+14845552121",
          to: "+12192259404",
          encoding: "GSM7",
          payload: { format: "text", value: "Hello" },
          udhHex: null,
          providerKeyword: null,
          providerTimestamp: new Date("2020-01-01T14:00:00.000Z"),
          price: null,
          callbackData: null,
          smsCount: 1,
          concat: null,
        },
      ],
    });
    const nested = vonageAdapter.parse(jsonDelivery(messagesApiNested));
    expect(nested).toMatchObject({ kind: "ignored", code: "other_format" });
    expect(nested.kind === "ignored" && nested.reason).toMatch(/old v0\.1 format \(message_uuid aaaaaaaa-bbbb-cccc-dddd-0123456789ab\)/);
    expect(nested.kind === "ignored" && nested.reason).toMatch(/webhook version to v1/);
  });

  it("lets unsigned receipts and old-format payloads through a secret, so their explanation is recorded; a Messages API SMS needs its token", () => {
    const options = { credentials: { signatureSecret: SECRET, signatureMethod: "MD5HASH" }, now: new Date() } as const;
    expect(vonageAdapter.verify(getDelivery(receipt), options)).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
    expect(vonageAdapter.verify(jsonDelivery(messagesApiNested), options)).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
    expect(vonageAdapter.verify(getDelivery({ ...receipt, sig: "0".repeat(32) }), options)).toMatchObject({ ok: false });
    // Vonage advises a 5xx for an unsigned Messages API callback: it retries it signed.
    expect(vonageAdapter.verify(jsonDelivery(messagesApi), options)).toMatchObject({ ok: false, code: "signature_missing", retry: true });
  });

  it("refuses bodies that are neither form-encoded nor JSON, and messages without content", () => {
    const garbage = vonageAdapter.parse({ method: "POST", contentType: null, headers: {}, query: new URLSearchParams(), body: "Hello World" });
    expect(garbage).toEqual({ kind: "invalid", reason: expect.stringMatching(/Body is not form-encoded or JSON/) });
    expect(vonageAdapter.parse({ ...jsonDelivery({}), body: "[1,2]" })).toMatchObject({ kind: "invalid" });
    expect(vonageAdapter.parse({ ...jsonDelivery({}), body: "{not json" })).toMatchObject({ kind: "invalid" });
    const noText = vonageAdapter.parse(getDelivery({ msisdn: "1", to: "2", messageId: "3", type: "text" }));
    expect(noText).toEqual({ kind: "invalid", reason: expect.stringMatching(/^Missing text/) });
    const oddType = vonageAdapter.parse(getDelivery({ msisdn: "1", to: "2", messageId: "3", type: "vcard", text: "x" }));
    expect(oddType).toEqual({ kind: "invalid", reason: expect.stringMatching(/type: must be text, unicode or binary, not "vcard"/) });
    expect(vonageAdapter.parse(getDelivery({ to: "2", text: "hi", type: "text" }))).toEqual({
      kind: "invalid",
      reason: expect.stringMatching(/^Missing msisdn, messageId:/),
    });
  });
});

describe("Infobip", () => {
  const quiz: InboundPart = {
    providerMessageId: "817790313235066447",
    from: "+385916242493",
    to: "+385921004026",
    encoding: "GSM7",
    payload: { format: "text", value: "QUIZ Correct answer is Paris" },
    udhHex: null,
    providerKeyword: "QUIZ",
    providerTimestamp: new Date("2016-10-06T09:28:39.220Z"),
    price: { amount: "0", currency: "EUR" },
    callbackData: "callbackData",
    smsCount: 1,
    concat: null,
  };

  it("reads the official MO_JSON_2 example", () => {
    const body = readJsonFixture("infobip/official-mo_json_2.json");
    expect(infobipAdapter.parse(jsonDelivery(body))).toEqual({ kind: "parts", parts: [quiz] });
    expect(infobipAdapter.verify(jsonDelivery(body), unsigned)).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
  });

  it("reads every message of a batch; an empty keyword is no keyword", () => {
    const body = readJsonFixture("infobip/derived-batch-2-results.json");
    const parts = partsOf(infobipAdapter.parse(jsonDelivery(body)));
    expect(parts).toHaveLength(2);
    expect(parts[0]).toEqual(quiz);
    expect(parts[1]).toEqual({
      providerMessageId: "817790313235066448",
      from: "+385916242494",
      to: "+385921004026",
      encoding: "GSM7",
      payload: { format: "text", value: Array(20).fill("Long message").join(" ") },
      udhHex: null,
      providerKeyword: null,
      providerTimestamp: new Date("2016-10-06T09:28:40.001Z"),
      price: { amount: "0", currency: "EUR" },
      callbackData: "tenant-42",
      smsCount: 2,
      concat: null,
    });
  });

  it("ignores fields Infobip added later and reads any content type", () => {
    const body = readJsonFixture<{ results: Record<string, unknown>[] }>("infobip/official-mo_json_2.json");
    const newer = { ...body, results: [{ ...body.results[0], applicationId: "default", entityId: "e-1", campaignReferenceId: "c-1" }] };
    expect(infobipAdapter.parse(jsonDelivery(newer, null))).toEqual({ kind: "parts", parts: [quiz] });
  });

  it("infers UCS-2 from text outside the GSM alphabet, and GSM-7 for its extension table", () => {
    const text = (value: string) => {
      const body = readJsonFixture<{ results: Record<string, unknown>[] }>("infobip/official-mo_json_2.json");
      return onlyPart(infobipAdapter.parse(jsonDelivery({ results: [{ ...body.results[0], text: value }] }))).encoding;
    };
    expect(text("Prix: 5€ [promo] {ok}")).toBe("GSM7");
    expect(text("こんにちは")).toBe("UCS2");
    expect(text("Ça va? 😀")).toBe("UCS2");
  });

  it("reads legacy GET forwarding under the same names", () => {
    const part = onlyPart(
      infobipAdapter.parse(
        getDelivery({
          messageId: "817790313235066447",
          from: "385916242493",
          to: "385921004026",
          text: "QUIZ Correct answer is Paris",
          cleanText: "Correct answer is Paris",
          keyword: "QUIZ",
          receivedAt: "2016-10-06T09:28:39.220+0000",
          smsCount: "1",
          pricePerMessage: "0",
          currency: "EUR",
          callbackData: "callbackData",
        }),
      ),
    );
    expect(part).toEqual(quiz);
  });

  it("ignores a delivery report, saying where reports are configured", () => {
    const report = {
      results: [
        {
          bulkId: "BULK-ID-123-xyz",
          messageId: "MESSAGE-ID-123-xyz",
          to: "41793026727",
          sentAt: "2019-11-09T16:00:00.000+0000",
          doneAt: "2019-11-09T16:00:00.000+0000",
          smsCount: 1,
          price: { pricePerMessage: 0.01, currency: "EUR" },
          status: { groupId: 3, groupName: "DELIVERED", id: 5, name: "DELIVERED_TO_HANDSET", description: "Message delivered to handset" },
          error: { groupId: 0, groupName: "OK", id: 0, name: "NO_ERROR", description: "No Error", permanent: false },
        },
      ],
    };
    const result = infobipAdapter.parse(jsonDelivery(report));
    expect(result).toEqual({ kind: "ignored", code: "delivery_receipt", reason: expect.stringMatching(/^This is an Infobip delivery report \(status DELIVERED for message MESSAGE-ID-123-xyz\).*notifyUrl/) });
  });

  it("refuses an empty batch, another shape and garbage, saying why", () => {
    expect(infobipAdapter.parse(jsonDelivery({ results: [], messageCount: 0, pendingMessageCount: 0 }))).toEqual({
      kind: "invalid",
      reason: expect.stringMatching(/no messages/),
    });
    expect(infobipAdapter.parse(jsonDelivery({ hello: "world" }))).toEqual({ kind: "invalid", reason: expect.stringMatching(/^Missing results.*hello/) });
    expect(infobipAdapter.parse({ ...jsonDelivery({}), body: "this is not json" })).toEqual({ kind: "invalid", reason: expect.stringMatching(/not a JSON object/) });
    expect(infobipAdapter.parse(jsonDelivery({ results: [{ messageId: "1", from: "2", to: "3" }, { text: "x" }] }))).toEqual({
      kind: "invalid",
      reason: expect.stringMatching(/^Missing results\[0\]\.text, results\[1\]\.messageId, results\[1\]\.from, results\[1\]\.to:/),
    });
    expect(infobipAdapter.parse(getDelivery({}))).toMatchObject({ kind: "invalid" });
  });
});

describe("Rakuten", () => {
  it("reads a single-part message", () => {
    const body = readJsonFixture("rakuten/derived-single.json");
    expect(rakutenAdapter.parse(jsonDelivery(body))).toEqual({
      kind: "parts",
      parts: [
        {
          providerMessageId: "rk-2001",
          from: "+817012345678",
          to: "+815012345678",
          encoding: "GSM7",
          payload: { format: "text", value: "Hello" },
          udhHex: null,
          providerKeyword: null,
          providerTimestamp: null,
          price: null,
          callbackData: null,
          smsCount: null,
          concat: null,
        },
      ],
    });
  });

  it("gives each call of a 3-part message its concatenation from the UDH", () => {
    const fixture = readJsonFixture<{ calls: Record<string, string>[]; expected_text: string }>("rakuten/derived-concat-8bit.json");
    const parts = fixture.calls.map((call) => onlyPart(rakutenAdapter.parse(jsonDelivery(call))));
    expect(parts.map((p) => [p.providerMessageId, p.udhHex, p.concat])).toEqual([
      ["rk-0003", "050003CC0303", { reference: 204, referenceBits: 8, total: 3, index: 3 }],
      ["rk-0001", "050003CC0301", { reference: 204, referenceBits: 8, total: 3, index: 1 }],
      ["rk-0002", "050003CC0302", { reference: 204, referenceBits: 8, total: 3, index: 2 }],
    ]);
    const joined = [...parts]
      .sort((a, b) => a.concat!.index - b.concat!.index)
      .map((p) => (p.payload.format === "text" ? p.payload.value : ""))
      .join("");
    expect(joined).toBe(fixture.expected_text);
  });

  const base = { message_id: "rk-u1", sender_address: "817012345678", destination_address: "815012345678", udh: "" };

  it("reads unicode bodies as UTF-16 hex when they are whole hex code units, as text otherwise", () => {
    const payload = (message_body: string) => onlyPart(rakutenAdapter.parse(jsonDelivery({ ...base, content_type: "unicode", message_body })));
    expect(payload("3053D83D")).toMatchObject({ encoding: "UCS2", payload: { format: "utf16-hex", value: "3053D83D" } });
    expect(payload("こ😀")).toMatchObject({ encoding: "UCS2", payload: { format: "text", value: "こ😀" } });
    expect(payload("ABC").payload).toEqual({ format: "text", value: "ABC" });
    expect(payload("").payload).toEqual({ format: "text", value: "" });
  });

  it("reads binary bodies as hex octets, with a 16-bit reference from the UDH", () => {
    const part = onlyPart(rakutenAdapter.parse(jsonDelivery({ ...base, content_type: "binary", udh: "06080412340201", message_body: "C0FFEE" })));
    expect(part).toMatchObject({ encoding: "BINARY", payload: { format: "binary-hex", value: "C0FFEE" }, udhHex: "06080412340201", concat: { reference: 0x1234, referenceBits: 16, total: 2, index: 1 } });
  });

  it("refuses a UDH that does not parse, with the UDH's reason", () => {
    const result = rakutenAdapter.parse(jsonDelivery({ ...base, content_type: "text", udh: "0500", message_body: "x" }));
    expect(result).toEqual({ kind: "invalid", reason: "The UDH length byte says 5 bytes follow, but 1 do." });
  });

  it("never verifies (the signing spec is incomplete), even when signature headers are present", () => {
    const delivery = { ...jsonDelivery(readJsonFixture("rakuten/derived-single.json")), headers: { "x-api-signature": "bogus", "x-api-signature-algorithm": "hmac-sha256" } };
    expect(rakutenAdapter.verify(delivery, { credentials: { signatureSecret: "s", signatureMethod: "SHA256" }, now: new Date() })).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
  });

  it("refuses garbage and missing fields, naming them", () => {
    expect(rakutenAdapter.parse({ ...jsonDelivery({}), body: "message_id=1" })).toMatchObject({ kind: "invalid" });
    expect(rakutenAdapter.parse(jsonDelivery({ message_id: "1", content_type: "text" }))).toEqual({
      kind: "invalid",
      reason: expect.stringMatching(/^Missing sender_address, destination_address, message_body:/),
    });
    expect(rakutenAdapter.parse(jsonDelivery({ ...base, content_type: "mms", message_body: "x" }))).toEqual({
      kind: "invalid",
      reason: expect.stringMatching(/content_type: must be text, unicode or binary, not "mms"/),
    });
  });
});

describe("readParams", () => {
  it("turns JSON numbers and booleans into strings and leaves nested values and null out", () => {
    const read = readParams(jsonDelivery({ a: 1, b: true, c: null, d: { e: 1 }, f: "x" }));
    expect(read).toMatchObject({ ok: true, source: "json", params: { a: "1", b: "true", f: "x" } });
    expect(read.ok && Object.keys(read.params)).toEqual(["a", "b", "f"]);
  });

  it("keeps a parameter named __proto__ as data", () => {
    const read = readParams({ ...getDelivery({}), query: new URLSearchParams("__proto__=x&constructor=y") });
    expect(read.ok && read.params["__proto__"]).toBe("x");
    const none = readParams(getDelivery({}));
    expect(none.ok && none.params["constructor"]).toBeUndefined();
  });

  it("reads a GET's query only, whatever its body", () => {
    const delivery = parseHttpRequest("GET /x?a=1 HTTP/1.1\nContent-Type: application/json\n\n{\"b\":2}");
    expect(readParams(delivery)).toMatchObject({ ok: true, source: "query", params: { a: "1" } });
  });
});

describe("registry", () => {
  it("maps URL segments to providers, nexmo included, ignoring case", () => {
    expect(["rakuten", "INFOBIP", "Vonage", "nexmo", "NeXmO"].map(providerFromPath)).toEqual(["RAKUTEN", "INFOBIP", "VONAGE", "VONAGE", "VONAGE"]);
    expect(["smsco", "", "constructor", "__proto__", "vonage/", " vonage"].map(providerFromPath)).toEqual([null, null, null, null, null, null]);
  });

  it("has the adapter of each provider under its name", () => {
    for (const [provider, adapter] of Object.entries(adapters)) expect(adapter.provider).toBe(provider);
  });
});

describe("no adapter throws, whatever arrives", () => {
  const method = fc.oneof(fc.constantFrom("GET", "POST", "PUT", "get", "post", ""), fc.string());
  const contentType = fc.option(
    fc.oneof(fc.constantFrom("application/json", "application/json; charset=utf-8", FORM, "application/x-www-form-urlencoded", "text/plain", "multipart/form-data"), fc.string()),
  );
  // Values a real payload would hold turn up often enough to reach past the first checks.
  const value = fc.oneof(fc.string(), fc.jsonValue(), fc.constantFrom("text", "unicode", "binary", "true", "204", "3", "1", "050003CC0301", "2016-10-06T09:28:39.220+0000"));
  const loose = (keys: string[]) => fc.record(Object.fromEntries(keys.map((key) => [key, value])), { requiredKeys: [] });
  const vonageKeys = ["msisdn", "to", "messageId", "type", "text", "data", "udh", "keyword", "message-timestamp", "timestamp", "sig", "concat", "concat-ref", "concat-total", "concat-part", "status", "message_uuid", "channel", "message_type"];
  const rakutenKeys = ["message_id", "sender_address", "destination_address", "content_type", "udh", "message_body"];
  const infobipKeys = ["messageId", "from", "to", "text", "keyword", "receivedAt", "smsCount", "price", "callbackData", "status", "doneAt"];
  const shaped = fc.oneof(
    loose(vonageKeys),
    loose(rakutenKeys),
    fc.record({ results: fc.oneof(fc.array(loose(infobipKeys)), fc.jsonValue()) }, { requiredKeys: [] }),
  );
  const asStrings = (record: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
  const stringParams = fc.oneof(fc.dictionary(fc.string(), fc.string()), loose(vonageKeys).map(asStrings));
  const body = fc.oneof(
    fc.string(),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    shaped.map((value) => JSON.stringify(value)),
    stringParams.map((params) => new URLSearchParams(params).toString()),
  );
  const delivery = fc.record({
    method,
    contentType,
    headers: fc.dictionary(fc.string(), fc.string()),
    query: stringParams.map((params) => new URLSearchParams(params)),
    body,
  });
  /** Credentials of the provider's own shape, with arbitrary values (or none). */
  const optionsFor = (provider: Provider) =>
    fc.record({
      credentials: fc.option(
        fc.record(
          Object.fromEntries(
            credentialFields(provider).map((field) => [field.name, field.options ? fc.constantFrom(...field.options.map((option) => option.value)) : fc.string({ minLength: 1 })]),
          ),
        ),
      ),
      now: fc.date({ noInvalidDate: true }),
    });

  it.each(Object.values(adapters))("$provider: parse and verify always answer", (adapter) => {
    fc.assert(
      fc.property(delivery, optionsFor(adapter.provider), (raw, verifyOptions) => {
        const parsed = adapter.parse(raw);
        expect(["parts", "ignored", "invalid"]).toContain(parsed.kind);
        if (parsed.kind === "parts") {
          expect(parsed.parts.length).toBeGreaterThan(0);
          for (const part of parsed.parts) expect(part.providerMessageId).not.toBe("");
        } else if (parsed.kind !== "too-many") {
          expect(parsed.reason.length).toBeGreaterThan(10);
        }
        const verified = adapter.verify(raw, verifyOptions);
        expect(typeof verified.ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });
});
