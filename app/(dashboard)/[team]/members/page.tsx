import { Link2, MailPlus } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/dashboard/page-header";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { requireTeam } from "@/lib/auth/guards";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { listPendingInvitations } from "@/lib/data/invitations";
import { listMembers } from "@/lib/data/members";
import { InviteButton } from "./invite-dialog";
import { LeaveTeam } from "./leave-team";
import { RemoveMemberButton, RoleForm } from "./member-controls";
import { RevokeInvitationButton } from "./revoke-invitation";
import { RoleBadge } from "./role-badge";

export const metadata: Metadata = { title: "Members" };

const DAY_MS = 24 * 60 * 60 * 1000;
const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

// GET /<team>/members - the team's people and pending invite links
export default async function MembersPage({ params }: PageProps<"/[team]/members">) {
  const { team: slug } = await params;
  const { team, user, role, canManage } = await requireTeam(slug);
  const [members, invitations] = await Promise.all([listMembers(db(), team.id), listPendingInvitations(db(), team.id)]);
  const now = new Date();
  return (
    <div className="mx-auto max-w-5xl space-y-10">
      <div>
        <PageHeader
          title="Members"
          description={`Everyone in ${team.name} reads the team's numbers and messages. Owners and admins also manage numbers and people.`}
          actions={canManage ? <InviteButton team={team.slug} /> : undefined}
        />
        {!canManage && (
          <Alert className="-mt-2" title="You have read-only access">
            Only owners and admins of {team.name} can invite teammates or change who is in the team.
          </Alert>
        )}
      </div>

      <section aria-labelledby="members-heading" className="space-y-3">
        <SectionHeading id="members-heading" title="People" count={members.length} />
        <Card className="overflow-hidden">
          <div
            aria-hidden="true"
            className="hidden border-b border-zinc-200 bg-zinc-50 px-5 py-2.5 text-xs font-medium uppercase tracking-wide text-zinc-500 md:grid md:grid-cols-[minmax(0,1fr)_13rem_8rem_6.5rem] md:gap-4 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-zinc-400"
          >
            <span>Name</span>
            <span>Role</span>
            <span>Joined</span>
            <span className="sr-only">Actions</span>
          </div>
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {members.map((member) => {
              const isSelf = member.user.id === user.id;
              const displayName = member.user.name || member.user.email;
              // The owner is fixed, and nobody edits their own role: the data layer refuses both anyway.
              const editable = canManage && !isSelf && member.role !== "OWNER";
              return (
                <li
                  key={member.id}
                  className="flex flex-wrap items-center gap-x-3 gap-y-3 px-4 py-4 md:grid md:grid-cols-[minmax(0,1fr)_13rem_8rem_6.5rem] md:gap-4 md:px-5"
                >
                  <div className="order-1 flex min-w-0 flex-1 items-center gap-3 md:order-none">
                    <Avatar label={displayName} />
                    <div className="min-w-0">
                      <p className="flex items-center gap-2 text-sm font-medium">
                        <span className="truncate">{displayName}</span>
                        {isSelf && <Badge tone="brand">You</Badge>}
                      </p>
                      {member.user.name && <p className="truncate text-sm text-zinc-500 dark:text-zinc-400">{member.user.email}</p>}
                    </div>
                  </div>
                  {/* On a phone the row becomes a card: name and Remove on top, role and date beneath. */}
                  <div className="order-3 flex w-full flex-wrap items-center justify-between gap-x-4 gap-y-2 pl-12 md:order-none md:contents">
                    <div>
                      {editable ? (
                        <RoleForm team={team.slug} membershipId={member.id} role={member.role} name={displayName} />
                      ) : (
                        <RoleBadge role={member.role} />
                      )}
                    </div>
                    <p className="text-sm text-zinc-500 dark:text-zinc-400">
                      <span className="md:sr-only">Joined </span>
                      <time dateTime={member.createdAt.toISOString()}>{dateFormat.format(member.createdAt)}</time>
                    </p>
                  </div>
                  <div className="order-2 flex justify-end md:order-none">
                    {editable && <RemoveMemberButton team={team.slug} teamName={team.name} membershipId={member.id} name={displayName} />}
                  </div>
                </li>
              );
            })}
          </ul>
        </Card>
      </section>

      <section aria-labelledby="invitations-heading" className="space-y-3">
        <SectionHeading
          id="invitations-heading"
          title="Pending invitations"
          count={invitations.length}
          description={
            canManage
              ? "Each invite link works once and expires after 7 days. Moshi keeps only a fingerprint of it, so a lost link cannot be shown again: revoke it and create a new one."
              : "Links sent by owners and admins that nobody has used yet. Each works once and expires after 7 days."
          }
        />
        {invitations.length === 0 ? (
          // No second invite button here: the dialog showing the new link must not unmount when
          // the first invitation replaces this empty state.
          <EmptyState icon={MailPlus} title="No pending invitations">
            {canManage
              ? "Use “Invite teammate” to create an invite link and send it to a teammate. They join as soon as they open it and sign in."
              : "When an owner or admin invites someone, the open invitation shows up here."}
          </EmptyState>
        ) : (
          <Card className="overflow-hidden">
            <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {invitations.map((invitation) => (
                <li key={invitation.id} className="flex flex-col gap-3 px-4 py-4 sm:flex-row sm:items-center sm:gap-4 sm:px-5">
                  <div className="flex min-w-0 flex-1 items-center gap-3">
                    <span
                      aria-hidden="true"
                      className="flex size-9 shrink-0 items-center justify-center rounded-full bg-brand-50 text-brand-600 dark:bg-brand-500/15 dark:text-brand-300"
                    >
                      <Link2 className="size-4" />
                    </span>
                    <div className="min-w-0 space-y-1">
                      <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                        Invite link <span className="font-normal text-zinc-500 dark:text-zinc-400">joins as</span>{" "}
                        <RoleBadge role={invitation.role} />
                      </p>
                      <p className="text-sm text-zinc-500 dark:text-zinc-400">
                        Created by {invitation.createdBy ? invitation.createdBy.name || invitation.createdBy.email : "a former member"} on{" "}
                        <time dateTime={invitation.createdAt.toISOString()}>{dateFormat.format(invitation.createdAt)}</time>
                        <span aria-hidden="true"> · </span>
                        <time dateTime={invitation.expiresAt.toISOString()} title={invitation.expiresAt.toUTCString()}>
                          {describeExpiry(invitation.expiresAt, now)}
                        </time>
                      </p>
                    </div>
                  </div>
                  {canManage && (
                    <div className="pl-12 sm:pl-0">
                      <RevokeInvitationButton team={team.slug} invitationId={invitation.id} roleLabel={ROLE_LABELS[invitation.role]} />
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </Card>
        )}
      </section>

      {role !== "OWNER" && <LeaveTeam team={team.slug} teamName={team.name} />}
    </div>
  );
}

function SectionHeading({ id, title, count, description }: { id: string; title: string; count: number; description?: string }) {
  return (
    <div className="space-y-1">
      <h2 id={id} className="flex items-center gap-2 text-base font-semibold">
        {title}
        <span className="rounded-full bg-zinc-200/70 px-2 py-0.5 text-xs font-medium tabular-nums text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
          {count}
        </span>
      </h2>
      {description && <p className="max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{description}</p>}
    </div>
  );
}

function Avatar({ label }: { label: string }) {
  return (
    <span
      aria-hidden="true"
      className="flex size-9 shrink-0 items-center justify-center rounded-full bg-zinc-200 text-sm font-semibold text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
    >
      {label.slice(0, 1).toUpperCase()}
    </span>
  );
}

/** Rounded up, so a link with 6 days and 2 hours left reads "7 days", the way people count. */
function describeExpiry(expiresAt: Date, now: Date): string {
  const left = expiresAt.getTime() - now.getTime();
  if (left < DAY_MS) {
    const hours = Math.max(1, Math.ceil(left / (60 * 60 * 1000)));
    return `Expires in ${hours} ${hours === 1 ? "hour" : "hours"}`;
  }
  const days = Math.ceil(left / DAY_MS);
  return `Expires in ${days} days`;
}
