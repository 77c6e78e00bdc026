import { History } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { KeysetPage } from "@/components/dashboard/keyset-page";
import { PageHeader } from "@/components/dashboard/page-header";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { TableScroll } from "@/components/ui/table-scroll";
import { AUDIT_KINDS } from "@/lib/audit";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { listAuditActors, listAuditEntries } from "@/lib/data/audit";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;

// GET /<team>/audit - who changed the team's settings, when, and from where - owner/admin
export default async function AuditPage({ params, searchParams }: PageProps<"/[team]/audit">) {
  const { team: slug } = await params;
  const { team, canManage } = await requireTeam(slug);
  // Like a page that does not exist: members do not learn it is there (audit/layout.tsx says so
  // first, with a 404 status; this covers a role changed while the log was open).
  if (!canManage) notFound();
  const query = await searchParams;
  const kind = AUDIT_KINDS.find((k) => k.kind === query.kind)?.kind ?? null;
  const actors = await listAuditActors(db(), team.id);
  // Only people of this team's log filter; anything else shows the whole log.
  const actorId = typeof query.person === "string" && actors.some((a) => a.id === query.person) ? query.person : null;
  const cursor = typeof query.cursor === "string" && query.cursor ? query.cursor : null;
  const page = await listAuditEntries(db(), { teamId: team.id, kind, actorId, cursor, take: PAGE_SIZE });

  const base = `/${team.slug}/audit`;
  const hrefFor = (next: { cursor?: string | null }) => {
    const search = new URLSearchParams();
    if (kind) search.set("kind", kind);
    if (actorId) search.set("person", actorId);
    if (next.cursor) search.set("cursor", next.cursor);
    return search.size ? `${base}?${search}` : base;
  };
  const filtered = Boolean(kind || actorId);

  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        title="Audit log"
        description={`Every change to ${team.name}'s numbers, forwarding, API keys, members and keywords: who made it, when, and from which address. Entries are never edited or removed.`}
      />

      {page.items.length === 0 && !filtered && !cursor ? (
        <EmptyState icon={History} title="Nothing changed yet">
          <p>When an owner or admin adds a number, rotates a secret, creates an API key or changes someone&apos;s role, it shows up here.</p>
        </EmptyState>
      ) : (
        <div className="space-y-4">
          <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter the audit log">
            <div className="flex w-full min-w-0 flex-col gap-1 sm:w-auto">
              <label htmlFor="audit-kind" className="text-sm text-zinc-600 dark:text-zinc-400">
                Kind
              </label>
              <select id="audit-kind" name="kind" defaultValue={kind ?? ""} className={selectClass}>
                <option value="">All changes</option>
                {AUDIT_KINDS.map(({ kind, label }) => (
                  <option key={kind} value={kind}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div className="flex w-full min-w-0 flex-col gap-1 sm:w-auto">
              <label htmlFor="audit-person" className="text-sm text-zinc-600 dark:text-zinc-400">
                Person
              </label>
              <select id="audit-person" name="person" defaultValue={actorId ?? ""} className={selectClass}>
                <option value="">Everyone</option>
                {actors.map((actor) => (
                  <option key={actor.id} value={actor.id}>
                    {actor.name ? `${actor.name} (${actor.email})` : actor.email}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className={buttonClass({ variant: "secondary" })}>
              Apply
            </button>
          </form>

          <KeysetPage
            noun="changes"
            empty={page.items.length === 0}
            olderPage={Boolean(cursor)}
            newestHref={hrefFor({ cursor: null })}
            allHref={base}
            nextHref={page.nextCursor ? hrefFor({ cursor: page.nextCursor }) : null}
            noneMatch={`No ${kind ? `${AUDIT_KINDS.find((k) => k.kind === kind)!.label.toLowerCase()} ` : ""}changes${actorId ? " by this person" : ""} yet.`}
            reachedEnd="You have reached the first entry of this log."
            endText={`That is every change${filtered ? " matching these filters" : ""}.`}
          >
            <AuditTable entries={page.items} />
          </KeysetPage>
        </div>
      )}
    </div>
  );
}

const selectClass =
  "h-9 w-full min-w-0 rounded-lg border border-zinc-300 bg-white px-2.5 text-sm text-zinc-900 sm:w-60 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";

function AuditTable({ entries }: { entries: Awaited<ReturnType<typeof listAuditEntries>>["items"] }) {
  return (
    // The table keeps its columns on a phone and scrolls inside its card.
    <Card className="overflow-hidden">
      <TableScroll label="Changes">
        <table className="w-full min-w-[48rem] text-left text-sm">
          <caption className="sr-only">Changes to the team&apos;s settings, newest first</caption>
          <thead className="border-b border-zinc-200 text-xs font-medium text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-4 py-2.5 font-medium">
                When
              </th>
              <th scope="col" className="px-4 py-2.5 font-medium">
                Who
              </th>
              <th scope="col" className="px-4 py-2.5 font-medium">
                What
              </th>
              <th scope="col" className="px-4 py-2.5 font-medium">
                Target
              </th>
              <th scope="col" className="px-4 py-2.5 font-medium">
                Address
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {entries.map((entry) => (
              <tr key={entry.id} className="align-top">
                <td className="px-4 py-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                  <LocalTime iso={entry.createdAt.toISOString()} format="short" />
                </td>
                <td className="px-4 py-3">
                  <div className="font-medium">{entry.actorName ?? entry.actorEmail ?? "Moshi"}</div>
                  {entry.actorName && entry.actorEmail && <div className="text-xs text-zinc-500 dark:text-zinc-400">{entry.actorEmail}</div>}
                </td>
                <td className="px-4 py-3">
                  <div>{sentence(entry.summary)}</div>
                  <code className="text-xs text-zinc-500 dark:text-zinc-400">{entry.action}</code>
                </td>
                <td className="min-w-44 max-w-64 px-4 py-3 wrap-break-word text-zinc-700 dark:text-zinc-300">{entry.targetLabel ?? "—"}</td>
                <td className="px-4 py-3 font-mono text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400" title={entry.userAgent ?? undefined}>
                  {entry.ip ?? <span className="font-sans">Not known</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </Card>
  );
}

/** Summaries are stored without their subject ("added …"): shown under a "Who" column, they start a sentence. */
function sentence(summary: string): string {
  return summary.charAt(0).toUpperCase() + summary.slice(1);
}
