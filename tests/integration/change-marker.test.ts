import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getChangeMarker, markConversationRead } from "@/lib/data/conversations";
import { createNumber } from "@/lib/data/numbers";
import { ingestDelivery } from "@/lib/sms/ingest";
import { buildDeliveries, type SimulatedMessage, type SimulatedRequest } from "@/lib/sms/simulate";
import { prisma, seedTeam } from "../helpers/db";

afterAll(() => prisma.$disconnect());

const T0 = new Date("2026-03-01T09:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const hours = (n: number) => minutes(n * 60);

const LONG =
  "Hi, I ordered the blue rain jacket last Tuesday and paid for express shipping, but the tracking link still says the label was " +
  "created and nothing else. Could you check with the courier and let me know when it will arrive? Thanks, Sam";

describe("the change marker the live inbox and thread poll", () => {
  let teamId: string;
  let userId: string;
  let otherUserId: string;
  let token: string;
  let otherTeamId: string;
  let otherToken: string;

  beforeAll(async () => {
    const { team, user } = await seedTeam("Live team");
    teamId = team.id;
    userId = user.id;
    token = (await createNumber(prisma, { teamId, provider: "VONAGE", e164: "+12192259404", label: "US line" })).token;
    // Another team with the same number at the same provider: the traffic most likely to leak.
    const { team: other, user: otherUser } = await seedTeam("Other team");
    otherTeamId = other.id;
    otherUserId = otherUser.id;
    otherToken = (await createNumber(prisma, { teamId: otherTeamId, provider: "VONAGE", e164: "+12192259404", label: "US line" })).token;
  });

  const inbox = (now = minutes(30)) => getChangeMarker(prisma, { teamId, userId, now });
  const thread = (conversationId: string, now = minutes(30)) => getChangeMarker(prisma, { teamId, conversationId, now });
  const conversationOf = async (sender: string) =>
    (await prisma.conversation.findFirstOrThrow({ where: { teamId, sender: `+${sender}` }, select: { id: true } })).id;

  it("changes when a message arrives, and only then", async () => {
    const empty = await inbox();
    expect(empty.messageCount).toBe(0);
    expect(await inbox()).toEqual(empty);

    await receive(token, { provider: "VONAGE", from: "447700900001", to: "12192259404", text: "Hello" }, minutes(1));
    const first = await inbox();
    expect(first.version).not.toBe(empty.version);
    expect(first.messageCount).toBe(1);
    // Asked again with nothing new: the same version, so an open page does not refresh.
    expect(await inbox()).toEqual(first);

    // A second message in the same thread, stamped with the same time: the counts still move.
    const conversationId = await conversationOf("447700900001");
    const threadBefore = await thread(conversationId);
    expect(threadBefore.messageCount).toBe(1);
    const [again] = buildDeliveries({ provider: "VONAGE", from: "447700900001", to: "12192259404", text: "Anyone there?", now: minutes(1) });
    await deliver(token, again!, minutes(1));
    const second = await inbox();
    expect(second.version).not.toBe(first.version);
    expect(second.messageCount).toBe(2);
    const threadAfter = await thread(conversationId);
    expect(threadAfter.version).not.toBe(threadBefore.version);
    expect(threadAfter.messageCount).toBe(2);

    // A provider retry stores nothing new and changes nothing.
    await deliver(token, again!, minutes(2));
    expect(await inbox()).toEqual(second);
    expect(await thread(conversationId)).toEqual(threadAfter);
  });

  it("changes with every part of a long message, and when the last one completes it", async () => {
    const parts = buildDeliveries({ provider: "VONAGE", from: "447700900002", to: "12192259404", text: LONG, parts: 3, now: minutes(5) });
    const start = await inbox();
    await deliver(token, parts[0]!, minutes(5));
    const conversationId = await conversationOf("447700900002");
    const seen = [await inbox()];
    const threadSeen = [await thread(conversationId)];
    expect(seen[0]!.version).not.toBe(start.version);

    // Parts 3 and then 2: neither adds a message, so only the parts can tell.
    await deliver(token, parts[2]!, minutes(6));
    seen.push(await inbox());
    threadSeen.push(await thread(conversationId));
    await deliver(token, parts[1]!, minutes(7));
    seen.push(await inbox());
    threadSeen.push(await thread(conversationId));

    const stored = await prisma.message.findFirstOrThrow({ where: { teamId, conversationId }, select: { status: true, text: true } });
    expect(stored).toEqual({ status: "COMPLETE", text: LONG });
    expect(new Set(seen.map((m) => m.version)).size).toBe(3);
    expect(new Set(threadSeen.map((m) => m.version)).size).toBe(3);
    expect(seen.map((m) => m.messageCount)).toEqual([start.messageCount + 1, start.messageCount + 1, start.messageCount + 1]);
    expect(threadSeen.map((m) => m.messageCount)).toEqual([1, 1, 1]);
  });

  it("changes when a message still missing parts turns incomplete", async () => {
    const [first] = buildDeliveries({ provider: "VONAGE", from: "447700900003", to: "12192259404", text: LONG, parts: 2, now: minutes(10) });
    await deliver(token, first!, minutes(10));
    const conversationId = await conversationOf("447700900003");
    // Nothing is stored in between: the page starts calling it incomplete 24 hours on.
    expect(await inbox(hours(23))).toEqual(await inbox(minutes(30)));
    expect((await inbox(hours(25))).version).not.toBe((await inbox(hours(23))).version);
    expect((await thread(conversationId, hours(25))).version).not.toBe((await thread(conversationId, hours(23))).version);
  });

  it("changes the inbox when a conversation is read, not the thread being read", async () => {
    await receive(token, { provider: "VONAGE", from: "447700900004", to: "12192259404", text: "Read me" }, minutes(12));
    const conversationId = await conversationOf("447700900004");
    const [inboxBefore, threadBefore] = [await inbox(), await thread(conversationId)];

    expect(await markConversationRead(prisma, { teamId, userId, conversationId })).toBe(true);
    const inboxAfter = await inbox();
    expect(inboxAfter.version).not.toBe(inboxBefore.version);
    expect(inboxAfter.messageCount).toBe(inboxBefore.messageCount);
    // The open thread is what marked itself read: it must not refresh again for that.
    expect(await thread(conversationId)).toEqual(threadBefore);
  });

  it("does not change for another team's traffic, and knows none of its threads", async () => {
    const ownThread = await conversationOf("447700900001");
    const [inboxBefore, threadBefore] = [await inbox(), await thread(ownThread)];

    // The same sender texts the other team's copy of the number: a whole and a partial message,
    // then the partial one's last part, then the other team reads it.
    await receive(otherToken, { provider: "VONAGE", from: "447700900001", to: "12192259404", text: "Hello other team" }, minutes(20));
    const long = buildDeliveries({ provider: "VONAGE", from: "447700900001", to: "12192259404", text: LONG, parts: 2, now: minutes(21) });
    await deliver(otherToken, long[0]!, minutes(21));
    expect(await inbox()).toEqual(inboxBefore);
    await deliver(otherToken, long[1]!, minutes(22));
    const foreign = await prisma.conversation.findFirstOrThrow({ where: { teamId: otherTeamId }, select: { id: true } });
    await markConversationRead(prisma, { teamId: otherTeamId, userId: otherUserId, conversationId: foreign.id });

    expect(await inbox()).toEqual(inboxBefore);
    expect(await thread(ownThread)).toEqual(threadBefore);
    expect((await getChangeMarker(prisma, { teamId: otherTeamId })).messageCount).toBe(2);

    // The other team's thread, asked for under this team, is answered like one that does not exist.
    const unknown = await thread("cm0000000000000000000000");
    expect(await thread(foreign.id)).toEqual(unknown);
    expect(unknown.messageCount).toBe(0);
  });
});

/** Delivers a message, every part of it, as its provider would, at a chosen time. */
async function receive(token: string, message: Omit<SimulatedMessage, "now">, receivedAt: Date) {
  for (const request of buildDeliveries({ ...message, now: receivedAt })) await deliver(token, request, receivedAt);
}

/**
 * Sends one provider request through the ingestion pipeline, stamped with a chosen time. The
 * simulator numbers parts afresh on each call, so the parts of one message come from one call.
 */
async function deliver(token: string, request: SimulatedRequest, receivedAt: Date) {
  const url = new URL(`http://moshi.test/api/webhooks/vonage/${token}`);
  for (const [key, value] of request.query) url.searchParams.set(key, value);
  const response = await ingestDelivery(prisma, {
    providerSegment: "vonage",
    token,
    method: request.method,
    headers: new Headers(request.contentType ? { "content-type": request.contentType } : {}),
    url,
    body: request.body ?? "",
    receivedAt,
  });
  expect(response.status).toBe(200);
}
