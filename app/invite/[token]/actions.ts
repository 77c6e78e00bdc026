"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type ActionState, runAction } from "@/lib/actions";
import { signOut } from "@/lib/auth/auth";
import { requireUser } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { acceptInvitation } from "@/lib/data/invitations";

// Invite tokens are base64url; anything else cannot be one and must not reach a redirect path.
const tokenSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/) });

// POST (action) accept an invite link - any signed-in person holding it
export async function acceptInvitationAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const parsed = tokenSchema.safeParse({ token: formData.get("token") });
  if (!parsed.success) return { status: "error", error: "This invite link is not valid." };
  const { token } = parsed.data;
  const user = await requireUser(`/invite/${token}`);
  const joined = await runAction(async () => {
    const { teamSlug } = await acceptInvitation(db(), { token, userId: user.id });
    return { status: "success", data: teamSlug };
  });
  if (joined.status !== "success" || !joined.data) return joined;
  revalidatePath(`/${joined.data}`, "layout");
  redirect(`/${joined.data}/inbox`);
}

// POST (action) sign out from an invite page - to accept it with another account
export async function switchAccountAction(formData: FormData) {
  const parsed = tokenSchema.safeParse({ token: formData.get("token") });
  await signOut({ redirectTo: parsed.success ? `/sign-in?callbackUrl=${encodeURIComponent(`/invite/${parsed.data.token}`)}` : "/sign-in" });
}
