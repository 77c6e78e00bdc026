import { afterAll, describe, expect, it } from "vitest";
import { countKeywordsOverTime, createTeamKeyword, deleteTeamKeyword, listRecentKeywords, listTeamKeywords, listTopKeywords } from "@/lib/data/keywords";
import { createNumber } from "@/lib/data/numbers";
import { resolveReportFilters } from "@/lib/periods";
import { ingestDelivery } from "@/lib/sms/ingest";
import { prisma, seedTeam } from "../helpers/db";
import { receive } from "../helpers/receive";

afterAll(() => prisma.$disconnect());

const DAY = 86_400_000;

describe("keywords", () => {
  it("ranks first words over a period, compares with the period before, and trends per day", async () => {
    const { team } = await seedTeam();
    const { token, number } = await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164: "+815012345678", label: "R" });
    const now = new Date(Date.UTC(2026, 10, 20, 12));
    let n = 0;
    const text = (body: string, daysAgo: number) =>
      ingestDelivery(prisma, {
        providerSegment: "rakuten",
        token,
        method: "POST",
        headers: new Headers({ "content-type": "application/json" }),
        url: new URL(`http://moshi.test/api/webhooks/rakuten/${token}`),
        body: JSON.stringify({ message_id: `k-${n++}`, sender_address: "817012345678", destination_address: "815012345678", content_type: "text", udh: "", message_body: body }),
        receivedAt: new Date(now.getTime() - daysAgo * DAY),
      });
    for (const [body, daysAgo] of [["STOP", 1], ["stop now", 2], ["Join me", 1], ["JOIN", 10], ["JOIN", 9], ["JOIN", 8], ["Hello", 3]] as const) await text(body, daysAgo);

    const range = { teamId: team.id, from: new Date(now.getTime() - 7 * DAY), to: now };
    expect(await listTopKeywords(prisma, range)).toEqual([
      { keyword: "STOP", count: 2, previousCount: 0 },
      { keyword: "HELLO", count: 1, previousCount: 0 },
      { keyword: "JOIN", count: 1, previousCount: 3 },
    ]);
    expect(await listTopKeywords(prisma, { ...range, phoneNumberId: "another-number" })).toEqual([]);

    const trend = await countKeywordsOverTime(prisma, range, ["STOP", "JOIN"], "day");
    // Seven days from midday to midday touch eight calendar days.
    expect(trend).toHaveLength(8);
    expect(trend.find((d) => d.start === "2026-11-19")).toEqual({ start: "2026-11-19", counts: { STOP: 1, JOIN: 1 } });
    expect(trend.reduce((sum, d) => sum + d.counts.STOP!, 0)).toBe(2);
    expect(number.id).toBeTruthy();

    const other = await seedTeam();
    expect(await listTopKeywords(prisma, { ...range, teamId: other.team.id })).toEqual([]);
  });

  it("counts a custom range's first and last days whole, and nothing either side of them", async () => {
    const { team } = await seedTeam();
    const { token } = await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164: "+815012345678", label: "R" });
    let n = 0;
    const text = (body: string, at: string) =>
      ingestDelivery(prisma, {
        providerSegment: "rakuten",
        token,
        method: "POST",
        headers: new Headers({ "content-type": "application/json" }),
        url: new URL(`http://moshi.test/api/webhooks/rakuten/${token}`),
        body: JSON.stringify({ message_id: `c-${n++}`, sender_address: "817012345678", destination_address: "815012345678", content_type: "text", udh: "", message_body: body }),
        receivedAt: new Date(at),
      });
    await text("SALE", "2026-11-09T23:59:59.999Z"); // the last moment before the range: the previous period
    await text("SALE", "2026-11-10T00:00:00.000Z"); // the range's first moment
    await text("SALE", "2026-11-12T09:30:00.000Z");
    await text("SALE", "2026-11-16T23:59:59.999Z"); // the range's last moment
    await text("SALE", "2026-11-17T00:00:00.000Z"); // the day after: outside
    await text("セール 開催中", "2026-11-16T23:00:00.000Z");
    await text("SALE", "2026-11-03T00:00:00.000Z"); // the previous seven days' first moment
    await text("SALE", "2026-11-02T23:59:59.999Z"); // before the previous period too

    const filters = resolveReportFilters({ period: "custom", from: "2026-11-10", to: "2026-11-16" }, [], new Date("2026-11-20T12:00:00Z"));
    expect(filters).toMatchObject({ period: "custom", bucket: "day", customError: null });
    const range = { teamId: team.id, from: filters.from, to: filters.to };
    expect(await listTopKeywords(prisma, range)).toEqual([
      { keyword: "SALE", count: 3, previousCount: 2 },
      { keyword: "セール", count: 1, previousCount: 0 },
    ]);

    const trend = await countKeywordsOverTime(prisma, range, ["SALE"], filters.bucket);
    expect(trend.map((d) => [d.start, d.counts.SALE])).toEqual([
      ["2026-11-10", 1],
      ["2026-11-11", 0],
      ["2026-11-12", 1],
      ["2026-11-13", 0],
      ["2026-11-14", 0],
      ["2026-11-15", 0],
      ["2026-11-16", 1],
    ]);

    // One day is charted per hour: 24 buckets, the messages in their UTC hours.
    const oneDay = resolveReportFilters({ period: "custom", from: "2026-11-16", to: "2026-11-16" }, [], new Date("2026-11-20T12:00:00Z"));
    expect(oneDay.bucket).toBe("hour");
    const hours = await countKeywordsOverTime(prisma, { teamId: team.id, from: oneDay.from, to: oneDay.to }, ["SALE", "セール"], oneDay.bucket);
    expect(hours).toHaveLength(24);
    expect(hours.filter((h) => h.counts.SALE! + h.counts["セール"]! > 0)).toEqual([{ start: "2026-11-16T23:00Z", counts: { SALE: 1, セール: 1 } }]);
    expect(await listTopKeywords(prisma, { teamId: team.id, from: oneDay.from, to: oneDay.to })).toEqual([
      { keyword: "SALE", count: 1, previousCount: 0 },
      { keyword: "セール", count: 1, previousCount: 0 },
    ]);
  });

  it("names keywords once per team, upper-cased, and deletes only the team's own", async () => {
    const { team } = await seedTeam();
    const other = await seedTeam();
    const { id } = await createTeamKeyword(prisma, { teamId: team.id, word: "join", label: "New subscriber", color: "green" });
    await expect(createTeamKeyword(prisma, { teamId: team.id, word: "JOIN", label: "Again", color: "red" })).rejects.toMatchObject({ code: "CONFLICT" });
    await createTeamKeyword(prisma, { teamId: other.team.id, word: "JOIN", label: "Theirs", color: "red" });
    expect(await listTeamKeywords(prisma, team.id)).toEqual([{ id, word: "JOIN", label: "New subscriber", color: "green" }]);
    await expect(deleteTeamKeyword(prisma, { teamId: other.team.id, keywordId: id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await deleteTeamKeyword(prisma, { teamId: team.id, keywordId: id });
    expect(await listTeamKeywords(prisma, team.id)).toEqual([]);
  });

  it("suggests the keywords of the newest messages, most used first", async () => {
    const { team } = await seedTeam();
    const { token } = await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: "+12192259404", label: "V" });
    const texts = ["old news", "yes", "Yes!", "no", "help me", "yes please"];
    for (const [i, text] of texts.entries()) {
      await receive(prisma, token, { provider: "VONAGE", from: `44770090000${i}`, to: "12192259404", text }, new Date(Date.UTC(2026, 5, 1, 10, i)));
    }
    expect(await listRecentKeywords(prisma, team.id)).toEqual(["YES", "HELP", "NO", "OLD"]);
    // Only the newest messages count: the oldest one falls out of a sample of five.
    expect(await listRecentKeywords(prisma, team.id, { sample: 5 })).toEqual(["YES", "HELP", "NO"]);
    expect(await listRecentKeywords(prisma, team.id, { take: 1 })).toEqual(["YES"]);
    expect(await listRecentKeywords(prisma, (await seedTeam()).team.id)).toEqual([]);
  });
});
