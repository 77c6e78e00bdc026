import { afterAll, describe, expect, it } from "vitest";
import { POST, GET } from "@/app/api/webhooks/[provider]/[token]/route";
import { createNumber } from "@/lib/data/numbers";
import type { Provider } from "@/lib/generated/prisma/enums";
import type { RawDelivery } from "@/lib/sms/types";
import { readHttpFixture, readJsonFixture } from "../helpers/http-fixture";
import { prisma, seedTeam } from "../helpers/db";

afterAll(() => prisma.$disconnect());

/** Replays a fixture request through the real route handler, on the number's own URL. */
async function deliver(provider: string, token: string, raw: RawDelivery) {
  const url = new URL(`http://moshi.test/api/webhooks/${provider}/${token}`);
  url.search = raw.query.toString();
  const headers = new Headers(raw.headers);
  if (raw.contentType) headers.set("content-type", raw.contentType);
  const handler = raw.method === "GET" ? GET : POST;
  const response = await handler(new Request(url, { method: raw.method, headers, body: raw.method === "GET" ? undefined : raw.body }), {
    params: Promise.resolve({ provider, token }),
  });
  return response.status;
}

const json = (body: unknown): RawDelivery => ({ method: "POST", contentType: "application/json", headers: {}, query: new URLSearchParams(), body: JSON.stringify(body) });

async function number(provider: Provider, e164: string, signature?: { method: "MD5HASH"; secret: string }) {
  const { team } = await seedTeam();
  return createNumber(prisma, { teamId: team.id, provider, e164, label: "Fixture", credentials: signature && { signatureMethod: signature.method, signatureSecret: signature.secret } });
}

const stored = (phoneNumberId: string) =>
  prisma.message.findMany({
    where: { phoneNumberId },
    orderBy: [{ receivedAt: "asc" }, { from: "asc" }],
    select: { from: true, to: true, text: true, binaryHex: true, keyword: true, status: true, encoding: true, partsReceived: true },
  });

describe("every provider fixture stores what a person reading it expects", () => {
  it("Vonage: the 3-part sequence with a retried part becomes one message, one duplicate", async () => {
    const { number: n, token } = await number("VONAGE", "+447700900000");
    const fixture = readJsonFixture<{ calls: Record<string, string>[]; expected_text: string }>("vonage/derived-concat-sequence.json");
    for (const call of fixture.calls) expect(await deliver("vonage", token, json(call))).toBe(200);
    expect(await stored(n.id)).toEqual([
      { from: "+447700900001", to: "+447700900000", text: fixture.expected_text, binaryHex: null, keyword: "BIG", status: "COMPLETE", encoding: "GSM7", partsReceived: 3 },
    ]);
    const outcomes = await prisma.delivery.groupBy({ by: ["outcome"], where: { phoneNumberId: n.id }, _count: true });
    expect(Object.fromEntries(outcomes.map((o) => [o.outcome, o._count]))).toEqual({ STORED: 3, DUPLICATE: 1 });
  });

  it("Vonage: the signed GET, form and JSON captures verify and store the same message once", async () => {
    const { number: n, token } = await number("VONAGE", "+12192259404", { method: "MD5HASH", secret: "my_secret_key_for_testing" });
    for (const name of ["derived-signed-get", "derived-signed-post-form", "derived-signed-post-json"]) {
      expect(await deliver("vonage", token, readHttpFixture(`vonage/${name}.http`)), name).toBe(200);
    }
    expect(await stored(n.id)).toEqual([
      { from: "+14843472194", to: "+12192259404", text: "Test with & and =", binaryHex: null, keyword: "TEST", status: "COMPLETE", encoding: "GSM7", partsReceived: 1 },
    ]);
  });

  it("Vonage: the SDK's binary capture keeps its data and UDH; the invalid capture is refused with a reason", async () => {
    const { number: n, token } = await number("VONAGE", "+16105553939");
    expect(await deliver("vonage", token, readHttpFixture("vonage/php-sdk-inbound-binary.http"))).toBe(200);
    expect(await deliver("vonage", token, readHttpFixture("vonage/php-sdk-invalid.http"))).toBe(400);
    expect(await stored(n.id)).toEqual([
      { from: "+14845552121", to: "+16105553939", text: null, binaryHex: "ea0601ae02056a0045c60c037761702e6f7a656b692e6875000801034f7a656b69000101", keyword: null, status: "COMPLETE", encoding: "BINARY", partsReceived: 1 },
    ]);
    const part = await prisma.messagePart.findFirstOrThrow({ where: { phoneNumberId: n.id } });
    expect(part.udhHex?.toUpperCase()).toBe("0605040B8423F0");
    const rejected = await prisma.delivery.findFirstOrThrow({ where: { phoneNumberId: n.id, outcome: "REJECTED" } });
    expect(rejected.reason).toMatch(/msisdn/);
  });

  it("Vonage: the SDK's unsigned JSON capture (no content type) is stored", async () => {
    const { number: n, token } = await number("VONAGE", "+16105553939");
    const raw = readHttpFixture("vonage/php-sdk-json.http");
    expect(raw.contentType).toBeNull();
    expect(await deliver("vonage", token, raw)).toBe(200);
    expect(await stored(n.id)).toMatchObject([{ text: "Test this.", from: "+14845552121" }]);
  });

  it("Rakuten: the single message and the 8-bit UDH parts arriving out of order", async () => {
    const { number: n, token } = await number("RAKUTEN", "+815012345678");
    expect(await deliver("rakuten", token, json(readJsonFixture("rakuten/derived-single.json")))).toBe(200);
    const concat = readJsonFixture<{ calls: unknown[]; expected_text: string }>("rakuten/derived-concat-8bit.json");
    for (const call of concat.calls) expect(await deliver("rakuten", token, json(call))).toBe(200);
    expect((await stored(n.id)).map((m) => [m.text, m.status, m.partsReceived])).toEqual([
      ["Hello", "COMPLETE", 1],
      [concat.expected_text, "COMPLETE", 3],
    ]);
  });

  it("Infobip: the official payload and the two-result batch, replayed whole, store each message once", async () => {
    const { number: n, token } = await number("INFOBIP", "+385921004026");
    const batch = readJsonFixture("infobip/derived-batch-2-results.json");
    expect(await deliver("infobip", token, json(readJsonFixture("infobip/official-mo_json_2.json")))).toBe(200);
    expect(await deliver("infobip", token, json(batch))).toBe(200);
    expect(await deliver("infobip", token, json(batch))).toBe(200);
    // The batch's first result has the official payload's messageId: it is the same message.
    const messages = await stored(n.id);
    expect(messages.map((m) => [m.from, m.keyword])).toEqual([
      ["+385916242493", "QUIZ"],
      ["+385916242494", "LONG"],
    ]);
  });
});
