"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import { signInAction } from "../actions";

export function SignInForm({ callbackUrl, defaultEmail }: { callbackUrl?: string; defaultEmail?: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(signInAction, { status: "idle" });
  const fieldErrors = state.status === "error" ? state.fieldErrors : undefined;
  // A refused sign-in keeps the email and the password: the browser holds them already.
  const { onSubmit, pending } = useKeptForm(formAction);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4" noValidate>
      {state.status === "error" && !fieldErrors && <Alert tone="error" title={state.error} />}
      <input type="hidden" name="callbackUrl" value={callbackUrl ?? ""} />
      <Field id="email" label="Email" error={fieldErrors?.email}>
        {(props) => <Input {...props} name="email" type="email" autoComplete="email" required defaultValue={defaultEmail} />}
      </Field>
      <Field id="password" label="Password" error={fieldErrors?.password}>
        {(props) => <Input {...props} name="password" type="password" autoComplete="current-password" required />}
      </Field>
      <SubmitButton className="w-full" pending={pending} pendingText="Signing in…">
        Sign in
      </SubmitButton>
    </form>
  );
}
