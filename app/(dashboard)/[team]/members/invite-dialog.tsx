"use client";

import { UserPlus } from "lucide-react";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CopyField } from "@/components/ui/copy-button";
import { DialogClose, FormDialog } from "@/components/ui/dialog";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { createInvitationAction, type InviteLinkResult } from "./actions";
import { ROLE_CHOICES } from "./role-choices";

const expiryFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function InviteButton({ team, variant = "primary" }: { team: string; variant?: "primary" | "secondary" }) {
  return (
    <FormDialog
      title="Invite a teammate"
      description="Create a single-use link and send it to them however you like. It stays valid for 7 days."
      trigger={
        <Button variant={variant}>
          <UserPlus className="size-4" aria-hidden="true" />
          Invite teammate
        </Button>
      }
    >
      {({ reset }) => <InviteForm team={team} onAnother={reset} />}
    </FormDialog>
  );
}

function InviteForm({ team, onAnother }: { team: string; onAnother: () => void }) {
  const [state, formAction] = useActionState<ActionState<InviteLinkResult>, FormData>(createInvitationAction, { status: "idle" });
  // A refused invite keeps the role that was chosen.
  const { onSubmit, pending } = useKeptForm(formAction);
  if (state.status === "success" && state.data) return <InviteLinkReveal result={state.data} onAnother={onAnother} />;
  const roleError = state.status === "error" ? state.fieldErrors?.role : undefined;
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-5">
      <input type="hidden" name="team" value={team} />
      {state.status === "error" && !state.fieldErrors && <Alert tone="error" title={state.error} />}
      <fieldset className="space-y-2" aria-describedby={roleError ? "invite-role-error" : undefined}>
        <legend className="mb-2 text-sm font-medium text-zinc-800 dark:text-zinc-200">They join as</legend>
        {ROLE_CHOICES.map((choice, index) => (
          <label
            key={choice.role}
            className={cn(
              "flex cursor-pointer gap-3 rounded-lg border border-zinc-200 p-3 transition-colors hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/50",
              "has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50/60 has-[:checked]:ring-1 has-[:checked]:ring-brand-500 dark:has-[:checked]:bg-brand-500/10",
              "has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-500",
            )}
          >
            <input type="radio" name="role" value={choice.role} defaultChecked={index === 0} className="mt-0.5 size-4 accent-brand-600 focus-visible:outline-none" />
            <span className="space-y-0.5">
              <span className="block text-sm font-medium">{choice.label}</span>
              <span className="block text-sm text-zinc-600 dark:text-zinc-400">{choice.description}</span>
            </span>
          </label>
        ))}
        {roleError && (
          <p id="invite-role-error" className="text-xs font-medium text-red-600 dark:text-red-400">
            {roleError}
          </p>
        )}
      </fieldset>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <DialogClose asChild>
          <Button variant="secondary">Cancel</Button>
        </DialogClose>
        <SubmitButton pending={pending} pendingText="Creating link…">Create invite link</SubmitButton>
      </div>
    </form>
  );
}

/** The link exists in plain text only in this response: the database keeps its hash. */
function InviteLinkReveal({ result, onAnother }: { result: InviteLinkResult; onAnother: () => void }) {
  return (
    <div className="space-y-4">
      <Alert tone="success" title={`Invite link for a new ${ROLE_LABELS[result.role].toLowerCase()}`}>
        Copy it now: Moshi cannot show it again. It works once, until {expiryFormat.format(new Date(result.expiresAt))}.
      </Alert>
      <CopyField value={result.url} label="Invite link" />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Whoever opens the link first can join, so send it only to the person you mean to invite. You can revoke it from this page until it is used.
      </p>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onAnother}>
          Invite someone else
        </Button>
        <DialogClose asChild>
          <Button>Done</Button>
        </DialogClose>
      </div>
    </div>
  );
}
