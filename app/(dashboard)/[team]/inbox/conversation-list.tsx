import { Archive, BellOff, CircleAlert, FlaskConical } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import type { ConversationSummary } from "@/lib/data/conversations";
import { describeSender } from "@/lib/format";
import { ListKeyboardNavigation } from "./keyboard-navigation";
import { RelativeTime } from "@/components/ui/relative-time";
import { PartsBadge } from "./message-badges";
import { OurNumber, SenderName } from "./sender";
import { TriageButtons } from "./triage-buttons";

/**
 * The inbox as a list of links, one per conversation: who, on which of our numbers, what they
 * last said and when, with buttons to mark it read or unread (the person's own) and done (the
 * team's). Arrow keys (or j/k) move between rows, Enter opens one. `query` is the inbox's filter,
 * carried into each thread so its next and previous follow the same list.
 */
export function ConversationList({
  team,
  conversations,
  highlight = null,
  query = "",
}: {
  team: string;
  conversations: ConversationSummary[];
  highlight?: string | null;
  query?: string;
}) {
  return (
    <ListKeyboardNavigation>
      <ul
        aria-label="Conversations"
        className="divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
      >
        {conversations.map((conversation) => (
          <li key={conversation.id} className="flex items-stretch">
            <ConversationRow team={team} conversation={conversation} highlight={highlight} query={query} />
            <div className="flex shrink-0 items-center pr-2 sm:pr-3">
              <TriageButtons
                team={team}
                compact
                state={{ conversationId: conversation.id, unread: conversation.unreadCount > 0, done: conversation.done, seenUntil: conversation.lastMessageAt.toISOString() }}
              />
            </div>
          </li>
        ))}
      </ul>
    </ListKeyboardNavigation>
  );
}

function ConversationRow({ team, conversation, highlight, query }: { team: string; conversation: ConversationSummary; highlight: string | null; query: string }) {
  const { latest, unreadCount } = conversation;
  const unread = unreadCount > 0;
  // The latest message's own badge says when it is the incomplete one.
  const earlierIncomplete = conversation.hasIncomplete && latest?.status !== "INCOMPLETE";
  return (
    <Link
      href={`/${team}/inbox/${conversation.id}${query ? `?${query}` : ""}`}
      data-list-row=""
      className={cn(
        "grid min-w-0 flex-1 grid-cols-[0.5rem_minmax(0,1fr)_auto] gap-x-3 gap-y-1 px-3 py-3 transition-colors hover:bg-zinc-50 focus-visible:bg-brand-50 focus-visible:outline-offset-[-2px] sm:px-5 dark:hover:bg-zinc-800/60 dark:focus-visible:bg-brand-500/10",
      )}
    >
      <span aria-hidden="true" className={cn("mt-2 size-2 rounded-full", unread ? "bg-brand-600 dark:bg-brand-400" : "bg-transparent")} />

      <span className="min-w-0 space-y-1">
        <SenderName
          sender={describeSender(conversation.sender)}
          inRow
          className={cn("text-sm", unread ? "font-semibold text-zinc-950 dark:text-white" : "font-medium text-zinc-800 dark:text-zinc-200")}
        />
        <span className={cn("block truncate text-sm", unread ? "text-zinc-800 dark:text-zinc-200" : "text-zinc-600 dark:text-zinc-400")}>
          {latest === null ? (
            <span className="italic">No messages</span>
          ) : latest.snippet !== null ? (
            latest.snippet ? (
              <Highlighted text={latest.snippet} term={highlight} />
            ) : (
              <span className="italic">Empty message</span>
            )
          ) : (
            <span className="italic">{latest.encoding === "BINARY" ? "Binary message" : "No text yet"}</span>
          )}
        </span>
        <span className="flex flex-wrap items-center gap-1.5">
          <OurNumber number={conversation.phoneNumber} />
          {latest && latest.status !== "COMPLETE" && <PartsBadge {...latest} compact />}
          {conversation.optedOutAt && (
            <span title="This sender texted an opt-out keyword such as STOP: do not send them messages until they text START">
              <Badge tone="red">
                <BellOff className="size-3" aria-hidden="true" />
                Opted out
              </Badge>
            </span>
          )}
          {conversation.done && (
            <span title="The team marked this conversation done; a new message from the sender opens it again">
              <Badge tone="green">
                <Archive className="size-3" aria-hidden="true" />
                Done
              </Badge>
            </span>
          )}
          {conversation.testCount > 0 && (
            <span title="Test messages sent with the Numbers page's Test button">
              <Badge tone="violet">
                <FlaskConical className="size-3" aria-hidden="true" />
                {conversation.testCount === conversation.messageCount ? "Test" : `${conversation.testCount} test`}
              </Badge>
            </span>
          )}
          {earlierIncomplete && (
            <span title="An earlier message in this conversation is missing parts">
              <Badge tone="red">
                <CircleAlert className="size-3" aria-hidden="true" />
                Incomplete
              </Badge>
            </span>
          )}
        </span>
      </span>

      <span className="flex flex-col items-end gap-1.5">
        <RelativeTime iso={conversation.lastMessageAt.toISOString()} className="whitespace-nowrap text-xs tabular-nums text-zinc-500 dark:text-zinc-400" />
        {unread && (
          <span className="min-w-5 rounded-full bg-brand-600 px-1.5 py-0.5 text-center text-[11px] font-semibold leading-none tabular-nums text-white">
            {unreadCount > 99 ? "99+" : unreadCount}
            <span className="sr-only"> unread</span>
          </span>
        )}
      </span>
    </Link>
  );
}

/** The text with each case-insensitive occurrence of `term` marked, as a search result shows it. */
function Highlighted({ text, term }: { text: string; term: string | null }) {
  if (!term) return text;
  const lower = text.toLowerCase();
  const needle = term.toLowerCase();
  // Lower-casing can change a string's length (İ); then marking by index would misplace the mark.
  if (lower.length !== text.length || needle.length !== term.length) return text;
  const pieces: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, from)) {
    if (at > from) pieces.push(text.slice(from, at));
    pieces.push(
      <mark key={at} className="rounded-sm bg-amber-200 px-0.5 text-zinc-900 dark:bg-amber-400/30 dark:text-amber-50">
        {text.slice(at, at + needle.length)}
      </mark>,
    );
    from = at + needle.length;
  }
  pieces.push(text.slice(from));
  return pieces;
}
