"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { deliverAlertNotifications } from "@/lib/alerts/notify";
import { type AlertRuleSettings, LIMITS } from "@/lib/alerts/rules";
import { changedFields, recordAudit } from "@/lib/audit";
import { db, sqlPool } from "@/lib/db";
import { evaluateTeamAlerts, getAlertSettings, saveAlertChannels, saveAlertRules, sendTestAlert } from "@/lib/data/alerts";
import { AppError } from "@/lib/errors";
import { checkEndpointUrl } from "@/lib/forwarding/endpoints";

const checkbox = z
  .string()
  .optional()
  .transform((value) => value === "on");

function whole(what: string, { min, max }: { min: number; max: number }) {
  return z
    .string()
    .trim()
    .min(1, `Enter ${what}.`)
    .regex(/^\d+$/, "Enter a whole number.")
    .transform(Number)
    .pipe(z.number().min(min, `At least ${min.toLocaleString("en")}.`).max(max, `At most ${max.toLocaleString("en")}.`));
}

const rulesSchema = z.object({
  silentEnabled: checkbox,
  silentMode: z.enum(["auto", "fixed"], "Choose how the threshold is set."),
  silentHours: z.string().optional(),
  rejectedEnabled: checkbox,
  rejectedPercent: whole("a percentage", LIMITS.rejectedPercent),
  rejectedMinimum: whole("a number of deliveries", LIMITS.rejectedMinimum),
  signatureEnabled: checkbox,
  signatureCount: whole("a number of refusals", LIMITS.signatureCount),
  endpointEnabled: checkbox,
  endpointMinutes: whole("a number of minutes", LIMITS.endpointMinutes),
});

// POST (action) save the team's alert rules, then evaluate them at once - owner/admin
export const saveAlertRulesAction = teamAction(rulesSchema, async (input, { team, user }): Promise<ActionState> => {
  let silentHours: number | null = null;
  if (input.silentMode === "fixed") {
    const parsed = whole("a number of hours", LIMITS.silentHours).safeParse(input.silentHours ?? "");
    if (!parsed.success) throw new AppError("INVALID", "Please correct the highlighted fields.", { silentHours: parsed.error.issues[0]!.message });
    silentHours = parsed.data;
  }
  const { silentMode: _mode, silentHours: _typed, ...rest } = input;
  const rules: AlertRuleSettings = { ...rest, silentHours };
  const before = await getAlertSettings(db(), team.id);
  await saveAlertRules(db(), team.id, rules);
  const changes = changedFields(pickRules(before), pickRules(rules));
  if (Object.keys(changes).length || !before.saved) {
    await recordAudit(db(), { team, user }, {
      action: "alert.rules_changed",
      target: { type: "team", id: team.id, label: team.name },
      summary: `changed the alert rules${Object.keys(changes).length ? ` (${Object.keys(changes).join(", ")})` : ""}`,
      details: changes,
    });
  }
  // What the rules find now shows at once, rather than at the next minute's run.
  const { fired, resolved } = await evaluateTeamAlerts(db(), team.id);
  if (fired || resolved) await deliverAlertNotifications(sqlPool(db()), { teamId: team.id });
  revalidatePath(`/${team.slug}/alerts`);
  const outcome = [fired ? `${fired} alert${fired === 1 ? "" : "s"} fired` : null, resolved ? `${resolved} resolved` : null].filter(Boolean).join(", ");
  return { status: "success", message: `Alert rules saved.${outcome ? ` ${outcome.charAt(0).toUpperCase()}${outcome.slice(1)}.` : ""}` };
});

function pickRules(settings: AlertRuleSettings) {
  const { silentEnabled, silentHours, rejectedEnabled, rejectedPercent, rejectedMinimum, signatureEnabled, signatureCount, endpointEnabled, endpointMinutes } = settings;
  return { silentEnabled, silentHours, rejectedEnabled, rejectedPercent, rejectedMinimum, signatureEnabled, signatureCount, endpointEnabled, endpointMinutes };
}

const MAX_RECIPIENTS = 20;
const email = z.email();

