"use client";

import { Eye, FlaskConical, KeyRound, MessageSquare, Pencil, RefreshCw, ShieldCheck, ShieldOff } from "lucide-react";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { LocalTime } from "@/components/ui/local-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDeleteDialog } from "@/components/ui/confirm-delete-dialog";
import { FormDialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import type { Provider } from "@/lib/generated/prisma/enums";
import type { ProviderForm } from "@/lib/providers";
import type { CredentialsSummary } from "@/lib/sms/credentials";
import { deleteNumberAction, deleteTestMessagesAction, revealWebhookUrlAction, rotateTokenAction, updateNumberAction, type WebhookUrlResult } from "./actions";
import { CredentialFields } from "./credential-fields";
import { TestMessageDialog } from "./test-message";
import { WebhookUrlReveal } from "./webhook-url-reveal";

export type NumberCardData = {
  id: string;
  provider: Provider;
  e164: string;
  label: string;
  tokenHint: string;
  tokenRotatedAt: Date;
  previousTokenExpiresAt: Date | null;
  credentials: CredentialsSummary;
  createdAt: Date;
  /** The webhook path up to the token: /api/webhooks/<provider>/ */
  webhookPathPrefix: string;
  display: { international: string; country: string | null };
  graceActive: boolean;
};

export type NumberActivity = {
  /** Messages from customers; test messages are counted apart. */
  count: number;
  tests: number;
  /** The latest message, a test one included, so a test shows it arrived. */
  last: { from: string; text: string | null; receivedAt: Date; status: string; partsReceived: number; partsExpected: number; isTest: boolean } | null;
};

export function NumberCard({
  team,
  number,
  form,
  canManage,
  activity,
}: {
  team: string;
  number: NumberCardData;
  form: ProviderForm;
  canManage: boolean;
  activity: NumberActivity;
}) {
  const path = `${number.webhookPathPrefix}••••••••${number.tokenHint}`;
  return (
    <Card className="p-4 sm:p-5">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0 space-y-2">
          <div className="flex flex-wrap items-center gap-2">
            <h2 className="truncate text-base font-semibold">{number.label}</h2>
            <Badge tone={form.tone}>{form.label}</Badge>
            <SigningBadge form={form} credentials={number.credentials} />
          </div>
          <p className="font-mono text-sm text-zinc-800 dark:text-zinc-200">
            {number.display.international}
            {number.display.country && <span className="ml-2 font-sans text-xs text-zinc-500 dark:text-zinc-400">{number.display.country}</span>}
          </p>
          <p className="flex items-center gap-1.5 break-all font-mono text-xs text-zinc-500 dark:text-zinc-400">
            <KeyRound className="size-3.5 shrink-0" aria-hidden="true" />
            <span>
              <span className="sr-only">Webhook URL ending in {number.tokenHint}: </span>
              {path}
            </span>
          </p>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            URL issued <LocalTime iso={number.tokenRotatedAt.toISOString()} format="short" />
            {number.graceActive && number.previousTokenExpiresAt && (
              <>
                {" "}
                · previous URL accepted until <LocalTime iso={number.previousTokenExpiresAt.toISOString()} format="short" />
              </>
            )}
          </p>
          <ActivityLine activity={activity} />
          {activity.tests > 0 && <TestMessagesLine team={team} number={number} tests={activity.tests} canManage={canManage} />}
        </div>
        {canManage && (
          <div className="flex shrink-0 flex-wrap gap-2">
            <TestMessageDialog team={team} number={number} />
            <ShowUrlDialog team={team} number={number} />
            <RotateDialog team={team} number={number} />
            <EditDialog team={team} number={number} form={form} />
            <DeleteDialog team={team} number={number} />
          </div>
        )}
      </div>
    </Card>
  );
}

/** Shows the current webhook URL again (owners and admins), from the token kept sealed beside its hash. */
function ShowUrlDialog({ team, number }: { team: string; number: NumberCardData }) {
  return (
    <FormDialog
      title={`Webhook URL of ${number.label}`}
      description="Paste it into your provider's portal. Anyone who has it can post messages to this number, so share it only with that portal."
      trigger={
        <Button variant="secondary" size="sm">
          <Eye className="size-4" aria-hidden="true" />
          Show URL
        </Button>
      }
    >
      {({ close }) => <WebhookUrlForm team={team} number={number} action={revealWebhookUrlAction} submit="Show the URL" pendingText="Opening…" onDone={close} />}
    </FormDialog>
  );
}

function RotateDialog({ team, number }: { team: string; number: NumberCardData }) {
  return (
    <FormDialog
      title={`Rotate the webhook URL of ${number.label}?`}
      description="Moshi issues a new secret URL. The current one keeps working for 24 hours, so deliveries your provider is still retrying are not lost."
      trigger={
        <Button variant="secondary" size="sm">
          <RefreshCw className="size-4" aria-hidden="true" />
          Rotate URL
        </Button>
      }
    >
      {({ close }) => (
        <WebhookUrlForm
          team={team}
          number={number}
          action={rotateTokenAction}
          submit="Rotate URL"
          pendingText="Rotating…"
          note="Update the URL in your provider's portal within 24 hours; after that the old URL is refused."
          onDone={close}
        />
      )}
    </FormDialog>
  );
}

/**
 * One confirmation that answers a webhook URL (show it again, or rotate it): the button, then
 * the URL with its copy button.
 */
function WebhookUrlForm({
  team,
  number,
  action,
  submit,
  pendingText,
  note,
  onDone,
}: {
  team: string;
  number: NumberCardData;
  action: (previous: ActionState<WebhookUrlResult>, formData: FormData) => Promise<ActionState<WebhookUrlResult>>;
  submit: string;
  pendingText: string;
  note?: string;
  onDone: () => void;
}) {
  const [state, formAction] = useActionState<ActionState<WebhookUrlResult>, FormData>(action, { status: "idle" });
  if (state.status === "success" && state.data) return <WebhookUrlReveal result={state.data} setup={null} onDone={onDone} note={note} />;
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="numberId" value={number.id} />
      {state.status === "error" && <Alert tone="error" title={state.error} />}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <SubmitButton pendingText={pendingText}>{submit}</SubmitButton>
      </div>
    </form>
  );
}

