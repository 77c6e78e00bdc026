"use client";

import { LogOut } from "lucide-react";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog, DialogClose } from "@/components/ui/dialog";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/actions";
import { leaveTeamAction } from "./actions";

export function LeaveTeam({ team, teamName }: { team: string; teamName: string }) {
  return (
    <section aria-labelledby="leave-heading">
      <Card className="flex flex-col gap-4 p-5 sm:flex-row sm:items-center sm:justify-between">
        <div className="space-y-1">
          <h2 id="leave-heading" className="text-base font-semibold">
            Leave {teamName}
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">You lose access to its numbers and messages. Coming back takes a new invite link.</p>
        </div>
        <Dialog
          title={`Leave ${teamName}?`}
          description="You lose access right away. To come back, an owner or admin has to send you a new invite link."
          trigger={
            <Button variant="secondary">
              <LogOut className="size-4" aria-hidden="true" />
              Leave team
            </Button>
          }
        >
          <LeaveTeamForm team={team} />
        </Dialog>
      </Card>
    </section>
  );
}

function LeaveTeamForm({ team }: { team: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(leaveTeamAction, { status: "idle" });
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="team" value={team} />
      {state.status === "error" && <Alert tone="error" title={state.error} />}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <DialogClose asChild>
          <Button variant="secondary">Stay</Button>
        </DialogClose>
        <SubmitButton variant="danger" pendingText="Leaving…">
          Leave team
        </SubmitButton>
      </div>
    </form>
  );
}
