import { Archive, Download, FlaskConical, Hash, Inbox, Search, X } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { type NumberOption, NumberSelect } from "@/components/dashboard/number-select";
import { PhoneFilters } from "@/components/dashboard/phone-filters";
import { Input } from "@/components/ui/field";
import type { UnreadCount } from "@/lib/data/conversations";
import type { Provider } from "@/lib/generated/prisma/enums";
import { type InboxFilter, MAX_SEARCH_LENGTH, MIN_SEARCH_LENGTH } from "@/lib/inbox";
import { PROVIDER_INFO } from "@/lib/providers";

/**
 * The inbox's filters, under the Open / Done switch (open is the default view). The search
 * box, keyword and number are a GET form and the chips are links, so filtering works without JS and every filtered inbox has a URL to share. Active
 * keyword and search filters show as chips with a button to drop each one.
 */
export function InboxFilters({
  filter,
  unreadCount,
  providers,
  numbers,
  keywords,
  searchTooShort,
  hrefFor,
  exportHref,
}: {
  filter: InboxFilter;
  /** Capped when a keyword or search is on: "100+". */
  unreadCount: UnreadCount;
  providers: Provider[];
  numbers: NumberOption[];
  /** Suggestions for the keyword box: the team's named keywords and recent ones. */
  keywords: { word: string; label?: string }[];
  searchTooShort: boolean;
  hrefFor: (change: Partial<InboxFilter>) => string;
  exportHref: string;
}) {
  return (
    <div className="space-y-3">
      <nav aria-label="Open or done conversations" className="inline-flex rounded-lg border border-zinc-200 bg-zinc-100 p-0.5 dark:border-zinc-800 dark:bg-zinc-900">
        <ViewTab href={hrefFor({ done: false })} active={!filter.done}>
          <Inbox className="size-4" aria-hidden="true" />
          Open
        </ViewTab>
        <ViewTab href={hrefFor({ done: true })} active={Boolean(filter.done)}>
          <Archive className="size-4" aria-hidden="true" />
          Done
        </ViewTab>
      </nav>
      <form method="get" role="search" aria-label="Search messages" className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-center">
        {/* The chips' filters travel with the form; a number implies its provider, so that is dropped. */}
        {filter.unreadOnly && <input type="hidden" name="unread" value="1" />}
        {filter.done && <input type="hidden" name="view" value="done" />}
        {filter.tests && <input type="hidden" name="tests" value="1" />}
        <PhoneFilters
          active={(filter.keyword ? 1 : 0) + (filter.phoneNumberId ? 1 : 0)}
          search={
            <div className="relative">
              <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-400" aria-hidden="true" />
              <label htmlFor="inbox-search" className="sr-only">
                Search message text
              </label>
              <Input
                id="inbox-search"
                type="search"
                name="q"
                defaultValue={filter.search ?? ""}
                placeholder="Search messages"
                maxLength={MAX_SEARCH_LENGTH}
                aria-describedby={searchTooShort ? "inbox-search-error" : undefined}
                aria-invalid={searchTooShort || undefined}
                className="pl-9"
              />
            </div>
          }
        >
          <label htmlFor="inbox-keyword" className="sr-only">
            Keyword
          </label>
          <Input
            id="inbox-keyword"
            name="keyword"
            list="inbox-keyword-options"
            defaultValue={filter.keyword ?? ""}
            placeholder="Keyword"
            autoComplete="off"
            spellCheck={false}
            maxLength={64}
            className="min-w-0 flex-1 uppercase placeholder:normal-case sm:w-36 sm:flex-none"
          />
          <datalist id="inbox-keyword-options">
            {keywords.map((k) => (
              <option key={k.word} value={k.word}>
                {k.label}
              </option>
            ))}
          </datalist>
          {numbers.length > 1 && (
            <>
              <label htmlFor="number-filter" className="sr-only">
                Number
              </label>
              <NumberSelect id="number-filter" numbers={numbers} current={filter.phoneNumberId} className="min-w-0 flex-1 sm:w-52 sm:flex-none" />
            </>
          )}
          {!filter.phoneNumberId && filter.provider && <input type="hidden" name="provider" value={filter.provider.toLowerCase()} />}
          <button type="submit" className={buttonClass({ variant: "secondary" })}>
            Apply
          </button>
        </PhoneFilters>
        {searchTooShort && (
          <p id="inbox-search-error" role="alert" className="w-full text-sm text-red-700 dark:text-red-400">
            Type at least {MIN_SEARCH_LENGTH} characters to search.
          </p>
        )}
      </form>

      <div className="flex items-center gap-2 sm:justify-between sm:gap-3">
        {/* On a phone one line that scrolls sideways on its own, edge to edge, rather than three lines above the list. */}
        <nav
          aria-label="Filter conversations"
          className="-my-1 -ml-4 flex min-w-0 flex-1 items-center gap-2 overflow-x-auto py-1 pl-4 sm:m-0 sm:flex-none sm:flex-wrap sm:overflow-visible sm:p-0"
        >
          <Chip href={hrefFor({ unreadOnly: false })} active={!filter.unreadOnly}>
            All
          </Chip>
          <Chip href={hrefFor({ unreadOnly: true })} active={filter.unreadOnly}>
            Unread
            <span
              className={cn(
                "rounded-md px-1.5 text-xs tabular-nums",
                filter.unreadOnly ? "bg-brand-700 text-white dark:bg-white/15" : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
              )}
            >
              {`${unreadCount.count.toLocaleString("en")}${unreadCount.capped ? "+" : ""}`}
            </span>
          </Chip>
          {providers.length > 1 && (
            <>
              <span aria-hidden="true" className="mx-1 hidden h-6 w-px bg-zinc-200 sm:block dark:bg-zinc-800" />
              {providers.map((provider) => {
                const active = filter.provider === provider;
                return (
                  // A second click on the active provider clears it, as a toggle would.
                  <Chip key={provider} href={hrefFor({ provider: active ? null : provider, phoneNumberId: null })} active={active}>
                    {PROVIDER_INFO[provider].label}
                  </Chip>
                );
              })}
            </>
          )}
          <span aria-hidden="true" className="mx-1 hidden h-6 w-px bg-zinc-200 sm:block dark:bg-zinc-800" />
          <Chip href={hrefFor({ tests: !filter.tests })} active={filter.tests}>
            <FlaskConical className="size-4" aria-hidden="true" />
            {filter.tests ? "Showing tests" : "Show tests"}
          </Chip>
          {filter.keyword && (
            <ActiveFilter removeHref={hrefFor({ keyword: null })} removeLabel={`Remove the keyword filter ${filter.keyword}`}>
              <Hash className="size-3.5" aria-hidden="true" />
              {filter.keyword}
            </ActiveFilter>
          )}
          {filter.search && (
            <ActiveFilter removeHref={hrefFor({ search: null })} removeLabel="Clear the search">
              <Search className="size-3.5" aria-hidden="true" />“{filter.search}”
            </ActiveFilter>
          )}
        </nav>
        <a href={exportHref} download className={buttonClass({ variant: "secondary", className: "px-3 sm:px-4" })}>
          <Download className="size-4" aria-hidden="true" />
          {/* An icon on a phone (with its name for screen readers), to leave the line to the filters. */}
          <span className="sr-only sm:not-sr-only">Export CSV</span>
        </a>
      </div>
    </div>
  );
}

