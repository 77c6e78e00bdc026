"use client";

import { Send } from "lucide-react";
import { type ReactNode, useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { cn } from "@/components/ui/cn";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import type { AlertRuleSettings } from "@/lib/alerts/rules";
import { saveAlertChannelsAction, saveAlertRulesAction, sendTestAlertAction } from "./actions";

/** One rule: its switch and what it watches, its thresholds beside. Read-only for members. */
function Rule({ name, title, description, enabled, readOnly, children }: { name: string; title: string; description: ReactNode; enabled: boolean; readOnly: boolean; children: ReactNode }) {
  return (
    <fieldset className="grid gap-4 border-t border-zinc-200 py-5 first-of-type:border-t-0 first-of-type:pt-0 md:grid-cols-[minmax(0,1fr)_minmax(0,1.1fr)] dark:border-zinc-800">
      <legend className="sr-only">{title}</legend>
      <label className="flex items-start gap-3">
        <input type="checkbox" name={name} defaultChecked={enabled} disabled={readOnly} className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-brand-600" />
        <span>
          <span className="block text-sm font-medium text-zinc-900 dark:text-zinc-100">{title}</span>
          <span className="mt-0.5 block text-xs text-zinc-600 dark:text-zinc-400">{description}</span>
        </span>
      </label>
      <div className="grid gap-3 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}

function NumberField({ id, name, label, hint, value, error, readOnly, suffix }: { id: string; name: string; label: string; hint?: string; value: number | string; error?: string; readOnly: boolean; suffix: string }) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(props) => (
        <div className="flex items-center gap-2">
          <Input {...props} name={name} inputMode="numeric" defaultValue={String(value)} readOnly={readOnly} className="w-28" />
          <span className="text-sm text-zinc-600 dark:text-zinc-400">{suffix}</span>
        </div>
      )}
    </Field>
  );
}

export function RulesForm({ team, rules, readOnly }: { team: string; rules: AlertRuleSettings; readOnly: boolean }) {
  const [state, formAction] = useActionState<ActionState, FormData>(saveAlertRulesAction, { status: "idle" });
  const { onSubmit, pending } = useKeptForm(formAction);
  const [silentMode, setSilentMode] = useState<"auto" | "fixed">(rules.silentHours === null ? "auto" : "fixed");
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate aria-label="Alert rules">
      <input type="hidden" name="team" value={team} />
      {state.status === "error" && <Alert tone="error" title={state.error} className="mb-4" />}
      {state.status === "success" && state.message && <Alert tone="success" title={state.message} className="mb-4" />}
      <Rule
        name="silentEnabled"
        title="A number goes quiet"
        description="Nothing received for longer than the threshold. A number that never received anything does not alert."
        enabled={rules.silentEnabled}
        readOnly={readOnly}
      >
        <fieldset className="space-y-2 sm:col-span-2">
          <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Threshold</legend>
          <label className="flex items-start gap-2 text-sm">
            <input type="radio" name="silentMode" value="auto" checked={silentMode === "auto"} onChange={() => setSilentMode("auto")} disabled={readOnly} className="mt-0.5 accent-brand-600" />
            <span>From each number&apos;s usual traffic (see below)</span>
          </label>
          <label className="flex items-start gap-2 text-sm">
            <input type="radio" name="silentMode" value="fixed" checked={silentMode === "fixed"} onChange={() => setSilentMode("fixed")} disabled={readOnly} className="mt-0.5 accent-brand-600" />
            <span>The same for every number:</span>
          </label>
          {/* Hidden, not removed, while the traffic decides: what was typed stays for a switch back. */}
          <div className={cn("pl-6", silentMode === "auto" && "hidden")}>
            <NumberField id="alert-silent-hours" name="silentHours" label="Silent for more than" value={rules.silentHours ?? 24} error={errors.silentHours} readOnly={readOnly} suffix="hours" />
          </div>
        </fieldset>
      </Rule>
      <Rule
        name="rejectedEnabled"
        title="Deliveries are refused"
        description="A share of a number's deliveries in the last hour was refused (bad signature, unreadable body, …), once it had enough of them to mean something."
        enabled={rules.rejectedEnabled}
        readOnly={readOnly}
      >
        <NumberField id="alert-rejected-percent" name="rejectedPercent" label="Refused" value={rules.rejectedPercent} error={errors.rejectedPercent} readOnly={readOnly} suffix="% or more" />
        <NumberField id="alert-rejected-minimum" name="rejectedMinimum" label="Out of at least" value={rules.rejectedMinimum} error={errors.rejectedMinimum} readOnly={readOnly} suffix="deliveries" />
      </Rule>
      <Rule
        name="signatureEnabled"
        title="Signatures fail"
        description="Requests refused because their signature was missing or wrong: a secret changed at the provider, or someone is guessing."
        enabled={rules.signatureEnabled}
        readOnly={readOnly}
      >
        <NumberField id="alert-signature-count" name="signatureCount" label="Refusals in an hour" value={rules.signatureCount} error={errors.signatureCount} readOnly={readOnly} suffix="or more" />
      </Rule>
      <Rule
        name="endpointEnabled"
        title="A forwarding endpoint fails"
        description="Every attempt to one of your endpoints has failed for a while, or Moshi turned it off (410 Gone, or a day of failures)."
        enabled={rules.endpointEnabled}
        readOnly={readOnly}
      >
        <NumberField id="alert-endpoint-minutes" name="endpointMinutes" label="Failing for" value={rules.endpointMinutes} error={errors.endpointMinutes} readOnly={readOnly} suffix="minutes" />
      </Rule>
      {!readOnly && (
        <div className="flex justify-end border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <SubmitButton pending={pending} pendingText="Saving…">
            Save rules
          </SubmitButton>
        </div>
      )}
    </form>
  );
}

