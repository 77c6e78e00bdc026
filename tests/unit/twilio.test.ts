import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { decodePayload } from "@/lib/sms/decode";
import { twilioAdapter } from "@/lib/sms/providers/twilio";
import { twilioCredentialsSchema } from "@/lib/sms/providers/twilio/schema";
import { bodySha256, signTwilioRequest, twilioSignedString, urlSpellings } from "@/lib/sms/providers/twilio/signature";
import { segmentCount } from "@/lib/sms/providers/simulation";
import type { InboundPart, ParseResult, RawDelivery, SimulatedRequest, VerifyResult } from "@/lib/sms/types";
import { readJsonFixture } from "../helpers/http-fixture";

type Params = Record<string, string | string[]>;
type Vector =
  | { id: string; kind: "form"; token: string; url: string; params: Params; signature: string; expect: boolean }
  | { id: string; kind: "body"; token: string; url: string; body: string; body_sha256: string; signature: string; expect: boolean }
  | { id: string; kind: "bodyhash-only"; body: string; body_sha256: string };
type Sample = { id: string; raw_form: string };

const { vectors } = readJsonFixture<{ vectors: Vector[] }>("twilio/signature-vectors.json");
const { samples } = readJsonFixture<{ samples: Sample[] }>("twilio/inbound-sms-samples.json");
const signedVectors = vectors.filter((vector) => vector.kind !== "bodyhash-only");
const formVectors = vectors.filter((vector) => vector.kind === "form");

const FORM = "application/x-www-form-urlencoded";
const TOKEN = "0123456789abcdef0123456789abcdef";
const NOW = new Date("2026-12-03T10:00:00Z");
const PUBLIC_URL = "https://moshi.example.com/api/webhooks/twilio/tok_abc123";

const verify = (delivery: RawDelivery, authToken: string | null | undefined = TOKEN): VerifyResult =>
  twilioAdapter.verify(delivery, { credentials: authToken === null ? null : { authToken }, now: NOW });

function formBody(params: Params): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const item of [value].flat()) form.append(name, item);
  return form.toString();
}

/** A form POST as Twilio sends it to `url`, with the given signature (if any). */
function formDelivery(params: Params | string, { url = PUBLIC_URL, signature, urls = [url] }: { url?: string; signature?: string; urls?: string[] } = {}): RawDelivery {
  return {
    method: "POST",
    contentType: `${FORM}; charset=UTF-8`,
    headers: signature === undefined ? {} : { "x-twilio-signature": signature },
    query: new URL(url).searchParams,
    body: typeof params === "string" ? params : formBody(params),
    urls,
  };
}

function vectorDelivery(vector: Exclude<Vector, { kind: "bodyhash-only" }>, urls: string[] = [vector.url]): RawDelivery {
  const query = new URL(vector.url).searchParams;
  const headers = { "x-twilio-signature": vector.signature };
  if (vector.kind === "body") return { method: "POST", contentType: "application/json", headers, query, body: vector.body, urls };
  return { method: "POST", contentType: FORM, headers, query, body: formBody(vector.params), urls };
}

function toDelivery(request: SimulatedRequest, urls: string[] = []): RawDelivery {
  return { method: request.method, contentType: request.contentType, headers: request.headers ?? {}, query: request.query, body: request.body ?? "", urls };
}

function onlyPart(result: ParseResult): InboundPart {
  if (result.kind !== "parts") throw new Error(`Expected parts, got ${result.kind}: ${JSON.stringify(result)}`);
  expect(result.parts).toHaveLength(1);
  return result.parts[0]!;
}

