/**
 * Alerts end to end on PostgreSQL: traffic goes in through the ingestion pipeline at chosen
 * times, the alerts job evaluates with its clock moved (no sleeps), a real SMTP server on
 * 127.0.0.1 (`smtp-server`) receives the mail, a real HTTP server plays Slack's incoming webhook,
 * and the team's endpoint gets its `alert.*` events through the forwarding outbox.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { runAlerts } from "@/lib/alerts/job";
import { deliverAlertNotifications, mailConfig } from "@/lib/alerts/notify";
import { DEFAULT_RULES } from "@/lib/alerts/rules";
import { findAlertMail, listAlertMail, listIncidentHistory, listOpenIncidents, numberSilences, saveAlertChannels, saveAlertRules, sendTestAlert } from "@/lib/data/alerts";
import { createNumber } from "@/lib/data/numbers";
import { sqlPool } from "@/lib/db";
import { eventSchema } from "@/lib/events/schema";
import { forwardingConfig } from "@/lib/forwarding/config";
import { createEndpoint } from "@/lib/forwarding/endpoints";
import { ingestDelivery } from "@/lib/sms/ingest";
import { sendTestMessage } from "@/lib/sms/test-message";
import { prisma, seedTeam } from "../helpers/db";
import { receive } from "../helpers/receive";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { startSmtpServer, type SmtpServer } from "../helpers/smtp";

const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;
const pool = sqlPool(prisma);
const forwarding = forwardingConfig({ NODE_ENV: "test" });

const servers: (SmtpServer | Receiver)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
afterAll(() => prisma.$disconnect());

async function smtp(port?: number) {
  const server = await startSmtpServer({ port });
  servers.push(server);
  return server;
}

async function slack() {
  const server = await startReceiver();
  servers.push(server);
  return server;
}

let numberSeq = 0;
/** A team with a Rakuten number, its owner the default mail recipient. */
async function setup() {
  const { team, user } = await seedTeam("Alerting team");
  const e164 = `+8150${String(10_000_000 + numberSeq++ * 7919).slice(0, 8)}`;
  const { number, token } = await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164, label: "Tokyo support" });
  const message = (text: string) => ({ provider: "RAKUTEN" as const, from: "819012345678", to: e164.slice(1), text });
  return { team, user, number, token, e164, message };
}

/** One message an hour for `hours` hours, the last at `last`. */
async function hourly(token: string, message: (text: string) => Parameters<typeof receive>[2], last: Date, hours: number, every = HOUR) {
  for (let i = hours - 1; i >= 0; i--) await receive(prisma, token, message(`HELLO ${i}`), new Date(last.getTime() - i * every));
}

/** Runs the job for one team only: other test files' teams share this database. */
function run(teamId: string, now: Date, mailUrl: string | null) {
  return runAlerts(pool, { now, teamId, mail: mailConfig(mailUrl ? { SMTP_URL: mailUrl } : {}), forwarding });
}

function alertEvents(teamId: string) {
  return prisma.event.findMany({ where: { teamId, type: { startsWith: "alert." } }, orderBy: { createdAt: "asc" } });
}

