"use client";

import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import type { RetentionSettings } from "@/lib/data/teams";
import { updateRetentionAction } from "./actions";

/** How long raw bodies and messages are kept; what was typed stays when it is refused. */
export function RetentionForm({ team, settings }: { team: string; settings: RetentionSettings }) {
  const [state, formAction] = useActionState<ActionState, FormData>(updateRetentionAction, { status: "idle" });
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const { onSubmit, pending } = useKeptForm(formAction);
  const [forever, setForever] = useState(settings.keepMessagesDays === null);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-5" noValidate>
      <input type="hidden" name="team" value={team} />
      {state.status === "error" && !state.fieldErrors && <Alert tone="error" title={state.error} />}
      {state.status === "success" && state.message && <Alert tone="success" title={state.message} />}

      <div className="max-w-xs">
        <Field
          id="keep-bodies-days"
          label="Keep raw delivery bodies for (days)"
          hint="Between 1 and 3,650 days. 30 is the default."
          error={errors.keepBodiesDays}
        >
          {(props) => <Input {...props} name="keepBodiesDays" inputMode="numeric" defaultValue={String(settings.keepBodiesDays)} autoComplete="off" />}
        </Field>
      </div>

      <fieldset className="space-y-2" aria-describedby={errors.keepMessagesDays ? "keep-messages-days-error" : "keep-messages-hint"}>
        <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Keep messages</legend>
        <p id="keep-messages-hint" className="text-xs text-zinc-500 dark:text-zinc-400">
          Deleting old messages also deletes the deliveries of that age and threads left empty.
        </p>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="keepMessages" value="forever" defaultChecked={forever} onChange={() => setForever(true)} className="size-4 accent-brand-600" />
          For ever
        </label>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name="keepMessages" value="days" defaultChecked={!forever} onChange={() => setForever(false)} className="size-4 accent-brand-600" />
            For
          </label>
          <Input
            name="keepMessagesDays"
            aria-label="Days to keep messages"
            aria-invalid={errors.keepMessagesDays ? true : undefined}
            aria-describedby={errors.keepMessagesDays ? "keep-messages-days-error" : undefined}
            inputMode="numeric"
            defaultValue={settings.keepMessagesDays === null ? "" : String(settings.keepMessagesDays)}
            placeholder="365"
            disabled={forever}
            className="w-28"
            autoComplete="off"
          />
          <span>days</span>
        </div>
        {errors.keepMessagesDays && (
          <p id="keep-messages-days-error" className="text-xs font-medium text-red-600 dark:text-red-400">
            {errors.keepMessagesDays}
          </p>
        )}
      </fieldset>

      <SubmitButton pending={pending} pendingText="Saving…">
        Save retention
      </SubmitButton>
    </form>
  );
}
