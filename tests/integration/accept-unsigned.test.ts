import { afterAll, describe, expect, it } from "vitest";
import { createNumber } from "@/lib/data/numbers";
import { ingestDelivery } from "@/lib/sms/ingest";
import { acceptRefusedDeliveries, acceptWithoutSignature } from "@/lib/sms/replay";
import { prisma, seedTeam } from "../helpers/db";

afterAll(() => prisma.$disconnect());

/** A team whose Vonage number has a secret the provider no longer signs with. */
async function refusedSetup() {
  const { team, user } = await seedTeam();
  const { number, token } = await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: "+12192259404", label: "V", credentials: { signatureMethod: "SHA256", signatureSecret: "the-new-secret" } });
  const deliver = (messageId: string, extra: Record<string, string> = {}, receivedAt = new Date()) =>
    ingestDelivery(prisma, {
      providerSegment: "vonage",
      token,
      method: "GET",
      headers: new Headers(),
      url: new URL(`http://moshi.test/api/webhooks/vonage/${token}?${new URLSearchParams({ msisdn: "14843472194", to: "12192259404", messageId, text: `Hello ${messageId}`, type: "text", sig: "0".repeat(64), ...extra })}`),
      body: "",
      receivedAt,
    });
  return { team, user, number, deliver };
}

describe("accepting deliveries refused for their signature", () => {
  it("stores one, records who accepted it and when, and stays idempotent", async () => {
    const { team, user, number, deliver } = await refusedSetup();
    const refused = await deliver("m-1");
    expect(refused.status).toBe(401);

    const accepted = await acceptWithoutSignature(prisma, { teamId: team.id, deliveryId: refused.deliveryId!, userId: user.id });
    expect(accepted).toMatchObject({ status: 200, body: { stored: 1, duplicates: 0 } });
    const replay = await prisma.delivery.findUniqueOrThrow({ where: { id: accepted.deliveryId! } });
    expect(replay).toMatchObject({ replayOfId: refused.deliveryId, acceptedUnsignedById: user.id, acceptedUnsignedAt: expect.any(Date), outcome: "STORED", signed: false });

    expect((await acceptWithoutSignature(prisma, { teamId: team.id, deliveryId: refused.deliveryId!, userId: user.id })).body).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await prisma.message.count({ where: { phoneNumberId: number.id } })).toBe(1);
  });

  it("refuses to accept what was not refused for its signature, and another team's delivery", async () => {
    const { team, user, deliver } = await refusedSetup();
    const malformed = await deliver("m-2", { type: "nonsense" });
    // The signature is checked first, so make a delivery refused for its content instead.
    expect(malformed.status).toBe(401);
    const other = await seedTeam();
    await expect(acceptWithoutSignature(prisma, { teamId: other.team.id, deliveryId: malformed.deliveryId!, userId: other.user.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const stored = await acceptWithoutSignature(prisma, { teamId: team.id, deliveryId: malformed.deliveryId!, userId: user.id });
    expect(stored.status).toBe(400);
    await expect(acceptWithoutSignature(prisma, { teamId: team.id, deliveryId: stored.deliveryId!, userId: user.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("accepts every refused delivery of a number in a period once", async () => {
    const { team, user, number, deliver } = await refusedSetup();
    const base = Date.now() - 60 * 60 * 1000;
    for (let i = 0; i < 3; i++) await deliver(`b-${i}`, {}, new Date(base + i * 1000));
    await deliver("b-later", {}, new Date(base + 10 * 60 * 1000));
    const period = { teamId: team.id, phoneNumberId: number.id, since: new Date(base), until: new Date(base + 5 * 60 * 1000), userId: user.id };

    expect(await acceptRefusedDeliveries(prisma, period)).toEqual({ accepted: 3, stored: 3, duplicates: 0, failed: 0, remaining: false });
    expect(await acceptRefusedDeliveries(prisma, period)).toEqual({ accepted: 0, stored: 0, duplicates: 0, failed: 0, remaining: false });
    const texts = (await prisma.message.findMany({ where: { phoneNumberId: number.id }, orderBy: { text: "asc" } })).map((m) => m.text);
    expect(texts).toEqual(["Hello b-0", "Hello b-1", "Hello b-2"]);
    // Another team's number id finds nothing.
    const other = await seedTeam();
    expect((await acceptRefusedDeliveries(prisma, { ...period, teamId: other.team.id, userId: other.user.id })).accepted).toBe(0);
  });
});
