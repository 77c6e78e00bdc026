"use client";

import { StickyNote, Trash2 } from "lucide-react";
import { useActionState, useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { LocalTime } from "@/components/ui/local-time";
import { SubmitButton } from "@/components/ui/submit-button";
import { useKeptForm } from "@/components/ui/use-kept-form";
import type { ActionState } from "@/lib/actions";
import { addNoteAction, deleteNoteAction } from "../actions";

export type NoteView = { id: string; authorName: string; body: string; createdAt: string; own: boolean };

/** An internal note in the thread's timeline: on the right, in the team's colour, never sent. */
export function NoteCard({ team, conversationId, note }: { team: string; conversationId: string; note: NoteView }) {
  const [state, formAction] = useActionState<ActionState, FormData>(deleteNoteAction, { status: "idle" });
  return (
    <div className="flex flex-col items-end gap-1.5">
      <div className="max-w-[min(40rem,92%)] rounded-2xl rounded-br-md border border-amber-300 bg-amber-50 px-4 py-2.5 shadow-sm dark:border-amber-500/40 dark:bg-amber-500/10">
        <p className="mb-1 flex items-center gap-1.5 text-xs font-medium text-amber-900 dark:text-amber-200">
          <StickyNote className="size-3.5" aria-hidden="true" />
          Internal note · {note.authorName}
        </p>
        <p className="text-[15px] leading-relaxed whitespace-pre-wrap text-zinc-900 [overflow-wrap:anywhere] dark:text-zinc-100">{note.body}</p>
      </div>
      <div className="flex items-center gap-2 pr-1 text-xs text-zinc-500 dark:text-zinc-400">
        <LocalTime iso={note.createdAt} className="tabular-nums" />
        {note.own && (
          <form action={formAction}>
            <input type="hidden" name="team" value={team} />
            <input type="hidden" name="conversationId" value={conversationId} />
            <input type="hidden" name="noteId" value={note.id} />
            <SubmitButton variant="ghost" size="sm" className="h-6 px-1.5 text-xs" aria-label="Delete this note" pendingText="Deleting…">
              <Trash2 className="size-3.5" aria-hidden="true" />
              Delete
            </SubmitButton>
          </form>
        )}
      </div>
      {state.status === "error" && <p className="text-xs text-red-700 dark:text-red-400">{state.error}</p>}
    </div>
  );
}

/** Writes an internal note: kept as typed when refused, cleared once added. */
export function NoteForm({ team, conversationId, maxLength }: { team: string; conversationId: string; maxLength: number }) {
  const [state, formAction] = useActionState<ActionState, FormData>(addNoteAction, { status: "idle" });
  const { onSubmit, pending } = useKeptForm(formAction);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "success") form.current?.reset();
  }, [state]);
  const error = state.status === "error" ? (state.fieldErrors?.body ?? (state.fieldErrors ? null : state.error)) : null;
  return (
    <form ref={form} action={formAction} onSubmit={onSubmit} noValidate className="space-y-2">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="conversationId" value={conversationId} />
      <label htmlFor="note-body" className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        Internal note
      </label>
      <textarea
        id="note-body"
        name="body"
        rows={2}
        maxLength={maxLength + 100}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "note-body-error" : "note-body-hint"}
        placeholder="For your team: what was done, who follows up…"
        className="block w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm placeholder:text-zinc-400 focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-500"
      />
      {error ? (
        <p id="note-body-error" className="text-xs font-medium text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : (
        <p id="note-body-hint" className="text-xs text-zinc-500 dark:text-zinc-400">
          Only your team sees notes: they are never sent to the sender or forwarded.
        </p>
      )}
      {state.status === "success" && state.message && <Alert tone="success" title={state.message} />}
      <div className="flex justify-end">
        <SubmitButton pending={pending} pendingText="Adding…" size="sm">
          Add note
        </SubmitButton>
      </div>
    </form>
  );
}
