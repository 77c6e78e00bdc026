/**
 * A team's forwarding endpoints, their attempts, test events and resends. Every query filters on
 * the team: another team's endpoint is "not found".
 */
import "server-only";
import { encryptSecret } from "@/lib/crypto";
import { AppError, notFoundError } from "@/lib/errors";
import { buildEvent, messageResource } from "@/lib/events/resources";
import { EVENT_TYPES, isEventType, type EventType } from "@/lib/events/schema";
import { decodePosition, encodePosition, olderThan } from "@/lib/data/keyset";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { adapters, PROVIDERS } from "@/lib/sms/registry";
import { isLocalHostname, isNonPublicAddress } from "./addresses";
import { forwardingConfig } from "./config";
import { generateSigningSecret } from "./signing";
import { isIP } from "node:net";

/** The old secret keeps signing this long after a rotation, so receivers can switch over. */
export const PREVIOUS_SECRET_VALID_MS = 24 * 60 * 60 * 1000;
export const MAX_ENDPOINTS_PER_TEAM = 20;

/**
 * The URL as it will be called, or why it cannot be. HTTPS always; plain HTTP only to this
 * machine, and only where non-public addresses are allowed (development). In production a
 * literal private address is refused here, and every resolved address again at send time.
 */
export function checkEndpointUrl(input: string, allowNonPublic = forwardingConfig().allowNonPublic): { ok: true; url: string } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, error: "Enter a full URL, starting with https://." };
  }
  if (url.username || url.password) return { ok: false, error: "Leave credentials out of the URL: every request is signed instead." };
  if (url.hash) return { ok: false, error: "A URL with a #fragment cannot be called: remove it." };
  const local = isLocalHostname(url.hostname);
  if (url.protocol === "http:") {
    if (!(local && allowNonPublic)) {
      return { ok: false, error: allowNonPublic ? "Use https://. Plain http:// is accepted only for localhost or 127.0.0.1." : "Use https://." };
    }
  } else if (url.protocol !== "https:") {
    return { ok: false, error: "Use an https:// URL." };
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowNonPublic && (local || (isIP(host) && isNonPublicAddress(host)))) {
    return { ok: false, error: "That address is not on the public internet: Moshi cannot send to it." };
  }
  if (url.toString().length > 2000) return { ok: false, error: "The URL is too long (2,000 characters at most)." };
  return { ok: true, url: url.toString() };
}

export type EndpointInput = { url: string; description: string; eventTypes: string[]; phoneNumberIds: string[] };

async function validInput(prisma: PrismaClient, teamId: string, input: EndpointInput) {
  const checked = checkEndpointUrl(input.url);
  if (!checked.ok) throw new AppError("INVALID", checked.error, { url: checked.error });
  const eventTypes = [...new Set(input.eventTypes)];
  const unknown = eventTypes.filter((type) => !isEventType(type));
  if (unknown.length) throw new AppError("INVALID", `Unknown event type: ${unknown.join(", ")}.`, { eventTypes: "Choose from the listed event types." });
  const phoneNumberIds = [...new Set(input.phoneNumberIds)];
  if (phoneNumberIds.length) {
    const found = await prisma.phoneNumber.count({ where: { teamId, id: { in: phoneNumberIds } } });
    if (found !== phoneNumberIds.length) throw new AppError("INVALID", "Choose numbers of this team.", { phoneNumberIds: "Choose numbers of this team." });
  }
  const description = input.description.trim();
  if (description.length > 200) throw new AppError("INVALID", "Keep the description under 200 characters.", { description: "200 characters at most." });
  // Every type chosen is the same as none chosen: all, including types added later.
  return { url: checked.url, description, eventTypes: eventTypes.length === EVENT_TYPES.length ? [] : eventTypes, phoneNumberIds };
}

/**
 * Creates an endpoint, on unless `enabled` is false (made off, it receives nothing until turned
 * on); its signing secret is returned here and never again.
 */
