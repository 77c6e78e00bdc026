"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/actions";
import { acceptInvitationAction } from "./actions";

export function JoinForm({ token, teamName }: { token: string; teamName: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(acceptInvitationAction, { status: "idle" });
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      {state.status === "error" && <Alert tone="error" title={state.error} />}
      <SubmitButton className="w-full" pendingText="Joining…">
        Join {teamName}
      </SubmitButton>
    </form>
  );
}
