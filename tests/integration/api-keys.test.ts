import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createApiKeyAction, revokeApiKeyAction } from "@/app/(dashboard)/[team]/api-keys/actions";
import { hashToken } from "@/lib/crypto";
import { listApiKeys } from "@/lib/data/api-keys";
import { form, signIn } from "../helpers/actions";
import { prisma, seedTeam, seedUser } from "../helpers/db";

vi.mock("@/lib/auth/auth", () => ({ auth: vi.fn() }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

afterAll(() => prisma.$disconnect());

const idle = { status: "idle" } as const;

describe("the API keys page's actions", () => {
  let owner: Awaited<ReturnType<typeof seedTeam>>;
  let member: Awaited<ReturnType<typeof seedUser>>;

  beforeEach(async () => {
    owner = await seedTeam("Keys team");
    member = await seedUser("Member");
    await prisma.membership.create({ data: { teamId: owner.team.id, userId: member.id, role: "MEMBER" } });
  });

  it("let an owner create a key, shown once and stored as its hash, with who made it", async () => {
    signIn(owner.user.id);
    const result = await createApiKeyAction(idle, form(owner.team.slug, { name: "  CRM sync ", scope: "READ_WRITE" }));
    expect(result).toEqual({ status: "success", data: { name: "CRM sync", secret: expect.stringMatching(/^moshi_live_[A-Za-z0-9_-]{43}$/) } });
    const secret = (result as { data: { secret: string } }).data.secret;
    const [key] = await listApiKeys(prisma, owner.team.id);
    expect(key).toMatchObject({ name: "CRM sync", scope: "READ_WRITE", createdBy: { name: "Owner" }, lastUsedAt: null, revokedAt: null });
    const stored = await prisma.apiKey.findUniqueOrThrow({ where: { id: key!.id } });
    expect(stored.keyHash).toBe(hashToken(secret));
    expect(JSON.stringify(stored)).not.toContain(secret.slice(11));
  });

  it("explain invalid input next to the field and create nothing", async () => {
    signIn(owner.user.id);
    expect(await createApiKeyAction(idle, form(owner.team.slug, { name: "   ", scope: "READ" }))).toMatchObject({
      status: "error",
      fieldErrors: { name: expect.stringContaining("Give the key a name") },
    });
    expect(await createApiKeyAction(idle, form(owner.team.slug, { name: "x".repeat(61), scope: "ADMIN" }))).toMatchObject({
      status: "error",
      fieldErrors: { name: "Use at most 60 characters.", scope: "Choose what the key may do." },
    });
    expect(await prisma.apiKey.count({ where: { teamId: owner.team.id } })).toBe(0);
  });

  it("refuse members, who see the keys but neither create nor revoke them", async () => {
    signIn(owner.user.id);
    await createApiKeyAction(idle, form(owner.team.slug, { name: "Existing", scope: "READ" }));
    const [existing] = await listApiKeys(prisma, owner.team.id);

    signIn(member.id);
    expect(await createApiKeyAction(idle, form(owner.team.slug, { name: "Mine", scope: "READ" }))).toEqual({
      status: "error",
      error: "Only owners and admins can do this.",
      fieldErrors: undefined,
    });
    expect(await revokeApiKeyAction(idle, form(owner.team.slug, { keyId: existing!.id }))).toMatchObject({ status: "error" });
    expect((await listApiKeys(prisma, owner.team.id)).map((key) => [key.name, key.revokedAt])).toEqual([["Existing", null]]);
  });

  it("revoke a key of the team once, and never another team's", async () => {
    signIn(owner.user.id);
    await createApiKeyAction(idle, form(owner.team.slug, { name: "Old", scope: "READ" }));
    await createApiKeyAction(idle, form(owner.team.slug, { name: "New", scope: "READ" }));
    const keys = await listApiKeys(prisma, owner.team.id);
    const old = keys.find((key) => key.name === "Old")!;
    expect(await revokeApiKeyAction(idle, form(owner.team.slug, { keyId: old.id }))).toEqual({ status: "success", message: "Key revoked." });
    const revokedAt = (await prisma.apiKey.findUniqueOrThrow({ where: { id: old.id } })).revokedAt;
    expect(revokedAt).toBeInstanceOf(Date);
    // Revoking again keeps the first time; revoked keys sort after active ones.
    await revokeApiKeyAction(idle, form(owner.team.slug, { keyId: old.id }));
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: old.id } })).revokedAt).toEqual(revokedAt);
    expect((await listApiKeys(prisma, owner.team.id)).map((key) => key.name)).toEqual(["New", "Old"]);

    // Another team's owner cannot revoke it: their team has no such key (a 404).
    const other = await seedTeam("Other keys team");
    const theirs = await prisma.apiKey.findFirstOrThrow({ where: { teamId: owner.team.id, name: "New" } });
    signIn(other.user.id);
    await expect(revokeApiKeyAction(idle, form(other.team.slug, { keyId: theirs.id }))).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404|NEXT_NOT_FOUND/);
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: theirs.id } })).revokedAt).toBeNull();
  });
});
