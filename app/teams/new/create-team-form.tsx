"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import { createTeamAction } from "./actions";

export function CreateTeamForm() {
  const [state, formAction] = useActionState<ActionState, FormData>(createTeamAction, { status: "idle" });
  const fieldErrors = state.status === "error" ? state.fieldErrors : undefined;
  // A refused name stays in the field.
  const { onSubmit, pending } = useKeptForm(formAction);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4" noValidate>
      {state.status === "error" && !fieldErrors && <Alert tone="error" title={state.error} />}
      <Field id="name" label="Team name" hint="Your company or department. You can invite teammates next." error={fieldErrors?.name}>
        {(props) => <Input {...props} name="name" required maxLength={60} autoComplete="organization" placeholder="Acme Support" autoFocus />}
      </Field>
      <SubmitButton className="w-full" pending={pending} pendingText="Creating team…">
        Create team
      </SubmitButton>
    </form>
  );
}
