/**
 * The alerts page's actions as a signed-in person calls them: owners and admins change the rules
 * and channels (each change an audit entry), members are refused, refused input says why by the
 * field, and another team's page is not found.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { saveAlertChannelsAction, saveAlertRulesAction, sendTestAlertAction } from "@/app/(dashboard)/[team]/alerts/actions";
import { getAlertSettings } from "@/lib/data/alerts";
import { form, signIn } from "../helpers/actions";
import { prisma, seedTeam, seedUser } from "../helpers/db";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("@/lib/auth/auth", () => ({ auth: vi.fn() }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/headers", () => ({ headers: async () => request.headers }));

beforeEach(() => {
  request.headers = new Headers({ "user-agent": "alerts test" });
  vi.stubEnv("SMTP_URL", "");
});
afterEach(() => vi.unstubAllEnvs());
afterAll(() => prisma.$disconnect());

const idle = { status: "idle" } as const;

const RULES = { silentEnabled: "on", silentMode: "auto", silentHours: "24", rejectedEnabled: "on", rejectedPercent: "20", rejectedMinimum: "10", signatureEnabled: "on", signatureCount: "5", endpointEnabled: "on", endpointMinutes: "15" };

function entries(teamId: string) {
  return prisma.auditEntry.findMany({ where: { teamId, action: { startsWith: "alert." } }, orderBy: { createdAt: "asc" } });
}

describe("alert settings actions", () => {
  it("save the rules with an audit entry of what changed, and refuse a bad threshold by its field", async () => {
    const { team, user } = await seedTeam();
    signIn(user.id);
    const refused = await saveAlertRulesAction(idle, form(team.slug, { ...RULES, signatureCount: "0", silentMode: "fixed", silentHours: "" }));
    expect(refused).toMatchObject({ status: "error", fieldErrors: { signatureCount: "At least 1." } });
    const noHours = await saveAlertRulesAction(idle, form(team.slug, { ...RULES, silentMode: "fixed", silentHours: "" }));
    expect(noHours).toMatchObject({ status: "error", fieldErrors: { silentHours: "Enter a number of hours." } });
    expect(await entries(team.id)).toHaveLength(0);
    expect((await getAlertSettings(prisma, team.id)).saved).toBe(false);

    // Unticked boxes are absent from a form: the rule is off.
    const { rejectedEnabled: _off, ...rest } = RULES;
    expect(await saveAlertRulesAction(idle, form(team.slug, { ...rest, silentMode: "fixed", silentHours: "36", signatureCount: "3" }))).toMatchObject({ status: "success" });
    expect(await getAlertSettings(prisma, team.id)).toMatchObject({ saved: true, silentHours: 36, rejectedEnabled: false, signatureCount: 3 });
    const [entry] = await entries(team.id);
    expect(entry).toMatchObject({ action: "alert.rules_changed", actorId: user.id, targetType: "team" });
    expect(entry!.details).toEqual({
      silentHours: { before: null, after: 36 },
      rejectedEnabled: { before: true, after: false },
      signatureCount: { before: 5, after: 3 },
    });
  });

  it("save the channels with the Slack URL sealed, saying only that it was set", async () => {
    const { team, user } = await seedTeam();
    signIn(user.id);
    const bad = await saveAlertChannelsAction(idle, form(team.slug, { emailEnabled: "on", emailRecipients: "ops@example.test, nope", slackUrl: "ftp://hooks.example.test/x", eventsEnabled: "on" }));
    expect(bad).toMatchObject({ status: "error", fieldErrors: { emailRecipients: "“nope” is not an email address." } });
    const badUrl = await saveAlertChannelsAction(idle, form(team.slug, { emailEnabled: "on", emailRecipients: "", slackUrl: "ftp://hooks.example.test/x", eventsEnabled: "on" }));
    expect(badUrl).toMatchObject({ status: "error", fieldErrors: { slackUrl: expect.stringMatching(/https/) } });

    const url = "https://hooks.slack.test/services/T000/B000/secretpart42";
    expect(await saveAlertChannelsAction(idle, form(team.slug, { emailEnabled: "on", emailRecipients: "Ops@Example.test\noncall@example.test", slackUrl: url }))).toMatchObject({ status: "success" });
    const row = await prisma.alertSettings.findUniqueOrThrow({ where: { teamId: team.id } });
    expect(row).toMatchObject({ emailRecipients: ["ops@example.test", "oncall@example.test"], eventsEnabled: false, slackUrlHint: "part42" });
    expect(row.slackUrlSealed).not.toContain("secretpart42");
    const [entry] = await entries(team.id);
    expect(entry).toMatchObject({ action: "alert.channels_changed" });
    expect(entry!.details).toMatchObject({ slackWebhook: "set", eventsEnabled: { before: true, after: false } });
    expect(JSON.stringify(entry)).not.toContain("secretpart42");

    // Left empty, the URL stays; removed, it goes; saved again as it is, nothing is recorded.
    await saveAlertChannelsAction(idle, form(team.slug, { emailEnabled: "on", emailRecipients: "", slackUrl: "", eventsEnabled: "on" }));
    expect((await getAlertSettings(prisma, team.id)).slackUrlHint).toBe("part42");
    await saveAlertChannelsAction(idle, form(team.slug, { emailEnabled: "on", emailRecipients: "", slackUrl: "", removeSlack: "on", eventsEnabled: "on" }));
    expect((await getAlertSettings(prisma, team.id)).slackUrlHint).toBeNull();
    expect((await entries(team.id)).map((e) => (e.details as { slackWebhook: string }).slackWebhook)).toEqual(["set", "unchanged", "removed"]);
    expect(await saveAlertChannelsAction(idle, form(team.slug, { emailEnabled: "on", emailRecipients: "", slackUrl: "", eventsEnabled: "on" }))).toMatchObject({ message: "Alert channels saved: nothing changed." });
    expect(await entries(team.id)).toHaveLength(3);
  });

  it("send a test alert, kept without SMTP_URL, with an audit entry", async () => {
    const { team, user } = await seedTeam();
    signIn(user.id);
    const result = await sendTestAlertAction(idle, form(team.slug));
    expect(result).toMatchObject({ status: "success", message: expect.stringMatching(/1 kept in the mailbox/) });
    expect(await prisma.alertNotification.findMany({ where: { teamId: team.id }, select: { kind: true, status: true, recipients: true } })).toEqual([{ kind: "test", status: "KEPT", recipients: [user.email] }]);
    expect((await entries(team.id)).map((e) => e.action)).toEqual(["alert.test_sent"]);
  });

  it("refuse members, and treat another team's page as not found", async () => {
    const { team } = await seedTeam();
    const member = await seedUser("Member");
    await prisma.membership.create({ data: { teamId: team.id, userId: member.id, role: "MEMBER" } });
    signIn(member.id);
    for (const action of [saveAlertRulesAction(idle, form(team.slug, RULES)), saveAlertChannelsAction(idle, form(team.slug, { emailEnabled: "on" })), sendTestAlertAction(idle, form(team.slug))]) {
      expect(await action).toMatchObject({ status: "error", error: "Only owners and admins can do this." });
    }
    expect(await prisma.alertSettings.count({ where: { teamId: team.id } })).toBe(0);
    expect(await prisma.alertNotification.count({ where: { teamId: team.id } })).toBe(0);

    const stranger = await seedUser("Stranger");
    signIn(stranger.id);
    await expect(saveAlertRulesAction(idle, form(team.slug, RULES))).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404|NEXT_NOT_FOUND/);
    expect(await entries(team.id)).toHaveLength(0);
  });
});
