import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST, PUT } from "@/app/api/webhooks/[provider]/[token]/route";
import { createNumber } from "@/lib/data/numbers";
import { createPrismaClient } from "@/lib/db";
import type { Provider } from "@/lib/generated/prisma/enums";
import { ingestDelivery } from "@/lib/sms/ingest";
import { buildDeliveries } from "@/lib/sms/simulate";
import { prisma, seedTeam } from "../helpers/db";

afterAll(() => prisma.$disconnect());

const handlers = { GET, POST, PUT };

type Call = { method?: "GET" | "POST" | "PUT"; query?: Record<string, string>; body?: string; contentType?: string | null; headers?: Record<string, string> };

/** Sends a request through the real route handler, as a provider would. */
async function send(provider: string, token: string, { method = "POST", query, body, contentType, headers = {} }: Call = {}) {
  const url = new URL(`http://moshi.test/api/webhooks/${provider}/${token}`);
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
  const allHeaders = new Headers(headers);
  if (contentType) allHeaders.set("content-type", contentType);
  const response = await handlers[method](new Request(url, { method, body: method === "GET" ? undefined : body, headers: allHeaders }), {
    params: Promise.resolve({ provider, token }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function numberFor(provider: Provider, e164: string, signature?: { method: "MD5HASH" | "SHA256"; secret: string }) {
  const { team } = await seedTeam();
  const { number, token } = await createNumber(prisma, { teamId: team.id, provider, e164, label: provider, credentials: signature && { signatureMethod: signature.method, signatureSecret: signature.secret } });
  return { team, number, token };
}

const deliveries = (phoneNumberId: string) => prisma.delivery.findMany({ where: { phoneNumberId }, orderBy: { receivedAt: "asc" } });
// Messages of one batch share their arrival time: the sender breaks the tie.
const messages = (phoneNumberId: string) => prisma.message.findMany({ where: { phoneNumberId }, orderBy: [{ receivedAt: "asc" }, { from: "asc" }] });

const rakutenSingle = {
  message_id: "rk-2001",
  sender_address: "817012345678",
  destination_address: "815012345678",
  content_type: "text",
  udh: "",
  message_body: "Hello",
};

describe("webhook statuses", () => {
  it("stores a new message (200) and absorbs its retry (200, duplicate)", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    const first = await send("rakuten", token, { body: JSON.stringify(rakutenSingle), contentType: "application/json" });
    expect(first).toEqual({ status: 200, json: { ok: true, stored: 1, duplicates: 0 } });
    const retry = await send("rakuten", token, { body: JSON.stringify(rakutenSingle), contentType: "application/json" });
    expect(retry).toEqual({ status: 200, json: { ok: true, stored: 0, duplicates: 1 } });

    expect(await messages(number.id)).toMatchObject([
      { from: "+817012345678", to: "+815012345678", text: "Hello", keyword: "HELLO", status: "COMPLETE", encoding: "GSM7", partsReceived: 1 },
    ]);
    expect((await deliveries(number.id)).map((d) => [d.outcome, d.status, d.storedCount, d.duplicateCount])).toEqual([
      ["STORED", 200, 1, 0],
      ["DUPLICATE", 200, 0, 1],
    ]);
    const conversation = await prisma.conversation.findFirstOrThrow({ where: { phoneNumberId: number.id } });
    expect(conversation).toMatchObject({ sender: "+817012345678", messageCount: 1, testCount: 0 });
  });

  it("answers 404 for an unknown token or another provider's path and stores nothing", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    expect(await send("rakuten", "not-a-token", { body: JSON.stringify(rakutenSingle), contentType: "application/json" })).toEqual({ status: 404, json: { error: "Not found" } });
    expect((await send("vonage", token, { method: "GET", query: { msisdn: "1", to: "2", messageId: "x", text: "hi", type: "text" } })).status).toBe(404);
    expect((await send("smsco", token, { body: "{}" })).status).toBe(404);
    expect(await deliveries(number.id)).toEqual([]);
  });

  it("accepts the nexmo alias and the previous token during its grace period", async () => {
    const { number, token } = await numberFor("VONAGE", "+12192259404");
    const query = { msisdn: "14845552121", to: "12192259404", messageId: "02000000DA7C52E7", text: "Test this.", type: "text", keyword: "TEST", "message-timestamp": "2016-05-24 11:12:01" };
    expect((await send("nexmo", token, { method: "GET", query })).status).toBe(200);
    expect(await messages(number.id)).toMatchObject([{ text: "Test this.", from: "+14845552121" }]);
  });

  it("refuses a Vonage delivery with a missing or wrong signature (401) and records why", async () => {
    const { number, token } = await numberFor("VONAGE", "+12192259404", { method: "MD5HASH", secret: "my_secret_key_for_testing" });
    const params = {
      keyword: "TEST",
      "message-timestamp": "2017-04-04 22:57:47",
      messageId: "0B00000042AC53BD",
      msisdn: "14843472194",
      nonce: "929d6744-bd28-42c8-b6cf-31d5b4f43732",
      text: "Test with & and =",
      timestamp: "1491346667",
      to: "12192259404",
      type: "text",
    };
    const unsigned = await send("vonage", token, { method: "GET", query: params });
    expect(unsigned.status).toBe(401);
    const forged = await send("vonage", token, { method: "GET", query: { ...params, sig: "e06d9763e3fd0b9c31beb5fc2fcb011d" } });
    expect(forged.status).toBe(401);
    expect(await messages(number.id)).toEqual([]);

    const signed = await send("vonage", token, { method: "POST", body: new URLSearchParams({ ...params, sig: "E06D9763E3FD0B9C31BEB5FC2FCB011C" }).toString(), contentType: "application/x-www-form-urlencoded; charset=UTF-8" });
    expect(signed.status).toBe(200);
    expect(await messages(number.id)).toMatchObject([{ text: "Test with & and =" }]);

    const log = await deliveries(number.id);
    expect(log.map((d) => [d.status, d.outcome])).toEqual([
      [401, "REJECTED"],
      [401, "REJECTED"],
      [200, "STORED"],
    ]);
    expect(log[0]!.reason).toMatch(/signature/i);
    expect(log[1]!.reason).toMatch(/signature/i);
    // A valid signature is never refused for its age; its age is recorded.
    expect(log[2]).toMatchObject({ signed: true, signatureAgeSeconds: expect.any(Number) });
    expect(log[2]!.signatureAgeSeconds!).toBeGreaterThan(200_000_000);
  });

  it("answers 400 with a clear reason for a body that is not the provider's format, and records it", async () => {
    const { number, token } = await numberFor("INFOBIP", "+385921004026");
    const garbage = await send("infobip", token, { body: "this is not json", contentType: "application/json" });
    expect(garbage.status).toBe(400);
    expect(garbage.json.error).toEqual(expect.any(String));
    const wrongShape = await send("infobip", token, { body: JSON.stringify({ hello: "world" }), contentType: "application/json" });
    expect(wrongShape.status).toBe(400);
    const log = await deliveries(number.id);
    expect(log.map((d) => [d.status, d.outcome, Buffer.from(d.body).toString("utf8")])).toEqual([
      [400, "REJECTED", "this is not json"],
      [400, "REJECTED", JSON.stringify({ hello: "world" })],
    ]);
    expect(log.every((d) => d.reason && d.reason.length > 10)).toBe(true);
  });

  it("acknowledges a delivery receipt, a Messages API status and the old Messages format (200) without storing a message", async () => {
    const { number, token } = await numberFor("VONAGE", "+12192259404");
    const dlr = { msisdn: "14845552121", to: "12192259404", "network-code": "310090", messageId: "0B0000001A2B3C4D", price: "0.00570000", status: "delivered", scts: "2001011400", "err-code": "0", "message-timestamp": "2020-01-01 14:00:00" };
    expect((await send("vonage", token, { method: "GET", query: dlr })).status).toBe(200);
    const status = { message_uuid: "aaaaaaaa-bbbb-cccc-dddd-0123456789ab", to: "14845552121", from: "12192259404", channel: "sms", status: "delivered", timestamp: "2020-01-01T14:00:00.000Z" };
    expect((await send("vonage", token, { body: JSON.stringify(status), contentType: "application/json" })).status).toBe(200);
    const old = { message_uuid: "aaaaaaaa-bbbb-cccc-dddd-0123456789ac", to: { type: "sms", number: "12192259404" }, from: { type: "sms", number: "14845552121" }, message: { content: { type: "text", text: "Hello" } } };
    expect((await send("vonage", token, { body: JSON.stringify(old), contentType: "application/json" })).status).toBe(200);
    expect(await messages(number.id)).toEqual([]);
    const log = await deliveries(number.id);
    expect(log.map((d) => [d.outcome, d.reasonCode])).toEqual([
      ["IGNORED", "delivery_receipt"],
      ["IGNORED", "delivery_receipt"],
      ["IGNORED", "other_format"],
    ]);
    expect(log[0]!.reason).toMatch(/receipt/i);
    expect(log[1]!.reason).toMatch(/Messages API status webhook/);
    expect(log[2]!.reason).toMatch(/old v0\.1 format/);
  });

  it("stores a Vonage Messages API SMS on the same number, checking its token against the signature secret", async () => {
    const secret = { method: "SHA256" as const, secret: "messages-api-secret" };
    const { number, token } = await numberFor("VONAGE", "+12192259404", secret);
    const credentials = { signatureMethod: secret.method, signatureSecret: secret.secret };
    const text = "Hello from the Messages API, joined by Vonage before it reached Moshi: no parts to reassemble here.";
    const [request] = buildDeliveries({ provider: "VONAGE", format: "messages", from: "447700900001", to: "12192259404", text, parts: 2, credentials });
    const signed = { body: request!.body!, contentType: "application/json", headers: request!.headers };
    expect(await send("vonage", token, signed)).toEqual({ status: 200, json: { ok: true, stored: 1, duplicates: 0 } });
    expect((await send("vonage", token, signed)).json).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await messages(number.id)).toMatchObject([{ from: "+447700900001", to: "+12192259404", text, status: "COMPLETE", smsCount: 2 }]);
    // Stored without its Authorization header: a bearer token is a credential, never logged.
    expect((await deliveries(number.id))[0]!.headers).not.toHaveProperty("authorization");

    // Unsigned: 503, as Vonage advises, so it comes back signed. Another secret, or a changed body: 401.
    expect((await send("vonage", token, { body: signed.body, contentType: "application/json" })).status).toBe(503);
    const [other] = buildDeliveries({ provider: "VONAGE", format: "messages", from: "447700900001", to: "12192259404", text, credentials: { ...credentials, signatureSecret: "another" } });
    expect((await send("vonage", token, { body: other!.body!, contentType: "application/json", headers: other!.headers })).status).toBe(401);
    expect((await send("vonage", token, { ...signed, body: signed.body.replace("Hello", "Hullo") })).status).toBe(401);
    const log = await deliveries(number.id);
    expect(log.slice(2).map((d) => [d.status, d.reasonCode])).toEqual([
      [503, "signature_missing"],
      [401, "signature_mismatch"],
      [401, "signature_mismatch"],
    ]);
  });

  it("refuses an oversized body (413) and a wrong method (405), recording both", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    const huge = JSON.stringify({ ...rakutenSingle, message_body: "x".repeat(300 * 1024) });
    expect((await send("rakuten", token, { body: huge, contentType: "application/json" })).status).toBe(413);
    expect((await send("rakuten", token, { method: "PUT", body: JSON.stringify(rakutenSingle), contentType: "application/json" })).status).toBe(405);
    const log = await deliveries(number.id);
    expect(log.map((d) => [d.status, d.outcome])).toEqual([
      [413, "REJECTED"],
      [405, "REJECTED"],
    ]);
    expect(log[0]!.body).toHaveLength(0);
    expect(await messages(number.id)).toEqual([]);
  });

  it("stores a delivery addressed to another number under this one and flags it", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    await send("rakuten", token, { body: JSON.stringify({ ...rakutenSingle, destination_address: "819099999999" }), contentType: "application/json" });
    const [delivery] = await deliveries(number.id);
    expect(delivery).toMatchObject({ outcome: "STORED", toMismatch: true });
    expect(delivery!.reason).toContain("+819099999999");
    expect(await messages(number.id)).toMatchObject([{ to: "+819099999999", text: "Hello" }]);
  });

  it("answers 503 when the database is unreachable, and the retry stores the message once", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    const unreachable = createPrismaClient("postgresql://postgres@127.0.0.1:1/none?connect_timeout=2");
    const request = () => ({
      providerSegment: "rakuten",
      token,
      method: "POST",
      headers: new Headers({ "content-type": "application/json" }),
      url: new URL(`http://moshi.test/api/webhooks/rakuten/${token}`),
      body: JSON.stringify(rakutenSingle),
      receivedAt: new Date(),
    });
    const down = await ingestDelivery(unreachable, request());
    expect(down.status).toBe(503);
    await unreachable.$disconnect();
    expect(await deliveries(number.id)).toEqual([]);
    expect((await ingestDelivery(prisma, request())).status).toBe(200);
    expect((await ingestDelivery(prisma, request())).status).toBe(200);
    expect(await messages(number.id)).toHaveLength(1);
  });
});