describe("Twilio signature vectors", () => {
  it("covers every vector in the reference file", () => {
    expect(vectors.map((vector) => vector.id)).toEqual(["TW-01", "TW-02", "TW-03", "TW-04", "TW-05", "TW-06", "TW-07", "TW-08", "TW-09", "TW-11", "TW-12", "TW-14", "TW-15", "TW-17", "TW-18", "TW-19", "TW-20"]);
  });

  it.each(signedVectors)("$id: verifies as its expect says, received at its URL", (vector) => {
    const result = verify(vectorDelivery(vector), vector.token);
    expect(result.ok).toBe(vector.expect);
    if (vector.expect) expect(result).toEqual({ ok: true, signed: true, signatureAgeSeconds: null });
    else expect(result).toMatchObject({ ok: false, code: expect.stringMatching(/^signature_(mismatch|malformed)$/) });
  });

  it("TW-02: a header that is no base64 HMAC-SHA1 is malformed, TW-18: a body that is not the hashed one is a mismatch", () => {
    const byId = (id: string) => signedVectors.find((vector) => vector.id === id)!;
    expect(verify(vectorDelivery(byId("TW-02")), "12345")).toMatchObject({ ok: false, code: "signature_malformed", reason: expect.stringMatching(/HMAC-SHA1/) });
    expect(verify(vectorDelivery(byId("TW-18")), "12345")).toMatchObject({ ok: false, code: "signature_mismatch", reason: expect.stringMatching(/bodySHA256/) });
  });

  // Which spelling of the URL each vector was signed over: the ones not signed as received need
  // the verifier's other spellings, and fail without them.
  const asReceived = ["TW-01", "TW-04", "TW-07", "TW-08", "TW-11", "TW-12", "TW-14", "TW-19"];
  it.each(formVectors.filter((vector) => vector.expect))("$id: the signature is over the URL as received only where the SDKs say so", (vector) => {
    const direct = signTwilioRequest(vector.token, vector.url, paramPairs(vector.params)) === vector.signature;
    expect(direct).toBe(asReceived.includes(vector.id));
    const spelled = urlSpellings(vector.url).some((url) => signTwilioRequest(vector.token, url, paramPairs(vector.params)) === vector.signature);
    expect(spelled).toBe(true);
  });

  it("spells a URL without its port, with the default port, and normalised", () => {
    expect(urlSpellings("https://mycompany.com:1234/myapp.php?foo=1")).toEqual(["https://mycompany.com:1234/myapp.php?foo=1", "https://mycompany.com/myapp.php?foo=1"]);
    expect(urlSpellings("http://user:pass@mycompany.com/a")).toEqual(["http://user:pass@mycompany.com/a", "http://user:pass@mycompany.com:80/a"]);
    expect(urlSpellings("HTTPS://MyCompany.com:443?x=it's")).toEqual([
      "HTTPS://MyCompany.com:443?x=it's",
      "HTTPS://MyCompany.com?x=it's",
      "https://mycompany.com/?x=it%27s",
      "https://mycompany.com:443/?x=it%27s",
    ]);
    expect(urlSpellings("https://[::1]:8443/a")).toContain("https://[::1]/a");
    expect(urlSpellings("not a url")).toEqual(["not a url"]);
  });

  it.each(formVectors.filter((vector) => vector.expect))("$id: another value, another parameter or another token fails", (vector) => {
    const [name, value] = Object.entries(vector.params)[0]!;
    const tampered = { ...vector, params: { ...vector.params, [name]: [value].flat().map((item) => `${item}0`) } };
    expect(verify(vectorDelivery(tampered), vector.token)).toMatchObject({ ok: false, code: "signature_mismatch" });
    const added = { ...vector, params: { ...vector.params, Extra: "1" } };
    expect(verify(vectorDelivery(added), vector.token)).toMatchObject({ ok: false, code: "signature_mismatch" });
    expect(verify(vectorDelivery(vector), "54321")).toMatchObject({ ok: false, code: "signature_mismatch" });
  });

  it("TW-20: the body hash of the api-snippets example", () => {
    const vector = vectors.find((item) => item.id === "TW-20");
    if (vector?.kind !== "bodyhash-only") throw new Error("TW-20 is a body hash");
    expect(bodySha256(vector.body)).toBe(vector.body_sha256);
    expect(bodySha256(`${vector.body} `)).not.toBe(vector.body_sha256);
  });

  it("TW-15/TW-17: a JSON body is checked against bodySHA256 and its URL signed with no parameters", () => {
    const vector = signedVectors.find((item) => item.id === "TW-15")!;
    expect(vector.kind).toBe("body");
    if (vector.kind !== "body") return;
    expect(bodySha256(vector.body)).toBe(vector.body_sha256);
    expect(signTwilioRequest(vector.token, vector.url)).toBe(vector.signature);
    // The same request with its hash taken out of the URL no longer matches the signature.
    const withoutHash = vector.url.replace(/&bodySHA256=[0-9a-f]+/, "");
    expect(verify({ ...vectorDelivery(vector, [withoutHash]), query: new URL(withoutHash).searchParams }, vector.token).ok).toBe(false);
  });

  // Cases of the SDKs' own tests that the reference file leaves out (twilio-node
  // spec/validation.spec.js): a quote in the query, a repeated identical value, an empty JSON body.
  const sdkParams = { CallSid: "CA1234567890ABCDE", Caller: "+14158675309", Digits: "1234", From: "+14158675309", To: "+18005551212" };
  it("verifies a URL with a quote in its query, received as signed or normalised to %27", () => {
    const signedUrl = "https://mycompany.com/myapp.php?foo=1&bar=2&Body=It's+amazing";
    const signature = "dsq4Ehbj6cs+KdTkpF5sSSplOWw=";
    expect(verify(formDelivery(sdkParams, { url: signedUrl, signature }), "12345")).toMatchObject({ ok: true, signed: true });
    const normalised = new URL(signedUrl).href;
    expect(normalised).toContain("It%27s");
    expect(verify(formDelivery(sdkParams, { url: normalised, signature }), "12345")).toMatchObject({ ok: true, signed: true });
  });

  it("signs a repeated value once, and an empty JSON body with the default port added", () => {
    const repeated = { Sid: "CA123", SidAccount: "AC123", Digits: ["5678", "1234", "1234"] };
    const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    expect(verify(formDelivery(repeated, { url, signature: "IK+Dwps556ElfBT0I3Rgjkr1wJU=" }), "12345")).toMatchObject({ ok: true });
    const emptyUrl = `${url}&bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a`;
    const delivery: RawDelivery = { method: "POST", contentType: "application/json", headers: { "x-twilio-signature": "Ldidvp12m26NI7eqEvxnEpkd9Hc=" }, query: new URL(emptyUrl).searchParams, body: "{}", urls: [emptyUrl] };
    expect(verify(delivery, "12345")).toMatchObject({ ok: true });
    expect(verify({ ...delivery, body: "{ }" }, "12345")).toMatchObject({ ok: false, code: "signature_mismatch" });
  });

  it("sorts names and values by code point and appends them without separators", () => {
    expect(twilioSignedString("https://x/", [["b", "2"], ["a", "z"], ["a", "y"], ["a", "z"], ["B", "1"]])).toBe("https://x/B1a" + "ya" + "zb2");
  });
});

