import { BellRing, Mail } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { KeysetPage } from "@/components/dashboard/keyset-page";
import { PageHeader } from "@/components/dashboard/page-header";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { RelativeTime } from "@/components/ui/relative-time";
import { ALERT_RULE_LABELS, type AlertRule, describeHours, SILENT_AUTO } from "@/lib/alerts/rules";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { currentRecipients, getAlertSettings, listIncidentHistory, listOpenIncidents, numberSilences } from "@/lib/data/alerts";
import { forwardingConfig } from "@/lib/forwarding/config";
import { describePhoneNumber } from "@/lib/phone";
import { ChannelsForm, RulesForm, TestAlertButton } from "./alert-forms";

export const metadata: Metadata = { title: "Alerts" };

const PAGE_SIZE = 20;

type Incident = Awaited<ReturnType<typeof listOpenIncidents>>[number];

// GET /<team>/alerts - what fired, the rules and where alerts are sent - everyone reads, owner/admin change
export default async function AlertsPage({ params, searchParams }: PageProps<"/[team]/alerts">) {
  const { team: slug } = await params;
  const { team, canManage } = await requireTeam(slug);
  const query = await searchParams;
  const cursor = typeof query.cursor === "string" && query.cursor ? query.cursor : null;
  const settings = await getAlertSettings(db(), team.id);
  const [open, history, silences, recipients] = await Promise.all([
    listOpenIncidents(db(), team.id),
    listIncidentHistory(db(), { teamId: team.id, cursor, take: PAGE_SIZE }),
    numberSilences(db(), team.id, settings),
    currentRecipients(db(), team.id, []),
  ]);
  const base = `/${team.slug}/alerts`;
  const nothingYet = open.length === 0 && history.items.length === 0 && !cursor;

  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <PageHeader
        title="Alerts"
        description="Moshi checks every minute whether a number went quiet, deliveries or signatures are failing, or a forwarding endpoint fails, and tells the team once when an alert fires and again when it resolves."
        actions={
          <Link href={`${base}/mail`} className={buttonClass({ variant: "secondary" })}>
            <Mail className="size-4" aria-hidden="true" />
            Alert mail
          </Link>
        }
      />
      {!canManage && <Alert title="You have read-only access">Only owners and admins of {team.name} can change the rules and where alerts are sent.</Alert>}

      <section aria-labelledby="fired-heading" className="space-y-3">
        <h2 id="fired-heading" className="text-lg font-semibold">
          What fired
        </h2>
        {nothingYet ? (
          <EmptyState icon={BellRing} title="No alerts yet">
            <p>When a rule below fires, it shows here with what was seen, and stays open until its condition clears.</p>
          </EmptyState>
        ) : (
          <>
            {open.length > 0 && !cursor && (
              <ul aria-label="Open alerts" className="space-y-2">
                {open.map((incident) => (
                  <li key={incident.id}>
                    <IncidentCard incident={incident} />
                  </li>
                ))}
              </ul>
            )}
            {open.length === 0 && !cursor && <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing is open: every alert that fired has resolved.</p>}
            <h3 className="pt-2 text-sm font-semibold text-zinc-700 dark:text-zinc-300">Resolved</h3>
            {history.items.length === 0 && !cursor ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">No alert has resolved yet.</p>
            ) : (
              <KeysetPage
                noun="resolved alerts"
                empty={history.items.length === 0}
                olderPage={Boolean(cursor)}
                newestHref={base}
                allHref={base}
                nextHref={history.nextCursor ? `${base}?cursor=${history.nextCursor}` : null}
                noneMatch="No alert has resolved yet."
                reachedEnd="You have reached the first alert."
                endText="That is every alert that resolved."
              >
                <ul aria-label="Resolved alerts" className="space-y-2">
                  {history.items.map((incident) => (
                    <li key={incident.id}>
                      <IncidentCard incident={incident} />
                    </li>
                  ))}
                </ul>
              </KeysetPage>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="rules-heading" className="space-y-3">
        <h2 id="rules-heading" className="text-lg font-semibold">
          Rules
        </h2>
        <Card className="p-4 sm:p-6">
          <RulesForm team={team.slug} rules={settings} readOnly={!canManage} />
        </Card>
        <SilenceThresholds silences={silences} fixed={settings.silentHours} />
      </section>

      <section aria-labelledby="channels-heading" className="space-y-3">
        <h2 id="channels-heading" className="text-lg font-semibold">
          Where alerts are sent
        </h2>
        <Card className="p-4 sm:p-6">
          <ChannelsForm team={team.slug} channels={settings} defaultRecipients={recipients} readOnly={!canManage} allowLocal={forwardingConfig().allowNonPublic} />
        </Card>
        {canManage && (
          <Card className="space-y-2 p-4 sm:p-6">
            <h3 className="text-sm font-semibold">Try it</h3>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Sends a test alert through the channels saved above, now. Without <code>SMTP_URL</code> on the server, the mail is kept under{" "}
              <Link href={`${base}/mail`} className="font-medium text-brand-600 underline dark:text-brand-400">
                Alert mail
              </Link>{" "}
              instead of sent.
            </p>
            <TestAlertButton team={team.slug} />
          </Card>
        )}
      </section>
    </div>
  );
}

const RULE_TONES: Record<AlertRule, "amber" | "red" | "orange" | "violet"> = {
  silent_number: "amber",
  rejected_rate: "red",
  signature_failures: "orange",
  endpoint_failing: "violet",
};

function IncidentCard({ incident }: { incident: Incident }) {
  const rule = incident.rule as AlertRule;
  return (
    <Card className="p-4">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            {incident.resolvedAt ? <Badge tone="green">Resolved</Badge> : <Badge tone="red">Open</Badge>}
            <Badge tone={RULE_TONES[rule] ?? "neutral"}>{ALERT_RULE_LABELS[rule] ?? incident.rule}</Badge>
          </div>
          <p className="text-sm font-medium wrap-anywhere text-zinc-900 dark:text-zinc-100">{incident.summary}</p>
          {incident.resolvedAt && <p className="text-xs text-zinc-600 dark:text-zinc-400">Resolved: {incident.resolution ?? "the condition cleared"}.</p>}
        </div>
        <dl className="shrink-0 space-y-0.5 text-xs text-zinc-600 sm:text-right dark:text-zinc-400">
          <div>
            <dt className="inline">Fired </dt>
            <dd className="inline">
              <LocalTime iso={incident.firedAt.toISOString()} format="short" />
            </dd>
          </div>
          {incident.resolvedAt && (
            <div>
              <dt className="inline">Resolved </dt>
              <dd className="inline">
                <LocalTime iso={incident.resolvedAt.toISOString()} format="short" />
              </dd>
            </div>
          )}
        </dl>
      </div>
    </Card>
  );
}

function SilenceThresholds({ silences, fixed }: { silences: Awaited<ReturnType<typeof numberSilences>>; fixed: number | null }) {
  if (silences.length === 0) return null;
  return (
    // Scrolls sideways inside its card on a phone: focusable, so keyboards can scroll it too.
    <Card className="overflow-x-auto" tabIndex={0} role="region" aria-label="Silence threshold per number">
      <div className="space-y-1 p-4 pb-2 sm:px-6">
        <h3 className="text-sm font-semibold">When each number counts as quiet</h3>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          {fixed !== null
            ? `Every number: after ${describeHours(fixed)} without a message.`
            : `From each number's own traffic: ${SILENT_AUTO.factor} times its usual gap between messages (the 90th percentile over the last 14 days), at least ${SILENT_AUTO.minHours} hours and at most ${SILENT_AUTO.maxHours / 24} days. A number with fewer than ${SILENT_AUTO.minGaps + 1} messages in that time gets the ${SILENT_AUTO.maxHours / 24} days; one that never received anything never alerts.`}
        </p>
      </div>
      <table className="w-full min-w-[36rem] text-left text-sm">
        <caption className="sr-only">Silence threshold per number</caption>
        <thead className="border-y border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium sm:px-6">
              Number
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Last message
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Usual gap
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Quiet after
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {silences.map((number) => (
            <tr key={number.id}>
              <td className="px-4 py-2.5 sm:px-6">
                <div className="font-medium">{number.label}</div>
                <div className="text-xs text-zinc-500 dark:text-zinc-400">{describePhoneNumber(number.e164).international}</div>
              </td>
              <td className="px-4 py-2.5 whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                {number.lastAtMs === null ? "Never: does not alert" : <RelativeTime iso={new Date(number.lastAtMs).toISOString()} />}
              </td>
              <td className="px-4 py-2.5 whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                {number.p90GapMs !== null && number.gapCount >= SILENT_AUTO.minGaps ? describeGap(number.p90GapMs) : "Too few messages"}
              </td>
              <td className="px-4 py-2.5 whitespace-nowrap">{describeHours(number.threshold.hours)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function describeGap(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 90) return `${Math.max(1, minutes)} min`;
  const hours = ms / 3_600_000;
  return hours < 48 ? `${hours.toFixed(hours < 10 ? 1 : 0)} hours` : `${(hours / 24).toFixed(1)} days`;
}
