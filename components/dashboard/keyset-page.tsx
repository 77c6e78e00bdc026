import { ArrowLeft, ChevronDown, Filter } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

/**
 * One page of a newest-first list walked by cursor (the inbox, the delivery log): the way back
 * to the newest on an older page, the rows or why there are none, then "Load older" or word
 * that the list ends here.
 */
export function KeysetPage({
  noun,
  empty,
  olderPage,
  newestHref,
  allHref,
  nextHref,
  noneMatch,
  reachedEnd,
  endText,
  footer,
  children,
}: {
  /** Plural, lower-case: "conversations". */
  noun: string;
  /** Whether this page has no rows. */
  empty: boolean;
  /** Whether this is a page after the first (a cursor is in the URL). */
  olderPage: boolean;
  newestHref: string;
  /** The list without any filter. */
  allHref: string;
  /** The next page, or null on the last one. */
  nextHref: string | null;
  /** Why the filters found nothing, on the first page. */
  noneMatch: ReactNode;
  /** What an empty older page says: the list ended on the page before. */
  reachedEnd: string;
  /** Under the last page's rows. */
  endText: string;
  footer?: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      {olderPage && (
        <Link href={newestHref} className="inline-flex items-center gap-1.5 text-sm font-medium text-brand-600 hover:underline dark:text-brand-400">
          <ArrowLeft className="size-4" aria-hidden="true" />
          Back to the newest
        </Link>
      )}

      {empty ? (
        <EmptyState
          icon={Filter}
          title={olderPage ? `No older ${noun}` : `No ${noun} match these filters`}
          action={
            <Link href={olderPage ? newestHref : allHref} className={buttonClass({ variant: "secondary" })}>
              {olderPage ? "Back to the newest" : `Show all ${noun}`}
            </Link>
          }
        >
          {olderPage ? reachedEnd : noneMatch}
        </EmptyState>
      ) : (
        <>
          {children}
          <div className="flex flex-col items-center gap-3 pt-2 text-xs text-zinc-500 dark:text-zinc-400">
            {nextHref ? (
              <Link href={nextHref} className={buttonClass({ variant: "secondary" })}>
                <ChevronDown className="size-4" aria-hidden="true" />
                Load older
              </Link>
            ) : (
              <p>{endText}</p>
            )}
            {footer}
          </div>
        </>
      )}
    </>
  );
}
