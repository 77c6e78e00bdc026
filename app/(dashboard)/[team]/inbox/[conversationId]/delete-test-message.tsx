"use client";

import { Trash2 } from "lucide-react";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/actions";
import { deleteTestMessageAction } from "../actions";

/** Deletes one test message (owners and admins); customers' messages have no such button. */
export function DeleteTestMessage({ team, messageId }: { team: string; messageId: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(deleteTestMessageAction, { status: "idle" });
  return (
    <form action={formAction} className="inline-flex items-center gap-2">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="messageId" value={messageId} />
      <SubmitButton variant="ghost" size="sm" className="h-6 px-1.5 text-xs text-red-700 dark:text-red-400" pendingText="Deleting…">
        <Trash2 className="size-3.5" aria-hidden="true" />
        Delete test message
      </SubmitButton>
      {state.status === "error" && <span className="text-xs text-red-700 dark:text-red-400">{state.error}</span>}
    </form>
  );
}
