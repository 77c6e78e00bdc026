import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { githubEnabled } from "@/lib/auth/auth";
import { getCurrentUser } from "@/lib/auth/guards";
import { safeRedirectPath } from "@/lib/redirects";
import { Divider, GitHubButton } from "../github-button";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage({ searchParams }: PageProps<"/sign-up">) {
  const { invite, callbackUrl } = await searchParams;
  const inviteToken = typeof invite === "string" ? invite : undefined;
  // Anything but a path on this site is dropped here, so no link or form below carries it on.
  const callback = safeRedirectPath(callbackUrl ?? (inviteToken ? `/invite/${encodeURIComponent(inviteToken)}` : undefined)) ?? undefined;
  if (await getCurrentUser()) redirect(callback ?? "/");
  const signInHref = callback ? `/sign-in?callbackUrl=${encodeURIComponent(callback)}` : "/sign-in";
  return (
    <div className="space-y-6">
      <div className="space-y-1.5">
        <h1 className="text-2xl font-semibold tracking-tight">{inviteToken ? "Join your team on Moshi" : "Create your Moshi account"}</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {inviteToken ? "Create an account to accept the invitation." : "Set up your team and your first number in a couple of minutes."}
        </p>
      </div>
      {githubEnabled && !inviteToken && (
        <>
          <GitHubButton callbackUrl={callback} />
          <Divider />
        </>
      )}
      <SignUpForm invite={inviteToken} />
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link href={signInHref} className="font-medium text-brand-600 hover:underline dark:text-brand-400">
          Sign in
        </Link>
      </p>
    </div>
  );
}
