import { expect } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ingestDelivery } from "@/lib/sms/ingest";
import { buildDeliveries, type SimulatedMessage } from "@/lib/sms/simulate";

/**
 * Delivers a message the way its provider would, through the ingestion pipeline, at a chosen
 * time: the route handler stamps "now", which would leave no way to build ties or stale parts.
 * `onlyParts` sends some of a long message's parts (1-based), to leave it partial.
 */
export async function receive(
  prisma: PrismaClient,
  token: string,
  message: Omit<SimulatedMessage, "now">,
  receivedAt: Date,
  { onlyParts }: { onlyParts?: number[] } = {},
) {
  for (const status of await deliver(prisma, token, message, receivedAt, { onlyParts })) expect(status).toBe(200);
}

/** `receive` without the expectation: answers the status of each request, in order. */
export async function deliver(
  prisma: PrismaClient,
  token: string,
  message: Omit<SimulatedMessage, "now">,
  receivedAt: Date = new Date(),
  { onlyParts }: { onlyParts?: number[] } = {},
): Promise<number[]> {
  const statuses: number[] = [];
  const requests = buildDeliveries({ ...message, now: receivedAt });
  for (const [i, request] of requests.entries()) {
    if (onlyParts && !onlyParts.includes(i + 1)) continue;
    const url = new URL(`http://moshi.test/api/webhooks/${message.provider.toLowerCase()}/${token}`);
    for (const [key, value] of request.query) url.searchParams.set(key, value);
    const response = await ingestDelivery(prisma, {
      providerSegment: message.provider.toLowerCase(),
      token,
      method: request.method,
      headers: new Headers(request.contentType ? { "content-type": request.contentType } : {}),
      url,
      body: request.body ?? "",
      receivedAt,
    });
    statuses.push(response.status);
  }
  return statuses;
}
