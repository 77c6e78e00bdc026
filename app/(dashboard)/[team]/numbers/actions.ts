"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { db } from "@/lib/db";
import { createNumber, deleteNumber, rotateNumberToken, updateNumber, webhookPath } from "@/lib/data/numbers";
import { AppError } from "@/lib/errors";
import { Provider, SignatureMethod } from "@/lib/generated/prisma/enums";
import { requestOrigin } from "@/lib/origin";
import { normalizePhoneNumber } from "@/lib/phone";

const label = z.string().trim().min(1, "Give the number a label, e.g. “Support line”.").max(60, "Use at most 60 characters.");
const secret = z.string().trim().max(256, "Use at most 256 characters.");
const method = z.union([z.literal(""), z.enum(SignatureMethod)]);

const createSchema = z
  .object({
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
    signatureMethod: method.default(""),
    signatureSecret: secret.default(""),
  })
  .refine((v) => v.provider !== "VONAGE" || !v.signatureSecret || v.signatureMethod, {
    path: ["signatureMethod"],
    message: "Choose the signature method set in your Vonage account.",
  });

export type WebhookUrlResult = { webhookUrl: string; label: string };

// POST (action) add a number - owner/admin; answers its webhook URL once
export const createNumberAction = teamAction(createSchema, async (input, { team }): Promise<ActionState<WebhookUrlResult>> => {
  const signature = input.signatureSecret && input.signatureMethod ? { method: input.signatureMethod, secret: input.signatureSecret } : null;
  const { number, token } = await createNumber(db(), { teamId: team.id, provider: input.provider, e164: input.number, label: input.label, signature });
  revalidatePath(`/${team.slug}/numbers`);
  return { status: "success", data: { webhookUrl: (await requestOrigin()) + webhookPath(number.provider, token), label: number.label } };
});

const numberIdSchema = z.object({ numberId: z.string().min(1) });

// POST (action) rotate a number's webhook token - owner/admin; the old one works 24 h more
export const rotateTokenAction = teamAction(numberIdSchema, async ({ numberId }, { team }): Promise<ActionState<WebhookUrlResult>> => {
  const { number, token } = await rotateNumberToken(db(), { teamId: team.id, numberId });
  revalidatePath(`/${team.slug}/numbers`);
  return { status: "success", data: { webhookUrl: (await requestOrigin()) + webhookPath(number.provider, token), label: number.label } };
});

const updateSchema = z.object({
  numberId: z.string().min(1),
  label,
  signatureMethod: method.default(""),
  signatureSecret: secret.default(""),
  removeSignature: z.literal("on").optional(),
});

// POST (action) edit a number's label and Vonage signature settings - owner/admin
export const updateNumberAction = teamAction(updateSchema, async (input, { team }) => {
  const signature = input.removeSignature
    ? null
    : input.signatureMethod
      ? { method: input.signatureMethod, secret: input.signatureSecret || null }
      : undefined;
  if (signature && signature.secret === null) {
    const current = await db().phoneNumber.findFirst({ where: { id: input.numberId, teamId: team.id }, select: { signatureSecretEnc: true } });
    if (current && !current.signatureSecretEnc) {
      throw new AppError("INVALID", "Please correct the highlighted fields.", { signatureSecret: "Enter the signature secret from your Vonage account." });
    }
  }
  await updateNumber(db(), { teamId: team.id, numberId: input.numberId, label: input.label, signature });
  revalidatePath(`/${team.slug}/numbers`);
  return { status: "success", message: "Saved." };
});

// POST (action) delete a number - owner/admin
export const deleteNumberAction = teamAction(numberIdSchema, async ({ numberId }, { team }) => {
  await deleteNumber(db(), { teamId: team.id, numberId });
  revalidatePath(`/${team.slug}/numbers`);
  return { status: "success", message: "Number deleted." };
});
