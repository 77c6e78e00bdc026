import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { signOutAction } from "@/app/(auth)/actions";
import { Logo } from "@/components/logo";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { listTeamsForUser } from "@/lib/data/teams";
import { CreateTeamForm } from "./create-team-form";

export const metadata: Metadata = { title: "New team" };

// GET /teams/new - start another team, or a first one after leaving the last
export default async function NewTeamPage() {
  const user = await requireUser("/teams/new");
  const teams = await listTeamsForUser(db(), user.id);
  const hasTeams = teams.length > 0;
  return (
    <main className="relative flex min-h-dvh items-center justify-center overflow-hidden px-4 py-12">
      <div className="pointer-events-none absolute -top-40 left-1/2 size-[32rem] -translate-x-1/2 rounded-full bg-brand-500/10 blur-3xl dark:bg-brand-500/15" aria-hidden="true" />
      <div className="relative w-full max-w-md space-y-8">
        <div className="flex items-center justify-between gap-4">
          <Logo className="text-lg" />
          {hasTeams && (
            <Link
              href="/"
              className="inline-flex items-center gap-1.5 rounded-md text-sm font-medium text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            >
              <ArrowLeft className="size-4" aria-hidden="true" />
              Back
            </Link>
          )}
        </div>
        <Card className="space-y-6 p-6 sm:p-8">
          <div className="space-y-1.5">
            <h1 className="text-xl font-semibold tracking-tight">{hasTeams ? "Create a new team" : "Create your team"}</h1>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              A team has its own numbers, messages and members. You will be its owner.
            </p>
          </div>
          {!hasTeams && (
            <Alert title="You are not in any team yet">Create one, or ask a teammate for an invite link and open it while signed in.</Alert>
          )}
          <CreateTeamForm />
        </Card>
        <form action={signOutAction} className="text-center text-sm text-zinc-600 dark:text-zinc-400">
          Signed in as <span className="font-medium text-zinc-900 dark:text-zinc-100">{user.email}</span>.{" "}
          <button type="submit" className="font-medium text-brand-600 hover:underline dark:text-brand-400">
            Sign out
          </button>
        </form>
      </div>
    </main>
  );
}
