"use client";

import { startTransition, useEffect, useRef } from "react";
import { markReadAction } from "../actions";

/**
 * Marks the thread read once it is on screen. An action from the browser, not a write during
 * the page's render: Next prefetches pages behind links, and a prefetched thread must not
 * count as read; the action also refreshes the cached inbox, so Back shows the badge gone.
 */
export function MarkRead({ team, conversationId, seenUntil }: { team: string; conversationId: string; seenUntil: string }) {
  const sent = useRef<string | null>(null);
  useEffect(() => {
    const key = `${conversationId}@${seenUntil}`;
    if (sent.current === key) return;
    sent.current = key;
    const form = new FormData();
    form.set("team", team);
    form.set("conversationId", conversationId);
    form.set("seenUntil", seenUntil);
    startTransition(async () => {
      await markReadAction({ status: "idle" }, form);
    });
  }, [team, conversationId, seenUntil]);
  return null;
}
