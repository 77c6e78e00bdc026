/**
 * The alerts job: for every team, reads what its rules watch (its numbers' traffic and refusals,
 * its endpoints' state), opens an incident for each condition that holds and has none open, and
 * resolves each open incident whose condition cleared. A scheduled job runs it every minute
 * (lib/forwarding/worker.ts's crontab, and the minute cron route on Vercel).
 *
 * Opening an incident and resolving one are each one transaction that also writes what tells
 * the team: the mail and Slack notifications (the outbox that notify.ts sends from) and the
 * `alert.fired` / `alert.resolved` event (the forwarding outbox, whose trigger fans it out to
 * the team's endpoints). It fires once: the insert meets the partial unique index on open
 * incidents per team, rule and subject, and a resolve only changes a row still open; the writes
 * happen only when the row did, so evaluations running at once (several workers, a cron call
 * beside a worker) never notify twice. Everything takes `now`, so tests move the clock.
 */
import type pg from "pg";
import { alertResource, buildEvent, type AlertIncidentRow } from "@/lib/events/resources";
import type { AlertResource } from "@/lib/events/schema";
import { createId } from "@/lib/sms/id";
import { SIGNATURE_REFUSALS } from "@/lib/sms/ingest";
import { transaction } from "@/lib/sms/store";
import { describePhoneNumber } from "@/lib/phone";
import { alertContent, type NotificationKind } from "./messages";
import {
  type AlertRule,
  type AlertRuleSettings,
  DEFAULT_RULES,
  describeDuration,
  describeHours,
  endpointCrossed,
  RATE_WINDOW_MS,
  rejectedCrossed,
  signatureCrossed,
  silentFor,
  silentThreshold,
  TRAFFIC_WINDOW_MS,
} from "./rules";

export const ALERTS_TASK = "moshi_alerts";

type Sql = Pick<pg.Pool, "query">;

/** The team's settings as evaluation needs them; defaults when the team never saved any. */
export type TeamAlertSettings = AlertRuleSettings & { emailEnabled: boolean; emailRecipients: string[]; slack: boolean; eventsEnabled: boolean };

/** A condition that holds now, for one subject. */
export type Finding = {
  rule: AlertRule;
  subjectType: "number" | "endpoint";
  subjectId: string;
  subjectLabel: string;
  summary: string;
  observed: Record<string, number | string | null>;
};

export type NumberTraffic = {
  id: string;
  label: string;
  e164: string;
  lastAtMs: number | null;
  gapCount: number;
  p90GapMs: number | null;
  total: number;
  rejected: number;
  signatureFailures: number;
};

const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/**
 * Per number of a team: its last message, its gaps between messages over the traffic window
 * (their count and 90th percentile), and its deliveries, refusals and signature refusals of the
 * last hour. Test messages (the Numbers page's Test button) are not traffic: a test does not end
 * a silence. Timestamps are stored as UTC without a zone; they come back as epoch milliseconds.
 */
const NUMBER_TRAFFIC = `
  WITH recent AS (
    SELECT "phoneNumberId", "receivedAt" - lag("receivedAt") OVER (PARTITION BY "phoneNumberId" ORDER BY "receivedAt") AS gap
    FROM "Message" WHERE "teamId" = $1 AND "receivedAt" > $2::timestamp AND "receivedAt" <= $3::timestamp AND NOT "isTest"
  ),
  gaps AS (
    SELECT "phoneNumberId", count(*)::int AS "gapCount",
      percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM gap) * 1000)::float8 AS "p90GapMs"
    FROM recent WHERE gap IS NOT NULL GROUP BY 1
  ),
  hour AS (
    SELECT "phoneNumberId", count(*)::int AS total,
      count(*) FILTER (WHERE "outcome" = 'REJECTED')::int AS rejected,
      count(*) FILTER (WHERE "outcome" = 'REJECTED' AND ("reasonCode" = ANY ($5::text[]) OR ("reasonCode" IS NULL AND "status" = 401)))::int AS "signatureFailures"
    FROM "Delivery" WHERE "teamId" = $1 AND "receivedAt" > $4::timestamp AND "receivedAt" <= $3::timestamp AND NOT "isTest"
    GROUP BY 1
  )
  SELECT n."id", n."label", n."e164",
    (SELECT ${ms(`max(m."receivedAt")`)} FROM "Message" m WHERE m."teamId" = $1 AND m."phoneNumberId" = n."id" AND m."receivedAt" <= $3::timestamp AND NOT m."isTest") AS "lastAtMs",
    coalesce(g."gapCount", 0) AS "gapCount", g."p90GapMs",
    coalesce(h.total, 0) AS total, coalesce(h.rejected, 0) AS rejected, coalesce(h."signatureFailures", 0) AS "signatureFailures"
  FROM "PhoneNumber" n
  LEFT JOIN gaps g ON g."phoneNumberId" = n."id"
  LEFT JOIN hour h ON h."phoneNumberId" = n."id"
  WHERE n."teamId" = $1
  ORDER BY n."createdAt", n."id"`;

