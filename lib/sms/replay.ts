import "server-only";
import { findNumberForIngest } from "@/lib/data/numbers";
import { notFoundError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { type BodyRead, decodeBody, type IngestResponse, processDelivery } from "./ingest";

/**
 * Runs a stored delivery through the current pipeline again, as a new delivery that records
 * which one it replays. Idempotent where it matters: a message stored before is a duplicate,
 * so replaying adds nothing; a delivery rejected before (say, for a signature secret fixed
 * since) may now be stored.
 */
export async function replayDelivery(prisma: PrismaClient, { teamId, deliveryId, now = new Date() }: { teamId: string; deliveryId: string; now?: Date }): Promise<IngestResponse> {
  const original = await prisma.delivery.findFirst({
    where: { id: deliveryId, teamId },
    select: { id: true, phoneNumberId: true, method: true, contentType: true, headers: true, query: true, body: true, status: true, reasonCode: true },
  });
  if (!original) throw notFoundError("Delivery not found");
  const number = await findNumberForIngest(prisma, { teamId, numberId: original.phoneNumberId });
  if (!number) throw notFoundError("Number not found");
  return processDelivery(prisma, number, {
    raw: {
      method: original.method,
      contentType: original.contentType,
      headers: isStringRecord(original.headers) ? original.headers : {},
      query: new URLSearchParams(original.query),
      body: decodeBody(original.body),
    },
    rawBody: original.body,
    rawQuery: original.query,
    // An oversized or unfinished body was never kept whole, so its replay is refused the same way.
    bodyProblem: BODY_PROBLEMS[original.reasonCode ?? ""] ?? (original.status === 413 ? "too-large" : null),
    receivedAt: now,
    replayOfId: original.id,
  });
}

const BODY_PROBLEMS: Record<string, Exclude<BodyRead["kind"], "complete">> = { body_too_large: "too-large", body_timeout: "timeout", body_broken: "broken" };

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
}
