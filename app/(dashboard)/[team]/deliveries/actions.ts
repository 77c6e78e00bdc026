"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { assertSignatureSecretOpens } from "@/lib/data/numbers";
import { db } from "@/lib/db";
import { replayDelivery } from "@/lib/sms/replay";

export type ReplayResult = { status: number; body: Record<string, unknown>; deliveryId: string | null };

// POST (action) replay a stored delivery through the current pipeline - owner/admin
export const replayDeliveryAction = teamAction(z.object({ deliveryId: z.string().min(1) }), async ({ deliveryId }, { team }): Promise<ActionState<ReplayResult>> => {
  // Refused up front with the reason, so the team reads what to fix rather than a bare 503.
  await assertSignatureSecretOpens(db(), { teamId: team.id, deliveryId });
  const result = await replayDelivery(db(), { teamId: team.id, deliveryId });
  revalidatePath(`/${team.slug}`, "layout");
  return { status: "success", data: { status: result.status, body: result.body, deliveryId: result.deliveryId ?? null } };
});
