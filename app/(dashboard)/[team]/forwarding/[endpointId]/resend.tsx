"use client";

import { RotateCcw, Send } from "lucide-react";
import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { Alert } from "@/components/ui/alert";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import { resendDispatchAction, resendFailedAction, sendTestEventAction } from "../actions";

/**
 * Refreshes the page a few times after something was queued, so the attempt the worker makes
 * within seconds shows up without a reload.
 */
function useRefreshAfter(state: ActionState<unknown>) {
  const router = useRouter();
  useEffect(() => {
    if (state.status !== "success") return;
    const timers = [1_500, 3_500, 7_000, 12_000].map((ms) => setTimeout(() => router.refresh(), ms));
    return () => timers.forEach(clearTimeout);
  }, [state, router]);
}

export function SendTestEventButton({ team, endpointId }: { team: string; endpointId: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(sendTestEventAction, { status: "idle" });
  useRefreshAfter(state);
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="endpointId" value={endpointId} />
      <SubmitButton size="sm" pendingText="Sending…">
        <Send className="size-4" aria-hidden="true" />
        Send test event
      </SubmitButton>
      {state.status === "error" && <Alert tone="error" title={state.error} />}
      {state.status === "success" && <Alert tone="success" title={state.message} />}
    </form>
  );
}

/** Sends one event again (its dispatch): the same body and webhook-id. */
export function ResendButton({ team, endpointId, dispatchId }: { team: string; endpointId: string; dispatchId: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(resendDispatchAction, { status: "idle" });
  useRefreshAfter(state);
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="endpointId" value={endpointId} />
      <input type="hidden" name="dispatchId" value={dispatchId} />
      <SubmitButton variant="secondary" size="sm" pendingText="Resending…">
        <RotateCcw className="size-3.5" aria-hidden="true" />
        Resend
      </SubmitButton>
      <span role="status" className="text-xs">
        {state.status === "success" && <span className="text-emerald-700 dark:text-emerald-300">{state.message}</span>}
        {state.status === "error" && <span className="text-red-600 dark:text-red-400">{state.error}</span>}
      </span>
    </form>
  );
}

/**
 * Resends every failed event of a period. The days are the viewer's: the browser turns them into
 * instants (the start of the first day, the end of the last) before the form goes.
 */
export function ResendFailedForm({ team, endpointId, failed }: { team: string; endpointId: string; failed: number }) {
  const [state, formAction] = useActionState<ActionState, FormData>(async (previous, formData) => {
    const from = String(formData.get("from") ?? "");
    const to = String(formData.get("to") ?? "");
    const since = startOfLocalDay(from);
    const until = startOfLocalDay(to, 1);
    if (since) formData.set("failedSince", since);
    if (until) formData.set("failedUntil", until);
    return resendFailedAction(previous, formData);
  }, { status: "idle" });
  useRefreshAfter(state);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  // The days stay in the form, refused or sent.
  const { onSubmit, pending } = useKeptForm(formAction);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-3" noValidate>
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="endpointId" value={endpointId} />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {failed > 0
          ? `${failed.toLocaleString("en")} ${failed === 1 ? "event" : "events"} gave up on this endpoint. Once it works again, send the failed events of a period again: each keeps its webhook-id.`
          : "No event has given up on this endpoint. If some do, send the failed events of a period again here: each keeps its webhook-id."}
      </p>
      <div className="grid gap-3 sm:grid-cols-[10rem_10rem_auto] sm:items-start">
        <Field id="resend-from" label="From" error={errors.failedSince}>
          {(props) => <Input {...props} type="date" name="from" required />}
        </Field>
        <Field id="resend-to" label="To (included)" error={errors.failedUntil ?? errors.to}>
          {(props) => <Input {...props} type="date" name="to" required />}
        </Field>
        <div className="sm:pt-6">
          <SubmitButton variant="secondary" pending={pending} pendingText="Resending…">
            <RotateCcw className="size-4" aria-hidden="true" />
            Resend failed events
          </SubmitButton>
        </div>
      </div>
      {state.status === "error" && !state.fieldErrors && <Alert tone="error" title={state.error} />}
      {state.status === "success" && <Alert tone="success" title={state.message} />}
    </form>
  );
}

/** Midnight of a `YYYY-MM-DD` day (plus `addDays`) in the browser's time zone, as an ISO instant. */
function startOfLocalDay(day: string, addDays = 0): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
