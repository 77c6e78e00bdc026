/**
 * Input that used to lose messages or stall the server, sent through the real route handler:
 * text PostgreSQL cannot store, huge batches, parts resent under new ids, unreadable secrets,
 * bodies that never end, methods no provider uses, and log lines forged through the path.
 */
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { DELETE, GET, HEAD, OPTIONS, POST } from "@/app/api/webhooks/[provider]/[token]/route";
import { createNumber } from "@/lib/data/numbers";
import { createPrismaClient } from "@/lib/db";
import type { Provider } from "@/lib/generated/prisma/enums";
import { ingestDelivery, MAX_REASON_LENGTH, processDelivery } from "@/lib/sms/ingest";
import { prisma, seedTeam } from "../helpers/db";

afterAll(() => prisma.$disconnect());
afterEach(() => vi.restoreAllMocks());

const handlers = { GET, POST, OPTIONS, HEAD, DELETE };

type Call = { method?: keyof typeof handlers; query?: Record<string, string>; body?: string | Uint8Array | ReadableStream; contentType?: string };

async function send(provider: string, token: string, { method = "POST", query, body, contentType = "application/json" }: Call = {}) {
  const url = new URL(`http://moshi.test/api/webhooks/${provider}/${token}`);
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
  const init: RequestInit & { duplex?: "half" } = { method, headers: { "content-type": contentType } };
  if (method !== "GET" && method !== "HEAD" && body !== undefined) {
    init.body = body as BodyInit;
    if (body instanceof ReadableStream) init.duplex = "half";
  }
  const response = await handlers[method](new Request(url, init), { params: Promise.resolve({ provider, token }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function numberFor(provider: Provider, e164: string, signature?: { method: "SHA256"; secret: string }) {
  const { team } = await seedTeam();
  return { team, ...(await createNumber(prisma, { teamId: team.id, provider, e164, label: provider, credentials: signature && { signatureMethod: signature.method, signatureSecret: signature.secret } })) };
}

const deliveriesOf = (phoneNumberId: string) => prisma.delivery.findMany({ where: { phoneNumberId }, orderBy: { receivedAt: "asc" } });
const messagesOf = (phoneNumberId: string) => prisma.message.findMany({ where: { phoneNumberId }, orderBy: [{ receivedAt: "asc" }, { id: "asc" }] });

const rakuten = (fields: Record<string, unknown>) =>
  JSON.stringify({ message_id: "rk-1", sender_address: "817012345678", destination_address: "815012345678", content_type: "text", udh: "", message_body: "Hi", ...fields });

describe("text PostgreSQL cannot store", () => {
  it("stores a message whose text holds U+0000, shows it as U+FFFD with a warning, and keeps the raw body byte for byte", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    const body = rakuten({ message_body: "A\u0000B" });
    expect(body).toContain("\\u0000");
    expect((await send("rakuten", token, { body })).status).toBe(200);
    const [message] = await messagesOf(number.id);
    expect(message).toMatchObject({ text: "A\uFFFDB", status: "COMPLETE" });
    expect(message!.warnings.join(" ")).toMatch(/NUL/);
    const [delivery] = await deliveriesOf(number.id);
    expect(Buffer.from(delivery!.body).toString("utf8")).toBe(body);
  });

  it("records a body with a raw 0x00 byte and invalid UTF-8 exactly as it arrived", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    const bytes = new Uint8Array([...Buffer.from('{"message_id":"x'), 0x00, 0xff, 0xfe, ...Buffer.from('"}')]);
    const answer = await send("rakuten", token, { body: bytes });
    expect(answer.status).toBe(400);
    const [delivery] = await deliveriesOf(number.id);
    expect(delivery).toMatchObject({ status: 400, outcome: "REJECTED", reasonCode: "invalid_payload" });
    expect([...delivery!.body]).toEqual([...bytes]);
  });

  it("stores UCS-2 hex 0000 and Infobip's text=%00", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    expect((await send("rakuten", token, { body: rakuten({ content_type: "unicode", message_body: "00410000" }) })).status).toBe(200);
    expect(await messagesOf(number.id)).toMatchObject([{ text: "A\uFFFD", encoding: "UCS2" }]);

    const infobip = await numberFor("INFOBIP", "+385921004026");
    const query = { messageId: "ib-nul", from: "385911234567", to: "385921004026", text: "\u0000" };
    expect((await send("infobip", infobip.token, { method: "GET", query })).status).toBe(200);
    expect(await messagesOf(infobip.number.id)).toMatchObject([{ text: "\uFFFD" }]);
  });

  it("joins a unicode message whose emoji is split between two JSON parts, whole", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    const part = (index: number, text: string) => rakuten({ message_id: `split-${index}`, content_type: "unicode", udh: `0500030A020${index}`, message_body: text });
    // JSON.stringify writes a lone surrogate as an escape, as a provider's serializer would.
    expect(part(1, "こ\uD83D")).toContain("\\ud83d");
    expect((await send("rakuten", token, { body: part(2, "\uDE00!") })).status).toBe(200);
    expect((await send("rakuten", token, { body: part(1, "こ\uD83D") })).status).toBe(200);
    const [message] = await messagesOf(number.id);
    expect(message).toMatchObject({ text: "こ😀!", status: "COMPLETE", partsReceived: 2, warnings: [] });
  });

  it("keeps lone surrogates in ids and addresses apart instead of failing the transaction", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    expect((await send("rakuten", token, { body: rakuten({ message_id: "\ud800" }) })).status).toBe(200);
    expect((await send("rakuten", token, { body: rakuten({ message_id: "\ud801", sender_address: "81701234\u0000" }) })).status).toBe(200);
    // The same odd id again is a retry.
    expect((await send("rakuten", token, { body: rakuten({ message_id: "\ud800" }) })).json).toMatchObject({ stored: 0, duplicates: 1 });
    const messages = await messagesOf(number.id);
    expect(messages).toHaveLength(2);
    expect(messages[1]!.from).toBe("81701234\uFFFD");
    expect(messages[1]!.warnings.join(" ")).toMatch(/sender/);
    const parts = await prisma.messagePart.findMany({ where: { phoneNumberId: number.id }, orderBy: { receivedAt: "asc" } });
    expect(new Set(parts.map((p) => p.providerMessageId)).size).toBe(2);
  });
});

