"use client";

import { Plus } from "lucide-react";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormDialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/actions";
import type { Provider } from "@/lib/generated/prisma/enums";
import { PROVIDER_INFO, PROVIDERS } from "@/lib/providers";
import { createNumberAction, type WebhookUrlResult } from "./actions";
import { SignatureFields } from "./signature-fields";
import { WebhookUrlReveal } from "./webhook-url-reveal";

export function AddNumberButton({ team }: { team: string }) {
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
      {({ close }) => <AddNumberForm team={team} onDone={close} />}
    </FormDialog>
  );
}

function AddNumberForm({ team, onDone }: { team: string; onDone: () => void }) {
  const [state, formAction] = useActionState<ActionState<WebhookUrlResult>, FormData>(createNumberAction, { status: "idle" });
  const [provider, setProvider] = useState<Provider>("RAKUTEN");
  if (state.status === "success" && state.data) {
    return <WebhookUrlReveal result={state.data} provider={provider} onDone={onDone} />;
  }
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="team" value={team} />
      {state.status === "error" && !state.fieldErrors && <Alert tone="error" title={state.error} />}
      <Field id="provider" label="Provider" error={errors.provider}>
        {(props) => (
          <Select {...props} name="provider" value={provider} onChange={(event) => setProvider(event.target.value as Provider)}>
            {PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {PROVIDER_INFO[p].label}
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
      {provider === "VONAGE" && <SignatureFields errors={errors} />}
      <div className="flex justify-end gap-2 pt-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <SubmitButton pendingText="Adding…">Add number</SubmitButton>
      </div>
    </form>
  );
}
