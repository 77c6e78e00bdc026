import { afterAll, describe, expect, it } from "vitest";
import { acceptInvitation, createInvitation, findInvitationByToken, listPendingInvitations, revokeInvitation } from "@/lib/data/invitations";
import { changeMemberRole, listMembers, removeMember } from "@/lib/data/members";
import { createTeamWithOwner, findMembershipBySlug, listTeamsForUser } from "@/lib/data/teams";
import { createUserWithPassword } from "@/lib/data/users";
import { verifyPassword } from "@/lib/auth/password";
import { prisma, seedTeam, seedUser } from "../helpers/db";

afterAll(() => prisma.$disconnect());

describe("teams", () => {
  it("gives each team a unique slug even when names collide", async () => {
    const owner = await seedUser();
    const name = `Collide ${Date.now()}`;
    const teams = await Promise.all(Array.from({ length: 4 }, () => createTeamWithOwner(prisma, { name, ownerId: owner.id })));
    expect(new Set(teams.map((t) => t.slug)).size).toBe(4);
    expect((await listTeamsForUser(prisma, owner.id)).every((m) => m.role === "OWNER")).toBe(true);
  });

  it("never uses a reserved path as a slug", async () => {
    const owner = await seedUser();
    const team = await createTeamWithOwner(prisma, { name: "Sign in", ownerId: owner.id });
    expect(team.slug).toMatch(/^sign-in-[0-9a-f]{6}$/);
  });

  it("finds a membership only for members", async () => {
    const { user, team } = await seedTeam();
    const stranger = await seedUser();
    expect(await findMembershipBySlug(prisma, { slug: team.slug, userId: user.id })).toMatchObject({ role: "OWNER" });
    expect(await findMembershipBySlug(prisma, { slug: team.slug, userId: stranger.id })).toBeNull();
  });
});

