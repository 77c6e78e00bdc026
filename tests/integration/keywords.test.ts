import { afterAll, describe, expect, it } from "vitest";
import { countKeywordsOverTime, createTeamKeyword, deleteTeamKeyword, listRecentKeywords, listTeamKeywords, listTopKeywords, recomputeKeywords } from "@/lib/data/keywords";
import { createNumber, findNumberForIngest } from "@/lib/data/numbers";
import { readInboxFilter } from "@/lib/inbox";
import { resolveReportFilters } from "@/lib/periods";
import { ingestDelivery, processDelivery } from "@/lib/sms/ingest";
import { firstWord } from "@/lib/sms/keyword";
import { asRawDelivery, buildDeliveries } from "@/lib/sms/simulate";
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

  it("ranks the first meaningful words: greetings, pronouns and question words no longer appear", async () => {
    const { team } = await seedTeam();
    const { token } = await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: "+12192259404", label: "V" });
    const at = new Date(Date.UTC(2026, 5, 1, 10));
    // Replies of every kind, as the demo's numbers get them: English, Croatian, German, Japanese.
    const texts = [
      "Hi, my order #48213 says delivered but I can't find it",
      "Hi, where is my order?",
      "Is my order on the way?",
      "Thank you so much for the birthday coupon!! 🎂🎉",
      "Kada je izvlačenje?",
      "Koji je kod za popust?",
      "Hvala, kupon radi!",
      "Guten Tag, ist die Bestellung 48290 schon unterwegs?",
      "Hallo, kann ich die Bestellung noch ändern?",
      "Ich habe eine Frage",
      "こんにちは。注文した商品がまだ届いていません。",
      "お世話になっております。注文番号は20931です。",
      "Yes please",
      "YES",
      "Thanks!",
      "SALE",
      "Hi SALE please",
    ];
    for (const [i, text] of texts.entries()) {
      await receive(prisma, token, { provider: "VONAGE", from: `4477009000${String(i).padStart(2, "0")}`, to: "12192259404", text }, new Date(at.getTime() + i * 60_000));
    }
    const top = await listTopKeywords(prisma, { teamId: team.id, from: at, to: new Date(at.getTime() + DAY) });
    expect(top.map((k) => [k.keyword, k.count])).toEqual([
      ["ORDER", 3],
      ["BESTELLUNG", 2],
      ["SALE", 2],
      ["YES", 2],
      ["注文", 2],
      ["BIRTHDAY", 1],
      ["FRAGE", 1],
      ["IZVLAČENJE", 1],
      ["KOD", 1],
      ["KUPON", 1],
      // A text of nothing but stop words keeps its first word.
      ["THANKS", 1],
    ]);
    for (const word of ["I", "JUST", "THANK", "HI", "KADA", "KOJI", "HVALA", "GUTEN", "HALLO", "ICH", "こんにちは", "お世話"]) {
      expect(top.map((k) => k.keyword)).not.toContain(word);
    }
    // The inbox finds them by the word as typed.
    const { filter } = readInboxFilter({ keyword: "order!" }, []);
    expect(filter.keyword).toBe("ORDER");
    expect(readInboxFilter({ keyword: "thanks" }, []).filter.keyword).toBe("THANKS");
  });

  it("decides consent on the first word, as before: STOP opts out, a later stop does not", async () => {
    const { team } = await seedTeam();
    const { token } = await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: "+12192259404", label: "V" });
    const at = new Date(Date.UTC(2026, 5, 1, 10));
    const texts = { "447700900101": "Stop.", "447700900102": "Please stop texting me", "447700900103": "Hi, STOP", "447700900104": "STOP please" };
    for (const [from, text] of Object.entries(texts)) await receive(prisma, token, { provider: "VONAGE", from, to: "12192259404", text }, at);
    const threads = await prisma.conversation.findMany({ where: { teamId: team.id }, select: { sender: true, optedOutAt: true, messages: { select: { keyword: true } } }, orderBy: { sender: "asc" } });
    expect(threads.map((t) => [t.sender, t.optedOutAt !== null, t.messages[0]!.keyword])).toEqual([
      ["+447700900101", true, "STOP"],
      ["+447700900102", false, "TEXTING"],
      ["+447700900103", false, "HI"],
      ["+447700900104", true, "STOP"],
    ]);
    // The keyword STOP is exactly the opt-outs.
    expect(await listTopKeywords(prisma, { teamId: team.id, from: at, to: new Date(at.getTime() + DAY) })).toContainEqual({ keyword: "STOP", count: 2, previousCount: 0 });
  });

  it("never skips a keyword the team has named, whichever way the message comes in", async () => {
    const named = await seedTeam();
    const other = await seedTeam();
    await createTeamKeyword(prisma, { teamId: named.team.id, word: "hello", label: "Campaign", color: "sky" });
    const at = new Date(Date.UTC(2026, 5, 1, 10));
    const keywordsOf = async (teamId: string) => (await prisma.message.findMany({ where: { teamId }, orderBy: { receivedAt: "asc" }, select: { keyword: true } })).map((m) => m.keyword);
    for (const { team } of [named, other]) {
      const { token, number } = await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: "+12192259404", label: "V" });
      // Through the webhook (the number found by its token)…
      await receive(prisma, token, { provider: "VONAGE", from: "447700900001", to: "12192259404", text: "Hello, I want the coupon" }, at);
      // …and as the numbers page's test message or a replay sends it (the number found by id).
      const ingest = (await findNumberForIngest(prisma, { teamId: team.id, numberId: number.id }))!;
      const [request] = buildDeliveries({ provider: "VONAGE", from: "447700900002", to: "12192259404", text: "Oh hello!", now: new Date(at.getTime() + 1000) });
      expect((await processDelivery(prisma, ingest, { raw: asRawDelivery(request!, `http://moshi.test/api/webhooks/vonage/${token}`), receivedAt: new Date(at.getTime() + 1000) })).status).toBe(200);
    }
    expect(await keywordsOf(named.team.id)).toEqual(["HELLO", "HELLO"]);
    expect(await keywordsOf(other.team.id)).toEqual(["COUPON", "OH"]);
  });

  it("recomputes the keywords stored under the first-word rule, complete messages only, and leaves consent alone", async () => {
    const { team } = await seedTeam();
    const other = await seedTeam();
    await createTeamKeyword(prisma, { teamId: team.id, word: "HI", label: "Greeting campaign", color: "sky" });
    const at = new Date(Date.UTC(2026, 5, 1, 10));
    for (const { team: t } of [{ team }, other]) {
      const { token } = await createNumber(prisma, { teamId: t.id, provider: "VONAGE", e164: "+12192259404", label: "V" });
      const texts = ["Hi, my order is late", "Thank you so much for the coupon", "Please stop texting me", "STOP", "Kada je izvlačenje?", "SALE"];
      for (const [i, text] of texts.entries()) await receive(prisma, token, { provider: "VONAGE", from: `44770090000${i}`, to: "12192259404", text }, new Date(at.getTime() + i * 1000));
      // A long message still missing its second part.
      await receive(prisma, token, { provider: "VONAGE", from: "447700900009", to: "12192259404", text: `I wonder ${"where my parcel went ".repeat(12)}`, parts: 2 }, new Date(at.getTime() + 10_000), { onlyParts: [1] });
    }
    const now = async (teamId: string) => (await prisma.message.findMany({ where: { teamId }, orderBy: { receivedAt: "asc" }, select: { text: true, keyword: true, status: true } })).map((m) => [m.status, m.keyword]);
    const expected = { [team.id]: await now(team.id), [other.team.id]: await now(other.team.id) };
    expect(expected[team.id]!.slice(0, 6).map(([, k]) => k)).toEqual(["HI", "COUPON", "TEXTING", "STOP", "IZVLAČENJE", "SALE"]);
    expect(expected[other.team.id]!.slice(0, 6).map(([, k]) => k)).toEqual(["ORDER", "COUPON", "TEXTING", "STOP", "IZVLAČENJE", "SALE"]);
    const optedOut = await prisma.conversation.findMany({ where: { teamId: { in: [team.id, other.team.id] } }, select: { id: true, optedOutAt: true }, orderBy: { id: "asc" } });

    // As if stored before the rule changed: every keyword the first word.
    const messages = await prisma.message.findMany({ where: { teamId: { in: [team.id, other.team.id] } }, select: { id: true, text: true } });
    for (const m of messages) await prisma.message.update({ where: { id: m.id }, data: { keyword: firstWord(m.text) } });

    expect(await recomputeKeywords(prisma, { teamId: other.team.id, batchSize: 4 })).toEqual({ read: 6, changed: 4 });
    expect(await now(other.team.id)).toEqual(expected[other.team.id]!.map(([status, keyword]) => [status, status === "PARTIAL" ? "I" : keyword]));
    expect(await now(team.id)).not.toEqual(expected[team.id]);
    // (Each team on its own: the suite's other teams share this database.)
    expect(await recomputeKeywords(prisma, { teamId: team.id })).toEqual({ read: 6, changed: 3 });
    expect(await now(team.id)).toEqual(expected[team.id]!.map(([status, keyword]) => [status, status === "PARTIAL" ? "I" : keyword]));
    // Nothing left to change; consent as it was.
    for (const teamId of [team.id, other.team.id]) expect(await recomputeKeywords(prisma, { teamId })).toMatchObject({ changed: 0 });
    expect(await prisma.conversation.findMany({ where: { teamId: { in: [team.id, other.team.id] } }, select: { id: true, optedOutAt: true }, orderBy: { id: "asc" } })).toEqual(optedOut);
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
