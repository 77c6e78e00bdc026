import { BarChart3, ChevronRight } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/dashboard/page-header";
import { ReportFilters } from "@/components/dashboard/report-filters";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { TableScroll } from "@/components/ui/table-scroll";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { listNumbers } from "@/lib/data/numbers";
import {
  countDeliveriesOverTime,
  countMessagesOverTime,
  countRejectionsByReason,
  listLastMessagePerNumber,
  summarizeByNumber,
  summarizeByProvider,
} from "@/lib/data/stats";
import { describePhoneNumber } from "@/lib/phone";
import { resolveReportFilters } from "@/lib/periods";
import { PROVIDER_INFO, PROVIDERS } from "@/lib/providers";
import { DeliveriesChart } from "./deliveries-chart";
import { MessagesChart } from "./messages-chart";

export const metadata: Metadata = { title: "Statistics" };

/** A number that has received nothing for this long is flagged as silent. */
const SILENT_AFTER_MS = 24 * 60 * 60 * 1000;

// GET /<team>/stats - deliveries, retries, rejections, lag and silent numbers over a period
export default async function StatsPage({ params, searchParams }: PageProps<"/[team]/stats">) {
  const { team: slug } = await params;
  const { team } = await requireTeam(slug);
  const numbers = await listNumbers(db(), team.id);
  const now = new Date();
  const filters = resolveReportFilters(await searchParams, numbers.map((n) => n.id), now);
  const { phoneNumberId, from, to, bucket } = filters;
  const range = { teamId: team.id, from, to, phoneNumberId };
  const [overTime, messagesOverTime, providers, byNumber, rejections, silence] = await Promise.all([
    countDeliveriesOverTime(db(), range, bucket),
    countMessagesOverTime(db(), range, bucket),
    summarizeByProvider(db(), range),
    summarizeByNumber(db(), range),
    countRejectionsByReason(db(), range),
    listLastMessagePerNumber(db(), team.id),
  ]);
  const totals = sum(providers);

  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <PageHeader
        title="Statistics"
        description="How many deliveries arrived, how many were provider retries Moshi absorbed, what was refused and why, and how late messages reach you."
      />
      <ReportFilters
        basePath={`/${team.slug}/stats`}
        filters={filters}
        numbers={numbers}
      />

      {totals.deliveries === 0 ? (
        <EmptyState icon={BarChart3} title="No deliveries in this period">
          Once a provider sends messages to one of your webhook URLs, this page shows how they arrived. Try{" "}
          <Link href={`/${team.slug}/numbers`} className="font-medium text-brand-600 underline dark:text-brand-400">
            a test message
          </Link>{" "}
          from the Numbers page.
        </EmptyState>
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
            <Stat label="Deliveries received" value={totals.deliveries} detail="requests from providers" />
            <Stat label="Messages stored" value={totals.messages} detail="texts people wrote" />
            <Stat label="Retries absorbed" value={totals.duplicates} detail={`${percent(totals.duplicates, totals.deliveries)} of deliveries`} />
            <Stat label="Rejected" value={totals.rejected} tone={totals.rejected ? "red" : undefined} detail={totals.rejected ? "see the reasons below" : "none"} />
            <Stat label="Multi-part messages" value={totals.multipart} />
            <Stat label="Incomplete messages" value={totals.incomplete} tone={totals.incomplete ? "amber" : undefined} />
            <Stat label="Lag, median" value={formatSeconds(median(providers))} detail="provider timestamp → stored" />
            <Stat label="Lag, 95th percentile" value={formatSeconds(p95(providers))} />
          </dl>
          <DeliveriesAndMessages totals={totals} />

          <Card className="p-4 sm:p-6">
            <h2 className="mb-4 text-sm font-semibold">Deliveries per {bucket} (UTC)</h2>
            <DeliveriesChart data={overTime} bucket={bucket} />
          </Card>

          <Card className="p-4 sm:p-6">
            <h2 className="mb-4 text-sm font-semibold">Messages stored per {bucket}, by provider (UTC)</h2>
            <MessagesChart data={messagesOverTime} bucket={bucket} providers={PROVIDERS.filter((p) => numbers.some((n) => n.provider === p)).map((provider) => ({ provider, label: PROVIDER_INFO[provider].label, colour: PROVIDER_INFO[provider].colour }))} />
          </Card>

          <div className="grid gap-6 lg:grid-cols-2">
            <Card className="overflow-hidden">
              <h2 id="by-provider" className="px-4 pt-4 text-sm font-semibold sm:px-6">
                By provider
              </h2>
              <TableScroll labelledBy="by-provider">
                <table className="mt-3 w-full text-sm">
                  <thead className="text-left text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
                    <tr>
                      <th scope="col" className="px-4 py-2 font-medium sm:px-6">Provider</th>
                      <th scope="col" className="px-2 py-2 text-right font-medium">Deliveries</th>
                      <th scope="col" className="px-2 py-2 text-right font-medium">Retry rate</th>
                      <th scope="col" className="px-2 py-2 text-right font-medium">Rejected</th>
                      <th scope="col" className="px-4 py-2 text-right font-medium sm:px-6">Lag p50 / p95</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                    {providers.map((p) => (
                      <tr key={p.provider}>
                        <td className="px-4 py-2.5 sm:px-6">
                          <Badge tone={PROVIDER_INFO[p.provider].tone}>{PROVIDER_INFO[p.provider].label}</Badge>
                        </td>
                        <td className="px-2 py-2.5 text-right tabular-nums">{p.deliveries}</td>
                        <td className="px-2 py-2.5 text-right tabular-nums">{percent(p.duplicates, p.deliveries)}</td>
                        <td className="px-2 py-2.5 text-right tabular-nums">{p.rejected}</td>
                        <td className="px-4 py-2.5 text-right tabular-nums whitespace-nowrap sm:px-6">
                          {formatSeconds(p.lagMedianSeconds)} / {formatSeconds(p.lagP95Seconds)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            </Card>

            <Card className="p-4 sm:p-6">
              <h2 className="text-sm font-semibold">Rejected, by reason</h2>
              {rejections.length === 0 ? (
                <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">Nothing was rejected in this period.</p>
              ) : (
                <ul className="mt-3 space-y-2 text-sm">
                  {rejections.map((r, i) => (
                    <li key={i} className="flex items-start gap-3">
                      <Badge tone="red">{r.status}</Badge>
                      <span className="min-w-0 flex-1 text-zinc-700 dark:text-zinc-300">{r.reason}</span>
                      <span className="tabular-nums text-zinc-500 dark:text-zinc-400">×{r.count}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          </div>

          <Card className="overflow-hidden">
            <h2 id="by-number" className="px-4 pt-4 text-sm font-semibold sm:px-6">
              By number
            </h2>
            <TableScroll labelledBy="by-number">
              <table className="mt-3 w-full min-w-[40rem] text-sm">
                <thead className="text-left text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
                  <tr>
                    <th scope="col" className="px-4 py-2 font-medium sm:px-6">Number</th>
                    <th scope="col" className="px-2 py-2 text-right font-medium">Deliveries</th>
                    <th scope="col" className="px-2 py-2 text-right font-medium">Messages</th>
                    <th scope="col" className="px-2 py-2 text-right font-medium">Retry rate</th>
                    <th scope="col" className="px-2 py-2 text-right font-medium">Rejected</th>
                    <th scope="col" className="px-2 py-2 text-right font-medium">Multi-part</th>
                    <th scope="col" className="px-2 py-2 text-right font-medium">Incomplete</th>
                    <th scope="col" className="px-4 py-2 text-right font-medium sm:px-6">Lag p50 / p95</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                  {numbers
                    .flatMap((number) => {
                      const summary = byNumber.find((row) => row.phoneNumberId === number.id);
                      return summary ? [{ number, summary }] : [];
                    })
                    .map(({ number, summary }) => (
                      <tr key={number.id}>
                        <th scope="row" className="px-4 py-2.5 text-left font-normal sm:px-6">
                          {/* On one line: on a phone the table scrolls rather than stacking the label in three. */}
                          <span className="flex items-center gap-2 whitespace-nowrap">
                            <span className="font-medium">{number.label}</span>
                            <Badge tone={PROVIDER_INFO[number.provider].tone}>{PROVIDER_INFO[number.provider].label}</Badge>
                          </span>
                        </th>
                        <td className="px-2 py-2.5 text-right tabular-nums">{summary.deliveries}</td>
                        <td className="px-2 py-2.5 text-right tabular-nums">{summary.messages}</td>
                        <td className="px-2 py-2.5 text-right tabular-nums">{percent(summary.duplicates, summary.deliveries)}</td>
                        <td className={cn("px-2 py-2.5 text-right tabular-nums", summary.rejected > 0 && "font-medium text-red-700 dark:text-red-400")}>{summary.rejected}</td>
                        <td className="px-2 py-2.5 text-right tabular-nums">{summary.multipart}</td>
                        <td className={cn("px-2 py-2.5 text-right tabular-nums", summary.incomplete > 0 && "font-medium text-amber-700 dark:text-amber-400")}>
                          {summary.incomplete}
                        </td>
                        <td className="px-4 py-2.5 text-right tabular-nums sm:px-6">
                          {formatSeconds(summary.lagMedianSeconds)} / {formatSeconds(summary.lagP95Seconds)}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </TableScroll>
          </Card>
        </>
      )}

      <Card className="p-4 sm:p-6">
        <h2 className="text-sm font-semibold">Time since the last message</h2>
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">A number that has been silent for a day may have lost its webhook URL in the provider&rsquo;s portal.</p>
        <ul className="mt-3 divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
          {silence.map((n) => {
            // Silence is measured up to now, whatever the period shown above.
            const silent = !n.lastMessageAt || now.getTime() - n.lastMessageAt.getTime() > SILENT_AFTER_MS;
            return (
              <li key={n.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5">
                <span className="font-medium">{n.label}</span>
                <Badge tone={PROVIDER_INFO[n.provider].tone}>{PROVIDER_INFO[n.provider].label}</Badge>
                <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{describePhoneNumber(n.e164).international}</span>
                <span className="ml-auto flex items-center gap-2">
                  {n.lastMessageAt ? <span className="text-zinc-600 dark:text-zinc-400">{formatAgo(now.getTime() - n.lastMessageAt.getTime())} ago</span> : <span className="text-zinc-500">never</span>}
                  {silent && <Badge tone="amber">Silent</Badge>}
                </span>
              </li>
            );
          })}
          {silence.length === 0 && <li className="py-2.5 text-zinc-500 dark:text-zinc-400">No numbers yet.</li>}
        </ul>
      </Card>
    </div>
  );
}

function Stat({ label, value, detail, tone }: { label: string; value: number | string; detail?: string; tone?: "red" | "amber" }) {
  return (
    <Card className="p-4">
      <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd
        className={cn(
          "mt-1 text-2xl font-semibold tabular-nums tracking-tight",
          tone === "red" && "text-red-600 dark:text-red-400",
          tone === "amber" && "text-amber-600 dark:text-amber-400",
        )}
      >
        {value}
      </dd>
      {detail && <dd className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{detail}</dd>}
    </Card>
  );
}

/**
 * Why the two first figures differ, said where they are: a disclosure (a <details>, so it opens
 * by keyboard, by touch and without JS, and screen readers announce it), not a hover tooltip.
 */
function DeliveriesAndMessages({ totals }: { totals: ReturnType<typeof sum> }) {
  const count = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
  return (
    <details className="group rounded-xl border border-zinc-200 bg-white px-4 py-3 text-sm shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <summary className="flex cursor-pointer list-none items-center gap-2 font-medium [&::-webkit-details-marker]:hidden">
        <ChevronRight className="size-4 shrink-0 text-zinc-500 transition-transform group-open:rotate-90 dark:text-zinc-400" aria-hidden="true" />
        Why {count(totals.deliveries, "delivery", "deliveries")} but {count(totals.messages, "message", "messages")}?
      </summary>
      <div className="mt-3 max-w-3xl space-y-2 pl-6 text-zinc-600 dark:text-zinc-400">
        <p>
          A <strong className="font-medium text-zinc-900 dark:text-zinc-100">delivery</strong> is one request a provider sent to a webhook URL. A{" "}
          <strong className="font-medium text-zinc-900 dark:text-zinc-100">message</strong> is what someone texted: what your team reads in the inbox. One is
          not the other:
        </p>
        <ul className="list-disc space-y-1 pl-5">
          <li>
            A provider that did not hear back in time <strong className="font-medium text-zinc-800 dark:text-zinc-200">retries</strong>: the same message in
            another delivery, stored once ({count(totals.duplicates, "retry", "retries")} in this period).
          </li>
          <li>
            A <strong className="font-medium text-zinc-800 dark:text-zinc-200">batch</strong> (some providers send them) carries several messages in one delivery.
          </li>
          <li>
            A <strong className="font-medium text-zinc-800 dark:text-zinc-200">long message</strong> arrives in parts, usually a delivery each, joined into
            one message ({count(totals.multipart, "multi-part message", "multi-part messages")} in this period).
          </li>
          <li>
            A <strong className="font-medium text-zinc-800 dark:text-zinc-200">rejected</strong> delivery, or one that carried no message (a delivery
            receipt), stores none ({count(totals.rejected, "rejected delivery", "rejected deliveries")} in this period).
          </li>
        </ul>
      </div>
    </details>
  );
}

type Summary = Awaited<ReturnType<typeof summarizeByProvider>>;

function sum(rows: Summary) {
  return rows.reduce(
    (t, r) => ({
      deliveries: t.deliveries + r.deliveries,
      duplicates: t.duplicates + r.duplicates,
      rejected: t.rejected + r.rejected,
      messages: t.messages + r.messages,
      multipart: t.multipart + r.multipart,
      incomplete: t.incomplete + r.incomplete,
    }),
    { deliveries: 0, duplicates: 0, rejected: 0, messages: 0, multipart: 0, incomplete: 0 },
  );
}

/** Across providers, the slowest provider's figure: the one worth worrying about. */
function median(rows: Summary) {
  return worst(rows.map((r) => r.lagMedianSeconds));
}
function p95(rows: Summary) {
  return worst(rows.map((r) => r.lagP95Seconds));
}
function worst(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
}

function percent(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 100)}%` : "0%";
}

function formatSeconds(seconds: number | null): string {
  if (seconds === null) return "—";
  const abs = Math.abs(seconds);
  if (abs < 1) return "<1 s";
  if (abs < 90) return `${Math.round(seconds)} s`;
  if (abs < 5400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

function formatAgo(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${Math.max(1, minutes)} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}
