/**
 * What `npm run sms:send` sends, for every provider and every one of its formats, unsigned and
 * signed with the number's credentials, goes through the ingestion pipeline and is stored as
 * one whole message: the simulator speaks every inbound format Moshi reads.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createNumber, findNumberForIngest } from "@/lib/data/numbers";
import type { Provider } from "@/lib/generated/prisma/enums";
import { processDelivery } from "@/lib/sms/ingest";
import { RFC8032_PUBLISHED_TEST_KEY } from "@/lib/sms/providers/telnyx";
import { adapters, pathSegmentOf, PROVIDERS } from "@/lib/sms/registry";
import { buildDeliveries } from "@/lib/sms/simulate";
import { prisma, seedTeam } from "../helpers/db";

afterAll(() => prisma.$disconnect());

/**
 * Valid credentials for each provider, by the field names of its module's schema: `number` is
 * what the number is saved with, `simulate` what the simulator signs with (Telnyx signs with the
 * published RFC 8032 test key's private half, which no number holds). Null: the provider does
 * not sign.
 */
const SAMPLE_CREDENTIALS = {
  RAKUTEN: null,
  INFOBIP: null,
  VONAGE: { number: { signatureMethod: "SHA256", signatureSecret: "sms-send-signature-secret" } },
  TWILIO: { number: { authToken: "9f86d081884c7d659a2feaa0c55ad015" } },
  TELNYX: {
    number: { publicKey: RFC8032_PUBLISHED_TEST_KEY.publicKey },
    simulate: { publicKey: RFC8032_PUBLISHED_TEST_KEY.publicKey, privateKey: RFC8032_PUBLISHED_TEST_KEY.privateKey },
  },
  PLIVO: { number: { authToken: "MjY2ZTU0YTJjNjI2ZmNkNmZkZjRmYzA1YmMxODM0" } },
  SINCH: { number: { signingSecret: "sms-send-signing-secret" } },
} satisfies Record<Provider, { number: Record<string, unknown>; simulate?: Record<string, unknown> } | null>;

const FROM = "447700900001";
// Unicode, so that parts split inside characters; long enough to take three parts anywhere.
const TEXT = "Hello from Moshi! こんにちは 👋 Your table for two is booked for Friday at 19:30; reply STOP to opt out.";

type Case = { provider: Provider; format: string; signed: boolean };
const CASES: Case[] = PROVIDERS.flatMap((provider) =>
  adapters[provider].formats.flatMap((format) => [
    { provider, format, signed: false },
    ...(SAMPLE_CREDENTIALS[provider] ? [{ provider, format, signed: true }] : []),
  ]),
);

describe("the sample credentials", () => {
  it.each(PROVIDERS)("%s: name exactly the module's credential fields, and pass its schema", (provider) => {
    const schema = adapters[provider].credentials as unknown as { shape: Record<string, unknown>; safeParse(value: unknown): { success: boolean } };
    const sample = SAMPLE_CREDENTIALS[provider];
    expect(Object.keys(sample?.number ?? {}).sort()).toEqual(Object.keys(schema.shape).sort());
    if (sample) expect(schema.safeParse(sample.number).success).toBe(true);
  });

  it("cover every provider's every format", () => {
    const formats = new Set(CASES.map((c) => `${c.provider}/${c.format}`));
    expect([...formats].sort()).toEqual(
      [
        "RAKUTEN/json",
        "INFOBIP/json",
        "VONAGE/form",
        "VONAGE/get",
        "VONAGE/json",
        "VONAGE/messages",
        "TWILIO/form",
        "TWILIO/get",
        "TELNYX/json",
        "PLIVO/form",
        "PLIVO/get",
        "SINCH/text",
        "SINCH/binary",
      ].sort(),
    );
  });
});

describe("sms:send's requests through the pipeline", () => {
  it.each(CASES)("$provider as $format (signed: $signed) is stored as one whole message", async ({ provider, format, signed }) => {
    const adapter = adapters[provider];
    const sample = signed ? SAMPLE_CREDENTIALS[provider] : null;
    const to = adapter.exampleNumber;
    const { team } = await seedTeam();
    const created = await createNumber(prisma, { teamId: team.id, provider, e164: to, label: `${provider} ${format}`, credentials: sample?.number ?? null });
    const number = (await findNumberForIngest(prisma, { teamId: team.id, numberId: created.number.id }))!;
    const url = `https://moshi.example.com/api/webhooks/${pathSegmentOf(provider)}/${created.token}`;

    const requests = buildDeliveries({
      provider,
      format,
      from: FROM,
      to,
      text: TEXT,
      parts: 3,
      credentials: sample ? (("simulate" in sample ? sample.simulate : undefined) ?? sample.number) : null,
      url,
    });
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((request) => Boolean(request.signed) === signed)).toBe(true);

    // Last part first: reassembly must not depend on order.
    for (const request of requests.toReversed()) {
      const headers = new Headers(request.headers);
      if (request.contentType) headers.set("content-type", request.contentType);
      const response = await processDelivery(prisma, number, {
        raw: {
          method: request.method,
          contentType: request.contentType,
          headers: Object.fromEntries(headers),
          query: request.query,
          body: request.body ?? "",
          urls: [url],
        },
        receivedAt: new Date(),
      });
      expect(response, JSON.stringify(response.body)).toMatchObject({ status: 200, body: { ok: true, stored: 1, duplicates: 0 } });
    }

    const stored = await prisma.message.findMany({ where: { phoneNumberId: number.id } });
    expect(stored).toHaveLength(1);
    const binary = stored[0]!.encoding === "BINARY";
    expect(stored[0]).toMatchObject({
      from: `+${FROM}`,
      to,
      status: "COMPLETE",
      partsReceived: requests.length,
      ...(binary ? { text: null, binaryHex: Buffer.from(TEXT, "utf8").toString("hex") } : { text: TEXT, encoding: "UCS2" }),
    });
    // Only Sinch's binary format carries the text as octets.
    expect(binary).toBe(provider === "SINCH" && format === "binary");
    const log = await prisma.delivery.findMany({ where: { phoneNumberId: number.id } });
    expect(log.map((d) => [d.status, d.outcome, d.signed, d.toMismatch])).toEqual(requests.map(() => [200, "STORED", signed, false]));
  });
});
