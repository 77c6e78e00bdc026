import { ArrowLeft, Inbox } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { KeysetPage } from "@/components/dashboard/keyset-page";
import { PageHeader } from "@/components/dashboard/page-header";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { mailConfig } from "@/lib/alerts/notify";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { listAlertMail } from "@/lib/data/alerts";

export const metadata: Metadata = { title: "Alert mail" };

const PAGE_SIZE = 20;

type Mail = Awaited<ReturnType<typeof listAlertMail>>["items"][number];

const STATUS: Record<Mail["status"], { label: string; tone: "green" | "sky" | "amber" | "red" }> = {
  SENT: { label: "Sent", tone: "green" },
  KEPT: { label: "Kept here", tone: "sky" },
  PENDING: { label: "Waiting to be sent", tone: "amber" },
  FAILED: { label: "Not sent", tone: "red" },
};

// GET /<team>/alerts/mail - the alert mails of the team: sent, or kept here when no SMTP server is configured
export default async function AlertMailPage({ params, searchParams }: PageProps<"/[team]/alerts/mail">) {
  const { team: slug } = await params;
  const { team } = await requireTeam(slug);
  const query = await searchParams;
  const cursor = typeof query.cursor === "string" && query.cursor ? query.cursor : null;
  const page = await listAlertMail(db(), { teamId: team.id, cursor, take: PAGE_SIZE });
  const base = `/${team.slug}/alerts/mail`;
  const smtp = Boolean(mailConfig().smtpUrl);
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <Link href={`/${team.slug}/alerts`} className="inline-flex items-center gap-1.5 text-sm font-medium text-brand-600 hover:underline dark:text-brand-400">
        <ArrowLeft className="size-4" aria-hidden="true" />
        Alerts
      </Link>
      <PageHeader title="Alert mail" description={`Every mail Moshi wrote about ${team.name}'s alerts, newest first: who it went to, and what it said.`} />
      {!smtp && (
        <Alert title="No mail server is configured">
          <code>SMTP_URL</code> is not set on this server, so alert mails are kept here instead of sent. Set it (and <code>MAIL_FROM</code>) to send them.
        </Alert>
      )}
      {page.items.length === 0 && !cursor ? (
        <EmptyState icon={Inbox} title="No alert mail yet">
          <p>When an alert fires or resolves, or someone sends a test alert, its mail shows up here.</p>
        </EmptyState>
      ) : (
        <KeysetPage
          noun="mails"
          empty={page.items.length === 0}
          olderPage={Boolean(cursor)}
          newestHref={base}
          allHref={base}
          nextHref={page.nextCursor ? `${base}?cursor=${page.nextCursor}` : null}
          noneMatch="No alert mail yet."
          reachedEnd="You have reached the first mail."
          endText="That is every alert mail."
        >
          <ul aria-label="Alert mails" className="space-y-3">
            {page.items.map((mail) => (
              <li key={mail.id}>
                <MailCard mail={mail} />
              </li>
            ))}
          </ul>
        </KeysetPage>
      )}
    </div>
  );
}

function MailCard({ mail }: { mail: Mail }) {
  const status = STATUS[mail.status];
  return (
    <Card className="p-4 sm:p-5">
      <article aria-label={mail.subject} className="space-y-3">
        <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0 space-y-1">
            <h2 className="text-sm font-semibold wrap-anywhere">{mail.subject}</h2>
            <p className="text-xs wrap-anywhere text-zinc-600 dark:text-zinc-400">To: {mail.recipients.join(", ")}</p>
          </div>
          <div className="flex shrink-0 flex-wrap items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
            <Badge tone={status.tone}>{status.label}</Badge>
            <LocalTime iso={mail.createdAt.toISOString()} format="short" />
          </div>
        </div>
        {mail.lastError && mail.status !== "SENT" && (
          <p className="text-xs text-red-700 dark:text-red-300">
            {mail.status === "FAILED" ? "" : `Tried ${mail.attemptCount} time${mail.attemptCount === 1 ? "" : "s"}: `}
            {mail.lastError}
          </p>
        )}
        <pre className="overflow-x-auto rounded-lg bg-zinc-50 p-3 font-sans text-sm whitespace-pre-wrap text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200">{mail.text}</pre>
        <details className="text-sm">
          <summary className="cursor-pointer font-medium text-brand-600 dark:text-brand-400">HTML version</summary>
          <pre className="mt-2 max-h-80 overflow-auto rounded-lg bg-zinc-50 p-3 font-mono text-xs whitespace-pre-wrap text-zinc-700 dark:bg-zinc-950 dark:text-zinc-300">{mail.body}</pre>
        </details>
      </article>
    </Card>
  );
}
