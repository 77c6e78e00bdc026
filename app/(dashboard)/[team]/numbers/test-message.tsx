"use client";

import { Send } from "lucide-react";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormDialog } from "@/components/ui/dialog";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/actions";
import { sendTestMessageAction, type TestMessageResult } from "./actions";
import type { NumberCardData } from "./number-card";

/** Sends a realistic provider delivery to a number and shows what Moshi answered. */
export function TestMessageDialog({ team, number }: { team: string; number: NumberCardData }) {
  return (
    <FormDialog
      title={`Send a test message to ${number.label}`}
      description="Moshi builds a delivery exactly as the provider would send it (signed with your signature settings, if any) and runs it through the same checks and storage as a real one."
      trigger={
        <Button variant="secondary" size="sm">
          <Send className="size-4" aria-hidden="true" />
          Test
        </Button>
      }
    >
      {({ close }) => <TestMessageForm team={team} numberId={number.id} onDone={close} />}
    </FormDialog>
  );
}

function TestMessageForm({ team, numberId, onDone }: { team: string; numberId: string; onDone: () => void }) {
  const [state, formAction] = useActionState<ActionState<TestMessageResult>, FormData>(sendTestMessageAction, { status: "idle" });
  if (state.status === "success" && state.data) {
    const { text, responses } = state.data;
    const ok = responses.every((r) => r.status === 200);
    return (
      <div className="space-y-4">
        <Alert tone={ok ? "success" : "error"} title={ok ? "Received and stored" : "The delivery was refused"}>
          {ok ? <>Moshi stored &ldquo;{text}&rdquo;. It now shows on this number and in the delivery log.</> : "The delivery log has the reason and the fix."}
        </Alert>
        <ul className="space-y-1 font-mono text-xs text-zinc-600 dark:text-zinc-400">
          {responses.map((response, i) => (
            <li key={i}>
              {response.status} {JSON.stringify(response.body)}
            </li>
          ))}
        </ul>
        <div className="flex justify-end">
          <Button onClick={onDone}>Done</Button>
        </div>
      </div>
    );
  }
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="numberId" value={numberId} />
      {state.status === "error" && <Alert tone="error" title={state.error} />}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <SubmitButton pendingText="Sending…">Send test message</SubmitButton>
      </div>
    </form>
  );
}
