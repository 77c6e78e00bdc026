import { readdirSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as notARoute from "@/app/api/v1/[...path]/route";
import * as conversation from "@/app/api/v1/conversations/[id]/route";
import * as markRead from "@/app/api/v1/conversations/[id]/read/route";
import * as conversations from "@/app/api/v1/conversations/route";
import * as deliveries from "@/app/api/v1/deliveries/route";
import * as delivery from "@/app/api/v1/deliveries/[id]/route";
import * as endpointAttempts from "@/app/api/v1/endpoints/[id]/attempts/route";
import * as endpoint from "@/app/api/v1/endpoints/[id]/route";
import * as endpoints from "@/app/api/v1/endpoints/route";
import * as event from "@/app/api/v1/events/[id]/route";
import * as events from "@/app/api/v1/events/route";
import * as message from "@/app/api/v1/messages/[id]/route";
import * as messages from "@/app/api/v1/messages/route";
import * as number from "@/app/api/v1/numbers/[id]/route";
import * as numbers from "@/app/api/v1/numbers/route";
import * as openapi from "@/app/api/v1/openapi.json/route";
import { POST as webhook } from "@/app/api/webhooks/[provider]/[token]/route";
import {
  attemptSchema,
  conversationSchema,
  deliveryDetailSchema,
  deliverySchema,
  endpointSchema,
  eventRecordSchema,
  listOf,
  phoneNumberSchema,
  problemSchema,
} from "@/lib/api/schemas";
import { findConversation, markConversationDone, markConversationRead, markConversationUnread, reopenConversation } from "@/lib/data/conversations";
import { createApiKey, revokeApiKey } from "@/lib/data/api-keys";
import { createNumber } from "@/lib/data/numbers";
import { buildEvent, messageResource } from "@/lib/events/resources";
import { messageSchema } from "@/lib/events/schema";
import { prisma, seedTeam, seedUser } from "../helpers/db";
import { receive } from "../helpers/receive";

afterAll(() => prisma.$disconnect());

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]> | undefined> }) => Promise<Response>;

/** Calls a route handler as Next would: the URL under /api/v1, the key as a bearer token, the path's id. */
async function call(handler: Handler, url: string, { key, id, method = "GET", authorization }: { key?: string; id?: string; method?: string; authorization?: string } = {}) {
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = authorization;
  else if (key) headers.authorization = `Bearer ${key}`;
  const request = new Request(`http://moshi.test/api/v1${url}`, { method, headers });
  // As Next does: a route without dynamic segments gets params that resolve to undefined.
  const params: Record<string, string> | undefined = id === undefined ? undefined : { id };
  const response = await handler(request, { params: Promise.resolve(params) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null, text };
}

function expectProblem(result: Awaited<ReturnType<typeof call>>, status: number, what?: string) {
  expect(result.status, what).toBe(status);
  expect(result.headers.get("content-type")).toBe("application/problem+json");
  const problem = problemSchema.parse(result.body);
  expect(problem.status).toBe(status);
  return problem;
}

const OUR_NUMBER = "+815012345678";
const ALICE = "+817012345678";
const BOB = "+817087654321";

type Seeded = {
  teamId: string;
  ownerId: string;
  numberId: string;
  tokenHash: string;
  messageIds: string[];
  conversationId: string;
  deliveryId: string;
  rejectedDeliveryId: string;
  eventId: string;
  endpointId: string;
  attemptId: string;
};

/** A team with a number, three messages from two senders, a rejected delivery, an event, an endpoint and an attempt. */
async function seedApiTeam(name: string, base: Date): Promise<Seeded> {
  const { team, user } = await seedTeam(name);
  const { number, token } = await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164: OUR_NUMBER, label: "Tokyo" });
  await receive(prisma, token, { provider: "RAKUTEN", from: ALICE, to: OUR_NUMBER, text: "Hello, 100% sure" }, new Date(base.getTime()));
  await receive(prisma, token, { provider: "RAKUTEN", from: ALICE, to: OUR_NUMBER, text: "Yes please" }, new Date(base.getTime() + 60_000));
  await receive(prisma, token, { provider: "RAKUTEN", from: BOB, to: OUR_NUMBER, text: "STOP" }, new Date(base.getTime() + 120_000));
  const rejected = await webhook(new Request(`http://moshi.test/api/webhooks/rakuten/${token}`, { method: "POST", body: "not json", headers: { "content-type": "application/json" } }), {
    params: Promise.resolve({ provider: "rakuten", token }),
  });
  expect(rejected.status).toBe(400);

  const rows = await prisma.message.findMany({ where: { teamId: team.id }, orderBy: { receivedAt: "asc" } });
  const delivery = await prisma.delivery.findFirstOrThrow({ where: { teamId: team.id, outcome: "STORED" } });
  const rejectedDelivery = await prisma.delivery.findFirstOrThrow({ where: { teamId: team.id, outcome: "REJECTED" } });
  const endpoint = await prisma.webhookEndpoint.create({ data: { teamId: team.id, url: "https://hooks.example.test/moshi", secretSealed: "sealed-secret-never-shown" } });
  const built = buildEvent("message.received", messageResource(rows[0]!), { at: rows[0]!.receivedAt, phoneNumberId: number.id });
  await prisma.event.create({ data: { ...built, teamId: team.id } });
  // The outbox trigger made the endpoint's dispatch: one attempt on it, failed.
  const dispatch = await prisma.eventDispatch.findFirstOrThrow({ where: { eventId: built.id, endpointId: endpoint.id } });
  const attempt = await prisma.endpointAttempt.create({
    data: { teamId: team.id, endpointId: endpoint.id, dispatchId: dispatch.id, eventId: built.id, startedAt: base, durationMs: 120, statusCode: 502, error: "Bad gateway", succeeded: false, nextAttemptAt: new Date(base.getTime() + 5_000) },
  });
  const stored = await prisma.phoneNumber.findUniqueOrThrow({ where: { id: number.id } });
  return {
    teamId: team.id,
    ownerId: user.id,
    numberId: number.id,
    tokenHash: stored.tokenHash,
    messageIds: rows.map((row) => row.id),
    conversationId: rows[0]!.conversationId,
    deliveryId: delivery.id,
    rejectedDeliveryId: rejectedDelivery.id,
    eventId: built.id,
    endpointId: endpoint.id,
    attemptId: attempt.id,
  };
}

