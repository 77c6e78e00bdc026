"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { hasModifier, isTyping } from "../keyboard-navigation";

/**
 * The thread's shortcuts: j and k go to the next and previous conversation of the inbox's list
 * (its filter and order), e marks it done (or reopens it), u marks it unread (or read). e and u
 * press the buttons on the page, so they do exactly what a click does. Keys typed into a field
 * (the note) or a dialog are left alone.
 */
export function ThreadKeyboard({ nextHref, previousHref }: { nextHref: string | null; previousHref: string | null }) {
  const router = useRouter();
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.repeat || hasModifier(event) || event.shiftKey || isTyping(event.target)) return;
      const href = event.key === "j" ? nextHref : event.key === "k" ? previousHref : null;
      if (href) {
        event.preventDefault();
        router.push(href);
        return;
      }
      const form = event.key === "e" ? "done" : event.key === "u" ? "unread" : null;
      const button = form && document.querySelector<HTMLButtonElement>(`form[data-triage="${form}"] button[type="submit"]`);
      if (button && !button.disabled) {
        event.preventDefault();
        button.click();
      }
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [router, nextHref, previousHref]);
  return null;
}
