"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { recordAudit } from "@/lib/audit";
import { db } from "@/lib/db";
import { markConversationDone, markConversationRead, markConversationUnread, reopenConversation } from "@/lib/data/conversations";
import { addNote, deleteOwnNote, MAX_NOTE_LENGTH } from "@/lib/data/notes";
import { deleteTestMessages } from "@/lib/data/test-messages";
import { AppError } from "@/lib/errors";

const conversationId = z.string().min(1).max(64);
/** The newest message time the person was shown (ISO). */
const seenUntil = z.iso.datetime();

const markReadSchema = z.object({ conversationId, seenUntil });

// POST (action) mark a conversation read - any member, for themselves only; up to what they were shown
export const markReadAction = teamAction(
  markReadSchema,
  async ({ conversationId, seenUntil }, { team, user }): Promise<ActionState> => {
    const changed = await markConversationRead(db(), { teamId: team.id, userId: user.id, conversationId, seenUntil: new Date(seenUntil) });
    // Revalidating also drops the browser's cached inbox, so going Back shows the badge gone.
    if (changed) revalidatePath(`/${team.slug}/inbox`);
    return { status: "success" };
  },
  { manage: false },
);

// POST (action) mark a conversation read or unread by hand - any member, for themselves only;
// unread: its newest message counts as unread again
export const setReadAction = teamAction(
  z.object({ conversationId, read: z.enum(["true", "false"]), seenUntil }),
  async ({ conversationId, read, seenUntil }, { team, user }): Promise<ActionState> => {
    const options = { teamId: team.id, userId: user.id, conversationId };
    if (read === "true") await markConversationRead(db(), { ...options, seenUntil: new Date(seenUntil) });
    else await markConversationUnread(db(), options);
    revalidatePath(`/${team.slug}/inbox`, "layout");
    return { status: "success", message: read === "true" ? "Marked read for you." : "Marked unread for you." };
  },
  { manage: false },
);

// POST (action) mark a conversation done for the team, or open it again (undo) - any member
export const setDoneAction = teamAction(
  z.object({ conversationId, done: z.enum(["true", "false"]), seenUntil: seenUntil.optional() }),
  async ({ conversationId, done, seenUntil }, { team, user }): Promise<ActionState> => {
    if (done === "true") {
      const marked = await markConversationDone(db(), { teamId: team.id, userId: user.id, conversationId, seenUntil: seenUntil ? new Date(seenUntil) : null });
      if (!marked) return { status: "error", error: "A new message arrived in this conversation: read it before marking it done." };
    } else {
      await reopenConversation(db(), { teamId: team.id, conversationId });
    }
    revalidatePath(`/${team.slug}/inbox`, "layout");
    return { status: "success", message: done === "true" ? "Marked done. A new message from the sender opens it again." : "Opened again." };
  },
  { manage: false },
);

const noteSchema = z.object({
  conversationId,
  body: z
    .string()
    .trim()
    .min(1, "Write the note first.")
    .max(MAX_NOTE_LENGTH, `Keep a note to ${MAX_NOTE_LENGTH.toLocaleString("en")} characters.`),
});

// POST (action) add an internal note to a conversation - any member; never sent or forwarded
export const addNoteAction = teamAction(
  noteSchema,
  async ({ conversationId, body }, { team, user }): Promise<ActionState> => {
    const note = await addNote(db(), { teamId: team.id, conversationId, author: user, body });
    if (!note) throw new AppError("NOT_FOUND", "Conversation not found");
    revalidatePath(`/${team.slug}/inbox/${conversationId}`);
    return { status: "success", message: "Note added." };
  },
  { manage: false },
);

// POST (action) delete a note - its author only
export const deleteNoteAction = teamAction(
  z.object({ conversationId, noteId: z.string().min(1).max(64) }),
  async ({ conversationId, noteId }, { team, user }): Promise<ActionState> => {
    const deleted = await deleteOwnNote(db(), { teamId: team.id, noteId, authorId: user.id });
    if (!deleted) return { status: "error", error: "Only the note's author can delete it, and it may be gone already." };
    revalidatePath(`/${team.slug}/inbox/${conversationId}`);
    return { status: "success", message: "Note deleted." };
  },
  { manage: false },
);

// POST (action) delete one test message - owner/admin; messages that are not tests are not found
export const deleteTestMessageAction = teamAction(z.object({ messageId: z.string().min(1).max(64) }), async ({ messageId }, { team, user }): Promise<ActionState> => {
  const deleted = await deleteTestMessages(db(), { teamId: team.id, messageId });
  if (deleted.messages === 0) throw new AppError("NOT_FOUND", "Test message not found");
  await recordAudit(db(), { team, user }, { action: "message.test_deleted", target: { type: "message", id: messageId, label: "a test message" }, summary: "deleted a test message", details: { messages: 1 } });
  revalidatePath(`/${team.slug}`, "layout");
  // Its conversation went with it: back to the inbox's test messages.
  if (deleted.conversations > 0) redirect(`/${team.slug}/inbox?tests=1`);
  return { status: "success", message: "Test message deleted." };
});
