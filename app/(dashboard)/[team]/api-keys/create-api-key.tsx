"use client";

import { Plus } from "lucide-react";
import Link from "next/link";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-button";
import { FormDialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import { type CreatedApiKey, createApiKeyAction } from "./actions";
import { SCOPE_CHOICES } from "./scopes";

export function CreateApiKeyButton({ team }: { team: string }) {
  return (
    <FormDialog
      title="Create an API key"
      description="Programs use it to read this team's messages through the REST API."
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden="true" />
          Create API key
        </Button>
      }
    >
      {({ close }) => <CreateApiKeyForm team={team} onDone={close} />}
    </FormDialog>
  );
}

function CreateApiKeyForm({ team, onDone }: { team: string; onDone: () => void }) {
  const [state, formAction] = useActionState<ActionState<CreatedApiKey>, FormData>(createApiKeyAction, { status: "idle" });
  // A refused form keeps the name that was typed and the access that was chosen.
  const { onSubmit, pending } = useKeptForm(formAction);
  if (state.status === "success" && state.data) return <ApiKeyReveal created={state.data} onDone={onDone} />;
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4" noValidate>
      <input type="hidden" name="team" value={team} />
      {state.status === "error" && !state.fieldErrors && <Alert tone="error" title={state.error} />}
      <Field id="api-key-name" label="Name" hint="What uses it, so you know which key to revoke later." error={errors.name}>
        {(props) => <Input {...props} name="name" placeholder="CRM sync" autoComplete="off" required maxLength={60} />}
      </Field>
      <fieldset aria-describedby={errors.scope ? "api-key-scope-error" : undefined} className="space-y-2">
        <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Access</legend>
        {SCOPE_CHOICES.map((choice) => (
          <label
            key={choice.scope}
            className="flex cursor-pointer gap-3 rounded-lg border border-zinc-200 p-3 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50/60 dark:border-zinc-700 dark:has-[:checked]:bg-brand-500/10"
          >
            <input type="radio" name="scope" value={choice.scope} defaultChecked={choice.scope === "READ"} className="mt-0.5 accent-brand-600" />
            <span>
              <span className="block font-medium">{choice.label}</span>
              <span className="block text-zinc-600 dark:text-zinc-400">{choice.description}</span>
            </span>
          </label>
        ))}
        {errors.scope && (
          <p id="api-key-scope-error" className="text-xs font-medium text-red-600 dark:text-red-400">
            {errors.scope}
          </p>
        )}
      </fieldset>
      <div className="flex justify-end gap-2 pt-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <SubmitButton pending={pending} pendingText="Creating…">
          Create key
        </SubmitButton>
      </div>
    </form>
  );
}

/** The key in clear, the only time it is ever readable. */
function ApiKeyReveal({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  return (
    <div className="space-y-4">
      <Alert tone="success" title={`API key “${created.name}” created`}>
        Copy it now: for your security Moshi stores only a hash and cannot show it again.
      </Alert>
      <CopyField value={created.secret} label="API key" />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Send it as <code className="font-mono text-xs">Authorization: Bearer …</code> with every request. The{" "}
        <Link href="/docs/api" className="font-medium text-brand-700 underline underline-offset-2 dark:text-brand-300">
          API reference
        </Link>{" "}
        lists what it can read.
      </p>
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
