import { KeyRound } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/dashboard/page-header";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TableScroll } from "@/components/ui/table-scroll";
import { RelativeTime } from "@/components/ui/relative-time";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { listApiKeys } from "@/lib/data/api-keys";
import { CreateApiKeyButton } from "./create-api-key";
import { RevokeApiKeyButton } from "./revoke-api-key";
import { SCOPE_LABELS } from "./scopes";

export const metadata: Metadata = { title: "API keys" };

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

// GET /<team>/api-keys - the team's keys for the REST API
export default async function ApiKeysPage({ params }: PageProps<"/[team]/api-keys">) {
  const { team: slug } = await params;
  const { team, canManage } = await requireTeam(slug);
  const keys = await listApiKeys(db(), team.id);
  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader
        title="API keys"
        description={
          <>
            Programs read {team.name}&apos;s messages, conversations and delivery log through the REST API with one of these keys. See the{" "}
            <Link href="/docs/api" className="font-medium text-brand-700 underline underline-offset-2 dark:text-brand-300">
              API reference
            </Link>
            .
          </>
        }
        // Always mounted: the dialog showing the new key must not vanish when the first key replaces the empty state.
        actions={canManage ? <CreateApiKeyButton team={team.slug} /> : undefined}
      />
      {!canManage && (
        <Alert className="mb-6" title="You have read-only access">
          Only owners and admins of {team.name} can create or revoke API keys.
        </Alert>
      )}
      {keys.length === 0 ? (
        <EmptyState icon={KeyRound} title="No API keys yet">
          {canManage
            ? "Use “Create API key” to give a program access to this team's data. The key is shown once; Moshi keeps only a fingerprint of it."
            : "When an owner or admin creates a key, it shows up here."}
        </EmptyState>
      ) : (
        <Card className="overflow-hidden">
          <TableScroll label="API keys">
            <table className="w-full min-w-[40rem] text-left text-sm">
              <caption className="sr-only">API keys of {team.name}</caption>
              <thead className="border-b border-zinc-200 bg-zinc-50 text-xs font-medium uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-zinc-400">
                <tr>
                  <th scope="col" className="px-5 py-2.5 font-medium">Name</th>
                  <th scope="col" className="px-3 py-2.5 font-medium">Access</th>
                  <th scope="col" className="px-3 py-2.5 font-medium">Created</th>
                  <th scope="col" className="px-3 py-2.5 font-medium">Last used</th>
                  <th scope="col" className="px-5 py-2.5 text-right font-medium">
                    <span className="sr-only">Status</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                {keys.map((key) => (
                  <tr key={key.id} className={key.revokedAt ? "text-zinc-500 dark:text-zinc-400" : undefined}>
                    <th scope="row" className="px-5 py-3.5 align-top font-normal">
                      <span className="block font-medium text-zinc-900 dark:text-zinc-100">{key.name}</span>
                      <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">moshi_{key.hint}</span>
                    </th>
                    <td className="px-3 py-3.5 align-top">
                      <Badge tone={key.scope === "READ_WRITE" ? "amber" : "neutral"}>{SCOPE_LABELS[key.scope]}</Badge>
                    </td>
                    <td className="px-3 py-3.5 align-top">
                      <time dateTime={key.createdAt.toISOString()}>{dateFormat.format(key.createdAt)}</time>
                      <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                        by {key.createdBy ? key.createdBy.name || key.createdBy.email : "a former member"}
                      </span>
                    </td>
                    <td className="px-3 py-3.5 align-top">{key.lastUsedAt ? <RelativeTime iso={key.lastUsedAt.toISOString()} /> : "Never"}</td>
                    <td className="px-5 py-3.5 text-right align-top">
                      {key.revokedAt ? (
                        <Badge tone="red">
                          Revoked <time dateTime={key.revokedAt.toISOString()}>{dateFormat.format(key.revokedAt)}</time>
                        </Badge>
                      ) : canManage ? (
                        <RevokeApiKeyButton team={team.slug} keyId={key.id} name={key.name} />
                      ) : (
                        <Badge tone="green">Active</Badge>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </Card>
      )}
    </div>
  );
}
