/**
 * Twilio, Telnyx, Plivo, Sinch and the Vonage Messages API through the real webhook route, on
 * PostgreSQL: each provider's official sample (or a realistic request) signed as the provider
 * signs it, its retry, forged, missing and stale signatures, bodies that are not the provider's,
 * status callbacks sent to the inbound URL, and the headers kept with a delivery.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GET, POST } from "@/app/api/webhooks/[provider]/[token]/route";
import { createNumber } from "@/lib/data/numbers";
import type { Provider } from "@/lib/generated/prisma/enums";
import { signPlivoV2, signPlivoV3 } from "@/lib/sms/providers/plivo/signature";
import { signSinchWebhook } from "@/lib/sms/providers/sinch/signature";
import { RFC8032_PUBLISHED_TEST_KEY } from "@/lib/sms/providers/telnyx";
import { signTelnyx } from "@/lib/sms/providers/telnyx/signature";
import { signTwilioRequest } from "@/lib/sms/providers/twilio/signature";
import { payloadHash, signHs256 } from "@/lib/sms/providers/vonage/jwt";
import { prisma, seedTeam } from "../helpers/db";
import { readJsonFixture } from "../helpers/http-fixture";

afterAll(() => prisma.$disconnect());

// Each test says which public URL it runs behind; none leaks from the environment.
beforeEach(() => {
  vi.stubEnv("MOSHI_PUBLIC_URL", "");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const ORIGIN = "http://moshi.test";
const FORM = "application/x-www-form-urlencoded";
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** The URL a number's provider calls (and signs, for Twilio and Plivo). */
const urlOf = (provider: string, token: string, origin = ORIGIN) => `${origin}/api/webhooks/${provider}/${token}`;

type Call = { method?: "GET" | "POST"; query?: URLSearchParams; body?: string; contentType?: string; headers?: Record<string, string>; origin?: string };
type Answer = { status: number; contentType: string | null; retryAfter: string | null; text: string; json: Record<string, unknown> | null };