export async function numberTraffic(sql: Sql, teamId: string, now: Date): Promise<NumberTraffic[]> {
  const at = (offset: number) => new Date(now.getTime() - offset).toISOString();
  const { rows } = await sql.query<NumberTraffic>(NUMBER_TRAFFIC, [teamId, at(TRAFFIC_WINDOW_MS), now.toISOString(), at(RATE_WINDOW_MS), [...SIGNATURE_REFUSALS]]);
  return rows;
}

export function numberLabel(number: { label: string; e164: string }): string {
  return `${number.label} (${describePhoneNumber(number.e164).international})`;
}

/** What the number rules find in a team's traffic. Pure, so the page and tests can ask it too. */
export function numberFindings(settings: AlertRuleSettings, numbers: NumberTraffic[], now: Date): Finding[] {
  const findings: Finding[] = [];
  for (const number of numbers) {
    const subject = { subjectType: "number" as const, subjectId: number.id, subjectLabel: numberLabel(number) };
    if (settings.silentEnabled) {
      const threshold = silentThreshold(settings, number);
      const quiet = silentFor(threshold, number.lastAtMs === null ? null : new Date(number.lastAtMs), now);
      if (quiet !== null) {
        findings.push({
          rule: "silent_number",
          ...subject,
          summary: `${subject.subjectLabel} has received nothing for ${describeDuration(quiet)}, longer than its threshold of ${describeHours(threshold.hours)}.`,
          observed: {
            lastMessageAt: new Date(number.lastAtMs!).toISOString(),
            silentHours: Math.floor(quiet / 3_600_000),
            thresholdHours: threshold.hours,
            thresholdFrom: threshold.source === "team" ? "team setting" : threshold.source === "traffic" ? "usual traffic" : "too little traffic: the upper bound",
          },
        });
      }
    }
    if (settings.rejectedEnabled && rejectedCrossed(settings, number)) {
      const percent = Math.round((number.rejected * 100) / number.total);
      findings.push({
        rule: "rejected_rate",
        ...subject,
        summary: `${percent} % of the deliveries to ${subject.subjectLabel} in the last hour were refused (${number.rejected} of ${number.total}).`,
        observed: { deliveries: number.total, rejected: number.rejected, percent, thresholdPercent: settings.rejectedPercent, minimumDeliveries: settings.rejectedMinimum },
      });
    }
    if (settings.signatureEnabled && signatureCrossed(settings, number.signatureFailures)) {
      findings.push({
        rule: "signature_failures",
        ...subject,
        summary: `${number.signatureFailures} deliveries to ${subject.subjectLabel} were refused for their signature in the last hour.`,
        observed: { signatureFailures: number.signatureFailures, threshold: settings.signatureCount },
      });
    }
  }
  return findings;
}

type EndpointState = { id: string; url: string; enabled: boolean; disabledReason: string | null; failingSinceMs: number | null };

export function endpointFindings(settings: AlertRuleSettings, endpoints: EndpointState[], now: Date): Finding[] {
  if (!settings.endpointEnabled) return [];
  const findings: Finding[] = [];
  for (const endpoint of endpoints) {
    const failingSince = endpoint.failingSinceMs === null ? null : new Date(endpoint.failingSinceMs);
    const crossed = endpointCrossed(settings, { ...endpoint, failingSince }, now);
    if (!crossed) continue;
    findings.push({
      rule: "endpoint_failing",
      subjectType: "endpoint",
      subjectId: endpoint.id,
      subjectLabel: endpoint.url,
      summary:
        crossed === "disabled"
          ? `Moshi turned off the forwarding endpoint ${endpoint.url}: ${endpoint.disabledReason}`
          : `Every attempt to the forwarding endpoint ${endpoint.url} has failed for ${describeDuration(now.getTime() - failingSince!.getTime())}.`,
      observed: { state: crossed, failingSince: failingSince?.toISOString() ?? null, disabledReason: endpoint.disabledReason, thresholdMinutes: settings.endpointMinutes },
    });
  }
  return findings;
}

const SETTINGS = `
  SELECT t."id", t."name", t."slug",
    s."silentEnabled", s."silentHours", s."rejectedEnabled", s."rejectedPercent", s."rejectedMinimum",
    s."signatureEnabled", s."signatureCount", s."endpointEnabled", s."endpointMinutes",
    s."emailEnabled", s."emailRecipients", s."slackUrlSealed" IS NOT NULL AS slack, s."eventsEnabled", s."teamId" IS NOT NULL AS saved
  FROM "Team" t LEFT JOIN "AlertSettings" s ON s."teamId" = t."id"`;

