"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-button";
import type { WebhookUrlResult } from "./actions";

/** Shows a freshly issued webhook URL, the only time it is ever readable. */
export function WebhookUrlReveal({ result, setup, onDone, note }: { result: WebhookUrlResult; setup: string | null; onDone: () => void; note?: string }) {
  return (
    <div className="space-y-4">
      <Alert tone="success" title={`Webhook URL for ${result.label}`}>
        Copy it now: for your security Moshi stores only a hash and cannot show it again.
      </Alert>
      <CopyField value={result.webhookUrl} label="Webhook URL" />
      {(setup ?? result.setup) && <p className="text-sm text-zinc-600 dark:text-zinc-400">{setup ?? result.setup}</p>}
      {note && <p className="text-sm text-zinc-600 dark:text-zinc-400">{note}</p>}
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
