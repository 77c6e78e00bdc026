/**
 * A team's alerts as the dashboard reads and changes them: its rules and channels, the incidents
 * that fired, the mails kept or sent, and test alerts. Every query filters on the team: another
 * team's incident or mail is "not found".
 */
import "server-only";
import { evaluateAlerts, alertRecipients, numberTraffic, writeNotifications, type NumberTraffic } from "@/lib/alerts/evaluate";
import { testAlert } from "@/lib/alerts/messages";
import { deliverAlertNotifications, type DeliveryResult } from "@/lib/alerts/notify";
import { type AlertRuleSettings, DEFAULT_RULES, silentThreshold, type SilentThreshold } from "@/lib/alerts/rules";
import { encryptSecret } from "@/lib/crypto";
import { sqlPool } from "@/lib/db";
import { AppError, notFoundError } from "@/lib/errors";
import { buildEvent } from "@/lib/events/resources";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { transaction } from "@/lib/sms/store";
import { decodePosition, encodePosition, olderThan } from "./keyset";

export type AlertChannels = { emailEnabled: boolean; emailRecipients: string[]; slackUrlHint: string | null; eventsEnabled: boolean };
export type AlertSettingsView = AlertRuleSettings & AlertChannels & { saved: boolean };

export const DEFAULT_CHANNELS: AlertChannels = { emailEnabled: true, emailRecipients: [], slackUrlHint: null, eventsEnabled: true };

export async function getAlertSettings(prisma: PrismaClient, teamId: string): Promise<AlertSettingsView> {
  const row = await prisma.alertSettings.findUnique({ where: { teamId } });
  if (!row) return { ...DEFAULT_RULES, ...DEFAULT_CHANNELS, saved: false };
  const { teamId: _team, slackUrlSealed: _sealed, updatedAt: _updated, ...settings } = row;
  return { ...settings, saved: true };
}

export async function saveAlertRules(prisma: PrismaClient, teamId: string, rules: AlertRuleSettings): Promise<void> {
  await prisma.alertSettings.upsert({ where: { teamId }, create: { teamId, ...rules }, update: rules });
}

/** `slackUrl`: a new URL, null to remove it, undefined to keep the one set. */
export async function saveAlertChannels(
  prisma: PrismaClient,
  teamId: string,
  channels: { emailEnabled: boolean; emailRecipients: string[]; eventsEnabled: boolean; slackUrl: string | null | undefined },
): Promise<void> {
  const { slackUrl, ...rest } = channels;
  const slack = slackUrl === undefined ? {} : slackUrl === null ? { slackUrlSealed: null, slackUrlHint: null } : { slackUrlSealed: encryptSecret(slackUrl), slackUrlHint: slackUrl.slice(-6) };
  await prisma.alertSettings.upsert({ where: { teamId }, create: { teamId, ...rest, ...slack }, update: { ...rest, ...slack } });
}

/** Who gets the team's alert mail now: the list, or the owners and admins. */
export function currentRecipients(prisma: PrismaClient, teamId: string, listed: string[]): Promise<string[]> {
  return alertRecipients(sqlPool(prisma), teamId, listed);
}

export type NumberSilence = NumberTraffic & { threshold: SilentThreshold };

/** Each number's traffic and the silence threshold the rule uses for it, for the page to explain. */
export async function numberSilences(prisma: PrismaClient, teamId: string, settings: Pick<AlertRuleSettings, "silentHours">, now = new Date()): Promise<NumberSilence[]> {
  const numbers = await numberTraffic(sqlPool(prisma), teamId, now);
  return numbers.map((number) => ({ ...number, threshold: silentThreshold(settings, number) }));
}

const incidentSelect = { id: true, rule: true, subjectType: true, subjectId: true, subjectLabel: true, summary: true, observed: true, firedAt: true, resolvedAt: true, resolution: true } as const;

/** The incidents still open, newest first: one per rule and subject at most, so a short list. */
export function listOpenIncidents(prisma: PrismaClient, teamId: string) {
  return prisma.alertIncident.findMany({ where: { teamId, resolvedAt: null }, orderBy: [{ firedAt: "desc" }, { id: "desc" }], select: incidentSelect });
}

