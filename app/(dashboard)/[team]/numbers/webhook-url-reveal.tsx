"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-button";
import type { Provider } from "@/lib/generated/prisma/enums";
import { PROVIDER_INFO } from "@/lib/providers";
import type { WebhookUrlResult } from "./actions";

/** Shows a freshly issued webhook URL, the only time it is ever readable. */
export function WebhookUrlReveal({ result, provider, onDone, note }: { result: WebhookUrlResult; provider: Provider; onDone: () => void; note?: string }) {
  return (
    <div className="space-y-4">
      <Alert tone="success" title={`Webhook URL for ${result.label}`}>
        Copy it now: for your security Moshi stores only a hash and cannot show it again.
      </Alert>
      <CopyField value={result.webhookUrl} label="Webhook URL" />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{PROVIDER_INFO[provider].setup}</p>
      {note && <p className="text-sm text-zinc-600 dark:text-zinc-400">{note}</p>}
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