describe("batches and reasons", () => {
  const result = (i: number) => ({ messageId: `ib-${i}`, from: `38591${String(i).padStart(7, "0")}`, to: "385921004026", text: `QUIZ ${i}`, receivedAt: "2026-11-30T10:00:00.000+0000" });

  it("refuses 20,000 empty results with 413 and a short recorded reason, without validating them", async () => {
    const { number, token } = await numberFor("INFOBIP", "+385921004026");
    const answer = await send("infobip", token, { body: JSON.stringify({ results: Array.from({ length: 20_000 }, () => ({})) }) });
    expect(answer.status).toBe(413);
    const [delivery] = await deliveriesOf(number.id);
    expect(delivery).toMatchObject({ status: 413, reasonCode: "too_many_messages" });
    expect(delivery!.reason!.length).toBeLessThan(300);
  });

  it("names a few problems of a large invalid batch and counts the rest", async () => {
    const { number, token } = await numberFor("INFOBIP", "+385921004026");
    const answer = await send("infobip", token, { body: JSON.stringify({ results: Array.from({ length: 1000 }, () => ({ text: 1 })) }) });
    expect(answer.status).toBe(400);
    const [delivery] = await deliveriesOf(number.id);
    expect(delivery!.reason!.length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
    expect(delivery!.reason).toMatch(/Missing results\[0\]\.messageId.*and \d+ more problems/);
  });

  it("stores a batch of 1,000 messages, and absorbs its retry", async () => {
    const { number, token } = await numberFor("INFOBIP", "+385921004026");
    const body = JSON.stringify({ results: Array.from({ length: 1000 }, (_, i) => result(i)), messageCount: 1000, pendingMessageCount: 0 });
    expect((await send("infobip", token, { body })).json).toEqual({ ok: true, stored: 1000, duplicates: 0 });
    expect((await send("infobip", token, { body })).json).toEqual({ ok: true, stored: 0, duplicates: 1000 });
    expect(await prisma.message.count({ where: { phoneNumberId: number.id } })).toBe(1000);
    expect(await prisma.conversation.count({ where: { phoneNumberId: number.id, messageCount: 1 } })).toBe(1000);
  });

  it("counts a message repeated inside one batch once, and applies the sender's last consent keyword", async () => {
    const { number, token } = await numberFor("INFOBIP", "+385921004026");
    const sender = "385911111111";
    const body = JSON.stringify({
      results: [
        { ...result(1), from: sender, text: "hello" },
        { ...result(1), from: sender, text: "hello" },
        { ...result(2), from: sender, text: "STOP" },
      ],
    });
    expect((await send("infobip", token, { body })).json).toEqual({ ok: true, stored: 2, duplicates: 1 });
    const conversation = await prisma.conversation.findFirstOrThrow({ where: { phoneNumberId: number.id } });
    expect(conversation).toMatchObject({ messageCount: 2, optedOutAt: expect.any(Date) });
  });
});

describe("a part resent under a new id", () => {
  it("after its message completed, is a copy, not a phantom partial message", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    const part = (id: string, index: number, text: string) => rakuten({ message_id: id, udh: `0500030B020${index}`, message_body: text });
    await send("rakuten", token, { body: part("a1", 1, "Hello ") });
    await send("rakuten", token, { body: part("a2", 2, "world") });
    const resent = await send("rakuten", token, { body: part("b2", 2, "world") });
    expect(resent.json).toEqual({ ok: true, stored: 0, duplicates: 1 });
    expect(await messagesOf(number.id)).toMatchObject([{ text: "Hello world", status: "COMPLETE" }]);
    const log = await deliveriesOf(number.id);
    expect(log.at(-1)).toMatchObject({ outcome: "DUPLICATE", reason: expect.stringMatching(/resent under a new id/) });

    // The same reference with other content is a new message, as a phone reuses references.
    await send("rakuten", token, { body: part("c1", 1, "Second ") });
    expect(await messagesOf(number.id)).toMatchObject([{ text: "Hello world" }, { text: "Second  …", status: "PARTIAL" }]);
  });
});