/** Sends a request through the real route handler, as the provider would. */
async function send(provider: string, token: string, { method = "POST", query, body, contentType, headers = {}, origin = ORIGIN }: Call = {}): Promise<Answer> {
  const url = new URL(urlOf(provider, token, origin));
  if (query) url.search = query.toString();
  const allHeaders = new Headers(headers);
  if (contentType) allHeaders.set("content-type", contentType);
  const handler = method === "GET" ? GET : POST;
  const response = await handler(new Request(url, { method, body: method === "GET" ? undefined : body, headers: allHeaders }), {
    params: Promise.resolve({ provider, token }),
  });
  const text = await response.text();
  const type = response.headers.get("content-type");
  return {
    status: response.status,
    contentType: type,
    retryAfter: response.headers.get("retry-after"),
    text,
    json: type?.includes("json") ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}

async function numberFor(provider: Provider, e164: string, credentials?: Record<string, unknown>) {
  const { team } = await seedTeam();
  const { number, token } = await createNumber(prisma, { teamId: team.id, provider, e164, label: provider, credentials });
  return { number, token };
}

const deliveries = (phoneNumberId: string) => prisma.delivery.findMany({ where: { phoneNumberId }, orderBy: [{ receivedAt: "asc" }, { id: "asc" }] });
const messages = (phoneNumberId: string) => prisma.message.findMany({ where: { phoneNumberId }, orderBy: [{ receivedAt: "asc" }, { from: "asc" }] });
const parts = (phoneNumberId: string) => prisma.messagePart.findMany({ where: { phoneNumberId }, orderBy: { partIndex: "asc" } });

/** What the delivery log says of each delivery, in order. */
async function log(phoneNumberId: string) {
  return (await deliveries(phoneNumberId)).map((d) => [d.status, d.outcome, d.reasonCode]);
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

type FormSample = { id: string; raw_form: string };
const sampleOf = <T extends { id: string }>(samples: T[], id: string): T => samples.find((s) => s.id === id) ?? expect.fail(`no sample ${id}`);

// ---------------------------------------------------------------------------------------------
// Twilio
// ---------------------------------------------------------------------------------------------

describe("Twilio through the route", () => {
  const AUTH_TOKEN = "9f86d081884c7d659a2feaa0c55ad015";
  const { samples } = readJsonFixture<{ samples: FormSample[] }>("twilio/inbound-sms-samples.json");
  // A real capture (nyaruka/courier's receiveValid).
  const S1 = sampleOf(samples, "TW-S1").raw_form;
  const sign = (token: string, url: string, form: string) => signTwilioRequest(token, url, new URLSearchParams(form));
  const twilioHeaders = (signature: string) => ({
    "x-twilio-signature": signature,
    "i-twilio-idempotency-token": "4d7b1c8e-2f0a-4c61-9a43-0d5be5f1a9c2",
    "user-agent": "TwilioProxy/1.1",
    // Credentials in the configured URL (https://user:pass@…) reach the app as Basic auth.
    authorization: "Basic dXNlcjpwYXNz",
  });

  it("stores the captured sample signed with the Auth Token, answers empty TwiML, and absorbs the retry", async () => {
    const { number, token } = await numberFor("TWILIO", "+12028831111", { authToken: AUTH_TOKEN });
    const signature = sign(AUTH_TOKEN, urlOf("twilio", token), S1);
    const request = { body: S1, contentType: FORM, headers: twilioHeaders(signature) };

    const first = await send("twilio", token, request);
    expect(first).toMatchObject({ status: 200, contentType: "text/xml", text: EMPTY_TWIML });
    const retry = await send("twilio", token, request);
    expect(retry).toMatchObject({ status: 200, contentType: "text/xml", text: EMPTY_TWIML });

    const stored = await messages(number.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      provider: "TWILIO",
      from: "+14133881111",
      to: "+12028831111",
      text: "Msg",
      keyword: "MSG",
      binaryHex: null,
      encoding: "GSM7",
      status: "COMPLETE",
      partsExpected: 1,
      partsReceived: 1,
      smsCount: 1,
      // Twilio's webhook carries no time and no price.
      providerTimestamp: null,
      priceAmount: null,
      priceCurrency: null,
    });
    expect((await parts(number.id)).map((p) => p.providerMessageId)).toEqual(["SMe287d7109a5a925f182f0e07fe5b223b"]);
    const [stored1, duplicate] = await deliveries(number.id);
    expect([stored1, duplicate].map((d) => [d!.status, d!.outcome, d!.storedCount, d!.duplicateCount, d!.signed])).toEqual([
      [200, "STORED", 1, 0, true],
      [200, "DUPLICATE", 0, 1, true],
    ]);

    // The kept headers: Twilio's signature and idempotency token, never the Basic credentials.
    expect(stored1!.headers).toEqual({
      "content-type": FORM,
      "user-agent": "TwilioProxy/1.1",
      "x-twilio-signature": signature,
      "i-twilio-idempotency-token": "4d7b1c8e-2f0a-4c61-9a43-0d5be5f1a9c2",
    });
    expect(stored1!.headers).not.toHaveProperty("authorization");
  });

  it("stores a two-segment Unicode message as UCS-2 with its segment count", async () => {
    const { number, token } = await numberFor("TWILIO", "+15005550006");
    const S3 = sampleOf(samples, "TW-S3").raw_form;
    expect((await send("twilio", token, { body: S3, contentType: FORM })).status).toBe(200);
    expect(await messages(number.id)).toMatchObject([
      { from: "+14155551234", to: "+15005550006", text: "Hello 👋 long text", keyword: "LONG", encoding: "UCS2", smsCount: 2, partsReceived: 1, status: "COMPLETE" },
    ]);
  });

  it("refuses a forged, altered or missing X-Twilio-Signature (401) and stores nothing", async () => {
    const { number, token } = await numberFor("TWILIO", "+12028831111", { authToken: AUTH_TOKEN });
    const url = urlOf("twilio", token);
    const otherAccount = await send("twilio", token, { body: S1, contentType: FORM, headers: twilioHeaders(sign("0123456789abcdef0123456789abcdef", url, S1)) });
    expect(otherAccount.status).toBe(401);
    expect(otherAccount.json!.error).toMatch(/X-Twilio-Signature does not match this number's Auth Token/);
    const altered = await send("twilio", token, { body: S1.replace("Body=Msg", "Body=Pay+now"), contentType: FORM, headers: twilioHeaders(sign(AUTH_TOKEN, url, S1)) });
    expect(altered.status).toBe(401);
    const unsigned = await send("twilio", token, { body: S1, contentType: FORM });
    expect(unsigned.status).toBe(401);
    expect(unsigned.json!.error).toMatch(/Twilio signature missing/);

    expect(await messages(number.id)).toEqual([]);
    expect(await log(number.id)).toEqual([
      [401, "REJECTED", "signature_mismatch"],
      [401, "REJECTED", "signature_mismatch"],
      [401, "REJECTED", "signature_missing"],
    ]);
  });

  it("answers 400 invalid_payload, naming what is missing, for a body that is not an incoming message", async () => {
    const { number, token } = await numberFor("TWILIO", "+12028831111", { authToken: AUTH_TOKEN });
    const form = "To=%2B12028831111&Body=hello";
    const signed = await send("twilio", token, { body: form, contentType: FORM, headers: { "x-twilio-signature": sign(AUTH_TOKEN, urlOf("twilio", token), form) } });
    expect(signed.status).toBe(400);
    expect(signed.json!.error).toMatch(/^Missing MessageSid, From: not a Twilio incoming message\./);

    const plain = await numberFor("TWILIO", "+12028831112");
    const garbage = await send("twilio", plain.token, { body: "this is not a form", contentType: "text/plain" });
    expect(garbage.status).toBe(400);
    expect(garbage.json!.error).toMatch(/^Body is not form-encoded or JSON\./);

    const [rejected] = await deliveries(number.id);
    expect(rejected).toMatchObject({ status: 400, outcome: "REJECTED", reasonCode: "invalid_payload", signed: true });
    expect(await log(plain.number.id)).toEqual([[400, "REJECTED", "invalid_payload"]]);
    expect(await messages(number.id)).toEqual([]);
  });

  it("acknowledges a signed status callback on the inbound URL with TwiML and stores nothing", async () => {
    const { number, token } = await numberFor("TWILIO", "+12028831111", { authToken: AUTH_TOKEN });
    const callback = new URLSearchParams({
      SmsSid: "SM1f0e8ae6ade43cb3c0ce4525424e404f",
      SmsStatus: "delivered",
      MessageStatus: "delivered",
      To: "+14133881111",
      MessagingServiceSid: "MG2b3b9bb2c1a9a5a1e1dcb0a0bb2ea1b1",
      MessageSid: "SM1f0e8ae6ade43cb3c0ce4525424e404f",
      AccountSid: "AC0123456789abcdef0123456789abcdef",
      From: "+12028831111",
      ApiVersion: "2010-04-01",
    }).toString();
    const answer = await send("twilio", token, { body: callback, contentType: FORM, headers: { "x-twilio-signature": sign(AUTH_TOKEN, urlOf("twilio", token), callback) } });
    expect(answer).toMatchObject({ status: 200, contentType: "text/xml", text: EMPTY_TWIML });
    expect(await messages(number.id)).toEqual([]);
    const [ignored] = await deliveries(number.id);
    expect(ignored).toMatchObject({ status: 200, outcome: "IGNORED", reasonCode: "delivery_receipt", signed: true, storedCount: 0 });
    expect(ignored!.reason).toMatch(/Twilio status callback \(status “delivered” for message SM1f0e8ae6ade43cb3c0ce4525424e404f\)/);
  });

  it("behind a TLS-terminating proxy, verifies the signature over MOSHI_PUBLIC_URL, and refuses it without", async () => {
    const { number, token } = await numberFor("TWILIO", "+12028831111", { authToken: AUTH_TOKEN });
    // Twilio called (and signed) the public https URL; the proxy hands the app plain http.
    const signature = sign(AUTH_TOKEN, `https://moshi.example.com/api/webhooks/twilio/${token}`, S1);
    const request = { body: S1, contentType: FORM, headers: { "x-twilio-signature": signature }, origin: "http://internal:3000" };

    const unconfigured = await send("twilio", token, request);
    expect(unconfigured.status).toBe(401);
    expect(unconfigured.json!.error).toMatch(/MOSHI_PUBLIC_URL/);
    expect(await messages(number.id)).toEqual([]);

    vi.stubEnv("MOSHI_PUBLIC_URL", "https://moshi.example.com");
    expect(await send("twilio", token, request)).toMatchObject({ status: 200, contentType: "text/xml", text: EMPTY_TWIML });
    expect(await messages(number.id)).toMatchObject([{ from: "+14133881111", to: "+12028831111", text: "Msg" }]);
    expect(await log(number.id)).toEqual([
      [401, "REJECTED", "signature_mismatch"],
      [200, "STORED", null],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Telnyx
// ---------------------------------------------------------------------------------------------

describe("Telnyx through the route", () => {
  const KEY = RFC8032_PUBLISHED_TEST_KEY;
  // RFC 8032 §7.1 TEST 2: a genuine Ed25519 key, but not the number's.
  const OTHER_SEED = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
  const official = readJsonFixture<{ body: Record<string, unknown> }>("telnyx/inbound-message-received.json");
  // The official example, sent the way Telnyx sends it (compact JSON, as in the TX-01 vector).
  const BODY = JSON.stringify(official.body);
  const vectors = readJsonFixture<{ vectors: { id: string; headers?: Record<string, string>; body?: string }[] }>("telnyx/signature-vectors.json").vectors;

  const signed = (body: string, { seed = KEY.privateKey, at = nowSeconds() }: { seed?: string; at?: number } = {}) => ({
    body,
    contentType: "application/json",
    headers: { "telnyx-timestamp": String(at), "telnyx-signature-ed25519": signTelnyx(seed, String(at), body), "user-agent": "telnyx-webhooks" },
  });

  it("stores the official message.received example, signed now, and absorbs the retry", async () => {
    const { number, token } = await numberFor("TELNYX", "+18445550001", { publicKey: KEY.publicKey });
    const request = signed(BODY);
    expect(await send("telnyx", token, request)).toMatchObject({ status: 200, json: { ok: true, stored: 1, duplicates: 0 } });
    expect(await send("telnyx", token, request)).toMatchObject({ status: 200, json: { ok: true, stored: 0, duplicates: 1 } });

    const stored = await messages(number.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      provider: "TELNYX",
      from: "+18665550001",
      to: "+18445550001",
      text: "Hello, World!",
      // The first meaningful word: a greeting is skipped (lib/sms/keyword.ts).
      keyword: "WORLD",
      encoding: "GSM7",
      status: "COMPLETE",
      partsReceived: 1,
      smsCount: 1,
      providerTimestamp: new Date("2019-01-23T18:10:02.574Z"),
      priceAmount: "0.0051",
      priceCurrency: "USD",
    });
    // The message id, not the event id, is the deduplication key.
    expect((await parts(number.id)).map((p) => p.providerMessageId)).toEqual(["7ee4241c-f127-47e5-9c34-3aac291f8058"]);

    const [first, retry] = await deliveries(number.id);
    expect([first, retry].map((d) => [d!.outcome, d!.signed])).toEqual([
      ["STORED", true],
      ["DUPLICATE", true],
    ]);
    expect(first!.signatureAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(first!.signatureAgeSeconds).toBeLessThan(60);
    expect(first!.headers).toEqual({
      "content-type": "application/json",
      "user-agent": "telnyx-webhooks",
      "telnyx-timestamp": request.headers["telnyx-timestamp"],
      "telnyx-signature-ed25519": request.headers["telnyx-signature-ed25519"],
    });
  });

  it("refuses another key's signature, an altered body and a missing signature (401), storing nothing", async () => {
    const { number, token } = await numberFor("TELNYX", "+18445550001", { publicKey: KEY.publicKey });
    expect((await send("telnyx", token, signed(BODY, { seed: OTHER_SEED }))).status).toBe(401);
    const genuine = signed(BODY);
    const altered = await send("telnyx", token, { ...genuine, body: BODY.replace("Hello, World!", "Wire the money") });
    expect(altered.status).toBe(401);
    expect(altered.json!.error).toMatch(/does not match this number's Telnyx public key/);
    const unsigned = await send("telnyx", token, { body: BODY, contentType: "application/json" });
    expect(unsigned.status).toBe(401);
    expect(unsigned.json!.error).toMatch(/Telnyx signature missing/);

    expect(await messages(number.id)).toEqual([]);
    expect(await log(number.id)).toEqual([
      [401, "REJECTED", "signature_mismatch"],
      [401, "REJECTED", "signature_mismatch"],
      [401, "REJECTED", "signature_missing"],
    ]);
  });

  it("refuses a genuine signature made outside the 300-second window as stale (401)", async () => {
    const { number, token } = await numberFor("TELNYX", "+18445550001", { publicKey: KEY.publicKey });
    // TX-01: the example body signed with the published key at 1548267003, in January 2019.
    const tx01 = vectors.find((v) => v.id === "TX-01")!;
    expect(tx01.body).toBe(BODY);
    const old = await send("telnyx", token, { body: tx01.body, contentType: "application/json", headers: tx01.headers });
    expect(old.status).toBe(401);
    expect(old.json!.error).toMatch(/genuine but was made \d+ seconds ago \(telnyx-timestamp 1548267003\)/);
    expect((await send("telnyx", token, signed(BODY, { at: nowSeconds() - 360 }))).status).toBe(401);
    expect((await send("telnyx", token, signed(BODY, { at: nowSeconds() + 360 }))).status).toBe(401);

    expect(await messages(number.id)).toEqual([]);
    expect(await log(number.id)).toEqual([
      [401, "REJECTED", "signature_stale"],
      [401, "REJECTED", "signature_stale"],
      [401, "REJECTED", "signature_stale"],
    ]);
  });

  it("answers 400 invalid_payload for signed bodies that are not Telnyx events, saying what is wrong", async () => {
    const { number, token } = await numberFor("TELNYX", "+18445550001", { publicKey: KEY.publicKey });
    const notAnEvent = await send("telnyx", token, signed(JSON.stringify({ hello: "world" })));
    expect(notAnEvent.status).toBe(400);
    expect(notAnEvent.json!.error).toMatch(/^Missing data: not a Telnyx webhook \(the body has hello\)\./);

    const payload = (official.body.data as { payload: Record<string, unknown> }).payload;
    const noSender = { data: { ...(official.body.data as object), payload: { ...payload, from: undefined } } };
    const missingFrom = await send("telnyx", token, signed(JSON.stringify(noSender)));
    expect(missingFrom.status).toBe(400);
    expect(missingFrom.json!.error).toMatch(/^Missing data\.payload\.from: not a Telnyx inbound message\./);

    const form = await send("telnyx", token, { ...signed("To=%2B18445550001&Text=hi"), contentType: FORM });
    expect(form.status).toBe(400);
    expect(form.json!.error).toMatch(/^The body is a form, not JSON/);

    expect(await messages(number.id)).toEqual([]);
    expect(await log(number.id)).toEqual([
      [400, "REJECTED", "invalid_payload"],
      [400, "REJECTED", "invalid_payload"],
      [400, "REJECTED", "invalid_payload"],
    ]);
  });

  it("acknowledges a signed message.finalized status event (200) without storing it", async () => {
    const { number, token } = await numberFor("TELNYX", "+18445550001", { publicKey: KEY.publicKey });
    const finalized = {
      data: {
        event_type: "message.finalized",
        id: "4ee8c3a6-4995-4309-a3c6-38e3db9ea4be",
        occurred_at: "2024-05-02T10:01:04.123+00:00",
        payload: {
          id: "40385f64-5717-4562-b3fc-2c963f66afa6",
          record_type: "message",
          direction: "outbound",
          type: "SMS",
          from: { phone_number: "+18445550001", carrier: "TELNYX LLC", line_type: "VoIP" },
          to: [{ phone_number: "+18665550001", status: "delivered", carrier: "T-MOBILE USA, INC.", line_type: "Wireless" }],
          text: "Your order has shipped",
          encoding: "GSM-7",
          parts: 1,
          cost: { amount: "0.0051", currency: "USD" },
          errors: [],
        },
        record_type: "event",
      },
      meta: { attempt: 1, delivered_to: urlOf("telnyx", token) },
    };
    expect(await send("telnyx", token, signed(JSON.stringify(finalized)))).toMatchObject({ status: 200, json: { ok: true } });
    expect(await messages(number.id)).toEqual([]);
    const [ignored] = await deliveries(number.id);
    expect(ignored).toMatchObject({ status: 200, outcome: "IGNORED", reasonCode: "delivery_receipt", signed: true });
    expect(ignored!.reason).toMatch(/^This is a Telnyx message\.finalized event \(status delivered, message 40385f64-5717-4562-b3fc-2c963f66afa6\)/);
  });
});

// ---------------------------------------------------------------------------------------------
// Plivo
// ---------------------------------------------------------------------------------------------

describe("Plivo through the route", () => {
  const AUTH_TOKEN = "MjY2ZTU0YTJjNjI2ZmNkNmZkZjRmYzA1YmMxODM0";
  const { samples } = readJsonFixture<{ samples: FormSample[] }>("plivo/inbound-sms-samples.json");
  // A captured request (nyaruka/courier's Plivo handler).
  const S1 = sampleOf(samples, "PL-S1").raw_form;
  const pairsOf = (form: string) => [...new URLSearchParams(form)];

  const v3 = (token: string, url: string, form: string, nonce = "31627761595286130198") => {
    const signature = signPlivoV3(token, "POST", url, pairsOf(form), nonce);
    return { "x-plivo-signature-v3": signature, "x-plivo-signature-ma-v3": signature, "x-plivo-signature-v3-nonce": nonce, "user-agent": "PlivoHTTP/1.0" };
  };
  const v2 = (token: string, url: string, nonce: string) => {
    const signature = signPlivoV2(token, url, nonce);
    return { "x-plivo-signature-v2": signature, "x-plivo-signature-ma-v2": signature, "x-plivo-signature-v2-nonce": nonce };
  };

  it("stores the captured sample signed with V3, and absorbs the retry", async () => {
    const { number, token } = await numberFor("PLIVO", "+4759440448", { authToken: AUTH_TOKEN });
    const headers = { ...v3(AUTH_TOKEN, urlOf("plivo", token), S1), authorization: "Basic cGxpdm86c2VjcmV0" };
    expect(await send("plivo", token, { body: S1, contentType: FORM, headers })).toMatchObject({ status: 200, json: { ok: true, stored: 1, duplicates: 0 } });
    expect(await send("plivo", token, { body: S1, contentType: FORM, headers })).toMatchObject({ status: 200, json: { ok: true, stored: 0, duplicates: 1 } });

    const stored = await messages(number.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      provider: "PLIVO",
      from: "+4795961111",
      to: "+4759440448",
      text: "Msg",
      keyword: "MSG",
      encoding: "GSM7",
      status: "COMPLETE",
      partsReceived: 1,
      smsCount: 1,
      providerTimestamp: null,
      // TotalAmount's currency is not in the callback: no price rather than a wrong one.
      priceAmount: null,
      priceCurrency: null,
    });
    expect((await parts(number.id)).map((p) => p.providerMessageId)).toEqual(["7a242edc-2f57-11e7-98c9-06ab0bf64327"]);
    const [first, retry] = await deliveries(number.id);
    expect([first, retry].map((d) => [d!.outcome, d!.signed, d!.toMismatch])).toEqual([
      ["STORED", true, false],
      ["DUPLICATE", true, false],
    ]);
    expect(first!.headers).toEqual({
      "content-type": FORM,
      "user-agent": "PlivoHTTP/1.0",
      "x-plivo-signature-v3": headers["x-plivo-signature-v3"],
      "x-plivo-signature-ma-v3": headers["x-plivo-signature-ma-v3"],
      "x-plivo-signature-v3-nonce": "31627761595286130198",
    });
  });

  it("stores the long sample Plivo joined with its unit count", async () => {
    const { number, token } = await numberFor("PLIVO", "+14155556789", { authToken: AUTH_TOKEN });
    const S2 = sampleOf(samples, "PL-S2").raw_form;
    expect((await send("plivo", token, { body: S2, contentType: FORM, headers: v3(AUTH_TOKEN, urlOf("plivo", token), S2) })).status).toBe(200);
    expect(await messages(number.id)).toMatchObject([
      { from: "+14155551234", to: "+14155556789", text: "This is a long message that Plivo has already concatenated from two parts", encoding: "GSM7", smsCount: 2, partsReceived: 1 },
    ]);
  });

  it("refuses another account's signature, altered parameters and a missing signature (401), storing nothing", async () => {
    const { number, token } = await numberFor("PLIVO", "+4759440448", { authToken: AUTH_TOKEN });
    const url = urlOf("plivo", token);
    const other = await send("plivo", token, { body: S1, contentType: FORM, headers: v3("ZTk3YjQ5ZDZkYzY2NjhjNzFhNTQ3MGVjZmQ5ODAx", url, S1) });
    expect(other.status).toBe(401);
    expect(other.json!.error).toMatch(/X-Plivo-Signature-V3 signature does not match this number's Auth Token/);
    // V3 covers the parameters: a changed text breaks it.
    const altered = await send("plivo", token, { body: S1.replace("Text=Msg", "Text=Pay+now"), contentType: FORM, headers: v3(AUTH_TOKEN, url, S1) });
    expect(altered.status).toBe(401);
    const unsigned = await send("plivo", token, { body: S1, contentType: FORM });
    expect(unsigned.status).toBe(401);
    expect(unsigned.json!.error).toMatch(/Plivo signature missing/);

    expect(await messages(number.id)).toEqual([]);
    expect(await log(number.id)).toEqual([
      [401, "REJECTED", "signature_mismatch"],
      [401, "REJECTED", "signature_mismatch"],
      [401, "REJECTED", "signature_missing"],
    ]);
  });

  it("answers 400 invalid_payload for a signed request that is not an incoming message, naming what is missing", async () => {
    const { number, token } = await numberFor("PLIVO", "+4759440448", { authToken: AUTH_TOKEN });
    const form = "From=4795961111&To=4759440448&Type=sms&Text=hello";
    const answer = await send("plivo", token, { body: form, contentType: FORM, headers: v3(AUTH_TOKEN, urlOf("plivo", token), form) });
    expect(answer.status).toBe(400);
    expect(answer.json!.error).toMatch(/^Missing MessageUUID: not a Plivo incoming message\./);
    expect(await deliveries(number.id)).toMatchObject([{ status: 400, outcome: "REJECTED", reasonCode: "invalid_payload", signed: true }]);
    expect(await messages(number.id)).toEqual([]);
  });

  it("acknowledges a signed message status callback (200) without storing it", async () => {
    const { number, token } = await numberFor("PLIVO", "+4759440448", { authToken: AUTH_TOKEN });
    const callback = new URLSearchParams({
      From: "4759440448",
      To: "4795961111",
      MessageUUID: "db3ce55a-7f1d-11e1-8ea7-1231380bc196",
      Status: "delivered",
      TotalRate: "0.00350",
      TotalAmount: "0.00350",
      Units: "1",
      MCC: "242",
      MNC: "01",
      ErrorCode: "",
      MessageTime: "2024-05-02 10:01:03+00:00",
      QueuedTime: "2024-05-02 10:01:01+00:00",
      SentTime: "2024-05-02 10:01:02+00:00",
      DeliveryReportTime: "2024-05-02 10:01:04+00:00",
    }).toString();
    expect(await send("plivo", token, { body: callback, contentType: FORM, headers: v3(AUTH_TOKEN, urlOf("plivo", token), callback) })).toMatchObject({ status: 200, json: { ok: true } });
    expect(await messages(number.id)).toEqual([]);
    const [ignored] = await deliveries(number.id);
    expect(ignored).toMatchObject({ status: 200, outcome: "IGNORED", reasonCode: "delivery_receipt", signed: true });
    expect(ignored!.reason).toMatch(/^This is a Plivo message status callback \(status “delivered” for message db3ce55a-7f1d-11e1-8ea7-1231380bc196\)/);
  });

  it("V2: stores a signed request, refuses its nonce with another body as a replay, and absorbs the same request again", async () => {
    const { number, token } = await numberFor("PLIVO", "+4759440448", { authToken: AUTH_TOKEN });
    const headers = v2(AUTH_TOKEN, urlOf("plivo", token), "05429567804466091622");
    expect(await send("plivo", token, { body: S1, contentType: FORM, headers })).toMatchObject({ status: 200, json: { ok: true, stored: 1, duplicates: 0 } });

    // V2 signs the URL and the nonce only: the same headers still verify on a forged body.
    const forged = "To=4759440448&From=4795961111&TotalRate=0&Units=1&Text=Your+account+is+locked&TotalAmount=0&Type=sms&MessageUUID=7a242edc-2f57-11e7-98c9-06ab0bf60000";
    const replay = await send("plivo", token, { body: forged, contentType: FORM, headers });
    expect(replay.status).toBe(401);
    expect(replay.json!.error).toMatch(/nonce came before with a different request/);

    expect(await send("plivo", token, { body: S1, contentType: FORM, headers })).toMatchObject({ status: 200, json: { ok: true, stored: 0, duplicates: 1 } });

    expect((await messages(number.id)).map((m) => m.text)).toEqual(["Msg"]);
    expect(await log(number.id)).toEqual([
      [200, "STORED", null],
      [401, "REJECTED", "signature_replayed"],
      [200, "DUPLICATE", null],
    ]);
    const [stored] = await deliveries(number.id);
    expect(stored!.headers).toMatchObject({
      "x-plivo-signature-v2": headers["x-plivo-signature-v2"],
      "x-plivo-signature-ma-v2": headers["x-plivo-signature-ma-v2"],
      "x-plivo-signature-v2-nonce": "05429567804466091622",
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Sinch
// ---------------------------------------------------------------------------------------------

describe("Sinch through the route", () => {
  // The secret of Sinch's published vectors (SN-01, SN-02).
  const SECRET = "SMSWebhooksSecret";
  const { samples } = readJsonFixture<{ samples: { id: string; raw_body?: string }[] }>("sinch/inbound-mo-samples.json");
  // Sinch's own SDK fixture of an inbound text.
  const S1 = sampleOf(samples, "SN-S1").raw_body!;
  const sn01 = readJsonFixture<{ vectors: { id: string; headers: Record<string, string>; body: string }[] }>("sinch/signature-vectors.json").vectors.find((v) => v.id === "SN-01")!;

  let nonces = 0;
  const signed = (body: string, { secret = SECRET, at = nowSeconds() }: { secret?: string; at?: number } = {}) => {
    const nonce = `01JHFFHWYY7HSS4FWTMDTQ${String(++nonces).padStart(4, "0")}`;
    return {
      body,
      contentType: "application/json",
      headers: {
        "x-sinch-webhook-signature": signSinchWebhook(body, secret, nonce, String(at)),
        "x-sinch-webhook-signature-algorithm": "HmacSHA256",
        "x-sinch-webhook-signature-nonce": nonce,
        "x-sinch-webhook-signature-timestamp": String(at),
      },
    };
  };

  it("stores the SDK's mo_text sample, signed now, and absorbs the retry", async () => {
    const { number, token } = await numberFor("SINCH", "+11203453453", { signingSecret: SECRET });
    const request = signed(S1);
    expect(await send("sinch", token, request)).toMatchObject({ status: 200, json: { ok: true, stored: 1, duplicates: 0 } });
    expect(await send("sinch", token, request)).toMatchObject({ status: 200, json: { ok: true, stored: 0, duplicates: 1 } });

    const stored = await messages(number.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      provider: "SINCH",
      from: "+11203494390",
      // Sinch writes our number without "+".
      to: "+11203453453",
      text: "a body",
      keyword: "BODY",
      encoding: "GSM7",
      status: "COMPLETE",
      partsReceived: 1,
      smsCount: null,
      providerTimestamp: new Date("2019-08-24T14:17:22Z"),
      callbackData: "a client reference",
      priceAmount: null,
    });
    expect((await parts(number.id)).map((p) => p.providerMessageId)).toEqual(["01FC66621XXXXX119Z8PMV1QPA"]);
    const [first, retry] = await deliveries(number.id);
    expect([first, retry].map((d) => [d!.outcome, d!.signed, d!.toMismatch])).toEqual([
      ["STORED", true, false],
      ["DUPLICATE", true, false],
    ]);
    expect(first!.headers).toEqual({ "content-type": "application/json", ...request.headers });
  });

  it("refuses another secret's signature, an altered body and a missing signature (401), storing nothing", async () => {
    const { number, token } = await numberFor("SINCH", "+11203453453", { signingSecret: SECRET });
    expect((await send("sinch", token, signed(S1, { secret: "AnotherPlansSecret" }))).status).toBe(401);
    const genuine = signed(S1);
    const altered = await send("sinch", token, { ...genuine, body: S1.replace('"a body"', '"call me"') });
    expect(altered.status).toBe(401);
    expect(altered.json!.error).toMatch(/does not match this number's signing secret/);
    const unsigned = await send("sinch", token, { body: S1, contentType: "application/json" });
    expect(unsigned.status).toBe(401);
    expect(unsigned.json!.error).toMatch(/Sinch signature missing/);

    expect(await messages(number.id)).toEqual([]);
    expect(await log(number.id)).toEqual([
      [401, "REJECTED", "signature_mismatch"],
      [401, "REJECTED", "signature_mismatch"],
      [401, "REJECTED", "signature_missing"],
    ]);
  });

  it("refuses a genuine signature older than 48 hours, or an hour ahead, as stale (401)", async () => {
    const { number, token } = await numberFor("SINCH", "+11203453453", { signingSecret: SECRET });
    // SN-01, Sinch's published vector, was signed in January 2025.
    const old = await send("sinch", token, { body: sn01.body, contentType: "application/json", headers: sn01.headers });
    expect(old.status).toBe(401);
    expect(old.json!.error).toMatch(/valid but was made \d+ days ago \(x-sinch-webhook-signature-timestamp 1736760161\)/);
    expect((await send("sinch", token, signed(S1, { at: nowSeconds() - 49 * 3600 }))).status).toBe(401);
    expect((await send("sinch", token, signed(S1, { at: nowSeconds() + 2 * 3600 }))).status).toBe(401);
    // Within the window: a retry a day later is still Sinch's.
    expect((await send("sinch", token, signed(S1, { at: nowSeconds() - 24 * 3600 }))).status).toBe(200);

    expect(await log(number.id)).toEqual([
      [401, "REJECTED", "signature_stale"],
      [401, "REJECTED", "signature_stale"],
      [401, "REJECTED", "signature_stale"],
      [200, "STORED", null],
    ]);
    expect(await messages(number.id)).toHaveLength(1);
  });

  it("answers 400 invalid_payload for signed bodies that are not inbound callbacks, naming what is wrong", async () => {
    const { number, token } = await numberFor("SINCH", "+11203453453", { signingSecret: SECRET });
    const noIds = await send("sinch", token, signed(JSON.stringify({ type: "mo_text", from: "+11203494390", body: "hi" })));
    expect(noIds.status).toBe(400);
    expect(noIds.json!.error).toMatch(/^Missing id, to: not a Sinch mo_text callback\./);
    const outbound = await send("sinch", token, signed(JSON.stringify({ type: "mt_text", id: "01X", from: "+1", to: "1", body: "hi" })));
    expect(outbound.status).toBe(400);
    expect(outbound.json!.error).toMatch(/^type "mt_text" is not one of Sinch's inbound types \(mo_text, mo_binary, mo_media\)/);
    expect(await log(number.id)).toEqual([
      [400, "REJECTED", "invalid_payload"],
      [400, "REJECTED", "invalid_payload"],
    ]);
    expect(await messages(number.id)).toEqual([]);
  });

  it("acknowledges SN-01's delivery report, signed now, without storing it", async () => {
    const { number, token } = await numberFor("SINCH", "+11203453453", { signingSecret: SECRET });
    expect(await send("sinch", token, signed(sn01.body))).toMatchObject({ status: 200, json: { ok: true } });
    expect(await messages(number.id)).toEqual([]);
    const [ignored] = await deliveries(number.id);
    expect(ignored).toMatchObject({ status: 200, outcome: "IGNORED", reasonCode: "delivery_receipt", signed: true });
    expect(ignored!.reason).toMatch(/^This is a Sinch delivery report \(recipient_delivery_report_sms, status Delivered, batch 01JHFFHQ0P99JPPNQPJDV7JTBP\)/);
  });

  it("reassembles mo_binary parts with a concatenation UDH arriving out of order into one message", async () => {
    const { number, token } = await numberFor("SINCH", "+11203453453", { signingSecret: SECRET });
    const octets = Buffer.from("Binary parts come one callback each; their headers put them back in order.", "utf8");
    const size = Math.ceil(octets.length / 3);
    const part = (index: number) =>
      JSON.stringify({
        id: `01HX7Q0000000000000000000${index}`,
        type: "mo_binary",
        from: "+11203494390",
        to: "11203453453",
        body: octets.subarray((index - 1) * size, index * size).toString("base64"),
        udh: `050003A403${index.toString(16).padStart(2, "0").toUpperCase()}`,
        operator_id: "310260",
        received_at: `2024-01-10T08:49:5${index}.429Z`,
      });

    expect((await send("sinch", token, signed(part(3)))).status).toBe(200);
    expect((await send("sinch", token, signed(part(1)))).status).toBe(200);
    expect(await messages(number.id)).toMatchObject([{ status: "PARTIAL", partsReceived: 2, partsExpected: 3 }]);
    expect((await send("sinch", token, signed(part(2)))).status).toBe(200);
    // A retried part changes nothing.
    expect((await send("sinch", token, signed(part(1)))).json).toMatchObject({ stored: 0, duplicates: 1 });

    const stored = await messages(number.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      from: "+11203494390",
      to: "+11203453453",
      encoding: "BINARY",
      text: null,
      binaryHex: octets.toString("hex"),
      status: "COMPLETE",
      partsExpected: 3,
      partsReceived: 3,
    });
    expect((await parts(number.id)).map((p) => [p.partIndex, p.udhHex])).toEqual([
      [1, "050003A40301"],
      [2, "050003A40302"],
      [3, "050003A40303"],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Vonage Messages API
// ---------------------------------------------------------------------------------------------

describe("Vonage Messages API through the route", () => {
  const jwtVectors = readJsonFixture<{ vectors: { id: string; token: string; secret: string; body?: string }[] }>("vonage/messages-jwt-vectors.json").vectors;
  const vm07 = jwtVectors.find((v) => v.id === "VM-07")!;
  const vm08 = jwtVectors.find((v) => v.id === "VM-08")!;
  // VM-01's secret (Vonage's Ruby SDK); VM-02's is the wrong one.
  const SECRET = jwtVectors.find((v) => v.id === "VM-01")!.secret;
  const WRONG_SECRET = jwtVectors.find((v) => v.id === "VM-02")!.secret;
  const { samples } = readJsonFixture<{ samples: { id: string; raw_body?: string }[] }>("vonage/messages-inbound-sms.json");
  // Vonage's .NET SDK fixture of an inbound SMS, byte for byte.
  const S1 = sampleOf(samples, "VM-S1").raw_body!;
  const credentials = { signatureMethod: "SHA256", signatureSecret: SECRET };

  let jtis = 0;
  /** A request signed as Vonage signs it: an HS256 JWT over the body's hash, issued now. */
  const signed = (body: string, secret = SECRET) => {
    const claims = {
      iat: nowSeconds(),
      jti: `c5ba8f24-1a14-4c10-bfdf-${String(++jtis).padStart(12, "0")}`,
      iss: "Vonage",
      payload_hash: payloadHash(body),
      api_key: "a1b2c3d",
      application_id: "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
    };
    return { body, contentType: "application/json", headers: { authorization: `Bearer ${signHs256(claims, secret)}`, "user-agent": "Vonage-Messages/1.0" } };
  };

  it("stores the SDK's inbound SMS sample, signed now, and absorbs the retry", async () => {
    const { number, token } = await numberFor("VONAGE", "+447700900000", credentials);
    const request = signed(S1);
    expect(await send("vonage", token, request)).toMatchObject({ status: 200, json: { ok: true, stored: 1, duplicates: 0 } });
    expect(await send("vonage", token, request)).toMatchObject({ status: 200, json: { ok: true, stored: 0, duplicates: 1 } });

    const stored = await messages(number.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      provider: "VONAGE",
      from: "+447700900001",
      to: "+447700900000",
      text: "Hello From Vonage!",
      // Vonage's keyword is the first word; ours skips the greeting.
      keyword: "VONAGE",
      providerKeyword: "HELLO",
      encoding: "GSM7",
      status: "COMPLETE",
      // Vonage joined two SMS before calling.
      partsReceived: 1,
      smsCount: 2,
      providerTimestamp: new Date("2020-01-01T14:00:00.000Z"),
      priceAmount: "0.0333",
      priceCurrency: "EUR",
    });
    expect((await parts(number.id)).map((p) => p.providerMessageId)).toEqual(["52afe398-e31a-4362-8c42-beb0c3b1d098"]);

    const [first, retry] = await deliveries(number.id);
    expect([first, retry].map((d) => [d!.outcome, d!.signed])).toEqual([
      ["STORED", true],
      ["DUPLICATE", true],
    ]);
    // The signature is the Authorization header, a bearer credential: never kept.
    expect(first!.headers).toEqual({ "content-type": "application/json", "user-agent": "Vonage-Messages/1.0" });
    expect(first!.headers).not.toHaveProperty("authorization");
  });

  it("refuses a token of another secret, or for another body (401), and answers an unsigned request 503 to be retried", async () => {
    const { number, token } = await numberFor("VONAGE", "+447700900000", credentials);
    const other = await send("vonage", token, signed(S1, WRONG_SECRET));
    expect(other.status).toBe(401);
    expect(other.json!.error).toMatch(/token's signature does not match this number's signature secret/);
    // VM-08: VM-07's genuine token on a body whose text was changed.
    const altered = await send("vonage", token, { body: vm08.body!, contentType: "application/json", headers: { authorization: `Bearer ${vm08.token}` } });
    expect(altered.status).toBe(401);
    expect(altered.json!.error).toMatch(/does not match the payload_hash/);

    const unsigned = await send("vonage", token, { body: S1, contentType: "application/json" });
    expect(unsigned).toMatchObject({ status: 503, retryAfter: "5" });
    expect(unsigned.json!.error).toMatch(/Moshi answered 503, as Vonage advises for unsigned callbacks/);

    expect(await messages(number.id)).toEqual([]);
    expect(await log(number.id)).toEqual([
      [401, "REJECTED", "signature_mismatch"],
      [401, "REJECTED", "signature_mismatch"],
      [503, "REJECTED", "signature_missing"],
    ]);
  });

  it("refuses VM-07's genuine token, issued in 2020, as stale (401)", async () => {
    const { number, token } = await numberFor("VONAGE", "+447700900000", credentials);
    expect(vm07.body).toBe(S1);
    const old = await send("vonage", token, { body: vm07.body!, contentType: "application/json", headers: { authorization: `Bearer ${vm07.token}` } });
    expect(old.status).toBe(401);
    expect(old.json!.error).toMatch(/^The Messages API token was issued \d+ seconds ago/);
    expect(await log(number.id)).toEqual([[401, "REJECTED", "signature_stale"]]);
    expect(await messages(number.id)).toEqual([]);
  });

  it("answers 400 invalid_payload for a signed Messages API body without sender or text, naming them", async () => {
    const { number, token } = await numberFor("VONAGE", "+447700900000", credentials);
    const body = JSON.stringify({ channel: "sms", message_uuid: "52afe398-e31a-4362-8c42-beb0c3b1d099", to: "447700900000", timestamp: "2020-01-01T14:00:00.000Z" });
    const answer = await send("vonage", token, signed(body));
    expect(answer.status).toBe(400);
    expect(answer.json!.error).toMatch(/^Missing from, text: not a Vonage Messages API inbound SMS\./);
    expect(await deliveries(number.id)).toMatchObject([{ status: 400, outcome: "REJECTED", reasonCode: "invalid_payload", signed: true }]);
    expect(await messages(number.id)).toEqual([]);
  });

  it("acknowledges a signed status webhook (200) without storing it", async () => {
    const { number, token } = await numberFor("VONAGE", "+447700900000", credentials);
    const status = JSON.stringify({
      message_uuid: "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
      to: "447700900001",
      from: "447700900000",
      timestamp: "2020-01-01T14:00:03.010Z",
      status: "delivered",
      usage: { currency: "EUR", price: "0.0333" },
      channel: "sms",
    });
    expect(await send("vonage", token, signed(status))).toMatchObject({ status: 200, json: { ok: true } });
    expect(await messages(number.id)).toEqual([]);
    const [ignored] = await deliveries(number.id);
    expect(ignored).toMatchObject({ status: 200, outcome: "IGNORED", reasonCode: "delivery_receipt", signed: true });
    expect(ignored!.reason).toMatch(/^This is a Vonage Messages API status webhook \(status “delivered” \(message_uuid aaaaaaaa-bbbb-cccc-dddd-0123456789ab\)\)/);
  });
});
