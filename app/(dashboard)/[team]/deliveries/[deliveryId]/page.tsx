import { ArrowLeft, ChevronRight, MessageSquare } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { type DeliveryDetail, getDelivery } from "@/lib/data/deliveries";
import { describeSignature, explainDelivery } from "@/lib/deliveries/explain";
import { describePhoneNumber } from "@/lib/phone";
import { isSignatureRefusal } from "@/lib/sms/replay";
import { PROVIDER_INFO } from "@/lib/providers";
import { OutcomeBadge, StatusBadge } from "../delivery-badges";
import { LocalTime } from "@/components/ui/local-time";
import { RawRequest } from "./raw-request";
import { AcceptUnsignedButton } from "./accept-unsigned-button";
import { ReplayButton } from "./replay-button";

export const metadata: Metadata = { title: "Delivery" };

// GET /<team>/deliveries/<deliveryId> - one delivery: what it meant, its facts and the raw request
export default async function DeliveryPage({ params }: PageProps<"/[team]/deliveries/[deliveryId]">) {
  const { team: slug, deliveryId } = await params;
  const { team, canManage } = await requireTeam(slug);
  const delivery = await getDelivery(db(), { teamId: team.id, deliveryId });
  if (!delivery) notFound();
  const explained = explainDelivery(delivery);
  const provider = PROVIDER_INFO[delivery.provider];
  const number = describePhoneNumber(delivery.phoneNumber.e164);

  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div>
        <Link
          href={`/${team.slug}/deliveries`}
          className="inline-flex items-center gap-1.5 text-sm font-medium text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
        >
          <ArrowLeft className="size-4" aria-hidden="true" />
          Delivery log
        </Link>
        <div className="mt-3 space-y-2">
          <h1 className="text-2xl font-semibold tracking-tight">{explained.title}</h1>
          <p className="flex flex-wrap items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
            <OutcomeBadge outcome={delivery.outcome} />
            <span className="font-mono text-xs">{delivery.method}</span>
            <StatusBadge status={delivery.status} outcome={delivery.outcome} />
            <span>
              from {provider.label} to {delivery.phoneNumber.label}, <LocalTime iso={delivery.receivedAt.toISOString()} />
            </span>
          </p>
        </div>
        {/* A delivery whose raw request is gone has nothing left to run again (the actions refuse it too). */}
        {canManage && !delivery.bodyPurgedAt && (
          <div className="mt-4 flex flex-wrap items-start gap-3">
            <ReplayButton team={team.slug} deliveryId={delivery.id} />
            {isSignatureRefusal(delivery) && <AcceptUnsignedButton team={team.slug} deliveryId={delivery.id} />}
          </div>
        )}
      </div>

      <Alert tone={explained.tone} title="What happened">
        <p>{explained.explanation}</p>
        {explained.fix && (
          <p className="mt-2">
            <span className="font-semibold">How to fix it: </span>
            {explained.fix}
          </p>
        )}
      </Alert>

      <Card className="p-4 sm:p-5">
        <h2 className="sr-only">Facts</h2>
        <dl className="grid gap-x-6 gap-y-4 text-sm sm:grid-cols-2 lg:grid-cols-3">
          <Fact label="Received">
            <LocalTime iso={delivery.receivedAt.toISOString()} format="full" />
          </Fact>
          <Fact label="Number">
            <span className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{delivery.phoneNumber.label}</span>
              <Badge tone={provider.tone}>{provider.label}</Badge>
            </span>
            <span className="mt-0.5 block font-mono text-xs text-zinc-500 dark:text-zinc-400">
              {number.international}
              {number.country && <span className="ml-1.5 font-sans">{number.country}</span>}
            </span>
          </Fact>
          <Fact label="Request">
            <span className="font-mono">{delivery.method}</span>
            <span className="ml-2 font-mono text-xs text-zinc-500 dark:text-zinc-400 wrap-anywhere">{delivery.contentType ?? "no content type"}</span>
          </Fact>
          <Fact label="Moshi answered">
            <span className="flex flex-wrap items-center gap-2">
              <StatusBadge status={delivery.status} outcome={delivery.outcome} />
              <span className="text-zinc-600 dark:text-zinc-400">in {delivery.durationMs.toLocaleString("en")} ms</span>
            </span>
          </Fact>
          <Fact label="Signature">
            <span className="block">{capitalize(describeSignature(delivery))}</span>
            {!delivery.signed && !provider.signs && (
              <span className="mt-0.5 block text-xs text-zinc-500 dark:text-zinc-400">{provider.label} does not sign; the secret URL is the credential.</span>
            )}
          </Fact>
          <Fact label="Messages">{describeCounts(delivery)}</Fact>
          {delivery.acceptedUnsignedAt && (
            <Fact label="Accepted without a valid signature">
              by {personName(delivery.acceptedUnsignedBy)}, <LocalTime iso={delivery.acceptedUnsignedAt.toISOString()} />
            </Fact>
          )}
          {delivery.replays.length > 0 && (
            <Fact label="Accepted later">
              {delivery.replays.map((replay) => (
                <span key={replay.id} className="block">
                  <Link href={`/${team.slug}/deliveries/${replay.id}`} className="font-medium text-brand-600 hover:underline dark:text-brand-400">
                    {replay.outcome === "STORED" ? "Stored" : replay.outcome === "DUPLICATE" ? "Already stored" : "Tried"}
                  </Link>{" "}
                  by {personName(replay.acceptedUnsignedBy)}, <LocalTime iso={replay.receivedAt.toISOString()} />
                </span>
              ))}
            </Fact>
          )}
          {delivery.replayOfId && (
            <Fact label="Replay of">
              <Link href={`/${team.slug}/deliveries/${delivery.replayOfId}`} className="font-medium text-brand-600 hover:underline dark:text-brand-400">
                the original delivery
              </Link>
            </Fact>
          )}
        </dl>
      </Card>

      <section aria-labelledby="stored-messages" className="space-y-3">
        <h2 id="stored-messages" className="text-base font-semibold">
          Messages it stored
        </h2>
        <StoredMessages team={team.slug} delivery={delivery} />
      </section>

      <section aria-labelledby="raw-request" className="space-y-3">
        <h2 id="raw-request" className="text-base font-semibold">
          Raw request
        </h2>
        <RawRequest delivery={delivery} teamSlug={team.slug} />
      </section>
    </div>
  );
}

