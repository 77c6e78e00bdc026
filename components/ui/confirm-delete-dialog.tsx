"use client";

import { Trash2 } from "lucide-react";
import { type ReactNode, useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/actions";

/**
 * A red Delete button that asks first: the dialog says what goes, and its form posts `fields`
 * (the team and the row's id) to the action. A refusal shows in the dialog, which stays open.
 */
export function ConfirmDeleteDialog({
  action,
  fields,
  title,
  description,
  triggerLabel = "Delete",
  confirmLabel,
  small = false,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  title: string;
  description: ReactNode;
  triggerLabel?: string;
  confirmLabel: string;
  /** A smaller trigger, for a line of text rather than a toolbar. */
  small?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [state, formAction] = useActionState<ActionState, FormData>(action, { status: "idle" });
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={title}
      description={description}
      trigger={
        <Button variant="ghost" size="sm" className={cn("text-red-600 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/40", small && "h-7 px-2 text-xs")}>
          <Trash2 className={small ? "size-3.5" : "size-4"} aria-hidden="true" />
          {triggerLabel}
        </Button>
      }
    >
      <form action={formAction} className="space-y-4">
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {state.status === "error" && <Alert tone="error" title={state.error} />}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <SubmitButton variant="danger" pendingText="Deleting…">
            {confirmLabel}
          </SubmitButton>
        </div>
      </form>
    </Dialog>
  );
}
