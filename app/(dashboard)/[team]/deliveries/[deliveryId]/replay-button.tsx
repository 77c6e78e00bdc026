"use client";

import { RotateCcw } from "lucide-react";
import Link from "next/link";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/actions";
import { replayDeliveryAction, type ReplayResult } from "../actions";

/** Replays the delivery and says what happened; replaying a stored message adds nothing. */
export function ReplayButton({ team, deliveryId }: { team: string; deliveryId: string }) {
  const [state, formAction] = useActionState<ActionState<ReplayResult>, FormData>(replayDeliveryAction, { status: "idle" });
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="deliveryId" value={deliveryId} />
      <SubmitButton variant="secondary" pendingText="Replaying…">
        <RotateCcw className="size-4" aria-hidden="true" />
        Replay
      </SubmitButton>
      {state.status === "error" && <Alert tone="error" title={state.error} />}
      {state.status === "success" && state.data && (
        <Alert tone={state.data.status === 200 ? "success" : "error"} title={`Replayed: ${state.data.status}`}>
          <code className="break-all">{JSON.stringify(state.data.body)}</code>
          {state.data.deliveryId && (
            <>
              {" "}
              <Link href={`/${team}/deliveries/${state.data.deliveryId}`} className="font-medium underline">
                Open the replay
              </Link>
            </>
          )}
        </Alert>
      )}
    </form>
  );
}
