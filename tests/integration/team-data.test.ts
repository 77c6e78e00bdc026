/**
 * A team's data rights: its retention settings, its full export and deleting it, through the
 * actions and the route handler a browser calls, as a mocked session.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as exportRoute } from "@/app/(dashboard)/[team]/settings/export/route";
import { deleteTeamAction, updateRetentionAction } from "@/app/(dashboard)/[team]/settings/actions";
import { auth } from "@/lib/auth/auth";
import { createNumber } from "@/lib/data/numbers";
import { exportTeam } from "@/lib/data/team-export";
import { sqlPool } from "@/lib/db";
import { sendTestMessage } from "@/lib/sms/test-message";
import { attemptDispatch } from "@/lib/forwarding/dispatch";
import { form, signIn } from "../helpers/actions";
import { prisma, seedTeam, seedUser } from "../helpers/db";
import { deliver, receive } from "../helpers/receive";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("@/lib/auth/auth", () => ({ auth: vi.fn() }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/headers", () => ({ headers: async () => request.headers }));

beforeEach(() => {
  request.headers = new Headers({ "user-agent": "team-data test" });
});
afterAll(() => prisma.$disconnect());

const idle = { status: "idle" } as const;

/** Redirects end an action by throwing, as Next does: answers where to. */
async function redirectOf(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    const digest = String((error as { digest?: string }).digest ?? "");
    if (!digest.startsWith("NEXT_REDIRECT")) throw error;
    return digest.split(";")[2] ?? "";
  }
}

async function withMember(teamId: string, role: "ADMIN" | "MEMBER") {
  const user = await seedUser(role);
  await prisma.membership.create({ data: { teamId, userId: user.id, role } });
  return user;
}

/** A team with a bit of everything: numbers, threads, a long message, a binary body, a refusal, an endpoint and its events. */
async function populatedTeam(name: string, e164: string) {
  const { team, user } = await seedTeam(name);
  const { token } = await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164, label: `${name} line` });
  const vonage = await createNumber(prisma, {
    teamId: team.id,
    provider: "VONAGE",
    e164: `+1219225${e164.slice(-4)}`,
    label: `${name} signed`,
    credentials: { signatureMethod: "SHA256", signatureSecret: "a-secret-only-the-team-knows" },
  });
  await prisma.webhookEndpoint.create({ data: { teamId: team.id, url: "https://hooks.example.com/moshi", secretSealed: "sealed" } });
  const at = new Date("2031-05-01T09:00:00.000Z");
  for (let i = 0; i < 5; i++) await receive(prisma, token, { provider: "RAKUTEN", from: `81900000000${i}`, to: e164.slice(1), text: `${name} message ${i} 日本語` }, new Date(at.getTime() + i * 60_000));
  await receive(prisma, token, { provider: "RAKUTEN", from: "819000000009", to: e164.slice(1), text: `${name} long `.repeat(40), parts: 3 }, at);
  // Unsigned, to a number that checks signatures: refused, and logged.
  await deliver(prisma, vonage.token, { provider: "VONAGE", from: "14845552121", to: vonage.number.e164.slice(1), text: "unsigned" }, at);
  await prisma.teamKeyword.create({ data: { teamId: team.id, word: "SALE", label: "Sale", color: "indigo" } });
  await prisma.apiKey.create({ data: { teamId: team.id, name: "CRM", keyHash: `hash-${team.id}`, hint: "moshi_live_…abcd" } });
  await prisma.auditEntry.create({ data: { teamId: team.id, action: "number.created", targetType: "number", summary: "added a number" } });
  return { team, owner: user, token, vonage };
}

async function readLines(response: Response) {
  const text = await response.text();
  expect(text.endsWith("\n")).toBe(true);
  return text.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown> & { type: string; id: string });
}

