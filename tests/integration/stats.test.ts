import { afterAll, describe, expect, it } from "vitest";
import { createNumber } from "@/lib/data/numbers";
import { resolveReportFilters } from "@/lib/periods";
import {
  countDeliveriesOverTime,
  countMessagesOverTime,
  countRejectionsByReason,
  listLastMessagePerNumber,
  summarizeByNumber,
  summarizeByProvider,
} from "@/lib/data/stats";
import { ingestDelivery } from "@/lib/sms/ingest";
import { prisma, seedTeam } from "../helpers/db";
import { receive } from "../helpers/receive";

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
    const days = await countDeliveriesOverTime(prisma, range, "day");
    expect(days.map((d) => [d.start, d.deliveries, d.stored, d.duplicates, d.rejected])).toEqual([
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
    expect((await countDeliveriesOverTime(prisma, { ...range, teamId: other.team.id }, "day")).every((d) => d.deliveries === 0)).toBe(true);
  });

  it("counts exactly the deliveries inside a custom range, per day, or per hour for a short one", async () => {
    const { team } = await seedTeam();
    const { token } = await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: "+12192259404", label: "V" });
    let n = 0;
    const deliver = (at: string) =>
      ingestDelivery(prisma, {
        providerSegment: "vonage",
        token,
        method: "GET",
        headers: new Headers(),
        url: new URL(`http://moshi.test/api/webhooks/vonage/${token}?${new URLSearchParams({ msisdn: "447700900001", to: "12192259404", messageId: `c-${n++}`, text: "Hi", type: "text" })}`),
        body: "",
        receivedAt: new Date(at),
      });
    await deliver("2026-02-27T23:59:59.999Z"); // just before
    await deliver("2026-02-28T00:00:00.000Z"); // first moment
    await deliver("2026-03-01T13:45:00.000Z");
    await deliver("2026-03-01T23:59:59.999Z"); // last moment
    await deliver("2026-03-02T00:00:00.000Z"); // just after

    const now = new Date("2026-03-05T08:00:00Z");
    const twoDays = resolveReportFilters({ period: "custom", from: "2026-02-28", to: "2026-03-01" }, [], now);
    expect(twoDays).toMatchObject({ period: "custom", bucket: "hour", customError: null });
    const range = { teamId: team.id, from: twoDays.from, to: twoDays.to };
    const [summary] = await summarizeByProvider(prisma, range);
    expect(summary).toMatchObject({ deliveries: 3, messages: 3 });
    const hours = await countDeliveriesOverTime(prisma, range, twoDays.bucket);
    expect(hours).toHaveLength(48);
    expect(hours.filter((h) => h.deliveries > 0).map((h) => [h.start, h.stored])).toEqual([
      ["2026-02-28T00:00Z", 1],
      ["2026-03-01T13:00Z", 1],
      ["2026-03-01T23:00Z", 1],
    ]);

    const week = resolveReportFilters({ period: "custom", from: "2026-02-25", to: "2026-03-03" }, [], now);
    const days = await countDeliveriesOverTime(prisma, { teamId: team.id, from: week.from, to: week.to }, week.bucket);
    expect(days.map((d) => [d.start, d.deliveries])).toEqual([
      ["2026-02-25", 0],
      ["2026-02-26", 0],
      ["2026-02-27", 1],
      ["2026-02-28", 1],
      ["2026-03-01", 2],
      ["2026-03-02", 1],
      ["2026-03-03", 0],
    ]);
  });

  it("splits the figures per number, and messages over time per provider", async () => {
    const { team } = await seedTeam();
    const v = await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: "+12192259404", label: "V" });
    const r = await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164: "+815012345678", label: "R" });
    const i = await createNumber(prisma, { teamId: team.id, provider: "INFOBIP", e164: "+385921004026", label: "I" });
    const day1 = new Date("2026-06-10T10:00:00Z");
    const day2 = new Date("2026-06-11T10:00:00Z");
    await receive(prisma, v.token, { provider: "VONAGE", from: "447700900001", to: "12192259404", text: "one" }, day1);
    await receive(prisma, v.token, { provider: "VONAGE", from: "447700900001", to: "12192259404", text: "x".repeat(400), parts: 3 }, day2);
    await receive(prisma, r.token, { provider: "RAKUTEN", from: "819012345678", to: "815012345678", text: "二つ" }, day2);
    await receive(prisma, r.token, { provider: "RAKUTEN", from: "819012345679", to: "815012345678", text: "y".repeat(300), parts: 2 }, day2, { onlyParts: [1] });

    const range = { teamId: team.id, from: new Date("2026-06-10T00:00:00Z"), to: new Date("2026-06-12T00:00:00Z") };
    const byNumber = await summarizeByNumber(prisma, range);
    const of = (id: string) => byNumber.find((row) => row.phoneNumberId === id);
    expect(of(v.number.id)).toMatchObject({ deliveries: 4, messages: 2, multipart: 1, rejected: 0 });
    expect(of(r.number.id)).toMatchObject({ deliveries: 2, messages: 2, multipart: 1 });
    // A number without traffic in the period has no row.
    expect(of(i.number.id)).toBeUndefined();
    expect(await summarizeByNumber(prisma, { ...range, phoneNumberId: r.number.id })).toHaveLength(1);

    const days = await countMessagesOverTime(prisma, range, "day");
    expect(days.map((d) => [d.start, d.messages, d.VONAGE, d.RAKUTEN, d.INFOBIP, d.multipart])).toEqual([
      ["2026-06-10", 1, 1, 0, 0, 0],
      ["2026-06-11", 3, 1, 2, 0, 2],
    ]);
    const other = await seedTeam();
    expect((await countMessagesOverTime(prisma, { ...range, teamId: other.team.id }, "day")).every((d) => d.messages === 0)).toBe(true);
    expect(await summarizeByNumber(prisma, { ...range, teamId: other.team.id })).toEqual([]);
  });
});