function StoredMessages({ team, delivery }: { team: string; delivery: DeliveryDetail }) {
  if (delivery.messages.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-zinc-300 px-4 py-3 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        {delivery.outcome === "DUPLICATE"
          ? "Nothing new: every message in this delivery was stored by an earlier one, which is where it is linked from."
          : "No message was stored from this delivery."}
      </p>
    );
  }
  return (
    <Card className="divide-y divide-zinc-200 dark:divide-zinc-800">
      {delivery.messages.map((message) => (
        <Link
          key={message.id}
          href={`/${team}/inbox/${message.conversationId}`}
          className="flex items-center gap-3 px-4 py-3 transition-colors first:rounded-t-xl last:rounded-b-xl hover:bg-zinc-50 sm:px-5 dark:hover:bg-zinc-800/60"
        >
          <MessageSquare className="size-4 shrink-0 text-brand-600 dark:text-brand-400" aria-hidden="true" />
          <span className="min-w-0 flex-1">
            <span className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-medium">From {describePhoneNumber(message.from).international}</span>
              <MessageStatus message={message} />
            </span>
            <span className="mt-0.5 block truncate text-sm text-zinc-600 dark:text-zinc-400">
              {message.snippet ?? <span className="italic">binary message</span>}
            </span>
          </span>
          <ChevronRight className="size-4 shrink-0 text-zinc-400" aria-hidden="true" />
        </Link>
      ))}
    </Card>
  );
}

function MessageStatus({ message }: { message: DeliveryDetail["messages"][number] }) {
  const carried = message.partsExpected > 1 ? `${message.partIndexes.length > 1 ? "parts" : "part"} ${message.partIndexes.join(", ")} of ${message.partsExpected}` : null;
  return (
    <>
      {message.status === "COMPLETE" && <Badge tone="green">Complete</Badge>}
      {message.status === "PARTIAL" && (
        <Badge tone="sky">
          {message.partsReceived} of {message.partsExpected} parts received
        </Badge>
      )}
      {message.status === "INCOMPLETE" && <Badge tone="amber">Incomplete</Badge>}
      {carried && <span className="text-xs text-zinc-500 dark:text-zinc-400">this delivery: {carried}</span>}
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 text-zinc-900 dark:text-zinc-100">{children}</dd>
    </div>
  );
}

function describeCounts({ outcome, storedCount, duplicateCount }: DeliveryDetail): string {
  if (outcome === "REJECTED" || outcome === "IGNORED") return "None stored";
  const stored = `${storedCount} new SMS stored`;
  return duplicateCount > 0 ? `${stored}, ${duplicateCount} already stored before` : stored;
}

function personName(person: { name: string | null; email: string } | null): string {
  return person ? person.name || person.email : "a former member";
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
