"use client";

import { Pencil, Plus } from "lucide-react";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FormDialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import { EVENT_TYPE_DESCRIPTIONS, EVENT_TYPES } from "@/lib/events/schema";
import { createEndpointAction, type SecretResult, updateEndpointAction } from "./actions";
import { SecretReveal } from "./secret-reveal";

export type NumberChoice = { id: string; label: string; e164: string };
export type EditableEndpoint = { id: string; url: string; description: string; eventTypes: string[]; phoneNumberIds: string[] };

/** What the form starts with: an endpoint's settings, or a new endpoint's. */
type FormValues = { url: string; description: string; numbers: "all" | "some"; phoneNumberIds: string[]; events: "all" | "some"; eventTypes: string[]; enabled: boolean };

export function AddEndpointButton({ team, numbers, allowLocal }: { team: string; numbers: NumberChoice[]; allowLocal: boolean }) {
  return (
    <FormDialog
      title="Add an endpoint"
      description="Moshi sends each event to this URL as a signed POST with a JSON body, and retries for 24 hours until it answers 2xx."
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden="true" />
          Add endpoint
        </Button>
      }
    >
      {({ close }) => <AddEndpointForm team={team} numbers={numbers} allowLocal={allowLocal} onDone={close} />}
    </FormDialog>
  );
}

function AddEndpointForm({ team, numbers, allowLocal, onDone }: { team: string; numbers: NumberChoice[]; allowLocal: boolean; onDone: () => void }) {
  const values: FormValues = { url: "", description: "", numbers: "all", phoneNumberIds: [], events: "all", eventTypes: [], enabled: true };
  const [state, formAction] = useActionState<ActionState<SecretResult>, FormData>(createEndpointAction, { status: "idle" });
  if (state.status === "success" && state.data) return <SecretReveal result={state.data} onDone={onDone} />;
  return (
    <EndpointFields team={team} numbers={numbers} allowLocal={allowLocal} values={values} state={state} formAction={formAction} onCancel={onDone} submitText="Add endpoint" pendingText="Adding…" />
  );
}

export function EditEndpointButton({ team, endpoint, numbers, allowLocal }: { team: string; endpoint: EditableEndpoint; numbers: NumberChoice[]; allowLocal: boolean }) {
  return (
    <FormDialog
      title="Edit endpoint"
      trigger={
        <Button variant="secondary" size="sm">
          <Pencil className="size-4" aria-hidden="true" />
          Edit
        </Button>
      }
    >
      {({ close }) => <EditEndpointForm team={team} endpoint={endpoint} numbers={numbers} allowLocal={allowLocal} onDone={close} />}
    </FormDialog>
  );
}

function EditEndpointForm({ team, endpoint, numbers, allowLocal, onDone }: { team: string; endpoint: EditableEndpoint; numbers: NumberChoice[]; allowLocal: boolean; onDone: () => void }) {
  const values: FormValues = {
    url: endpoint.url,
    description: endpoint.description,
    numbers: endpoint.phoneNumberIds.length ? "some" : "all",
    phoneNumberIds: endpoint.phoneNumberIds,
    events: endpoint.eventTypes.length ? "some" : "all",
    eventTypes: endpoint.eventTypes,
    enabled: true,
  };
  const [state, formAction] = useActionState<ActionState, FormData>(async (previous, formData) => {
    const result = await updateEndpointAction(previous, formData);
    if (result.status === "success") onDone();
    return result;
  }, { status: "idle" });
  return (
    <EndpointFields
      team={team}
      endpointId={endpoint.id}
      numbers={numbers}
      allowLocal={allowLocal}
      values={values}
      state={state}
      formAction={formAction}
      onCancel={onDone}
      submitText="Save changes"
      pendingText="Saving…"
    />
  );
}