const channelsSchema = z.object({
  emailEnabled: checkbox,
  emailRecipients: z.string().max(5000, "That is too long: list at most 20 addresses.").default(""),
  slackUrl: z.string().max(2000, "The URL is too long (2,000 characters at most).").default(""),
  removeSlack: checkbox,
  eventsEnabled: checkbox,
});

// POST (action) save the team's alert channels - owner/admin
export const saveAlertChannelsAction = teamAction(channelsSchema, async (input, { team, user }): Promise<ActionState> => {
  const recipients = [...new Set(input.emailRecipients.split(/[\s,;]+/u).map((address) => address.trim().toLowerCase()).filter(Boolean))];
  const wrong = recipients.find((address) => !email.safeParse(address).success);
  if (wrong) throw new AppError("INVALID", "Please correct the highlighted fields.", { emailRecipients: `“${wrong.slice(0, 80)}” is not an email address.` });
  if (recipients.length > MAX_RECIPIENTS) throw new AppError("INVALID", "Please correct the highlighted fields.", { emailRecipients: `List at most ${MAX_RECIPIENTS} addresses.` });
  let slackUrl: string | null | undefined;
  if (input.removeSlack) slackUrl = null;
  else if (input.slackUrl.trim()) {
    const checked = checkEndpointUrl(input.slackUrl);
    if (!checked.ok) throw new AppError("INVALID", "Please correct the highlighted fields.", { slackUrl: checked.error });
    slackUrl = checked.url;
  }
  const before = await getAlertSettings(db(), team.id);
  await saveAlertChannels(db(), team.id, { emailEnabled: input.emailEnabled, emailRecipients: recipients, eventsEnabled: input.eventsEnabled, slackUrl });
  const slackWebhook = slackUrl === undefined ? "unchanged" : slackUrl === null ? (before.slackUrlHint ? "removed" : "unchanged") : before.slackUrlHint ? "changed" : "set";
  const changes = changedFields(
    { emailEnabled: before.emailEnabled, emailRecipients: before.emailRecipients, eventsEnabled: before.eventsEnabled },
    { emailEnabled: input.emailEnabled, emailRecipients: recipients, eventsEnabled: input.eventsEnabled },
  );
  // Saved as it was: nothing to record.
  if (Object.keys(changes).length === 0 && slackWebhook === "unchanged" && before.saved) {
    revalidatePath(`/${team.slug}/alerts`);
    return { status: "success", message: "Alert channels saved: nothing changed." };
  }
  await recordAudit(db(), { team, user }, {
    action: "alert.channels_changed",
    target: { type: "team", id: team.id, label: team.name },
    summary: `changed where alerts are sent${slackWebhook !== "unchanged" ? ` (Slack webhook ${slackWebhook})` : ""}`,
    details: { ...changes, slackWebhook },
  });
  revalidatePath(`/${team.slug}/alerts`);
  return { status: "success", message: "Alert channels saved." };
});

// POST (action) send a test alert through the configured channels - owner/admin
export const sendTestAlertAction = teamAction(z.object({}), async (_input, { team, user }): Promise<ActionState> => {
  const result = await sendTestAlert(db(), team);
  await recordAudit(db(), { team, user }, {
    action: "alert.test_sent",
    target: { type: "team", id: team.id, label: team.name },
    summary: `sent a test alert (${result.channels.join(", ")})`,
    details: { channels: result.channels },
  });
  revalidatePath(`/${team.slug}/alerts`);
  const { sent, kept, retrying, failed } = result.delivery;
  const parts = [sent ? `${sent} sent` : null, kept ? `${kept} kept in the mailbox (no SMTP_URL)` : null, retrying ? `${retrying} not taken yet: retried in a minute` : null, failed ? `${failed} failed` : null];
  const event = result.eventId ? "an alert.fired test event queued for your endpoints" : null;
  return { status: retrying || failed ? "error" : "success", ...(retrying || failed ? { error: `Test alert: ${[...parts, event].filter(Boolean).join(", ")}.` } : { message: `Test alert: ${[...parts, event].filter(Boolean).join(", ")}.` }) } as ActionState;
});
