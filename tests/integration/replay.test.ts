import { afterAll, describe, expect, it } from "vitest";
import { createNumber, updateNumber } from "@/lib/data/numbers";
import { ingestDelivery } from "@/lib/sms/ingest";
import { replayDelivery } from "@/lib/sms/replay";
import { prisma, seedTeam } from "../helpers/db";

afterAll(() => prisma.$disconnect());

describe("replaying a stored delivery", () => {
  it("adds nothing for a stored message, and stores a once-rejected one after the setup is fixed", async () => {
    const { team } = await seedTeam();
    const { number, token } = await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: "+12192259404", label: "V", credentials: { signatureMethod: "SHA256", signatureSecret: "wrong-secret" } });
    const deliver = (query: Record<string, string>) =>
      ingestDelivery(prisma, {
        providerSegment: "vonage",
        token,
        method: "GET",
        headers: new Headers(),
        url: new URL(`http://moshi.test/api/webhooks/vonage/${token}?${new URLSearchParams(query)}`),
        body: "",
        receivedAt: new Date(),
      });
    // The official vector, signed md5hash with my_secret_key_for_testing: refused under the wrong secret.
    const signed = {
      keyword: "TEST",
      "message-timestamp": "2017-04-04 22:57:47",
      messageId: "0B00000042AC53BD",
      msisdn: "14843472194",
      nonce: "929d6744-bd28-42c8-b6cf-31d5b4f43732",
      sig: "e06d9763e3fd0b9c31beb5fc2fcb011c",
      text: "Test with & and =",
      timestamp: "1491346667",
      to: "12192259404",
      type: "text",
    };
    const refused = await deliver(signed);
    expect(refused.status).toBe(401);

    await updateNumber(prisma, { teamId: team.id, numberId: number.id, label: "V", credentials: { signatureMethod: "MD5HASH", signatureSecret: "my_secret_key_for_testing" } });
    const replay = await replayDelivery(prisma, { teamId: team.id, deliveryId: refused.deliveryId! });
    expect(replay).toMatchObject({ status: 200, body: { stored: 1 } });
    const again = await replayDelivery(prisma, { teamId: team.id, deliveryId: refused.deliveryId! });
    expect(again).toMatchObject({ status: 200, body: { stored: 0, duplicates: 1 } });

    expect(await prisma.message.count({ where: { phoneNumberId: number.id } })).toBe(1);
    const replays = await prisma.delivery.findMany({ where: { replayOfId: refused.deliveryId }, orderBy: { receivedAt: "asc" } });
    expect(replays.map((d) => d.outcome)).toEqual(["STORED", "DUPLICATE"]);
    expect(replays[0]!.query).toBe(new URLSearchParams(signed).toString());

    const other = await seedTeam();
    await expect(replayDelivery(prisma, { teamId: other.team.id, deliveryId: refused.deliveryId! })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
