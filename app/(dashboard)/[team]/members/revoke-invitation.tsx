"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/actions";
import { revokeInvitationAction } from "./actions";

/** Revoking is one click: the worst a slip costs is sending a new link. */
export function RevokeInvitationButton({ team, invitationId, roleLabel }: { team: string; invitationId: string; roleLabel: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(revokeInvitationAction, { status: "idle" });
  return (
    <form action={formAction} className="flex flex-col items-start gap-1 sm:items-end">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="invitationId" value={invitationId} />
      <SubmitButton variant="secondary" size="sm" pendingText="Revoking…" aria-label={`Revoke the ${roleLabel.toLowerCase()} invite link`}>
        Revoke
      </SubmitButton>
      {state.status === "error" && (
        <p role="alert" className="text-xs font-medium text-red-600 dark:text-red-400">
          {state.error}
        </p>
      )}
    </form>
  );
}
