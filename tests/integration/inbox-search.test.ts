import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countUnreadConversations,
  escapeLike,
  exportMessages,
  listConversations,
  markConversationRead,
  type ListConversationsOptions,
} from "@/lib/data/conversations";
import { createNumber } from "@/lib/data/numbers";
import type { Prisma } from "@/lib/generated/prisma/client";
import { readInboxFilter } from "@/lib/inbox";
import type { SimulatedMessage } from "@/lib/sms/simulate";
import { prisma, seedTeam } from "../helpers/db";
import { receive } from "../helpers/receive";

afterAll(() => prisma.$disconnect());

const T0 = new Date("2026-05-01T09:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

type Sent = Omit<SimulatedMessage, "now" | "provider" | "to">;

/** The ids of every conversation the filter finds, following cursors to the end. */
async function everyMatch(options: ListConversationsOptions) {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: Awaited<ReturnType<typeof listConversations>> = await listConversations(prisma, { ...options, cursor });
    ids.push(...page.items.map((c) => c.id));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return ids;
}

async function exported(options: Parameters<typeof exportMessages>[1]) {
  const batches: number[] = [];
  const rows = [];
  for await (const batch of exportMessages(prisma, options)) {
    batches.push(batch.length);
    rows.push(...batch);
  }
  return { rows, batches };
}

describe("inbox search, keyword filter and export", () => {
  let teamId: string;
  let userId: string;
  let otherTeamId: string;
  let vonage: { id: string; token: string };
  let rakuten: { id: string; token: string };
  let minute = 0;

  const viaVonage = (sent: Sent) => receive(prisma, vonage.token, { provider: "VONAGE", to: "12192259404", ...sent }, minutes(minute++));
  const viaRakuten = (sent: Sent) => receive(prisma, rakuten.token, { provider: "RAKUTEN", to: "815012345678", ...sent }, minutes(minute++));
  const conversationOf = async (sender: string) =>
    (await prisma.conversation.findFirstOrThrow({ where: { teamId, sender }, select: { id: true } })).id;

  beforeAll(async () => {
    ({ team: { id: teamId }, user: { id: userId } } = await seedTeam("Search team"));
    const v = await createNumber(prisma, { teamId, provider: "VONAGE", e164: "+12192259404", label: "US line" });
    const r = await createNumber(prisma, { teamId, provider: "RAKUTEN", e164: "+815012345678", label: "Tokyo" });
    vonage = { id: v.number.id, token: v.token };
    rakuten = { id: r.number.id, token: r.token };

    // 30 customers answer a campaign, each in one message; every third says "Yes!" with a refund question.
    for (let i = 0; i < 30; i++) {
      const from = `4477009${String(i).padStart(5, "0")}`;
      await viaVonage({ from, text: i % 3 === 0 ? `Yes! And can I get a REFUND for order ${i}?` : `no thanks ${i}` });
    }
    // Wildcards typed literally, Japanese, a long message matched far from its start, and a
    // later message in a thread that does not match (the snippet must still show the match).
    await viaVonage({ from: "14845550001", text: "Is the 50% off still on?" });
    await viaVonage({ from: "14845550002", text: "I got 500 off last time" });
    await viaVonage({ from: "14845550003", text: "my user name is snake_case" });
    await viaVonage({ from: "14845550004", text: "my user name is snakeXcase" });
    await viaRakuten({ from: "819012345678", text: "予約を変更したいです" });
    await viaRakuten({ from: "819012345678", text: "よろしくお願いします" });
    await viaVonage({ from: "14845550005", text: `${"Lorem ipsum dolor sit amet. ".repeat(20)}The parcel never arrived, please refund me.`, parts: 3 });

    // Another team with the very same words must never show up.
    otherTeamId = (await seedTeam("Other team")).team.id;
    const o = await createNumber(prisma, { teamId: otherTeamId, provider: "VONAGE", e164: "+12192259405", label: "Theirs" });
    await receive(prisma, o.token, { provider: "VONAGE", from: "447700900000", to: "12192259405", text: "Yes! refund 50% 予約 snake_case" }, minutes(minute++));
  }, 120_000);

  it("finds conversations by text anywhere in any message, case-insensitively, page after page", async () => {
    const expected = await prisma.conversation.findMany({
      where: { teamId, messages: { some: { text: { contains: "refund", mode: "insensitive" } } } },
      orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    expect(expected).toHaveLength(11);
    expect(await everyMatch({ teamId, search: "refund", take: 4 })).toEqual(expected.map((c) => c.id));
    expect(await everyMatch({ teamId, search: "REFUND", take: 50 })).toHaveLength(11);
  });

  it("shows the matching message, from a little before the match", async () => {
    const { items } = await listConversations(prisma, { teamId, search: "parcel never" });
    expect(items).toHaveLength(1);
    const snippet = items[0]!.latest!.snippet!;
    expect(snippet.startsWith("…")).toBe(true);
    expect(snippet).toContain("The parcel never arrived");

    // The thread's latest message says nothing of 予約, but the one that does is shown.
    const japanese = await listConversations(prisma, { teamId, search: "予約" });
    expect(japanese.items.map((c) => c.latest?.snippet)).toEqual(["予約を変更したいです"]);
    expect((await listConversations(prisma, { teamId })).items.find((c) => c.sender === "+819012345678")?.latest?.snippet).toBe("よろしくお願いします");
  });

  it("takes % and _ literally", async () => {
    const percent = await listConversations(prisma, { teamId, search: "50% off" });
    expect(percent.items.map((c) => c.sender)).toEqual(["+14845550001"]);
    const underscore = await listConversations(prisma, { teamId, search: "snake_case" });
    expect(underscore.items.map((c) => c.sender)).toEqual(["+14845550003"]);
  });

  it("filters by keyword, the way keywords are stored (punctuation off, upper-case)", async () => {
    const yes = await everyMatch({ teamId, keyword: "YES", take: 3 });
    expect(yes).toHaveLength(10);
    const fromUrl = readInboxFilter({ keyword: "yes!" }, []).filter;
    expect(fromUrl.keyword).toBe("YES");
    expect(await everyMatch({ teamId, ...fromUrl })).toEqual(yes);
    expect(await everyMatch({ teamId, keyword: "MAYBE" })).toEqual([]);
  });

  it("combines keyword, search, number and unread filters", async () => {
    // "no thanks 1" and 10 to 19, without the multiples of three (those said YES).
    expect(await everyMatch({ teamId, keyword: "NO", search: "thanks 1" })).toHaveLength(8);
    expect(await everyMatch({ teamId, search: "予約", phoneNumberId: vonage.id })).toEqual([]);
    expect(await everyMatch({ teamId, search: "予約", provider: "RAKUTEN" })).toHaveLength(1);

    const read = await conversationOf("+447700900000");
    await markConversationRead(prisma, { teamId, userId, conversationId: read });
    const unreadYes = await everyMatch({ teamId, userId, keyword: "YES", unreadOnly: true });
    expect(unreadYes).toHaveLength(9);
    expect(unreadYes).not.toContain(read);
  });

  it("counts unread conversations under the filter, up to a cap when it searches messages", async () => {
    const unreadYes = await prisma.conversation.count({ where: { teamId, reads: { none: { userId } }, messages: { some: { keyword: "YES" } } } });
    expect(unreadYes).toBeGreaterThan(3);
    expect(await countUnreadConversations(prisma, { teamId, userId, keyword: "YES" })).toEqual({ count: unreadYes, capped: false });
    expect(await countUnreadConversations(prisma, { teamId, userId, keyword: "YES", cap: unreadYes })).toEqual({ count: unreadYes, capped: false });
    expect(await countUnreadConversations(prisma, { teamId, userId, keyword: "YES", cap: unreadYes - 1 })).toEqual({ count: unreadYes - 1, capped: true });
    expect(await countUnreadConversations(prisma, { teamId, userId, search: "refund", cap: 3 })).toEqual({ count: 3, capped: true });
    expect(await countUnreadConversations(prisma, { teamId, userId, search: "nobody wrote this" })).toEqual({ count: 0, capped: false });

    // Without a keyword or search nothing is searched, and the count is exact whatever the cap.
    const unread = await prisma.conversation.count({ where: { teamId, reads: { none: { userId } } } });
    expect(await countUnreadConversations(prisma, { teamId, userId, cap: 3 })).toEqual({ count: unread, capped: false });
    expect(await countUnreadConversations(prisma, { teamId: otherTeamId, search: "refund", cap: 3 })).toEqual({ count: 1, capped: false });
  });

  it("never shows another team's messages", async () => {
    for (const search of ["refund", "50%", "予約", "snake_case"]) {
      const ids = await everyMatch({ teamId: otherTeamId, search });
      expect(ids, search).toHaveLength(1);
      const own = await everyMatch({ teamId, search });
      expect(own, search).not.toContain(ids[0]);
    }
  });

  it("exports every message the filter finds, newest first, in batches", async () => {
    const all = await exported({ teamId, batchSize: 7 });
    const count = await prisma.message.count({ where: { teamId } });
    expect(all.rows).toHaveLength(count);
    expect(all.batches.every((n) => n <= 7)).toBe(true);
    expect(new Set(all.rows.map((r) => r.id)).size).toBe(count);
    const times = all.rows.map((r) => r.receivedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const refunds = await exported({ teamId, search: "refund", batchSize: 4 });
    expect(refunds.rows).toHaveLength(11);
    expect(refunds.rows.every((r) => r.text?.toLowerCase().includes("refund"))).toBe(true);
    expect(refunds.rows.find((r) => r.from === "+14845550005")).toMatchObject({ partsExpected: 3, partsReceived: 3, status: "COMPLETE" });

    const yes = await exported({ teamId, keyword: "YES" });
    expect(yes.rows.map((r) => r.keyword)).toEqual(Array(10).fill("YES"));
    expect((await exported({ teamId, provider: "RAKUTEN" })).rows.map((r) => r.text)).toEqual(["よろしくお願いします", "予約を変更したいです"]);
    expect((await exported({ teamId: otherTeamId })).rows).toHaveLength(1);
  });
});

describe("searches of 2 characters", () => {
  // They go through the index of the doubled text (lib/data/conversations.ts): the answers must
  // be exactly those of a plain case-insensitive ILIKE on the text, which the reference gives.
  let teamId: string;
  let userId: string;
  let vonage: { id: string; token: string };
  let minute = 0;
  const texts = [
    "お世話になっております。",
    "いつもお世話様です",
    "世界",
    "話す",
    "予約をお願いします",
    "ああああ、そうですか",
    "あ あ",
    "RE: your order",
    "Please reply",
    "rEd is fine",
    "Order 50% off",
    "snake_case",
    "snakeXcase",
    "back\\slash",
    "aab",
    "ba",
    "Straße",
    "İstanbul",
    "Ｒｅ：全角",
    "no match here",
  ];

  const reference = async (search: string, extra: Prisma.ConversationWhereInput = {}, message: Prisma.MessageWhereInput = {}) =>
    (
      await prisma.conversation.findMany({
        where: { teamId, ...extra, messages: { some: { ...message, text: { contains: escapeLike(search), mode: "insensitive" } } } },
        orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
        select: { id: true },
      })
    ).map((c) => c.id);

  beforeAll(async () => {
    ({ team: { id: teamId }, user: { id: userId } } = await seedTeam("Short search team"));
    const v = await createNumber(prisma, { teamId, provider: "VONAGE", e164: "+12192259410", label: "US line" });
    const r = await createNumber(prisma, { teamId, provider: "RAKUTEN", e164: "+815012345610", label: "Tokyo" });
    vonage = { id: v.number.id, token: v.token };
    for (const [i, text] of texts.entries()) {
      const onVonage = i % 2 === 0;
      await receive(
        prisma,
        onVonage ? v.token : r.token,
        { provider: onVonage ? "VONAGE" : "RAKUTEN", from: `4477008${String(i).padStart(5, "0")}`, to: onVonage ? "12192259410" : "815012345610", text },
        minutes(minute++),
      );
    }
    // A second message in one thread, which the search must find behind the latest.
    await receive(prisma, v.token, { provider: "VONAGE", from: "447700800000", to: "12192259410", text: "thanks" }, minutes(minute++));
    // Read some, so the unread filter has something to leave out.
    for (const sender of ["+447700800002", "+447700800007"]) {
      const { id } = await prisma.conversation.findFirstOrThrow({ where: { teamId, sender }, select: { id: true } });
      await markConversationRead(prisma, { teamId, userId, conversationId: id });
    }
  }, 120_000);

  const terms = ["世話", "世界", "話", "予約", "ああ", "あ", "re", "RE", "rE", "Re", "OR", "ff", "0%", "%", "_c", "e_", "\\s", "ab", "aa", "ba", "ss", "ß", "SS", "is", "İs", "ｒｅ", "：全", "zz"];

  it("find exactly what a case-insensitive ILIKE finds, page after page", async () => {
    expect(await everyMatch({ teamId, search: "世話", take: 1 })).toHaveLength(2);
    expect(await everyMatch({ teamId, search: "rE", take: 1 })).toHaveLength(4);
    for (const search of terms) {
      expect(await everyMatch({ teamId, search, take: 2 }), search).toEqual(await reference(search));
    }
  });

  it("combine with the other filters and the unread count as longer searches do", async () => {
    for (const search of ["世話", "re", "RE", "0%", "ああ"]) {
      expect(await everyMatch({ teamId, userId, search, unreadOnly: true, take: 2 }), search).toEqual(await reference(search, { reads: { none: { userId } } }));
      expect(await everyMatch({ teamId, search, provider: "RAKUTEN" }), search).toEqual(await reference(search, { phoneNumber: { provider: "RAKUTEN" } }));
      expect(await everyMatch({ teamId, search, phoneNumberId: vonage.id }), search).toEqual(await reference(search, { phoneNumberId: vonage.id }));
      const unread = (await reference(search, { reads: { none: { userId } } })).length;
      expect(await countUnreadConversations(prisma, { teamId, userId, search }), search).toEqual({ count: unread, capped: false });
      if (unread > 1) expect(await countUnreadConversations(prisma, { teamId, userId, search, cap: 1 }), search).toEqual({ count: 1, capped: true });
    }
    expect(await everyMatch({ teamId, search: "re", keyword: "RE" })).toEqual(await reference("re", {}, { keyword: "RE" }));
    expect(await everyMatch({ teamId, search: "re", keyword: "RE" })).toHaveLength(1);
  });

  it("show the matching message, not the thread's latest", async () => {
    const { items } = await listConversations(prisma, { teamId, search: "世話" });
    // The first thread's latest message says "thanks", and made it the newest.
    expect(items.map((c) => c.latest?.snippet)).toEqual(["お世話になっております。", "いつもお世話様です"]);
    const mixed = await listConversations(prisma, { teamId, search: "Re" });
    expect(mixed.items.map((c) => c.latest?.snippet)).toContain("RE: your order");
  });
});
