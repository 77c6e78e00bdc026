import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { githubEnabled } from "@/lib/auth/auth";
import { getCurrentUser } from "@/lib/auth/guards";
import { safeRedirectPath } from "@/lib/redirects";
import { Divider, GitHubButton } from "../github-button";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const { callbackUrl, error } = await searchParams;
  // Anything but a path on this site is dropped here, so no link or form below carries it on.
  const callback = safeRedirectPath(callbackUrl) ?? undefined;
  if (await getCurrentUser()) redirect(callback ?? "/");
  const signUpHref = callback ? `/sign-up?callbackUrl=${encodeURIComponent(callback)}` : "/sign-up";
  return (
    <div className="space-y-6">
      <div className="space-y-1.5">
        <h1 className="text-2xl font-semibold tracking-tight">Sign in to Moshi</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Welcome back. Your team&rsquo;s messages are waiting.</p>
      </div>
      {error && <Alert tone="error" title="Sign-in did not complete. Please try again." />}
      {githubEnabled && (
        <>
          <GitHubButton callbackUrl={callback} />
          <Divider />
        </>
      )}
      <SignInForm callbackUrl={callback} />
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
        New to Moshi?{" "}
        <Link href={signUpHref} className="font-medium text-brand-600 hover:underline dark:text-brand-400">
          Create an account
        </Link>
      </p>
    </div>
  );
}