describe("Twilio verification", () => {
  const params = { MessageSid: "SM0123456789abcdef0123456789abcdef", From: "+14155550100", To: "+15005550006", Body: "hi", SmsStatus: "received" };
  const signature = signTwilioRequest(TOKEN, PUBLIC_URL, Object.entries(params));

  it("treats a number without an Auth Token as unsigned, whatever arrives", () => {
    for (const credentials of [null, {}]) {
      expect(twilioAdapter.verify(formDelivery(params), { credentials, now: NOW })).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
      expect(twilioAdapter.verify(formDelivery(params, { signature: "junk" }), { credentials, now: NOW })).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
    }
  });

  it("refuses a request without X-Twilio-Signature when the number has a token, status callbacks included", () => {
    expect(verify(formDelivery(params))).toMatchObject({ ok: false, code: "signature_missing", reason: expect.stringMatching(/X-Twilio-Signature/) });
    const callback = { MessageSid: params.MessageSid, MessageStatus: "delivered", SmsStatus: "delivered", From: params.To, To: params.From };
    expect(verify(formDelivery(callback))).toMatchObject({ ok: false, code: "signature_missing" });
  });

  it("verifies behind a TLS-terminating proxy through the public URL", () => {
    const internal = "http://10.0.0.7:3000/api/webhooks/twilio/tok_abc123";
    const delivery = formDelivery(params, { url: internal, signature, urls: [PUBLIC_URL, internal] });
    expect(verify(delivery)).toEqual({ ok: true, signed: true, signatureAgeSeconds: null });
    // Without the public URL, the server's own view of the request cannot match.
    expect(verify({ ...delivery, urls: [internal] })).toMatchObject({ ok: false, code: "signature_mismatch", reason: expect.stringMatching(/MOSHI_PUBLIC_URL/) });
  });

  it("says a signed request cannot be checked when no URL is known (a replay)", () => {
    const replay = { ...formDelivery(params, { signature }), urls: [] };
    expect(verify(replay)).toMatchObject({ ok: false, code: "signature_mismatch", reason: expect.stringMatching(/URL of this request is not known/) });
    expect(verify({ ...replay, urls: undefined })).toMatchObject({ ok: false, code: "signature_mismatch" });
  });

  it("signs a GET's URL only, query included", () => {
    const url = `${PUBLIC_URL}?${new URLSearchParams(params)}`;
    const get: RawDelivery = { method: "GET", contentType: null, headers: { "x-twilio-signature": signTwilioRequest(TOKEN, url) }, query: new URL(url).searchParams, body: "", urls: [url] };
    expect(verify(get)).toMatchObject({ ok: true, signed: true });
    // The candidate URL without the query: the request's own query is tried with it.
    expect(verify({ ...get, urls: [PUBLIC_URL] })).toMatchObject({ ok: true, signed: true });
    const tampered = new URLSearchParams(params);
    tampered.set("Body", "hello");
    expect(verify({ ...get, query: tampered, urls: [`${PUBLIC_URL}?${tampered}`] })).toMatchObject({ ok: false, code: "signature_mismatch" });
    // Signing the parameters again as a POST would is not what Twilio does for a GET.
    const likePost = signTwilioRequest(TOKEN, url, Object.entries(params));
    expect(verify({ ...get, headers: { "x-twilio-signature": likePost } })).toMatchObject({ ok: false, code: "signature_mismatch" });
  });

  it("signs every parameter Twilio sends, unknown ones included", () => {
    const withNew = { ...params, SomeNewField: "x" };
    const delivery = formDelivery(withNew, { signature: signTwilioRequest(TOKEN, PUBLIC_URL, Object.entries(withNew)) });
    expect(verify(delivery)).toMatchObject({ ok: true });
    expect(verify({ ...delivery, body: formBody(params) })).toMatchObject({ ok: false, code: "signature_mismatch" });
  });

  it("checks a shared-key HMAC-SHA256 signature when the settings header says so", () => {
    const data = twilioSignedString(PUBLIC_URL, Object.entries(params));
    const sha256 = createHmac("sha256", "shared-key-secret").update(data).digest("base64");
    const headers = { "x-twilio-signature": sha256, "x-twilio-webhooks-signature-settings": "key=KSaaaa,algorithm=HMAC_SHA256" };
    const delivery = { ...formDelivery(params), headers };
    expect(verify(delivery, "shared-key-secret")).toMatchObject({ ok: true, signed: true });
    expect(verify(delivery, TOKEN)).toMatchObject({ ok: false, code: "signature_mismatch", reason: expect.stringMatching(/shared key KSaaaa/) });
    // The header decides the algorithm: a SHA-1 signature beside it is not Twilio's.
    expect(verify({ ...delivery, headers: { ...headers, "x-twilio-signature": signature } })).toMatchObject({ ok: false, code: "signature_malformed" });
    const md5 = { ...headers, "x-twilio-webhooks-signature-settings": "key=KSaaaa,algorithm=HMAC_MD5" };
    expect(verify({ ...delivery, headers: md5 })).toMatchObject({ ok: false, code: "signature_malformed", reason: expect.stringMatching(/HMAC_MD5/) });
  });

  it("answers credentials_invalid for a token that cannot sign, which the schema would have refused", () => {
    expect(verify(formDelivery(params, { signature }), "   ")).toMatchObject({ ok: false, code: "credentials_invalid", reason: expect.stringMatching(/Account Info/) });
    expect(twilioAdapter.verify(formDelivery(params, { signature }), { credentials: { authToken: 42 } as never, now: NOW })).toMatchObject({ ok: false, code: "credentials_invalid" });
  });

  it("does not sign a body with more parameters than any Twilio webhook", () => {
    const huge = Array.from({ length: 5000 }, (_, i) => `k${i}=`).join("&");
    expect(verify(formDelivery(huge, { signature }))).toMatchObject({ ok: false, code: "signature_mismatch", reason: expect.stringMatching(/5000 parameters/) });
  });

  it("explains every failure code it returns", () => {
    expect(Object.keys(twilioAdapter.explain.failures).sort()).toEqual(["credentials_invalid", "signature_malformed", "signature_mismatch", "signature_missing"]);
  });
});

