/**
 * Retention on PostgreSQL with the clock moved: each run is given its `now`. Every test applies
 * the retention of its own teams only (applyTeamRetention), as other test files share the
 * database and keep data of their own at all sorts of dates.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { deliveryDetailResource } from "@/lib/api/resources";
import { deliveryDetailSchema } from "@/lib/api/schemas";
import { markConversationRead } from "@/lib/data/conversations";
import { getDelivery } from "@/lib/data/deliveries";
import { createNumber } from "@/lib/data/numbers";
import { sqlPool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { applyTeamRetention, FINISHED_EVENTS_DAYS } from "@/lib/retention";
import { acceptWithoutSignature, replayDelivery } from "@/lib/sms/replay";
import { prisma, seedTeam } from "../helpers/db";
import { deliver, receive } from "../helpers/receive";

afterAll(() => prisma.$disconnect());

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date("2031-03-01T12:00:00.000Z");
const daysAgo = (days: number, plusMinutes = 0) => new Date(NOW.getTime() - days * DAY + plusMinutes * 60_000);

async function retentionOf(teamId: string) {
  return prisma.team.findUniqueOrThrow({ where: { id: teamId }, select: { id: true, keepBodiesDays: true, keepMessagesDays: true } });
}

async function apply(teamId: string, now: Date, batch?: number) {
  return applyTeamRetention(sqlPool(prisma), await retentionOf(teamId), now, { batch });
}

async function rakutenTeam(name: string, e164 = "+815012345678") {
  const { team, user } = await seedTeam(name);
  const { number, token } = await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164, label: "Tokyo" });
  const send = (from: string, text: string, at: Date, options?: { parts?: number; onlyParts?: number[]; seed?: number }) =>
    receive(prisma, token, { provider: "RAKUTEN", from, to: e164.slice(1), text, parts: options?.parts, random: options?.seed ? seeded(options.seed) : undefined }, at, {
      onlyParts: options?.onlyParts,
    });
  return { team, user, number, token, send };
}

/** The same ids and concat reference on every call with the same seed: the parts of one message. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("retention of raw bodies", () => {
  it("clears bodies after the team's days and not before, keeps the delivery, and refuses to replay it", async () => {
    const { team, send } = await rakutenTeam("Bodies");
    await send("819011112222", "Is my order ready?", daysAgo(30, -1));
    await send("819011112222", "Thanks!", daysAgo(29));
    const deliveries = () => prisma.delivery.findMany({ where: { teamId: team.id }, orderBy: { receivedAt: "asc" } });
    const [old, recent] = await deliveries();
    expect(Buffer.from(old!.body).toString("utf8")).toContain("Is my order ready?");

    // A minute before the old one is 30 days old: nothing goes.
    expect((await apply(team.id, new Date(NOW.getTime() - 2 * 60_000))).bodiesCleared).toBe(0);
    expect((await deliveries())[0]!.bodyPurgedAt).toBeNull();

    const result = await apply(team.id, NOW);
    expect(result.bodiesCleared).toBe(1);
    const [cleared, kept] = await deliveries();
    expect(cleared).toMatchObject({ id: old!.id, bodyPurgedAt: NOW, query: "", headers: {}, outcome: "STORED", storedCount: 1 });
    expect(cleared!.body).toHaveLength(0);
    expect(kept).toMatchObject({ id: recent!.id, bodyPurgedAt: null });
    expect(Buffer.from(kept!.body).toString("utf8")).toContain("Thanks!");
    // The REST API says so too.
    const resource = deliveryDetailSchema.parse(deliveryDetailResource((await getDelivery(prisma, { teamId: team.id, deliveryId: old!.id }))!));
    expect(resource).toMatchObject({ bodyPurgedAt: NOW.toISOString(), body: { size: 0 }, query: "", headers: {}, outcome: "STORED" });
    // The message it stored stays: bodies and messages have their own schedules.
    expect(await prisma.message.count({ where: { teamId: team.id } })).toBe(2);

    const refused = await appError(replayDelivery(prisma, { teamId: team.id, deliveryId: old!.id }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toBe("The raw request of this delivery was removed on 2031-03-01 by the team's retention settings, so it cannot be replayed or accepted.");
    // The one still kept replays as before (a duplicate: its message is stored).
    expect((await replayDelivery(prisma, { teamId: team.id, deliveryId: recent!.id, now: NOW })).status).toBe(200);

    // A second run has nothing left to do (the replay is recent, the first is done).
    expect((await apply(team.id, NOW)).bodiesCleared).toBe(0);
  });

  it("refuses to accept without a signature a refused delivery whose body is gone", async () => {
    const { team, user } = await seedTeam("Refused");
    const { token } = await createNumber(prisma, {
      teamId: team.id,
      provider: "VONAGE",
      e164: "+12192259404",
      label: "V",
      credentials: { signatureMethod: "SHA256", signatureSecret: "wrong-secret" },
    });
    const [status] = await deliver(prisma, token, { provider: "VONAGE", from: "14845552121", to: "12192259404", text: "Hello" }, daysAgo(40), {});
    expect(status).toBe(401);
    const refused = await prisma.delivery.findFirstOrThrow({ where: { teamId: team.id } });
    await apply(team.id, NOW);
    const error = await appError(acceptWithoutSignature(prisma, { teamId: team.id, deliveryId: refused.id, userId: user.id }));
    expect(error.message).toMatch(/removed on 2031-03-01 by the team's retention settings/);
  });

  it("follows each team's own days", async () => {
    const short = await rakutenTeam("Short", "+815012340001");
    const long = await rakutenTeam("Long", "+815012340002");
    await prisma.team.update({ where: { id: short.team.id }, data: { keepBodiesDays: 3 } });
    await prisma.team.update({ where: { id: long.team.id }, data: { keepBodiesDays: 90 } });
    for (const { send } of [short, long]) await send("819011113333", "Hello", daysAgo(10));
    expect((await apply(short.team.id, NOW)).bodiesCleared).toBe(1);
    expect((await apply(long.team.id, NOW)).bodiesCleared).toBe(0);
    expect(await prisma.delivery.count({ where: { teamId: long.team.id, bodyPurgedAt: null } })).toBe(1);
  });
});

describe("retention of messages", () => {
  it("deletes old messages with their parts and deliveries in bounded batches, keeps counters right, and never touches a message still assembling", async () => {
    const { team, user, send } = await rakutenTeam("Messages", "+815012340003");
    const other = await rakutenTeam("Keeps everything", "+815012340004");
    await prisma.team.update({ where: { id: team.id }, data: { keepMessagesDays: 7 } });

    for (const { send: to } of [{ send }, other]) {
      // Anna: three old messages, read, then a recent one (unread).
      for (const day of [12, 11, 10]) await to("819000000001", `Anna, ${day} days ago`, daysAgo(day));
      // Ben: two old messages only: his thread is left empty.
      for (const day of [12, 9]) await to("819000000002", `Ben, ${day} days ago`, daysAgo(day));
      // Chie: three old unread messages and a recent one: 4 unread, then 1 message left.
      for (const day of [20, 15, 8]) await to("819000000003", `Chie, ${day} days ago`, daysAgo(day));
      await to("819000000003", "Chie, yesterday", daysAgo(1));
      // Fumi: opted out long ago; her thread outlives the message, with the opt-out.
      await to("819000000006", "STOP", daysAgo(30));
    }
    const anna = await prisma.conversation.findFirstOrThrow({ where: { teamId: team.id, sender: "+819000000001" } });
    await markConversationRead(prisma, { teamId: team.id, userId: user.id, conversationId: anna.id });
    await send("819000000001", "Anna, yesterday", daysAgo(1));

    // Dai: a long message of 3 parts, 2 of them here 8 days ago, still PARTIAL (nothing has given
    // it up yet). Eri: one part of 2, given up since. Both are older than the 7 days kept.
    const long = "Dai writes a long message about his delivery that arrives in three parts. ".repeat(4);
    await send("819000000004", long, daysAgo(8), { parts: 3, onlyParts: [1, 2], seed: 4 });
    await send("819000000005", "Eri writes a message in two parts that never both arrive. ".repeat(3), daysAgo(8), { parts: 2, onlyParts: [1] });
    await prisma.message.updateMany({ where: { teamId: team.id, from: "+819000000005" }, data: { status: "INCOMPLETE", concatKey: null, incompleteAt: daysAgo(7) } });

    const cutoff = daysAgo(7);
    const windowCounts = async () => ({
      deliveries: await prisma.delivery.groupBy({ by: ["outcome"], where: { teamId: team.id, receivedAt: { gte: cutoff } }, _count: true, orderBy: { outcome: "asc" } }),
      messages: await prisma.message.count({ where: { teamId: team.id, receivedAt: { gte: cutoff } } }),
    });
    const before = await windowCounts();
    const otherBefore = await prisma.message.count({ where: { teamId: other.team.id } });

    const pool = sqlPool(prisma);
    const settings = await retentionOf(team.id);
    const statements = vi.spyOn(pool, "query");
    const result = await applyTeamRetention(pool, settings, NOW, { batch: 2 });
    const touched = await Promise.all(statements.mock.results.map((r) => Promise.resolve(r.value as { rowCount?: number | null }).then((q) => q?.rowCount ?? 0)));
    statements.mockRestore();

    // 3 + 2 + 3 old messages, Eri's given-up one and Fumi's STOP; never more than a batch of 2 per statement.
    expect(result).toMatchObject({ messagesDeleted: 10, conversationsDeleted: 2 });
    expect(result.deliveriesDeleted).toBe(10);
    expect(Math.max(...touched)).toBeLessThanOrEqual(2);
    expect(touched.filter((count) => count > 0).length).toBeGreaterThanOrEqual(5);

    const threads = await prisma.conversation.findMany({ where: { teamId: team.id }, orderBy: { sender: "asc" } });
    // Unread is the person's own: the thread's count less what they read (ConversationRead).
    const reads = new Map((await prisma.conversationRead.findMany({ where: { userId: user.id, teamId: team.id } })).map((r) => [r.conversationId, r.readCount]));
    const unread = (t: { id: string; messageCount: number }) => Math.max(t.messageCount - (reads.get(t.id) ?? 0), 0);
    expect(threads.map((t) => [t.sender, t.messageCount, unread(t), t.lastMessageAt.toISOString()])).toEqual([
      ["+819000000001", 1, 1, daysAgo(1).toISOString()],
      ["+819000000003", 1, 1, daysAgo(1).toISOString()],
      ["+819000000004", 1, 1, daysAgo(8).toISOString()],
      ["+819000000006", 0, 0, daysAgo(30).toISOString()],
    ]);
    expect(threads.find((t) => t.sender === "+819000000006")?.optedOutAt).toEqual(daysAgo(30));
    for (const thread of threads) expect(await prisma.message.count({ where: { conversationId: thread.id } })).toBe(thread.messageCount);

    // Dai's message is intact: both parts and the deliveries they came in.
    const dai = await prisma.message.findFirstOrThrow({ where: { teamId: team.id, from: "+819000000004" }, include: { parts: { include: { delivery: true } } } });
    expect(dai).toMatchObject({ status: "PARTIAL", partsReceived: 2, partIndexes: [1, 2] });
    expect(dai.parts).toHaveLength(2);

    // The window that remains counts the same deliveries and messages as before.
    expect(await windowCounts()).toEqual(before);
    // The team that keeps everything lost nothing.
    expect(await prisma.message.count({ where: { teamId: other.team.id } })).toBe(otherBefore);
    expect((await apply(other.team.id, NOW)).messagesDeleted).toBe(0);

    // Its last part arrives (within its day, as a carrier sends it): the message completes whole.
    await send("819000000004", long, daysAgo(8, 90), { parts: 3, onlyParts: [3], seed: 4 });
    const completed = await prisma.message.findUniqueOrThrow({ where: { id: dai.id } });
    expect(completed).toMatchObject({ status: "COMPLETE", partsReceived: 3, text: long });

    // Complete now, and older than 7 days: the next run removes it, and its thread.
    expect(await apply(team.id, NOW)).toMatchObject({ messagesDeleted: 1, conversationsDeleted: 1, deliveriesDeleted: 3 });
    expect(await prisma.messagePart.count({ where: { messageId: dai.id } })).toBe(0);
  });
});

describe("retention of forwarding events", () => {
  it("removes finished events after the fixed window or the team's message days, never one still being delivered", async () => {
    const { team } = await seedTeam("Events");
    const endpoint = await prisma.webhookEndpoint.create({ data: { teamId: team.id, url: "https://hooks.example.com/moshi", secretSealed: "sealed" } });
    const event = async (name: string, days: number, status: "PENDING" | "DELIVERED" | "FAILED") => {
      const id = `evt_${name}_${randomUUID()}`;
      // The outbox trigger fans the event out to the endpoint (a PENDING dispatch and its job).
      await prisma.event.create({ data: { id, teamId: team.id, type: "message.received", payload: "{}", createdAt: daysAgo(days) } });
      const dispatch = await prisma.eventDispatch.update({ where: { eventId_endpointId: { eventId: id, endpointId: endpoint.id } }, data: { status } });
      await prisma.endpointAttempt.create({
        data: { teamId: team.id, endpointId: endpoint.id, dispatchId: dispatch.id, eventId: id, startedAt: daysAgo(days), durationMs: 5, statusCode: status === "DELIVERED" ? 200 : 500, succeeded: status === "DELIVERED" },
      });
      return id;
    };
    const delivered = await event("delivered", FINISHED_EVENTS_DAYS + 1, "DELIVERED");
    const failed = await event("failed", FINISHED_EVENTS_DAYS + 1, "FAILED");
    const retrying = await event("retrying", FINISHED_EVENTS_DAYS + 1, "PENDING");
    const recent = await event("recent", 10, "DELIVERED");
    const remaining = async () => (await prisma.event.findMany({ where: { teamId: team.id }, select: { id: true } })).map((e) => e.id).sort();

    expect((await apply(team.id, NOW)).eventsDeleted).toBe(2);
    expect(await remaining()).toEqual([recent, retrying].sort());
    expect(await prisma.eventDispatch.count({ where: { eventId: { in: [delivered, failed] } } })).toBe(0);
    expect(await prisma.endpointAttempt.count({ where: { eventId: { in: [delivered, failed] } } })).toBe(0);

    // Keeping messages 7 days takes the events that carry them too, but not the one retrying.
    await prisma.team.update({ where: { id: team.id }, data: { keepMessagesDays: 7 } });
    expect((await apply(team.id, NOW)).eventsDeleted).toBe(1);
    expect(await remaining()).toEqual([retrying]);
  });
});