let ours: Seeded;
let theirs: Seeded;
let readKey: string;
let writeKey: string;
let revokedKey: string;
let theirKey: string;

beforeAll(async () => {
  ours = await seedApiTeam("API team", new Date("2026-03-01T09:00:00Z"));
  theirs = await seedApiTeam("Other team", new Date("2026-03-01T09:00:00Z"));
  readKey = (await createApiKey(prisma, { teamId: ours.teamId, name: "Reader", scope: "READ", createdById: ours.ownerId })).secret;
  writeKey = (await createApiKey(prisma, { teamId: ours.teamId, name: "Writer", scope: "READ_WRITE", createdById: ours.ownerId })).secret;
  const revoked = await createApiKey(prisma, { teamId: ours.teamId, name: "Old", scope: "READ_WRITE", createdById: null });
  await revokeApiKey(prisma, { teamId: ours.teamId, keyId: revoked.key.id });
  revokedKey = revoked.secret;
  theirKey = (await createApiKey(prisma, { teamId: theirs.teamId, name: "Theirs", scope: "READ_WRITE", createdById: theirs.ownerId })).secret;
});

describe("API keys", () => {
  it("are moshi_live_ and 256 random bits, stored only as their SHA-256, with a hint of their end", async () => {
    expect(readKey).toMatch(/^moshi_live_[A-Za-z0-9_-]{43}$/);
    const stored = await prisma.apiKey.findMany({ where: { teamId: ours.teamId } });
    expect(stored).toHaveLength(3);
    for (const key of stored) expect(JSON.stringify(key)).not.toContain(readKey.slice("moshi_live_".length));
    const reader = stored.find((key) => key.name === "Reader")!;
    expect(reader.hint).toBe(`live_…${readKey.slice(-4)}`);
  });

  it("refuse requests without a key, with a malformed, unknown or revoked one: 401 with WWW-Authenticate", async () => {
    const cases = [
      { authorization: undefined },
      { authorization: "" },
      { authorization: "Bearer" },
      { authorization: "Bearer not-a-key" },
      { authorization: `Basic ${Buffer.from(`x:${readKey}`).toString("base64")}` },
      { authorization: `Bearer moshi_live_${"A".repeat(43)}` },
      { authorization: `Bearer ${revokedKey}` },
      { authorization: `Bearer ${readKey}x` },
    ];
    for (const { authorization } of cases) {
      const result = await call(messages.GET, "/messages", authorization === undefined ? {} : { authorization });
      expectProblem(result, 401);
      expect(result.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    // The same key, well presented, works: the refusals above were about the key alone.
    expect((await call(messages.GET, "/messages", { authorization: `bearer   ${readKey}` })).status).toBe(200);
  });

  it("record when they were last used, at most once a minute", async () => {
    const { key, secret } = await createApiKey(prisma, { teamId: ours.teamId, name: "Touch", scope: "READ", createdById: null });
    expect(key.lastUsedAt).toBeNull();
    await call(numbers.GET, "/numbers", { key: secret });
    const first = (await prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await call(numbers.GET, "/numbers", { key: secret });
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toEqual(first);
    const longAgo = new Date(Date.now() - 5 * 60_000);
    await prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: longAgo } });
    await call(numbers.GET, "/numbers", { key: secret });
    const later = (await prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt!;
    expect(later.getTime()).toBeGreaterThan(longAgo.getTime() + 60_000);
  });
});

describe("every route", () => {
  it("lists and gets the team's messages, exactly as messageResource builds them", async () => {
    const list = await call(messages.GET, "/messages", { key: readKey });
    expect(list.status).toBe(200);
    const page = listOf(messageSchema).parse(list.body);
    expect(page.data.map((m) => m.id)).toEqual([...ours.messageIds].reverse());
    expect(page.nextCursor).toBeNull();
    const row = await prisma.message.findUniqueOrThrow({ where: { id: ours.messageIds[0]! } });
    const one = await call(message.GET, `/messages/${row.id}`, { key: readKey, id: row.id });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(JSON.parse(JSON.stringify(messageResource(row))));
    expect(page.data.at(-1)).toEqual(one.body);
  });

  it("lists and gets conversations", async () => {
    const list = await call(conversations.GET, "/conversations", { key: readKey });
    const page = listOf(conversationSchema).parse(list.body);
    expect(page.data.map((c) => c.sender.address)).toEqual([BOB, ALICE]);
    expect(page.data[1]).toMatchObject({ id: ours.conversationId, phoneNumberId: ours.numberId, messageCount: 2, sender: { address: ALICE, country: "JP" } });
    const one = await call(conversation.GET, `/conversations/${ours.conversationId}`, { key: readKey, id: ours.conversationId });
    expect(conversationSchema.parse(one.body)).toEqual(page.data[1]);
  });

  it("lists and gets numbers, never their tokens or secrets", async () => {
    const list = await call(numbers.GET, "/numbers", { key: readKey });
    const page = listOf(phoneNumberSchema).parse(list.body);
    expect(page.data).toEqual([expect.objectContaining({ id: ours.numberId, e164: OUR_NUMBER, provider: "RAKUTEN", label: "Tokyo" })]);
    const one = await call(number.GET, `/numbers/${ours.numberId}`, { key: readKey, id: ours.numberId });
    expect(phoneNumberSchema.parse(one.body)).toEqual(page.data[0]);
    for (const text of [list.text, one.text]) {
      expect(text).not.toContain(ours.tokenHash);
      expect(text).not.toMatch(/tokenHash|secret/i);
    }
  });

  it("lists deliveries without bodies, filtered by outcome, and gets one with its raw request", async () => {
    const list = await call(deliveries.GET, "/deliveries", { key: readKey });
    const page = listOf(deliverySchema).parse(list.body);
    expect(page.data).toHaveLength(4);
    for (const item of list.body.data) expect(item).not.toHaveProperty("body");
    const rejected = listOf(deliverySchema).parse((await call(deliveries.GET, "/deliveries?outcome=REJECTED", { key: readKey })).body);
    expect(rejected.data.map((d) => d.id)).toEqual([ours.rejectedDeliveryId]);
    expect(rejected.data[0]).toMatchObject({ outcome: "REJECTED", status: 400, reasonCode: "invalid_payload" });

    const one = deliveryDetailSchema.parse((await call(delivery.GET, `/deliveries/${ours.rejectedDeliveryId}`, { key: readKey, id: ours.rejectedDeliveryId })).body);
    expect(one.body).toEqual({ encoding: "text", data: "not json", size: 8 });
    const stored = deliveryDetailSchema.parse((await call(delivery.GET, `/deliveries/${ours.deliveryId}`, { key: readKey, id: ours.deliveryId })).body);
    expect(stored.messageIds).toHaveLength(1);
    expect(JSON.parse(stored.body.data)).toMatchObject({ sender_address: expect.any(String) });
  });

  it("gives a body that is not clean UTF-8 as base64 of its exact bytes", async () => {
    const bytes = Buffer.from([0x7b, 0xff, 0x00, 0x7d]);
    await prisma.delivery.update({ where: { id: ours.rejectedDeliveryId }, data: { body: bytes } });
    try {
      const one = deliveryDetailSchema.parse((await call(delivery.GET, `/deliveries/${ours.rejectedDeliveryId}`, { key: readKey, id: ours.rejectedDeliveryId })).body);
      expect(one.body).toEqual({ encoding: "base64", data: bytes.toString("base64"), size: 4 });
    } finally {
      await prisma.delivery.update({ where: { id: ours.rejectedDeliveryId }, data: { body: Buffer.from("not json") } });
    }
  });

  it("lists and gets events with their payload as JSON, filtered by type", async () => {
    // The events in the outbox: the one seeded here, and any ingestion wrote for the messages.
    const stored = await prisma.event.findMany({ where: { teamId: ours.teamId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    expect(stored.map((e) => e.id)).toContain(ours.eventId);
    const list = listOf(eventRecordSchema).parse((await call(events.GET, "/events?limit=100", { key: readKey })).body);
    expect(list.data.map((e) => e.id)).toEqual(stored.map((e) => e.id));
    for (const [i, row] of stored.entries()) expect(list.data[i]!.payload).toEqual(JSON.parse(row.payload));
    const seeded = list.data.find((e) => e.id === ours.eventId)!;
    expect(seeded).toMatchObject({ type: "message.received", test: false, phoneNumberId: ours.numberId });

    for (const type of ["message.received", "consent.changed", "message.incomplete"]) {
      const filtered = listOf(eventRecordSchema).parse((await call(events.GET, `/events?type=${type}&limit=100`, { key: readKey })).body);
      expect(filtered.data.map((e) => e.id), type).toEqual(stored.filter((e) => e.type === type).map((e) => e.id));
    }
    const one = await call(event.GET, `/events/${ours.eventId}`, { key: readKey, id: ours.eventId });
    expect(eventRecordSchema.parse(one.body)).toEqual(seeded);
  });

  it("lists and gets endpoints without secrets, and an endpoint's attempts", async () => {
    const list = await call(endpoints.GET, "/endpoints", { key: readKey });
    const page = listOf(endpointSchema).parse(list.body);
    expect(page.data.map((e) => e.id)).toEqual([ours.endpointId]);
    expect(list.text).not.toContain("sealed-secret-never-shown");
    const one = await call(endpoint.GET, `/endpoints/${ours.endpointId}`, { key: readKey, id: ours.endpointId });
    expect(endpointSchema.parse(one.body)).toEqual(page.data[0]);
    expect(one.text).not.toMatch(/secret/i);

    const attempts = listOf(attemptSchema).parse((await call(endpointAttempts.GET, `/endpoints/${ours.endpointId}/attempts`, { key: readKey, id: ours.endpointId })).body);
    expect(attempts.data).toEqual([expect.objectContaining({ id: ours.attemptId, eventId: ours.eventId, statusCode: 502, succeeded: false })]);
    const other = listOf(attemptSchema).parse((await call(endpointAttempts.GET, `/endpoints/${ours.endpointId}/attempts?event=evt_none`, { key: readKey, id: ours.endpointId })).body);
    expect(other.data).toEqual([]);
  });

  it("marks a conversation read for the key's creator with a read-write key, and refuses a read key with 403", async () => {
    const unreadOf = async (userId: string) => (await findConversation(prisma, { teamId: ours.teamId, userId, conversationId: ours.conversationId }))!.unreadCount;
    // A teammate, whose read state the key must leave alone.
    const teammate = await seedUser("Teammate");
    await prisma.membership.create({ data: { teamId: ours.teamId, userId: teammate.id, role: "MEMBER" } });
    expect(await unreadOf(ours.ownerId)).toBe(2);
    const refused = await call(markRead.POST, `/conversations/${ours.conversationId}/read`, { key: readKey, id: ours.conversationId, method: "POST" });
    expectProblem(refused, 403);
    expect(await unreadOf(ours.ownerId)).toBe(2);

    const done = await call(markRead.POST, `/conversations/${ours.conversationId}/read`, { key: writeKey, id: ours.conversationId, method: "POST" });
    expect(done.status).toBe(200);
    expect(conversationSchema.parse(done.body).unreadCount).toBe(0);
    expect(await unreadOf(ours.ownerId)).toBe(0);
    expect(await unreadOf(teammate.id)).toBe(2);

    // A key whose creator is no longer in the team has nobody to mark it read for.
    const orphan = (await createApiKey(prisma, { teamId: ours.teamId, name: "Orphan", scope: "READ_WRITE", createdById: null })).secret;
    expectProblem(await call(markRead.POST, `/conversations/${ours.conversationId}/read`, { key: orphan, id: ours.conversationId, method: "POST" }), 409);
    const leaver = (await createApiKey(prisma, { teamId: ours.teamId, name: "Leaver", scope: "READ_WRITE", createdById: teammate.id })).secret;
    await prisma.membership.deleteMany({ where: { teamId: ours.teamId, userId: teammate.id } });
    expectProblem(await call(markRead.POST, `/conversations/${ours.conversationId}/read`, { key: leaver, id: ours.conversationId, method: "POST" }), 409);
    expect(await prisma.conversationRead.count({ where: { userId: teammate.id } })).toBe(0);
    // Read-write keys read too.
    expect((await call(messages.GET, "/messages", { key: writeKey })).status).toBe(200);
  });
});

describe("filters", () => {
  const ids = async (query: string) => listOf(messageSchema).parse((await call(messages.GET, `/messages${query}`, { key: readKey })).body).data.map((m) => m.text);

  it("narrow messages by number, conversation, sender, keyword, text and time", async () => {
    expect(await ids(`?number=${ours.numberId}`)).toHaveLength(3);
    expect(await ids(`?number=${theirs.numberId}`)).toEqual([]);
    expect(await ids(`?conversation=${ours.conversationId}`)).toEqual(["Yes please", "Hello, 100% sure"]);
    expect(await ids(`?sender=${encodeURIComponent(BOB)}`)).toEqual(["STOP"]);
    // An unencoded "+" arrives as a space, and still means the number.
    expect(await ids(`?sender=${BOB}`)).toEqual(["STOP"]);
    expect(await ids("?keyword=stop")).toEqual(["STOP"]);
    expect(await ids("?q=PLEASE")).toEqual(["Yes please"]);
    expect(await ids("?q=100%25")).toEqual(["Hello, 100% sure"]);
    // LIKE wildcards are plain characters: "_" matches no text here, "%" only the one with a percent sign.
    expect(await ids("?q=_")).toEqual([]);
    expect(await ids("?q=%25")).toEqual(["Hello, 100% sure"]);
    expect(await ids("?since=2026-03-01T09:01:00Z")).toEqual(["STOP", "Yes please"]);
    expect(await ids("?until=2026-03-01T09:01:00Z")).toEqual(["Hello, 100% sure"]);
    expect(await ids("?since=2026-03-01T18:00:30%2B09:00&until=2026-03-01T09:02:00Z")).toEqual(["Yes please"]);
  });

  it("narrow conversations by unread, keyword and text", async () => {
    const senders = async (query: string) => listOf(conversationSchema).parse((await call(conversations.GET, `/conversations${query}`, { key: readKey })).body).data.map((c) => c.sender.address);
    expect(await senders("?keyword=STOP")).toEqual([BOB]);
    expect(await senders("?q=hello")).toEqual([ALICE]);
    for (const { id } of await prisma.conversation.findMany({ where: { teamId: ours.teamId } })) {
      await markConversationRead(prisma, { teamId: ours.teamId, userId: ours.ownerId, conversationId: id });
    }
    expect(await senders("?unread=true")).toEqual([]);
    await markConversationUnread(prisma, { teamId: ours.teamId, userId: ours.ownerId, conversationId: ours.conversationId });
    expect(await senders("?unread=true")).toEqual([ALICE]);
    expect(await senders("?state=open")).toEqual([BOB, ALICE]);
    await markConversationDone(prisma, { teamId: ours.teamId, userId: ours.ownerId, conversationId: ours.conversationId });
    expect(await senders("?state=open")).toEqual([BOB]);
    expect(await senders("?state=done")).toEqual([ALICE]);
    await reopenConversation(prisma, { teamId: ours.teamId, conversationId: ours.conversationId });
    expect(await senders("?state=done")).toEqual([]);
  });
});

describe("another team's ids", () => {
  it("are not found on every route, exactly like ids that do not exist", async () => {
    const cases: [Handler, string, string, string?][] = [
      [message.GET, "/messages/", theirs.messageIds[0]!],
      [conversation.GET, "/conversations/", theirs.conversationId],
      [markRead.POST, "/conversations/", theirs.conversationId, "POST"],
      [number.GET, "/numbers/", theirs.numberId],
      [delivery.GET, "/deliveries/", theirs.deliveryId],
      [event.GET, "/events/", theirs.eventId],
      [endpoint.GET, "/endpoints/", theirs.endpointId],
      [endpointAttempts.GET, "/endpoints/", theirs.endpointId],
    ];
    for (const [handler, prefix, id, method] of cases) {
      const theirsAnswer = expectProblem(await call(handler, `${prefix}${id}`, { key: writeKey, id, method }), 404);
      const missing = expectProblem(await call(handler, `${prefix}nope`, { key: writeKey, id: "nope", method }), 404);
      expect(theirsAnswer).toEqual(missing);
      // Their own key does see them: the 404 is about the team, not the id.
      expect((await call(handler, `${prefix}${id}`, { key: theirKey, id, method })).status).toBe(200);
    }
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: theirs.conversationId } })).teamId).toBe(theirs.teamId);
    // Ids that cannot be ids are not found either, not errors.
    expectProblem(await call(message.GET, "/messages/x", { key: readKey, id: "../../etc/passwd" }), 404);
    expectProblem(await call(message.GET, "/messages/x", { key: readKey, id: "a".repeat(500) }), 404);
  });

  it("never appear in lists", async () => {
    const texts = [
      (await call(messages.GET, "/messages?limit=100", { key: readKey })).text,
      (await call(deliveries.GET, "/deliveries?limit=100", { key: readKey })).text,
      (await call(events.GET, "/events", { key: readKey })).text,
      (await call(endpoints.GET, "/endpoints", { key: readKey })).text,
      (await call(numbers.GET, "/numbers", { key: readKey })).text,
      (await call(conversations.GET, "/conversations", { key: readKey })).text,
    ];
    for (const id of [...theirs.messageIds, theirs.deliveryId, theirs.eventId, theirs.endpointId, theirs.numberId, theirs.conversationId]) {
      for (const text of texts) expect(text).not.toContain(id);
    }
  });
});

