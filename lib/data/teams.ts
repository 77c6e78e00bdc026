import "server-only";
import { randomBytes } from "node:crypto";
import type { PrismaClient, Role } from "@/lib/generated/prisma/client";
import type { Prisma } from "@/lib/generated/prisma/client";

type Db = PrismaClient | Prisma.TransactionClient;

// Top-level paths a team slug must not shadow (teams live at /<slug>/…).
const RESERVED_SLUGS = new Set(["api", "sign-in", "sign-up", "sign-out", "invite", "teams", "settings", "_next", "favicon.ico"]);

export type CreateTeamOptions = { name: string; ownerId: string };

/**
 * Creates a team with its owner's membership; the slug comes from the name, suffixed when taken.
 * `skipDuplicates` (ON CONFLICT DO NOTHING) lets the unique index decide without aborting an
 * enclosing transaction, as a caught unique violation would.
 */
export async function createTeamWithOwner(prisma: Db, { name, ownerId }: CreateTeamOptions) {
  const base = slugify(name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 && !RESERVED_SLUGS.has(base) ? base : `${base}-${randomBytes(3).toString("hex")}`;
    const { count } = await prisma.team.createMany({ data: [{ name, slug }], skipDuplicates: true });
    if (count === 1) {
      const team = await prisma.team.findUniqueOrThrow({ where: { slug } });
      await prisma.membership.create({ data: { teamId: team.id, userId: ownerId, role: "OWNER" } });
      return team;
    }
  }
  throw new Error("Could not find a free team slug");
}

export type TeamMembership = { team: { id: string; name: string; slug: string }; role: Role };

export async function listTeamsForUser(prisma: Db, userId: string): Promise<TeamMembership[]> {
  const memberships = await prisma.membership.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { role: true, team: { select: { id: true, name: true, slug: true } } },
  });
  return memberships;
}

export async function findMembershipBySlug(prisma: Db, { slug, userId }: { slug: string; userId: string }) {
  return prisma.membership.findFirst({
    where: { userId, team: { slug } },
    select: { id: true, role: true, team: { select: { id: true, name: true, slug: true } } },
  });
}

export async function renameTeam(prisma: Db, { teamId, name }: { teamId: string; name: string }) {
  await prisma.team.update({ where: { id: teamId }, data: { name } });
}

export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32)
    .replace(/-+$/g, "");
  return slug || "team";
}

export type RetentionSettings = { keepBodiesDays: number; keepMessagesDays: number | null };

/** The team's retention settings (lib/retention.ts applies them). */
export async function getRetentionSettings(prisma: Db, teamId: string): Promise<RetentionSettings> {
  return prisma.team.findUniqueOrThrow({ where: { id: teamId }, select: { keepBodiesDays: true, keepMessagesDays: true } });
}

/** Saves the team's retention settings; answers what they were before. */
export async function updateRetentionSettings(prisma: Db, teamId: string, settings: RetentionSettings): Promise<RetentionSettings> {
  const before = await getRetentionSettings(prisma, teamId);
  await prisma.team.update({ where: { id: teamId }, data: settings, select: { id: true } });
  return before;
}

/** Rows per statement while a team is deleted: no single statement holds its locks for long. */
const DELETE_BATCH = 5_000;

/**
 * Deletes a team and everything of it. The big tables are emptied first in bounded batches
 * (events with their dispatches and attempts, messages with their parts, deliveries), then the
 * team row takes the rest with it (ON DELETE CASCADE), its audit log included: the audit log's
 * trigger lets an entry go once its team is gone. Queued forwarding jobs of the team find their
 * dispatch gone and end quietly (lib/forwarding/dispatch.ts).
 */
export async function deleteTeam(prisma: PrismaClient, teamId: string): Promise<void> {
  for (const table of ["Event", "Message", "Delivery", "Conversation"] as const) {
    for (;;) {
      const deleted = await prisma.$executeRawUnsafe(
        `DELETE FROM "${table}" WHERE "id" IN (SELECT "id" FROM "${table}" WHERE "teamId" = $1 LIMIT ${DELETE_BATCH})`,
        teamId,
      );
      if (deleted < DELETE_BATCH) break;
    }
  }
  await prisma.team.deleteMany({ where: { id: teamId } });
}
