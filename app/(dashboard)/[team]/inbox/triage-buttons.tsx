"use client";

import { Archive, ArchiveRestore, Mail, MailOpen } from "lucide-react";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import type { ActionState } from "@/lib/actions";
import { setDoneAction, setReadAction } from "./actions";

export type TriageState = {
  conversationId: string;
  unread: boolean;
  done: boolean;
  /** The newest message time the person sees (ISO): done and read go only that far. */
  seenUntil: string;
};

/**
 * Read or unread (the person's own) and done or open (the team's) for one conversation, as two
 * small forms. `compact` is the list's icon-only form; the thread shows words too. The forms
 * carry `data-triage` so the thread's keyboard shortcuts press the same buttons.
 */
export function TriageButtons({ team, state, compact = false }: { team: string; state: TriageState; compact?: boolean }) {
  const [readState, readAction, readPending] = useActionState<ActionState, FormData>(setReadAction, { status: "idle" });
  const [doneState, doneAction, donePending] = useActionState<ActionState, FormData>(setDoneAction, { status: "idle" });
  const error = [readState, doneState].find((s) => s.status === "error");
  const readLabel = state.unread ? "Mark read" : "Mark unread";
  const doneLabel = state.done ? "Reopen" : "Mark done";
  const ReadIcon = state.unread ? MailOpen : Mail;
  const DoneIcon = state.done ? ArchiveRestore : Archive;
  const size = compact ? "size-8 p-0" : "";
  return (
    <div className={compact ? "flex flex-col gap-1" : "flex flex-wrap items-center gap-2"}>
      <form action={readAction} data-triage="unread">
        <input type="hidden" name="team" value={team} />
        <input type="hidden" name="conversationId" value={state.conversationId} />
        <input type="hidden" name="read" value={state.unread ? "true" : "false"} />
        <input type="hidden" name="seenUntil" value={state.seenUntil} />
        <Button type="submit" variant={compact ? "ghost" : "secondary"} size="sm" className={size} disabled={readPending} aria-keyshortcuts={compact ? undefined : "u"} aria-label={compact ? readLabel : undefined} title={compact ? readLabel : undefined}>
          {readPending ? <Spinner /> : <ReadIcon className="size-4" aria-hidden="true" />}
          {!compact && (
            <>
              {readLabel}
              <Shortcut>u</Shortcut>
            </>
          )}
        </Button>
      </form>
      <form action={doneAction} data-triage="done">
        <input type="hidden" name="team" value={team} />
        <input type="hidden" name="conversationId" value={state.conversationId} />
        <input type="hidden" name="done" value={state.done ? "false" : "true"} />
        <input type="hidden" name="seenUntil" value={state.seenUntil} />
        <Button type="submit" variant={compact ? "ghost" : "secondary"} size="sm" className={size} disabled={donePending} aria-keyshortcuts={compact ? undefined : "e"} aria-label={compact ? doneLabel : undefined} title={compact ? doneLabel : undefined}>
          {donePending ? <Spinner /> : <DoneIcon className="size-4" aria-hidden="true" />}
          {!compact && (
            <>
              {doneLabel}
              <Shortcut>e</Shortcut>
            </>
          )}
        </Button>
      </form>
      {error?.status === "error" && (
        <p role="alert" className="basis-full text-xs text-red-700 dark:text-red-400">
          {error.error}
        </p>
      )}
    </div>
  );
}

/** A key that does the same as the button it sits in (which names it in aria-keyshortcuts); hidden on phones. */
export function Shortcut({ children }: { children: string }) {
  return (
    <kbd aria-hidden="true" className="ml-1 hidden rounded border border-zinc-300 bg-zinc-50 px-1 font-mono text-[11px] leading-4 text-zinc-600 sm:inline dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
      {children}
    </kbd>
  );
}
