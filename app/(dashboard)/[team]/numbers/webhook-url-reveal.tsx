"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-button";
import { LocalTime } from "@/components/ui/local-time";
import { Spinner } from "@/components/ui/spinner";
import { findFirstDeliveryAction, type FirstDelivery, type WebhookUrlResult } from "./actions";

/** How often the dialog after adding a number looks for its first delivery. */
const POLL_MS = 3_000;

/**
 * Shows a webhook URL with a copy button: freshly issued, or shown again to an owner or admin.
 * After a number is added (`waitFor`), it also waits for the first delivery and says what became
 * of it, so the team knows the provider's side is set up.
 */
export function WebhookUrlReveal({
  result,
  setup,
  onDone,
  note,
  waitFor,
}: {
  result: WebhookUrlResult;
  setup: string | null;
  onDone: () => void;
  note?: string;
  /** The team whose number it is, to wait for the number's first delivery. */
  waitFor?: { team: string };
}) {
  const local = isLocalOrigin(result.webhookUrl);
  return (
    <div className="space-y-4">
      <Alert tone="success" title={`Webhook URL for ${result.label}`}>
        Keep it secret: anyone who has it can post messages to this number. Owners and admins can show it again from the Numbers page.
      </Alert>
      <CopyField value={result.webhookUrl} label="Webhook URL" />
      {local && (
        <Alert tone="warning" title="Providers cannot reach this address">
          This URL points at your own machine, which no provider can call. Start a tunnel to your local port (for example{" "}
          <code className="font-mono text-xs">cloudflared tunnel --url http://localhost:3000</code> or <code className="font-mono text-xs">ngrok http 3000</code>), run Moshi
          with <code className="font-mono text-xs">MOSHI_PUBLIC_URL=https://&lt;your-tunnel-host&gt;</code>, then rotate this URL to get one with the tunnel&rsquo;s address.
        </Alert>
      )}
      {(setup ?? result.setup) && <p className="text-sm text-zinc-600 dark:text-zinc-400">{setup ?? result.setup}</p>}
      {note && <p className="text-sm text-zinc-600 dark:text-zinc-400">{note}</p>}
      {waitFor && <FirstDeliveryStatus team={waitFor.team} result={result} />}
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}

/** Waits for the number's first delivery, then says what Moshi made of it. */
function FirstDeliveryStatus({ team, result }: { team: string; result: WebhookUrlResult }) {
  const [delivery, setDelivery] = useState<FirstDelivery>(null);
  useEffect(() => {
    if (delivery) return;
    let stopped = false;
    const look = async () => {
      const found = await findFirstDeliveryAction(team, result.numberId, result.issuedAt).catch(() => null);
      if (!stopped && found) setDelivery(found);
    };
    const timer = setInterval(look, POLL_MS);
    void look();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [delivery, team, result.numberId, result.issuedAt]);

  if (!delivery) {
    return (
      <p role="status" className="flex items-center gap-2 rounded-lg border border-dashed border-zinc-300 p-3 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        <Spinner />
        Waiting for the first delivery: paste the URL into the provider&rsquo;s portal and send a text to the number.
      </p>
    );
  }
  const accepted = delivery.outcome === "STORED" || delivery.outcome === "DUPLICATE";
  return (
    <Alert tone={accepted ? "success" : "warning"} title={accepted ? "First delivery received and stored" : "First delivery received, but not stored"}>
      <LocalTime iso={delivery.receivedAt} format="short" />: Moshi answered {delivery.status}
      {delivery.reason && !accepted ? ` (${delivery.reason.length > 160 ? `${delivery.reason.slice(0, 160)}…` : delivery.reason})` : ""}.{" "}
      <Link href={`/${team}/deliveries/${delivery.id}`} className="font-medium underline underline-offset-2">
        See the delivery
      </Link>
    </Alert>
  );
}

/** Whether a URL's host is this machine (localhost, 127.0.0.0/8, ::1, 0.0.0.0). */
function isLocalOrigin(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host.endsWith(".localhost") || /^127\./.test(host) || host === "::1" || host === "0.0.0.0";
  } catch {
    return false;
  }
}
