import { afterAll, describe, expect, it } from "vitest";
import { countKeywordsByDay, createTeamKeyword, deleteTeamKeyword, listTeamKeywords, listTopKeywords } from "@/lib/data/keywords";
import { createNumber } from "@/lib/data/numbers";
import { ingestDelivery } from "@/lib/sms/ingest";
import { prisma, seedTeam } from "../helpers/db";

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

    const trend = await countKeywordsByDay(prisma, range, ["STOP", "JOIN"]);
    // Seven days from midday to midday touch eight calendar days.
    expect(trend).toHaveLength(8);
    expect(trend.find((d) => d.day === "2026-11-19")).toEqual({ day: "2026-11-19", STOP: 1, JOIN: 1 });
    expect(trend.reduce((sum, d) => sum + (d.STOP as number), 0)).toBe(2);
    expect(number.id).toBeTruthy();

    const other = await seedTeam();
    expect(await listTopKeywords(prisma, { ...range, teamId: other.team.id })).toEqual([]);
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
});
