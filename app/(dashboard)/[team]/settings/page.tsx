import { Download } from "lucide-react";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { PageHeader } from "@/components/dashboard/page-header";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { getRetentionSettings } from "@/lib/data/teams";
import { FINISHED_EVENTS_DAYS } from "@/lib/retention";
import { DeleteTeamForm } from "./delete-team";
import { RetentionForm } from "./retention-form";
import { describeKeep } from "./retention-schema";

export const metadata: Metadata = { title: "Settings" };

// GET /<team>/settings - retention, the team's export and deleting the team; members read
export default async function SettingsPage({ params }: PageProps<"/[team]/settings">) {
  const { team: slug } = await params;
  const { team, role, canManage } = await requireTeam(slug);
  const settings = await getRetentionSettings(db(), team.id);
  return (
    <div className="mx-auto max-w-5xl space-y-10">
      <div>
        <PageHeader title="Settings" description={`How long ${team.name} keeps its data, a copy of all of it, and deleting the team.`} />
        {!canManage && (
          <Alert className="-mt-2" title="You have read-only access">
            Only owners and admins of {team.name} can change these settings or download the team&rsquo;s data.
          </Alert>
        )}
      </div>

      <Section id="retention-heading" title="Retention" description="Old data is removed by an hourly clean-up, a little at a time, on the schedule below.">
        <Card className="grid gap-8 p-5 sm:p-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
          <div>
            {canManage ? (
              <RetentionForm team={team.slug} settings={settings} />
            ) : (
              <dl className="space-y-4 text-sm">
                <div>
                  <dt className="font-medium text-zinc-800 dark:text-zinc-200">Raw delivery bodies</dt>
                  <dd className="mt-0.5 text-zinc-600 dark:text-zinc-400">Kept {describeKeep(settings.keepBodiesDays)}</dd>
                </div>
                <div>
                  <dt className="font-medium text-zinc-800 dark:text-zinc-200">Messages</dt>
                  <dd className="mt-0.5 text-zinc-600 dark:text-zinc-400">Kept {describeKeep(settings.keepMessagesDays)}</dd>
                </div>
              </dl>
            )}
          </div>
          <div className="space-y-4 text-sm text-zinc-600 dark:text-zinc-400">
            <Explained title="When a raw body expires">
              The request a provider sent (its body, headers and query string, which hold the message and the sender&rsquo;s details) is removed.{" "}
              <strong className="font-medium text-zinc-800 dark:text-zinc-200">What stays:</strong> the delivery in the log with its outcome and counts,
              and the messages it stored. Such a delivery can no longer be replayed.
            </Explained>
            <Explained title="When a message expires">
              The message goes with its parts, and so do deliveries of that age and threads left empty. A long message still waiting for its parts is
              kept until it completes or is given up. Statistics count what remains.
            </Explained>
            <Explained title="Forwarding history">
              Events sent to your endpoints carry message text: they follow message retention, and events that are finished go after{" "}
              {FINISHED_EVENTS_DAYS} days in any case. An event still being delivered or retried is never removed.
            </Explained>
          </div>
        </Card>
      </Section>

      <Section id="export-heading" title="Export" description="Everything of the team in one file, to keep or to take elsewhere.">
        <Card className="flex flex-col gap-4 p-5 sm:flex-row sm:items-center sm:justify-between sm:p-6">
          <p className="max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
            JSON lines, one object per line with a <code className="font-mono text-xs">type</code>: the team, its numbers (without webhook tokens or
            credentials), conversations, internal notes, messages and deliveries (each raw body in base64, and as text when it is UTF-8). Test
            messages are left out, as in every other export and figure. Downloads are recorded in the audit log.
          </p>
          {canManage ? (
            <a href={`/${team.slug}/settings/export`} download className={buttonClass({ variant: "secondary" })}>
              <Download className="size-4" aria-hidden="true" />
              Download export
            </a>
          ) : (
            <p className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Owners and admins can download it.</p>
          )}
        </Card>
      </Section>

      {canManage && (
        <Section id="danger-heading" title="Danger zone">
          <Card className="space-y-4 border-red-300 p-5 sm:p-6 dark:border-red-900">
            <div className="space-y-1">
              <h3 className="text-sm font-semibold text-red-700 dark:text-red-400">Delete this team</h3>
              <p className="max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
                Deletes {team.name} at once with all its numbers (their webhook URLs stop working), messages, deliveries, forwarding endpoints, API keys,
                members and audit log. It cannot be undone: download the export first if you may need the data.
              </p>
            </div>
            {role === "OWNER" ? (
              <DeleteTeamForm team={team.slug} name={team.name} />
            ) : (
              <p className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Only the team&rsquo;s owner can delete it.</p>
            )}
          </Card>
        </Section>
      )}
    </div>
  );
}

function Section({ id, title, description, children }: { id: string; title: string; description?: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <div className="space-y-1">
        <h2 id={id} className="text-base font-semibold">
          {title}
        </h2>
        {description && <p className="max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{description}</p>}
      </div>
      {children}
    </section>
  );
}

function Explained({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <h3 className="font-medium text-zinc-800 dark:text-zinc-200">{title}</h3>
      <p className="leading-relaxed">{children}</p>
    </div>
  );
}
