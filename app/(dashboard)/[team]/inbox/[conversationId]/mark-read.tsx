"use client";

import { startTransition, useEffect, useRef } from "react";
import { markReadAction } from "../actions";

/**
 * Marks the thread read for the person once it is on screen. An action from the browser, not a
 * write during the page's render: Next prefetches pages behind links, and a prefetched thread
 * must not count as read; the action also refreshes the cached inbox, so Back shows the badge
 * gone. Once per thread and newest message: a thread the person marks unread while looking at
 * it stays unread until they come back to it, or a new message arrives.
 */
export function MarkRead({ team, conversationId, seenUntil, unread }: { team: string; conversationId: string; seenUntil: string; unread: boolean }) {
  const sent = useRef<string | null>(null);
  useEffect(() => {
    const key = `${conversationId}@${seenUntil}`;
    if (sent.current === key) return;
    sent.current = key;
    if (!unread) return;
    const form = new FormData();
    form.set("team", team);
    form.set("conversationId", conversationId);
    form.set("seenUntil", seenUntil);
    startTransition(async () => {
      await markReadAction({ status: "idle" }, form);
    });
  }, [team, conversationId, seenUntil, unread]);
  return null;
}
