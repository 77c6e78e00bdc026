/**
 * Sends what the notification outbox holds: alert mails over SMTP (nodemailer, `SMTP_URL`) and
 * Slack-compatible webhook posts (forwarding's safe client: no redirects, address checks in
 * production, one deadline, a capped response). Run by the alerts job after each evaluation,
 * and right away for a test alert.
 *
 * Each notification is claimed by one statement that holds it for LEASE_MS (taken with SKIP
 * LOCKED, so workers running at once share the work and never take the same one), then
 * recorded: sent, or due again after a backoff (1, 2, 4 … minutes, at most an hour apart), or
 * failed after a day of tries. A worker that dies mid-send leaves it held; once the hold is over
 * it is tried again. Without `SMTP_URL` a mail is not sent but kept: the alerts page shows it.
 */
import nodemailer from "nodemailer";
import type pg from "pg";
import { openSecret } from "@/lib/crypto";
import { forwardingConfig, type ForwardingConfig } from "@/lib/forwarding/config";
import { postJson } from "@/lib/forwarding/http";

type Sql = Pick<pg.Pool, "query">;

export type MailConfig = { smtpUrl: string | null; from: string; timeoutMs: number };

export const DEFAULT_MAIL_FROM = "Moshi <alerts@moshi.localhost>";

export function mailConfig(env: Record<string, string | undefined> = process.env): MailConfig {
  return { smtpUrl: env.SMTP_URL?.trim() || null, from: env.MAIL_FROM?.trim() || DEFAULT_MAIL_FROM, timeoutMs: 15_000 };
}

const LEASE_MS = 5 * 60_000;
const RETRY_BASE_MS = 60_000;
const RETRY_CAP_MS = 60 * 60_000;
const GIVE_UP_MS = 24 * 60 * 60_000;
const BATCH = 50;

export function notificationRetryDelayMs(attempt: number): number {
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1));
}

type Claimed = {
  id: string;
  channel: "EMAIL" | "SLACK";
  recipients: string[];
  subject: string;
  text: string;
  body: string;
  attemptCount: number;
  createdAtMs: number;
  slackUrlSealed: string | null;
};

const CLAIM = `
  WITH due AS (
    SELECT "id" FROM "AlertNotification"
    WHERE "status" = 'PENDING' AND "nextAttemptAt" <= $1::timestamp AND ($3::text[] IS NULL OR "id" = ANY ($3::text[])) AND ($4::text IS NULL OR "teamId" = $4)
    ORDER BY "nextAttemptAt", "id" LIMIT ${BATCH}
    FOR UPDATE SKIP LOCKED
  )
  UPDATE "AlertNotification" n SET "nextAttemptAt" = $1::timestamp + $2::int * interval '1 millisecond'
  FROM due WHERE n."id" = due."id"
  RETURNING n."id", n."channel", n."recipients", n."subject", n."text", n."body", n."attemptCount",
    (extract(epoch FROM n."createdAt") * 1000)::float8 AS "createdAtMs",
    (SELECT s."slackUrlSealed" FROM "AlertSettings" s WHERE s."teamId" = n."teamId") AS "slackUrlSealed"`;

export type DeliveryOptions = { now?: Date; mail?: MailConfig; forwarding?: ForwardingConfig; ids?: string[]; teamId?: string };
export type DeliveryResult = { sent: number; kept: number; retrying: number; failed: number };

/** Sends every due notification (or the ones in `ids`, or of one team), batch by batch; answers what became of them. */
export async function deliverAlertNotifications(pool: Sql, { now = new Date(), mail = mailConfig(), forwarding = forwardingConfig(), ids, teamId }: DeliveryOptions = {}): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, kept: 0, retrying: 0, failed: 0 };
  const transport = mail.smtpUrl
    ? nodemailer.createTransport(mail.smtpUrl, { connectionTimeout: mail.timeoutMs, greetingTimeout: mail.timeoutMs, socketTimeout: mail.timeoutMs })
    : null;
  try {
    for (;;) {
      const { rows } = await pool.query<Claimed>(CLAIM, [now.toISOString(), LEASE_MS, ids ?? null, teamId ?? null]);
      for (const notification of rows) {
        const outcome = await send(notification, transport, mail, forwarding);
        await record(pool, notification, outcome, now);
        result[outcome.status === "SENT" ? "sent" : outcome.status === "KEPT" ? "kept" : outcome.status === "FAILED" ? "failed" : "retrying"]++;
      }
      if (rows.length < BATCH) return result;
    }
  } finally {
    transport?.close();
  }
}

type Outcome = { status: "SENT" | "KEPT" | "FAILED" | "RETRY"; error: string | null };

async function send(notification: Claimed, transport: nodemailer.Transporter | null, mail: MailConfig, forwarding: ForwardingConfig): Promise<Outcome> {
  if (notification.channel === "EMAIL") {
    if (!transport) return { status: "KEPT", error: null };
    try {
      await transport.sendMail({
        from: mail.from,
        to: notification.recipients,
        subject: notification.subject,
        text: notification.text,
        html: notification.body,
        // The same id on every try: a server that got it before can tell it is a copy.
        messageId: `<${notification.id}@moshi.alerts>`,
      });
      return { status: "SENT", error: null };
    } catch (error) {
      return { status: "RETRY", error: `The SMTP server did not take it: ${(error as Error).message}`.slice(0, 500) };
    }
  }
  if (!notification.slackUrlSealed) return { status: "FAILED", error: "The Slack webhook was removed before this could be sent." };
  const opened = openSecret(notification.slackUrlSealed, { noun: "Slack webhook URL" });
  if (!opened.ok) return { status: "RETRY", error: `The Slack webhook URL cannot be read: ${opened.reason}` };
  let url: URL;
  try {
    url = new URL(opened.value);
  } catch {
    return { status: "FAILED", error: "The Slack webhook URL is not a valid URL." };
  }
  const answer = await postJson(url, { "content-type": "application/json", "user-agent": "Moshi-Alerts/1" }, notification.body, {
    timeoutMs: forwarding.timeoutMs,
    allowNonPublic: forwarding.allowNonPublic,
  });
  if (answer.statusCode !== null && answer.statusCode >= 200 && answer.statusCode < 300) return { status: "SENT", error: null };
  return { status: "RETRY", error: answer.error ?? `It answered ${answer.statusCode}${answer.body ? `: ${answer.body.slice(0, 200)}` : ""}.` };
}

async function record(sql: Sql, notification: Claimed, outcome: Outcome, now: Date): Promise<void> {
  const attempts = notification.attemptCount + (outcome.status === "KEPT" ? 0 : 1);
  let status = outcome.status;
  let next: Date | null = null;
  let error = outcome.error;
  if (status === "RETRY") {
    if (now.getTime() - notification.createdAtMs >= GIVE_UP_MS) {
      status = "FAILED";
      error = `Tried for a day without success. Last: ${error}`;
    } else {
      next = new Date(now.getTime() + notificationRetryDelayMs(attempts));
    }
  }
  await sql.query(
    `UPDATE "AlertNotification" SET "status" = $2::"NotificationStatus", "attemptCount" = $3, "nextAttemptAt" = $4::timestamp, "lastError" = $5,
       "sentAt" = CASE WHEN $2 IN ('SENT', 'KEPT') THEN $6::timestamp ELSE "sentAt" END
     WHERE "id" = $1`,
    [notification.id, status === "RETRY" ? "PENDING" : status, attempts, next?.toISOString() ?? null, error, now.toISOString()],
  );
}
