import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApiKeyAction, revokeApiKeyAction } from "@/app/(dashboard)/[team]/api-keys/actions";
import { acceptRefusedAction, acceptUnsignedAction } from "@/app/(dashboard)/[team]/deliveries/actions";
import {
  createEndpointAction,
  deleteEndpointAction,
  rotateSecretAction,
  setEndpointEnabledAction,
  updateEndpointAction,
} from "@/app/(dashboard)/[team]/forwarding/actions";
import { createKeywordAction, deleteKeywordAction } from "@/app/(dashboard)/[team]/keywords/actions";
import { changeRoleAction, createInvitationAction, leaveTeamAction, removeMemberAction, revokeInvitationAction } from "@/app/(dashboard)/[team]/members/actions";
import {
  createNumberAction,
  deleteNumberAction,
  revealWebhookUrlAction,
  rotateTokenAction,
  updateNumberAction,
} from "@/app/(dashboard)/[team]/numbers/actions";
import { acceptInvitationAction } from "@/app/invite/[token]/actions";
import { createTeamAction } from "@/app/teams/new/actions";
import { recordAudit } from "@/lib/audit";
import { listAuditActors, listAuditEntries } from "@/lib/data/audit";
import { acceptInvitation, createInvitation } from "@/lib/data/invitations";
import { createNumber } from "@/lib/data/numbers";
import { ingestDelivery } from "@/lib/sms/ingest";
import { form, signIn } from "../helpers/actions";
import { prisma, seedTeam, seedUser } from "../helpers/db";

