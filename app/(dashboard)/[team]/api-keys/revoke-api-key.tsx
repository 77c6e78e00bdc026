"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogClose, FormDialog } from "@/components/ui/dialog";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/actions";
import { revokeApiKeyAction } from "./actions";

/** Revoking asks first: programs using the key stop working at once, and it cannot be undone. */
export function RevokeApiKeyButton({ team, keyId, name }: { team: string; keyId: string; name: string }) {
  return (
    <FormDialog
      title={`Revoke “${name}”?`}
      description="Requests with this key are refused from now on. A revoked key cannot be restored: create a new one instead."
      trigger={
        <Button variant="secondary" size="sm">
          Revoke<span className="sr-only"> {name}</span>
        </Button>
      }
    >
      {() => <RevokeForm team={team} keyId={keyId} />}
    </FormDialog>
  );
}

function RevokeForm({ team, keyId }: { team: string; keyId: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(revokeApiKeyAction, { status: "idle" });
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="keyId" value={keyId} />
      {state.status === "error" && <Alert tone="error" title={state.error} />}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <DialogClose asChild>
          <Button variant="secondary">Cancel</Button>
        </DialogClose>
        <SubmitButton variant="danger" pendingText="Revoking…">
          Revoke key
        </SubmitButton>
      </div>
    </form>
  );
}
