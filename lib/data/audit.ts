import "server-only";
import { type AuditKind, actionsOfKind } from "@/lib/audit";
import { decodePosition, encodePosition, olderThan } from "@/lib/data/keyset";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

// Reading the audit log. Entries are written by lib/audit.ts and never changed: there is no
// update or delete here, on purpose.

const auditSelect = {
  id: true,
  createdAt: true,
  actorId: true,
  actorName: true,
  actorEmail: true,
  action: true,
  targetType: true,
  targetLabel: true,
  summary: true,
  ip: true,
  userAgent: true,
} satisfies Prisma.AuditEntrySelect;

export type AuditRow = Prisma.AuditEntryGetPayload<{ select: typeof auditSelect }>;

export type AuditPageOptions = { teamId: string; kind?: AuditKind | null; actorId?: string | null; cursor?: string | null; take?: number };

/** One page of the team's log, newest first, walked by (createdAt, id). */
export async function listAuditEntries(prisma: PrismaClient, { teamId, kind = null, actorId = null, cursor = null, take = 50 }: AuditPageOptions) {
  const position = cursor ? decodePosition(cursor) : null;
  const where: Prisma.AuditEntryWhereInput = {
    teamId,
    ...(kind ? { action: { in: actionsOfKind(kind) } } : {}),
    ...(actorId ? { actorId } : {}),
    ...(position ? olderThan("createdAt", position) : {}),
  };
  const rows = await prisma.auditEntry.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: take + 1, select: auditSelect });
  const items = rows.slice(0, take);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > take && last ? encodePosition({ at: last.createdAt, id: last.id }) : null };
}

/** The people who appear in the team's log (current members or not), for the filter. */
export async function listAuditActors(prisma: PrismaClient, teamId: string) {
  const rows = await prisma.auditEntry.findMany({
    where: { teamId, actorId: { not: null } },
    distinct: ["actorId"],
    orderBy: [{ actorId: "asc" }, { createdAt: "desc" }],
    select: { actorId: true, actorName: true, actorEmail: true },
  });
  return rows
    .map((row) => ({ id: row.actorId!, name: row.actorName, email: row.actorEmail ?? "" }))
    .sort((a, b) => (a.name ?? a.email).localeCompare(b.name ?? b.email));
}
