"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { deliveryTarget, numberTarget, recordAudit } from "@/lib/audit";
import { assertCredentialsOpen } from "@/lib/data/numbers";
import { db } from "@/lib/db";
import { type AcceptSummary, acceptRefusedDeliveries, acceptWithoutSignature, replayDelivery } from "@/lib/sms/replay";

export type ReplayResult = { status: number; body: Record<string, unknown>; deliveryId: string | null };

// POST (action) replay a stored delivery through the current pipeline - owner/admin
export const replayDeliveryAction = teamAction(z.object({ deliveryId: z.string().min(1) }), async ({ deliveryId }, { team }): Promise<ActionState<ReplayResult>> => {
  // Refused up front with the reason, so the team reads what to fix rather than a bare 503.
  await assertCredentialsOpen(db(), { teamId: team.id, deliveryId });
  const result = await replayDelivery(db(), { teamId: team.id, deliveryId });
  revalidatePath(`/${team.slug}`, "layout");
  return { status: "success", data: { status: result.status, body: result.body, deliveryId: result.deliveryId ?? null } };
});

// POST (action) accept one delivery refused for its signature, without one - owner/admin
export const acceptUnsignedAction = teamAction(z.object({ deliveryId: z.string().min(1) }), async ({ deliveryId }, { team, user }): Promise<ActionState<ReplayResult>> => {
  const result = await acceptWithoutSignature(db(), { teamId: team.id, deliveryId, userId: user.id });
  const { target, delivery } = await deliveryTarget(db(), team.id, deliveryId);
  await recordAudit(db(), { team, user }, {
    action: "delivery.accepted_unsigned",
    target,
    summary: `accepted a delivery to ${target.label.replace(/^Delivery to /, "")} without a valid signature`,
    details: { receivedAt: delivery.receivedAt.toISOString(), status: result.status, replayId: result.deliveryId ?? null },
  });
  revalidatePath(`/${team.slug}`, "layout");
  return { status: "success", data: { status: result.status, body: result.body, deliveryId: result.deliveryId ?? null } };
});

const bulkAcceptSchema = z
  .object({
    numberId: z.string().min(1, "Choose a number."),
    since: z.iso.datetime({ offset: true, error: "Enter when the period starts." }).transform((value) => new Date(value)),
    until: z.iso.datetime({ offset: true, error: "Enter when the period ends." }).transform((value) => new Date(value)),
  })
  .refine((value) => value.since < value.until, { path: ["until"], message: "The end must come after the start." });

// POST (action) accept every delivery of a number refused for its signature in a period - owner/admin
export const acceptRefusedAction = teamAction(bulkAcceptSchema, async ({ numberId, since, until }, { team, user }): Promise<ActionState<AcceptSummary>> => {
  const summary = await acceptRefusedDeliveries(db(), { teamId: team.id, phoneNumberId: numberId, since, until, userId: user.id });
  const { target } = await numberTarget(db(), team.id, numberId);
  await recordAudit(db(), { team, user }, {
    action: "delivery.refused_accepted_unsigned",
    target,
    summary: `accepted without a valid signature ${summary.accepted === 1 ? "1 delivery" : `${summary.accepted.toLocaleString("en")} deliveries`} to ${target.label} refused for their signature`,
    details: { since: since.toISOString(), until: until.toISOString(), ...summary },
  });
  revalidatePath(`/${team.slug}`, "layout");
  return { status: "success", data: summary };
});
