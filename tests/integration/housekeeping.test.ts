import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/cron/housekeeping/route";
import { createNumber } from "@/lib/data/numbers";
import { sqlPool } from "@/lib/db";
import { KEEP, runHousekeeping } from "@/lib/housekeeping";
import { applyRetention } from "@/lib/retention";
import { prisma, seedTeam } from "../helpers/db";

// Retention applies to every team, and other test files keep data of their own in this database
// at all sorts of dates: here it is only checked to be called (tests/integration/retention.test.ts
// runs it, team by team).
vi.mock("@/lib/retention", () => ({
  applyRetention: vi.fn(async () => ({ bodiesCleared: 0, messagesDeleted: 0, conversationsDeleted: 0, deliveriesDeleted: 0, eventsDeleted: 0 })),
}));

afterAll(() => prisma.$disconnect());

describe("housekeeping", () => {
  it("removes what has outlived its use, by age, and keeps the rest", async () => {
    const now = new Date("2031-01-15T12:00:00.000Z");
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const { team } = await seedTeam();
    const { number } = await createNumber(prisma, { teamId: team.id, provider: "PLIVO", e164: "+12025550143", label: "Plivo" });
    const email = `housekeeping-${team.id}@example.test`;
    await prisma.signatureNonce.createMany({
      data: [
        { phoneNumberId: number.id, key: "old", requestHash: "a", firstSeenAt: ago(KEEP.signatureNonces + 60_000) },
        { phoneNumberId: number.id, key: "recent", requestHash: "b", firstSeenAt: ago(KEEP.signatureNonces - 60_000) },
      ],
    });
    await prisma.signInAttempt.createMany({
      data: [
        { email, succeeded: false, createdAt: ago(KEEP.signInAttempts + 60_000) },
        { email, succeeded: true, createdAt: ago(60_000) },
      ],
    });
    const bucket = `housekeeping:${team.id}`;
    await prisma.rateLimitBucket.createMany({
      data: [
        { key: `${bucket}:old`, windowStart: ago(KEEP.rateLimitBuckets + 60_000), count: 3 },
        { key: `${bucket}:current`, windowStart: ago(60_000), count: 1 },
      ],
    });

    const removed = await runHousekeeping(sqlPool(prisma), now);
    expect(removed.signatureNonces).toBeGreaterThanOrEqual(1);
    // Each team's retention runs in the same job, on the same clock.
    expect(applyRetention).toHaveBeenCalledWith(sqlPool(prisma), now);
    expect((await prisma.signatureNonce.findMany({ where: { phoneNumberId: number.id } })).map((n) => n.key)).toEqual(["recent"]);
    expect((await prisma.signInAttempt.findMany({ where: { email } })).map((a) => a.succeeded)).toEqual([true]);
    expect((await prisma.rateLimitBucket.findMany({ where: { key: { startsWith: bucket } } })).map((b) => b.key)).toEqual([`${bucket}:current`]);

    // Nothing left to do: a second run removes none of these.
    const again = await runHousekeeping(sqlPool(prisma), now);
    expect(await prisma.signatureNonce.count({ where: { phoneNumberId: number.id } })).toBe(1);
    expect(again.signatureNonces).toBe(0);
  });

  describe("the cron route", () => {
    const saved = process.env.CRON_SECRET;
    afterEach(() => {
      if (saved === undefined) delete process.env.CRON_SECRET;
      else process.env.CRON_SECRET = saved;
    });

    it("is shut without CRON_SECRET, refuses a wrong bearer, and runs with the right one", async () => {
      delete process.env.CRON_SECRET;
      expect((await GET(new Request("http://moshi.test/api/cron/housekeeping", { headers: { authorization: "Bearer x" } }))).status).toBe(404);
      process.env.CRON_SECRET = "cron-secret-for-tests-0123456789";
      expect((await GET(new Request("http://moshi.test/api/cron/housekeeping", { headers: { authorization: "Bearer wrong" } }))).status).toBe(401);
      const response = await GET(new Request("http://moshi.test/api/cron/housekeeping", { headers: { authorization: "Bearer cron-secret-for-tests-0123456789" } }));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: true, removed: { signatureNonces: expect.any(Number), signInAttempts: expect.any(Number), rateLimitBuckets: expect.any(Number), retention: expect.any(Object) } });
    });
  });
});
