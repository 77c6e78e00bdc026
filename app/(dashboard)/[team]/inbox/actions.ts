"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { db } from "@/lib/db";
import { markConversationRead } from "@/lib/data/conversations";

const markReadSchema = z.object({
  conversationId: z.string().min(1).max(64),
  /** The newest message time the reader was shown (ISO). */
  seenUntil: z.iso.datetime(),
});

// POST (action) mark a conversation read - any member; only up to what the reader was shown
export const markReadAction = teamAction(
  markReadSchema,
  async ({ conversationId, seenUntil }, { team }): Promise<ActionState> => {
    const changed = await markConversationRead(db(), { teamId: team.id, conversationId, seenUntil: new Date(seenUntil) });
    // Revalidating also drops the browser's cached inbox, so going Back shows the badge gone.
    if (changed) revalidatePath(`/${team.slug}/inbox`);
    return { status: "success" };
  },
  { manage: false },
);
