import { ArrowLeft, Inbox } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { LiveUpdates } from "@/components/dashboard/live-updates";
import { KeysetPage } from "@/components/dashboard/keyset-page";
import { PageHeader } from "@/components/dashboard/page-header";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { countUnreadConversations, listConversations } from "@/lib/data/conversations";
import { listRecentKeywords, listTeamKeywords } from "@/lib/data/keywords";
import { listNumbers } from "@/lib/data/numbers";
import { type InboxFilter, inboxSearchParams, isFiltered, readInboxFilter } from "@/lib/inbox";
import { describePeriodShort, periodSearchParams, resolveReportFilters } from "@/lib/periods";
import { PROVIDER_INFO, PROVIDERS, providerNames } from "@/lib/providers";
import { ConversationList } from "./conversation-list";
import { InboxFilters } from "./inbox-filters";

export const metadata: Metadata = { title: "Inbox" };

const PAGE_SIZE = 30;

// GET /<team>/inbox - open conversations, newest first; ?view=done &tests=1 &q= &keyword= &number= &provider= &unread=1 &cursor=
// (and ?period= &from= &to= from the keywords page, only to link back to it)
export default async function InboxPage({ params, searchParams }: PageProps<"/[team]/inbox">) {
  const { team: slug } = await params;
  const { team, user, canManage } = await requireTeam(slug);
  const query = await searchParams;
  const numbers = await listNumbers(db(), team.id);
  // Only the team's own numbers filter; anything unreadable shows every conversation, not an error.
  const { filter, searchTooShort } = readInboxFilter(query, numbers.map((n) => n.id));
  const cursor = typeof query.cursor === "string" && query.cursor ? query.cursor : null;

  const now = new Date();
  const [page, unreadCount, named, recent] = await Promise.all([
    listConversations(db(), { teamId: team.id, userId: user.id, ...filter, cursor, take: PAGE_SIZE, now }),
    countUnreadConversations(db(), { teamId: team.id, userId: user.id, ...filter }),
    listTeamKeywords(db(), team.id),
    listRecentKeywords(db(), team.id),
  ]);

  const base = `/${team.slug}/inbox`;
  const hrefFor = (change: Partial<InboxFilter> & { cursor?: string | null }) => {
    const { cursor: nextCursor = null, ...rest } = change;
    const search = inboxSearchParams({ ...filter, ...rest }, nextCursor);
    return search.size ? `${base}?${search}` : base;
  };
  const exportSearch = inboxSearchParams(filter);
  const exportHref = `${base}/export${exportSearch.size ? `?${exportSearch}` : ""}`;
  const filtered = isFiltered(filter);
  const threadQuery = inboxSearchParams(filter).toString();
  const providers = PROVIDERS.filter((p) => numbers.some((n) => n.provider === p));
  // A keyword opened from the keywords page brings that page's period along: the inbox has none
  // of its own (it lists conversations of any date), so it only links back to the same keywords.
  const fromKeywords = typeof query.period === "string" ? resolveReportFilters(query, numbers.map((n) => n.id)) : null;
  const keywordsHref = fromKeywords && `/${team.slug}/keywords?${periodSearchParams(fromKeywords)}${filter.phoneNumberId ? `&number=${encodeURIComponent(filter.phoneNumberId)}` : ""}`;
  const keywordOptions = [
    ...named.map((k) => ({ word: k.word, label: k.label })),
    ...recent.filter((word) => !named.some((n) => n.word === word)).map((word) => ({ word })),
  ];

  return (
    <div className="mx-auto max-w-5xl">
      <LiveUpdates team={team.slug} />
      <PageHeader title="Inbox" listFirst description="What your customers texted to your numbers, one conversation per sender and number, the most recent first." />

      {page.items.length === 0 && !filtered && !cursor && !searchTooShort && !filter.done && !filter.tests && (await isEmptyTeam(team.id)) ? (
        <NothingYet team={team.slug} hasNumbers={numbers.length > 0} canManage={canManage} />
      ) : (
        <div className="space-y-4">
          {fromKeywords && keywordsHref && (
            <p className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
              <Link href={keywordsHref} className="inline-flex items-center gap-1 self-center font-medium text-brand-700 hover:underline dark:text-brand-300">
                <ArrowLeft className="size-4" aria-hidden="true" />
                Back to keywords ({describePeriodShort(fromKeywords)})
              </Link>
              <span className="text-zinc-500 dark:text-zinc-400">The inbox lists conversations of any date.</span>
            </p>
          )}
          <InboxFilters
            filter={filter}
            unreadCount={unreadCount}
            providers={providers}
            numbers={numbers}
            keywords={keywordOptions}
            searchTooShort={searchTooShort}
            hrefFor={(change) => hrefFor({ ...change, cursor: null })}
            exportHref={exportHref}
          />

          <KeysetPage
            noun="conversations"
            empty={page.items.length === 0}
            olderPage={Boolean(cursor)}
            newestHref={hrefFor({ cursor: null })}
            allHref={base}
            nextHref={page.nextCursor ? hrefFor({ cursor: page.nextCursor }) : null}
            noneMatch={describeEmptyFilter(filter, numbers)}
            reachedEnd="You have reached the oldest conversation."
            endText={`That is every ${filter.done ? "done" : "open"} conversation${filtered ? " matching these filters" : ""}.`}
            footer={
              <p className="hidden sm:block">
                Press <Kbd>↓</Kbd> <Kbd>↑</Kbd> or <Kbd>j</Kbd> <Kbd>k</Kbd> to move between conversations and <Kbd>Enter</Kbd> to open one; in a conversation,{" "}
                <Kbd>j</Kbd> <Kbd>k</Kbd> go to the next and previous, <Kbd>e</Kbd> marks it done and <Kbd>u</Kbd> unread.
              </p>
            }
          >
            <ConversationList team={team.slug} conversations={page.items} highlight={filter.search} query={threadQuery} />
          </KeysetPage>
        </div>
      )}
    </div>
  );
}

