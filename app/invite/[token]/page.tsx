import { ArrowRight, Link2Off, type LucideIcon, UserPlus, Users } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "@/components/logo";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/guards";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { findInvitationByToken, type InvitationStatus } from "@/lib/data/invitations";
import { findMembershipBySlug } from "@/lib/data/teams";
import { switchAccountAction } from "./actions";
import { JoinForm } from "./join-form";

// The token is a credential: keep the page out of search engines and the URL out of Referer headers.
export const metadata: Metadata = { title: "Invitation", robots: { index: false, follow: false }, referrer: "no-referrer" };

const ROLE_SUMMARY = {
  OWNER: "full control of the team",
  ADMIN: "manage its numbers and members",
  MEMBER: "read its numbers and messages",
} as const;

// A dead link names neither the team nor the inviter: whoever holds it may not be who it was meant for.
const DEAD_LINK: Record<Exclude<InvitationStatus, "pending"> | "unknown", { title: string; body: string }> = {
  unknown: {
    title: "This invite link does not work",
    body: "Check that you opened the whole link, exactly as it was sent. If it still fails, ask the teammate who sent it for a new one.",
  },
  accepted: {
    title: "This invite link has already been used",
    body: "Each invite link lets one person join. If that was not you, ask the teammate who sent it for a new link.",
  },
  revoked: {
    title: "This invitation was withdrawn",
    body: "The link was revoked by an owner or admin of the team. Ask them for a new one if you still need access.",
  },
  expired: {
    title: "This invite link has expired",
    body: "Invite links stay valid for 7 days. Ask the teammate who sent it for a new one.",
  },
};

// GET /invite/<token> - what the link offers, and the way in for whoever holds it
export default async function InvitePage({ params }: PageProps<"/invite/[token]">) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([findInvitationByToken(db(), token), getCurrentUser()]);
  const membership = invitation && user ? await findMembershipBySlug(db(), { slug: invitation.team.slug, userId: user.id }) : null;

  if (invitation && membership) {
    return (
      <Shell>
        <Heading icon={Users} title={`You are already in ${invitation.team.name}`}>
          There is nothing to accept: this account is a member of the team.
        </Heading>
        <Link href={`/${invitation.team.slug}/numbers`} className={buttonClass({ className: "w-full" })}>
          Open {invitation.team.name}
          <ArrowRight className="size-4" aria-hidden="true" />
        </Link>
      </Shell>
    );
  }

  if (!invitation) return <DeadLink reason="unknown" />;
  if (invitation.status !== "pending") return <DeadLink reason={invitation.status} />;

  // The inviter's account may be gone since; the invitation stays good without them.
  const inviter = invitation.createdBy ? invitation.createdBy.name || invitation.createdBy.email : null;
  const path = `/invite/${encodeURIComponent(token)}`;
  return (
    <Shell>
      <Heading icon={UserPlus} title={`Join ${invitation.team.name}`}>
        {inviter ? (
          <>
            <strong className="font-medium text-zinc-900 dark:text-zinc-100">{inviter}</strong> invited you
          </>
        ) : (
          "You are invited"
        )}{" "}
        to join{" "}
        <strong className="font-medium text-zinc-900 dark:text-zinc-100">{invitation.team.name}</strong> as{" "}
        {invitation.role === "ADMIN" ? "an" : "a"} <strong className="font-medium text-zinc-900 dark:text-zinc-100">{ROLE_LABELS[invitation.role]}</strong>
        : you will {ROLE_SUMMARY[invitation.role]}.
      </Heading>
      {user ? (
        <div className="space-y-4">
          <JoinForm token={token} teamName={invitation.team.name} />
          <form action={switchAccountAction} className="text-center text-sm text-zinc-600 dark:text-zinc-400">
            <input type="hidden" name="token" value={token} />
            Signed in as <span className="font-medium text-zinc-900 dark:text-zinc-100">{user.email}</span>.{" "}
            <button type="submit" className="font-medium text-brand-600 hover:underline dark:text-brand-400">
              Use another account
            </button>
          </form>
        </div>
      ) : (
        <div className="space-y-3">
          <Link href={`/sign-up?invite=${encodeURIComponent(token)}`} className={buttonClass({ className: "w-full" })}>
            Create account
          </Link>
          <Link href={`/sign-in?callbackUrl=${encodeURIComponent(path)}`} className={buttonClass({ variant: "secondary", className: "w-full" })}>
            Sign in
          </Link>
          <p className="text-center text-xs text-zinc-500 dark:text-zinc-400">
            The invitation expires on{" "}
            <time dateTime={invitation.expiresAt.toISOString()}>{new Intl.DateTimeFormat("en", { dateStyle: "long" }).format(invitation.expiresAt)}</time>.
          </p>
        </div>
      )}
    </Shell>
  );
}

function DeadLink({ reason }: { reason: keyof typeof DEAD_LINK }) {
  const { title, body } = DEAD_LINK[reason];
  return (
    <Shell>
      <Heading icon={Link2Off} tone="muted" title={title}>
        {body}
      </Heading>
      <Link href="/" className={buttonClass({ variant: "secondary", className: "w-full" })}>
        Go to Moshi
      </Link>
    </Shell>
  );
}

/** The sign-in pages' look (logo over a narrow column), as a card: this page stands alone. */
function Shell({ children }: { children: ReactNode }) {
  return (
    <main className="relative flex min-h-dvh items-center justify-center overflow-hidden px-4 py-12">
      <div className="pointer-events-none absolute -top-40 left-1/2 size-[32rem] -translate-x-1/2 rounded-full bg-brand-500/10 blur-3xl dark:bg-brand-500/15" aria-hidden="true" />
      <div className="relative w-full max-w-md space-y-8">
        <Link href="/" className="mx-auto flex w-fit rounded-lg" aria-label="Moshi home">
          <Logo className="text-lg" />
        </Link>
        <Card className="space-y-6 p-6 sm:p-8">{children}</Card>
      </div>
    </main>
  );
}

function Heading({ icon: Icon, title, tone = "brand", children }: { icon: LucideIcon; title: string; tone?: "brand" | "muted"; children: ReactNode }) {
  return (
    <div className="space-y-3 text-center">
      <div
        className={
          tone === "brand"
            ? "mx-auto flex size-12 items-center justify-center rounded-full bg-brand-50 text-brand-600 dark:bg-brand-500/15 dark:text-brand-300"
            : "mx-auto flex size-12 items-center justify-center rounded-full bg-zinc-100 text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400"
        }
      >
        <Icon className="size-6" aria-hidden="true" />
      </div>
      <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
      <p className="text-sm leading-relaxed text-zinc-600 dark:text-zinc-400">{children}</p>
    </div>
  );
}