/** One side of the Open / Done switch. */
function ViewTab({ href, active, children }: { href: string; active: boolean; children: ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "inline-flex h-8 items-center gap-1.5 rounded-md px-3 text-sm font-medium transition-colors",
        active
          ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-700 dark:text-white"
          : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100",
      )}
    >
      {children}
    </Link>
  );
}

function Chip({ href, active, children }: { href: string; active: boolean; children: ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={active ? "true" : undefined}
      className={cn(
        "inline-flex h-9 shrink-0 items-center gap-2 rounded-lg border px-3 text-sm font-medium shadow-sm transition-colors",
        active
          ? "border-brand-600 bg-brand-600 text-white dark:border-brand-500 dark:bg-brand-500/25 dark:text-white"
          : "border-zinc-200 bg-white text-zinc-700 hover:bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800",
      )}
    >
      {children}
    </Link>
  );
}

/** A filter in force (a keyword, a search) with a link that drops it. */
function ActiveFilter({ removeHref, removeLabel, children }: { removeHref: string; removeLabel: string; children: ReactNode }) {
  return (
    <span className="inline-flex h-9 max-w-full shrink-0 items-center gap-1.5 rounded-lg border border-brand-300 bg-brand-50 pr-1 pl-3 text-sm font-medium text-brand-800 dark:border-brand-500/40 dark:bg-brand-500/10 dark:text-brand-200">
      <span className="flex min-w-0 items-center gap-1 truncate">{children}</span>
      <Link href={removeHref} aria-label={removeLabel} title={removeLabel} className="rounded-md p-1 hover:bg-brand-100 dark:hover:bg-brand-500/20">
        <X className="size-3.5" aria-hidden="true" />
      </Link>
    </span>
  );
}
