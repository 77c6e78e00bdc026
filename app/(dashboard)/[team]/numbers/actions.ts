"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { changedFields, credentialsChange, numberLabel, numberTarget, recordAudit } from "@/lib/audit";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import {
  createNumber,
  deleteNumber,
  findNumber,
  findNumberForIngest,
  openCredentialsOrThrow,
  revealNumberToken,
  rotateNumberToken,
  updateNumber,
  webhookPath,
} from "@/lib/data/numbers";
import { AppError } from "@/lib/errors";
import { Provider } from "@/lib/generated/prisma/enums";
import { requestOrigin } from "@/lib/origin";
import { normalizePhoneNumber } from "@/lib/phone";
import { PROVIDER_INFO } from "@/lib/providers";
import { type Credentials, readCredentialsInput } from "@/lib/sms/credentials";
import { deleteTestMessages } from "@/lib/data/test-messages";
import { sendTestMessage, type TestMessageResult } from "@/lib/sms/test-message";

const label = z.string().trim().min(1, "Give the number a label, e.g. “Support line”.").max(60, "Use at most 60 characters.");

/** The number's own fields; its credentials (`credentials.<field>` inputs) are read with its provider's schema. */
const createSchema = z.looseObject({
  provider: z.enum(Provider, "Choose a provider."),
  number: z
    .string()
    .max(32, "That is too long for a phone number.")
    .transform((value, context) => {
      const phone = normalizePhoneNumber(value);
      if (phone.ok) return phone.e164;
      context.addIssue({ code: "custom", message: phone.error });
      return z.NEVER;
    }),
  label,
});

export type WebhookUrlResult = {
  webhookUrl: string;
  label: string;
  setup?: string;
  numberId: string;
  /** When the URL was issued (ISO): the dialog after adding a number waits for a delivery since then. */
  issuedAt: string;
};

/** What the dialog shows of a URL: where it goes, and what to do with it. */
async function webhookUrlResult(number: { id: string; provider: Provider; label: string; tokenRotatedAt: Date }, token: string): Promise<WebhookUrlResult> {
  return {
    webhookUrl: (await requestOrigin()) + webhookPath(number.provider, token),
    label: number.label,
    setup: PROVIDER_INFO[number.provider].setup,
    numberId: number.id,
    issuedAt: number.tokenRotatedAt.toISOString(),
  };
}

/** The credentials of a submitted form, or the AppError that puts each problem next to its field. */
function credentialsFrom(provider: Provider, input: Record<string, unknown>, current: Credentials | null = null): Credentials | null {
  const read = readCredentialsInput(provider, input, current);
  if (!read.ok) throw new AppError("INVALID", "Please correct the highlighted fields.", read.fieldErrors);
  return read.value;
}

// POST (action) add a number - owner/admin; answers its webhook URL once
export const createNumberAction = teamAction(createSchema, async (input, { team, user }): Promise<ActionState<WebhookUrlResult>> => {
  const credentials = credentialsFrom(input.provider, input);
  const { number, token } = await createNumber(db(), { teamId: team.id, provider: input.provider, e164: input.number, label: input.label, credentials });
  await recordAudit(db(), { team, user }, {
    action: "number.created",
    target: { type: "number", id: number.id, label: numberLabel(number) },
    summary: `added ${numberLabel(number)}`,
    details: { provider: number.provider, e164: number.e164, label: number.label, credentials: credentials ? "set" : "none" },
  });
  revalidatePath(`/${team.slug}/numbers`);
  return { status: "success", data: await webhookUrlResult(number, token) };
});

const numberIdSchema = z.object({ numberId: z.string().min(1) });

// POST (action) rotate a number's webhook token - owner/admin; the old one works 24 h more
export const rotateTokenAction = teamAction(numberIdSchema, async ({ numberId }, { team, user }): Promise<ActionState<WebhookUrlResult>> => {
  const { number, token } = await rotateNumberToken(db(), { teamId: team.id, numberId });
  await recordAudit(db(), { team, user }, {
    action: "number.token_rotated",
    target: { type: "number", id: number.id, label: numberLabel(number) },
    summary: `rotated the webhook URL of ${numberLabel(number)} (the old one works 24 hours more)`,
  });
  revalidatePath(`/${team.slug}/numbers`);
  return { status: "success", data: await webhookUrlResult(number, token) };
});

// POST (action) show a number's current webhook URL again - owner/admin
export const revealWebhookUrlAction = teamAction(numberIdSchema, async ({ numberId }, { team, user }): Promise<ActionState<WebhookUrlResult>> => {
  const { token } = await revealNumberToken(db(), { teamId: team.id, numberId });
  const number = await findNumber(db(), { teamId: team.id, numberId });
  if (!number) throw new AppError("NOT_FOUND", "Number not found");
  // A secret was shown: who saw it is worth knowing.
  await recordAudit(db(), { team, user }, {
    action: "number.url_viewed",
    target: { type: "number", id: number.id, label: numberLabel(number) },
    summary: `viewed the webhook URL of ${numberLabel(number)}`,
  });
  return { status: "success", data: await webhookUrlResult(number, token) };
});

export type FirstDelivery = { id: string; outcome: string; status: number; receivedAt: string; reason: string | null } | null;