describe("Twilio parsing", () => {
  const [s1, s2, s3] = samples;

  it("has the three reference samples", () => {
    expect(samples.map((sample) => sample.id)).toEqual(["TW-S1", "TW-S2", "TW-S3"]);
  });

  it("TW-S1: reads a captured incoming SMS", () => {
    expect(onlyPart(twilioAdapter.parse(formDelivery(s1!.raw_form)))).toEqual({
      providerMessageId: "SMe287d7109a5a925f182f0e07fe5b223b",
      from: "+14133881111",
      to: "+12028831111",
      encoding: "GSM7",
      payload: { format: "text", value: "Msg" },
      udhHex: null,
      providerKeyword: null,
      providerTimestamp: null,
      price: null,
      callbackData: null,
      smsCount: 1,
      concat: null,
    } satisfies InboundPart);
  });

  it("TW-S2: reads Twilio's anonymised fixture, numbers kept as sent", () => {
    expect(onlyPart(twilioAdapter.parse(formDelivery(s2!.raw_form)))).toEqual({
      providerMessageId: "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      from: "+1",
      to: "+1",
      encoding: "GSM7",
      payload: { format: "text", value: "plan 5 potato" },
      udhHex: null,
      providerKeyword: null,
      providerTimestamp: null,
      price: null,
      callbackData: null,
      smsCount: 1,
      concat: null,
    } satisfies InboundPart);
  });

  it("TW-S3: a long message Twilio joined is one part, with its segment count", () => {
    const part = onlyPart(twilioAdapter.parse(formDelivery(s3!.raw_form)));
    expect(part).toMatchObject({
      providerMessageId: "SMXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
      from: "+14155551234",
      to: "+15005550006",
      encoding: "UCS2",
      payload: { format: "text", value: "Hello 👋 long text" },
      smsCount: 2,
      concat: null,
    });
  });

  it("reads the same fields from a GET's query string, and without a content type", () => {
    const expected = onlyPart(twilioAdapter.parse(formDelivery(s1!.raw_form)));
    const get: RawDelivery = { method: "GET", contentType: null, headers: {}, query: new URLSearchParams(s1!.raw_form), body: "" };
    expect(onlyPart(twilioAdapter.parse(get))).toEqual(expected);
    expect(onlyPart(twilioAdapter.parse({ ...formDelivery(s1!.raw_form), contentType: null }))).toEqual(expected);
  });

  it("falls back to the legacy SmsMessageSid when MessageSid is missing", () => {
    const form = new URLSearchParams(s1!.raw_form);
    form.delete("MessageSid");
    expect(onlyPart(twilioAdapter.parse(formDelivery(form.toString()))).providerMessageId).toBe("SMe287d7109a5a925f182f0e07fe5b223b");
  });

  it("keeps a picture message without text as an empty SMS; its media stay in the raw request", () => {
    const mms = {
      MessageSid: "MM0123456789abcdef0123456789abcdef",
      From: "+14155550100",
      To: "+15005550006",
      NumMedia: "1",
      MediaUrl0: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
      MediaContentType0: "image/jpeg",
      NumSegments: "1",
      SmsStatus: "received",
    };
    const part = onlyPart(twilioAdapter.parse(formDelivery(mms)));
    expect(part).toMatchObject({ providerMessageId: mms.MessageSid, encoding: "GSM7", payload: { format: "text", value: "" }, smsCount: 1, callbackData: null });
    expect(decodePayload(part.payload, part.encoding)).toMatchObject({ text: "" });
    expect(onlyPart(twilioAdapter.parse(formDelivery({ ...mms, Body: "look" }))).payload).toEqual({ format: "text", value: "look" });
    const { NumMedia: _media, ...noMedia } = mms;
    expect(twilioAdapter.parse(formDelivery(noMedia))).toEqual({ kind: "invalid", reason: expect.stringMatching(/^Missing Body/) });
    expect(onlyPart(twilioAdapter.parse(formDelivery({ ...noMedia, Body: "" }))).payload).toEqual({ format: "text", value: "" });
  });

  it("ignores status callbacks as delivery receipts, saying where they are configured", () => {
    for (const status of ["delivered", "sent", "failed", "undelivered", "queued"]) {
      const callback = { MessageSid: "SM0123456789abcdef0123456789abcdef", MessageStatus: status, SmsStatus: status, From: "+15005550006", To: "+14155550100", AccountSid: "AC1", ApiVersion: "2010-04-01" };
      const result = twilioAdapter.parse(formDelivery(status === "failed" ? { ...callback, ErrorCode: "30003" } : callback));
      expect(result).toEqual({ kind: "ignored", code: "delivery_receipt", reason: expect.stringContaining(`status callback (status “${status}”`) });
      if (result.kind === "ignored") expect(result.reason).toMatch(/Status callback URL/);
    }
  });

  it("ignores WhatsApp and other channels: Moshi keeps SMS only", () => {
    const whatsapp = { MessageSid: "SM1", From: "whatsapp:+14155550100", To: "whatsapp:+15005550006", Body: "hi", SmsStatus: "received", NumSegments: "1" };
    expect(twilioAdapter.parse(formDelivery(whatsapp))).toEqual({ kind: "ignored", code: "not_inbound", reason: expect.stringMatching(/^This is a WhatsApp message for message SM1, not an SMS/) });
    expect(twilioAdapter.parse(formDelivery({ ...whatsapp, From: "+14155550100", To: "rcs:acme_agent" }))).toMatchObject({ kind: "ignored", code: "not_inbound", reason: expect.stringMatching(/RCS/) });
    // A status callback on WhatsApp is still a status callback.
    expect(twilioAdapter.parse(formDelivery({ ...whatsapp, SmsStatus: "read", MessageStatus: "read" }))).toMatchObject({ kind: "ignored", code: "delivery_receipt" });
  });

  it("ignores voice webhooks and Conversations events sent to the inbound URL", () => {
    const voice = formVectors[0]!.params;
    expect(twilioAdapter.parse(formDelivery(voice))).toEqual({ kind: "ignored", code: "not_inbound", reason: expect.stringMatching(/voice webhook \(call CA1234567890ABCDE\).*Voice configuration/) });
    const conversation = { EventType: "onMessageAdded", ConversationSid: "CH1", MessageSid: "IM1", Author: "+14155550100", Body: "hi" };
    expect(twilioAdapter.parse(formDelivery(conversation))).toMatchObject({ kind: "ignored", code: "not_inbound", reason: expect.stringMatching(/Conversations/) });
  });

  it("refuses what is not Twilio's incoming message format, saying what is missing and what Twilio sends", () => {
    const hint = /form POST \(application\/x-www-form-urlencoded\).*MessageSid, From, To and Body/;
    const empty = twilioAdapter.parse(formDelivery(""));
    expect(empty).toEqual({ kind: "invalid", reason: expect.stringMatching(/^Missing MessageSid, From, To: not a Twilio incoming message\. The request carries no parameters at all\./) });
    if (empty.kind === "invalid") expect(empty.reason).toMatch(hint);
    expect(twilioAdapter.parse({ ...formDelivery(""), contentType: "text/plain", body: "hello there" })).toEqual({ kind: "invalid", reason: expect.stringMatching(/^Body is not form-encoded or JSON\. Twilio sends/) });
    expect(twilioAdapter.parse({ ...formDelivery(""), contentType: "application/json", body: "[1]" })).toEqual({ kind: "invalid", reason: expect.stringMatching(/not a JSON object/) });
    expect(twilioAdapter.parse(formDelivery({ From: "+14155550100", Body: "x" }))).toEqual({ kind: "invalid", reason: expect.stringMatching(/^Missing MessageSid, To: not a Twilio incoming message/) });
    const huge = Array.from({ length: 5000 }, (_, i) => `k${i}=`).join("&");
    expect(twilioAdapter.parse(formDelivery(huge))).toMatchObject({ kind: "invalid", reason: expect.stringMatching(/5000 parameters/) });
  });

  it("reads NumSegments only when it is a count", () => {
    const base = { MessageSid: "SM1", From: "+14155550100", To: "+15005550006", Body: "x" };
    const count = (NumSegments: string) => onlyPart(twilioAdapter.parse(formDelivery({ ...base, NumSegments }))).smsCount;
    expect([count("3"), count(" 10 "), count("0"), count("-1"), count("two"), count("99999")]).toEqual([3, 10, null, null, null, null]);
  });
});