type TeamRow = { id: string; name: string; slug: string; saved: boolean } & Partial<TeamAlertSettings>;

function withDefaults(row: TeamRow): TeamAlertSettings {
  if (!row.saved) return { ...DEFAULT_RULES, emailEnabled: true, emailRecipients: [], slack: false, eventsEnabled: true };
  return row as TeamAlertSettings;
}

/** The public origin of links in alerts, when MOSHI_PUBLIC_URL says it; jobs have no request to read it from. */
export function alertsLink(slug: string, env: Record<string, string | undefined> = process.env): string | null {
  const origin = env.MOSHI_PUBLIC_URL?.trim();
  if (!origin) return null;
  try {
    return new URL(`/${slug}/alerts`, origin).toString();
  } catch {
    return null;
  }
}

export type EvaluationResult = { teams: number; fired: number; resolved: number };

/** Evaluates every team's rules (or one team's); answers how many incidents opened and resolved. */
export async function evaluateAlerts(pool: pg.Pool, now: Date = new Date(), { teamId }: { teamId?: string } = {}): Promise<EvaluationResult> {
  const { rows: teams } = await pool.query<TeamRow>(`${SETTINGS}${teamId ? ` WHERE t."id" = $1` : ""} ORDER BY t."id"`, teamId ? [teamId] : []);
  const result: EvaluationResult = { teams: teams.length, fired: 0, resolved: 0 };
  for (const team of teams) {
    const settings = withDefaults(team);
    const findings = [...numberFindings(settings, await numberTraffic(pool, team.id, now), now), ...endpointFindings(settings, await endpointStates(pool, team.id), now)];
    const { rows: open } = await pool.query<{ id: string; rule: AlertRule; subjectId: string }>(
      `SELECT "id", "rule", "subjectId" FROM "AlertIncident" WHERE "teamId" = $1 AND "resolvedAt" IS NULL`,
      [team.id],
    );
    const key = (rule: string, subjectId: string) => `${rule}\u0000${subjectId}`;
    const openKeys = new Set(open.map((incident) => key(incident.rule, incident.subjectId)));
    const holding = new Set(findings.map((finding) => key(finding.rule, finding.subjectId)));
    for (const finding of findings) {
      if (openKeys.has(key(finding.rule, finding.subjectId))) continue;
      if (await openIncident(pool, team, settings, finding, now)) result.fired++;
    }
    for (const incident of open) {
      if (holding.has(key(incident.rule, incident.subjectId))) continue;
      const resolution = resolutionOf(settings, incident.rule);
      if (await resolveIncident(pool, team, settings, incident.id, resolution, now)) result.resolved++;
    }
  }
  return result;
}

async function endpointStates(sql: Sql, teamId: string): Promise<EndpointState[]> {
  const { rows } = await sql.query<EndpointState>(
    `SELECT "id", "url", "enabled", "disabledReason", ${ms(`"failingSince"`)} AS "failingSinceMs" FROM "WebhookEndpoint" WHERE "teamId" = $1 ORDER BY "createdAt", "id"`,
    [teamId],
  );
  return rows;
}

function resolutionOf(settings: AlertRuleSettings, rule: AlertRule): string {
  const enabled = { silent_number: settings.silentEnabled, rejected_rate: settings.rejectedEnabled, signature_failures: settings.signatureEnabled, endpoint_failing: settings.endpointEnabled }[rule];
  return enabled ? "the condition cleared" : "the rule was turned off";
}

/** An incident as RETURNING gives it: its times as epoch milliseconds (stored without a zone). */
const INCIDENT_COLUMNS = `"id", "rule", "subjectType", "subjectId", "subjectLabel", "summary", "observed", "resolution", ${ms(`"firedAt"`)} AS "firedAtMs"`;
type ReturnedIncident = Omit<AlertIncidentRow, "firedAt" | "resolvedAt"> & { firedAtMs: number };

async function openIncident(pool: pg.Pool, team: TeamRow, settings: TeamAlertSettings, finding: Finding, now: Date): Promise<boolean> {
  return transaction(pool, async (client) => {
    const { rows } = await client.query<ReturnedIncident>(
      `INSERT INTO "AlertIncident" ("id", "teamId", "rule", "subjectType", "subjectId", "subjectLabel", "summary", "observed", "firedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::timestamp)
       ON CONFLICT ("teamId", "rule", "subjectId") WHERE "resolvedAt" IS NULL DO NOTHING
       RETURNING ${INCIDENT_COLUMNS}`,
      [createId(), team.id, finding.rule, finding.subjectType, finding.subjectId, finding.subjectLabel, finding.summary, JSON.stringify(finding.observed), now.toISOString()],
    );
    const incident = rows[0];
    if (!incident) return false;
    await tell(client, team, settings, "fired", { ...incident, firedAt: now, resolvedAt: null }, now);
    return true;
  });
}

