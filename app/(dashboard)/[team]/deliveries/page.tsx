import { ScrollText } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { KeysetPage } from "@/components/dashboard/keyset-page";
import { PageHeader } from "@/components/dashboard/page-header";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { countDeliveriesByOutcome, DELIVERY_OUTCOMES, listDeliveries } from "@/lib/data/deliveries";
import { listNumbers } from "@/lib/data/numbers";
import { OUTCOME_INFO } from "@/lib/deliveries/explain";
import { providerNames } from "@/lib/providers";
import type { DeliveryOutcome } from "@/lib/generated/prisma/enums";
import { AcceptRefused } from "./accept-refused";
import { DeliveryList } from "./delivery-list";
import { NumberFilter } from "./number-filter";
import { OutcomeFilter } from "./outcome-filter";

export const metadata: Metadata = { title: "Delivery log" };

const PAGE_SIZE = 50;

// GET /<team>/deliveries - the team's webhook delivery log
export default async function DeliveriesPage({ params, searchParams }: PageProps<"/[team]/deliveries">) {
  const { team: slug } = await params;
  const { team, canManage } = await requireTeam(slug);
  const query = await searchParams;
  const numbers = await listNumbers(db(), team.id);
  const outcome = readOutcome(query.outcome);
  // Only the team's own numbers filter; anything else shows the whole log rather than an error.
  const phoneNumberId = typeof query.number === "string" && numbers.some((n) => n.id === query.number) ? query.number : null;
  const cursor = typeof query.cursor === "string" && query.cursor ? query.cursor : null;

  const [page, counts] = await Promise.all([
    listDeliveries(db(), { teamId: team.id, outcome, phoneNumberId, cursor, take: PAGE_SIZE }),
    countDeliveriesByOutcome(db(), team.id, { phoneNumberId }),
  ]);
  const hasAny = Object.values(counts).some((n) => n > 0);
  const base = `/${team.slug}/deliveries`;
  const hrefFor = (next: { outcome?: DeliveryOutcome | null; cursor?: string | null; number?: string | null }) => {
    const search = new URLSearchParams();
    const nextOutcome = next.outcome === undefined ? outcome : next.outcome;
    const nextNumber = next.number === undefined ? phoneNumberId : next.number;
    if (nextOutcome) search.set("outcome", nextOutcome.toLowerCase());
    if (nextNumber) search.set("number", nextNumber);
    if (next.cursor) search.set("cursor", next.cursor);
    return search.size ? `${base}?${search}` : base;
  };
  const filtered = Boolean(outcome || phoneNumberId);
  const numberLabel = numbers.find((n) => n.id === phoneNumberId)?.label;

  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader title="Delivery log" description="Every webhook request that reached one of your numbers, and what Moshi did with it." />

      {!hasAny && !filtered ? (
        <EmptyState
          icon={ScrollText}
          title="No deliveries yet"
          action={
            <Link href={`/${team.slug}/numbers`} className={buttonClass()}>
              {numbers.length ? "Copy a webhook URL" : "Add a number"}
            </Link>
          }
        >
          <p>
            {numbers.length
              ? "Copy a number's webhook URL from the Numbers page into your provider's portal, then text the number. Every request that reaches Moshi shows up here, whatever became of it."
              : `Add the numbers you rent from ${providerNames()}, then paste each one's webhook URL into the provider's portal.`}
          </p>
          <p className="mt-3">
            No provider at hand? Try <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">npm run sms:send -- &lt;webhook URL&gt;</code> or
            the <span className="font-medium">Test</span> button on a number.
          </p>
        </EmptyState>
      ) : (
        <div className="space-y-4">
          {/* The filter wraps under the chips whenever both do not fit on one line. */}
          <div className="flex flex-wrap items-center justify-between gap-3">
            <OutcomeFilter counts={counts} current={outcome} hrefFor={(o) => hrefFor({ outcome: o, cursor: null })} />
            {numbers.length > 1 && <NumberFilter numbers={numbers} current={phoneNumberId} outcomeParam={outcome?.toLowerCase() ?? null} />}
          </div>

          {canManage && counts.REJECTED > 0 && numbers.length > 0 && (
            <AcceptRefused team={team.slug} numbers={numbers.map(({ id, label, e164 }) => ({ id, label, e164 }))} />
          )}

          <KeysetPage
            noun="deliveries"
            empty={page.items.length === 0}
            olderPage={Boolean(cursor)}
            newestHref={hrefFor({ cursor: null })}
            allHref={base}
            nextHref={page.nextCursor ? hrefFor({ cursor: page.nextCursor }) : null}
            noneMatch={`Nothing ${outcome ? `${OUTCOME_INFO[outcome].label.toLowerCase()} ` : ""}has reached ${numberLabel ?? "your numbers"} yet.`}
            reachedEnd="You have reached the first delivery of this log."
            endText={`That is every delivery${filtered ? " matching these filters" : ""}.`}
          >
            <DeliveryList team={team.slug} deliveries={page.items} />
          </KeysetPage>
        </div>
      )}
    </div>
  );
}

/** `?outcome=` takes the outcome's name in any case; anything else means all outcomes. */
function readOutcome(value: string | string[] | undefined): DeliveryOutcome | null {
  if (typeof value !== "string") return null;
  const upper = value.toUpperCase();
  return DELIVERY_OUTCOMES.find((outcome) => outcome === upper) ?? null;
}
