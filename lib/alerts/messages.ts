/**
 * What an alert says, per channel: a mail (subject, text and HTML) and a Slack-compatible
 * incoming-webhook body (`text`, with blocks for Slack itself). Pure: the evaluation writes
 * these into the outbox with the incident, so what is sent is what was decided then.
 */
import type { AlertResource } from "@/lib/events/schema";
import { ALERT_RULE_LABELS } from "./rules";

export type NotificationKind = "fired" | "resolved" | "test";

export type AlertContent = { subject: string; text: string; html: string; slack: string };

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
/** Slack's mrkdwn gives &, < and > meanings: escaped as its docs ask. */
const escapeSlack = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The figures of `observed`, as a person reads them. */
const OBSERVED_LABELS: Record<string, string> = {
  lastMessageAt: "Last message",
  silentHours: "Silent for (hours)",
  thresholdHours: "Threshold (hours)",
  thresholdFrom: "Threshold from",
  deliveries: "Deliveries in the last hour",
  rejected: "Refused",
  percent: "Refused (%)",
  thresholdPercent: "Threshold (%)",
  minimumDeliveries: "Counted from (deliveries)",
  signatureFailures: "Signature refusals in the last hour",
  threshold: "Threshold (refusals)",
  state: "State",
  failingSince: "Failing since",
  disabledReason: "Turned off because",
  thresholdMinutes: "Threshold (minutes)",
};

/** An ISO instant as mail and Slack say it: "2026-12-02 11:47 UTC". */
export function utcText(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function figure(key: string, value: string | number | null): string {
  const text = value === null ? "none" : typeof value === "string" && ISO_INSTANT.test(value) ? utcText(value) : String(value);
  return `${OBSERVED_LABELS[key] ?? key}: ${text}`;
}

function headline(kind: NotificationKind, alert: AlertResource): string {
  if (kind === "test") return "Test alert: your alert channels work";
  if (kind === "resolved") return `Resolved: ${alert.subject.label}`;
  return `${ALERT_RULE_LABELS[alert.rule]}: ${alert.subject.label}`;
}

/**
 * The mail and the Slack message about an incident (or a test). `link` is the team's alerts
 * page when the public origin is known (MOSHI_PUBLIC_URL), else null.
 */
export function alertContent(kind: NotificationKind, alert: AlertResource, team: { name: string }, link: string | null): AlertContent {
  const title = headline(kind, alert);
  const subject = `[Moshi · ${team.name}] ${title}`;
  const lines: string[] = [];
  if (kind === "test") {
    lines.push(`This is a test alert for ${team.name}, sent from the alerts page. Real alerts arrive the same way when a rule fires and again when it resolves.`);
  } else if (kind === "resolved") {
    lines.push(`Resolved ${utcText(alert.resolvedAt ?? alert.firedAt)}: ${alert.resolution ?? "the condition cleared"}.`);
    lines.push(`It fired ${utcText(alert.firedAt)}: ${alert.summary}`);
  } else {
    lines.push(alert.summary);
    lines.push(`Fired ${utcText(alert.firedAt)}. You will be told again when it resolves.`);
  }
  // In the order the labels are listed (a JSON column keeps its keys in an order of its own).
  const order = Object.keys(OBSERVED_LABELS);
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  const figures = Object.entries(alert.observed)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([key, value]) => figure(key, value));
  const text = [title, "", ...lines, ...(figures.length ? ["", "What was seen:", ...figures.map((f) => `- ${f}`)] : []), ...(link ? ["", link] : [])].join("\n");

  const html = [
    `<!doctype html><html><body style="font-family: system-ui, sans-serif; color: #18181b; line-height: 1.5">`,
    `<h1 style="font-size: 18px">${escapeHtml(title)}</h1>`,
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    figures.length ? `<p style="margin-bottom: 4px">What was seen:</p><ul>${figures.map((f) => `<li>${escapeHtml(f)}</li>`).join("")}</ul>` : "",
    link ? `<p><a href="${escapeHtml(link)}">Open the alerts page</a></p>` : "",
    `<p style="color: #71717a; font-size: 12px">Sent by Moshi for ${escapeHtml(team.name)}. Owners and admins choose who gets these on the alerts page.</p>`,
    `</body></html>`,
  ].join("");

  const icon = kind === "resolved" ? ":white_check_mark:" : kind === "test" ? ":test_tube:" : ":rotating_light:";
  const slackText = `${icon} *${escapeSlack(title)}*\n${lines.map(escapeSlack).join("\n")}${link ? `\n<${link}|Open the alerts page>` : ""}`;
  const slack = JSON.stringify({
    text: `${title}: ${lines[0]}`,
    blocks: [{ type: "section", text: { type: "mrkdwn", text: slackText } }],
  });
  return { subject, text, html, slack };
}

/** What a test alert reports: no rule fired, so it says so. */
export function testAlert(now: Date, subject: { id: string; label: string }): AlertResource {
  return {
    id: "alert_test",
    rule: "silent_number",
    subject: { type: "number", id: subject.id, label: subject.label },
    summary: "A test alert, sent from the alerts page: nothing is wrong.",
    observed: {},
    firedAt: now.toISOString(),
    resolvedAt: null,
    resolution: null,
  };
}