describe("Twilio module", () => {
  it("answers with empty TwiML", () => {
    expect(twilioAdapter.acknowledge).toEqual({ contentType: "text/xml", body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' });
  });

  it("describes itself", () => {
    expect(twilioAdapter).toMatchObject({ provider: "TWILIO", name: "Twilio", pathSegments: ["twilio"], methods: ["POST", "GET"], formats: ["form", "get"] });
    expect(twilioAdapter.colour).toMatch(/^#[0-9A-F]{6}$/i);
    expect(twilioAdapter.exampleNumber).toMatch(/^\+1\d{10}$/);
    expect(twilioAdapter.keptHeaders).toEqual(expect.arrayContaining(["x-twilio-", "i-twilio-", "x-home-region"]));
    for (const header of twilioAdapter.keptHeaders) expect(header).not.toMatch(/^(authorization|cookie|set-cookie)/);
  });

  it("validates the Auth Token and says what is wrong", () => {
    const schema = twilioCredentialsSchema;
    expect(schema.parse({ authToken: ` ${"a1".repeat(16)}\n` })).toEqual({ authToken: "a1".repeat(16) });
    expect(schema.parse({})).toEqual({});
    const message = (authToken: unknown) => {
      const result = schema.safeParse({ authToken });
      return result.success ? null : result.error.issues[0]!.message;
    };
    expect(message("   ")).toMatch(/empty.*Account Info → Auth Token/);
    expect(message("x".repeat(257))).toMatch(/257 characters long, more than 256/);
    expect(message(`AC${"0".repeat(32)}`)).toMatch(/Account SID/);
    expect(message(`SK${"f".repeat(32)}`)).toMatch(/API key SID/);
    expect(message(12345)).toMatch(/must be text/);
    expect(message("any-shared-key-secret")).toBeNull();
    expect(z.globalRegistry.get(schema.shape.authToken)).toMatchObject({ title: "Auth Token", secret: true, description: expect.stringMatching(/subaccount/) });
  });
});

describe("Twilio simulator", () => {
  const seeded = (seed: number) => {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
  };
  const message = { provider: "TWILIO" as const, from: "+14155550100", to: "+15005550006", text: "Hello from Moshi", now: NOW };

  it("builds a captured-looking form POST that parses back into the message", () => {
    const [request, ...rest] = twilioAdapter.simulate({ ...message, random: seeded(1) });
    expect(rest).toHaveLength(0);
    expect(request).toMatchObject({ method: "POST", contentType: FORM });
    expect(request!.signed).toBeUndefined();
    const form = new URLSearchParams(request!.body!);
    expect(form.get("MessageSid")).toMatch(/^SM[0-9a-f]{32}$/);
    expect(form.get("SmsSid")).toBe(form.get("MessageSid"));
    expect(form.get("AccountSid")).toMatch(/^AC[0-9a-f]{32}$/);
    expect(Object.fromEntries(["SmsStatus", "ApiVersion", "NumMedia", "NumSegments", "From", "To", "FromCountry", "ToCountry"].map((name) => [name, form.get(name)]))).toEqual({
      SmsStatus: "received",
      ApiVersion: "2010-04-01",
      NumMedia: "0",
      NumSegments: "1",
      From: "+14155550100",
      To: "+15005550006",
      FromCountry: "US",
      ToCountry: "US",
    });
    expect(onlyPart(twilioAdapter.parse(toDelivery(request!)))).toEqual({
      providerMessageId: form.get("MessageSid"),
      from: "+14155550100",
      to: "+15005550006",
      encoding: "GSM7",
      payload: { format: "text", value: "Hello from Moshi" },
      udhHex: null,
      providerKeyword: null,
      providerTimestamp: null,
      price: null,
      callbackData: null,
      smsCount: 1,
      concat: null,
    });
  });

  it("is repeatable with a seed and adds + to bare numbers", () => {
    const a = twilioAdapter.simulate({ ...message, from: "14155550100", random: seeded(7) });
    expect(twilioAdapter.simulate({ ...message, from: "14155550100", random: seeded(7) })).toEqual(a);
    expect(twilioAdapter.simulate({ ...message, random: seeded(8) })).not.toEqual(a);
    expect(new URLSearchParams(a[0]!.body!).get("From")).toBe("+14155550100");
  });

  it("sends a long message as one request with its segment count", () => {
    const text = "é".repeat(300);
    const requests = twilioAdapter.simulate({ ...message, text, parts: 3 });
    expect(requests).toHaveLength(1);
    const part = onlyPart(twilioAdapter.parse(toDelivery(requests[0]!)));
    expect(part).toMatchObject({ payload: { format: "text", value: text }, smsCount: 2, concat: null, encoding: "GSM7" });
    const unicode = onlyPart(twilioAdapter.parse(toDelivery(twilioAdapter.simulate({ ...message, text: "日本".repeat(40) })[0]!)));
    expect(unicode).toMatchObject({ encoding: "UCS2", smsCount: 2 });
  });

  it("counts segments as SMS does", () => {
    expect([segmentCount(""), segmentCount("a".repeat(160)), segmentCount("a".repeat(161)), segmentCount("a".repeat(306)), segmentCount("a".repeat(307))]).toEqual([1, 1, 2, 2, 3]);
    expect([segmentCount("€".repeat(80)), segmentCount("€".repeat(81))]).toEqual([1, 2]);
    expect([segmentCount("ж".repeat(70)), segmentCount("ж".repeat(71)), segmentCount("ж".repeat(134)), segmentCount("ж".repeat(135))]).toEqual([1, 2, 2, 3]);
  });

  it("signs a form POST over the URL, and it verifies; unsigned and wrong tokens do not", () => {
    const url = "https://moshi.example.com/api/webhooks/twilio/tok_abc123";
    const [signed] = twilioAdapter.simulate({ ...message, credentials: { authToken: TOKEN }, url });
    expect(signed).toMatchObject({ signed: true, headers: { "x-twilio-signature": expect.stringMatching(/^[A-Za-z0-9+/]{27}=$/) } });
    expect(verify(toDelivery(signed!, [url]))).toEqual({ ok: true, signed: true, signatureAgeSeconds: null });
    expect(verify(toDelivery(signed!, [url]), "fedcba9876543210fedcba9876543210")).toMatchObject({ ok: false, code: "signature_mismatch" });
    expect(verify(toDelivery(signed!, ["https://elsewhere.example.com/api/webhooks/twilio/tok_abc123"]))).toMatchObject({ ok: false, code: "signature_mismatch" });

    const [unsigned] = twilioAdapter.simulate({ ...message, url });
    expect(unsigned!.signed).toBeUndefined();
    expect(unsigned!.headers).toBeUndefined();
    expect(verify(toDelivery(unsigned!, [url]))).toMatchObject({ ok: false, code: "signature_missing" });
    expect(verify(toDelivery(unsigned!, [url]), null)).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
    // Without the URL there is nothing to sign.
    expect(twilioAdapter.simulate({ ...message, credentials: { authToken: TOKEN } })[0]!.signed).toBeUndefined();
  });

  it("builds a signed GET whose URL carries the fields", () => {
    const url = "https://moshi.example.com/api/webhooks/twilio/tok_abc123?team=ops";
    const [request] = twilioAdapter.simulate({ ...message, format: "get", credentials: { authToken: TOKEN }, url });
    expect(request).toMatchObject({ method: "GET", body: null, contentType: null, signed: true });
    const target = new URL(url);
    for (const [name, value] of request!.query) target.searchParams.set(name, value);
    const delivery = { ...toDelivery(request!, [target.href]), query: target.searchParams };
    expect(onlyPart(twilioAdapter.parse(delivery)).payload).toEqual({ format: "text", value: message.text });
    expect(verify(delivery)).toMatchObject({ ok: true, signed: true });
    expect(verify(delivery, "fedcba9876543210fedcba9876543210")).toMatchObject({ ok: false, code: "signature_mismatch" });
  });

  it("round-trips any text, signed", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 400 }), fc.constantFrom("form", "get"), (text, format) => {
        const [request] = twilioAdapter.simulate({ ...message, text, format, credentials: { authToken: TOKEN }, url: PUBLIC_URL });
        const target = new URL(PUBLIC_URL);
        for (const [name, value] of request!.query) target.searchParams.set(name, value);
        const delivery = { ...toDelivery(request!, [target.href]), query: target.searchParams };
        expect(verify(delivery)).toMatchObject({ ok: true, signed: true });
        expect(onlyPart(twilioAdapter.parse(delivery)).payload).toEqual({ format: "text", value: text });
      }),
      { numRuns: 200 },
    );
  });
});

