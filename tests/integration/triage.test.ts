import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/[provider]/[token]/route";
import {
  countUnreadConversations,
  exportMessages,
  findConversation,
  findNeighbours,
  getChangeMarker,
  listConversations,
  markConversationDone,
  markConversationRead,
  markConversationUnread,
  reopenConversation,
} from "@/lib/data/conversations";
import { listRecentKeywords, listTopKeywords } from "@/lib/data/keywords";
import { addNote, deleteOwnNote, listNotes } from "@/lib/data/notes";
import { createNumber, summarizeNumberActivity } from "@/lib/data/numbers";
import { countMessagesOverTime, listLastMessagePerNumber, summarizeByNumber } from "@/lib/data/stats";
import { deleteTestMessages } from "@/lib/data/test-messages";
import { TEST_SENDER, sendTestMessage } from "@/lib/sms/test-message";
import { prisma, seedTeam, seedUser } from "../helpers/db";
import { receive } from "../helpers/receive";

afterAll(() => prisma.$disconnect());

const T0 = new Date("2026-03-02T09:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const OUR_NUMBER = "12192259404";

/** A team with an owner, a member, a Vonage number and a message from each of three senders. */
async function seedInbox(name: string) {
  const { team, user: owner } = await seedTeam(name);
  const member = await seedUser("Member");
  await prisma.membership.create({ data: { teamId: team.id, userId: member.id, role: "MEMBER" } });
  const { number, token } = await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: `+${OUR_NUMBER}`, label: "US line" });
  for (const [i, from] of ["447700900001", "447700900002", "447700900003"].entries()) {
    await receive(prisma, token, { provider: "VONAGE", from, to: OUR_NUMBER, text: `Hello ${i}` }, minutes(i));
  }
  const threads = await prisma.conversation.findMany({ where: { teamId: team.id }, orderBy: { lastMessageAt: "asc" } });
  return { teamId: team.id, owner, member, number, token, threads: threads.map((t) => t.id) };
}

type Inbox = Awaited<ReturnType<typeof seedInbox>>;

const unreadOf = async (inbox: Inbox, userId: string, conversationId: string) =>
  (await findConversation(prisma, { teamId: inbox.teamId, userId, conversationId }))!.unreadCount;

