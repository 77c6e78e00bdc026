"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { db } from "@/lib/db";
import { createInvitation, revokeInvitation } from "@/lib/data/invitations";
import { changeMemberRole, removeMember } from "@/lib/data/members";
import { requestOrigin } from "@/lib/origin";

const invitableRole = z.enum(["MEMBER", "ADMIN"], "Choose a role.");

export type InviteLinkResult = { url: string; role: z.infer<typeof invitableRole>; expiresAt: string };

// POST (action) invite a teammate - owner/admin; answers the single-use link once
export const createInvitationAction = teamAction(
  z.object({ role: invitableRole }),
  async ({ role }, { team, user }): Promise<ActionState<InviteLinkResult>> => {
    const { invitation, token } = await createInvitation(db(), { teamId: team.id, role, createdById: user.id });
    revalidatePath(`/${team.slug}/members`);
    const url = `${await requestOrigin()}/invite/${token}`;
    return { status: "success", data: { url, role, expiresAt: invitation.expiresAt.toISOString() } };
  },
);

// POST (action) revoke a pending invitation - owner/admin
export const revokeInvitationAction = teamAction(z.object({ invitationId: z.string().min(1) }), async ({ invitationId }, { team }) => {
  await revokeInvitation(db(), { teamId: team.id, invitationId });
  revalidatePath(`/${team.slug}/members`);
  return { status: "success", message: "Invitation revoked." };
});

// POST (action) change a teammate's role - owner/admin; never the owner's, never one's own
export const changeRoleAction = teamAction(
  z.object({ membershipId: z.string().min(1), role: invitableRole }),
  async ({ membershipId, role }, { team, user, role: actorRole }) => {
    await changeMemberRole(db(), { teamId: team.id, membershipId, role, actor: { userId: user.id, role: actorRole } });
    revalidatePath(`/${team.slug}/members`);
    return { status: "success", message: "Role updated." };
  },
);

// POST (action) remove a teammate - owner/admin; the owner cannot be removed
export const removeMemberAction = teamAction(z.object({ membershipId: z.string().min(1) }), async ({ membershipId }, { team, user, role }) => {
  await removeMember(db(), { teamId: team.id, membershipId, actor: { userId: user.id, role } });
  revalidatePath(`/${team.slug}/members`);
  return { status: "success", message: "Removed from the team." };
});

// POST (action) leave the team - anyone but the owner; lands on their next team, or team creation
export const leaveTeamAction = teamAction(
  z.object({}),
  async (_input, { team, user, role, membershipId }) => {
    await removeMember(db(), { teamId: team.id, membershipId, actor: { userId: user.id, role } });
    // Every page that lists teams (the switcher in each team's layout) has one fewer now.
    revalidatePath("/", "layout");
    redirect("/");
  },
  { manage: false },
);
