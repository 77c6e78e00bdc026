"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { invitationTarget, memberTarget, personLabel, recordAudit, roleLabel } from "@/lib/audit";
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
    await recordAudit(db(), { team, user }, {
      action: "member.invited",
      target: { type: "invitation", id: invitation.id, label: `Invitation as ${roleLabel(role)}` },
      summary: `created an invite link for a new ${roleLabel(role).toLowerCase()}`,
      details: { role, expiresAt: invitation.expiresAt.toISOString() },
    });
    revalidatePath(`/${team.slug}/members`);
    const url = `${await requestOrigin()}/invite/${token}`;
    return { status: "success", data: { url, role, expiresAt: invitation.expiresAt.toISOString() } };
  },
);

// POST (action) revoke a pending invitation - owner/admin
export const revokeInvitationAction = teamAction(z.object({ invitationId: z.string().min(1) }), async ({ invitationId }, { team, user }) => {
  await revokeInvitation(db(), { teamId: team.id, invitationId });
  const { target, invitation } = await invitationTarget(db(), team.id, invitationId);
  await recordAudit(db(), { team, user }, {
    action: "member.invitation_revoked",
    target,
    summary: `revoked an invite link for a new ${roleLabel(invitation.role).toLowerCase()}`,
    details: { role: invitation.role },
  });
  revalidatePath(`/${team.slug}/members`);
  return { status: "success", message: "Invitation revoked." };
});

// POST (action) change a teammate's role - owner/admin; never the owner's, never one's own
export const changeRoleAction = teamAction(
  z.object({ membershipId: z.string().min(1), role: invitableRole }),
  async ({ membershipId, role }, { team, user, role: actorRole }) => {
    const { target, member } = await memberTarget(db(), team.id, membershipId);
    await changeMemberRole(db(), { teamId: team.id, membershipId, role, actor: { userId: user.id, role: actorRole } });
    await recordAudit(db(), { team, user }, {
      action: "member.role_changed",
      target,
      summary: `changed the role of ${target.label} from ${roleLabel(member.role)} to ${roleLabel(role)}`,
      details: { role: { before: member.role, after: role } },
    });
    revalidatePath(`/${team.slug}/members`);
    return { status: "success", message: "Role updated." };
  },
);

// POST (action) remove a teammate - owner/admin; the owner cannot be removed
export const removeMemberAction = teamAction(z.object({ membershipId: z.string().min(1) }), async ({ membershipId }, { team, user, role }) => {
  const { target, member } = await memberTarget(db(), team.id, membershipId);
  const { left } = await removeMember(db(), { teamId: team.id, membershipId, actor: { userId: user.id, role } });
  await recordAudit(db(), { team, user }, {
    action: left ? "member.left" : "member.removed",
    target,
    summary: left ? "left the team" : `removed ${target.label} from the team`,
    details: { role: member.role },
  });
  revalidatePath(`/${team.slug}/members`);
  return { status: "success", message: "Removed from the team." };
});

// POST (action) leave the team - anyone but the owner; lands on their next team, or team creation
export const leaveTeamAction = teamAction(
  z.object({}),
  async (_input, { team, user, role, membershipId }) => {
    await removeMember(db(), { teamId: team.id, membershipId, actor: { userId: user.id, role } });
    await recordAudit(db(), { team, user }, { action: "member.left", target: { type: "member", id: user.id, label: personLabel(user) }, summary: "left the team", details: { role } });
    // Every page that lists teams (the switcher in each team's layout) has one fewer now.
    revalidatePath("/", "layout");
    redirect("/");
  },
  { manage: false },
);
