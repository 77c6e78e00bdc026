import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Select } from "@/components/ui/field";
import type { Provider } from "@/lib/generated/prisma/enums";
import { PROVIDER_INFO } from "@/lib/providers";

export type InboxFilter = { phoneNumberId: string | null; provider: Provider | null; unreadOnly: boolean };

/**
 * Chips for unread and provider, a select for the number. Chips are links and the select is a
 * GET form, so filtering works without JS and every filtered inbox has a URL to share.
 */
export function InboxFilters({
  filter,
  unreadCount,
  providers,
  numbers,
  hrefFor,
}: {
  filter: InboxFilter;
  unreadCount: number;
  providers: Provider[];
  numbers: { id: string; label: string; provider: Provider }[];
  hrefFor: (change: Partial<InboxFilter>) => string;
}) {
  return (
    <div className="flex flex-col gap-3 lg:flex-row lg:items-center lg:justify-between">
      <nav aria-label="Filter conversations" className="flex flex-wrap items-center gap-2">
        <Chip href={hrefFor({ unreadOnly: false })} active={!filter.unreadOnly}>
          All
        </Chip>
        <Chip href={hrefFor({ unreadOnly: true })} active={filter.unreadOnly}>
          Unread
          <span
            className={cn(
              "rounded-md px-1.5 text-xs tabular-nums",
              filter.unreadOnly ? "bg-white/20 text-white" : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
            )}
          >
            {unreadCount.toLocaleString("en")}
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
      </nav>

      {numbers.length > 1 && (
        <form method="get" className="flex items-center gap-2">
          {/* A number implies its provider, so the provider chip is not carried over. */}
          {filter.unreadOnly && <input type="hidden" name="unread" value="1" />}
          <label htmlFor="number-filter" className="shrink-0 text-sm text-zinc-600 dark:text-zinc-400">
            Number
          </label>
          <Select id="number-filter" name="number" defaultValue={filter.phoneNumberId ?? ""} className="min-w-0 flex-1 sm:w-60 sm:flex-none">
            <option value="">All numbers</option>
            {numbers.map((n) => (
              <option key={n.id} value={n.id}>
                {n.label} ({PROVIDER_INFO[n.provider].label})
              </option>
            ))}
          </Select>
          <button type="submit" className={buttonClass({ variant: "secondary" })}>
            Apply
          </button>
        </form>
      )}
    </div>
  );
}

function Chip({ href, active, children }: { href: string; active: boolean; children: ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={active ? "true" : undefined}
      className={cn(
        "inline-flex h-9 items-center gap-2 rounded-lg border px-3 text-sm font-medium shadow-sm transition-colors",
        active
          ? "border-brand-600 bg-brand-600 text-white dark:border-brand-500 dark:bg-brand-500/25 dark:text-white"
          : "border-zinc-200 bg-white text-zinc-700 hover:bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800",
      )}
    >
      {children}
    </Link>
  );
}
