import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** A note's length limit: a few lines for teammates, not a document. */
export const MAX_NOTE_LENGTH = 1000;

/** Notes shown with a thread, the latest; a thread with more shows these. */
const NOTE_PAGE = 200;

const noteSelect = { id: true, authorId: true, authorName: true, body: true, createdAt: true } as const;

export type ConversationNoteRecord = { id: string; authorId: string | null; authorName: string; body: string; createdAt: Date };

/** A thread's internal notes, oldest first (the latest NOTE_PAGE); none for another team's thread. */
export async function listNotes(prisma: PrismaClient, { teamId, conversationId }: { teamId: string; conversationId: string }): Promise<ConversationNoteRecord[]> {
  const rows = await prisma.conversationNote.findMany({
    where: { teamId, conversationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: NOTE_PAGE,
    select: noteSelect,
  });
  return rows.reverse();
}

/**
 * Adds a note to one of the team's threads, by `author` (whose name is copied, so the note still
 * says who wrote it after the account goes). Null for another team's thread.
 */
export async function addNote(
  prisma: PrismaClient,
  { teamId, conversationId, author, body }: { teamId: string; conversationId: string; author: { id: string; name: string | null; email: string }; body: string },
): Promise<ConversationNoteRecord | null> {
  const conversation = await prisma.conversation.findFirst({ where: { id: conversationId, teamId }, select: { id: true } });
  if (!conversation) return null;
  return prisma.conversationNote.create({
    data: { teamId, conversationId, authorId: author.id, authorName: author.name?.trim() || author.email, body },
    select: noteSelect,
  });
}

/** Deletes a note its author wrote in one of the team's threads; false for anyone else's or another team's. */
export async function deleteOwnNote(prisma: PrismaClient, { teamId, noteId, authorId }: { teamId: string; noteId: string; authorId: string }): Promise<boolean> {
  const { count } = await prisma.conversationNote.deleteMany({ where: { id: noteId, teamId, authorId } });
  return count > 0;
}