export async function createEndpoint(prisma: PrismaClient, teamId: string, input: EndpointInput & { enabled?: boolean }, createdById: string | null) {
  const data = await validInput(prisma, teamId, input);
  const count = await prisma.webhookEndpoint.count({ where: { teamId } });
  if (count >= MAX_ENDPOINTS_PER_TEAM) throw new AppError("INVALID", `A team can have ${MAX_ENDPOINTS_PER_TEAM} endpoints.`);
  const secret = generateSigningSecret();
  const enabled = input.enabled ?? true;
  const endpoint = await prisma.webhookEndpoint.create({
    data: { ...data, teamId, createdById, secretSealed: encryptSecret(secret), enabled, disabledAt: enabled ? null : new Date() },
  });
  return { endpoint, secret };
}

export async function updateEndpoint(prisma: PrismaClient, teamId: string, id: string, input: EndpointInput) {
  const data = await validInput(prisma, teamId, input);
  const { count } = await prisma.webhookEndpoint.updateMany({ where: { id, teamId }, data });
  if (count === 0) throw notFoundError("Endpoint not found");
}

/** Turns an endpoint on or off; turning it on clears what Moshi said when it disabled it. */
export async function setEndpointEnabled(prisma: PrismaClient, teamId: string, id: string, enabled: boolean) {
  const { count } = await prisma.webhookEndpoint.updateMany({
    where: { id, teamId },
    data: enabled ? { enabled, disabledReason: null, disabledAt: null, failingSince: null } : { enabled, disabledReason: null, disabledAt: new Date() },
  });
  if (count === 0) throw notFoundError("Endpoint not found");
}

export async function deleteEndpoint(prisma: PrismaClient, teamId: string, id: string) {
  const { count } = await prisma.webhookEndpoint.deleteMany({ where: { id, teamId } });
  if (count === 0) throw notFoundError("Endpoint not found");
}

/** A new secret, returned once; the old one keeps signing for PREVIOUS_SECRET_VALID_MS. */
export async function rotateEndpointSecret(prisma: PrismaClient, teamId: string, id: string, now = new Date()) {
  const endpoint = await prisma.webhookEndpoint.findFirst({ where: { id, teamId }, select: { secretSealed: true } });
  if (!endpoint) throw notFoundError("Endpoint not found");
  const secret = generateSigningSecret();
  // Only if the secret read is still the current one: of two rotations at once, the second
  // would otherwise retire the first's new secret as "previous" before anyone saw it sign.
  const { count } = await prisma.webhookEndpoint.updateMany({
    where: { id, teamId, secretSealed: endpoint.secretSealed },
    data: { secretSealed: encryptSecret(secret), previousSecretSealed: endpoint.secretSealed, previousSecretExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_VALID_MS) },
  });
  if (count === 0) throw new AppError("CONFLICT", "The secret was rotated at the same moment by someone else: reload the page and try again.");
  return { secret };
}

export type EndpointSummary = Awaited<ReturnType<typeof listEndpoints>>[number];

