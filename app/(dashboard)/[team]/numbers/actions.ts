"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { db } from "@/lib/db";
import {
  createNumber,
  deleteNumber,
  findNumberForIngest,
  openSignatureSecretOrThrow,
  rotateNumberToken,
  updateNumber,
  webhookPath,
} from "@/lib/data/numbers";
import { AppError } from "@/lib/errors";
import { Provider, SignatureMethod } from "@/lib/generated/prisma/enums";
import { requestOrigin } from "@/lib/origin";
import { normalizePhoneNumber } from "@/lib/phone";
import { PROVIDER_INFO } from "@/lib/providers";
import { processDelivery } from "@/lib/sms/ingest";
import { buildDeliveries } from "@/lib/sms/simulate";

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

export type TestMessageResult = { text: string; responses: { status: number; body: Record<string, unknown> }[] };

/** A test sender in the range reserved for fiction (Ofcom's 07700 900xxx), never a real person. */
const TEST_SENDER = "+447700900123";

// POST (action) send a test message to a number - owner/admin; a realistic, correctly signed
// delivery in the provider's own format, through the same pipeline as a provider's request.
// The webhook token exists only as a hash, so the delivery enters after the token lookup.
export const sendTestMessageAction = teamAction(numberIdSchema, async ({ numberId }, { team }): Promise<ActionState<TestMessageResult>> => {
  const number = await findNumberForIngest(db(), { teamId: team.id, numberId });
  if (!number) throw new AppError("NOT_FOUND", "Number not found");
  // A secret this server cannot open is the team's answer, not a failed request.
  const secret = openSignatureSecretOrThrow(number);
  const now = new Date();
  const text = `TEST from Moshi: your ${PROVIDER_INFO[number.provider].label} setup works ✓ (${now.toISOString().slice(11, 16)} UTC)`;
  const requests = buildDeliveries({
    provider: number.provider,
    from: TEST_SENDER,
    to: number.e164,
    text,
    signature: secret && number.signatureMethod ? { secret, method: number.signatureMethod } : null,
    now,
  });
  const responses = [];
  for (const request of requests) {
    const { status, body } = await processDelivery(db(), number, {
      raw: { method: request.method, contentType: request.contentType, headers: request.contentType ? { "content-type": request.contentType } : {}, query: request.query, body: request.body ?? "" },
      receivedAt: new Date(),
    });
    responses.push({ status, body });
  }
  revalidatePath(`/${team.slug}`, "layout");
  return { status: "success", data: { text, responses } };
});
