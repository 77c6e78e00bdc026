import { ArrowLeft, Send } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { KeysetPage } from "@/components/dashboard/keyset-page";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { listNumbers } from "@/lib/data/numbers";
import { AppError } from "@/lib/errors";
import { forwardingConfig } from "@/lib/forwarding/config";
import { getEndpointWithStats, listAttempts } from "@/lib/forwarding/endpoints";
import { EndpointControls } from "../endpoint-controls";
import type { NumberChoice } from "../endpoint-form";
import { EndpointFilters, EndpointStatsFacts, EndpointStatusBadge, editable } from "../endpoint-summary";
import { AttemptList } from "./attempt-list";
import { ResendFailedForm, SendTestEventButton } from "./resend";
import { VerifySnippets } from "./verify-snippets";

export const metadata: Metadata = { title: "Endpoint" };

const FILTERS = [
  { status: null, label: "All" },
  { status: "failed", label: "Failed" },
  { status: "succeeded", label: "Succeeded" },
] as const;

type StatusFilter = (typeof FILTERS)[number]["status"];

// GET /<team>/forwarding/<endpointId> - one endpoint: its attempts, resends and how to verify
export default async function EndpointPage({ params, searchParams }: PageProps<"/[team]/forwarding/[endpointId]">) {
  const { team: slug, endpointId } = await params;
  const { team, canManage } = await requireTeam(slug);
  const query = await searchParams;
  const status: StatusFilter = query.status === "failed" || query.status === "succeeded" ? query.status : null;
  const cursor = typeof query.cursor === "string" && query.cursor ? query.cursor : undefined;

  const endpoint = await getEndpointWithStats(db(), team.id, endpointId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const [page, numbers] = await Promise.all([listAttempts(db(), team.id, endpoint.id, { cursor, status: status ?? undefined }), listNumbers(db(), team.id)]);
  const choices: NumberChoice[] = numbers.map(({ id, label, e164 }) => ({ id, label, e164 }));

  const base = `/${team.slug}/forwarding/${endpoint.id}`;
  const hrefFor = (next: { status?: StatusFilter; cursor?: string | null }) => {
    const search = new URLSearchParams();
    const nextStatus = next.status === undefined ? status : next.status;
    if (nextStatus) search.set("status", nextStatus);
    if (next.cursor) search.set("cursor", next.cursor);
    return search.size ? `${base}?${search}#attempts` : base;
  };
  const neverTried = endpoint.stats.attempts === 0 && page.attempts.length === 0 && !status && !cursor;

  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <div>
        <Link
          href={`/${team.slug}/forwarding`}
          className="inline-flex items-center gap-1.5 text-sm font-medium text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
        >
          <ArrowLeft className="size-4" aria-hidden="true" />
          Forwarding
        </Link>
        <div className="mt-3 space-y-2">
          <p className="flex flex-wrap items-center gap-2">
            <EndpointStatusBadge endpoint={endpoint} />
            {endpoint.description && <span className="text-sm font-medium text-zinc-700 dark:text-zinc-300">{endpoint.description}</span>}
          </p>
          <h1 className="font-mono text-xl font-semibold tracking-tight wrap-anywhere">{endpoint.url}</h1>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            Added <LocalTime iso={endpoint.createdAt.toISOString()} format="short" />
            {endpoint.createdBy && ` by ${endpoint.createdBy.name || endpoint.createdBy.email}`}
            {endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date() && (
              <>
                {" "}
                · the previous secret signs too until <LocalTime iso={endpoint.previousSecretExpiresAt.toISOString()} format="short" />
              </>
            )}
          </p>
        </div>
        {canManage && (
          <div className="mt-4 flex flex-wrap items-start gap-2">
            {endpoint.enabled && <SendTestEventButton team={team.slug} endpointId={endpoint.id} />}
            <EndpointControls team={team.slug} endpoint={editable(endpoint)} numbers={choices} allowLocal={forwardingConfig().allowNonPublic} />
          </div>
        )}
      </div>

      {!endpoint.enabled && (
        <Alert tone={endpoint.disabledReason ? "error" : "info"} title={endpoint.disabledReason ? "Moshi turned this endpoint off" : "This endpoint is off"}>
          {endpoint.disabledReason
            ? `${endpoint.disabledReason} New events are not sent to it until it is turned on again; then resend what failed meanwhile.`
            : "New events are not sent to it until it is turned on."}
        </Alert>
      )}

      <Card className="p-4 sm:p-5">
        <h2 className="sr-only">Settings and the last 7 days</h2>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-4 sm:grid-cols-3">
          <EndpointFilters endpoint={endpoint} numbers={choices} />
          <EndpointStatsFacts stats={endpoint.stats} />
        </dl>
      </Card>

      <section aria-labelledby="attempts" className="space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="attempts" className="scroll-mt-24 text-base font-semibold">
            Attempts
          </h2>
          {!neverTried && (
            <nav aria-label="Filter attempts">
              <ul className="flex gap-2">
                {FILTERS.map((filter) => {
                  const active = filter.status === status;
                  return (
                    <li key={filter.label}>
                      <Link
                        href={hrefFor({ status: filter.status, cursor: null })}
                        aria-current={active ? "page" : undefined}
                        className={cn(
                          "inline-flex h-8 items-center rounded-lg border px-3 text-sm font-medium shadow-sm transition-colors",
                          active
                            ? "border-brand-600 bg-brand-600 text-white dark:border-brand-500 dark:bg-brand-500/25 dark:text-white"
                            : "border-zinc-200 bg-white text-zinc-700 hover:bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800",
                        )}
                      >
                        {filter.label}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </nav>
          )}
        </div>
        {neverTried ? (
          <EmptyState icon={Send} title="No attempts yet">
            {endpoint.enabled
              ? `Events go out as they happen on ${endpoint.phoneNumberIds.length ? "its numbers" : "your numbers"}.${canManage ? " Use “Send test event” to see one now." : ""}`
              : "It is off: nothing is sent to it."}
          </EmptyState>
        ) : (
          <KeysetPage
            noun="attempts"
            empty={page.attempts.length === 0}
            olderPage={Boolean(cursor)}
            newestHref={hrefFor({ cursor: null })}
            allHref={base}
            nextHref={page.nextCursor ? hrefFor({ cursor: page.nextCursor }) : null}
            noneMatch={`No ${status ?? ""} attempts yet.`}
            reachedEnd="You have reached the first attempt to this endpoint."
            endText={`That is every attempt${status ? ` that ${status}` : ""}.`}
          >
            <AttemptList team={team.slug} endpointId={endpoint.id} attempts={page.attempts} canManage={canManage} />
          </KeysetPage>
        )}
      </section>

      {canManage && (
        <section aria-labelledby="resend-failed" className="space-y-3">
          <h2 id="resend-failed" className="text-base font-semibold">
            Resend failed events
          </h2>
          <Card className="p-4 sm:p-5">
            <ResendFailedForm team={team.slug} endpointId={endpoint.id} failed={endpoint.stats.failed} />
          </Card>
        </section>
      )}

      <VerifySnippets />
    </div>
  );
}
