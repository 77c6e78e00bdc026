import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/webhooks/[provider]/[token]/route";
import { findConversation, getConversation, listConversations, markConversationRead, type ListConversationsOptions } from "@/lib/data/conversations";
import { createNumber } from "@/lib/data/numbers";
import { describeSender, snippetOf } from "@/lib/format";
import type { SimulatedMessage } from "@/lib/sms/simulate";
import { prisma, seedTeam } from "../helpers/db";
import { receive as deliver } from "../helpers/receive";

afterAll(() => prisma.$disconnect());

const T0 = new Date("2026-03-01T09:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

/** Delivers through the ingestion pipeline at a chosen time (see tests/helpers/receive.ts). */
const receive = (token: string, message: Omit<SimulatedMessage, "now">, receivedAt: Date, options?: { onlyParts?: number[] }) =>
  deliver(prisma, token, message, receivedAt, options);

/** Every page of the inbox, following nextCursor until it runs out. */
async function allPages(options: Omit<ListConversationsOptions, "cursor">) {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listConversations>> = await listConversations(prisma, { ...options, cursor });
    pages.push(page.items.map((c) => c.id));
    cursor = page.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe("the inbox", () => {
  // 70 senders: 45 text the Vonage number, 25 the Rakuten one; several share a timestamp.
  let teamId: string;
  let vonage: { id: string; token: string };
  let rakuten: { id: string; token: string };

  beforeAll(async () => {
    const { team } = await seedTeam("Inbox team");
    teamId = team.id;
    const v = await createNumber(prisma, { teamId, provider: "VONAGE", e164: "+12192259404", label: "US line" });
    const r = await createNumber(prisma, { teamId, provider: "RAKUTEN", e164: "+815012345678", label: "Tokyo" });
    vonage = { id: v.number.id, token: v.token };
    rakuten = { id: r.number.id, token: r.token };
    for (let i = 0; i < 70; i++) {
      const onVonage = i < 45;
      // Groups of four arrive in the same millisecond, as a busy minute's batch would.
      await receive(
        onVonage ? vonage.token : rakuten.token,
        { provider: onVonage ? "VONAGE" : "RAKUTEN", from: `4477009${String(i).padStart(5, "0")}`, to: onVonage ? "12192259404" : "815012345678", text: `Hello number ${i}` },
        minutes(Math.floor(i / 4)),
      );
    }
  }, 120_000);

  it("pages through every conversation once, newest first, ties in a stable order", async () => {
    const expected = await prisma.conversation.findMany({ where: { teamId }, orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }], select: { id: true } });
    expect(expected).toHaveLength(70);

    const pages = await allPages({ teamId, take: 8 });
    expect(pages).toHaveLength(9);
    expect(pages.slice(0, -1).every((p) => p.length === 8)).toBe(true);
    expect(pages.flat()).toEqual(expected.map((c) => c.id));
    expect(new Set(pages.flat()).size).toBe(70);

    // The same pages again: equal timestamps never reshuffle between requests.
    expect(await allPages({ teamId, take: 8 })).toEqual(pages);

    // The last two senders texted in the same, latest minute.
    const first = await listConversations(prisma, { teamId, take: 3 });
    expect(new Set(first.items.slice(0, 2).map((c) => c.latest?.snippet))).toEqual(new Set(["Hello number 68", "Hello number 69"]));
    expect(first.items[2]!.latest?.snippet).toMatch(/^Hello number 6[4-7]$/);
  });

  it("treats an unreadable cursor as the start", async () => {
    const start = await listConversations(prisma, { teamId, take: 5 });
    // The year 33658 used to reach the query and fail it with an error page.
    const farFuture = Buffer.from("999999999999999:cm123").toString("base64url");
    for (const cursor of ["garbage", "", Buffer.from("1:x'; DROP TABLE").toString("base64url"), farFuture]) {
      expect((await listConversations(prisma, { teamId, take: 5, cursor })).items.map((c) => c.id)).toEqual(start.items.map((c) => c.id));
    }
    const thread = start.items[0]!.id;
    const newest = await getConversation(prisma, { teamId, conversationId: thread });
    expect((await getConversation(prisma, { teamId, conversationId: thread, before: farFuture }))?.messages).toEqual(newest?.messages);
  });

  it("filters by number, provider and unread, and pages within the filter", async () => {
    const byNumber = (await allPages({ teamId, phoneNumberId: rakuten.id, take: 7 })).flat();
    expect(byNumber).toHaveLength(25);
    const byProvider = (await allPages({ teamId, provider: "VONAGE", take: 7 })).flat();
    expect(byProvider).toHaveLength(45);
    expect(new Set([...byNumber, ...byProvider]).size).toBe(70);
    expect((await allPages({ teamId, provider: "INFOBIP" })).flat()).toEqual([]);
    // A number and a provider that disagree match nothing.
    expect((await allPages({ teamId, phoneNumberId: rakuten.id, provider: "VONAGE" })).flat()).toEqual([]);

    const rakutenPage = await listConversations(prisma, { teamId, phoneNumberId: rakuten.id, take: 50 });
    expect(rakutenPage.items.every((c) => c.phoneNumber.id === rakuten.id && c.phoneNumber.provider === "RAKUTEN" && c.phoneNumber.label === "Tokyo")).toBe(true);
  });

  it("lists only unread conversations when asked, and marking read is scoped and idempotent", async () => {
    const { team: scratch, user } = await seedTeam("Unread team");
    const userId = user.id;
    const number = await createNumber(prisma, { teamId: scratch.id, provider: "VONAGE", e164: "+12192259404", label: "Line" });
    for (let i = 0; i < 5; i++) {
      await receive(number.token, { provider: "VONAGE", from: `44770090010${i}`, to: "12192259404", text: `Unread ${i}` }, minutes(i));
    }
    const all = await listConversations(prisma, { teamId: scratch.id, userId });
    expect(all.items.map((c) => c.unreadCount)).toEqual([1, 1, 1, 1, 1]);

    const [newest, second] = all.items;
    expect(await markConversationRead(prisma, { teamId: scratch.id, userId, conversationId: newest!.id })).toBe(true);
    expect(await markConversationRead(prisma, { teamId: scratch.id, userId, conversationId: newest!.id })).toBe(false);
    // Another team cannot mark this team's conversation read.
    expect(await markConversationRead(prisma, { teamId, userId, conversationId: second!.id })).toBe(false);

    const unread = await listConversations(prisma, { teamId: scratch.id, userId, unreadOnly: true });
    expect(unread.items.map((c) => c.id)).toEqual(all.items.slice(1).map((c) => c.id));

    // A reader who saw the thread before its latest message does not mark that message read.
    await receive(number.token, { provider: "VONAGE", from: second!.sender, to: "12192259404", text: "One more" }, minutes(10));
    const unreadOf = async (id: string) => (await findConversation(prisma, { teamId: scratch.id, userId, conversationId: id }))!.unreadCount;
    expect(await markConversationRead(prisma, { teamId: scratch.id, userId, conversationId: second!.id, seenUntil: minutes(3) })).toBe(false);
    expect(await unreadOf(second!.id)).toBe(2);
    expect(await markConversationRead(prisma, { teamId: scratch.id, userId, conversationId: second!.id, seenUntil: minutes(10) })).toBe(true);
    expect(await unreadOf(second!.id)).toBe(0);
  });
});

