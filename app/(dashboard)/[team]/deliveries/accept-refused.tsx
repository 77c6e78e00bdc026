"use client";

import { ShieldOff } from "lucide-react";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input, Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import type { AcceptSummary } from "@/lib/sms/replay";
import { acceptRefusedAction } from "./actions";

type NumberOption = { id: string; label: string; e164: string };

/**
 * Accepts, at once, every delivery of one number refused for its signature in a period: the
 * messages that arrived while the secret here and at the provider disagreed. Times are entered
 * in the browser's time zone and sent as instants.
 */
export function AcceptRefused({ team, numbers }: { team: string; numbers: NumberOption[] }) {
  const [state, formAction] = useActionState<ActionState<AcceptSummary>, FormData>(acceptRefusedAction, { status: "idle" });
  const [since, setSince] = useState(() => localInput(new Date(Date.now() - 24 * 60 * 60 * 1000)));
  const [until, setUntil] = useState(() => localInput(new Date(Date.now() + 60 * 1000)));
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  // The number and the period stay in the form, refused or accepted ("accept again to continue").
  const { onSubmit, pending } = useKeptForm(formAction);
  return (
    <details className="group rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <summary className="flex cursor-pointer items-center gap-2 text-sm font-medium">
        <ShieldOff className="size-4 text-zinc-500" aria-hidden="true" />
        Accept deliveries refused for their signature…
      </summary>
      <form action={formAction} onSubmit={onSubmit} className="mt-4 space-y-4">
        <input type="hidden" name="team" value={team} />
        <input type="hidden" name="since" value={toInstant(since)} />
        <input type="hidden" name="until" value={toInstant(until)} />
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          After a signature secret changes, real messages may have been refused until both sides matched again. Accepting stores them as if their signatures
          had matched and records that you did; messages already stored are not stored twice.
        </p>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field id="accept-number" label="Refused on number" error={errors.numberId}>
            {(props) => (
              <Select {...props} name="numberId" defaultValue={numbers[0]?.id} required>
                {numbers.map((number) => (
                  <option key={number.id} value={number.id}>
                    {number.label} ({number.e164})
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field id="accept-since" label="Refused from" error={errors.since}>
            {(props) => <Input {...props} type="datetime-local" value={since} onChange={(event) => setSince(event.target.value)} required />}
          </Field>
          <Field id="accept-until" label="Refused until" error={errors.until}>
            {(props) => <Input {...props} type="datetime-local" value={until} onChange={(event) => setUntil(event.target.value)} required />}
          </Field>
        </div>
        <SubmitButton variant="secondary" pending={pending} pendingText="Accepting…">
          Accept refused deliveries
        </SubmitButton>
        {state.status === "error" && !Object.keys(errors).length && <Alert tone="error" title={state.error} />}
        {state.status === "success" && state.data && <Alert tone={state.data.failed ? "error" : "success"} title={describe(state.data)} />}
      </form>
    </details>
  );
}

function describe({ accepted, stored, duplicates, failed, remaining }: AcceptSummary): string {
  if (accepted === 0 && failed === 0) return "No refused delivery of this number in that period is left to accept.";
  const parts = [`Accepted ${accepted} ${accepted === 1 ? "delivery" : "deliveries"}: ${stored} new SMS stored, ${duplicates} already stored`];
  if (failed) parts.push(`${failed} could not be stored and stay in the log`);
  if (remaining) parts.push("more remain: accept again to continue");
  return `${parts.join("; ")}.`;
}

/** A Date as a datetime-local value, in the browser's time zone. */
function localInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function toInstant(local: string): string {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}
