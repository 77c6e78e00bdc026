import "server-only";
import { currentRequestOrigin, personLabel, type RequestOrigin, recordAudit, roleLabel } from "@/lib/audit";
import { generateToken, hashToken } from "@/lib/crypto";
import { AppError, notFoundError } from "@/lib/errors";
import type { PrismaClient, Role } from "@/lib/generated/prisma/client";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type InvitableRole = Exclude<Role, "OWNER">;

/** Creates a single-use invite link token; only its hash is stored. */
export async function createInvitation(
  prisma: PrismaClient,
  { teamId, role, createdById, now = new Date() }: { teamId: string; role: InvitableRole; createdById: string; now?: Date },
) {
  const token = generateToken();
  const invitation = await prisma.invitation.create({
    data: { teamId, role, createdById, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) },
    select: { id: true, role: true, expiresAt: true },
  });
  return { invitation, token };
}

export async function listPendingInvitations(prisma: PrismaClient, teamId: string, now = new Date()) {
  return prisma.invitation.findMany({
    where: { teamId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, role: true, createdAt: true, expiresAt: true, createdBy: { select: { name: true, email: true } } },
  });
}

export async function revokeInvitation(prisma: PrismaClient, { teamId, invitationId }: { teamId: string; invitationId: string }) {
  const { count } = await prisma.invitation.updateMany({
    where: { id: invitationId, teamId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count !== 1) throw notFoundError("Invitation not found");
}

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

/** What the invite page shows: the team and role, and whether the link still works. */
export async function findInvitationByToken(prisma: PrismaClient, token: string, now = new Date()) {
  const invitation = await prisma.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      team: { select: { id: true, name: true, slug: true } },
      createdBy: { select: { name: true, email: true } },
    },
  });
  if (!invitation) return null;
  const status: InvitationStatus = invitation.revokedAt
    ? "revoked"
    : invitation.acceptedAt
      ? "accepted"
      : invitation.expiresAt <= now
        ? "expired"
        : "pending";
  return { ...invitation, status };
}

/**
 * Joins the invitation's team. The link is consumed by a conditional update, so two people
 * racing for the same link cannot both join. Someone already in the team keeps their role and
 * leaves the link unused. Joining is written to the team's audit log (`member.joined`, by the
 * person who joined) in the same transaction: a membership never exists without its entry.
 */
export async function acceptInvitation(
  prisma: PrismaClient,
  { token, userId, now = new Date(), request }: { token: string; userId: string; now?: Date; request?: RequestOrigin },
) {
  // Read before the transaction opens, which should not wait on anything but the database.
  const origin = request ?? (await currentRequestOrigin());
  return prisma.$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({
      where: { tokenHash: hashToken(token) },
      select: { id: true, role: true, teamId: true, team: { select: { slug: true } }, createdBy: { select: { id: true, name: true, email: true } } },
    });
    if (!invitation) throw notFoundError("Invitation not found");
    const existing = await tx.membership.findUnique({
      where: { teamId_userId: { teamId: invitation.teamId, userId } },
      select: { id: true },
    });
    if (existing) return { teamSlug: invitation.team.slug, alreadyMember: true };
    const { count } = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now, acceptedById: userId },
    });
    if (count !== 1) throw new AppError("INVALID", "This invite link has already been used, was revoked, or has expired.");
    const { user } = await tx.membership.create({
      data: { teamId: invitation.teamId, userId, role: invitation.role },
      select: { user: { select: { id: true, name: true, email: true } } },
    });
    const invitedBy = invitation.createdBy;
    await recordAudit(tx, { team: { id: invitation.teamId }, user, request: origin }, {
      action: "member.joined",
      target: { type: "member", id: user.id, label: personLabel(user) },
      summary: `joined the team as ${roleLabel(invitation.role).toLowerCase()} through an invite link${invitedBy ? ` from ${personLabel(invitedBy)}` : ""}`,
      details: { role: invitation.role, invitationId: invitation.id, invitedById: invitedBy?.id ?? null },
    });
    return { teamSlug: invitation.team.slug, alreadyMember: false };
  });
}
