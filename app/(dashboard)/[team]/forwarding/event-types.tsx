import { Card } from "@/components/ui/card";
import { EVENT_TYPE_DESCRIPTIONS, EVENT_TYPES } from "@/lib/events/schema";

/** What each event type means, and what every request carries: a reference under the endpoints. */
export function EventTypes() {
  return (
    <section aria-labelledby="event-types" className="space-y-3">
      <h2 id="event-types" className="text-base font-semibold">
        Event types
      </h2>
      <Card className="divide-y divide-zinc-200 dark:divide-zinc-800">
        <dl className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {EVENT_TYPES.map((type) => (
            <div key={type} className="grid gap-1 px-4 py-3 sm:grid-cols-[12rem_1fr] sm:gap-4 sm:px-5">
              <dt className="font-mono text-sm font-medium">{type}</dt>
              <dd className="text-sm text-zinc-600 dark:text-zinc-400">{EVENT_TYPE_DESCRIPTIONS[type]}</dd>
            </div>
          ))}
        </dl>
        <p className="px-4 py-3 text-xs leading-relaxed text-zinc-600 sm:px-5 dark:text-zinc-400">
          Each event is a JSON document: <code className="font-mono">type</code>, <code className="font-mono">version</code>,{" "}
          <code className="font-mono">timestamp</code> and <code className="font-mono">data</code>. Its request carries the headers{" "}
          <code className="font-mono">webhook-id</code> (the event&rsquo;s id, the same on every retry: deduplicate on it),{" "}
          <code className="font-mono">webhook-timestamp</code> and <code className="font-mono">webhook-signature</code>. Events can arrive more than once and
          out of order.
        </p>
      </Card>
    </section>
  );
}
