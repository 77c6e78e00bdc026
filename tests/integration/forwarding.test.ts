/**
 * Forwarding end to end on PostgreSQL: messages go in through the ingestion pipeline, the
 * outbox and its trigger queue jobs, real graphile-worker workers run them, and a real HTTP
 * server on 127.0.0.1 receives the events and verifies them with the `standardwebhooks`
 * library, as a team's endpoint would. Faults are caused, not simulated: the endpoint closed,
 * answering 500 or 410, hanging; the worker process killed mid-request; the database killing
 * the worker's connections.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/db";
import { createNumber } from "@/lib/data/numbers";
import { createTeamWithOwner } from "@/lib/data/teams";
import { eventSchema } from "@/lib/events/schema";
import { forwardingConfig, type ForwardingConfig } from "@/lib/forwarding/config";
import { sweepDispatches } from "@/lib/forwarding/dispatch";
import { createEndpoint, rotateEndpointSecret } from "@/lib/forwarding/endpoints";
import { createWorkerPool, drainDueJobs, startWorker, type ForwardingWorker } from "@/lib/forwarding/worker";
import { closeIncompleteMessages } from "@/lib/sms/close-incomplete";
import type { SimulatedMessage } from "@/lib/sms/simulate";
import { ownDatabase } from "../helpers/own-database";
import { deliver } from "../helpers/receive";
import { startReceiver, waitFor, type Receiver } from "../helpers/receiver";

const embedded = process.env.MOSHI_TEST_EMBEDDED === "1";

/** Production's rules, on a clock a test can wait for. */
const fast: ForwardingConfig = {
  ...forwardingConfig({ NODE_ENV: "test" }),
  timeoutMs: 2000,
  retryBaseMs: 100,
  retryCapMs: 400,
  // Long enough that a slow attempt on a busy machine is never taken for a lost one and sent twice.
  leaseMs: 5000,
  sweepAfterMs: 300,
};