describe("read state is each person's own", () => {
  let inbox: Inbox;
  beforeAll(async () => {
    inbox = await seedInbox("Read team");
  });

  it("marks read for the reader only; the teammate's unread stays", async () => {
    const [first] = inbox.threads;
    expect(await countUnreadConversations(prisma, { teamId: inbox.teamId, userId: inbox.owner.id })).toEqual({ count: 3, capped: false });
    expect(await markConversationRead(prisma, { teamId: inbox.teamId, userId: inbox.member.id, conversationId: first! })).toBe(true);

    expect(await unreadOf(inbox, inbox.member.id, first!)).toBe(0);
    expect(await unreadOf(inbox, inbox.owner.id, first!)).toBe(1);
    expect(await countUnreadConversations(prisma, { teamId: inbox.teamId, userId: inbox.member.id })).toEqual({ count: 2, capped: false });
    expect(await countUnreadConversations(prisma, { teamId: inbox.teamId, userId: inbox.owner.id })).toEqual({ count: 3, capped: false });
    const memberUnread = await listConversations(prisma, { teamId: inbox.teamId, userId: inbox.member.id, unreadOnly: true });
    expect(memberUnread.items.map((c) => c.id)).not.toContain(first);
    const ownerUnread = await listConversations(prisma, { teamId: inbox.teamId, userId: inbox.owner.id, unreadOnly: true });
    expect(ownerUnread.items.map((c) => c.id)).toContain(first);
  });

  it("counts a new message as unread again for someone who had read the thread", async () => {
    const [first] = inbox.threads;
    await receive(prisma, inbox.token, { provider: "VONAGE", from: "447700900001", to: OUR_NUMBER, text: "Another one" }, minutes(10));
    expect(await unreadOf(inbox, inbox.member.id, first!)).toBe(1);
    expect(await unreadOf(inbox, inbox.owner.id, first!)).toBe(2);
  });

  it("marks unread: the newest message counts as unread again, for that person only", async () => {
    const [, second] = inbox.threads;
    await markConversationRead(prisma, { teamId: inbox.teamId, userId: inbox.owner.id, conversationId: second! });
    await markConversationRead(prisma, { teamId: inbox.teamId, userId: inbox.member.id, conversationId: second! });
    expect(await markConversationUnread(prisma, { teamId: inbox.teamId, userId: inbox.owner.id, conversationId: second! })).toBe(true);
    expect(await unreadOf(inbox, inbox.owner.id, second!)).toBe(1);
    expect(await unreadOf(inbox, inbox.member.id, second!)).toBe(0);
  });

  it("changes the inbox's live version for the reader, not for a teammate", async () => {
    const [, , third] = inbox.threads;
    const [ownerBefore, memberBefore] = await Promise.all([
      getChangeMarker(prisma, { teamId: inbox.teamId, userId: inbox.owner.id }),
      getChangeMarker(prisma, { teamId: inbox.teamId, userId: inbox.member.id }),
    ]);
    await markConversationRead(prisma, { teamId: inbox.teamId, userId: inbox.owner.id, conversationId: third! });
    expect((await getChangeMarker(prisma, { teamId: inbox.teamId, userId: inbox.owner.id })).version).not.toBe(ownerBefore.version);
    expect(await getChangeMarker(prisma, { teamId: inbox.teamId, userId: inbox.member.id })).toEqual(memberBefore);
  });

  it("never touches another team's thread", async () => {
    const other = await seedInbox("Other read team");
    expect(await markConversationRead(prisma, { teamId: inbox.teamId, userId: inbox.owner.id, conversationId: other.threads[0]! })).toBe(false);
    expect(await markConversationUnread(prisma, { teamId: inbox.teamId, userId: inbox.owner.id, conversationId: other.threads[0]! })).toBe(false);
    expect(await prisma.conversationRead.count({ where: { conversationId: other.threads[0]! } })).toBe(0);
    expect(await findConversation(prisma, { teamId: inbox.teamId, userId: inbox.owner.id, conversationId: other.threads[0]! })).toBeNull();
  });
});

describe("done", () => {
  let inbox: Inbox;
  beforeAll(async () => {
    inbox = await seedInbox("Done team");
  });

  const open = async () => (await listConversations(prisma, { teamId: inbox.teamId, userId: inbox.owner.id, done: false })).items.map((c) => c.id);
  const done = async () => (await listConversations(prisma, { teamId: inbox.teamId, userId: inbox.owner.id, done: true })).items.map((c) => c.id);

  it("moves a thread from Open to Done for the whole team, and undo brings it back", async () => {
    const [first] = inbox.threads;
    expect(await markConversationDone(prisma, { teamId: inbox.teamId, userId: inbox.member.id, conversationId: first!, now: minutes(5) })).toBe(true);
    expect(await open()).not.toContain(first);
    expect(await done()).toEqual([first]);
    const forMember = await listConversations(prisma, { teamId: inbox.teamId, userId: inbox.member.id, done: true });
    expect(forMember.items.map((c) => [c.id, c.done])).toEqual([[first, true]]);

    expect(await reopenConversation(prisma, { teamId: inbox.teamId, conversationId: first! })).toBe(true);
    expect(await done()).toEqual([]);
    expect(await open()).toContain(first);
  });

  it("is reopened by the sender's next message through the real webhook route, without ingestion knowing", async () => {
    const [, second] = inbox.threads;
    // Done as of a moment in the past; the route stamps the new message with the real time.
    await markConversationDone(prisma, { teamId: inbox.teamId, userId: inbox.owner.id, conversationId: second!, now: minutes(5) });
    expect(await done()).toEqual([second]);
    const body = new URLSearchParams({ msisdn: "447700900002", to: OUR_NUMBER, messageId: "reopen-1", text: "Me again", type: "text" });
    const response = await POST(
      new Request(`http://moshi.test/api/webhooks/vonage/${inbox.token}`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } }),
      { params: Promise.resolve({ provider: "vonage", token: inbox.token }) },
    );
    expect(response.status).toBe(200);
    expect(await done()).toEqual([]);
    expect((await open())[0]).toBe(second);
  });

  it("refuses to mark done past what the person saw, and another team's thread", async () => {
    const [, , third] = inbox.threads;
    expect(await markConversationDone(prisma, { teamId: inbox.teamId, userId: inbox.owner.id, conversationId: third!, seenUntil: minutes(1) })).toBe(false);
    const other = await seedInbox("Other done team");
    expect(await markConversationDone(prisma, { teamId: inbox.teamId, userId: inbox.owner.id, conversationId: other.threads[0]! })).toBe(false);
    expect(await reopenConversation(prisma, { teamId: inbox.teamId, conversationId: other.threads[0]! })).toBe(false);
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: other.threads[0]! } })).doneAt).toBeNull();
  });
});