describe("retention settings", () => {
  it("owners and admins change them, with an audit entry; a bad value is refused by its field; members are refused", async () => {
    const { team, user } = await seedTeam("Retention settings");
    signIn(user.id);
    const bad = await updateRetentionAction(idle, form(team.slug, { keepBodiesDays: "0", keepMessages: "days", keepMessagesDays: "ten" }));
    expect(bad).toMatchObject({
      status: "error",
      fieldErrors: { keepBodiesDays: "Keep raw bodies at least 1 day.", keepMessagesDays: "Enter a whole number of days, such as 30." },
    });
    expect(await prisma.team.findUniqueOrThrow({ where: { id: team.id } })).toMatchObject({ keepBodiesDays: 30, keepMessagesDays: null });

    expect(await updateRetentionAction(idle, form(team.slug, { keepBodiesDays: "7", keepMessages: "days", keepMessagesDays: "365" }))).toMatchObject({ status: "success" });
    expect(await prisma.team.findUniqueOrThrow({ where: { id: team.id } })).toMatchObject({ keepBodiesDays: 7, keepMessagesDays: 365 });
    const [entry] = await prisma.auditEntry.findMany({ where: { teamId: team.id, action: "team.retention_changed" } });
    expect(entry).toMatchObject({
      actorId: user.id,
      summary: "changed how long the team keeps raw bodies from 30 days to 7 days and messages from for ever to 365 days",
      details: { keepBodiesDays: { before: 30, after: 7 }, keepMessagesDays: { before: null, after: 365 } },
    });

    const admin = await withMember(team.id, "ADMIN");
    signIn(admin.id);
    expect(await updateRetentionAction(idle, form(team.slug, { keepBodiesDays: "7", keepMessages: "forever", keepMessagesDays: "" }))).toMatchObject({ status: "success" });
    expect((await prisma.team.findUniqueOrThrow({ where: { id: team.id } })).keepMessagesDays).toBeNull();
    // Saving what is already there changes nothing and writes nothing.
    expect(await updateRetentionAction(idle, form(team.slug, { keepBodiesDays: "7", keepMessages: "forever" }))).toMatchObject({ status: "success", message: "Nothing changed." });
    expect(await prisma.auditEntry.count({ where: { teamId: team.id, action: "team.retention_changed" } })).toBe(2);

    const member = await withMember(team.id, "MEMBER");
    signIn(member.id);
    expect(await updateRetentionAction(idle, form(team.slug, { keepBodiesDays: "1", keepMessages: "days", keepMessagesDays: "1" }))).toMatchObject({
      status: "error",
      error: "Only owners and admins can do this.",
    });
    expect(await prisma.team.findUniqueOrThrow({ where: { id: team.id } })).toMatchObject({ keepBodiesDays: 7, keepMessagesDays: null });

    // Another team's people get the page that does not exist.
    const { user: stranger } = await seedTeam("Elsewhere");
    signIn(stranger.id);
    await expect(updateRetentionAction(idle, form(team.slug, { keepBodiesDays: "1", keepMessages: "forever" }))).rejects.toMatchObject({ digest: expect.stringContaining("404") });
  });
});

