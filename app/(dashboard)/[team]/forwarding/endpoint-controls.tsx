"use client";

import { Power, PowerOff, RefreshCw } from "lucide-react";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDeleteDialog } from "@/components/ui/confirm-delete-dialog";
import { FormDialog } from "@/components/ui/dialog";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/actions";
import { deleteEndpointAction, rotateSecretAction, type SecretResult, setEndpointEnabledAction } from "./actions";
import { EditEndpointButton, type EditableEndpoint, type NumberChoice } from "./endpoint-form";
import { SecretReveal } from "./secret-reveal";

/** What owners and admins can do to an endpoint: edit, turn off or on, rotate its secret, delete. */
export function EndpointControls({
  team,
  endpoint,
  numbers,
  allowLocal,
}: {
  team: string;
  endpoint: EditableEndpoint & { enabled: boolean };
  numbers: NumberChoice[];
  allowLocal: boolean;
}) {
  return (
    <>
      <EditEndpointButton team={team} endpoint={endpoint} numbers={numbers} allowLocal={allowLocal} />
      <ToggleButton team={team} endpointId={endpoint.id} enabled={endpoint.enabled} />
      <RotateDialog team={team} endpointId={endpoint.id} />
      <DeleteDialog team={team} endpoint={endpoint} />
    </>
  );
}

function ToggleButton({ team, endpointId, enabled }: { team: string; endpointId: string; enabled: boolean }) {
  const [state, formAction] = useActionState<ActionState, FormData>(setEndpointEnabledAction, { status: "idle" });
  return (
    <form action={formAction}>
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="endpointId" value={endpointId} />
      <input type="hidden" name="enabled" value={String(!enabled)} />
      <SubmitButton variant="secondary" size="sm" pendingText={enabled ? "Turning off…" : "Turning on…"}>
        {enabled ? <PowerOff className="size-4" aria-hidden="true" /> : <Power className="size-4" aria-hidden="true" />}
        {enabled ? "Turn off" : "Turn on"}
      </SubmitButton>
      {state.status === "error" && <p className="mt-1 text-xs text-red-600 dark:text-red-400">{state.error}</p>}
    </form>
  );
}

function RotateDialog({ team, endpointId }: { team: string; endpointId: string }) {
  return (
    <FormDialog
      title="Rotate the signing secret?"
      description="Moshi makes a new secret and shows it once. For 24 hours the old one keeps signing too (each request carries both signatures), so your receiver can switch to the new one without refusing any event."
      trigger={
        <Button variant="secondary" size="sm">
          <RefreshCw className="size-4" aria-hidden="true" />
          Rotate secret
        </Button>
      }
    >
      {({ close }) => <RotateForm team={team} endpointId={endpointId} onDone={close} />}
    </FormDialog>
  );
}

function RotateForm({ team, endpointId, onDone }: { team: string; endpointId: string; onDone: () => void }) {
  const [state, formAction] = useActionState<ActionState<SecretResult>, FormData>(rotateSecretAction, { status: "idle" });
  if (state.status === "success" && state.data) {
    return <SecretReveal result={state.data} onDone={onDone} note="The old secret keeps signing for 24 hours: update your receiver before then." />;
  }
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="endpointId" value={endpointId} />
      {state.status === "error" && <Alert tone="error" title={state.error} />}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <SubmitButton pendingText="Rotating…">Rotate secret</SubmitButton>
      </div>
    </form>
  );
}

function DeleteDialog({ team, endpoint }: { team: string; endpoint: EditableEndpoint }) {
  return (
    <ConfirmDeleteDialog
      action={deleteEndpointAction}
      fields={{ team, endpointId: endpoint.id }}
      title="Delete this endpoint?"
      description={
        <>
          Moshi stops sending events to <span className="font-mono wrap-anywhere">{endpoint.url}</span> at once. Events still waiting for it and its history of
          attempts are deleted with it.
        </>
      }
      confirmLabel="Delete endpoint"
    />
  );
}