describe("next and previous inside a thread", () => {
  it("follow the inbox's filter and order", async () => {
    const inbox = await seedInbox("Neighbour team");
    const [oldest, middle, newest] = inbox.threads;
    const options = { teamId: inbox.teamId, userId: inbox.owner.id };
    expect(await findNeighbours(prisma, { ...options, conversationId: middle! })).toEqual({ newer: newest, older: oldest });
    expect(await findNeighbours(prisma, { ...options, conversationId: newest! })).toEqual({ newer: null, older: middle });
    // Under the unread filter, a thread the person read drops out of the way.
    await markConversationRead(prisma, { ...options, conversationId: middle! });
    expect(await findNeighbours(prisma, { ...options, conversationId: newest!, unreadOnly: true })).toEqual({ newer: null, older: oldest });
    // Open: a done thread is skipped; the one being looked at still has its place.
    await markConversationDone(prisma, { ...options, conversationId: oldest!, now: minutes(9) });
    expect(await findNeighbours(prisma, { ...options, conversationId: middle!, done: false })).toEqual({ newer: newest, older: null });
    expect(await findNeighbours(prisma, { ...options, conversationId: oldest!, done: false })).toEqual({ newer: middle, older: null });
    // Another team's thread has no neighbours here.
    const other = await seedInbox("Other neighbour team");
    expect(await findNeighbours(prisma, { ...options, conversationId: other.threads[1]! })).toEqual({ newer: null, older: null });
  });
});

describe("internal notes", () => {
  it("belong to the team's thread, say who wrote them, and only their author deletes them", async () => {
    const inbox = await seedInbox("Notes team");
    const other = await seedInbox("Other notes team");
    const [thread] = inbox.threads;
    const note = await addNote(prisma, { teamId: inbox.teamId, conversationId: thread!, author: inbox.member, body: "Called back, waiting for the order number" });
    expect(note).toMatchObject({ authorId: inbox.member.id, authorName: "Member", body: "Called back, waiting for the order number" });
    await addNote(prisma, { teamId: inbox.teamId, conversationId: thread!, author: { ...inbox.owner, name: null }, body: "Thanks" });
    expect((await listNotes(prisma, { teamId: inbox.teamId, conversationId: thread! })).map((n) => [n.body, n.authorName])).toEqual([
      ["Called back, waiting for the order number", "Member"],
      ["Thanks", inbox.owner.email],
    ]);

    // Another team cannot write to, read or delete from this thread.
    expect(await addNote(prisma, { teamId: other.teamId, conversationId: thread!, author: other.owner, body: "Sneaky" })).toBeNull();
    expect(await listNotes(prisma, { teamId: other.teamId, conversationId: thread! })).toEqual([]);
    expect(await deleteOwnNote(prisma, { teamId: other.teamId, noteId: note!.id, authorId: inbox.member.id })).toBe(false);
    // Nor can a teammate delete someone else's note; the author can.
    expect(await deleteOwnNote(prisma, { teamId: inbox.teamId, noteId: note!.id, authorId: inbox.owner.id })).toBe(false);
    expect(await deleteOwnNote(prisma, { teamId: inbox.teamId, noteId: note!.id, authorId: inbox.member.id })).toBe(true);
    expect((await listNotes(prisma, { teamId: inbox.teamId, conversationId: thread! })).map((n) => n.body)).toEqual(["Thanks"]);

    // A note is never a message: nothing is counted, nothing is forwarded.
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: thread! } });
    expect(conversation.messageCount).toBe(1);
    expect(await prisma.event.count({ where: { teamId: inbox.teamId, payload: { contains: "Thanks" } } })).toBe(0);
  });
});