describe("the team export", () => {
  it("streams every row of the team in order, and none of another team's", async () => {
    const mine = await populatedTeam("Export mine", "+815012349001");
    const theirs = await populatedTeam("Export theirs", "+815012349002");
    signIn(mine.owner.id);
    const response = await exportRoute(new Request(`http://moshi.test/${mine.team.slug}/settings/export`), { params: Promise.resolve({ team: mine.team.slug }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="moshi-${mine.team.slug}-export-\\d{4}-\\d{2}-\\d{2}\\.jsonl"$`));
    const lines = await readLines(response);

    // In order: the team, then numbers, conversations, messages, deliveries.
    const order = ["team", "number", "conversation", "message", "delivery"];
    const types = lines.map((line) => line.type);
    expect([...new Set(types)]).toEqual(order);
    expect(types).toEqual([...types].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    expect(lines[0]).toMatchObject({ type: "team", id: mine.team.id, name: "Export mine", keepBodiesDays: 30, keepMessagesDays: null });

    const ids = (type: string) => lines.filter((line) => line.type === type).map((line) => line.id).sort();
    const expected = async (rows: Promise<{ id: string }[]>) => (await rows).map((row) => row.id).sort();
    expect(ids("number")).toEqual(await expected(prisma.phoneNumber.findMany({ where: { teamId: mine.team.id } })));
    expect(ids("conversation")).toEqual(await expected(prisma.conversation.findMany({ where: { teamId: mine.team.id } })));
    expect(ids("message")).toEqual(await expected(prisma.message.findMany({ where: { teamId: mine.team.id } })));
    expect(ids("delivery")).toEqual(await expected(prisma.delivery.findMany({ where: { teamId: mine.team.id } })));
    expect(ids("message")).toHaveLength(6);
    expect(ids("delivery")).toHaveLength(9);

    // Nothing of the other team, and no secret of any number.
    const text = JSON.stringify(lines);
    for (const id of await expected(prisma.delivery.findMany({ where: { teamId: theirs.team.id } }))) expect(text).not.toContain(id);
    expect(text).not.toContain("Export theirs");
    expect(text).not.toContain(mine.token);
    expect(text).not.toContain("a-secret-only-the-team-knows");
    for (const number of lines.filter((line) => line.type === "number")) {
      expect(Object.keys(number).sort()).toEqual(["checksSignatures", "createdAt", "e164", "id", "label", "provider", "type"]);
    }
    expect(lines.find((line) => line.type === "number" && line.provider === "VONAGE")).toMatchObject({ checksSignatures: true });

    // Each raw body, byte for byte in base64, and as text when it is UTF-8.
    for (const line of lines.filter((l) => l.type === "delivery")) {
      const stored = await prisma.delivery.findUniqueOrThrow({ where: { id: line.id } });
      const body = line.body as { base64: string; text: string | null; size: number };
      expect(Buffer.from(body.base64, "base64").equals(Buffer.from(stored.body))).toBe(true);
      expect(body.text).toBe(Buffer.from(stored.body).toString("utf8"));
    }
    expect(lines.find((line) => line.type === "message" && String(line.text).includes("日本語"))).toBeTruthy();

    // Written to the audit log.
    expect(await prisma.auditEntry.findFirst({ where: { teamId: mine.team.id, action: "team.exported" } })).toMatchObject({ actorId: mine.owner.id });
  });

  it("reads in keyset batches: small batches give exactly the same lines", async () => {
    const { team } = await populatedTeam("Export batches", "+815012349003");
    const all = async (options?: { batch: number; deliveryBatch: number }) => {
      const lines: unknown[] = [];
      for await (const batch of exportTeam(prisma, team.id, options)) {
        if (options) expect(batch.length).toBeLessThanOrEqual(options.batch);
        lines.push(...batch);
      }
      return lines;
    };
    const whole = await all();
    expect(whole.length).toBeGreaterThan(10);
    expect(await all({ batch: 2, deliveryBatch: 2 })).toEqual(whole);
  });

  it("leaves test messages, their deliveries and test-only threads out unless asked, and carries the team's notes", async () => {
    const { team, owner } = await populatedTeam("Export tests", "+815012349004");
    const number = await prisma.phoneNumber.findFirstOrThrow({ where: { teamId: team.id, provider: "RAKUTEN" } });
    const sent = await sendTestMessage(prisma, { teamId: team.id, numberId: number.id, userId: owner.id });
    expect(sent.responses.map((r) => r.status)).toEqual([200]);
    const test = await prisma.message.findFirstOrThrow({ where: { teamId: team.id, isTest: true } });
    const thread = await prisma.conversation.findFirstOrThrow({ where: { teamId: team.id, testCount: 0, messageCount: { gt: 0 } } });
    await prisma.conversationNote.create({ data: { teamId: team.id, conversationId: thread.id, authorId: owner.id, authorName: "Owner", body: "Called back" } });
    const lines = async (tests: boolean) => {
      const all: { type: string; id?: unknown; isTest?: unknown; conversationId?: unknown; body?: unknown }[] = [];
      for await (const batch of exportTeam(prisma, team.id, { tests })) all.push(...batch);
      return all;
    };
    const plain = await lines(false);
    expect(plain.filter((l) => l.type === "message").every((l) => l.isTest === false)).toBe(true);
    expect(plain.filter((l) => l.type === "delivery").every((l) => l.isTest === false)).toBe(true);
    expect(plain.some((l) => l.type === "conversation" && l.id === test.conversationId)).toBe(false);
    expect(plain.filter((l) => l.type === "note")).toMatchObject([{ conversationId: thread.id, body: "Called back" }]);
    const withTests = await lines(true);
    expect(withTests.filter((l) => l.type === "message" && l.id === test.id)).toHaveLength(1);
    expect(withTests.filter((l) => l.type === "delivery" && l.isTest === true).length).toBeGreaterThan(0);
    expect(withTests.some((l) => l.type === "conversation" && l.id === test.conversationId)).toBe(true);
  });

  it("is for owners and admins: members get a 403, other people a 404, signed-out people the sign-in page", async () => {
    const { team } = await seedTeam("Export access");
    const get = () => exportRoute(new Request(`http://moshi.test/${team.slug}/settings/export`), { params: Promise.resolve({ team: team.slug }) });
    signIn((await withMember(team.id, "ADMIN")).id);
    expect((await get()).status).toBe(200);
    signIn((await withMember(team.id, "MEMBER")).id);
    const refused = await get();
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe("Only owners and admins can export the team's data.\n");
    signIn((await seedTeam("Someone else's")).user.id);
    expect((await get()).status).toBe(404);
    vi.mocked(auth).mockResolvedValue(null as never);
    const signedOut = await get();
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toContain(`/sign-in?callbackUrl=${encodeURIComponent(`/${team.slug}/settings/export`)}`);
  });
});

describe("deleting a team", () => {
  it("takes the owner typing its name or slug, then removes everything of that team and nothing else", async () => {
    const doomed = await populatedTeam("Doomed team", "+815012349004");
    const kept = await populatedTeam("Kept team", "+815012349005");
    // The owner of the doomed team is also in the kept one: that is where they land.
    await prisma.membership.create({ data: { teamId: kept.team.id, userId: doomed.owner.id, role: "MEMBER" } });
    const dispatch = await prisma.eventDispatch.findFirstOrThrow({ where: { teamId: doomed.team.id, status: "PENDING" } });

    const counts = async (teamId: string) => ({
      numbers: await prisma.phoneNumber.count({ where: { teamId } }),
      conversations: await prisma.conversation.count({ where: { teamId } }),
      messages: await prisma.message.count({ where: { teamId } }),
      deliveries: await prisma.delivery.count({ where: { teamId } }),
      events: await prisma.event.count({ where: { teamId } }),
      dispatches: await prisma.eventDispatch.count({ where: { teamId } }),
      endpoints: await prisma.webhookEndpoint.count({ where: { teamId } }),
      keywords: await prisma.teamKeyword.count({ where: { teamId } }),
      apiKeys: await prisma.apiKey.count({ where: { teamId } }),
      audit: await prisma.auditEntry.count({ where: { teamId } }),
      memberships: await prisma.membership.count({ where: { teamId } }),
    });
    const keptBefore = await counts(kept.team.id);
    const doomedBefore = await counts(doomed.team.id);
    expect(Object.values(doomedBefore).every((count) => count > 0)).toBe(true);

    // Admins and members cannot; a confirmation that does not match exactly deletes nothing.
    signIn((await withMember(doomed.team.id, "ADMIN")).id);
    expect(await deleteTeamAction(idle, form(doomed.team.slug, { confirm: "Doomed team" }))).toMatchObject({ status: "error", error: "Only the team's owner can delete it." });
    signIn((await withMember(doomed.team.id, "MEMBER")).id);
    expect(await deleteTeamAction(idle, form(doomed.team.slug, { confirm: "Doomed team" }))).toMatchObject({ status: "error", error: "Only owners and admins can do this." });
    signIn(doomed.owner.id);
    for (const confirm of ["doomed team", "Doomed team ", "", "Kept team"]) {
      expect(await deleteTeamAction(idle, form(doomed.team.slug, { confirm }))).toMatchObject({
        status: "error",
        fieldErrors: { confirm: `Type Doomed team or ${doomed.team.slug} exactly to confirm.` },
      });
    }
    expect(await prisma.team.count({ where: { id: doomed.team.id } })).toBe(1);

    // The owner of the kept team cannot delete the doomed one from there.
    signIn(kept.owner.id);
    await expect(deleteTeamAction(idle, form(doomed.team.slug, { confirm: "Doomed team" }))).rejects.toMatchObject({ digest: expect.stringContaining("404") });

    signIn(doomed.owner.id);
    expect(await redirectOf(deleteTeamAction(idle, form(doomed.team.slug, { confirm: doomed.team.slug })))).toBe("/");
    expect(await prisma.team.count({ where: { id: doomed.team.id } })).toBe(0);
    expect(Object.values(await counts(doomed.team.id)).every((count) => count === 0)).toBe(true);
    expect(await prisma.messagePart.count({ where: { phoneNumber: { teamId: doomed.team.id } } })).toBe(0);
    expect(await prisma.endpointAttempt.count({ where: { teamId: doomed.team.id } })).toBe(0);
    expect(await counts(kept.team.id)).toEqual({ ...keptBefore, memberships: keptBefore.memberships });
    // The people stay, with their other teams.
    expect(await prisma.user.count({ where: { id: doomed.owner.id } })).toBe(1);

    // The forwarding job still queued for the team finds nothing to do, quietly.
    expect(await attemptDispatch(sqlPool(prisma), dispatch.id)).toBe("skipped");
    // The webhook URLs of its numbers are not found any more.
    expect(await deliver(prisma, doomed.token, { provider: "RAKUTEN", from: "819000000001", to: "815012349004", text: "Hello?" })).toEqual([404]);
  });
});