describe.skipIf(embedded)("forwarding", () => {
  let database: Awaited<ReturnType<typeof ownDatabase>>;
  let prisma: PrismaClient;
  const pools: pg.Pool[] = [];
  const workers: ForwardingWorker[] = [];
  const receivers: Receiver[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await ownDatabase();
    prisma = database.prisma;
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill("SIGKILL");
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function worker(config: ForwardingConfig = fast, applicationName = "moshi-forward-test") {
    const url = new URL(database.url);
    url.searchParams.set("application_name", applicationName);
    const pool = createWorkerPool(url.toString(), 8);
    pools.push(pool);
    const started = await startWorker({ pool, concurrency: 6, config, pollIntervalMs: 100 });
    workers.push(started);
    return started;
  }

  async function receiver(options: Parameters<typeof startReceiver>[0] = {}) {
    const started = await startReceiver(options);
    receivers.push(started);
    return started;
  }

  let numberSeq = 0;
  async function setup(receiving: Receiver, endpointOptions: { eventTypes?: string[] } = {}) {
    const user = await prisma.user.create({ data: { email: `owner-${Date.now()}-${numberSeq}@example.test` } });
    const team = await createTeamWithOwner(prisma, { name: "Forwarding", ownerId: user.id });
    const e164 = `+8150${String(10_000_000 + numberSeq++).padStart(8, "0")}`;
    const rakuten = await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164, label: "Tokyo" });
    const vonage = await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: `+1219${String(2_000_000 + numberSeq++).padStart(7, "0")}`, label: "US", credentials: { signatureMethod: "SHA256", signatureSecret: "vonage-signature-secret-123" } });
    const { endpoint, secret } = await createEndpoint(prisma, team.id, { url: receiving.url, description: "test", eventTypes: endpointOptions.eventTypes ?? [], phoneNumberIds: [] }, user.id);
    receiving.setSecrets([secret]);
    return { team, rakuten, vonage, endpoint, secret };
  }

  const send = (token: string, message: Omit<SimulatedMessage, "now">, receivedAt = new Date(), onlyParts?: number[]) =>
    deliver(prisma, token, message, receivedAt, { onlyParts });

  const parse = (body: string) => eventSchema.parse(JSON.parse(body));

  it("delivers every event type, signed, with the stored message's values", async () => {
    const endpoint = await receiver();
    const { team, rakuten, vonage } = await setup(endpoint);
    await worker();

    expect(await send(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: rakuten.number.e164.slice(1), text: "Hello from Tokyo" })).toEqual([200]);
    const long = "予約の確認です。".repeat(20);
    expect(await send(rakuten.token, { provider: "RAKUTEN", from: "819011112222", to: rakuten.number.e164.slice(1), text: long, parts: 3 })).toEqual([200, 200, 200]);
    expect(await send(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: rakuten.number.e164.slice(1), text: "STOP" })).toEqual([200]);
    // Unsigned, to a number that requires signatures: refused, and reported.
    expect(await send(vonage.token, { provider: "VONAGE", from: "447700900123", to: vonage.number.e164.slice(1), text: "hi", credentials: null })).toEqual([401]);

    await waitFor(() => endpoint.verifiedIds().size === 5, "five verified events");
    const events = endpoint.received.map((r) => ({ ...r, event: parse(r.body) }));
    expect(events.every((e) => e.verifiedWith === 0)).toBe(true);
    const byType = (type: string) => events.filter((e) => e.event.type === type);
    expect(byType("message.received")).toHaveLength(3);
    expect(byType("consent.changed")).toHaveLength(1);
    expect(byType("delivery.rejected")).toHaveLength(1);

    // Each event is the stored row, as the API shows it: ids, thread, times, text.
    const messages = await prisma.message.findMany({ where: { teamId: team.id }, orderBy: { receivedAt: "asc" } });
    for (const message of messages) {
      const sent = byType("message.received").find((e) => e.event.data && "id" in e.event.data && e.event.data.id === message.id);
      expect(sent, `event for ${message.text}`).toBeDefined();
      const data = sent!.event.data as { conversationId: string; receivedAt: string; text: string; parts: { expected: number; received: number }; from: { address: string; country: string } };
      expect(data.conversationId).toBe(message.conversationId);
      expect(data.receivedAt).toBe(message.receivedAt.toISOString());
      expect(data.text).toBe(message.text);
      expect(data.parts).toEqual({ expected: message.partsExpected, received: message.partsReceived });
      expect(data.from.country).toBe("JP");
    }
    expect(byType("message.received").map((e) => (e.event.data as { text: string }).text)).toContain(long);
    const consent = byType("consent.changed")[0]!.event.data as { optedOut: boolean; keyword: string; conversationId: string };
    expect(consent).toMatchObject({ optedOut: true, keyword: "STOP" });
    const stopThread = await prisma.conversation.findFirstOrThrow({ where: { teamId: team.id, sender: "+819012345678" } });
    expect(consent.conversationId).toBe(stopThread.id);
    const rejected = byType("delivery.rejected")[0]!.event.data as { reasonCode: string; status: number; deliveryId: string };
    expect(rejected).toMatchObject({ reasonCode: "signature_missing", status: 401 });
    expect(await prisma.delivery.count({ where: { id: rejected.deliveryId, teamId: team.id } })).toBe(1);

    // The webhook-id is the event's id, and every dispatch is recorded as delivered.
    const stored = await prisma.event.findMany({ where: { teamId: team.id } });
    expect(new Set(stored.map((e) => e.id))).toEqual(endpoint.verifiedIds());
    for (const e of stored) expect(endpoint.received.find((r) => r.id === e.id)!.body).toBe(e.payload);
    expect(await prisma.eventDispatch.count({ where: { teamId: team.id, status: "DELIVERED" } })).toBe(5);
  });

  it("reports a long message given up after 24 hours, once, with the parts that arrived", async () => {
    const endpoint = await receiver();
    const { team, rakuten } = await setup(endpoint, { eventTypes: ["message.incomplete"] });
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    const text = "This long message loses its last part somewhere between the carrier and us. ".repeat(3);
    expect(await send(rakuten.token, { provider: "RAKUTEN", from: "819055556666", to: rakuten.number.e164.slice(1), text, parts: 3 }, dayAgo, [1, 2])).toEqual([200, 200]);
    const pool = createWorkerPool(database.url, 2);
    pools.push(pool);
    expect(await closeIncompleteMessages(pool)).toBeGreaterThanOrEqual(1);
    expect(await closeIncompleteMessages(pool)).toBe(0);
    await worker();
    await waitFor(() => endpoint.verifiedIds().size === 1, "the incomplete event");
    const event = parse(endpoint.received[0]!.body);
    expect(event.type).toBe("message.incomplete");
    const message = await prisma.message.findFirstOrThrow({ where: { teamId: team.id } });
    expect(message).toMatchObject({ status: "INCOMPLETE", concatKey: null });
    expect(message.incompleteAt).not.toBeNull();
    expect(event.data).toMatchObject({ id: message.id, status: "incomplete", parts: { expected: 3, received: 2 }, text: message.text });
    // The parts that arrived, and a mark where the missing one goes.
    expect((event.data as { text: string }).text.startsWith(text.slice(0, 150))).toBe(true);
    // Only the type the endpoint asked for: the first two parts' delivery made no other event go out.
    expect(await prisma.eventDispatch.count({ where: { teamId: team.id } })).toBe(1);
  });

  it("delivers without a worker process, by draining due jobs as Vercel's after() and cron do", async () => {
    const endpoint = await receiver();
    const { team, rakuten } = await setup(endpoint);
    await send(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: rakuten.number.e164.slice(1), text: "no worker here" });
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    await send(rakuten.token, { provider: "RAKUTEN", from: "819077778888", to: rakuten.number.e164.slice(1), text: "lost part ".repeat(40), parts: 3 }, dayAgo, [1]);
    const pool = createWorkerPool(database.url, 4);
    pools.push(pool);
    await drainDueJobs(pool, fast, { scheduled: true });
    // The drain returns once no job is due: both events went out within it.
    expect([...endpoint.verifiedIds()].length).toBe(2);
    const types = endpoint.received.map((r) => parse(r.body).type).sort();
    expect(types).toEqual(["message.incomplete", "message.received"]);
    expect(await prisma.eventDispatch.count({ where: { teamId: team.id, status: "DELIVERED" } })).toBe(2);
  });

  it("sweeps: queues a dispatch whose attempt was lost, gives up one stuck past its window", async () => {
    const endpoint = await receiver();
    const { team, rakuten } = await setup(endpoint);
    await send(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: rakuten.number.e164.slice(1), text: "lost" });
    await send(rakuten.token, { provider: "RAKUTEN", from: "819012345679", to: rakuten.number.e164.slice(1), text: "stuck" });
    const [lost, stuck] = await prisma.eventDispatch.findMany({ where: { teamId: team.id }, orderBy: { createdAt: "asc" } });
    // As a dead worker leaves them: held past the lease, their jobs gone.
    await prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE key IN (${`dispatch:${lost!.id}`}, ${`dispatch:${stuck!.id}`})`;
    const past = new Date(Date.now() - 5 * 60_000);
    await prisma.eventDispatch.update({ where: { id: lost!.id }, data: { nextAttemptAt: past } });
    await prisma.eventDispatch.update({ where: { id: stuck!.id }, data: { nextAttemptAt: past, retryFrom: new Date(Date.now() - 26 * 60 * 60 * 1000) } });
    const pool = createWorkerPool(database.url, 2);
    pools.push(pool);
    expect(await sweepDispatches(pool, forwardingConfig({ NODE_ENV: "test" }))).toBeGreaterThanOrEqual(1);
    expect(await prisma.eventDispatch.findUniqueOrThrow({ where: { id: stuck!.id } })).toMatchObject({ status: "FAILED", failureReason: expect.stringMatching(/retry window/) });
    await worker();
    await waitFor(async () => (await prisma.eventDispatch.findUniqueOrThrow({ where: { id: lost!.id } })).status === "DELIVERED", "the lost one delivered");
    expect(endpoint.received).toHaveLength(1);
  });

  it("retries a 500 with the same webhook-id until the endpoint answers 200", async () => {
    const endpoint = await receiver({ answer: (_r, index) => (index === 0 ? { status: 500, body: "database is down" } : { status: 200 }) });
    const { team, rakuten } = await setup(endpoint);
    await worker();
    await send(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: rakuten.number.e164.slice(1), text: "retry me" });

    await waitFor(() => endpoint.received.length >= 2, "a retry");
    const [first, second] = endpoint.received;
    expect(second!.id).toBe(first!.id);
    expect(second!.body).toBe(first!.body);
    expect(second!.verifiedWith).toBe(0);
    await waitFor(async () => (await prisma.eventDispatch.count({ where: { teamId: team.id, status: "DELIVERED" } })) === 1, "delivered");
    const attempts = await prisma.endpointAttempt.findMany({ where: { teamId: team.id }, orderBy: { startedAt: "asc" } });
    expect(attempts.map((a) => [a.statusCode, a.succeeded])).toEqual([[500, false], [200, true]]);
    expect(attempts[0]!.responseBody).toBe("database is down");
    expect(attempts[0]!.nextAttemptAt).not.toBeNull();
    const dispatch = await prisma.eventDispatch.findFirstOrThrow({ where: { teamId: team.id } });
    expect(dispatch.attemptCount).toBe(2);
  });

  it("delivers every event after the endpoint was down for a while, none lost", async () => {
    const endpoint = await receiver();
    const { team, rakuten, secret } = await setup(endpoint);
    const port = endpoint.port;
    await endpoint.close();
    receivers.splice(receivers.indexOf(endpoint), 1);
    await worker();

    for (let i = 0; i < 20; i++) {
      await send(rakuten.token, { provider: "RAKUTEN", from: `8190${String(20_000_000 + i)}`, to: rakuten.number.e164.slice(1), text: `message ${i}` });
    }
    // Every event fails at least once against the closed port.
    await waitFor(async () => (await prisma.eventDispatch.count({ where: { teamId: team.id, attemptCount: { gte: 1 } } })) === 20, "a failed attempt each", 60_000);
    const refused = await prisma.endpointAttempt.findFirstOrThrow({ where: { teamId: team.id } });
    expect(refused.statusCode).toBeNull();
    expect(refused.error).toMatch(/refused/i);

    const back = await receiver({ port, secrets: [secret] });
    await waitFor(() => back.verifiedIds().size === 20, "all 20 events after the endpoint came back", 60_000);
    const events = await prisma.event.findMany({ where: { teamId: team.id } });
    expect(new Set(events.map((e) => e.id))).toEqual(back.verifiedIds());
    await waitFor(async () => (await prisma.eventDispatch.count({ where: { teamId: team.id, status: "DELIVERED" } })) === 20, "20 delivered");
  });

  it("disables an endpoint that answers 410 Gone, and sends it nothing more", async () => {
    const endpoint = await receiver({ answer: () => ({ status: 410, body: "gone" }) });
    const { team, rakuten, endpoint: row } = await setup(endpoint);
    await worker();
    await send(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: rakuten.number.e164.slice(1), text: "first" });
    await waitFor(async () => !(await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: row.id } })).enabled, "the endpoint disabled");
    const disabled = await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: row.id } });
    expect(disabled.disabledReason).toMatch(/410/);
    expect(await prisma.eventDispatch.findFirstOrThrow({ where: { teamId: team.id } })).toMatchObject({ status: "FAILED", attemptCount: 1 });

    await send(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: rakuten.number.e164.slice(1), text: "second" });
    expect(await prisma.event.count({ where: { teamId: team.id } })).toBe(2);
    expect(await prisma.eventDispatch.count({ where: { teamId: team.id } })).toBe(1);
    expect(endpoint.received).toHaveLength(1);
  });

  it("gives up after the retry window and disables an endpoint that failed for all of it", async () => {
    const endpoint = await receiver({ answer: () => ({ status: 503 }) });
    const { team, rakuten, endpoint: row } = await setup(endpoint);
    await worker({ ...fast, windowMs: 1500 });
    await send(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: rakuten.number.e164.slice(1), text: "never answered" });
    await waitFor(async () => (await prisma.eventDispatch.findFirstOrThrow({ where: { teamId: team.id } })).status === "FAILED", "the event given up", 30_000);
    const dispatch = await prisma.eventDispatch.findFirstOrThrow({ where: { teamId: team.id } });
    expect(dispatch.attemptCount).toBeGreaterThan(2);
    // Given up as the window ran out: for the event, or for the endpoint if its streak, which
    // began with this event's first attempt, reached the window first.
    expect(dispatch.failureReason).toMatch(/Retried for|failed for/);
    // Then the next failure at the latest finds the endpoint failing for a whole window: it is turned off.
    if ((await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: row.id } })).enabled) await send(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: rakuten.number.e164.slice(1), text: "still nobody there" });
    await waitFor(async () => !(await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: row.id } })).enabled, "the endpoint disabled");
    const disabled = await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: row.id } });
    expect(disabled.disabledReason).toMatch(/failed for/);
    const attempts = await prisma.endpointAttempt.findMany({ where: { dispatchId: dispatch.id }, orderBy: { startedAt: "asc" } });
    // Backoff: each wait at least as long as the one before, give or take the jitter.
    const gaps = attempts.slice(1).map((a, i) => a.startedAt.getTime() - attempts[i]!.startedAt.getTime());
    expect(gaps.every((gap) => gap >= 70)).toBe(true);
    expect(attempts.at(-1)!.nextAttemptAt).toBeNull();
  });

  it("still delivers an event whose worker was killed in the middle of sending it", async () => {
    let arrived = false;
    const endpoint = await receiver({
      answer: (_r, index) => {
        if (index === 0) {
          arrived = true;
          return "hang";
        }
        return { status: 200 };
      },
    });
    const { team, rakuten } = await setup(endpoint);
    const child = spawn(process.execPath, ["--import", "tsx", path.join(process.cwd(), "scripts/worker.ts")], {
      // A lease long enough that this worker cannot take the event back itself before it is
      // killed, however slow the machine: the second worker does, once the lease has run out.
      env: { ...process.env, DATABASE_URL: database.url, MOSHI_FORWARD_LEASE_MS: "8000", MOSHI_FORWARD_SWEEP_AFTER_MS: "300", MOSHI_FORWARD_TIMEOUT_MS: "60000", WORKER_CONCURRENCY: "2" },
      stdio: "ignore",
    });
    children.push(child);
    await send(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: rakuten.number.e164.slice(1), text: "do not lose me" });
    await waitFor(() => arrived, "the first request to arrive", 60_000);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await prisma.eventDispatch.findFirstOrThrow({ where: { teamId: team.id } })).toMatchObject({ status: "PENDING", attemptCount: 0 });

    await worker();
    await waitFor(async () => (await prisma.eventDispatch.findFirstOrThrow({ where: { teamId: team.id } })).status === "DELIVERED", "delivery by the second worker");
    // Sent again under the same webhook-id (more than once if a busy machine outlasts the short
    // test lease: at least once is the promise, and the id lets the receiver drop repeats).
    expect(endpoint.received.length).toBeGreaterThanOrEqual(2);
    expect(new Set(endpoint.received.map((r) => r.id)).size).toBe(1);
    expect(endpoint.received.at(-1)!.verifiedWith).toBe(0);
  });

  it("two workers at once send each event to the consumer under one webhook-id", async () => {
    const endpoint = await receiver({ answer: () => ({ status: 200, delayMs: 5 }) });
    const { team, rakuten } = await setup(endpoint);
    await Promise.all([worker(fast, "moshi-forward-a"), worker(fast, "moshi-forward-b")]);
    const sends = [];
    for (let i = 0; i < 60; i++) sends.push(send(rakuten.token, { provider: "RAKUTEN", from: `8170${String(30_000_000 + i)}`, to: rakuten.number.e164.slice(1), text: `burst ${i}` }));
    await Promise.all(sends);
    await waitFor(() => endpoint.verifiedIds().size === 60, "60 events");
    await waitFor(async () => (await prisma.eventDispatch.count({ where: { teamId: team.id, status: "DELIVERED" } })) === 60, "60 delivered");
    // Any repeat carries the same id and body, so the consumer can drop it.
    const bodies = new Map<string, string>();
    for (const r of endpoint.received) {
      expect(bodies.get(r.id) ?? r.body).toBe(r.body);
      bodies.set(r.id, r.body);
    }
    const events = await prisma.event.findMany({ where: { teamId: team.id }, select: { id: true } });
    expect(new Set(events.map((e) => e.id))).toEqual(endpoint.verifiedIds());
  });

  it("survives the database cutting the worker's connections mid-run", async () => {
    const endpoint = await receiver({ answer: () => ({ status: 200, delayMs: 20 }) });
    const { team, rakuten } = await setup(endpoint);
    await worker(fast, "moshi-forward-cut");
    let cut = 0;
    const cutter = setInterval(() => {
      void prisma.$queryRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'moshi-forward-cut'`.then(() => cut++).catch(() => {});
    }, 150);
    try {
      for (let i = 0; i < 30; i++) await send(rakuten.token, { provider: "RAKUTEN", from: `8160${String(40_000_000 + i)}`, to: rakuten.number.e164.slice(1), text: `cut ${i}` });
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      clearInterval(cutter);
    }
    expect(cut).toBeGreaterThan(3);
    await waitFor(() => endpoint.verifiedIds().size === 30, "all 30 events after the cuts", 60_000);
    await waitFor(async () => (await prisma.eventDispatch.count({ where: { teamId: team.id, status: "DELIVERED" } })) === 30, "30 delivered", 60_000);
  });

  it("signs with both secrets for a day after a rotation", async () => {
    const endpoint = await receiver();
    const { team, rakuten, endpoint: row, secret: old } = await setup(endpoint);
    const { secret: fresh } = await rotateEndpointSecret(prisma, team.id, row.id);
    endpoint.setSecrets([fresh, old]);
    await worker();
    await send(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: rakuten.number.e164.slice(1), text: "rotated" });
    await waitFor(() => endpoint.received.length === 1, "the event");
    const [request] = endpoint.received;
    expect(request!.signature.split(" ")).toHaveLength(2);
    // Each secret on its own verifies it: a receiver may switch at any moment of the day.
    for (const secret of [fresh, old]) {
      endpoint.setSecrets([secret]);
      expect(endpoint.verifiedIds().size).toBe(1);
    }
    const { Webhook } = await import("standardwebhooks");
    expect(() => new Webhook(old).verify(request!.body, request!.headers)).not.toThrow();
    expect(() => new Webhook(fresh).verify(request!.body, request!.headers)).not.toThrow();
  });

  it("refuses private and loopback addresses in production, checking the resolved address at send time", async () => {
    const endpoint = await receiver();
    const { team, rakuten, endpoint: row } = await setup(endpoint);
    // Saved while allowed (development); sent under production's rules. `localhost` is a name:
    // only its resolved address can tell.
    await prisma.webhookEndpoint.update({ where: { id: row.id }, data: { url: `http://localhost:${endpoint.port}/events` } });
    await worker({ ...fast, allowNonPublic: false, windowMs: 400 });
    await send(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: rakuten.number.e164.slice(1), text: "to a private address" });
    await waitFor(async () => (await prisma.endpointAttempt.count({ where: { teamId: team.id } })) >= 1, "an attempt");
    const attempt = await prisma.endpointAttempt.findFirstOrThrow({ where: { teamId: team.id } });
    expect(attempt.statusCode).toBeNull();
    expect(attempt.error).toMatch(/not a public address/);
    expect(endpoint.received).toHaveLength(0);
  });

  it("does not follow redirects, times out slow endpoints, and keeps at most a KiB of an answer", async () => {
    const endpoint = await receiver({
      answer: (_r, index) =>
        index === 0
          ? { status: 302, headers: { location: "http://127.0.0.1:9/elsewhere" } }
          : index === 1
            ? { status: 200, delayMs: 3000 }
            : { status: 500, body: "x".repeat(100_000) },
    });
    const { team, rakuten } = await setup(endpoint);
    await worker({ ...fast, timeoutMs: 500 });
    await send(rakuten.token, { provider: "RAKUTEN", from: "819012345678", to: rakuten.number.e164.slice(1), text: "odd endpoints" });
    await waitFor(async () => (await prisma.endpointAttempt.count({ where: { teamId: team.id } })) >= 3, "three attempts");
    const attempts = await prisma.endpointAttempt.findMany({ where: { teamId: team.id }, orderBy: { startedAt: "asc" }, take: 3 });
    expect(attempts[0]).toMatchObject({ statusCode: 302, succeeded: false });
    expect(attempts[0]!.error).toMatch(/Redirects are not followed/);
    expect(attempts[1]).toMatchObject({ statusCode: null, succeeded: false });
    expect(attempts[1]!.error).toMatch(/timed out/);
    expect(attempts[2]).toMatchObject({ statusCode: 500, succeeded: false });
    expect(attempts[2]!.responseBody!.length).toBeLessThanOrEqual(1024);
  });
});
