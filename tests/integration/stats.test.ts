import { afterAll, describe, expect, it } from "vitest";
import { createNumber } from "@/lib/data/numbers";
import { countDeliveriesByDay, countRejectionsByReason, listLastMessagePerNumber, summarizeByProvider } from "@/lib/data/stats";
import { ingestDelivery } from "@/lib/sms/ingest";
import { prisma, seedTeam } from "../helpers/db";

afterAll(() => prisma.$disconnect());

const DAY = 86_400_000;

describe("statistics", () => {
  it("counts deliveries by day and outcome, retries, rejections, lag and silent numbers per team", async () => {
    const { team } = await seedTeam();
    const vonage = await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: "+12192259404", label: "V" });
    const quiet = await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164: "+815012345678", label: "Quiet" });
    const today = new Date(Date.UTC(2026, 10, 20, 12));
    const yesterday = new Date(today.getTime() - DAY);
    const deliver = (query: Record<string, string>, receivedAt: Date) =>
      ingestDelivery(prisma, {
        providerSegment: "vonage",
        token: vonage.token,
        method: "GET",
        headers: new Headers(),
        url: new URL(`http://moshi.test/api/webhooks/vonage/${vonage.token}?${new URLSearchParams(query)}`),
        body: "",
        receivedAt,
      });
    const message = (id: string, sentSecondsBefore: number, at: Date) => ({
      msisdn: "447700900001",
      to: "12192259404",
      messageId: id,
      text: "Hi",
      type: "text",
      "message-timestamp": new Date(at.getTime() - sentSecondsBefore * 1000).toISOString().slice(0, 19).replace("T", " "),
    });
    await deliver(message("m1", 2, yesterday), yesterday);
    await deliver(message("m1", 2, yesterday), yesterday); // retry
    await deliver(message("m2", 4, today), today);
    await deliver(message("m3", 10, today), today);
    await deliver({ to: "12192259404" }, today); // rejected: missing fields

    const range = { teamId: team.id, from: new Date(yesterday.getTime() - DAY), to: new Date(today.getTime() + DAY) };
    const days = await countDeliveriesByDay(prisma, range);
    expect(days.map((d) => [d.day, d.deliveries, d.stored, d.duplicates, d.rejected])).toEqual([
      ["2026-11-18", 0, 0, 0, 0],
      ["2026-11-19", 2, 1, 1, 0],
      ["2026-11-20", 3, 2, 0, 1],
      ["2026-11-21", 0, 0, 0, 0],
    ]);

    const [summary] = await summarizeByProvider(prisma, range);
    expect(summary).toMatchObject({ provider: "VONAGE", deliveries: 5, duplicates: 1, retryRate: 0.2, rejected: 1, messages: 3, multipart: 0, incomplete: 0 });
    expect(summary!.lagMedianSeconds).toBeCloseTo(4, 0);
    expect(summary!.lagP95Seconds).toBeGreaterThan(8);

    const rejections = await countRejectionsByReason(prisma, range);
    expect(rejections).toEqual([{ status: 400, reason: expect.stringMatching(/msisdn/), count: 1 }]);

    const silence = await listLastMessagePerNumber(prisma, team.id);
    expect(silence.map((n) => [n.label, n.lastMessageAt])).toEqual([
      ["V", today],
      ["Quiet", null],
    ]);
    expect(quiet.number.id).toBeTruthy();

    // Another team sees none of it.
    const other = await seedTeam();
    expect(await summarizeByProvider(prisma, { ...range, teamId: other.team.id })).toEqual([]);
    expect((await countDeliveriesByDay(prisma, { ...range, teamId: other.team.id })).every((d) => d.deliveries === 0)).toBe(true);
  });
});
