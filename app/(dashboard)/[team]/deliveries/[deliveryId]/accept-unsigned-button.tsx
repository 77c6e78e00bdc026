"use client";

import { ShieldOff } from "lucide-react";
import Link from "next/link";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/actions";
import { acceptUnsignedAction, type ReplayResult } from "../actions";

/**
 * Accepts a delivery refused for its signature, after saying what that means. For the hour of
 * real messages that arrive between a secret changing at the provider and on the number.
 */
export function AcceptUnsignedButton({ team, deliveryId }: { team: string; deliveryId: string }) {
  const [open, setOpen] = useState(false);
  const [state, formAction] = useActionState<ActionState<ReplayResult>, FormData>(acceptUnsignedAction, { status: "idle" });
  return (
    <div className="space-y-3">
      <Dialog
        open={open}
        onOpenChange={setOpen}
        trigger={
          <Button variant="secondary">
            <ShieldOff className="size-4" aria-hidden="true" />
            Accept without a valid signature
          </Button>
        }
        title="Accept this delivery without a valid signature?"
        description="Its messages are stored as if the signature had matched, and the log records that you accepted it."
      >
        <form action={formAction} onSubmit={() => setOpen(false)} className="space-y-4 text-sm text-zinc-700 dark:text-zinc-300">
          <input type="hidden" name="team" value={team} />
          <input type="hidden" name="deliveryId" value={deliveryId} />
          <p>
            Do this only when you know the request came from your provider, for example because the signature secret changed at the provider before it changed
            here. Anyone who knows the webhook URL can send a request without a valid signature.
          </p>
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <SubmitButton pendingText="Accepting…">Accept and store</SubmitButton>
          </div>
        </form>
      </Dialog>
      {state.status === "error" && <Alert tone="error" title={state.error} />}
      {state.status === "success" && state.data && (
        <Alert tone={state.data.status === 200 ? "success" : "error"} title={state.data.status === 200 ? "Accepted" : `Not accepted: ${state.data.status}`}>
          <code className="break-all">{JSON.stringify(state.data.body)}</code>
          {state.data.deliveryId && (
            <>
              {" "}
              <Link href={`/${team}/deliveries/${state.data.deliveryId}`} className="font-medium underline">
                Open the accepted delivery
              </Link>
            </>
          )}
        </Alert>
      )}
    </div>
  );
}