export type ChannelValues = { emailEnabled: boolean; emailRecipients: string[]; slackUrlHint: string | null; eventsEnabled: boolean };

export function ChannelsForm({ team, channels, defaultRecipients, readOnly, allowLocal }: { team: string; channels: ChannelValues; defaultRecipients: string[]; readOnly: boolean; allowLocal: boolean }) {
  const [state, formAction] = useActionState<ActionState, FormData>(saveAlertChannelsAction, { status: "idle" });
  const { onSubmit, pending } = useKeptForm(formAction);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const checkboxClass = "mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-brand-600";
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate aria-label="Alert channels" className="space-y-5">
      <input type="hidden" name="team" value={team} />
      {state.status === "error" && <Alert tone="error" title={state.error} />}
      {state.status === "success" && state.message && <Alert tone="success" title={state.message} />}
      <div className="space-y-3">
        <label className="flex items-start gap-3 text-sm">
          <input type="checkbox" name="emailEnabled" defaultChecked={channels.emailEnabled} disabled={readOnly} className={checkboxClass} />
          <span>
            <span className="block font-medium text-zinc-900 dark:text-zinc-100">Email</span>
            <span className="block text-xs text-zinc-600 dark:text-zinc-400">One mail when an alert fires and one when it resolves.</span>
          </span>
        </label>
        <Field
          id="alert-recipients"
          label="Send to"
          hint={
            defaultRecipients.length
              ? `Leave empty for the team's owners and admins (${defaultRecipients.join(", ")}). Separate addresses with commas or new lines.`
              : "Leave empty for the team's owners and admins. Separate addresses with commas or new lines."
          }
          error={errors.emailRecipients}
        >
          {(props) => (
            <textarea
              {...props}
              name="emailRecipients"
              rows={2}
              defaultValue={channels.emailRecipients.join(", ")}
              readOnly={readOnly}
              placeholder="ops@example.com, oncall@example.com"
              className="block w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm placeholder:text-zinc-400 focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-500"
            />
          )}
        </Field>
      </div>
      <div className="space-y-3 border-t border-zinc-200 pt-5 dark:border-zinc-800">
        <Field
          id="alert-slack-url"
          label="Slack incoming webhook"
          hint={
            channels.slackUrlHint
              ? `Set (ends in …${channels.slackUrlHint}). Paste a new URL to replace it; leave empty to keep it.`
              : `A Slack (or compatible: Mattermost, Discord's /slack URL) incoming webhook URL.${allowLocal ? " Plain http:// works for localhost while developing." : ""}`
          }
          error={errors.slackUrl}
        >
          {(props) => <Input {...props} name="slackUrl" type="url" inputMode="url" autoComplete="off" spellCheck={false} readOnly={readOnly} placeholder="https://hooks.slack.com/services/…" />}
        </Field>
        {channels.slackUrlHint && !readOnly && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="removeSlack" className="size-4 rounded border-zinc-300 accent-brand-600" />
            Remove the Slack webhook
          </label>
        )}
      </div>
      <div className="border-t border-zinc-200 pt-5 dark:border-zinc-800">
        <label className="flex items-start gap-3 text-sm">
          <input type="checkbox" name="eventsEnabled" defaultChecked={channels.eventsEnabled} disabled={readOnly} className={checkboxClass} />
          <span>
            <span className="block font-medium text-zinc-900 dark:text-zinc-100">Events to your forwarding endpoints</span>
            <span className="block text-xs text-zinc-600 dark:text-zinc-400">
              <code>alert.fired</code> and <code>alert.resolved</code>, signed like every event, to the endpoints that take them.
            </span>
          </span>
        </label>
      </div>
      {!readOnly && (
        <div className="flex justify-end border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <SubmitButton pending={pending} pendingText="Saving…">
            Save channels
          </SubmitButton>
        </div>
      )}
    </form>
  );
}

export function TestAlertButton({ team }: { team: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(sendTestAlertAction, { status: "idle" });
  const { onSubmit, pending } = useKeptForm(formAction);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-3" aria-label="Test alert">
      <input type="hidden" name="team" value={team} />
      <SubmitButton variant="secondary" pending={pending} pendingText="Sending…">
        <Send className="size-4" aria-hidden="true" />
        Send a test alert
      </SubmitButton>
      {state.status === "error" && <Alert tone="error" title={state.error} />}
      {state.status === "success" && state.message && <Alert tone="success" title={state.message} />}
    </form>
  );
}
