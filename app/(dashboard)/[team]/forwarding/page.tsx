import { ChevronRight, Webhook } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/dashboard/page-header";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { listNumbers } from "@/lib/data/numbers";
import { forwardingConfig } from "@/lib/forwarding/config";
import { type EndpointSummary, listEndpoints } from "@/lib/forwarding/endpoints";
import { EndpointControls } from "./endpoint-controls";
import { AddEndpointButton, type NumberChoice } from "./endpoint-form";
import { EndpointFilters, EndpointStatsFacts, EndpointStatusBadge, editable } from "./endpoint-summary";
import { EventTypes } from "./event-types";

export const metadata: Metadata = { title: "Forwarding" };

// GET /<team>/forwarding - the team's forwarding endpoints and how each is doing
export default async function ForwardingPage({ params }: PageProps<"/[team]/forwarding">) {
  const { team: slug } = await params;
  const { team, canManage } = await requireTeam(slug);
  const [endpoints, numbers] = await Promise.all([listEndpoints(db(), team.id), listNumbers(db(), team.id)]);
  const choices: NumberChoice[] = numbers.map(({ id, label, e164 }) => ({ id, label, e164 }));
  const allowLocal = forwardingConfig().allowNonPublic;
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <PageHeader
        title="Forwarding"
        description="Moshi sends what happens on your numbers (a message received, a sender opting out, a request refused) to your own systems, as signed HTTPS requests, and retries until they answer."
        // Kept mounted when the first endpoint replaces the empty state: it shows the new secret.
        actions={canManage ? <AddEndpointButton team={team.slug} numbers={choices} allowLocal={allowLocal} /> : undefined}
      />
      {!canManage && (
        <Alert title="You have read-only access">Only owners and admins of {team.name} can add, change or test endpoints.</Alert>
      )}
      {endpoints.length === 0 ? (
        <EmptyState icon={Webhook} title="No endpoints yet">
          <p>
            An endpoint is a URL of yours that receives each event as a POST with a JSON body, signed the{" "}
            <a href="https://www.standardwebhooks.com" className="font-medium text-brand-600 underline dark:text-brand-400">
              Standard Webhooks
            </a>{" "}
            way. Moshi retries for 24 hours until it answers 2xx, and shows every attempt here.
          </p>
          <p className="mt-3">
            {canManage ? "To try it on your machine, run " : "To try forwarding locally, an owner or admin can run "}
            <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">npm run events:listen</code>
            {canManage ? ", add the URL it prints with “Add endpoint”, then send a test event." : " and add the URL it prints."}
          </p>
        </EmptyState>
      ) : (
        <ul aria-label="Endpoints" className="space-y-3">
          {endpoints.map((endpoint) => (
            <li key={endpoint.id}>
              <EndpointCard team={team.slug} endpoint={endpoint} numbers={choices} canManage={canManage} allowLocal={allowLocal} />
            </li>
          ))}
        </ul>
      )}
      <EventTypes />
    </div>
  );
}

function EndpointCard({ team, endpoint, numbers, canManage, allowLocal }: { team: string; endpoint: EndpointSummary; numbers: NumberChoice[]; canManage: boolean; allowLocal: boolean }) {
  return (
    <Card className="p-4 sm:p-5">
      <div className="flex flex-col gap-4 lg:flex-row lg:items-start lg:justify-between">
        <div className="min-w-0 space-y-1.5">
          <div className="flex flex-wrap items-center gap-2">
            <EndpointStatusBadge endpoint={endpoint} />
            {endpoint.description && <span className="text-sm font-medium text-zinc-700 dark:text-zinc-300">{endpoint.description}</span>}
          </div>
          <h2 className="font-mono text-sm font-semibold wrap-anywhere">
            <Link href={`/${team}/forwarding/${endpoint.id}`} className="inline-flex items-start gap-1 text-zinc-900 hover:text-brand-700 hover:underline dark:text-zinc-100 dark:hover:text-brand-300">
              {endpoint.url}
              <ChevronRight className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            </Link>
          </h2>
          {!endpoint.enabled && endpoint.disabledReason && <p className="text-sm text-red-700 dark:text-red-300">Turned off by Moshi: {endpoint.disabledReason}</p>}
        </div>
        {canManage && (
          <div className="flex shrink-0 flex-wrap gap-2">
            <EndpointControls team={team} endpoint={editable(endpoint)} numbers={numbers} allowLocal={allowLocal} />
          </div>
        )}
      </div>
      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 border-t border-zinc-200 pt-4 sm:grid-cols-3 lg:grid-cols-6 dark:border-zinc-800">
        <EndpointFilters endpoint={endpoint} numbers={numbers} />
        <EndpointStatsFacts stats={endpoint.stats} />
      </dl>
    </Card>
  );
}
