"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { type ActionState, validationError } from "@/lib/actions";
import { currentRequestOrigin, recordAudit } from "@/lib/audit";
import { requireUser } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { createTeamWithOwner } from "@/lib/data/teams";

const createTeamSchema = z.object({
  name: z.string().trim().min(1, "Name your team.").max(60, "Use at most 60 characters."),
});

// POST (action) create a team - any signed-in person, who becomes its owner
export async function createTeamAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireUser("/teams/new");
  const parsed = createTeamSchema.safeParse({ name: formData.get("name") ?? "" });
  if (!parsed.success) return validationError(parsed.error);
  // One transaction: a team without its owner's membership would be unreachable.
  const request = await currentRequestOrigin();
  const team = await db().$transaction(async (tx) => {
    const team = await createTeamWithOwner(tx, { name: parsed.data.name, ownerId: user.id });
    await recordAudit(tx, { team, user, request }, { action: "team.created", target: { type: "team", id: team.id, label: team.name }, summary: `created the team ${team.name}`, details: { name: team.name } });
    return team;
  });
  redirect(`/${team.slug}/numbers`);
}