// The actions run as a mocked session, in a request whose headers each test sets.
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("@/lib/auth/auth", () => ({ auth: vi.fn() }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/headers", () => ({ headers: async () => request.headers }));

const CLIENT_IP = "203.0.113.77";
const BROWSER = "Mozilla/5.0 (audit test) " + "x".repeat(400);

beforeEach(() => {
  // One proxy in front: the client is the last entry of X-Forwarded-For; the first is forged.
  vi.stubEnv("MOSHI_TRUSTED_PROXY_HOPS", "1");
  vi.stubEnv("MOSHI_PUBLIC_URL", "https://moshi.example.com");
  request.headers = new Headers({ "x-forwarded-for": `6.6.6.6, ${CLIENT_IP}`, "user-agent": BROWSER });
});
afterEach(() => vi.unstubAllEnvs());
afterAll(() => prisma.$disconnect());

const idle = { status: "idle" } as const;

function tokenForm(token: string) {
  const data = new FormData();
  data.set("token", token);
  return data;
}

/** Redirects end an action by throwing, as Next does. */
async function allowRedirect<T>(promise: Promise<T>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (!String((error as { digest?: string }).digest ?? "").startsWith("NEXT_REDIRECT")) throw error;
  }
}

async function entries(teamId: string) {
  return prisma.auditEntry.findMany({ where: { teamId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

/** Runs one action and answers the single entry it wrote; no secret may appear in it. */
async function oneEntry(teamId: string, run: () => Promise<unknown>, secrets: () => string[] = () => []) {
  const before = (await entries(teamId)).length;
  const result = await run();
  if (result && typeof result === "object" && "status" in result) expect(result).toMatchObject({ status: "success" });
  const after = await entries(teamId);
  expect(after.length - before).toBe(1);
  const entry = after.at(-1)!;
  const written = JSON.stringify(entry);
  for (const secret of secrets()) expect(written).not.toContain(secret);
  expect(entry.ip).toBe(CLIENT_IP);
  expect(entry.userAgent).toHaveLength(256);
  return entry;
}

async function setup() {
  const owner = await seedTeam("Audit team");
  const admin = await seedUser("Ada Admin");
  const member = await seedUser("Mo Member");
  const adminMembership = await prisma.membership.create({ data: { teamId: owner.team.id, userId: admin.id, role: "ADMIN" } });
  const memberMembership = await prisma.membership.create({ data: { teamId: owner.team.id, userId: member.id, role: "MEMBER" } });
  return { ...owner, admin, member, adminMembership, memberMembership };
}

describe("the audit log", () => {
  it("gets one entry per number action, naming the number, never its token or credentials", async () => {
    const { team, user } = await setup();
    signIn(user.id);
    const slug = team.slug;
    let url = "";
    const created = await oneEntry(
      team.id,
      async () => {
        const result = await createNumberAction(idle, form(slug, { provider: "VONAGE", number: "+13035550187", label: "Denver appointments", "credentials.signatureMethod": "SHA256", "credentials.signatureSecret": "first-secret" }));
        url = (result as { data: { webhookUrl: string } }).data.webhookUrl;
        return result;
      },
      () => [url.split("/").at(-1)!, "first-secret"],
    );
    expect(created).toMatchObject({
      action: "number.created",
      actorId: user.id,
      actorName: "Owner",
      actorEmail: user.email,
      targetType: "number",
      targetLabel: "Denver appointments (+1 303 555 0187)",
      summary: "added Denver appointments (+1 303 555 0187)",
      details: { provider: "VONAGE", e164: "+13035550187", label: "Denver appointments", credentials: "set" },
    });
    const numberId = created.targetId!;

    const changed = await oneEntry(team.id, () => updateNumberAction(idle, form(slug, { numberId, label: "Denver appointments", "credentials.signatureMethod": "SHA256", "credentials.signatureSecret": "second-secret" })), () => ["first-secret", "second-secret"]);
    expect(changed).toMatchObject({
      action: "number.credentials_changed",
      targetId: numberId,
      summary: "changed the credentials of Denver appointments (+1 303 555 0187)",
      details: { credentials: "changed", fieldsChanged: ["signatureSecret"] },
    });

    const renamed = await oneEntry(team.id, () => updateNumberAction(idle, form(slug, { numberId, label: "Denver front desk", "credentials.signatureMethod": "SHA256" })));
    expect(renamed).toMatchObject({ action: "number.updated", details: { label: { before: "Denver appointments", after: "Denver front desk" }, credentials: "unchanged" } });

    const removed = await oneEntry(team.id, () => updateNumberAction(idle, form(slug, { numberId, label: "Denver front desk", removeCredentials: "on" })));
    expect(removed).toMatchObject({ action: "number.credentials_removed", details: { credentials: "removed" } });

    let rotated = "";
    const rotation = await oneEntry(
      team.id,
      async () => {
        const result = await rotateTokenAction(idle, form(slug, { numberId }));
        rotated = (result as { data: { webhookUrl: string } }).data.webhookUrl;
        return result;
      },
      () => [rotated.split("/").at(-1)!, url.split("/").at(-1)!],
    );
    expect(rotation).toMatchObject({ action: "number.token_rotated", targetId: numberId });

    const viewed = await oneEntry(team.id, () => revealWebhookUrlAction(idle, form(slug, { numberId })), () => [rotated.split("/").at(-1)!]);
    expect(viewed).toMatchObject({ action: "number.url_viewed", summary: "viewed the webhook URL of Denver front desk (+1 303 555 0187)" });

    const deleted = await oneEntry(team.id, () => deleteNumberAction(idle, form(slug, { numberId })));
    expect(deleted).toMatchObject({ action: "number.deleted", targetId: numberId, targetLabel: "Denver front desk (+1 303 555 0187)" });
  });

  it("gets one entry per forwarding endpoint action, without the signing secret", async () => {
    const { team, admin } = await setup();
    signIn(admin.id);
    const slug = team.slug;
    const secrets: string[] = [];
    const created = await oneEntry(
      team.id,
      async () => {
        const result = await createEndpointAction(idle, form(slug, { url: "https://hooks.example.com/moshi", description: "CRM", enabled: "on" }));
        secrets.push((result as { data: { secret: string } }).data.secret);
        return result;
      },
      () => secrets,
    );
    expect(created).toMatchObject({ action: "endpoint.created", actorId: admin.id, actorName: "Ada Admin", targetLabel: "https://hooks.example.com/moshi", details: { url: "https://hooks.example.com/moshi", enabled: true } });
    const endpointId = created.targetId!;

    const updated = await oneEntry(team.id, () => updateEndpointAction(idle, form(slug, { endpointId, url: "https://hooks.example.com/v2", description: "CRM" })));
    expect(updated).toMatchObject({ action: "endpoint.updated", details: { url: { before: "https://hooks.example.com/moshi", after: "https://hooks.example.com/v2" } } });
    expect(updated.details).not.toHaveProperty("description");

    expect(await oneEntry(team.id, () => setEndpointEnabledAction(idle, form(slug, { endpointId, enabled: "false" })))).toMatchObject({ action: "endpoint.disabled" });
    expect(await oneEntry(team.id, () => setEndpointEnabledAction(idle, form(slug, { endpointId, enabled: "true" })))).toMatchObject({ action: "endpoint.enabled" });

    const rotated = await oneEntry(
      team.id,
      async () => {
        const result = await rotateSecretAction(idle, form(slug, { endpointId }));
        secrets.push((result as { data: { secret: string } }).data.secret);
        return result;
      },
      () => secrets,
    );
    expect(rotated).toMatchObject({ action: "endpoint.secret_rotated", targetId: endpointId });

    const deleted = await oneEntry(team.id, () => allowRedirect(deleteEndpointAction(idle, form(slug, { endpointId }))));
    expect(deleted).toMatchObject({ action: "endpoint.deleted", targetLabel: "https://hooks.example.com/v2" });
  });

  it("gets one entry per API key action, without the key", async () => {
    const { team, user } = await setup();
    signIn(user.id);
    let secret = "";
    const created = await oneEntry(
      team.id,
      async () => {
        const result = await createApiKeyAction(idle, form(team.slug, { name: "CRM sync", scope: "READ" }));
        secret = (result as { data: { secret: string } }).data.secret;
        return result;
      },
      () => [secret, secret.slice(-4)],
    );
    expect(created).toMatchObject({ action: "api_key.created", targetLabel: "CRM sync", details: { name: "CRM sync", scope: "READ" } });
    const revoked = await oneEntry(team.id, () => revokeApiKeyAction(idle, form(team.slug, { keyId: created.targetId! })));
    expect(revoked).toMatchObject({ action: "api_key.revoked", targetId: created.targetId });
    // Revoking it again changes nothing, and writes nothing.
    await revokeApiKeyAction(idle, form(team.slug, { keyId: created.targetId! }));
    expect(await prisma.auditEntry.count({ where: { teamId: team.id, action: "api_key.revoked" } })).toBe(1);
  });

  it("gets one entry per member action, naming the person, never the invite link", async () => {
    const { team, user, admin, member, memberMembership, adminMembership } = await setup();
    signIn(user.id);
    let link = "";
    const invited = await oneEntry(
      team.id,
      async () => {
        const result = await createInvitationAction(idle, form(team.slug, { role: "ADMIN" }));
        link = (result as { data: { url: string } }).data.url;
        return result;
      },
      () => [link.split("/").at(-1)!],
    );
    expect(invited).toMatchObject({ action: "member.invited", targetType: "invitation", details: { role: "ADMIN" } });
    expect(await oneEntry(team.id, () => revokeInvitationAction(idle, form(team.slug, { invitationId: invited.targetId! })))).toMatchObject({ action: "member.invitation_revoked", targetId: invited.targetId });

    const role = await oneEntry(team.id, () => changeRoleAction(idle, form(team.slug, { membershipId: memberMembership.id, role: "ADMIN" })));
    expect(role).toMatchObject({
      action: "member.role_changed",
      targetId: member.id,
      targetLabel: `Mo Member (${member.email})`,
      summary: `changed the role of Mo Member (${member.email}) from Member to Admin`,
      details: { role: { before: "MEMBER", after: "ADMIN" } },
    });

    expect(await oneEntry(team.id, () => removeMemberAction(idle, form(team.slug, { membershipId: memberMembership.id })))).toMatchObject({ action: "member.removed", targetId: member.id });

    signIn(admin.id);
    const left = await oneEntry(team.id, () => allowRedirect(leaveTeamAction(idle, form(team.slug))));
    expect(left).toMatchObject({ action: "member.left", actorId: admin.id, targetId: admin.id, summary: "left the team" });
    expect(await prisma.membership.findUnique({ where: { id: adminMembership.id } })).toBeNull();
  });

  it("gets an entry when someone joins through an invite link, by the person who joined", async () => {
    const { team, user, admin } = await setup();
    signIn(admin.id);
    const invited = await createInvitationAction(idle, form(team.slug, { role: "MEMBER" }));
    const token = (invited as { data: { url: string } }).data.url.split("/").at(-1)!;
    const invitation = await prisma.invitation.findFirstOrThrow({ where: { teamId: team.id, acceptedAt: null } });

    const newcomer = await seedUser("Nia Newcomer");
    signIn(newcomer.id);
    const joined = await oneEntry(team.id, () => allowRedirect(acceptInvitationAction(idle, tokenForm(token))), () => [token]);
    expect(joined).toMatchObject({
      action: "member.joined",
      actorId: newcomer.id,
      actorName: "Nia Newcomer",
      actorEmail: newcomer.email,
      targetType: "member",
      targetId: newcomer.id,
      targetLabel: `Nia Newcomer (${newcomer.email})`,
      summary: `joined the team as member through an invite link from Ada Admin (${admin.email})`,
      details: { role: "MEMBER", invitationId: invitation.id, invitedById: admin.id },
    });
    expect(await prisma.membership.findUnique({ where: { teamId_userId: { teamId: team.id, userId: newcomer.id } } })).toMatchObject({ role: "MEMBER" });
    const { items } = await listAuditEntries(prisma, { teamId: team.id, kind: "members", actorId: newcomer.id, cursor: null, take: 10 });
    expect(items.map((entry) => entry.action)).toEqual(["member.joined"]);

    // Opening the used link again, or joining as someone already in the team, writes nothing.
    const before = (await entries(team.id)).length;
    await allowRedirect(acceptInvitationAction(idle, tokenForm(token)));
    const again = await createInvitation(prisma, { teamId: team.id, role: "ADMIN", createdById: user.id });
    signIn(user.id);
    await allowRedirect(acceptInvitationAction(idle, tokenForm(again.token)));
    const stranger = await seedUser();
    signIn(stranger.id);
    expect(await acceptInvitationAction(idle, tokenForm(token))).toMatchObject({ status: "error" });
    expect(await entries(team.id)).toHaveLength(before);
  });

  it("gets an entry for a join without an inviter left, and none for a refused one", async () => {
    const { team, user } = await setup();
    const { token, invitation } = await createInvitation(prisma, { teamId: team.id, role: "ADMIN", createdById: user.id });
    // The inviter's account is gone since; the link still works, and the entry says nobody invited.
    await prisma.invitation.update({ where: { id: invitation.id }, data: { createdById: null } });
    const newcomer = await seedUser("Ola Newcomer");
    const joined = await oneEntry(team.id, () => acceptInvitation(prisma, { token, userId: newcomer.id, request: { ip: CLIENT_IP, userAgent: "x".repeat(300) } }));
    expect(joined).toMatchObject({
      action: "member.joined",
      actorId: newcomer.id,
      summary: "joined the team as admin through an invite link",
      details: { role: "ADMIN", invitationId: invitation.id, invitedById: null },
    });
    const late = await seedUser();
    await expect(acceptInvitation(prisma, { token, userId: late.id })).rejects.toMatchObject({ code: "INVALID" });
    expect(await prisma.auditEntry.count({ where: { teamId: team.id, action: "member.joined" } })).toBe(1);
  });

  it("gets one entry per keyword label, and per delivery accepted without a signature", async () => {
    const { team, user } = await setup();
    signIn(user.id);
    const named = await oneEntry(team.id, () => createKeywordAction(idle, form(team.slug, { word: "stop", label: "Opt-out", color: "red" })));
    expect(named).toMatchObject({ action: "keyword.named", targetLabel: "STOP", details: { word: "STOP", label: "Opt-out", color: "red" } });
    expect(await oneEntry(team.id, () => deleteKeywordAction(idle, form(team.slug, { keywordId: named.targetId! })))).toMatchObject({ action: "keyword.deleted", targetLabel: "STOP" });

    const { number, token } = await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: "+12192259405", label: "Vonage line", credentials: { signatureMethod: "SHA256", signatureSecret: "the-secret" } });
    const deliver = (messageId: string) =>
      ingestDelivery(prisma, {
        providerSegment: "vonage",
        token,
        method: "GET",
        headers: new Headers(),
        url: new URL(`http://moshi.test/api/webhooks/vonage/${token}?${new URLSearchParams({ msisdn: "14843472194", to: "12192259405", messageId, text: "Hi", type: "text", sig: "0".repeat(64) })}`),
        body: "",
        receivedAt: new Date(),
      });
    const refused = await deliver("a-1");
    await deliver("a-2");
    const one = await oneEntry(team.id, () => acceptUnsignedAction(idle, form(team.slug, { deliveryId: refused.deliveryId! })), () => [token, "the-secret"]);
    expect(one).toMatchObject({ action: "delivery.accepted_unsigned", targetId: refused.deliveryId, targetLabel: "Delivery to Vonage line (+1 219 225 9405)" });
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const until = new Date(Date.now() + 60_000).toISOString();
    const bulk = await oneEntry(team.id, () => acceptRefusedAction(idle, form(team.slug, { numberId: number.id, since, until })), () => [token]);
    expect(bulk).toMatchObject({ action: "delivery.refused_accepted_unsigned", targetId: number.id, details: { accepted: 1 } });
  });

  it("gets an entry for a new team, written with it", async () => {
    const person = await seedUser("Founder");
    signIn(person.id);
    await allowRedirect(createTeamAction(idle, form("", { name: "Founders' team" })));
    const team = await prisma.team.findFirstOrThrow({ where: { memberships: { some: { userId: person.id } } } });
    expect(await entries(team.id)).toMatchObject([{ action: "team.created", actorId: person.id, targetId: team.id, ip: CLIENT_IP }]);
  });

  it("records nothing for a refused action", async () => {
    const { team, user, member, adminMembership } = await setup();
    const membershipOfOwner = await prisma.membership.findFirstOrThrow({ where: { teamId: team.id, userId: user.id } });
    signIn(member.id);
    expect(await createApiKeyAction(idle, form(team.slug, { name: "Sneaky", scope: "READ" }))).toMatchObject({ status: "error" });
    expect(await changeRoleAction(idle, form(team.slug, { membershipId: adminMembership.id, role: "MEMBER" }))).toMatchObject({ status: "error" });
    signIn(user.id);
    // Invalid input, the owner's own role, a number that is not there.
    expect(await createNumberAction(idle, form(team.slug, { provider: "VONAGE", number: "nope", label: "" }))).toMatchObject({ status: "error" });
    expect(await removeMemberAction(idle, form(team.slug, { membershipId: membershipOfOwner.id }))).toMatchObject({ status: "error" });
    await expect(rotateTokenAction(idle, form(team.slug, { numberId: "missing" }))).rejects.toThrow();
    expect(await prisma.auditEntry.count({ where: { teamId: team.id } })).toBe(0);
  });

  it("cannot be edited, nor an entry deleted while its team exists; both go with the team", async () => {
    const { team, user } = await setup();
    await recordAudit(prisma, { team, user, request: { ip: null, userAgent: null } }, { action: "keyword.named", target: { type: "keyword", id: null, label: "STOP" }, summary: "labelled the keyword STOP" });
    const [entry] = await entries(team.id);
    await expect(prisma.auditEntry.update({ where: { id: entry!.id }, data: { summary: "did nothing" } })).rejects.toThrow(/never edited/);
    await expect(prisma.$executeRaw`UPDATE "AuditEntry" SET "ip" = '1.2.3.4' WHERE "id" = ${entry!.id}`).rejects.toThrow(/never edited/);
    await expect(prisma.auditEntry.delete({ where: { id: entry!.id } })).rejects.toThrow(/only with their team/);
    // The person's account going away clears the link only; the copied name stays.
    await prisma.user.delete({ where: { id: user.id } });
    expect(await prisma.auditEntry.findUniqueOrThrow({ where: { id: entry!.id } })).toMatchObject({ actorId: null, actorName: "Owner", summary: "labelled the keyword STOP" });
    await prisma.team.delete({ where: { id: team.id } });
    expect(await prisma.auditEntry.count({ where: { id: entry!.id } })).toBe(0);
  });

  it("refuses details that carry a secret", async () => {
    const { team, user } = await setup();
    const context = { team, user, request: { ip: null, userAgent: null } };
    await expect(recordAudit(prisma, context, { action: "number.created", target: { type: "number", id: null, label: null }, summary: "x", details: { signatureSecret: "hunter2" } })).rejects.toThrow(/never what it is/);
    await expect(recordAudit(prisma, context, { action: "number.created", target: { type: "number", id: null, label: null }, summary: "x", details: { nested: [{ token: "abc" }] } })).rejects.toThrow();
    await recordAudit(prisma, context, { action: "number.created", target: { type: "number", id: null, label: null }, summary: "x", details: { credentials: "changed" } });
    expect(await prisma.auditEntry.count({ where: { teamId: team.id } })).toBe(1);
  });

  it("lists a team's own entries only, newest first, by kind and person, a page at a time", async () => {
    const one = await setup();
    const other = await seedTeam("Other team");
    const at = (_n: number) => ({ ip: null, userAgent: null });
    for (let i = 0; i < 5; i++) {
      await recordAudit(prisma, { team: one.team, user: i % 2 ? one.admin : one.user, request: at(i) }, { action: i < 3 ? "number.created" : "api_key.created", target: { type: "x", id: String(i), label: null }, summary: `entry ${i}` });
    }
    await recordAudit(prisma, { team: other.team, user: other.user, request: at(9) }, { action: "number.created", target: { type: "x", id: "other", label: null }, summary: "other team" });

    const first = await listAuditEntries(prisma, { teamId: one.team.id, take: 3 });
    expect(first.items.map((e) => e.summary)).toEqual(["entry 4", "entry 3", "entry 2"]);
    const second = await listAuditEntries(prisma, { teamId: one.team.id, take: 3, cursor: first.nextCursor });
    expect(second.items.map((e) => e.summary)).toEqual(["entry 1", "entry 0"]);
    expect(second.nextCursor).toBeNull();

    expect((await listAuditEntries(prisma, { teamId: one.team.id, kind: "api_keys" })).items.map((e) => e.summary)).toEqual(["entry 4", "entry 3"]);
    expect((await listAuditEntries(prisma, { teamId: one.team.id, actorId: one.admin.id })).items.map((e) => e.summary)).toEqual(["entry 3", "entry 1"]);
    // Another team's person filters nothing in.
    expect((await listAuditEntries(prisma, { teamId: one.team.id, actorId: other.user.id })).items).toEqual([]);
    expect((await listAuditActors(prisma, one.team.id)).map((a) => a.id).sort()).toEqual([one.user.id, one.admin.id].sort());
  });
});
