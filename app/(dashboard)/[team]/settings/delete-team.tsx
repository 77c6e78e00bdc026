"use client";

import { Trash2 } from "lucide-react";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import { deleteTeamAction } from "./actions";

/**
 * Deleting the team takes its name or slug typed exactly: the button stays disabled until it
 * matches, and the server checks it again.
 */
export function DeleteTeamForm({ team, name }: { team: string; name: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(deleteTeamAction, { status: "idle" });
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const { onSubmit, pending } = useKeptForm(formAction);
  const [typed, setTyped] = useState("");
  const matches = typed === name || typed === team;
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4" noValidate>
      <input type="hidden" name="team" value={team} />
      {state.status === "error" && !state.fieldErrors && <Alert tone="error" title={state.error} />}
      <div className="max-w-md">
        <Field
          id="delete-confirm"
          label={
            <>
              Type <span className="font-mono font-semibold">{name}</span> or <span className="font-mono font-semibold">{team}</span> to confirm
            </>
          }
          error={errors.confirm}
        >
          {(props) => <Input {...props} name="confirm" value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
      </div>
      <SubmitButton variant="danger" pending={pending} pendingText="Deleting the team…" disabled={!matches}>
        <Trash2 className="size-4" aria-hidden="true" />
        Delete this team
      </SubmitButton>
    </form>
  );
}
