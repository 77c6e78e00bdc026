"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { db } from "@/lib/db";
import { replayDelivery } from "@/lib/sms/replay";

export type ReplayResult = { status: number; body: Record<string, unknown>; deliveryId: string | null };

// POST (action) replay a stored delivery through the current pipeline - owner/admin
export const replayDeliveryAction = teamAction(z.object({ deliveryId: z.string().min(1) }), async ({ deliveryId }, { team }): Promise<ActionState<ReplayResult>> => {
  const result = await replayDelivery(db(), { teamId: team.id, deliveryId });
  revalidatePath(`/${team.slug}`, "layout");
  return { status: "success", data: { status: result.status, body: result.body, deliveryId: result.deliveryId ?? null } };
});