describe("test messages", () => {
  let inbox: Inbox;
  const range = () => ({ teamId: inbox.teamId, from: minutes(-60 * 24), to: new Date(Date.now() + 60_000) });

  beforeAll(async () => {
    inbox = await seedInbox("Test message team");
    for (let i = 0; i < 3; i++) await sendTestMessage(prisma, { teamId: inbox.teamId, numberId: inbox.number.id, userId: inbox.owner.id, now: minutes(20 + i) });
  });

  it("are flagged by the statement that stores them, with their delivery, and forwarded with the flag", async () => {
    const tests = await prisma.message.findMany({ where: { teamId: inbox.teamId, from: TEST_SENDER }, include: { parts: { include: { delivery: true } } } });
    expect(tests).toHaveLength(3);
    expect(tests.every((m) => m.isTest && m.parts.every((p) => p.delivery.isTest))).toBe(true);
    expect(await prisma.message.count({ where: { teamId: inbox.teamId, isTest: false } })).toBe(3);
    const thread = await prisma.conversation.findFirstOrThrow({ where: { teamId: inbox.teamId, sender: TEST_SENDER } });
    expect(thread).toMatchObject({ messageCount: 3, testCount: 3 });
    const events = await prisma.event.findMany({ where: { teamId: inbox.teamId, type: "message.received" } });
    const payloads = events.map((e) => JSON.parse(e.payload) as { data: { from: { address: string }; test: boolean } });
    expect(payloads.filter((p) => p.data.test).map((p) => p.data.from.address)).toEqual([TEST_SENDER, TEST_SENDER, TEST_SENDER]);
    expect(payloads.filter((p) => !p.data.test)).toHaveLength(3);
  });

  it("cannot be claimed by a provider's request: nothing in it sets the flag", async () => {
    const body = new URLSearchParams({ msisdn: TEST_SENDER.slice(1), to: OUR_NUMBER, messageId: "claims-test", text: "TEST from Moshi: not really", type: "text", test: "true", isTest: "true" });
    const response = await POST(
      new Request(`http://moshi.test/api/webhooks/vonage/${inbox.token}?test=1&isTest=true`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", "x-moshi-test": "1" } }),
      { params: Promise.resolve({ provider: "vonage", token: inbox.token }) },
    );
    expect(response.status).toBe(200);
    const stored = await prisma.message.findFirstOrThrow({ where: { teamId: inbox.teamId, text: "TEST from Moshi: not really" } });
    expect(stored.isTest).toBe(false);
    await prisma.message.delete({ where: { id: stored.id } });
    await prisma.conversation.update({ where: { id: stored.conversationId }, data: { messageCount: { decrement: 1 } } });
  });

  it("stay out of the default inbox, statistics, keywords and the export; a filter shows them", async () => {
    const userId = inbox.owner.id;
    const listed = await listConversations(prisma, { teamId: inbox.teamId, userId, tests: false });
    expect(listed.items.map((c) => c.sender)).not.toContain(TEST_SENDER);
    const withTests = await listConversations(prisma, { teamId: inbox.teamId, userId, tests: true });
    expect(withTests.items[0]).toMatchObject({ sender: TEST_SENDER, testCount: 3, latest: { isTest: true } });
    expect(await countUnreadConversations(prisma, { teamId: inbox.teamId, userId, tests: false })).toEqual({ count: 3, capped: false });
    expect((await listConversations(prisma, { teamId: inbox.teamId, userId, keyword: "TEST", tests: false })).items).toEqual([]);

    const exported = async (tests: boolean) => {
      const rows = [];
      for await (const batch of exportMessages(prisma, { teamId: inbox.teamId, userId, tests })) rows.push(...batch);
      return rows;
    };
    expect((await exported(false)).map((m) => m.text).sort()).toEqual(["Hello 0", "Hello 1", "Hello 2"]);
    expect((await exported(true)).filter((m) => m.isTest)).toHaveLength(3);

    const messages = await countMessagesOverTime(prisma, range(), "day");
    expect(messages.reduce((sum, b) => sum + b.messages, 0)).toBe(3);
    const [byNumber] = await summarizeByNumber(prisma, range());
    // The request that only claimed to be a test is a provider's delivery, and counts.
    expect(byNumber).toMatchObject({ messages: 3, deliveries: 4 });
    expect((await listLastMessagePerNumber(prisma, inbox.teamId))[0]!.lastMessageAt).toEqual(minutes(2));
    expect((await listTopKeywords(prisma, range())).map((k) => k.keyword)).not.toContain("TEST");
    expect(await listRecentKeywords(prisma, inbox.teamId)).not.toContain("TEST");
    expect((await summarizeNumberActivity(prisma, inbox.teamId, [inbox.number.id])).get(inbox.number.id)).toMatchObject({ count: 3, tests: 3 });
  });

  it("are deleted one at a time or all of a number's, keeping every counter right", async () => {
    const userId = inbox.owner.id;
    const thread = await prisma.conversation.findFirstOrThrow({ where: { teamId: inbox.teamId, sender: TEST_SENDER } });
    const [oldest, middle, newest] = await prisma.message.findMany({ where: { conversationId: thread.id }, orderBy: { receivedAt: "asc" } });
    // The owner read two of the three; the member read all three.
    await markConversationRead(prisma, { teamId: inbox.teamId, userId: inbox.member.id, conversationId: thread.id });
    await markConversationRead(prisma, { teamId: inbox.teamId, userId, conversationId: thread.id });
    await markConversationUnread(prisma, { teamId: inbox.teamId, userId, conversationId: thread.id });
    const deliveriesBefore = await prisma.delivery.count({ where: { teamId: inbox.teamId } });

    // Not found: a customer's message, another team's test message.
    const customer = await prisma.message.findFirstOrThrow({ where: { teamId: inbox.teamId, isTest: false } });
    expect(await deleteTestMessages(prisma, { teamId: inbox.teamId, messageId: customer.id })).toEqual({ messages: 0, conversations: 0 });
    const other = await seedInbox("Other test team");
    expect(await deleteTestMessages(prisma, { teamId: other.teamId, messageId: middle!.id })).toEqual({ messages: 0, conversations: 0 });
    expect(await deleteTestMessages(prisma, { teamId: other.teamId, phoneNumberId: inbox.number.id })).toEqual({ messages: 0, conversations: 0 });

    expect(await deleteTestMessages(prisma, { teamId: inbox.teamId, messageId: middle!.id })).toEqual({ messages: 1, conversations: 0 });
    expect(await prisma.conversation.findUniqueOrThrow({ where: { id: thread.id } })).toMatchObject({ messageCount: 2, testCount: 2, lastMessageAt: newest!.receivedAt });
    // What was unread stays unread, and nothing else becomes so.
    expect(await unreadOf(inbox, userId, thread.id)).toBe(1);
    expect(await unreadOf(inbox, inbox.member.id, thread.id)).toBe(0);
    expect(await prisma.delivery.count({ where: { teamId: inbox.teamId } })).toBe(deliveriesBefore - 1);

    expect(await deleteTestMessages(prisma, { teamId: inbox.teamId, messageId: newest!.id })).toEqual({ messages: 1, conversations: 0 });
    expect(await prisma.conversation.findUniqueOrThrow({ where: { id: thread.id } })).toMatchObject({ messageCount: 1, testCount: 1, lastMessageAt: oldest!.receivedAt });
    expect(await unreadOf(inbox, userId, thread.id)).toBe(0);

    expect(await deleteTestMessages(prisma, { teamId: inbox.teamId, phoneNumberId: inbox.number.id })).toEqual({ messages: 1, conversations: 1 });
    expect(await prisma.conversation.findUnique({ where: { id: thread.id } })).toBeNull();
    expect(await prisma.message.count({ where: { teamId: inbox.teamId } })).toBe(3);
    expect(await prisma.delivery.count({ where: { teamId: inbox.teamId, isTest: true } })).toBe(0);
    expect(await prisma.delivery.count({ where: { teamId: inbox.teamId } })).toBe(deliveriesBefore - 3);
  });
});
