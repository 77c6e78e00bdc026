import "server-only";
import { findNumberForIngest } from "@/lib/data/numbers";
import { AppError, notFoundError } from "@/lib/errors";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { type BodyRead, decodeBody, type IngestResponse, processDelivery, SIGNATURE_REFUSALS } from "./ingest";

/**
 * Runs a stored delivery through the current pipeline again, as a new delivery that records
 * which one it replays. Idempotent where it matters: a message stored before is a duplicate,
 * so replaying adds nothing; a delivery rejected before (say, for a signature secret fixed
 * since) may now be stored.
 */
export async function replayDelivery(prisma: PrismaClient, { teamId, deliveryId, now = new Date() }: { teamId: string; deliveryId: string; now?: Date }): Promise<IngestResponse> {
  const original = await prisma.delivery.findFirst({ where: { id: deliveryId, teamId }, select: replaySelect });
  if (!original) throw notFoundError("Delivery not found");
  assertBodyKept(original);
  return replay(prisma, teamId, original, { now });
}

/**
 * Deliveries refused for their signature (missing, not matching, or a secret that could not be
 * read): after a team changes its secret, real customers' messages sit among them. An owner or
 * admin may accept them anyway; the new delivery records who did and when.
 */
export const signatureRefusal = {
  outcome: "REJECTED",
  OR: [{ reasonCode: { in: [...SIGNATURE_REFUSALS] } }, { reasonCode: null, status: 401 }],
} satisfies Prisma.DeliveryWhereInput;

/** {@link signatureRefusal} for a delivery already read (deliveries logged before reason codes have only their 401). */
export function isSignatureRefusal({ outcome, reasonCode, status }: { outcome: string; reasonCode: string | null; status: number }): boolean {
  if (outcome !== "REJECTED") return false;
  return reasonCode ? (SIGNATURE_REFUSALS as readonly string[]).includes(reasonCode) : status === 401;
}

/**
 * Accepts one delivery refused for its signature: it is replayed without the signature check,
 * recorded as accepted by `userId`. Idempotent: what it carries is stored once, however often
 * it is accepted.
 */
export async function acceptWithoutSignature(
  prisma: PrismaClient,
  { teamId, deliveryId, userId, now = new Date() }: { teamId: string; deliveryId: string; userId: string; now?: Date },
): Promise<IngestResponse> {
  const original = await prisma.delivery.findFirst({ where: { id: deliveryId, teamId }, select: { ...replaySelect, outcome: true } });
  if (!original) throw notFoundError("Delivery not found");
  if (!isSignatureRefusal(original)) throw new AppError("CONFLICT", "Only a delivery refused for its signature can be accepted without one.");
  assertBodyKept(original);
  return replay(prisma, teamId, original, { now, acceptedBy: userId });
}

/** At most this many deliveries are accepted by one bulk request; the rest wait for the next. */
export const ACCEPT_BATCH = 500;

export type AcceptSummary = { accepted: number; stored: number; duplicates: number; failed: number; remaining: boolean };

/**
 * Accepts every delivery of one number refused for its signature in [since, until), oldest
 * first, skipping those accepted before. Each is its own replay, so a failure stops nothing
 * that came before it.
 */
export async function acceptRefusedDeliveries(
  prisma: PrismaClient,
  { teamId, phoneNumberId, since, until, userId, now = new Date() }: { teamId: string; phoneNumberId: string; since: Date; until: Date; userId: string; now?: Date },
): Promise<AcceptSummary> {
  const refused = await prisma.delivery.findMany({
    where: {
      teamId,
      phoneNumberId,
      receivedAt: { gte: since, lt: until },
      replayOfId: null,
      // Their raw requests are gone (the team's retention): nothing is left to accept.
      bodyPurgedAt: null,
      replays: { none: { acceptedUnsignedById: { not: null } } },
      ...signatureRefusal,
    },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    take: ACCEPT_BATCH + 1,
    select: replaySelect,
  });
  const summary: AcceptSummary = { accepted: 0, stored: 0, duplicates: 0, failed: 0, remaining: refused.length > ACCEPT_BATCH };
  for (const original of refused.slice(0, ACCEPT_BATCH)) {
    const result = await replay(prisma, teamId, original, { now, acceptedBy: userId });
    if (result.status !== 200) {
      summary.failed++;
      continue;
    }
    summary.accepted++;
    summary.stored += Number(result.body.stored ?? 0);
    summary.duplicates += Number(result.body.duplicates ?? 0);
  }
  return summary;
}

const replaySelect = {
  id: true,
  phoneNumberId: true,
  method: true,
  contentType: true,
  headers: true,
  query: true,
  body: true,
  status: true,
  reasonCode: true,
  signed: true,
  signatureAgeSeconds: true,
  acceptedUnsignedAt: true,
  bodyPurgedAt: true,
  isTest: true,
} satisfies Prisma.DeliverySelect;

type Replayable = Prisma.DeliveryGetPayload<{ select: typeof replaySelect }>;

async function replay(prisma: PrismaClient, teamId: string, original: Replayable, { now, acceptedBy }: { now: Date; acceptedBy?: string }): Promise<IngestResponse> {
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
    acceptUnsigned: acceptedBy ? { userId: acceptedBy } : null,
    // Verified when it arrived: what was checked then stands (a signed URL cannot be rebuilt).
    verifiedBefore: original.signed && original.status < 300 && !original.acceptedUnsignedAt ? { signatureAgeSeconds: original.signatureAgeSeconds } : null,
    // A test delivery's replay is a test too.
    test: original.isTest,
  });
}

/** A delivery whose raw request the team's retention removed has nothing left to run again. */
function assertBodyKept({ bodyPurgedAt }: { bodyPurgedAt: Date | null }) {
  if (bodyPurgedAt) {
    throw new AppError("CONFLICT", `The raw request of this delivery was removed on ${bodyPurgedAt.toISOString().slice(0, 10)} by the team's retention settings, so it cannot be replayed or accepted.`);
  }
}

const BODY_PROBLEMS: Record<string, Exclude<BodyRead["kind"], "complete">> = { body_too_large: "too-large", body_timeout: "timeout", body_broken: "broken" };

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
}
