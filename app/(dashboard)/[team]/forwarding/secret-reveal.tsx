"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-button";
import type { SecretResult } from "./actions";

/** Shows a freshly made signing secret, the only time it is ever readable. */
export function SecretReveal({ result, onDone, note }: { result: SecretResult; onDone: () => void; note?: string }) {
  return (
    <div className="space-y-4">
      <Alert tone="success" title="Signing secret">
        Copy it now: you will not see it again. Moshi keeps it encrypted and uses it only to sign the requests it sends to{" "}
        <span className="font-mono wrap-anywhere">{result.url}</span>.
      </Alert>
      <CopyField value={result.secret} label="Signing secret" />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Give it to the receiving code (an environment variable, say) and verify every request with it: the endpoint&rsquo;s page has code for TypeScript and
        Python.
      </p>
      {note && <p className="text-sm text-zinc-600 dark:text-zinc-400">{note}</p>}
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
