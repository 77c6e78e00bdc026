import { ArrowDown, ArrowLeft, BellOff, ChevronUp } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LiveUpdates } from "@/components/dashboard/live-updates";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { getConversation } from "@/lib/data/conversations";
import { listTeamKeywords } from "@/lib/data/keywords";
import { describeSender } from "@/lib/format";
import { describePhoneNumber } from "@/lib/phone";
import { LocalTime } from "@/components/ui/local-time";
import { OurNumber, SenderName } from "../sender";
import { MarkRead } from "./mark-read";
import { MessageBubble } from "./message-bubble";

export const metadata: Metadata = { title: "Conversation" };

// GET /<team>/inbox/<conversationId> - one sender's messages to one of our numbers, oldest first
export default async function ConversationPage({ params, searchParams }: PageProps<"/[team]/inbox/[conversationId]">) {
  const { team: slug, conversationId } = await params;
  const { team } = await requireTeam(slug);
  const query = await searchParams;
  const before = typeof query.before === "string" && query.before ? query.before : null;
  const [conversation, keywords] = await Promise.all([
    getConversation(db(), { teamId: team.id, conversationId, before }),
    listTeamKeywords(db(), team.id),
  ]);
  if (!conversation) notFound();

  const sender = describeSender(conversation.sender);
  const named = new Map(keywords.map((k) => [k.word, k]));
  const base = `/${team.slug}/inbox/${conversation.id}`;
  const newest = conversation.messages.at(-1);

  return (
    <div className="mx-auto max-w-4xl">
      <LiveUpdates team={team.slug} conversationId={conversation.id} />
      {conversation.unreadCount > 0 && newest && !before && (
        <MarkRead team={team.slug} conversationId={conversation.id} seenUntil={conversation.lastMessageAt.toISOString()} />
      )}
      <Link href={`/${team.slug}/inbox`} className="mb-4 inline-flex items-center gap-1.5 text-sm font-medium text-brand-600 hover:underline dark:text-brand-400">
        <ArrowLeft className="size-4" aria-hidden="true" />
        Inbox
      </Link>

      <Card className="mb-6 p-4 sm:p-5">
        <SenderName sender={sender} as="h1" className="text-xl font-semibold tracking-tight" />
        <div className="mt-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
          <span>to</span>
          <OurNumber number={conversation.phoneNumber} />
          <span className="font-mono">{describePhoneNumber(conversation.phoneNumber.e164).international}</span>
          <span aria-hidden="true">·</span>
          <span>
            {conversation.messageCount} {conversation.messageCount === 1 ? "message" : "messages"}
          </span>
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

      {conversation.messages.length === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-500 dark:text-zinc-400 dark:border-zinc-700">
          {before ? "No earlier messages." : "No messages in this conversation."}
        </p>
      ) : (
        <ol aria-label="Messages" className="space-y-5">
          {conversation.messages.map((message) => (
            <li key={message.id}>
              <MessageBubble team={team.slug} message={message} named={message.keyword ? (named.get(message.keyword) ?? null) : null} />
            </li>
          ))}
        </ol>
      )}

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