/** Whether the provider's signatures are checked for this number; nothing for providers that do not sign. */
function SigningBadge({ form, credentials }: { form: ProviderForm; credentials: CredentialsSummary }) {
  if (form.fields.length === 0) return null;
  if (credentials.state === "unreadable") {
    return (
      <Badge tone="red">
        <ShieldOff className="size-3" aria-hidden="true" />
        Credentials unreadable
      </Badge>
    );
  }
  if (credentials.state === "none") {
    return (
      <Badge>
        <ShieldOff className="size-3" aria-hidden="true" />
        Unsigned
      </Badge>
    );
  }
  // The first choice the form offers says how (a signature method, say).
  const choice = form.fields.find((field) => field.options && credentials.values[field.name]);
  return (
    <Badge tone="green">
      <ShieldCheck className="size-3" aria-hidden="true" />
      Signed{choice ? ` · ${credentials.values[choice.name]!.toLowerCase()}` : ""}
    </Badge>
  );
}

function EditDialog({ team, number, form }: { team: string; number: NumberCardData; form: ProviderForm }) {
  return (
    <FormDialog
      title={`Edit ${number.label}`}
      trigger={
        <Button variant="secondary" size="sm">
          <Pencil className="size-4" aria-hidden="true" />
          Edit
        </Button>
      }
    >
      {({ close }) => <EditForm team={team} number={number} form={form} onDone={close} />}
    </FormDialog>
  );
}