describe("deduplication and reassembly under concurrency", () => {
  it("stores one message for 20 identical deliveries arriving at once", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    const body = JSON.stringify({ ...rakutenSingle, message_id: "rk-burst" });
    const results = await Promise.all(Array.from({ length: 20 }, () => send("rakuten", token, { body, contentType: "application/json" })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await messages(number.id)).toHaveLength(1);
    const log = await deliveries(number.id);
    expect(log.filter((d) => d.outcome === "STORED")).toHaveLength(1);
    expect(log.filter((d) => d.outcome === "DUPLICATE")).toHaveLength(19);
    expect(await prisma.conversation.findFirstOrThrow({ where: { phoneNumberId: number.id } })).toMatchObject({ messageCount: 1, testCount: 0 });
  });

  it("reassembles a 3-part message arriving out of order, with a retried part and concurrent last parts", async () => {
    const { number, token } = await numberFor("VONAGE", "+447700900000");
    const part = (index: number, text: string) => ({
      msisdn: "447700900001",
      to: "447700900000",
      type: "text",
      concat: "true",
      "concat-ref": "204",
      "concat-total": "3",
      "concat-part": String(index),
      messageId: `0A0000000000000${index}`,
      text,
      "message-timestamp": `2020-01-01 12:00:0${index}`,
    });
    expect((await send("vonage", token, { method: "GET", query: part(3, "world!") })).status).toBe(200);
    const [partial] = await messages(number.id);
    expect(partial).toMatchObject({ status: "PARTIAL", partsReceived: 1, partsExpected: 3, text: "… world!" });
    // A retry of part 3, then parts 1 and 2 at the same moment, each twice.
    await send("vonage", token, { method: "GET", query: part(3, "world!") });
    const last = await Promise.all([
      send("vonage", token, { method: "GET", query: part(1, "Hello ") }),
      send("vonage", token, { method: "GET", query: part(2, "big wide ") }),
      send("vonage", token, { method: "GET", query: part(1, "Hello ") }),
      send("vonage", token, { method: "GET", query: part(2, "big wide ") }),
    ]);
    expect(last.every((r) => r.status === 200)).toBe(true);
    expect(await messages(number.id)).toMatchObject([
      { status: "COMPLETE", text: "Hello big wide world!", keyword: "BIG", partsReceived: 3, partsExpected: 3, concatKey: null },
    ]);
    const log = await deliveries(number.id);
    expect(log).toHaveLength(6);
    expect(log.filter((d) => d.outcome === "DUPLICATE")).toHaveLength(3);
    expect(await prisma.conversation.findFirstOrThrow({ where: { phoneNumberId: number.id } })).toMatchObject({ messageCount: 1 });
  });

  it("joins Rakuten UDH parts (8-bit reference) and splits a surrogate pair correctly", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    const call = (id: string, udh: string, body: string, contentType = "text") =>
      send("rakuten", token, {
        body: JSON.stringify({ sender_address: "817012345678", destination_address: "815012345678", content_type: contentType, message_id: id, udh, message_body: body }),
        contentType: "application/json",
      });
    await call("rk-0003", "050003CC0303", "three");
    await call("rk-0001", "050003CC0301", "one ");
    await call("rk-0002", "050003CC0302", "two ");
    // UTF-16 hex parts with "😀" (D83D DE00) split between them, 16-bit reference.
    await call("rk-u2", "0608041234 0202".replace(" ", ""), "DE000021", "unicode");
    await call("rk-u1", "06080412340201", "3053D83D", "unicode");
    const stored = await messages(number.id);
    expect(stored.map((m) => [m.text, m.status, m.encoding])).toEqual([
      ["one two three", "COMPLETE", "GSM7"],
      ["こ😀!", "COMPLETE", "UCS2"],
    ]);
  });
});