describe("latest messages and threads", () => {
  let teamId: string;
  let vonage: { id: string; token: string };
  let rakuten: { id: string; token: string };
  const now = minutes(60);

  beforeAll(async () => {
    const { team } = await seedTeam("Thread team");
    teamId = team.id;
    const v = await createNumber(prisma, { teamId, provider: "VONAGE", e164: "+12192259404", label: "US line" });
    const r = await createNumber(prisma, { teamId, provider: "RAKUTEN", e164: "+815012345678", label: "Tokyo" });
    vonage = { id: v.number.id, token: v.token };
    rakuten = { id: r.number.id, token: r.token };
  });

  const conversationOf = async (sender: string) => {
    const page = await listConversations(prisma, { teamId, take: 100, now });
    return page.items.find((c) => c.sender === sender)!;
  };

  it("shows the latest message of each thread, cut by whole characters", async () => {
    const japanese = "こんにちは、注文の件です 👩‍👩‍👧 ".repeat(20);
    await receive(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: "815012345678", text: "First message" }, minutes(1));
    await receive(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: "815012345678", text: japanese, parts: 3 }, minutes(2));

    const conversation = await conversationOf("+819012345678");
    expect(conversation.messageCount).toBe(2);
    expect(conversation.unreadCount).toBe(2);
    expect(conversation.latest).toMatchObject({ status: "COMPLETE", partsReceived: 3, partsExpected: 3, encoding: "UCS2" });
    const snippet = conversation.latest!.snippet!;
    expect(snippet.endsWith("…")).toBe(true);
    expect(snippet.startsWith("こんにちは、注文の件です 👩‍👩‍👧 こんにちは")).toBe(true);
    // Never half an emoji: every family sequence in the snippet is whole.
    expect(snippet.isWellFormed()).toBe(true);
    expect(snippet.replace(/👩‍👩‍👧/gu, "")).not.toMatch(/[\u{1F467}-\u{1F469}\u200D]/u);
    expect(conversation.hasIncomplete).toBe(false);

    // Only the start of a long text leaves the database, cut anywhere: still no broken emoji.
    await receive(rakuten.token, { provider: "RAKUTEN", from: "819087654321", to: "815012345678", text: "👩‍👩‍👧".repeat(200), parts: 4 }, minutes(3));
    const families = (await conversationOf("+819087654321")).latest!.snippet!;
    expect(families).toMatch(/^(👩‍👩‍👧)+…$/u);
  });

  it("flags partial, stale and binary messages", async () => {
    const long = "Part one of a long message. ".repeat(12);
    await receive(vonage.token, { provider: "VONAGE", from: "447700900001", to: "12192259404", text: long, parts: 3 }, minutes(5), { onlyParts: [1, 2] });
    const arriving = await conversationOf("+447700900001");
    expect(arriving.latest).toMatchObject({ status: "PARTIAL", partsReceived: 2, partsExpected: 3 });
    expect(arriving.hasIncomplete).toBe(false);

    // The same two parts a day later: not yet marked by ingestion, but shown as incomplete.
    const dayLater = new Date(minutes(5).getTime() + 25 * 60 * 60_000);
    const stale = await listConversations(prisma, { teamId, take: 100, now: dayLater });
    const staleConversation = stale.items.find((c) => c.sender === "+447700900001")!;
    expect(staleConversation.latest).toMatchObject({ status: "INCOMPLETE", partsReceived: 2, partsExpected: 3 });
    expect(staleConversation.hasIncomplete).toBe(true);
    const thread = await getConversation(prisma, { teamId, conversationId: staleConversation.id, now: dayLater });
    expect(thread!.messages.map((m) => m.status)).toEqual(["INCOMPLETE"]);

    // Once a later message arrives, the thread still says one of its messages is incomplete.
    await receive(vonage.token, { provider: "VONAGE", from: "447700900001", to: "12192259404", text: "Did you get it?" }, dayLater);
    const after = (await listConversations(prisma, { teamId, take: 100, now: dayLater })).items.find((c) => c.sender === "+447700900001")!;
    expect(after.latest).toMatchObject({ snippet: "Did you get it?", status: "COMPLETE" });
    expect(after.hasIncomplete).toBe(true);

    const binary = new URLSearchParams({
      msisdn: "14845552121",
      to: "12192259404",
      messageId: "02000000DA7C52E7",
      type: "binary",
      data: "EA0601AE02056A0045C60C037761702E6F7A656B692E6875000801034F7A656B69000101",
      udh: "0605040B8423F0",
    });
    const response = await GET(new Request(`http://moshi.test/api/webhooks/vonage/${vonage.token}?${binary}`), {
      params: Promise.resolve({ provider: "vonage", token: vonage.token }),
    });
    expect(response.status).toBe(200);
    const binaryConversation = (await listConversations(prisma, { teamId, take: 100 })).items.find((c) => c.sender === "+14845552121")!;
    expect(binaryConversation.latest).toMatchObject({ snippet: null, encoding: "BINARY", status: "COMPLETE" });
  });

  it("opens a thread oldest first with each part's raw request, and pages back through it", async () => {
    const from = "447700900777";
    for (let i = 0; i < 7; i++) {
      await receive(vonage.token, { provider: "VONAGE", from, to: "12192259404", text: `Message ${i}`, format: "json" }, minutes(20 + i));
    }
    await receive(vonage.token, { provider: "VONAGE", from, to: "12192259404", text: "Three parts, joined again in order.", parts: 3, format: "get" }, minutes(30));
    const { id } = await conversationOf(`+${from}`);

    const full = await getConversation(prisma, { teamId, conversationId: id, now });
    expect(full!.sender).toBe(`+${from}`);
    expect(full!.phoneNumber).toMatchObject({ label: "US line", provider: "VONAGE", e164: "+12192259404" });
    expect(full!.messages.map((m) => m.text)).toEqual([...Array.from({ length: 7 }, (_, i) => `Message ${i}`), "Three parts, joined again in order."]);
    expect(full!.earlierCursor).toBeNull();

    const single = full!.messages[0]!;
    expect(single.parts).toHaveLength(1);
    expect(single.parts[0]!.delivery).toMatchObject({ method: "POST", contentType: "application/json" });
    expect(JSON.parse(Buffer.from(single.parts[0]!.delivery!.body).toString("utf8"))).toMatchObject({ msisdn: from, text: "Message 0" });

    const multipart = full!.messages.at(-1)!;
    expect(multipart).toMatchObject({ status: "COMPLETE", partsExpected: 3, partsReceived: 3 });
    expect(multipart.parts.map((p) => p.partIndex)).toEqual([1, 2, 3]);
    expect(multipart.parts.map((p) => p.delivery?.method)).toEqual(["GET", "GET", "GET"]);
    expect(multipart.parts.map((p) => new URLSearchParams(p.delivery!.query).get("concat-part"))).toEqual(["1", "2", "3"]);

    // The newest three, then the three before them, then the rest: nothing lost, nothing twice.
    const newest = await getConversation(prisma, { teamId, conversationId: id, take: 3 });
    expect(newest!.messages.map((m) => m.text)).toEqual(["Message 5", "Message 6", "Three parts, joined again in order."]);
    const earlier = await getConversation(prisma, { teamId, conversationId: id, take: 3, before: newest!.earlierCursor });
    expect(earlier!.messages.map((m) => m.text)).toEqual(["Message 2", "Message 3", "Message 4"]);
    const earliest = await getConversation(prisma, { teamId, conversationId: id, take: 3, before: earlier!.earlierCursor });
    expect(earliest!.messages.map((m) => m.text)).toEqual(["Message 0", "Message 1"]);
    expect(earliest!.earlierCursor).toBeNull();
  });

  // The embedded database serves one connection at a time: the message cannot land mid-read there.
  it.skipIf(process.env.MOSHI_TEST_EMBEDDED === "1")("reads a thread's header and its messages from one moment, even when a message lands between the two reads", async () => {
    const from = "447700900778";
    await receive(vonage.token, { provider: "VONAGE", from, to: "12192259404", text: "First" }, minutes(50));
    const { id } = await conversationOf(`+${from}`);
    // A client that stores the sender's next message right after the header's read returns.
    let landed = false;
    const racing = prisma.$extends({
      query: {
        // The header is the thread's one raw read (the person's unread count comes with it).
        async $queryRaw({ args, query }) {
          const header = await query(args);
          if (!landed) {
            landed = true;
            await receive(vonage.token, { provider: "VONAGE", from, to: "12192259404", text: "Second" }, minutes(51));
          }
          return header;
        },
      },
    }) as unknown as typeof prisma;
    const thread = await getConversation(racing, { teamId, conversationId: id });
    expect(landed).toBe(true);
    expect(thread!.messages).toHaveLength(thread!.messageCount);
    expect(thread!.messages.at(-1)!.text).toBe(thread!.messageCount === 1 ? "First" : "Second");
  });

  it("keeps each team's conversations to itself", async () => {
    const { team: other } = await seedTeam("Other team");
    const otherNumber = await createNumber(prisma, { teamId: other.id, provider: "VONAGE", e164: "+12192259404", label: "Theirs" });
    await receive(otherNumber.token, { provider: "VONAGE", from: "447700900999", to: "12192259404", text: "Private to the other team" }, minutes(40));
    const theirs = (await listConversations(prisma, { teamId: other.id })).items;
    expect(theirs).toHaveLength(1);
    const theirId = theirs[0]!.id;

    const ours = (await allPages({ teamId, take: 4 })).flat();
    expect(ours).not.toContain(theirId);
    expect(await getConversation(prisma, { teamId, conversationId: theirId })).toBeNull();
    expect(await getConversation(prisma, { teamId, conversationId: "does-not-exist" })).toBeNull();
    // Another team's number as a filter finds nothing, rather than their threads.
    expect((await listConversations(prisma, { teamId, phoneNumberId: otherNumber.number.id })).items).toEqual([]);
    const { user } = await seedTeam("Reader's team");
    expect(await markConversationRead(prisma, { teamId, userId: user.id, conversationId: theirId })).toBe(false);
    expect(await prisma.conversationRead.count({ where: { conversationId: theirId } })).toBe(0);
  });
});

describe("how senders and snippets read", () => {
  it.each([
    ["+819012345678", { primary: "090-1234-5678", country: "Japan", e164: "+819012345678" }],
    ["+14845552121", { primary: "(484) 555-2121", country: "United States", e164: "+14845552121" }],
    // A test range with no country of its own: the calling code's main country.
    ["+447700900001", { primary: "07700 900001", country: "United Kingdom", e164: "+447700900001" }],
    ["ACME", { primary: "ACME", country: null, e164: null }],
    ["72345", { primary: "72345", country: null, e164: null }],
  ])("shows %s as people write it", (sender, expected) => {
    expect(describeSender(sender)).toEqual(expected);
  });

  it("cuts snippets between graphemes and collapses white space", () => {
    expect(snippetOf("Hello\n\n  there", 20)).toBe("Hello there");
    expect(snippetOf("🇯🇵🇯🇵🇯🇵", 2)).toBe("🇯🇵🇯🇵…");
    expect(snippetOf("abc", 3)).toBe("abc");
    expect(snippetOf("abc👩‍👩", 10, { cut: true })).toBe("abc…");
  });
});