describe("sign-up", () => {
  it("creates the user with an argon2id hash and their team, and refuses a second account per email", async () => {
    const email = `New.Person+${Date.now()}@Example.test`;
    const { user, team } = await createUserWithPassword(prisma, { name: "New", email, password: "correct horse battery", teamName: "New team" });
    expect(user.email).toBe(email.toLowerCase());
    const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.passwordHash!, "correct horse battery")).toBe(true);
    expect(await verifyPassword(row.passwordHash!, "wrong")).toBe(false);
    expect(await listTeamsForUser(prisma, user.id)).toEqual([{ role: "OWNER", team: { id: team!.id, name: "New team", slug: team!.slug } }]);
    // The new team's audit log starts with its creation, by the person who signed up.
    expect(await prisma.auditEntry.findMany({ where: { teamId: team!.id }, select: { action: true, actorId: true, targetId: true } })).toEqual([
      { action: "team.created", actorId: user.id, targetId: team!.id },
    ]);

    await expect(createUserWithPassword(prisma, { name: "Again", email: email.toUpperCase(), password: "another password", teamName: "X" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});

describe("invitations", () => {
  it("lets one person join with the role of the link, once", async () => {
    const { user: owner, team } = await seedTeam();
    const { token } = await createInvitation(prisma, { teamId: team.id, role: "MEMBER", createdById: owner.id });
    expect(await findInvitationByToken(prisma, token)).toMatchObject({ status: "pending", role: "MEMBER", team: { slug: team.slug } });

    const invitee = await seedUser();
    expect(await acceptInvitation(prisma, { token, userId: invitee.id })).toEqual({ teamSlug: team.slug, alreadyMember: false });
    expect(await findMembershipBySlug(prisma, { slug: team.slug, userId: invitee.id })).toMatchObject({ role: "MEMBER" });
    expect(await findInvitationByToken(prisma, token)).toMatchObject({ status: "accepted" });

    const latecomer = await seedUser();
    await expect(acceptInvitation(prisma, { token, userId: latecomer.id })).rejects.toMatchObject({ code: "INVALID" });
    expect(await findMembershipBySlug(prisma, { slug: team.slug, userId: latecomer.id })).toBeNull();
  });

  it("admits only one of two people racing for the same link", async () => {
    const { user: owner, team } = await seedTeam();
    const { token } = await createInvitation(prisma, { teamId: team.id, role: "ADMIN", createdById: owner.id });
    const [a, b] = [await seedUser(), await seedUser()];
    const results = await Promise.allSettled([acceptInvitation(prisma, { token, userId: a.id }), acceptInvitation(prisma, { token, userId: b.id })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await listMembers(prisma, team.id)).toHaveLength(2);
  });

  it("refuses revoked and expired links and hides them from the pending list", async () => {
    const { user: owner, team } = await seedTeam();
    const revoked = await createInvitation(prisma, { teamId: team.id, role: "MEMBER", createdById: owner.id });
    const expired = await createInvitation(prisma, { teamId: team.id, role: "MEMBER", createdById: owner.id, now: new Date(Date.now() - 8 * 86_400_000) });
    const live = await createInvitation(prisma, { teamId: team.id, role: "MEMBER", createdById: owner.id });
    await revokeInvitation(prisma, { teamId: team.id, invitationId: revoked.invitation.id });
    expect((await listPendingInvitations(prisma, team.id)).map((i) => i.id)).toEqual([live.invitation.id]);
    expect(await findInvitationByToken(prisma, revoked.token)).toMatchObject({ status: "revoked" });
    expect(await findInvitationByToken(prisma, expired.token)).toMatchObject({ status: "expired" });
    const user = await seedUser();
    await expect(acceptInvitation(prisma, { token: revoked.token, userId: user.id })).rejects.toMatchObject({ code: "INVALID" });
    await expect(acceptInvitation(prisma, { token: expired.token, userId: user.id })).rejects.toMatchObject({ code: "INVALID" });
  });

  it("cannot revoke another team's invitation", async () => {
    const mine = await seedTeam();
    const theirs = await seedTeam();
    const { invitation } = await createInvitation(prisma, { teamId: theirs.team.id, role: "MEMBER", createdById: theirs.user.id });
    await expect(revokeInvitation(prisma, { teamId: mine.team.id, invitationId: invitation.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await findInvitationByToken(prisma, "nope")).toBeNull();
  });
});

describe("members", () => {
  it("protects the owner, lets admins manage others and members only leave", async () => {
    const { user: owner, team } = await seedTeam();
    const admin = await seedUser("Admin");
    const member = await seedUser("Member");
    await prisma.membership.createMany({ data: [{ teamId: team.id, userId: admin.id, role: "ADMIN" }, { teamId: team.id, userId: member.id, role: "MEMBER" }] });
    const members = await listMembers(prisma, team.id);
    const idOf = (userId: string) => members.find((m) => m.user.id === userId)!.id;

    await expect(removeMember(prisma, { teamId: team.id, membershipId: idOf(owner.id), actor: { userId: admin.id, role: "ADMIN" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(changeMemberRole(prisma, { teamId: team.id, membershipId: idOf(owner.id), role: "MEMBER", actor: { userId: admin.id, role: "ADMIN" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(removeMember(prisma, { teamId: team.id, membershipId: idOf(admin.id), actor: { userId: member.id, role: "MEMBER" } })).rejects.toMatchObject({ code: "FORBIDDEN" });

    await changeMemberRole(prisma, { teamId: team.id, membershipId: idOf(member.id), role: "ADMIN", actor: { userId: owner.id, role: "OWNER" } });
    expect(await findMembershipBySlug(prisma, { slug: team.slug, userId: member.id })).toMatchObject({ role: "ADMIN" });
    expect(await removeMember(prisma, { teamId: team.id, membershipId: idOf(member.id), actor: { userId: member.id, role: "ADMIN" } })).toEqual({ left: true });

    const other = await seedTeam();
    await expect(removeMember(prisma, { teamId: other.team.id, membershipId: idOf(admin.id), actor: { userId: other.user.id, role: "OWNER" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
