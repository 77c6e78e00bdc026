"use client";

import { Archive, ArchiveRestore, type LucideIcon, Mail, MailOpen } from "lucide-react";
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
  const shared = { team, seenUntil: state.seenUntil, conversationId: state.conversationId, compact };
  return (
    <div className={compact ? "flex flex-col gap-1" : "flex flex-wrap items-center gap-2"}>
      <TriageForm
        {...shared}
        kind="unread"
        action={readAction}
        pending={readPending}
        field={["read", state.unread ? "true" : "false"]}
        label={state.unread ? "Mark read" : "Mark unread"}
        Icon={state.unread ? MailOpen : Mail}
        shortcut="u"
      />
      <TriageForm
        {...shared}
        kind="done"
        action={doneAction}
        pending={donePending}
        field={["done", state.done ? "false" : "true"]}
        label={state.done ? "Reopen" : "Mark done"}
        Icon={state.done ? ArchiveRestore : Archive}
        shortcut="e"
      />
      {error?.status === "error" && (
        <p role="alert" className="basis-full text-xs text-red-700 dark:text-red-400">
          {error.error}
        </p>
      )}
    </div>
  );
}

/** One of the two forms: its button names itself (an icon with a label in the list) and its key. */
function TriageForm({
  team,
  conversationId,
  seenUntil,
  compact,
  kind,
  action,
  pending,
  field: [name, value],
  label,
  Icon,
  shortcut,
}: {
  team: string;
  conversationId: string;
  seenUntil: string;
  compact: boolean;
  kind: "unread" | "done";
  action: (data: FormData) => void;
  pending: boolean;
  field: [string, string];
  label: string;
  Icon: LucideIcon;
  shortcut: string;
}) {
  return (
    <form action={action} data-triage={kind}>
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="conversationId" value={conversationId} />
      <input type="hidden" name={name} value={value} />
      <input type="hidden" name="seenUntil" value={seenUntil} />
      <Button
        type="submit"
        variant={compact ? "ghost" : "secondary"}
        size="sm"
        className={compact ? "size-8 p-0" : ""}
        disabled={pending}
        aria-keyshortcuts={compact ? undefined : shortcut}
        aria-label={compact ? label : undefined}
        title={compact ? label : undefined}
      >
        {pending ? <Spinner /> : <Icon className="size-4" aria-hidden="true" />}
        {!compact && (
          <>
            {label}
            <Shortcut>{shortcut}</Shortcut>
          </>
        )}
      </Button>
    </form>
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
