import { ArrowDownRight, ArrowUpRight, Hash } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/dashboard/page-header";
import { ReportFilters } from "@/components/dashboard/report-filters";
import { Badge, toneColor } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { TableScroll } from "@/components/ui/table-scroll";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { countKeywordsOverTime, listTeamKeywords, listTopKeywords } from "@/lib/data/keywords";
import { listNumbers } from "@/lib/data/numbers";
import { chartKeywordTones } from "@/lib/keyword-chart";
import { buildKeywordInboxHref, keywordTone } from "@/lib/keywords";
import { describePeriod, formatRange, periodSearchParams, resolveReportFilters } from "@/lib/periods";
import { OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from "@/lib/sms/keyword";
import { DeleteKeywordButton, NewKeywordForm } from "./keyword-forms";
import { KeywordTrendChart } from "./trend-chart";

export const metadata: Metadata = { title: "Keywords" };

const TREND_KEYWORDS = 5;

// GET /<team>/keywords - the first meaningful words customers text most, their trend, and the team's named keywords
export default async function KeywordsPage({ params, searchParams }: PageProps<"/[team]/keywords">) {
  const { team: slug } = await params;
  const { team, canManage } = await requireTeam(slug);
  const numbers = await listNumbers(db(), team.id);
  const filters = resolveReportFilters(await searchParams, numbers.map((n) => n.id));
  const { phoneNumberId, from, to, bucket } = filters;
  const range = { teamId: team.id, from, to, phoneNumberId };
  const [top, named] = await Promise.all([listTopKeywords(db(), range), listTeamKeywords(db(), team.id)]);
  const trendKeywords = top.slice(0, TREND_KEYWORDS).map((k) => k.keyword);
  const trend = await countKeywordsOverTime(db(), range, trendKeywords, bucket);
  // listTopKeywords compares with the period of the same length just before this one.
  const previous = { period: filters.period, from: new Date(from.getTime() - (to.getTime() - from.getTime())), to: from };
  // Every keyword opens the inbox filtered by it, with this page's number and period.
  const period = periodSearchParams(filters);
  const hrefFor = (keyword: string) => buildKeywordInboxHref(team.slug, keyword, { phoneNumberId, period });
  const namedByWord = new Map(named.map((k) => [k.word, k]));
  // Each charted keyword in its chip's colour, in the table and on the chart alike.
  const trendColors = new Map(chartKeywordTones(trendKeywords, (k) => namedByWord.get(k)?.color).map((tone, i) => [trendKeywords[i]!, toneColor(tone)]));
  const unnamedTop = top.find((k) => !namedByWord.has(k.keyword))?.keyword;

  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <PageHeader
        title="Keywords"
        description="The first meaningful word of every message, upper-cased (greetings and words such as I or just are skipped): what customers text most, and how that changes. Name the keywords that matter to your team so they stand out."
      />
      <ReportFilters
        basePath={`/${team.slug}/keywords`}
        filters={filters}
        numbers={numbers}
      />

      {top.length === 0 ? (
        <EmptyState icon={Hash} title={`No keywords ${describePeriod(filters)}`}>
          Keywords appear as messages arrive. Every message&rsquo;s first meaningful word counts, so there is nothing to set up.
        </EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-[1fr_1.2fr] lg:items-start">
          <Card className="overflow-hidden">
            <h2 id="top-keywords" className="px-4 pt-4 text-sm font-semibold sm:px-6">
              Top keywords
            </h2>
            <TableScroll labelledBy="top-keywords">
              <table className="mt-3 w-full text-sm">
                <thead className="text-left text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
                  <tr>
                    <th scope="col" className="px-4 py-2 font-medium sm:px-6">Keyword</th>
                    <th scope="col" className="px-2 py-2 text-right font-medium">Messages</th>
                    <th scope="col" className="px-4 py-2 text-right font-medium sm:px-6">vs previous period</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                  {top.map((k) => {
                    const name = namedByWord.get(k.keyword);
                    const color = trendColors.get(k.keyword);
                    return (
                      <tr key={k.keyword}>
                        <td className="px-4 py-2.5 sm:px-6">
                          <span className="flex flex-wrap items-center gap-2">
                            {color && <span aria-hidden="true" className="size-2.5 shrink-0 rounded-full" style={{ backgroundColor: color }} />}
                            <KeywordLink href={hrefFor(k.keyword)} keyword={k.keyword} className="text-[13px] font-medium" />
                            {name && <Badge tone={keywordTone(name.color)}>{name.label}</Badge>}
                            {!name && OPT_OUT_KEYWORDS.has(k.keyword) && <Badge tone="red">Opt-out</Badge>}
                            {!name && OPT_IN_KEYWORDS.has(k.keyword) && <Badge tone="green">Opt-in</Badge>}
                          </span>
                        </td>
                        <td className="px-2 py-2.5 text-right tabular-nums">{k.count}</td>
                        <td className="px-4 py-2.5 text-right sm:px-6">
                          <Change now={k.count} before={k.previousCount} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableScroll>
            <p className="px-4 py-3 text-xs text-zinc-500 dark:text-zinc-400 sm:px-6">
              Compared with the period of the same length just before: {formatRange(previous)} (UTC). Select a keyword to read its conversations.
            </p>
          </Card>
          <Card className="p-4 sm:p-6">
            <h2 className="mb-4 text-sm font-semibold">
              Trend of the top {trendKeywords.length} (per {bucket}, UTC)
            </h2>
            <KeywordTrendChart data={trend} bucket={bucket} keywords={trendKeywords.map((keyword) => ({ keyword, href: hrefFor(keyword), color: trendColors.get(keyword)! }))} />
          </Card>
        </div>
      )}

      <Card className="p-4 sm:p-6">
        <h2 className="text-sm font-semibold">Named keywords</h2>
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">A label and a colour turn a keyword into a chip, here and on messages.</p>
        {named.length > 0 ? (
          <ul className="mt-4 flex flex-wrap gap-2">
            {named.map((k) => (
              <li key={k.id} className="flex items-center gap-1 rounded-lg border border-zinc-200 py-1 pl-2 pr-1 dark:border-zinc-800">
                <KeywordLink href={hrefFor(k.word)} keyword={k.word} className="text-xs" />
                <Badge tone={keywordTone(k.color)}>{k.label}</Badge>
                {canManage && <DeleteKeywordButton team={team.slug} keywordId={k.id} word={k.word} />}
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">No named keywords yet.</p>
        )}
        {canManage ? (
          <div className="mt-5 border-t border-zinc-200 pt-5 dark:border-zinc-800">
            <NewKeywordForm team={team.slug} suggestion={unnamedTop} />
          </div>
        ) : (
          <p className="mt-4 text-xs text-zinc-500 dark:text-zinc-400">Owners and admins can name keywords.</p>
        )}
      </Card>
    </div>
  );
}

/** A keyword that opens the inbox filtered by it. */
function KeywordLink({ href, keyword, className }: { href: string; keyword: string; className?: string }) {
  return (
    <Link
      href={href}
      aria-label={`Open conversations with keyword ${keyword}`}
      className={cn(
        "break-all rounded font-mono text-brand-700 underline decoration-brand-300 underline-offset-2 hover:decoration-brand-600 focus-visible:outline-2 focus-visible:outline-brand-500 dark:text-brand-300 dark:decoration-brand-700",
        className,
      )}
    >
      {keyword}
    </Link>
  );
}

function Change({ now, before }: { now: number; before: number }) {
  if (before === 0) return <Badge tone="brand">New</Badge>;
  const change = Math.round(((now - before) / before) * 100);
  if (change === 0) return <span className="text-xs text-zinc-500 dark:text-zinc-400">no change</span>;
  const up = change > 0;
  return (
    <span className={`inline-flex items-center gap-0.5 text-xs font-medium tabular-nums ${up ? "text-emerald-700 dark:text-emerald-400" : "text-zinc-500 dark:text-zinc-400"}`}>
      {up ? <ArrowUpRight className="size-3.5" aria-hidden="true" /> : <ArrowDownRight className="size-3.5" aria-hidden="true" />}
      {up ? "+" : ""}
      {change}%
    </span>
  );
}
