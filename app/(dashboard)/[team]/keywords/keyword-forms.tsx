"use client";

import { Trash2 } from "lucide-react";
import { useActionState, useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input, Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import { KEYWORD_COLORS } from "@/lib/keywords";
import { createKeywordAction, deleteKeywordAction } from "./actions";

export function NewKeywordForm({ team, suggestion }: { team: string; suggestion?: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(createKeywordAction, { status: "idle" });
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  // A refused keyword stays in the form; a saved one leaves it empty for the next.
  const { onSubmit, pending } = useKeptForm(formAction);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "success") form.current?.reset();
  }, [state]);
  return (
    <form ref={form} action={formAction} onSubmit={onSubmit} className="space-y-3" noValidate>
      <input type="hidden" name="team" value={team} />
      {state.status === "error" && !state.fieldErrors && <Alert tone="error" title={state.error} />}
      {state.status === "success" && state.message && <Alert tone="success" title={state.message} />}
      <div className="grid gap-3 sm:grid-cols-[1fr_1fr_9rem_auto] sm:items-start">
        <Field id="keyword-word" label="Keyword" error={errors.word}>
          {(props) => <Input {...props} name="word" placeholder={suggestion ?? "JOIN"} className="uppercase" autoComplete="off" />}
        </Field>
        <Field id="keyword-label" label="Label" error={errors.label}>
          {(props) => <Input {...props} name="label" placeholder="New subscriber" />}
        </Field>
        <Field id="keyword-color" label="Colour" error={errors.color}>
          {(props) => (
            <Select {...props} name="color" defaultValue="indigo">
              {Object.entries(KEYWORD_COLORS).map(([value, { label }]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <div className="sm:pt-6">
          <SubmitButton pending={pending} pendingText="Saving…">
            Add
          </SubmitButton>
        </div>
      </div>
    </form>
  );
}

export function DeleteKeywordButton({ team, keywordId, word }: { team: string; keywordId: string; word: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(deleteKeywordAction, { status: "idle" });
  return (
    <form action={formAction}>
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="keywordId" value={keywordId} />
      <SubmitButton variant="ghost" size="sm" aria-label={`Forget the label of ${word}`}>
        <Trash2 className="size-4" aria-hidden="true" />
      </SubmitButton>
      {state.status === "error" && <p className="text-xs text-red-600">{state.error}</p>}
    </form>
  );
}