/** Resolved incidents, newest first, a page at a time. */
export async function listIncidentHistory(prisma: PrismaClient, { teamId, cursor, take }: { teamId: string; cursor: string | null; take: number }) {
  const position = cursor ? decodePosition(cursor) : null;
  const rows = await prisma.alertIncident.findMany({
    where: { teamId, resolvedAt: { not: null }, ...(position ? olderThan("firedAt", position) : {}) },
    orderBy: [{ firedAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: incidentSelect,
  });
  const items = rows.slice(0, take);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > take && last ? encodePosition({ at: last.firedAt, id: last.id }) : null };
}

const mailSelect = { id: true, kind: true, recipients: true, subject: true, text: true, body: true, status: true, attemptCount: true, lastError: true, sentAt: true, createdAt: true } as const;

/** The team's alert mails, newest first, a page at a time: sent, kept (no SMTP_URL) or waiting. */
export async function listAlertMail(prisma: PrismaClient, { teamId, cursor, take }: { teamId: string; cursor: string | null; take: number }) {
  const position = cursor ? decodePosition(cursor) : null;
  const rows = await prisma.alertNotification.findMany({
    where: { teamId, channel: "EMAIL", ...(position ? olderThan("createdAt", position) : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: mailSelect,
  });
  const items = rows.slice(0, take);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > take && last ? encodePosition({ at: last.createdAt, id: last.id }) : null };
}

export async function findAlertMail(prisma: PrismaClient, teamId: string, id: string) {
  const mail = await prisma.alertNotification.findFirst({ where: { id, teamId, channel: "EMAIL" }, select: mailSelect });
  if (!mail) throw notFoundError("Mail not found");
  return mail;
}

/** How the latest Slack message went, for the channels form to show. */
export function lastSlackNotification(prisma: PrismaClient, teamId: string) {
  return prisma.alertNotification.findFirst({
    where: { teamId, channel: "SLACK" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { status: true, lastError: true, createdAt: true, sentAt: true },
  });
}

export type TestAlertResult = { channels: string[]; delivery: DeliveryResult; eventId: string | null };

/**
 * Sends a test alert through the team's channels now: a mail and a Slack message through the
 * outbox (sent at once, retried like any other), and a test `alert.fired` event to its endpoints.
 */
export async function sendTestAlert(prisma: PrismaClient, team: { id: string; name: string; slug: string }, now = new Date()): Promise<TestAlertResult> {
  const settings = await prisma.alertSettings.findUnique({ where: { teamId: team.id } });
  const channels = {
    emailEnabled: settings?.emailEnabled ?? DEFAULT_CHANNELS.emailEnabled,
    emailRecipients: settings?.emailRecipients ?? [],
    slack: Boolean(settings?.slackUrlSealed),
  };
  const eventsEnabled = settings?.eventsEnabled ?? DEFAULT_CHANNELS.eventsEnabled;
  const number = await prisma.phoneNumber.findFirst({ where: { teamId: team.id }, orderBy: { createdAt: "asc" }, select: { id: true, label: true } });
  const alert = testAlert(now, number ? { id: number.id, label: number.label } : { id: "num_test", label: "Example number" });
  const pool = sqlPool(prisma);
  const { written, eventId } = await transaction(pool, async (client) => {
    const written = await writeNotifications(client, { team, settings: channels, kind: "test", alert, incidentId: null, now });
    let eventId: string | null = null;
    if (eventsEnabled) {
      const event = buildEvent("alert.fired", alert, { at: now, phoneNumberId: null, test: true });
      await client.query(`INSERT INTO "Event" ("id", "teamId", "type", "phoneNumberId", "payload", "createdAt") VALUES ($1, $2, $3, NULL, $4, $5::timestamp)`, [
        event.id,
        team.id,
        event.type,
        event.payload,
        now.toISOString(),
      ]);
      eventId = event.id;
    }
    return { written, eventId };
  });
  if (written.length === 0 && !eventId) throw new AppError("INVALID", "No channel is on: turn on email (with someone to send to), add a Slack webhook, or send alert events to your endpoints.");
  const delivery = await deliverAlertNotifications(pool, { now, ids: written.map((w) => w.id) });
  const names = [...written.map((w) => (w.channel === "EMAIL" ? "email" : "Slack")), ...(eventId ? ["alert events"] : [])];
  return { channels: names, delivery, eventId };
}

/** Evaluates one team's rules now (after its settings change), so the page shows the result. */
export function evaluateTeamAlerts(prisma: PrismaClient, teamId: string, now = new Date()) {
  return evaluateAlerts(sqlPool(prisma), now, { teamId });
}
