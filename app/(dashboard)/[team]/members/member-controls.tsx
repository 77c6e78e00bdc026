"use client";

import { Check, UserMinus } from "lucide-react";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogClose, FormDialog } from "@/components/ui/dialog";
import { Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import type { Role } from "@/lib/generated/prisma/enums";
import { changeRoleAction, removeMemberAction } from "./actions";
import { ROLE_CHOICES } from "./role-choices";

/** Role picker for one teammate; Save appears only once the choice differs, so rows stay quiet. */
export function RoleForm({ team, membershipId, role, name }: { team: string; membershipId: string; role: Role; name: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(changeRoleAction, { status: "idle" });
  const [value, setValue] = useState<Role>(role);
  const changed = value !== role;
  // A refused change leaves the picker on the role that was chosen, with Save to try again.
  const { onSubmit, pending } = useKeptForm(formAction);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-1">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="membershipId" value={membershipId} />
      <div className="flex items-center gap-2">
        {/* Sized by a wrapper: the control's own w-full would win over a width passed in. */}
        <div className="w-32">
          <Select name="role" value={value} onChange={(event) => setValue(event.target.value as Role)} aria-label={`Role of ${name}`}>
            {ROLE_CHOICES.map((choice) => (
              <option key={choice.role} value={choice.role}>
                {choice.label}
              </option>
            ))}
          </Select>
        </div>
        {changed ? (
          <SubmitButton pending={pending}>Save</SubmitButton>
        ) : (
          state.status === "success" && (
            <span className="inline-flex items-center gap-1 text-xs font-medium text-emerald-700 dark:text-emerald-400" role="status">
              <Check className="size-3.5" aria-hidden="true" />
              Saved
            </span>
          )
        )}
      </div>
      {/* A full Alert would burst the table cell; this line is announced all the same. */}
      {state.status === "error" && (
        <p role="alert" className="text-xs font-medium text-red-600 dark:text-red-400">
          {state.error}
        </p>
      )}
    </form>
  );
}

export function RemoveMemberButton({ team, teamName, membershipId, name }: { team: string; teamName: string; membershipId: string; name: string }) {
  return (
    <FormDialog
      title={`Remove ${name}?`}
      description={`They lose access to ${teamName} right away. You can invite them again later.`}
      trigger={
        <Button variant="ghost" size="sm">
          <UserMinus className="size-4" aria-hidden="true" />
          Remove
          <span className="sr-only"> {name}</span>
        </Button>
      }
    >
      {() => <RemoveMemberForm team={team} membershipId={membershipId} />}
    </FormDialog>
  );
}

function RemoveMemberForm({ team, membershipId }: { team: string; membershipId: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(removeMemberAction, { status: "idle" });
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="membershipId" value={membershipId} />
      {state.status === "error" && <Alert tone="error" title={state.error} />}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <DialogClose asChild>
          <Button variant="secondary">Cancel</Button>
        </DialogClose>
        <SubmitButton variant="danger" pendingText="Removing…">
          Remove from team
        </SubmitButton>
      </div>
    </form>
  );
}