describe("Twilio: parse and verify never throw", () => {
  const keys = ["MessageSid", "SmsMessageSid", "From", "To", "Body", "NumSegments", "NumMedia", "SmsStatus", "MessageStatus", "CallSid", "EventType", "MediaUrl0", "bodySHA256"];
  const value = fc.oneof(fc.string(), fc.constantFrom("received", "delivered", "whatsapp:+14155550100", "+14155550100", "1", "0", "sms:+1", "rcs:x", ""));
  const params = fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.record(Object.fromEntries(keys.map((key) => [key, value])), { requiredKeys: [] }));
  const body = fc.oneof(
    fc.string(),
    fc.jsonValue().map((json) => JSON.stringify(json)),
    params.map((record) => new URLSearchParams(record as Record<string, string>).toString()),
    params.map((record) => JSON.stringify(record)),
  );
  const headerName = fc.constantFrom("x-twilio-signature", "x-twilio-webhooks-signature-settings", "content-type", "__proto__", "constructor");
  const delivery = fc.record({
    method: fc.oneof(fc.constantFrom("GET", "POST", "get", "PUT", ""), fc.string()),
    contentType: fc.option(fc.oneof(fc.constantFrom(FORM, "application/json", "text/plain"), fc.string())),
    headers: fc.dictionary(fc.oneof(headerName, fc.string()), fc.oneof(fc.string(), fc.constantFrom("algorithm=HMAC_SHA256", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "key=,algorithm="))),
    query: params.map((record) => new URLSearchParams(record as Record<string, string>)),
    body,
    urls: fc.option(fc.array(fc.oneof(fc.webUrl({ withQueryParameters: true }), fc.string()), { maxLength: 4 }), { nil: undefined }),
  });
  const credentials = fc.option(fc.record({ authToken: fc.option(fc.oneof(fc.string(), fc.constant(TOKEN)), { nil: undefined }) }, { requiredKeys: [] }));

  it("answers every delivery", () => {
    fc.assert(
      fc.property(delivery, credentials, (raw, creds) => {
        const parsed = twilioAdapter.parse(raw);
        expect(["parts", "ignored", "invalid"]).toContain(parsed.kind);
        if (parsed.kind === "parts") for (const part of parsed.parts) expect(part.providerMessageId).not.toBe("");
        else if (parsed.kind !== "too-many") expect(parsed.reason.length).toBeGreaterThan(10);
        const verified = twilioAdapter.verify(raw, { credentials: creds, now: NOW });
        expect(typeof verified.ok).toBe("boolean");
        if (!verified.ok) expect(verified.reason.length).toBeGreaterThan(10);
      }),
      { numRuns: 2000 },
    );
  });
});

function paramPairs(params: Params): [string, string][] {
  return Object.entries(params).flatMap(([name, value]) => [value].flat().map((item): [string, string] => [name, item]));
}