/** The endpoint's fields, uncontrolled from `values`; a refused form keeps what was typed and ticked. */
function EndpointFields({
  team,
  endpointId,
  numbers,
  allowLocal,
  values,
  state,
  formAction,
  onCancel,
  submitText,
  pendingText,
}: {
  team: string;
  endpointId?: string;
  numbers: NumberChoice[];
  allowLocal: boolean;
  values: FormValues;
  state: ActionState<unknown>;
  formAction: (formData: FormData) => void;
  onCancel: () => void;
  submitText: string;
  pendingText: string;
}) {
  const [numbersMode, setNumbersMode] = useState(values.numbers);
  const [eventsMode, setEventsMode] = useState(values.events);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const prefix = endpointId ? `edit-${endpointId}` : "new-endpoint";
  const { onSubmit, pending } = useKeptForm(formAction);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-5" noValidate>
      <input type="hidden" name="team" value={team} />
      {endpointId && <input type="hidden" name="endpointId" value={endpointId} />}
      {state.status === "error" && <Alert tone="error" title={state.error} />}
      <Field
        id={`${prefix}-url`}
        label="URL"
        hint={allowLocal ? "HTTPS. Plain http:// works too for localhost and 127.0.0.1 while developing." : "An https:// URL on the public internet."}
        error={errors.url}
      >
        {(props) => <Input {...props} name="url" type="url" inputMode="url" autoComplete="off" spellCheck={false} placeholder="https://example.com/moshi-events" defaultValue={values.url} required />}
      </Field>
      <Field id={`${prefix}-description`} label="Description (optional)" hint="What receives the events: “CRM sync”, “Slack bot”." error={errors.description}>
        {(props) => <Input {...props} name="description" maxLength={200} defaultValue={values.description} />}
      </Field>

      <Choice
        id={`${prefix}-numbers`}
        legend="Numbers"
        name="numbers"
        mode={numbersMode}
        onModeChange={setNumbersMode}
        allLabel={numbers.length ? "All numbers, including ones added later" : "All numbers (the team has none yet)"}
        someLabel="Only the numbers ticked below"
        someDisabled={numbers.length === 0}
        error={errors.phoneNumberIds}
      >
        {numbers.map((number) => (
          <Tick key={number.id} name={`number:${number.id}`} defaultChecked={values.phoneNumberIds.includes(number.id)} disabled={numbersMode !== "some"}>
            <span className="font-medium">{number.label}</span> <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{number.e164}</span>
          </Tick>
        ))}
      </Choice>

      <Choice
        id={`${prefix}-events`}
        legend="Events"
        name="events"
        mode={eventsMode}
        onModeChange={setEventsMode}
        allLabel="All events, including types added later"
        someLabel="Only the event types ticked below"
        error={errors.eventTypes}
      >
        {EVENT_TYPES.map((type) => (
          <Tick key={type} name={`event:${type}`} defaultChecked={values.eventTypes.includes(type)} disabled={eventsMode !== "some"}>
            <span className="font-mono text-xs font-medium">{type}</span>
            <span className="block text-xs text-zinc-600 dark:text-zinc-400">{EVENT_TYPE_DESCRIPTIONS[type]}</span>
          </Tick>
        ))}
      </Choice>

      {!endpointId && (
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="enabled" defaultChecked={values.enabled} className="mt-0.5 size-4 rounded border-zinc-300 accent-brand-600" />
          <span>
            <span className="font-medium">Turned on</span>
            <span className="block text-xs text-zinc-600 dark:text-zinc-400">Untick to set it up now and start sending later.</span>
          </span>
        </label>
      )}

      <div className="flex justify-end gap-2 pt-1">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <SubmitButton pending={pending} pendingText={pendingText}>
          {submitText}
        </SubmitButton>
      </div>
    </form>
  );
}

/** "All" or "only these" for a list of checkboxes, as radio buttons in a fieldset. */
function Choice({
  id,
  legend,
  name,
  mode,
  onModeChange,
  allLabel,
  someLabel,
  someDisabled = false,
  error,
  children,
}: {
  id: string;
  legend: string;
  name: string;
  mode: "all" | "some";
  onModeChange: (mode: "all" | "some") => void;
  allLabel: string;
  someLabel: string;
  someDisabled?: boolean;
  error?: string;
  children: React.ReactNode;
}) {
  return (
    <fieldset className="space-y-2" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">{legend}</legend>
      {(["all", "some"] as const).map((value) => (
        <label key={value} className={cn("flex items-center gap-2 text-sm", value === "some" && someDisabled && "opacity-60")}>
          <input
            type="radio"
            name={name}
            value={value}
            defaultChecked={mode === value}
            disabled={value === "some" && someDisabled}
            onChange={() => onModeChange(value)}
            className="size-4 accent-brand-600"
          />
          {value === "all" ? allLabel : someLabel}
        </label>
      ))}
      {!someDisabled && (
        <div className={cn("ml-6 space-y-2 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800", mode !== "some" && "opacity-60")}>{children}</div>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs font-medium text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function Tick({ name, defaultChecked, disabled, children }: { name: string; defaultChecked: boolean; disabled: boolean; children: React.ReactNode }) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input type="checkbox" name={name} defaultChecked={defaultChecked} disabled={disabled} className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-brand-600" />
      <span className="min-w-0">{children}</span>
    </label>
  );
}
