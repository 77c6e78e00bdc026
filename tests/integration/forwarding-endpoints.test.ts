import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { openSecret } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { buildEvent, rejectedDelivery } from "@/lib/events/resources";
import { EVENT_TYPES } from "@/lib/events/schema";
import {
  PREVIOUS_SECRET_VALID_MS,
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  getEndpointWithStats,
  listAttempts,
  listDisabledByMoshi,
  listEndpoints,
  resendDispatches,
  rotateEndpointSecret,
  sendTestEvent,
  setEndpointEnabled,
  updateEndpoint,
} from "@/lib/forwarding/endpoints";
import { prisma, seedTeam } from "../helpers/db";

afterAll(() => prisma.$disconnect());
afterEach(() => vi.unstubAllEnvs());

const URL_ = "https://hooks.example.com/moshi";
const input = (overrides: Partial<Parameters<typeof createEndpoint>[2]> = {}) => ({ url: URL_, description: "CRM", eventTypes: [], phoneNumberIds: [], ...overrides });

/** The AppError a call throws, to assert its code and field errors. */
async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function addNumber(teamId: string, e164 = "+815012345678") {
  return prisma.phoneNumber.create({ data: { teamId, provider: "RAKUTEN", e164, label: "Tokyo", tokenHash: `hash-${crypto.randomUUID()}`, tokenHint: "abcd" } });
}

/** The queued graphile-worker job of a dispatch, if any. */
async function jobOf(dispatchId: string) {
  const rows = await prisma.$queryRaw<{ identifier: string; key: string }[]>`
    SELECT t."identifier", j."key" FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t."id" = j."task_id"
    WHERE j."key" = ${`dispatch:${dispatchId}`}`;
  return rows[0] ?? null;
}

/** An event in the outbox, fanned out by the trigger to the team's endpoints that want it. */
async function emitRejection(teamId: string, phoneNumberId: string) {
  const now = new Date();
  const data = rejectedDelivery({ deliveryId: "dlv_1", phoneNumberId, provider: "RAKUTEN", status: 401, reasonCode: "signature_mismatch", reason: "Signature does not match.", receivedAt: now });
  const event = buildEvent("delivery.rejected", data, { at: now, phoneNumberId });
  await prisma.event.create({ data: { ...event, teamId } });
  return event;
}

