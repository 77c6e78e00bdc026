"use client";

import { Plus } from "lucide-react";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormDialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import type { Provider } from "@/lib/generated/prisma/enums";
import type { ProviderForm } from "@/lib/providers";
import { createNumberAction, type WebhookUrlResult } from "./actions";
import { CredentialFields } from "./credential-fields";
import { WebhookUrlReveal } from "./webhook-url-reveal";

export function AddNumberButton({ team, forms }: { team: string; forms: ProviderForm[] }) {
  return (
    <FormDialog
      title="Add a number"
      description="Register a number you rent from a provider. Moshi gives it a secret webhook URL."
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden="true" />
          Add number
        </Button>
      }
    >
      {({ close }) => <AddNumberForm team={team} forms={forms} onDone={close} />}
    </FormDialog>
  );
}

function AddNumberForm({ team, forms, onDone }: { team: string; forms: ProviderForm[]; onDone: () => void }) {
  const [state, formAction] = useActionState<ActionState<WebhookUrlResult>, FormData>(createNumberAction, { status: "idle" });
  const [provider, setProvider] = useState<Provider>(forms[0]!.provider);
  const form = forms.find((candidate) => candidate.provider === provider) ?? forms[0]!;
  // A refused form keeps what was typed.
  const { onSubmit, pending } = useKeptForm(formAction);
  if (state.status === "success" && state.data) {
    return <WebhookUrlReveal result={state.data} setup={form.setup} onDone={onDone} waitFor={{ team }} />;
  }
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4" noValidate>
      <input type="hidden" name="team" value={team} />
      {state.status === "error" && !state.fieldErrors && <Alert tone="error" title={state.error} />}
      <Field id="provider" label="Provider" error={errors.provider}>
        {(props) => (
          <Select {...props} name="provider" value={provider} onChange={(event) => setProvider(event.target.value as Provider)}>
            {forms.map((candidate) => (
              <option key={candidate.provider} value={candidate.provider}>
                {candidate.label}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field id="number" label="Phone number" hint="International format, with the country code: +81 90 1234 5678." error={errors.number}>
        {(props) => <Input {...props} name="number" inputMode="tel" autoComplete="off" placeholder="+81 90 1234 5678" required />}
      </Field>
      <Field id="label" label="Label" hint="What your team calls it." error={errors.label}>
        {(props) => <Input {...props} name="label" placeholder="Support line" required maxLength={60} />}
      </Field>
      {form.fields.length > 0 && <CredentialFields key={provider} form={form} errors={errors} idPrefix="add" />}
      <div className="flex justify-end gap-2 pt-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <SubmitButton pending={pending} pendingText="Adding…">
          Add number
        </SubmitButton>
      </div>
    </form>
  );
}