async function resolveIncident(pool: pg.Pool, team: TeamRow, settings: TeamAlertSettings, incidentId: string, resolution: string, now: Date): Promise<boolean> {
  return transaction(pool, async (client) => {
    const { rows } = await client.query<ReturnedIncident>(
      `UPDATE "AlertIncident" SET "resolvedAt" = $2::timestamp, "resolution" = $3 WHERE "id" = $1 AND "resolvedAt" IS NULL RETURNING ${INCIDENT_COLUMNS}`,
      [incidentId, now.toISOString(), resolution],
    );
    const incident = rows[0];
    if (!incident) return false;
    await tell(client, team, settings, "resolved", { ...incident, firedAt: new Date(incident.firedAtMs), resolvedAt: now }, now);
    return true;
  });
}

/**
 * Writes what tells the team about an incident that just opened or resolved, in its transaction:
 * a mail to the recipients (the listed ones, or the owners and admins now), a Slack message,
 * and the event for the team's endpoints.
 */
async function tell(client: pg.PoolClient, team: TeamRow, settings: TeamAlertSettings, kind: "fired" | "resolved", incident: Omit<AlertIncidentRow, "firedAt" | "resolvedAt"> & { firedAt: Date; resolvedAt: Date | null }, now: Date): Promise<void> {
  const alert = alertResource(incident);
  await writeNotifications(client, { team, settings, kind, alert, incidentId: incident.id, now });
  if (settings.eventsEnabled) {
    const event = buildEvent(kind === "fired" ? "alert.fired" : "alert.resolved", alert, { at: now, phoneNumberId: incident.subjectType === "number" ? incident.subjectId : null });
    await client.query(`INSERT INTO "Event" ("id", "teamId", "type", "phoneNumberId", "payload", "createdAt") VALUES ($1, $2, $3, $4, $5, $6::timestamp)`, [
      event.id,
      team.id,
      event.type,
      event.phoneNumberId,
      event.payload,
      now.toISOString(),
    ]);
  }
}

/** The addresses a team's alert mail goes to: its list, or its owners and admins. */
export async function alertRecipients(sql: Sql, teamId: string, listed: string[]): Promise<string[]> {
  if (listed.length) return listed;
  const { rows } = await sql.query<{ email: string }>(
    `SELECT u."email" FROM "Membership" m JOIN "User" u ON u."id" = m."userId" WHERE m."teamId" = $1 AND m."role" IN ('OWNER', 'ADMIN') ORDER BY m."createdAt"`,
    [teamId],
  );
  return rows.map((row) => row.email);
}

/**
 * Puts the mail and Slack message about an alert into the notification outbox, for the channels
 * the team has on; answers their ids. Unique per incident, kind and channel: written twice, the
 * second does nothing.
 */
export async function writeNotifications(
  client: Sql,
  input: { team: { id: string; name: string; slug: string }; settings: Pick<TeamAlertSettings, "emailEnabled" | "emailRecipients" | "slack">; kind: NotificationKind; alert: AlertResource; incidentId: string | null; now: Date },
): Promise<{ id: string; channel: "EMAIL" | "SLACK" }[]> {
  const content = alertContent(input.kind, input.alert, input.team, alertsLink(input.team.slug));
  const rows: { channel: "EMAIL" | "SLACK"; recipients: string[]; body: string }[] = [];
  if (input.settings.emailEnabled) {
    const recipients = await alertRecipients(client, input.team.id, input.settings.emailRecipients);
    if (recipients.length) rows.push({ channel: "EMAIL", recipients, body: content.html });
  }
  if (input.settings.slack) rows.push({ channel: "SLACK", recipients: [], body: content.slack });
  const written: { id: string; channel: "EMAIL" | "SLACK" }[] = [];
  for (const row of rows) {
    const { rows: inserted } = await client.query<{ id: string }>(
      `INSERT INTO "AlertNotification" ("id", "teamId", "incidentId", "kind", "channel", "recipients", "subject", "text", "body", "nextAttemptAt", "createdAt")
       VALUES ($1, $2, $3, $4, $5::"AlertChannel", $6::text[], $7, $8, $9, $10::timestamp, $10::timestamp)
       ON CONFLICT ("incidentId", "kind", "channel") DO NOTHING RETURNING "id"`,
      [createId(), input.team.id, input.incidentId, input.kind, row.channel, row.recipients, content.subject, content.text, row.body, input.now.toISOString()],
    );
    if (inserted[0]) written.push({ id: inserted[0].id, channel: row.channel });
  }
  return written;
}
