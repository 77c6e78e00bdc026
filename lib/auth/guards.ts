import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { db } from "@/lib/db";
import { findMembershipBySlug } from "@/lib/data/teams";
import { AppError } from "@/lib/errors";
import { auth } from "./auth";
import { canManage } from "./roles";

/** The signed-in user, read from the database (a deleted account's session is worthless). */
export const getCurrentUser = cache(async () => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  return db().user.findUnique({ where: { id: userId }, select: { id: true, name: true, email: true, image: true } });
});

export async function requireUser(callbackUrl?: string) {
  const user = await getCurrentUser();
  if (!user) redirect(callbackUrl ? `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/sign-in");
  return user;
}

/**
 * Resolves a team slug for the signed-in user. Not being a member is a 404, exactly like a team
 * that does not exist, so slugs and ids cannot be probed.
 */
export const requireTeam = cache(async (slug: string) => {
  const user = await requireUser();
  const membership = await findMembershipBySlug(db(), { slug, userId: user.id });
  if (!membership) notFound();
  return { user, team: membership.team, role: membership.role, membershipId: membership.id, canManage: canManage(membership.role) };
});

export type TeamContext = Awaited<ReturnType<typeof requireTeam>>;

/**
 * `requireTeam` for route handlers, which answer with a status rather than a redirect or the
 * not-found page: 401 when signed out, 404 when not a member of the team or no such team exists.
 * One query: a deleted account has no memberships left, so it gets the 404.
 */
export async function findTeamForRequest(
  slug: string,
): Promise<{ status: 401 | 404 } | { status: 200; team: TeamContext["team"]; role: TeamContext["role"]; userId: string }> {
  const userId = (await auth())?.user?.id;
  if (!userId) return { status: 401 };
  const membership = await findMembershipBySlug(db(), { slug, userId });
  if (!membership) return { status: 404 };
  return { status: 200, team: membership.team, role: membership.role, userId };
}

/** For actions that change the team: owners and admins only. */
export function assertCanManage(context: TeamContext) {
  if (!context.canManage) throw new AppError("FORBIDDEN", "Only owners and admins can do this.");
}