/** A team's first visit: where messages come from, and the one place to set that up. */
function NothingYet({ team, hasNumbers, canManage }: { team: string; hasNumbers: boolean; canManage: boolean }) {
  return (
    <EmptyState
      icon={Inbox}
      title="No messages yet"
      action={
        <Link href={`/${team}/numbers`} className={buttonClass()}>
          {hasNumbers ? "Copy a webhook URL from Numbers" : canManage ? "Add a number" : "Open Numbers"}
        </Link>
      }
    >
      <p>
        {hasNumbers
          ? "Copy a number's webhook URL from the Numbers page into your provider's portal, then text the number. Every message your customers send shows up here."
          : canManage
            ? `Add the numbers you rent from ${providerNames()}, then paste each one's webhook URL into the provider's portal. Every message your customers send shows up here.`
            : "An owner or admin of this team adds its numbers and pastes their webhook URLs into the providers' portals. Messages show up here from then on."}
      </p>
      {hasNumbers && canManage && (
        <p className="mt-3">
          To check the setup first, use the <span className="font-medium">Test</span> button next to a number.
        </p>
      )}
    </EmptyState>
  );
}

/** No conversation at all, test threads included: the team's first visit, not an inbox worked through. */
async function isEmptyTeam(teamId: string): Promise<boolean> {
  return (await db().conversation.findFirst({ where: { teamId }, select: { id: true } })) === null;
}

function describeEmptyFilter(filter: InboxFilter, numbers: { id: string; label: string }[]): string {
  const where = numbers.find((n) => n.id === filter.phoneNumberId)?.label ?? (filter.provider ? `your ${PROVIDER_INFO[filter.provider].label} numbers` : "your numbers");
  if (filter.done && !filter.search && !filter.keyword) {
    return filter.unreadOnly ? `No done conversation on ${where} has anything unread.` : `Nothing on ${where} is marked done yet. Mark a conversation done when it needs nothing more; a new message opens it again.`;
  }
  if (!filter.done && !filter.search && !filter.keyword && !filter.unreadOnly) {
    return `Inbox zero: every conversation on ${where} is done. A new message opens its conversation again.`;
  }
  if (filter.search || filter.keyword) {
    const what = [filter.keyword && `the keyword ${filter.keyword}`, filter.search && `“${filter.search}”`].filter(Boolean).join(" and ");
    return `No ${filter.unreadOnly ? "unread " : ""}message on ${where} has ${what}. Search looks for the words anywhere in a message; try fewer of them.`;
  }
  return filter.unreadOnly ? `Everything on ${where} has been read.` : `Nobody has texted ${where} yet.`;
}

function Kbd({ children }: { children: string }) {
  return (
    <kbd className="rounded border border-zinc-300 bg-white px-1 font-mono text-[11px] text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">{children}</kbd>
  );
}
