import { Archive, ArrowDown, ArrowLeft, BellOff, ChevronDown, ChevronUp } from "lucide-react";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LiveUpdates } from "@/components/dashboard/live-updates";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { findNeighbours, getConversation } from "@/lib/data/conversations";
import { listTeamKeywords } from "@/lib/data/keywords";
import { listNotes, MAX_NOTE_LENGTH } from "@/lib/data/notes";
import { listNumbers } from "@/lib/data/numbers";
import { inboxSearchParams, readInboxFilter } from "@/lib/inbox";
import { Badge } from "@/components/ui/badge";
import { describeSender } from "@/lib/format";
import { describePhoneNumber } from "@/lib/phone";
import { LocalTime } from "@/components/ui/local-time";
import { OurNumber, SenderName } from "../sender";
import { Shortcut, TriageButtons } from "../triage-buttons";
import { MarkRead } from "./mark-read";
import { MessageBubble } from "./message-bubble";
import { NoteCard, NoteForm, type NoteView } from "./notes";
import { ThreadKeyboard } from "./thread-keyboard";

export const metadata: Metadata = { title: "Conversation" };

// GET /<team>/inbox/<conversationId> - one sender's messages to one of our numbers and the team's
// notes, oldest first; the inbox's filter (?view= &unread= &q= …) decides next and previous
export default async function ConversationPage({ params, searchParams }: PageProps<"/[team]/inbox/[conversationId]">) {
  const { team: slug, conversationId } = await params;
  const { team, user, canManage } = await requireTeam(slug);
  const query = await searchParams;
  const before = typeof query.before === "string" && query.before ? query.before : null;
  const numbers = await listNumbers(db(), team.id);
  const { filter } = readInboxFilter(query, numbers.map((n) => n.id));
  const [conversation, keywords, notes, neighbours] = await Promise.all([
    getConversation(db(), { teamId: team.id, userId: user.id, conversationId, before }),
    listTeamKeywords(db(), team.id),
    listNotes(db(), { teamId: team.id, conversationId }),
    findNeighbours(db(), { teamId: team.id, userId: user.id, conversationId, ...filter }),
  ]);
  if (!conversation) notFound();

  const sender = describeSender(conversation.sender);
  const named = new Map(keywords.map((k) => [k.word, k]));
  const filterQuery = inboxSearchParams(filter).toString();
  const withFilter = (path: string) => (filterQuery ? `${path}?${filterQuery}` : path);
  const base = `/${team.slug}/inbox/${conversation.id}`;
  const inboxHref = withFilter(`/${team.slug}/inbox`);
  const nextHref = neighbours.older ? withFilter(`/${team.slug}/inbox/${neighbours.older}`) : null;
  const previousHref = neighbours.newer ? withFilter(`/${team.slug}/inbox/${neighbours.newer}`) : null;
  const newest = conversation.messages.at(-1);
  // Notes join the messages in time order; those older than the messages shown wait with them.
  const oldestShown = conversation.earlierCursor ? conversation.messages[0]?.receivedAt : null;
  const newestShown = before ? newest?.receivedAt : null;
  const timeline = [
    ...conversation.messages.map((message) => ({ kind: "message" as const, at: message.receivedAt, message })),
    ...notes
      .filter((note) => (!oldestShown || note.createdAt >= oldestShown) && (!newestShown || note.createdAt <= newestShown))
      .map((note) => ({
        kind: "note" as const,
        at: note.createdAt,
        note: { id: note.id, authorName: note.authorName, body: note.body, createdAt: note.createdAt.toISOString(), own: note.authorId === user.id } satisfies NoteView,
      })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());

  return (
    <div className="mx-auto max-w-4xl">
      <LiveUpdates team={team.slug} conversationId={conversation.id} />
      {newest && !before && (
        <MarkRead team={team.slug} conversationId={conversation.id} seenUntil={conversation.lastMessageAt.toISOString()} unread={conversation.unreadCount > 0} />
      )}
      <ThreadKeyboard nextHref={nextHref} previousHref={previousHref} />
      {/* Room on the right for the page's "Live" mark, which sits in the corner above. */}
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2 pt-6">
        <Link href={inboxHref} className="inline-flex items-center gap-1.5 text-sm font-medium text-brand-600 hover:underline dark:text-brand-400">
          <ArrowLeft className="size-4" aria-hidden="true" />
          {filter.done ? "Done" : "Inbox"}
        </Link>
        <nav aria-label="Other conversations" className="flex items-center gap-2">
          <StepLink href={previousHref} label="Previous conversation" shortcut="k">
            <ChevronUp className="size-4" aria-hidden="true" />
            Previous
          </StepLink>
          <StepLink href={nextHref} label="Next conversation" shortcut="j">
            <ChevronDown className="size-4" aria-hidden="true" />
            Next
          </StepLink>
        </nav>
      </div>

      <Card className="mb-6 p-4 sm:p-5">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <SenderName sender={sender} as="h1" className="text-xl font-semibold tracking-tight" />
          {conversation.done && (
            <Badge tone="green">
              <Archive className="size-3" aria-hidden="true" />
              Done
            </Badge>
          )}
        </div>
        <div className="mt-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
          <span>to</span>
          <OurNumber number={conversation.phoneNumber} />
          <span className="font-mono">{describePhoneNumber(conversation.phoneNumber.e164).international}</span>
          <span aria-hidden="true">·</span>
          <span>
            {conversation.messageCount} {conversation.messageCount === 1 ? "message" : "messages"}
          </span>
        </div>
        <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
          <TriageButtons
            team={team.slug}
            state={{ conversationId: conversation.id, unread: conversation.unreadCount > 0, done: conversation.done, seenUntil: conversation.lastMessageAt.toISOString() }}
          />
          <p className="hidden text-xs text-zinc-500 sm:block dark:text-zinc-400">
            Read state is yours alone; done is the team&rsquo;s, until the sender writes again.
          </p>
        </div>
        {conversation.optedOutAt && (
          <p role="status" className="mt-4 flex items-start gap-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200 ring-inset dark:bg-red-500/10 dark:text-red-200 dark:ring-red-500/30">
            <BellOff className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <span>
              <span className="font-medium">Opted out</span> on <LocalTime iso={conversation.optedOutAt.toISOString()} />: this sender texted an opt-out keyword
              (STOP, UNSUBSCRIBE, …). Do not send them messages from this number until they text START or UNSTOP.
            </span>
          </p>
        )}
      </Card>

      {conversation.earlierCursor && (
        <div className="mb-4 flex justify-center">
          <Link href={`${base}?before=${conversation.earlierCursor}`} className={buttonClass({ variant: "secondary", size: "sm" })}>
            <ChevronUp className="size-4" aria-hidden="true" />
            Load earlier messages
          </Link>
        </div>
      )}

      {timeline.length === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-500 dark:text-zinc-400 dark:border-zinc-700">
          {before ? "No earlier messages." : "No messages in this conversation."}
        </p>
      ) : (
        <ol aria-label="Messages and notes" className="space-y-5">
          {timeline.map((item) =>
            item.kind === "message" ? (
              <li key={item.message.id}>
                <MessageBubble
                  team={team.slug}
                  message={item.message}
                  named={item.message.keyword ? (named.get(item.message.keyword) ?? null) : null}
                  canManage={canManage}
                />
              </li>
            ) : (
              <li key={item.note.id}>
                <NoteCard team={team.slug} conversationId={conversation.id} note={item.note} />
              </li>
            ),
          )}
        </ol>
      )}

      {!before && (
        <Card className="mt-6 p-4 sm:p-5">
          <NoteForm team={team.slug} conversationId={conversation.id} maxLength={MAX_NOTE_LENGTH} />
        </Card>
      )}

      <p className="mt-6 hidden text-center text-xs text-zinc-500 sm:block dark:text-zinc-400">
        Shortcuts: <Shortcut>j</Shortcut> next · <Shortcut>k</Shortcut> previous · <Shortcut>e</Shortcut> done · <Shortcut>u</Shortcut> unread
      </p>

      {before && (
        <div className="mt-6 flex justify-center">
          <Link href={base} className={buttonClass({ variant: "secondary", size: "sm" })}>
            <ArrowDown className="size-4" aria-hidden="true" />
            Jump to the latest
          </Link>
        </div>
      )}
    </div>
  );
}

/** Next or previous in the inbox's list; a disabled look when there is none. */
function StepLink({ href, label, shortcut, children }: { href: string | null; label: string; shortcut: string; children: ReactNode }) {
  if (!href) {
    return (
      <span aria-disabled="true" className={buttonClass({ variant: "secondary", size: "sm", className: "cursor-not-allowed opacity-50" })}>
        {children}
      </span>
    );
  }
  return (
    <Link href={href} title={`${label} (${shortcut})`} aria-keyshortcuts={shortcut} className={buttonClass({ variant: "secondary", size: "sm" })}>
      {children}
      <Shortcut>{shortcut}</Shortcut>
    </Link>
  );
}