describe("secrets that cannot be read", () => {
  it("records the delivery with the reason and answers 503 so the provider retries", async () => {
    const { number, token } = await numberFor("VONAGE", "+12192259404", { method: "SHA256", secret: "s3cret" });
    await prisma.phoneNumber.update({ where: { id: number.id }, data: { credentials: "v1.AAAA.BBBB.CCCC" } });
    const answer = await send("vonage", token, { method: "GET", query: { msisdn: "14845552121", to: "12192259404", messageId: "v-1", text: "hi", type: "text" } });
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBeTruthy();
    const [delivery] = await deliveriesOf(number.id);
    expect(delivery).toMatchObject({ status: 503, outcome: "REJECTED", reasonCode: "secret_unreadable", reason: expect.stringMatching(/credentials cannot be read/) });
  });
});

describe("methods, bodies and logs", () => {
  it("answers OPTIONS, HEAD and DELETE with 405 and records each", async () => {
    const { number, token } = await numberFor("RAKUTEN", "+815012345678");
    for (const method of ["OPTIONS", "HEAD", "DELETE"] as const) {
      const answer = await send("rakuten", token, { method });
      expect(answer.status).toBe(405);
      expect(answer.headers.get("allow")).toBe("POST");
    }
    expect((await deliveriesOf(number.id)).map((d) => [d.method, d.status, d.reasonCode])).toEqual([
      ["OPTIONS", 405, "method_not_allowed"],
      ["HEAD", 405, "method_not_allowed"],
      ["DELETE", 405, "method_not_allowed"],
    ]);
  });

  it("answers an unknown token without reading a body that never ends, and closes the connection", async () => {
    const neverEnds = new ReadableStream({ start() {} });
    const answer = await send("rakuten", "no-such-token", { body: neverEnds });
    expect(answer.status).toBe(404);
    expect(answer.headers.get("connection")).toBe("close");
  });

  it("records a body that does not finish in time as 408, and one cut short as broken", async () => {
    const { number } = await numberFor("RAKUTEN", "+815012345678");
    const base = { providerSegment: "rakuten", method: "POST", headers: new Headers(), url: new URL("http://moshi.test/x"), receivedAt: new Date() };
    const stored = await prisma.phoneNumber.findUniqueOrThrow({ where: { id: number.id } });
    void stored;
    const { token } = await numberFor("RAKUTEN", "+815012345679");
    const timeout = await ingestDelivery(prisma, { ...base, token, readBody: async () => ({ kind: "timeout" }) });
    expect(timeout).toMatchObject({ status: 408, closeConnection: true });
    const broken = await ingestDelivery(prisma, { ...base, token, readBody: async () => ({ kind: "broken" }) });
    expect(broken).toMatchObject({ status: 400, closeConnection: true });
  });

  it("escapes request-controlled text in log lines", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await send("rakuten\n[webhook] 200: forged", "t");
    const line = warn.mock.calls.map((call) => call.join(" ")).join("\n");
    expect(line).toContain("unknown provider");
    expect(line).not.toContain("\n[webhook] 200");
    expect(line).toContain("\\n[webhook] 200: forged");
  });
});

describe("when the log cannot be written", () => {
  it("answers 503 while the database is unreachable, and says why in the server log", async () => {
    const { number } = await numberFor("RAKUTEN", "+815012345678");
    const away = createPrismaClient("postgresql://postgres@127.0.0.1:1/none");
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const ingestNumber = { id: number.id, teamId: number.id, provider: "RAKUTEN" as const, e164: number.e164, credentialsSealed: null, namedKeywords: [] };
      const answer = await processDelivery(away, ingestNumber, {
        raw: { method: "POST", contentType: "application/json", headers: {}, query: new URLSearchParams(), body: "not json" },
        receivedAt: new Date(),
      });
      expect(answer.status).toBe(503);
      expect(error.mock.calls.map((call) => call.join(" ")).join("\n")).toMatch(/could not record a 400 \(invalid_payload\)/);
    } finally {
      await away.$disconnect();
    }
  });
});
