"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { apiKeyTarget, recordAudit } from "@/lib/audit";
import { db } from "@/lib/db";
import { createApiKey, revokeApiKey } from "@/lib/data/api-keys";
import { ApiKeyScope } from "@/lib/generated/prisma/enums";
import { SCOPE_LABELS } from "./scopes";

const createSchema = z.object({
  name: z.string().trim().min(1, "Give the key a name, e.g. “CRM sync”.").max(60, "Use at most 60 characters."),
  scope: z.enum(ApiKeyScope, "Choose what the key may do."),
});

export type CreatedApiKey = { name: string; secret: string };

// POST (action) create an API key - owner/admin; answers the key once
export const createApiKeyAction = teamAction(createSchema, async ({ name, scope }, { team, user }): Promise<ActionState<CreatedApiKey>> => {
  const { key, secret } = await createApiKey(db(), { teamId: team.id, name, scope, createdById: user.id });
  await recordAudit(db(), { team, user }, {
    action: "api_key.created",
    target: { type: "api_key", id: key.id, label: key.name },
    summary: `created the API key “${key.name}” (${SCOPE_LABELS[key.scope].toLowerCase()})`,
    details: { name: key.name, scope: key.scope },
  });
  revalidatePath(`/${team.slug}/api-keys`);
  return { status: "success", data: { name: key.name, secret } };
});

// POST (action) revoke an API key - owner/admin; requests with it are refused from now on
export const revokeApiKeyAction = teamAction(z.object({ keyId: z.string().min(1) }), async ({ keyId }, { team, user }) => {
  const { target, key } = await apiKeyTarget(db(), team.id, keyId);
  await revokeApiKey(db(), { teamId: team.id, keyId });
  // Revoking a revoked key changes nothing, and says nothing new.
  if (!key.revokedAt) await recordAudit(db(), { team, user }, { action: "api_key.revoked", target, summary: `revoked the API key “${key.name}”`, details: { name: key.name, scope: key.scope } });
  revalidatePath(`/${team.slug}/api-keys`);
  return { status: "success", message: "Key revoked." };
});
