import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { encodePosition, olderThan, type Position } from "./keyset";

/**
 * Reads of what forwarding recorded, for the REST API: the events of the outbox, the team's
 * endpoints (never their secrets) and the attempts made on each. Read-only: forwarding itself
 * writes these rows (lib/forwarding/).
 */

type Page<T> = { items: T[]; nextCursor: string | null };

const eventSelect = { id: true, type: true, phoneNumberId: true, payload: true, endpointId: true, createdAt: true } satisfies Prisma.EventSelect;

export type EventRecord = Prisma.EventGetPayload<{ select: typeof eventSelect }>;

/** The team's events, newest first, keyset-paginated on (createdAt, id) along the outbox index. */
export async function listEvents(
  prisma: PrismaClient,
  { teamId, type = null, after = null, take = 50 }: { teamId: string; type?: string | null; after?: Position | null; take?: number },
): Promise<Page<EventRecord>> {
  const rows = await prisma.event.findMany({
    where: { teamId, ...(type ? { type } : {}), ...(after ? olderThan("createdAt", after) : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: eventSelect,
  });
  return page(rows, take, (row) => ({ at: row.createdAt, id: row.id }));
}

export async function findEvent(prisma: PrismaClient, { teamId, eventId }: { teamId: string; eventId: string }): Promise<EventRecord | null> {
  return prisma.event.findFirst({ where: { id: eventId, teamId }, select: eventSelect });
}

/** Everything about an endpoint but its signing secrets. */
const endpointSelect = {
  id: true,
  url: true,
  description: true,
  eventTypes: true,
  phoneNumberIds: true,
  enabled: true,
  disabledReason: true,
  disabledAt: true,
  failingSince: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.WebhookEndpointSelect;

export type EndpointRecord = Prisma.WebhookEndpointGetPayload<{ select: typeof endpointSelect }>;

export async function listEndpoints(
  prisma: PrismaClient,
  { teamId, after = null, take = 50 }: { teamId: string; after?: Position | null; take?: number },
): Promise<Page<EndpointRecord>> {
  const rows = await prisma.webhookEndpoint.findMany({
    where: { teamId, ...(after ? olderThan("createdAt", after) : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: endpointSelect,
  });
  return page(rows, take, (row) => ({ at: row.createdAt, id: row.id }));
}

export async function findEndpoint(prisma: PrismaClient, { teamId, endpointId }: { teamId: string; endpointId: string }): Promise<EndpointRecord | null> {
  return prisma.webhookEndpoint.findFirst({ where: { id: endpointId, teamId }, select: endpointSelect });
}

const attemptSelect = {
  id: true,
  endpointId: true,
  eventId: true,
  startedAt: true,
  durationMs: true,
  statusCode: true,
  error: true,
  responseBody: true,
  succeeded: true,
  nextAttemptAt: true,
} satisfies Prisma.EndpointAttemptSelect;

export type AttemptRecord = Prisma.EndpointAttemptGetPayload<{ select: typeof attemptSelect }>;

/**
 * The attempts made on one endpoint of the team, newest first, keyset-paginated on
 * (startedAt, id) along the (endpointId, startedAt, id) index. Null when the endpoint is not the
 * team's, so a caller can answer 404 rather than an empty list.
 */
export async function listEndpointAttempts(
  prisma: PrismaClient,
  { teamId, endpointId, eventId = null, after = null, take = 50 }: { teamId: string; endpointId: string; eventId?: string | null; after?: Position | null; take?: number },
): Promise<Page<AttemptRecord> | null> {
  const endpoint = await prisma.webhookEndpoint.findFirst({ where: { id: endpointId, teamId }, select: { id: true } });
  if (!endpoint) return null;
  const rows = await prisma.endpointAttempt.findMany({
    where: { endpointId, teamId, ...(eventId ? { eventId } : {}), ...(after ? olderThan("startedAt", after) : {}) },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: attemptSelect,
  });
  return page(rows, take, (row) => ({ at: row.startedAt, id: row.id }));
}

/** The first `take` of `take + 1` rows, and the cursor after them when there were more. */
function page<T>(rows: T[], take: number, positionOf: (row: T) => Position): Page<T> {
  const items = rows.slice(0, take);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > take && last !== undefined ? encodePosition(positionOf(last)) : null };
}
