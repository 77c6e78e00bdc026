import "server-only";
import { AppError, notFoundError } from "@/lib/errors";
import type { PrismaClient, Role } from "@/lib/generated/prisma/client";

export async function listMembers(prisma: PrismaClient, teamId: string) {
  return prisma.membership.findMany({
    where: { teamId },
    orderBy: [{ createdAt: "asc" }],
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true, image: true } } },
  });
}

type Actor = { userId: string; role: Role };

/** Owners and admins change roles of everyone but the owner; nobody becomes owner this way. */
export async function changeMemberRole(
  prisma: PrismaClient,
  { teamId, membershipId, role, actor }: { teamId: string; membershipId: string; role: Exclude<Role, "OWNER">; actor: Actor },
) {
  const target = await findMemberOrThrow(prisma, teamId, membershipId);
  if (target.role === "OWNER") throw new AppError("FORBIDDEN", "The owner's role cannot be changed.");
  if (target.userId === actor.userId) throw new AppError("FORBIDDEN", "You cannot change your own role.");
  await prisma.membership.updateMany({ where: { id: membershipId, teamId }, data: { role } });
}

/** Removes someone from the team; the owner stays. Members may remove only themselves (leave). */
export async function removeMember(prisma: PrismaClient, { teamId, membershipId, actor }: { teamId: string; membershipId: string; actor: Actor }) {
  const target = await findMemberOrThrow(prisma, teamId, membershipId);
  if (target.role === "OWNER") throw new AppError("FORBIDDEN", "The owner cannot leave or be removed from the team.");
  const leaving = target.userId === actor.userId;
  if (!leaving && actor.role === "MEMBER") throw new AppError("FORBIDDEN", "Only owners and admins can remove people.");
  await prisma.membership.deleteMany({ where: { id: membershipId, teamId } });
  return { left: leaving };
}

async function findMemberOrThrow(prisma: PrismaClient, teamId: string, membershipId: string) {
  const member = await prisma.membership.findFirst({ where: { id: membershipId, teamId }, select: { userId: true, role: true } });
  if (!member) throw notFoundError("Member not found");
  return member;
}
