"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { db } from "@/lib/db";
import { createApiKey, revokeApiKey } from "@/lib/data/api-keys";
import { ApiKeyScope } from "@/lib/generated/prisma/enums";

const createSchema = z.object({
  name: z.string().trim().min(1, "Give the key a name, e.g. “CRM sync”.").max(60, "Use at most 60 characters."),
  scope: z.enum(ApiKeyScope, "Choose what the key may do."),
});

export type CreatedApiKey = { name: string; secret: string };

// POST (action) create an API key - owner/admin; answers the key once
export const createApiKeyAction = teamAction(createSchema, async ({ name, scope }, { team, user }): Promise<ActionState<CreatedApiKey>> => {
  const { key, secret } = await createApiKey(db(), { teamId: team.id, name, scope, createdById: user.id });
  revalidatePath(`/${team.slug}/api-keys`);
  return { status: "success", data: { name: key.name, secret } };
});

// POST (action) revoke an API key - owner/admin; requests with it are refused from now on
export const revokeApiKeyAction = teamAction(z.object({ keyId: z.string().min(1) }), async ({ keyId }, { team }) => {
  await revokeApiKey(db(), { teamId: team.id, keyId });
  revalidatePath(`/${team.slug}/api-keys`);
  return { status: "success", message: "Key revoked." };
});
