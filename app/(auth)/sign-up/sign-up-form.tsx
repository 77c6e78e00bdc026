"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import { signUpAction } from "../actions";

export function SignUpForm({ invite }: { invite?: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(signUpAction, { status: "idle" });
  const fieldErrors = state.status === "error" ? state.fieldErrors : undefined;
  // A refused form keeps what was typed.
  const { onSubmit, pending } = useKeptForm(formAction);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4" noValidate>
      {state.status === "error" && !fieldErrors && <Alert tone="error" title={state.error} />}
      {invite && <input type="hidden" name="invite" value={invite} />}
      <Field id="name" label="Your name" error={fieldErrors?.name}>
        {(props) => <Input {...props} name="name" autoComplete="name" required maxLength={100} />}
      </Field>
      <Field id="email" label="Work email" error={fieldErrors?.email}>
        {(props) => <Input {...props} name="email" type="email" autoComplete="email" required />}
      </Field>
      <Field id="password" label="Password" hint="At least 10 characters." error={fieldErrors?.password}>
        {(props) => <Input {...props} name="password" type="password" autoComplete="new-password" required minLength={10} />}
      </Field>
      {!invite && (
        <Field id="teamName" label="Team name" hint="You can invite teammates next." error={fieldErrors?.teamName}>
          {(props) => <Input {...props} name="teamName" required maxLength={60} placeholder="Acme Support" />}
        </Field>
      )}
      <SubmitButton className="w-full" pending={pending} pendingText="Creating your account…">
        {invite ? "Create account and join" : "Create account"}
      </SubmitButton>
    </form>
  );
}
