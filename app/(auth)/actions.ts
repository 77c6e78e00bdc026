"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { z } from "zod";
import { type ActionState, runAction, validationError } from "@/lib/actions";
import { describeWait, reserveSignUp } from "@/lib/auth/attempts";
import { TooManyAttempts, signIn, signOut } from "@/lib/auth/auth";
import { db } from "@/lib/db";
import { acceptInvitation } from "@/lib/data/invitations";
import { createUserWithPassword } from "@/lib/data/users";
import { safeRedirectTarget } from "@/lib/redirects";

const signInSchema = z.object({
  email: z.email("Enter a valid email address.").max(320),
  password: z.string().min(1, "Enter your password.").max(256),
  callbackUrl: z.string().optional(),
});

// POST (action) sign-in form - email + password
export async function signInAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const parsed = signInSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return validationError(parsed.error);
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeRedirectTarget(parsed.data.callbackUrl),
    });
  } catch (error) {
    // A successful sign-in redirects by throwing; only Auth.js errors are ours to explain.
    if (error instanceof TooManyAttempts) {
      return { status: "error", error: `Too many sign-in attempts. Try again in ${describeWait(error.retryAfterMs)}.` };
    }
    if (error instanceof AuthError) return { status: "error", error: "That email and password do not match an account." };
    throw error;
  }
  return { status: "success" };
}

const signUpSchema = z
  .object({
    name: z.string().trim().min(1, "Enter your name.").max(100),
    email: z.email("Enter a valid email address.").max(320),
    password: z.string().min(10, "Use at least 10 characters.").max(256, "Use at most 256 characters."),
    teamName: z.string().trim().max(60, "Use at most 60 characters.").optional(),
    invite: z.string().optional(),
  })
  .refine((value) => value.invite || value.teamName, { path: ["teamName"], message: "Name your team." });

// POST (action) sign-up form - creates the account and its team (or joins the invited team)
export async function signUpAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const parsed = signUpSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return validationError(parsed.error);
  const { name, email, password, teamName, invite } = parsed.data;
  const budget = await reserveSignUp(db(), await headers());
  if (!budget.allowed) {
    return { status: "error", error: `Too many accounts were created from your network. Try again in ${describeWait(budget.retryAfterMs)}.` };
  }
  const created = await runAction(async () => {
    const { user, team } = await createUserWithPassword(db(), { name, email, password, teamName: invite ? null : (teamName ?? null) });
    return { status: "success", data: { userId: user.id, teamSlug: team?.slug } };
  });
  if (created.status !== "success" || !created.data) return created;
  let redirectTo = created.data.teamSlug ? `/${created.data.teamSlug}/numbers` : "/";
  if (invite) {
    const { userId } = created.data;
    const joined = await runAction(async () => {
      const { teamSlug } = await acceptInvitation(db(), { token: invite, userId });
      return { status: "success", data: teamSlug };
    });
    // The account exists either way; a dead invite link leaves the person to create a team.
    redirectTo = joined.status === "success" ? `/${joined.data}` : "/";
  }
  await signIn("credentials", { email, password, redirectTo });
  return { status: "success" };
}

// POST (action) sign in with GitHub
export async function signInWithGitHubAction(formData: FormData) {
  await signIn("github", { redirectTo: safeRedirectTarget(formData.get("callbackUrl")) });
}

// POST (action) sign out
export async function signOutAction() {
  await signOut({ redirectTo: "/sign-in" });
}
