"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { changedFields, recordAudit } from "@/lib/audit";
import { db } from "@/lib/db";
import { deleteTeam, type RetentionSettings, updateRetentionSettings } from "@/lib/data/teams";
import { AppError } from "@/lib/errors";
import { describeKeep, retentionSchema } from "./retention-schema";

// POST (action) change how long the team keeps raw bodies and messages - owner/admin
export const updateRetentionAction = teamAction(retentionSchema, async (settings, { team, user }): Promise<ActionState> => {
  const before = await updateRetentionSettings(db(), team.id, settings);
  const changes = changedFields<RetentionSettings>(before, settings);
  if (Object.keys(changes).length === 0) return { status: "success", message: "Nothing changed." };
  const said: string[] = [];
  if (changes.keepBodiesDays) said.push(`raw bodies from ${describeKeep(before.keepBodiesDays)} to ${describeKeep(settings.keepBodiesDays)}`);
  if (changes.keepMessagesDays) said.push(`messages from ${describeKeep(before.keepMessagesDays)} to ${describeKeep(settings.keepMessagesDays)}`);
  await recordAudit(db(), { team, user }, {
    action: "team.retention_changed",
    target: { type: "team", id: team.id, label: team.name },
    summary: `changed how long the team keeps ${said.join(" and ")}`,
    details: changes,
  });
  revalidatePath(`/${team.slug}/settings`);
  return { status: "success", message: "Retention saved. The hourly clean-up applies it from its next run." };
});

// POST (action) delete the team and everything in it - owner only, with its name or slug typed
export const deleteTeamAction = teamAction(
  z.object({ confirm: z.string().max(200).default("") }),
  async ({ confirm }, { team, role }): Promise<ActionState> => {
    if (role !== "OWNER") throw new AppError("FORBIDDEN", "Only the team's owner can delete it.");
    // Exactly as written: the check the button makes in the browser, made again here.
    if (confirm !== team.name && confirm !== team.slug) {
      return { status: "error", error: "The team was not deleted.", fieldErrors: { confirm: `Type ${team.name} or ${team.slug} exactly to confirm.` } };
    }
    await deleteTeam(db(), team.id);
    console.info(`[team] deleted team ${team.id} (${team.slug})`);
    // Every page that lists teams (the switcher in each team's layout) has one fewer now.
    revalidatePath("/", "layout");
    redirect("/");
  },
);