describe("forwarding endpoints", () => {
  it("creates an endpoint with a secret shown once and stored sealed", async () => {
    const { team, user } = await seedTeam();
    const number = await addNumber(team.id);
    const { endpoint, secret } = await createEndpoint(prisma, team.id, input({ url: " https://hooks.example.com/moshi ", eventTypes: ["message.received"], phoneNumberIds: [number.id] }), user.id);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({ url: URL_, description: "CRM", eventTypes: ["message.received"], phoneNumberIds: [number.id], enabled: true });
    const row = await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(JSON.stringify(row)).not.toContain(secret.slice(6));
    expect(openSecret(row.secretSealed)).toMatchObject({ ok: true, value: secret });

    // Every type chosen means all of them, including types added later.
    const all = await createEndpoint(prisma, team.id, input({ eventTypes: [...EVENT_TYPES] }), user.id);
    expect(all.endpoint.eventTypes).toEqual([]);

    // Made off: it is off without a reason from Moshi, so no banner.
    const off = await createEndpoint(prisma, team.id, input({ enabled: false }), user.id);
    expect(off.endpoint.enabled).toBe(false);
    expect(await listDisabledByMoshi(prisma, team.id)).toEqual([]);
  });

  it("refuses what it cannot send to, with the reason on the field", async () => {
    const { team, user } = await seedTeam();
    expect((await appError(createEndpoint(prisma, team.id, input({ url: "hooks.example.com" }), user.id))).fieldErrors).toEqual({ url: expect.stringContaining("full URL") });
    expect((await appError(createEndpoint(prisma, team.id, input({ url: "ftp://hooks.example.com/" }), user.id))).fieldErrors?.url).toMatch(/https/);
    expect((await appError(createEndpoint(prisma, team.id, input({ url: "https://user:pw@hooks.example.com/" }), user.id))).fieldErrors?.url).toMatch(/credentials/);
    expect((await appError(createEndpoint(prisma, team.id, input({ eventTypes: ["message.sent"] }), user.id))).fieldErrors).toHaveProperty("eventTypes");
    expect((await appError(createEndpoint(prisma, team.id, input({ description: "x".repeat(201) }), user.id))).fieldErrors).toHaveProperty("description");

    // Development accepts plain http to this machine; production refuses it and private addresses.
    vi.stubEnv("MOSHI_ALLOW_PRIVATE_ENDPOINTS", "true");
    const local = await createEndpoint(prisma, team.id, input({ url: "http://127.0.0.1:4400/events" }), user.id);
    expect(local.endpoint.url).toBe("http://127.0.0.1:4400/events");
    expect((await appError(createEndpoint(prisma, team.id, input({ url: "http://hooks.example.com/" }), user.id))).fieldErrors?.url).toMatch(/localhost or 127\.0\.0\.1/);

    vi.stubEnv("MOSHI_ALLOW_PRIVATE_ENDPOINTS", "false");
    expect((await appError(createEndpoint(prisma, team.id, input({ url: "http://127.0.0.1:4400/events" }), user.id))).fieldErrors?.url).toBe("Use https://.");
    expect((await appError(createEndpoint(prisma, team.id, input({ url: "http://localhost:4400/events" }), user.id))).fieldErrors?.url).toBe("Use https://.");
    expect((await appError(createEndpoint(prisma, team.id, input({ url: "https://10.0.0.8/events" }), user.id))).fieldErrors?.url).toMatch(/not on the public internet/);
    expect((await appError(createEndpoint(prisma, team.id, input({ url: "https://[::1]/events" }), user.id))).fieldErrors?.url).toMatch(/not on the public internet/);
  });

  it("refuses another team's numbers", async () => {
    const { team, user } = await seedTeam();
    const other = await seedTeam("Other");
    const theirs = await addNumber(other.team.id);
    const error = await appError(createEndpoint(prisma, team.id, input({ phoneNumberIds: [theirs.id] }), user.id));
    expect(error.fieldErrors).toEqual({ phoneNumberIds: "Choose numbers of this team." });
  });

  it("updates, turns off and on, and deletes", async () => {
    const { team, user } = await seedTeam();
    const { endpoint } = await createEndpoint(prisma, team.id, input(), user.id);
    await updateEndpoint(prisma, team.id, endpoint.id, input({ url: "https://crm.example.org/hook", description: "New CRM", eventTypes: ["consent.changed"] }));
    expect(await getEndpoint(prisma, team.id, endpoint.id)).toMatchObject({ url: "https://crm.example.org/hook", description: "New CRM", eventTypes: ["consent.changed"] });
    expect((await appError(updateEndpoint(prisma, team.id, endpoint.id, input({ url: "nope" })))).code).toBe("INVALID");

    // Turning it on clears what Moshi said when it turned it off.
    await prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { enabled: false, disabledReason: "It answered 410 Gone, which asks senders to stop.", disabledAt: new Date() } });
    expect(await listDisabledByMoshi(prisma, team.id)).toEqual([expect.objectContaining({ id: endpoint.id, url: "https://crm.example.org/hook", disabledReason: expect.stringContaining("410") })]);
    await setEndpointEnabled(prisma, team.id, endpoint.id, true);
    expect(await getEndpoint(prisma, team.id, endpoint.id)).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
    expect(await listDisabledByMoshi(prisma, team.id)).toEqual([]);
    await setEndpointEnabled(prisma, team.id, endpoint.id, false);
    expect(await getEndpoint(prisma, team.id, endpoint.id)).toMatchObject({ enabled: false, disabledReason: null });

    await deleteEndpoint(prisma, team.id, endpoint.id);
    expect(await listEndpoints(prisma, team.id)).toEqual([]);
    expect((await appError(deleteEndpoint(prisma, team.id, endpoint.id))).code).toBe("NOT_FOUND");
  });

  it("rotates the secret and keeps the old one signing for 24 hours", async () => {
    const { team, user } = await seedTeam();
    const { endpoint, secret: first } = await createEndpoint(prisma, team.id, input(), user.id);
    const now = new Date();
    const { secret: second } = await rotateEndpointSecret(prisma, team.id, endpoint.id, now);
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(first);
    const row = await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(openSecret(row.secretSealed)).toMatchObject({ ok: true, value: second });
    expect(openSecret(row.previousSecretSealed!)).toMatchObject({ ok: true, value: first });
    expect(row.previousSecretExpiresAt?.getTime()).toBe(now.getTime() + PREVIOUS_SECRET_VALID_MS);
  });

  it("treats another team's endpoint as not found", async () => {
    const { team, user } = await seedTeam();
    const other = await seedTeam("Other");
    const { endpoint } = await createEndpoint(prisma, team.id, input(), user.id);
    const theirs = other.team.id;
    for (const call of [
      () => getEndpoint(prisma, theirs, endpoint.id),
      () => getEndpointWithStats(prisma, theirs, endpoint.id),
      () => updateEndpoint(prisma, theirs, endpoint.id, input()),
      () => setEndpointEnabled(prisma, theirs, endpoint.id, false),
      () => rotateEndpointSecret(prisma, theirs, endpoint.id),
      () => deleteEndpoint(prisma, theirs, endpoint.id),
      () => sendTestEvent(prisma, theirs, endpoint.id),
      () => resendDispatches(prisma, theirs, endpoint.id, { failedSince: new Date(0), failedUntil: new Date() }),
    ]) {
      expect((await appError(call())).code).toBe("NOT_FOUND");
    }
    expect((await listAttempts(prisma, theirs, endpoint.id)).attempts).toEqual([]);
    expect(await getEndpoint(prisma, team.id, endpoint.id)).toMatchObject({ enabled: true, url: URL_ });
  });

  it("sends a test event to that endpoint only, and not to one that is off", async () => {
    const { team, user } = await seedTeam();
    await addNumber(team.id);
    const { endpoint } = await createEndpoint(prisma, team.id, input({ eventTypes: ["consent.changed"] }), user.id);
    const { endpoint: bystander } = await createEndpoint(prisma, team.id, input(), user.id);
    const { eventId } = await sendTestEvent(prisma, team.id, endpoint.id);

    const event = await prisma.event.findUniqueOrThrow({ where: { id: eventId } });
    expect(event).toMatchObject({ teamId: team.id, endpointId: endpoint.id, type: "message.received" });
    expect(JSON.parse(event.payload)).toMatchObject({ type: "message.received", test: true, data: { text: expect.stringContaining("TEST") } });
    // Its filters do not apply; no other endpoint gets it.
    const dispatches = await prisma.eventDispatch.findMany({ where: { eventId } });
    expect(dispatches.map((d) => d.endpointId)).toEqual([endpoint.id]);
    expect(dispatches.map((d) => d.endpointId)).not.toContain(bystander.id);
    expect(await jobOf(dispatches[0]!.id)).toMatchObject({ identifier: "moshi_forward" });

    await setEndpointEnabled(prisma, team.id, endpoint.id, false);
    expect((await appError(sendTestEvent(prisma, team.id, endpoint.id))).message).toMatch(/turn it on/);
  });

  it("resends a failed dispatch, or every failed one of a period, queueing each again", async () => {
    const { team, user } = await seedTeam();
    const number = await addNumber(team.id);
    const { endpoint } = await createEndpoint(prisma, team.id, input(), user.id);
    const events = [await emitRejection(team.id, number.id), await emitRejection(team.id, number.id), await emitRejection(team.id, number.id)];
    const dispatches = await prisma.eventDispatch.findMany({ where: { endpointId: endpoint.id }, orderBy: { createdAt: "asc" } });
    expect(dispatches).toHaveLength(3);
    // As the engine leaves them: given up, their jobs done.
    await prisma.eventDispatch.updateMany({ where: { endpointId: endpoint.id }, data: { status: "FAILED", nextAttemptAt: null, failureReason: "Retried for 24 hours without success." } });
    await prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE "key" = ANY(${dispatches.map((d) => `dispatch:${d.id}`)})`;
    const [one, two, three] = dispatches as [(typeof dispatches)[number], (typeof dispatches)[number], (typeof dispatches)[number]];
    const old = new Date(Date.now() - 3 * 86_400_000);
    await prisma.eventDispatch.update({ where: { id: three.id }, data: { createdAt: old } });

    expect(await resendDispatches(prisma, team.id, endpoint.id, { dispatchId: one.id })).toBe(1);
    expect(await prisma.eventDispatch.findUniqueOrThrow({ where: { id: one.id } })).toMatchObject({ status: "PENDING", failureReason: null, eventId: events[0]!.id });
    expect(await jobOf(one.id)).toMatchObject({ identifier: "moshi_forward" });
    expect(await jobOf(two.id)).toBeNull();

    // The last day: the second; the third failed before it and stays failed.
    const count = await resendDispatches(prisma, team.id, endpoint.id, { failedSince: new Date(Date.now() - 86_400_000), failedUntil: new Date(Date.now() + 60_000) });
    expect(count).toBe(1);
    expect((await prisma.eventDispatch.findUniqueOrThrow({ where: { id: two.id } })).status).toBe("PENDING");
    expect(await jobOf(two.id)).toMatchObject({ identifier: "moshi_forward" });
    expect((await prisma.eventDispatch.findUniqueOrThrow({ where: { id: three.id } })).status).toBe("FAILED");
    expect(await jobOf(three.id)).toBeNull();

    // The dispatch of another endpoint, or none: not found.
    expect((await appError(resendDispatches(prisma, team.id, endpoint.id, { dispatchId: "nope" }))).code).toBe("NOT_FOUND");
    // An endpoint that is off is turned on first.
    await setEndpointEnabled(prisma, team.id, endpoint.id, false);
    expect((await appError(resendDispatches(prisma, team.id, endpoint.id, { dispatchId: three.id }))).message).toMatch(/turned off/);
  });

  it("sums up attempts and pages through them newest first", async () => {
    const { team, user } = await seedTeam();
    const number = await addNumber(team.id);
    const { endpoint } = await createEndpoint(prisma, team.id, input(), user.id);
    await emitRejection(team.id, number.id);
    const dispatch = await prisma.eventDispatch.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    const base = Date.now() - 60_000;
    await prisma.endpointAttempt.createMany({
      data: Array.from({ length: 5 }, (_, i) => ({
        teamId: team.id,
        endpointId: endpoint.id,
        dispatchId: dispatch.id,
        eventId: dispatch.eventId,
        startedAt: new Date(base + i * 1000),
        durationMs: (i + 1) * 100,
        statusCode: i === 4 ? 200 : 500,
        responseBody: i === 4 ? "ok" : "boom",
        succeeded: i === 4,
      })),
    });
    const withStats = await getEndpointWithStats(prisma, team.id, endpoint.id);
    expect(withStats.stats).toMatchObject({ attempts: 5, successRate: 0.2, p50Ms: 300, p95Ms: 500, pending: 1, failed: 0 });
    expect((await listEndpoints(prisma, team.id))[0]!.stats).toEqual(withStats.stats);

    const first = await listAttempts(prisma, team.id, endpoint.id, { limit: 2 });
    expect(first.attempts.map((a) => a.durationMs)).toEqual([500, 400]);
    expect(first.attempts[0]).toMatchObject({ succeeded: true, dispatch: { status: "PENDING", event: { type: "delivery.rejected" } } });
    const second = await listAttempts(prisma, team.id, endpoint.id, { limit: 2, cursor: first.nextCursor! });
    expect(second.attempts.map((a) => a.durationMs)).toEqual([300, 200]);
    expect((await listAttempts(prisma, team.id, endpoint.id, { status: "succeeded" })).attempts).toHaveLength(1);
    expect((await listAttempts(prisma, team.id, endpoint.id, { status: "failed" })).attempts).toHaveLength(4);
  });
});