/** The team's endpoints with the last 7 days' attempts summed up: success rate and latency. */
export async function listEndpoints(prisma: PrismaClient, teamId: string, now = new Date()) {
  const endpoints = await prisma.webhookEndpoint.findMany({
    where: { teamId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: ENDPOINT_FIELDS,
  });
  if (endpoints.length === 0) return [];
  const stats = await summarizeAttempts(prisma, teamId, null, now);
  return endpoints.map((endpoint) => ({ ...endpoint, stats: stats.get(endpoint.id) ?? NO_STATS }));
}

/** One endpoint with the same 7-day summary as the list, for its own page. */
export async function getEndpointWithStats(prisma: PrismaClient, teamId: string, id: string, now = new Date()) {
  const endpoint = await getEndpoint(prisma, teamId, id);
  const stats = await summarizeAttempts(prisma, teamId, id, now);
  return { ...endpoint, stats: stats.get(id) ?? NO_STATS };
}

export type EndpointStats = { attempts: number; successRate: number | null; p50Ms: number | null; p95Ms: number | null; pending: number; failed: number };

const NO_STATS: EndpointStats = { attempts: 0, successRate: null, p50Ms: null, p95Ms: null, pending: 0, failed: 0 };

/** Per endpoint of the team (or the one given): the last 7 days' attempts, and dispatches waiting or failed. */
async function summarizeAttempts(prisma: PrismaClient, teamId: string, endpointId: string | null, now: Date): Promise<Map<string, EndpointStats>> {
  const since = new Date(now.getTime() - 7 * 24 * 60 * 60 * 1000);
  const stats = await prisma.$queryRaw<{ endpointId: string; attempts: number; succeeded: number; p50: number | null; p95: number | null; pending: number; failed: number }[]>`
    SELECT w."id" AS "endpointId", a."attempts", a."succeeded", a."p50", a."p95", d."pending", d."failed"
    FROM "WebhookEndpoint" w
    -- One pass over each endpoint's recent attempts, and one over its unfinished dispatches.
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS "attempts", (count(*) FILTER (WHERE a."succeeded"))::int AS "succeeded",
        percentile_disc(0.5) WITHIN GROUP (ORDER BY a."durationMs") FILTER (WHERE a."statusCode" IS NOT NULL) AS "p50",
        percentile_disc(0.95) WITHIN GROUP (ORDER BY a."durationMs") FILTER (WHERE a."statusCode" IS NOT NULL) AS "p95"
      FROM "EndpointAttempt" a WHERE a."endpointId" = w."id" AND a."startedAt" >= ${since}
    ) a
    CROSS JOIN LATERAL (
      SELECT (count(*) FILTER (WHERE d."status" = 'PENDING'))::int AS "pending", (count(*) FILTER (WHERE d."status" = 'FAILED'))::int AS "failed"
      FROM "EventDispatch" d WHERE d."endpointId" = w."id" AND d."status" IN ('PENDING', 'FAILED')
    ) d
    WHERE w."teamId" = ${teamId} ${endpointId ? Prisma.sql`AND w."id" = ${endpointId}` : Prisma.empty}`;
  return new Map(
    stats.map((row) => [
      row.endpointId,
      {
        attempts: row.attempts,
        successRate: row.attempts > 0 ? row.succeeded / row.attempts : null,
        p50Ms: row.p50,
        p95Ms: row.p95,
        pending: row.pending,
        failed: row.failed,
      },
    ]),
  );
}

const ENDPOINT_FIELDS = {
  id: true,
  url: true,
  description: true,
  eventTypes: true,
  phoneNumberIds: true,
  enabled: true,
  disabledReason: true,
  disabledAt: true,
  failingSince: true,
  previousSecretExpiresAt: true,
  createdAt: true,
  createdBy: { select: { name: true, email: true } },
} satisfies Prisma.WebhookEndpointSelect;

export async function getEndpoint(prisma: PrismaClient, teamId: string, id: string) {
  const endpoint = await prisma.webhookEndpoint.findFirst({ where: { id, teamId }, select: ENDPOINT_FIELDS });
  if (!endpoint) throw notFoundError("Endpoint not found");
  return endpoint;
}

/** Endpoints Moshi turned off (410 Gone, a day of failures), for the banner that tells the team. */
export async function listDisabledByMoshi(prisma: PrismaClient, teamId: string) {
  return prisma.webhookEndpoint.findMany({
    where: { teamId, enabled: false, disabledReason: { not: null } },
    select: { id: true, url: true, disabledReason: true, disabledAt: true },
    orderBy: { disabledAt: "desc" },
  });
}

export const ATTEMPTS_PAGE_SIZE = 50;

/** An endpoint's attempts, newest first, a keyset page at a time. */
export async function listAttempts(prisma: PrismaClient, teamId: string, endpointId: string, options: { cursor?: string; status?: "failed" | "succeeded"; limit?: number } = {}) {
  const limit = Math.min(100, Math.max(1, options.limit ?? ATTEMPTS_PAGE_SIZE));
  const position = options.cursor ? decodePosition(options.cursor) : null;
  const rows = await prisma.endpointAttempt.findMany({
    where: {
      teamId,
      endpointId,
      ...(options.status ? { succeeded: options.status === "succeeded" } : {}),
      ...(position ? olderThan("startedAt", position) : {}),
    },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    include: { dispatch: { select: { status: true, event: { select: { type: true } } } } },
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { attempts: page, nextCursor: rows.length > limit && last ? encodePosition({ at: last.startedAt, id: last.id }) : null };
}

/**
 * Sends a test event to this endpoint only, whatever its filters: a `message.received` of a
 * made-up message, marked `"test": true`, through the same outbox and queue as real ones.
 */
export async function sendTestEvent(prisma: PrismaClient, teamId: string, endpointId: string, now = new Date()) {
  const endpoint = await getEndpoint(prisma, teamId, endpointId);
  // A disabled endpoint's dispatch fails before any request is made, leaving no attempt to show.
  if (!endpoint.enabled) throw new AppError("INVALID", "This endpoint is turned off: turn it on to send it a test event.");
  const number = await prisma.phoneNumber.findFirst({ where: { teamId }, orderBy: { createdAt: "asc" }, select: { id: true, e164: true, provider: true } });
  // A team without numbers gets the first provider's example number.
  const provider = number?.provider ?? PROVIDERS[0]!;
  const data = messageResource(
    {
      id: "msg_test",
      conversationId: "conv_test",
      phoneNumberId: number?.id ?? "num_test",
      provider,
      from: "+819012345678",
      to: number?.e164 ?? adapters[provider].exampleNumber,
      status: "COMPLETE",
      encoding: "GSM7",
      text: "TEST from Moshi: this is what a received message looks like.",
      binaryHex: null,
      keyword: "TEST",
      partsExpected: 1,
      partsReceived: 1,
      receivedAt: now,
      completedAt: now,
      providerTimestamp: now,
      priceAmount: null,
      priceCurrency: null,
      isTest: true,
      warnings: [],
    },
    now,
  );
  const event = buildEvent("message.received", data, { at: now, phoneNumberId: null, test: true });
  await prisma.event.create({ data: { ...event, teamId, endpointId } });
  return { eventId: event.id };
}

/**
 * Sends events to an endpoint again: one dispatch, or every failed one of a period. Each starts
 * a new retry window; the event keeps its id, so receivers see the same webhook-id.
 */
export async function resendDispatches(prisma: PrismaClient, teamId: string, endpointId: string, which: { dispatchId: string } | { failedSince: Date; failedUntil: Date }): Promise<number> {
  const endpoint = await getEndpoint(prisma, teamId, endpointId);
  // Resent to a disabled endpoint, an event would fail again at once, without a request.
  if (!endpoint.enabled) throw new AppError("INVALID", "This endpoint is turned off: turn it on before resending events to it.");
  const filter =
    "dispatchId" in which
      ? Prisma.sql`"id" = ${which.dispatchId}`
      : Prisma.sql`"status" = 'FAILED' AND "createdAt" >= ${which.failedSince} AND "createdAt" < ${which.failedUntil}`;
  const rows = await prisma.$queryRaw<{ count: number }[]>`
    WITH resent AS (
      UPDATE "EventDispatch" SET "status" = 'PENDING', "nextAttemptAt" = now() AT TIME ZONE 'UTC', "retryFrom" = now() AT TIME ZONE 'UTC', "failureReason" = NULL
      WHERE "teamId" = ${teamId} AND "endpointId" = ${endpointId} AND ${filter}
      RETURNING "id"
    )
    SELECT (SELECT count(*) FROM resent)::int AS "count", moshi_queue_dispatches(ARRAY(SELECT "id" FROM resent))::text AS "queued"`;
  const count = rows[0]?.count ?? 0;
  if ("dispatchId" in which && count === 0) throw notFoundError("Event not found");
  return count;
}

/** The event types in the order the form lists them. */
export function eventTypeChoices(): { type: EventType }[] {
  return EVENT_TYPES.map((type) => ({ type }));
}
