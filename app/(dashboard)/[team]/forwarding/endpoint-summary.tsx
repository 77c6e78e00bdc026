import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import type { EndpointStats } from "@/lib/forwarding/endpoints";
import type { EditableEndpoint, NumberChoice } from "./endpoint-form";

/** The fields the controls need, and nothing more, to hand to the browser. */
export function editable(endpoint: EditableEndpoint & { enabled: boolean }): EditableEndpoint & { enabled: boolean } {
  const { id, url, description, eventTypes, phoneNumberIds, enabled } = endpoint;
  return { id, url, description, eventTypes, phoneNumberIds, enabled };
}

/** On, off, or turned off by Moshi (410 Gone, a day of failures). */
export function EndpointStatusBadge({ endpoint }: { endpoint: { enabled: boolean; disabledReason: string | null; failingSince: Date | null } }) {
  if (endpoint.enabled) return endpoint.failingSince ? <Badge tone="amber">Failing</Badge> : <Badge tone="green">On</Badge>;
  return endpoint.disabledReason ? <Badge tone="red">Turned off by Moshi</Badge> : <Badge>Off</Badge>;
}

/** Which events and numbers an endpoint receives, in words. */
export function EndpointFilters({ endpoint, numbers }: { endpoint: { eventTypes: string[]; phoneNumberIds: string[] }; numbers: NumberChoice[] }) {
  const chosen = numbers.filter((number) => endpoint.phoneNumberIds.includes(number.id));
  return (
    <>
      <Fact label="Events">
        {endpoint.eventTypes.length === 0 ? (
          "All events"
        ) : (
          <span className="flex flex-wrap gap-1">
            {endpoint.eventTypes.map((type) => (
              <Badge key={type} tone="brand" className="font-mono">
                {type}
              </Badge>
            ))}
          </span>
        )}
      </Fact>
      <Fact label="Numbers">{endpoint.phoneNumberIds.length === 0 ? "All numbers" : chosen.map((number) => number.label).join(", ") || "Numbers since deleted"}</Fact>
    </>
  );
}

/** The 7-day success rate and latency, and what is waiting or failed, as a description list's items. */
export function EndpointStatsFacts({ stats }: { stats: EndpointStats }) {
  return (
    <>
      <Fact label="Success, 7 days">
        {stats.successRate === null ? (
          <span className="text-zinc-500 dark:text-zinc-400">No attempts</span>
        ) : (
          <>
            <span className={stats.successRate < 0.8 ? "font-semibold text-red-700 dark:text-red-300" : "font-semibold"}>{formatRate(stats.successRate)}</span>
            <span className="text-zinc-500 dark:text-zinc-400"> of {stats.attempts.toLocaleString("en")}</span>
          </>
        )}
      </Fact>
      <Fact label="Latency p50 / p95">
        {stats.p50Ms === null || stats.p95Ms === null ? (
          <span className="text-zinc-500 dark:text-zinc-400">—</span>
        ) : (
          <span className="tabular-nums">
            {formatMs(stats.p50Ms)} / {formatMs(stats.p95Ms)}
          </span>
        )}
      </Fact>
      <Fact label="Waiting">{stats.pending.toLocaleString("en")}</Fact>
      <Fact label="Failed">
        <span className={stats.failed > 0 ? "font-semibold text-red-700 dark:text-red-300" : undefined}>{stats.failed.toLocaleString("en")}</span>
      </Fact>
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 text-sm text-zinc-900 dark:text-zinc-100">{children}</dd>
    </div>
  );
}

export function formatRate(rate: number): string {
  // 99.96 % is not 100 %: only a perfect record reads as one.
  const percent = rate * 100;
  return `${percent === 100 ? "100" : percent >= 99 ? percent.toFixed(1).replace("100.0", "99.9") : Math.round(percent)} %`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}