describe("bad requests", () => {
  it("answer 400 problem+json naming each bad query parameter", async () => {
    const cases: [Handler, string, string][] = [
      [messages.GET, "/messages?limit=0", "limit"],
      [messages.GET, "/messages?limit=101", "limit"],
      [messages.GET, "/messages?limit=ten", "limit"],
      [messages.GET, "/messages?limit=2.5", "limit"],
      [messages.GET, "/messages?cursor=bm90LWEtY3Vyc29y", "cursor"],
      [messages.GET, "/messages?since=yesterday", "since"],
      [messages.GET, "/messages?until=2026-13-01T00:00:00Z", "until"],
      [messages.GET, "/messages?since=0000-01-01T00:00:00Z", "since"],
      [messages.GET, "/messages?q=a%00b", "q"],
      [messages.GET, "/messages?keyword=%20%20", "keyword"],
      [messages.GET, "/messages?q=", "q"],
      [messages.GET, `/messages?q=${"x".repeat(101)}`, "q"],
      [messages.GET, "/messages?limit=1&limit=2", "limit"],
      [messages.GET, "/messages?numbr=abc", "numbr"],
      [conversations.GET, "/conversations?unread=yes", "unread"],
      [deliveries.GET, "/deliveries?outcome=LOST", "outcome"],
      [events.GET, "/events?type=message.sent", "type"],
      [numbers.GET, "/numbers?q=x", "q"],
    ];
    for (const [handler, url, parameter] of cases) {
      const problem = expectProblem(await call(handler, url, { key: readKey }), 400, url);
      expect(problem.errors?.map((e) => e.parameter), url).toContain(parameter);
    }
  });

  it("answer 405 with Allow for a method the route does not have, and 404 for no route", async () => {
    const put = await call(messages.PUT as Handler, "/messages", { key: readKey, method: "PUT" });
    expectProblem(put, 405);
    expect(put.headers.get("allow")).toBe("GET");
    const get = await call(markRead.GET as Handler, `/conversations/${ours.conversationId}/read`, { key: writeKey, method: "GET" });
    expectProblem(get, 405);
    expect(get.headers.get("allow")).toBe("POST");
    expectProblem(await call(notARoute.GET as Handler, "/mesages", { key: readKey }), 404);
  });
});