describe("Infobip batches", () => {
  const batch = {
    results: [
      { messageId: "ib-1", from: "385916242493", to: "385921004026", text: "QUIZ Correct answer is Paris", cleanText: "Correct answer is Paris", keyword: "QUIZ", receivedAt: "2016-10-06T09:28:39.220+0000", smsCount: 1, price: { pricePerMessage: 0, currency: "EUR" }, callbackData: "callbackData" },
      { messageId: "ib-2", from: "385916242494", to: "385921004026", text: "explode-in-test Long message", cleanText: "", keyword: "", receivedAt: "2016-10-06T09:28:40.001+0000", smsCount: 2, price: { pricePerMessage: 0, currency: "EUR" } },
    ],
    messageCount: 2,
    pendingMessageCount: 0,
  };

  beforeAll(async () => {
    // Makes storing one particular message fail inside the transaction, as a full disk would.
    await prisma.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS moshi_test_switch (on_off boolean NOT NULL)`);
    await prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION moshi_test_explode() RETURNS trigger AS $$
      BEGIN
        IF NEW."providerMessageId" = 'ib-2' AND EXISTS (SELECT 1 FROM moshi_test_switch WHERE on_off) THEN
          RAISE EXCEPTION 'simulated storage failure';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS moshi_test_explode ON "MessagePart"`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER moshi_test_explode BEFORE INSERT ON "MessagePart" FOR EACH ROW EXECUTE FUNCTION moshi_test_explode()`);
  });

  it("stores every result of a batch, or none of them", async () => {
    const { number, token } = await numberFor("INFOBIP", "+385921004026");
    const body = JSON.stringify(batch);
    await prisma.$executeRawUnsafe(`INSERT INTO moshi_test_switch VALUES (true)`);
    const failed = await send("infobip", token, { body, contentType: "application/json" });
    await prisma.$executeRawUnsafe(`DELETE FROM moshi_test_switch`);
    expect(failed.status).toBe(503);
    expect(await messages(number.id)).toEqual([]);
    expect(await deliveries(number.id)).toEqual([]);

    expect(await send("infobip", token, { body, contentType: "application/json" })).toEqual({ status: 200, json: { ok: true, stored: 2, duplicates: 0 } });
    expect(await send("infobip", token, { body, contentType: "application/json" })).toEqual({ status: 200, json: { ok: true, stored: 0, duplicates: 2 } });
    const stored = await messages(number.id);
    expect(stored.map((m) => [m.from, m.text, m.keyword, m.providerKeyword, m.smsCount])).toEqual([
      ["+385916242493", "QUIZ Correct answer is Paris", "QUIZ", "QUIZ", 1],
      ["+385916242494", "explode-in-test Long message", "EXPLODE-IN-TEST", null, 2],
    ]);
    expect(stored[0]).toMatchObject({ priceAmount: "0", priceCurrency: "EUR", callbackData: "callbackData", providerTimestamp: new Date("2016-10-06T09:28:39.220Z") });
  });
});

describe("incomplete messages", () => {
  it("marks a message incomplete 24 hours after its first part, and a reused reference starts a new one", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    const deliver = (id: string, udh: string, body: string, receivedAt: Date) =>
      ingestDelivery(prisma, {
        providerSegment: "rakuten",
        token,
        method: "POST",
        headers: new Headers({ "content-type": "application/json" }),
        url: new URL(`http://moshi.test/api/webhooks/rakuten/${token}`),
        body: JSON.stringify({ sender_address: "817012345678", destination_address: "815012345678", content_type: "text", message_id: id, udh, message_body: body }),
        receivedAt,
      });
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    expect((await deliver("old-1", "050003AA0201", "first half ", dayAgo)).status).toBe(200);
    expect(await messages(number.id)).toMatchObject([{ status: "PARTIAL", text: "first half  …", partsReceived: 1, partsExpected: 2 }]);

    // Today the sender reuses reference 0xAA for a new two-part message.
    expect((await deliver("new-2", "050003AA0202", "world", new Date())).status).toBe(200);
    expect((await deliver("new-1", "050003AA0201", "hello ", new Date())).status).toBe(200);
    expect((await messages(number.id)).map((m) => [m.status, m.text])).toEqual([
      ["INCOMPLETE", "first half  …"],
      ["COMPLETE", "hello world"],
    ]);
  });
});

describe("opt-out keywords", () => {
  it("marks the sender opted out on STOP and back in on START", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    const text = (id: string, body: string) =>
      send("rakuten", token, { body: JSON.stringify({ ...rakutenSingle, message_id: id, message_body: body }), contentType: "application/json" });
    const conversation = () => prisma.conversation.findFirstOrThrow({ where: { phoneNumberId: number.id } });
    await text("c-1", "Hello there");
    expect((await conversation()).optedOutAt).toBeNull();
    await text("c-2", "stop.");
    expect((await conversation()).optedOutAt).toEqual(expect.any(Date));
    await text("c-3", "STOPPED by the shop today");
    expect((await conversation()).optedOutAt).toEqual(expect.any(Date));
    await text("c-4", "Start");
    expect((await conversation()).optedOutAt).toBeNull();
  });
});