function EditForm({ team, number, form, onDone }: { team: string; number: NumberCardData; form: ProviderForm; onDone: () => void }) {
  const [state, formAction] = useActionState<ActionState, FormData>(async (previous: ActionState, formData: FormData) => {
    const result = await updateNumberAction(previous, formData);
    if (result.status === "success") onDone();
    return result;
  }, { status: "idle" });
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  // A refused form keeps what was typed.
  const { onSubmit, pending } = useKeptForm(formAction);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4" noValidate>
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="numberId" value={number.id} />
      {state.status === "error" && !state.fieldErrors && <Alert tone="error" title={state.error} />}
      <Field id="edit-label" label="Label" error={errors.label}>
        {(props) => <Input {...props} name="label" defaultValue={number.label} required maxLength={60} />}
      </Field>
      {form.fields.length > 0 && (
        <>
          <CredentialFields form={form} errors={errors} current={number.credentials} idPrefix="edit" />
          {number.credentials.state !== "none" && (
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="removeCredentials" className="size-4 rounded border-zinc-300 accent-brand-600" />
              Stop verifying signatures and forget the credentials
            </label>
          )}
        </>
      )}
      <div className="flex justify-end gap-2 pt-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <SubmitButton pending={pending} pendingText="Saving…">
          Save changes
        </SubmitButton>
      </div>
    </form>
  );
}

/** How many test messages the number holds (left out of everything else), and a way to delete them. */
function TestMessagesLine({ team, number, tests, canManage }: { team: string; number: NumberCardData; tests: number; canManage: boolean }) {
  const what = `${tests} test ${tests === 1 ? "message" : "messages"}`;
  return (
    <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
      <FlaskConical className="size-3.5 shrink-0" aria-hidden="true" />
      <span>Test messages are left out of statistics, keywords, exports and the inbox&rsquo;s default view.</span>
      {canManage && (
        <ConfirmDeleteDialog
          action={deleteTestMessagesAction}
          fields={{ team, numberId: number.id }}
          title={`Delete the test messages of ${number.label}?`}
          description={`The ${what} sent with the Test button, and their deliveries in the log, are deleted for good. Messages from customers stay.`}
          triggerLabel="Delete test messages"
          confirmLabel={`Delete ${what}`}
          small
        />
      )}
    </p>
  );
}

function DeleteDialog({ team, number }: { team: string; number: NumberCardData }) {
  return (
    <ConfirmDeleteDialog
      action={deleteNumberAction}
      fields={{ team, numberId: number.id }}
      title={`Delete ${number.label}?`}
      description={`${number.display.international} stops receiving messages in Moshi at once: its webhook URL will answer “not found”, and your provider will retry for a day before giving up.`}
      confirmLabel="Delete number"
    />
  );
}

function ActivityLine({ activity }: { activity: NumberActivity }) {
  const { last, count, tests } = activity;
  if (!last) {
    return (
      <p className="flex items-center gap-1.5 text-xs text-zinc-500 dark:text-zinc-400">
        <MessageSquare className="size-3.5" aria-hidden="true" />
        No messages yet: paste the webhook URL into the provider&rsquo;s portal.
      </p>
    );
  }
  return (
    <p className="flex min-w-0 items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
      <MessageSquare className="size-3.5 shrink-0 text-brand-600 dark:text-brand-400" aria-hidden="true" />
      <span className="min-w-0 truncate">
        <span className="font-medium text-zinc-800 dark:text-zinc-200">
          {[count > 0 || tests === 0 ? `${count} ${count === 1 ? "message" : "messages"}` : null, tests > 0 ? `${tests} test ${tests === 1 ? "message" : "messages"}` : null]
            .filter(Boolean)
            .join(" · ")}
        </span>{" "}
        · latest{last.isTest ? " (a test)" : ""} from {last.from}, <LocalTime iso={last.receivedAt.toISOString()} format="short" />
        {last.status === "PARTIAL" && ` (${last.partsReceived} of ${last.partsExpected} parts received)`}
        {last.text && <>: &ldquo;{last.text}&rdquo;</>}
      </span>
    </p>
  );
}