describe("pagination", () => {
  it("walks 1,050 messages with limit 100, each exactly once, newest first, ties in id order", async () => {
    const { team } = await seedTeam("Many messages");
    const { number } = await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164: OUR_NUMBER, label: "Busy" });
    const thread = await prisma.conversation.create({ data: { teamId: team.id, phoneNumberId: number.id, sender: ALICE, lastMessageAt: new Date(), messageCount: 1050 } });
    const start = Date.parse("2026-01-01T00:00:00Z");
    // Pairs of messages share a time, so the order within a tie is the id's.
    await prisma.message.createMany({
      data: Array.from({ length: 1050 }, (_, i) => ({
        teamId: team.id,
        phoneNumberId: number.id,
        conversationId: thread.id,
        provider: "RAKUTEN" as const,
        from: ALICE,
        to: OUR_NUMBER,
        encoding: "GSM7" as const,
        text: `Message ${i}`,
        status: "COMPLETE" as const,
        partsExpected: 1,
        partsReceived: 1,
        receivedAt: new Date(start + Math.floor(i / 2) * 1000),
      })),
    });
    const { secret } = await createApiKey(prisma, { teamId: team.id, name: "Pager", scope: "READ", createdById: null });
    const expected = (await prisma.message.findMany({ where: { teamId: team.id }, orderBy: [{ receivedAt: "desc" }, { id: "desc" }], select: { id: true } })).map((m) => m.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const result = await call(messages.GET, `/messages${query}`, { key: secret });
      expect(result.status).toBe(200);
      const page = listOf(messageSchema).parse(result.body);
      expect(page.data.length).toBe(pages < 10 ? 100 : 50);
      seen.push(...page.data.map((m) => m.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 20);
    expect(pages).toBe(11);
    expect(new Set(seen).size).toBe(1050);
    expect(seen).toEqual(expected);

    // The default page is 50.
    expect(listOf(messageSchema).parse((await call(messages.GET, "/messages", { key: secret })).body).data).toHaveLength(50);
  });

  it("pages every list the same way", async () => {
    const first = listOf(deliverySchema).parse((await call(deliveries.GET, "/deliveries?limit=3", { key: readKey })).body);
    expect(first.data).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = listOf(deliverySchema).parse((await call(deliveries.GET, `/deliveries?limit=3&cursor=${first.nextCursor}`, { key: readKey })).body);
    expect(second.data).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.data, ...second.data].map((d) => d.id)).size).toBe(4);

    const conversationsFirst = listOf(conversationSchema).parse((await call(conversations.GET, "/conversations?limit=1", { key: readKey })).body);
    const conversationsSecond = listOf(conversationSchema).parse(
      (await call(conversations.GET, `/conversations?limit=1&cursor=${conversationsFirst.nextCursor}`, { key: readKey })).body,
    );
    expect([...conversationsFirst.data, ...conversationsSecond.data].map((c) => c.sender.address)).toEqual([BOB, ALICE]);
    expect(conversationsSecond.nextCursor).toBeNull();
  });
});

