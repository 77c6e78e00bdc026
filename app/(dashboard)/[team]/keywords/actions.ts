"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { teamAction } from "@/lib/actions";
import { keywordTarget, recordAudit } from "@/lib/audit";
import { db } from "@/lib/db";
import { createTeamKeyword, deleteTeamKeyword } from "@/lib/data/keywords";
import { KEYWORD_COLOR_NAMES } from "@/lib/keywords";

const createSchema = z.object({
  word: z
    .string()
    .trim()
    .min(1, "Enter the keyword, e.g. STOP or JOIN.")
    .max(64, "Use at most 64 characters.")
    .regex(/^\S+$/u, "A keyword is a single word, as a message's first meaningful word is."),
  label: z.string().trim().min(1, "Give it a label, e.g. “Opt-out”.").max(40, "Use at most 40 characters."),
  color: z.enum(KEYWORD_COLOR_NAMES, "Choose a colour."),
});

// POST (action) name a keyword with a label and colour - owner/admin
export const createKeywordAction = teamAction(createSchema, async (input, { team, user }) => {
  const created = await createTeamKeyword(db(), { teamId: team.id, ...input });
  const word = input.word.toUpperCase();
  await recordAudit(db(), { team, user }, {
    action: "keyword.named",
    target: { type: "keyword", id: created.id, label: word },
    summary: `labelled the keyword ${word} “${input.label}” (${input.color})`,
    details: { word, label: input.label, color: input.color },
  });
  revalidatePath(`/${team.slug}/keywords`);
  return { status: "success", message: `${input.word.toUpperCase()} is now labelled “${input.label}”.` };
});

// POST (action) forget a named keyword - owner/admin
export const deleteKeywordAction = teamAction(z.object({ keywordId: z.string().min(1) }), async ({ keywordId }, { team, user }) => {
  const { target, keyword } = await keywordTarget(db(), team.id, keywordId);
  await deleteTeamKeyword(db(), { teamId: team.id, keywordId });
  await recordAudit(db(), { team, user }, {
    action: "keyword.deleted",
    target,
    summary: `removed the label “${keyword.label}” from the keyword ${keyword.word}`,
    details: { word: keyword.word, label: keyword.label, color: keyword.color },
  });
  revalidatePath(`/${team.slug}/keywords`);
  return { status: "success" };
});