/**
 * The first delivery a number received since `since` (its URL was issued), for the dialog that
 * waits for it after the number is added; null while none has come. Members of the team only.
 */
export async function findFirstDeliveryAction(teamSlug: string, numberId: string, since: string): Promise<FirstDelivery> {
  const { team } = await requireTeam(teamSlug);
  const after = new Date(since);
  if (Number.isNaN(after.getTime())) return null;
  const delivery = await db().delivery.findFirst({
    where: { teamId: team.id, phoneNumberId: numberId, receivedAt: { gte: after } },
    orderBy: { receivedAt: "asc" },
    select: { id: true, outcome: true, status: true, receivedAt: true, reason: true },
  });
  return delivery && { ...delivery, receivedAt: delivery.receivedAt.toISOString() };
}

const updateSchema = z.looseObject({
  numberId: z.string().min(1),
  label,
  removeCredentials: z.literal("on").optional(),
});

// POST (action) edit a number's label and credentials - owner/admin
export const updateNumberAction = teamAction(updateSchema, async (input, { team, user }) => {
  const number = await findNumberForIngest(db(), { teamId: team.id, numberId: input.numberId });
  if (!number) throw new AppError("NOT_FOUND", "Number not found");
  const before = await numberTarget(db(), team.id, input.numberId);
  let credentials: Credentials | null | undefined = null;
  if (!input.removeCredentials) {
    // Secrets left empty keep the stored ones; stored ones that cannot be opened must be entered again.
    let current: Credentials | null = null;
    try {
      current = openCredentialsOrThrow(number);
    } catch {
      current = null;
    }
    credentials = credentialsFrom(number.provider, input, current);
    // Every field left empty: readable stored credentials were cleared on purpose (null), while
    // unreadable ones were not touched, so they stay until replaced or removed (undefined).
    if (credentials === null && number.credentialsSealed && current === null) credentials = undefined;
  }
  await updateNumber(db(), { teamId: team.id, numberId: input.numberId, label: input.label, credentials });
  await recordNumberUpdate({ team, user }, before, input.label, credentialsChange(before.number, credentials));
  revalidatePath(`/${team.slug}/numbers`);
  return { status: "success", message: "Saved." };
});

/** One entry per save: the credentials (by field name only) when they changed, else the label. */
async function recordNumberUpdate(
  context: Parameters<typeof recordAudit>[1],
  { target, number }: Awaited<ReturnType<typeof numberTarget>>,
  label: string,
  { change, fields }: ReturnType<typeof credentialsChange>,
) {
  const details = { ...changedFields({ label: number.label }, { label }), credentials: change, fieldsChanged: fields };
  const now = numberLabel({ label, e164: number.e164 });
  if (change === "removed") {
    await recordAudit(db(), context, { action: "number.credentials_removed", target: { ...target, label: now }, summary: `removed the credentials of ${now}`, details });
  } else if (change !== "unchanged") {
    await recordAudit(db(), context, { action: "number.credentials_changed", target: { ...target, label: now }, summary: `changed the credentials of ${now}`, details });
  } else {
    const summary = label === number.label ? `saved ${now} without changes` : `renamed ${target.label} to “${label}”`;
    await recordAudit(db(), context, { action: "number.updated", target: { ...target, label: now }, summary, details });
  }
}

// POST (action) delete a number - owner/admin
export const deleteNumberAction = teamAction(numberIdSchema, async ({ numberId }, { team, user }) => {
  const { target, number } = await numberTarget(db(), team.id, numberId);
  await deleteNumber(db(), { teamId: team.id, numberId });
  await recordAudit(db(), { team, user }, { action: "number.deleted", target, summary: `deleted ${target.label}`, details: { provider: number.provider, e164: number.e164, label: number.label } });
  revalidatePath(`/${team.slug}/numbers`);
  return { status: "success", message: "Number deleted." };
});

export type { TestMessageResult };

// POST (action) send a test message to a number - owner/admin; a realistic, correctly signed
// delivery in the provider's own format, flagged as a test (see lib/sms/test-message.ts)
export const sendTestMessageAction = teamAction(numberIdSchema, async ({ numberId }, { team, user }): Promise<ActionState<TestMessageResult>> => {
  const data = await sendTestMessage(db(), { teamId: team.id, numberId, userId: user.id });
  revalidatePath(`/${team.slug}`, "layout");
  return { status: "success", data };
});

// POST (action) delete every test message of a number - owner/admin; customers' messages stay
export const deleteTestMessagesAction = teamAction(numberIdSchema, async ({ numberId }, { team, user }): Promise<ActionState> => {
  const number = await findNumber(db(), { teamId: team.id, numberId });
  if (!number) throw new AppError("NOT_FOUND", "Number not found");
  const deleted = await deleteTestMessages(db(), { teamId: team.id, phoneNumberId: number.id });
  await recordAudit(db(), { team, user }, {
    action: "number.test_messages_deleted",
    target: { type: "number", id: number.id, label: numberLabel(number) },
    summary: `deleted ${deleted.messages} test ${deleted.messages === 1 ? "message" : "messages"} of ${numberLabel(number)}`,
    details: { messages: deleted.messages },
  });
  revalidatePath(`/${team.slug}`, "layout");
  return { status: "success", message: `${deleted.messages} test ${deleted.messages === 1 ? "message" : "messages"} deleted.` };
});