describe("the rate limit", () => {
  const previous = process.env.MOSHI_API_RATE_LIMIT;
  afterEach(() => {
    if (previous === undefined) delete process.env.MOSHI_API_RATE_LIMIT;
    else process.env.MOSHI_API_RATE_LIMIT = previous;
  });

  it("answers 429 with Retry-After once a key has used its requests for the minute, and counts each key apart", async () => {
    process.env.MOSHI_API_RATE_LIMIT = "3";
    const { secret } = await createApiKey(prisma, { teamId: ours.teamId, name: "Limited", scope: "READ", createdById: null });
    const { secret: other } = await createApiKey(prisma, { teamId: ours.teamId, name: "Other", scope: "READ", createdById: null });
    for (let i = 0; i < 3; i++) expect((await call(numbers.GET, "/numbers", { key: secret })).status).toBe(200);
    const limited = await call(numbers.GET, "/numbers", { key: secret });
    expectProblem(limited, 429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await call(numbers.GET, "/numbers", { key: other })).status).toBe(200);
  });
});

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 whose references all resolve", async () => {
    const response = await openapi.GET();
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toMatch(/^3\.1\./);
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(() => validator.resolveRefs()).not.toThrow();
    for (const name of ["Message", "Conversation", "PhoneNumber", "Delivery", "DeliveryDetail", "EventRecord", "Endpoint", "Attempt", "Problem"]) {
      expect(document.components.schemas, name).toHaveProperty(name);
    }
  });

  it("has every route file's path and methods, and only those", async () => {
    const document = await (await openapi.GET()).json();
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([route, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${route}`),
    );
    const served: string[] = [];
    const root = path.join(import.meta.dirname, "../../app/api/v1");
    for (const file of readdirSync(root, { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith("route.ts") || file.includes("[...path]") || file.includes("openapi.json")) continue;
      const route = `/api/v1/${path.dirname(file)}`.replace(/\[(\w+)\]/g, "{$1}");
      const exported = (await import(/* @vite-ignore */ path.join(root, file))) as Record<string, unknown>;
      // Methods that answer 405 are not operations; the others are.
      for (const method of ["GET", "POST"]) {
        const handler = exported[method] as Handler | undefined;
        if (!handler) continue;
        const probe = await handler(new Request(`http://moshi.test${route}`, { method }), { params: Promise.resolve({ id: "x" }) });
        if (probe.status !== 405) served.push(`${method} ${route}`);
      }
    }
    expect(served.length).toBe(14);
    expect(documented.sort()).toEqual(served.sort());
  });

  it("says which parameters each list takes", async () => {
    const document = await (await openapi.GET()).json();
    const names = (route: string) => (document.paths[route].get.parameters as { name: string }[]).map((p) => p.name);
    expect(names("/api/v1/messages")).toEqual(["number", "conversation", "sender", "keyword", "q", "since", "until", "limit", "cursor"]);
    expect(names("/api/v1/deliveries")).toEqual(["number", "outcome", "limit", "cursor"]);
    expect(names("/api/v1/events/{id}")).toEqual(["id"]);
    expect(document.paths["/api/v1/conversations/{id}/read"].post.responses).toHaveProperty("403");
  });
});