describe("alerts", () => {
  it("a silent number fires once on every channel and resolves with a resolved notification", async () => {
    const { team, user, number, token, message } = await setup();
    const mail = await smtp();
    const hook = await slack();
    const endpoint = await slack();
    await createEndpoint(prisma, team.id, { url: endpoint.url, description: "", eventTypes: ["alert.fired", "alert.resolved"], phoneNumberIds: [] }, user.id);
    await saveAlertChannels(prisma, team.id, { emailEnabled: true, emailRecipients: [], eventsEnabled: true, slackUrl: hook.url });
    const last = new Date("2031-03-10T09:00:00.000Z");
    await hourly(token, message, last, 10);

    // An hour gap is its usual traffic: 3 hours of silence is the threshold. Two hours is not it.
    expect((await run(team.id, new Date(last.getTime() + 2 * HOUR), mail.url)).fired).toBe(0);
    const fired = await run(team.id, new Date(last.getTime() + 4 * HOUR), mail.url);
    expect(fired).toMatchObject({ fired: 1, notifications: { sent: 2 } });
    // Again, and twice at once: nothing new.
    const again = await Promise.all([run(team.id, new Date(last.getTime() + 4 * HOUR + MINUTE), mail.url), run(team.id, new Date(last.getTime() + 4 * HOUR + MINUTE), mail.url)]);
    expect(again.map((r) => r.fired)).toEqual([0, 0]);

    const open = await listOpenIncidents(prisma, team.id);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ rule: "silent_number", subjectId: number.id, observed: { thresholdHours: 3, silentHours: 4, thresholdFrom: "usual traffic" } });
    expect(mail.received).toHaveLength(1);
    expect(mail.received[0]!.to).toEqual([user.email]);
    expect(mail.subjects()[0]).toMatch(/A number goes quiet: Tokyo support/);
    expect(mail.received[0]!.raw).toMatch(/has received nothing for 4 hours/);
    expect(hook.received).toHaveLength(1);
    const posted = JSON.parse(hook.received[0]!.body) as { text: string; blocks: unknown[] };
    expect(posted.text).toMatch(/^A number goes quiet: Tokyo support/);
    expect(posted.blocks).toHaveLength(1);
    const events = await alertEvents(team.id);
    expect(events.map((e) => e.type)).toEqual(["alert.fired"]);
    const document = eventSchema.parse(JSON.parse(events[0]!.payload));
    expect(document).toMatchObject({ type: "alert.fired", data: { id: open[0]!.id, rule: "silent_number", subject: { type: "number", id: number.id }, resolvedAt: null } });
    // The forwarding outbox fanned it out to the endpoint, as any event.
    expect(await prisma.eventDispatch.count({ where: { eventId: events[0]!.id } })).toBe(1);

    // A test from the Numbers page is not the customers coming back: still silent.
    await sendTestMessage(prisma, { teamId: team.id, numberId: number.id, userId: user.id, now: new Date(last.getTime() + 4 * HOUR + 10 * MINUTE) });
    expect((await run(team.id, new Date(last.getTime() + 4 * HOUR + 11 * MINUTE), mail.url)).resolved).toBe(0);

    // A message arrives: the next run resolves it, once, and says so everywhere.
    const back = new Date(last.getTime() + 5 * HOUR);
    await receive(prisma, token, message("BACK again"), back);
    expect((await run(team.id, new Date(back.getTime() + MINUTE), mail.url)).resolved).toBe(1);
    expect((await run(team.id, new Date(back.getTime() + 2 * MINUTE), mail.url)).resolved).toBe(0);
    expect(await listOpenIncidents(prisma, team.id)).toHaveLength(0);
    const history = await listIncidentHistory(prisma, { teamId: team.id, cursor: null, take: 10 });
    expect(history.items).toHaveLength(1);
    expect(history.items[0]!.resolvedAt?.toISOString()).toBe(new Date(back.getTime() + MINUTE).toISOString());
    expect(history.items[0]!.resolution).toBe("the condition cleared");
    expect(mail.received).toHaveLength(2);
    expect(mail.subjects()[1]).toMatch(/Resolved: Tokyo support/);
    expect(hook.received).toHaveLength(2);
    expect(JSON.parse(hook.received[1]!.body).text).toMatch(/^Resolved: Tokyo support/);
    const after = await alertEvents(team.id);
    expect(after.map((e) => e.type)).toEqual(["alert.fired", "alert.resolved"]);
    expect(eventSchema.parse(JSON.parse(after[1]!.payload))).toMatchObject({ data: { id: open[0]!.id, resolvedAt: new Date(back.getTime() + MINUTE).toISOString() } });
  });

  it("derives each number's silence threshold from its own traffic, bounded, and never alerts for a number that never spoke", async () => {
    const { team, token, message, number: busy } = await setup();
    const { number: sparse, token: sparseToken } = await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164: "+815099990001", label: "Sparse" });
    const { number: never } = await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164: "+815099990002", label: "Never used" });
    const { number: few, token: fewToken } = await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164: "+815099990003", label: "Few" });
    const now = new Date("2031-04-01T12:00:00.000Z");
    const sparseMessage = (text: string) => ({ provider: "RAKUTEN" as const, from: "819012345678", to: "815099990001", text });
    const fewMessage = (text: string) => ({ provider: "RAKUTEN" as const, from: "819012345678", to: "815099990003", text });
    // Every 20 minutes: 3 × 20 minutes is under the 2-hour floor.
    await hourly(token, message, new Date(now.getTime() - 3 * HOUR), 12, 20 * MINUTE);
    // Every 12 hours for 5 days: 36 hours.
    await hourly(sparseToken, sparseMessage, new Date(now.getTime() - 30 * HOUR), 10, 12 * HOUR);
    // Three messages: too few gaps to read a pattern, so the 7-day ceiling.
    await hourly(fewToken, fewMessage, new Date(now.getTime() - 6 * 24 * HOUR), 3, HOUR);

    const silences = await numberSilences(prisma, team.id, { silentHours: null }, now);
    const byId = new Map(silences.map((s) => [s.id, s.threshold]));
    expect(byId.get(busy.id)).toEqual({ hours: 2, source: "traffic" });
    expect(byId.get(sparse.id)).toEqual({ hours: 36, source: "traffic" });
    expect(byId.get(few.id)).toEqual({ hours: 168, source: "too_little_traffic" });
    expect(byId.get(never.id)).toEqual({ hours: 168, source: "too_little_traffic" });

    await evaluateAlerts(pool, now, { teamId: team.id });
    expect((await listOpenIncidents(prisma, team.id)).map((i) => i.subjectId)).toEqual([busy.id]);

    // The team's own threshold replaces every number's: 24 hours catches Sparse (30 hours) and
    // Few (6 days), and clears Busy (3 hours).
    await saveAlertRules(prisma, team.id, { ...DEFAULT_RULES, silentHours: 24 });
    const result = await evaluateAlerts(pool, now, { teamId: team.id });
    expect(result).toMatchObject({ fired: 2, resolved: 1 });
    const open = await listOpenIncidents(prisma, team.id);
    expect(open.map((i) => i.subjectId).sort()).toEqual([sparse.id, few.id].sort());
    expect(open[0]!.observed).toMatchObject({ thresholdHours: 24, thresholdFrom: "team setting" });

    // Turned off, what is open resolves and says why.
    await saveAlertRules(prisma, team.id, { ...DEFAULT_RULES, silentEnabled: false });
    expect(await evaluateAlerts(pool, now, { teamId: team.id })).toMatchObject({ fired: 0, resolved: 2 });
    const history = await listIncidentHistory(prisma, { teamId: team.id, cursor: null, take: 10 });
    expect(history.items.filter((i) => i.resolution === "the rule was turned off").map((i) => i.subjectId).sort()).toEqual([sparse.id, few.id].sort());
  });

  it("rejected deliveries alert only past the minimum volume, and signature failures over their count", async () => {
    const { team, token, message, number } = await setup();
    await saveAlertRules(prisma, team.id, { ...DEFAULT_RULES, silentEnabled: false });
    const now = new Date("2031-05-01T12:00:00.000Z");
    const refuse = (at: Date) =>
      ingestDelivery(prisma, { providerSegment: "rakuten", token, method: "POST", headers: new Headers({ "content-type": "application/json" }), url: new URL(`http://moshi.test/api/webhooks/rakuten/${token}`), body: "{not json", receivedAt: at });
    const refused = await refuse(new Date(now.getTime() - 10 * MINUTE));
    expect(refused.status).toBeGreaterThanOrEqual(400);
    // 1 of 1 refused is 100 %, but one delivery pages no one.
    expect((await evaluateAlerts(pool, now, { teamId: team.id })).fired).toBe(0);
    for (let i = 0; i < 8; i++) await receive(prisma, token, message(`FINE ${i}`), new Date(now.getTime() - (20 + i) * MINUTE));
    // 1 of 9: still under the minimum of 10.
    expect((await evaluateAlerts(pool, now, { teamId: team.id })).fired).toBe(0);
    await refuse(new Date(now.getTime() - 5 * MINUTE));
    // 2 of 10 refused: 20 %, the default threshold.
    expect((await evaluateAlerts(pool, now, { teamId: team.id })).fired).toBe(1);
    const [incident] = await listOpenIncidents(prisma, team.id);
    expect(incident).toMatchObject({ rule: "rejected_rate", subjectId: number.id, observed: { deliveries: 10, rejected: 2, percent: 20 } });
    // An hour later they are out of the window: resolved.
    expect(await evaluateAlerts(pool, new Date(now.getTime() + HOUR), { teamId: team.id })).toMatchObject({ resolved: 1 });

    const { number: vonage, token: vonageToken } = await createNumber(prisma, {
      teamId: team.id,
      provider: "VONAGE",
      e164: "+12192259404",
      label: "US hotline",
      credentials: { signatureMethod: "SHA256", signatureSecret: "the-new-secret" },
    });
    const forged = (id: string, at: Date) =>
      ingestDelivery(prisma, {
        providerSegment: "vonage",
        token: vonageToken,
        method: "GET",
        headers: new Headers(),
        url: new URL(`http://moshi.test/api/webhooks/vonage/${vonageToken}?${new URLSearchParams({ msisdn: "14843472194", to: "12192259404", messageId: id, text: "Hi", type: "text", sig: "0".repeat(64) })}`),
        body: "",
        receivedAt: at,
      });
    const later = new Date(now.getTime() + 3 * HOUR);
    for (let i = 0; i < 4; i++) expect((await forged(`m-${i}`, new Date(later.getTime() - (i + 1) * MINUTE))).status).toBe(401);
    expect((await evaluateAlerts(pool, later, { teamId: team.id })).fired).toBe(0);
    await forged("m-5", new Date(later.getTime() - 30_000));
    expect((await evaluateAlerts(pool, later, { teamId: team.id })).fired).toBe(1);
    const open = await listOpenIncidents(prisma, team.id);
    expect(open.map((i) => [i.rule, i.subjectId])).toEqual([["signature_failures", vonage.id]]);
    expect(open[0]!.observed).toMatchObject({ signatureFailures: 5, threshold: 5 });
  });

  it("an endpoint failing for the rule's minutes, or turned off by Moshi, fires once and resolves when it works again", async () => {
    const { team, user } = await setup();
    await saveAlertRules(prisma, team.id, { ...DEFAULT_RULES, silentEnabled: false });
    const { endpoint } = await createEndpoint(prisma, team.id, { url: "https://hooks.example.test/moshi", description: "", eventTypes: [], phoneNumberIds: [] }, user.id);
    const now = new Date("2031-06-01T12:00:00.000Z");
    await prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { failingSince: new Date(now.getTime() - 10 * MINUTE) } });
    expect((await evaluateAlerts(pool, now, { teamId: team.id })).fired).toBe(0);
    expect((await evaluateAlerts(pool, new Date(now.getTime() + 5 * MINUTE), { teamId: team.id })).fired).toBe(1);
    // Then Moshi turns it off: the same alert, still open, not a second one.
    await prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { enabled: false, disabledReason: "It answered 410 Gone, which asks senders to stop.", disabledAt: now } });
    expect((await evaluateAlerts(pool, new Date(now.getTime() + 6 * MINUTE), { teamId: team.id })).fired).toBe(0);
    const open = await listOpenIncidents(prisma, team.id);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ rule: "endpoint_failing", subjectType: "endpoint", subjectId: endpoint.id, observed: { state: "failing" } });
    // The alert.fired event went to the endpoint's team, not to the endpoint turned off.
    expect((await alertEvents(team.id)).map((e) => e.type)).toEqual(["alert.fired"]);
    await prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { enabled: true, disabledReason: null, failingSince: null } });
    expect((await evaluateAlerts(pool, new Date(now.getTime() + 7 * MINUTE), { teamId: team.id })).resolved).toBe(1);
  });

  it("keeps a mail the SMTP server could not take and delivers it, once, when the server is back", async () => {
    const { team, token, message, user } = await setup();
    const down = await startSmtpServer();
    const port = down.port;
    await down.close();
    const last = new Date("2031-07-01T09:00:00.000Z");
    await hourly(token, message, last, 8);
    const now = new Date(last.getTime() + 4 * HOUR);
    const first = await run(team.id, now, `smtp://127.0.0.1:${port}`);
    expect(first).toMatchObject({ fired: 1, notifications: { retrying: 1, sent: 0 } });
    const waiting = await prisma.alertNotification.findFirstOrThrow({ where: { teamId: team.id, channel: "EMAIL" } });
    expect(waiting).toMatchObject({ status: "PENDING", attemptCount: 1, lastError: expect.stringMatching(/SMTP server/) });
    expect(waiting.nextAttemptAt!.getTime()).toBe(now.getTime() + MINUTE);

    const up = await smtp(port);
    // Not due yet: nothing is sent before its retry time.
    expect((await run(team.id, new Date(now.getTime() + 30_000), up.url)).notifications.sent).toBe(0);
    expect((await run(team.id, new Date(now.getTime() + 2 * MINUTE), up.url)).notifications.sent).toBe(1);
    expect((await run(team.id, new Date(now.getTime() + 10 * MINUTE), up.url)).notifications.sent).toBe(0);
    expect(up.received).toHaveLength(1);
    expect(up.received[0]!.to).toEqual([user.email]);
    expect(await prisma.alertNotification.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: "SENT", attemptCount: 2 });
  });

  it("without SMTP_URL keeps the mail in the team's mailbox, to its listed recipients, and another team cannot see it", async () => {
    const { team, token, message } = await setup();
    const other = await setup();
    await saveAlertChannels(prisma, team.id, { emailEnabled: true, emailRecipients: ["ops@example.test", "oncall@example.test"], eventsEnabled: false, slackUrl: undefined });
    const last = new Date("2031-08-01T09:00:00.000Z");
    await hourly(token, message, last, 8);
    await hourly(other.token, other.message, last, 8);
    const result = await run(team.id, new Date(last.getTime() + 5 * HOUR), null);
    expect(result.notifications).toMatchObject({ kept: 1, sent: 0 });
    // Only the team evaluated: the other team's silent number is its own business.
    expect(await listOpenIncidents(prisma, other.team.id)).toHaveLength(0);
    expect(await alertEvents(team.id)).toHaveLength(0);

    const page = await listAlertMail(prisma, { teamId: team.id, cursor: null, take: 10 });
    expect(page.items).toHaveLength(1);
    const kept = page.items[0]!;
    expect(kept).toMatchObject({ status: "KEPT", kind: "fired", recipients: ["ops@example.test", "oncall@example.test"], subject: expect.stringMatching(/Tokyo support/) });
    expect(kept.body).toMatch(/^<!doctype html>/);
    expect(kept.text).toMatch(/has received nothing for 5 hours/);
    expect((await findAlertMail(prisma, team.id, kept.id)).id).toBe(kept.id);
    await expect(findAlertMail(prisma, other.team.id, kept.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await listAlertMail(prisma, { teamId: other.team.id, cursor: null, take: 10 })).items).toHaveLength(0);
    expect((await listIncidentHistory(prisma, { teamId: other.team.id, cursor: null, take: 10 })).items).toHaveLength(0);
  });

  it("sends a test alert through every configured channel at once", async () => {
    const { team, user } = await setup();
    const mail = await smtp();
    const hook = await slack();
    await createEndpoint(prisma, team.id, { url: hook.url.replace("/events", "/endpoint"), description: "", eventTypes: ["alert.fired"], phoneNumberIds: [] }, user.id);
    await saveAlertChannels(prisma, team.id, { emailEnabled: true, emailRecipients: [], eventsEnabled: true, slackUrl: hook.url });
    const saved = process.env.SMTP_URL;
    process.env.SMTP_URL = mail.url;
    try {
      const result = await sendTestAlert(prisma, team);
      expect(result.channels).toEqual(["email", "Slack", "alert events"]);
      expect(result.delivery).toMatchObject({ sent: 2 });
    } finally {
      if (saved === undefined) delete process.env.SMTP_URL;
      else process.env.SMTP_URL = saved;
    }
    expect(mail.subjects()[0]).toMatch(/Test alert/);
    expect(JSON.parse(hook.received[0]!.body).text).toMatch(/^Test alert/);
    const [event] = await alertEvents(team.id);
    expect(eventSchema.parse(JSON.parse(event!.payload))).toMatchObject({ type: "alert.fired", test: true });

    // With every channel off there is nothing to test, and it says so.
    await saveAlertChannels(prisma, team.id, { emailEnabled: false, emailRecipients: [], eventsEnabled: false, slackUrl: null });
    await expect(sendTestAlert(prisma, team)).rejects.toMatchObject({ code: "INVALID" });
  });

  it("gives up a Slack message whose webhook was removed, and delivers the rest", async () => {
    const { team, token, message } = await setup();
    const hook = await slack();
    await saveAlertChannels(prisma, team.id, { emailEnabled: false, emailRecipients: [], eventsEnabled: false, slackUrl: hook.url });
    const last = new Date("2031-09-01T09:00:00.000Z");
    await hourly(token, message, last, 8);
    const now = new Date(last.getTime() + 5 * HOUR);
    await evaluateAlerts(pool, now, { teamId: team.id });
    await saveAlertChannels(prisma, team.id, { emailEnabled: false, emailRecipients: [], eventsEnabled: false, slackUrl: null });
    expect(await deliverAlertNotifications(pool, { now, teamId: team.id, forwarding })).toMatchObject({ failed: 1 });
    expect(hook.received).toHaveLength(0);
  });
});
