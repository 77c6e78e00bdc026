import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { DeliverySummary } from "@/lib/data/deliveries";
import { explainDelivery } from "@/lib/deliveries/explain";
import { PROVIDER_INFO } from "@/lib/providers";
import { OutcomeBadge, StatusBadge } from "./delivery-badges";
import { LocalTime } from "@/components/ui/local-time";

/**
 * The log as one list of links. From `md` up each delivery is a two-line row (what happened in
 * the middle, when and where on the right); below it the same cells stack into a card.
 */
export function DeliveryList({ team, deliveries }: { team: string; deliveries: DeliverySummary[] }) {
  return (
    <ul aria-label="Deliveries" className="space-y-2 md:space-y-0 md:divide-y md:divide-zinc-200 md:overflow-hidden md:rounded-xl md:border md:border-zinc-200 md:bg-white md:shadow-sm dark:md:divide-zinc-800 dark:md:border-zinc-800 dark:md:bg-zinc-900">
      {deliveries.map((delivery) => (
        <li key={delivery.id}>
          <DeliveryRow team={team} delivery={delivery} />
        </li>
      ))}
    </ul>
  );
}

function DeliveryRow({ team, delivery }: { team: string; delivery: DeliverySummary }) {
  const explained = explainDelivery(delivery);
  const provider = PROVIDER_INFO[delivery.provider];
  return (
    <Link
      href={`/${team}/deliveries/${delivery.id}`}
      className="grid grid-cols-[minmax(0,1fr)_auto] gap-x-4 gap-y-1 rounded-xl border border-zinc-200 bg-white p-3 shadow-sm transition-colors hover:bg-zinc-50 md:grid-cols-[8.5rem_minmax(0,1fr)_auto] md:rounded-none md:border-0 md:px-5 md:py-3 md:shadow-none dark:border-zinc-800 dark:bg-zinc-900 dark:hover:bg-zinc-800/60"
    >
      <span className="col-start-1 row-start-1 flex flex-wrap items-center gap-1.5 md:row-span-2 md:flex-col md:items-start">
        <OutcomeBadge outcome={delivery.outcome} />
        <span className="flex items-center gap-1.5">
          <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{delivery.method}</span>
          <StatusBadge status={delivery.status} outcome={delivery.outcome} />
          {delivery.replayOfId && <Badge>{delivery.acceptedUnsignedAt ? "Accepted unsigned" : "Replay"}</Badge>}
        </span>
      </span>
      <LocalTime
        iso={delivery.receivedAt.toISOString()}
        className="col-start-2 row-start-1 self-start text-right text-xs tabular-nums text-zinc-500 md:col-start-3 md:self-center dark:text-zinc-400"
      />
      <span className="col-span-2 text-sm font-medium text-zinc-900 md:col-span-1 md:col-start-2 md:row-start-1 md:truncate dark:text-zinc-100">
        {explained.title}
      </span>
      <span className="col-span-2 line-clamp-2 text-xs text-zinc-600 md:col-span-1 md:col-start-2 md:row-start-2 md:line-clamp-none md:truncate dark:text-zinc-400">
        {summarize(delivery)}
      </span>
      <span className="col-span-2 flex min-w-0 items-center gap-2 text-xs md:col-span-1 md:col-start-3 md:row-start-2 md:justify-end">
        <span className="truncate font-medium text-zinc-700 dark:text-zinc-300" title={delivery.phoneNumber.e164}>
          {delivery.phoneNumber.label}
        </span>
        <Badge tone={provider.tone}>{provider.label}</Badge>
      </span>
    </Link>
  );
}

/** One line under the title: the recorded reason, or what a stored delivery added. */
function summarize(delivery: DeliverySummary): string {
  if (delivery.reason) return delivery.reason;
  if (delivery.outcome !== "STORED") return "—";
  const stored = `${delivery.storedCount} new SMS stored`;
  return delivery.duplicateCount > 0 ? `${stored}, ${delivery.duplicateCount} already stored` : stored;
}