describe("hostile input", () => {
  it("never leads to a 5xx", async () => {
    const values = [
      "%00",
      "a%00b",
      "%C0%AF",
      "%ED%A0%80",
      "🙂",
      "x".repeat(5000),
      "-1",
      "1e309",
      "9".repeat(40),
      "0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59-23:59",
      "275760-09-13T00:00:00Z",
      "%",
      "_",
      "\\",
      "'; DROP TABLE \"Message\"; --",
      "null",
      "[]",
      "%20",
    ];
    const lists: [Handler, string, string[]][] = [
      [messages.GET, "/messages", ["number", "conversation", "sender", "keyword", "q", "since", "until", "limit", "cursor"]],
      [conversations.GET, "/conversations", ["number", "unread", "keyword", "q", "limit", "cursor"]],
      [deliveries.GET, "/deliveries", ["number", "outcome", "limit", "cursor"]],
      [events.GET, "/events", ["type", "cursor"]],
      [endpointAttempts.GET, `/endpoints/${ours.endpointId}/attempts`, ["event", "cursor"]],
    ];
    const failures: string[] = [];
    for (const [handler, route, parameters] of lists) {
      for (const parameter of parameters) {
        for (const value of values) {
          const url = `${route}?${parameter}=${value}`;
          const result = await call(handler, url, { key: readKey, id: route.includes("attempts") ? ours.endpointId : undefined });
          if (result.status >= 500 || ![200, 400].includes(result.status)) failures.push(`${url.slice(0, 120)} → ${result.status}`);
        }
      }
    }
    for (const id of ["%00", "a\u0000b", "🙂", "x".repeat(5000)]) {
      const result = await call(message.GET, "/messages/x", { key: readKey, id });
      if (result.status !== 404) failures.push(`message id ${JSON.stringify(id.slice(0, 20))} → ${result.status}`);
    }
    expect(failures).toEqual([]);
  });
});
