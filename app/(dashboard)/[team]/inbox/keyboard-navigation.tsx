"use client";

import { type KeyboardEvent, type ReactNode, useEffect, useRef } from "react";

/**
 * Marks the links the keys move between. Written out where the rows are rendered too: a server
 * component importing a value from this client module would get a reference, not the string.
 */
const ROW_ATTRIBUTE = "data-list-row";

const NEXT = new Set(["ArrowDown", "j"]);
const PREVIOUS = new Set(["ArrowUp", "k"]);

/**
 * Moves focus between the rows of a list of links: ↓/j and ↑/k, Home and End; Enter opens the
 * focused row as any link does. Pressing j or k anywhere outside a form field starts at the
 * first row. Without JS the rows are still ordinary links reached with Tab.
 */
export function ListKeyboardNavigation({ children }: { children: ReactNode }) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    function onKeyDown(event: globalThis.KeyboardEvent) {
      if (event.defaultPrevented || hasModifier(event) || isTyping(event.target)) return;
      if (!(NEXT.has(event.key) || PREVIOUS.has(event.key)) || event.key.startsWith("Arrow")) return;
      if (container.current?.contains(event.target as Node)) return;
      const first = rows(container.current)[0];
      if (!first) return;
      event.preventDefault();
      first.focus();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (hasModifier(event)) return;
    const all = rows(container.current);
    const current = all.indexOf(event.target as HTMLElement);
    if (current === -1) return;
    const target = NEXT.has(event.key)
      ? all[Math.min(current + 1, all.length - 1)]
      : PREVIOUS.has(event.key)
        ? all[Math.max(current - 1, 0)]
        : event.key === "Home"
          ? all[0]
          : event.key === "End"
            ? all.at(-1)
            : undefined;
    if (!target) return;
    // Arrow keys would also scroll the page; focusing the row scrolls it into view instead.
    event.preventDefault();
    target.focus();
  }

  return (
    <div ref={container} onKeyDown={onKeyDown}>
      {children}
    </div>
  );
}

function rows(root: HTMLElement | null): HTMLElement[] {
  return root ? Array.from(root.querySelectorAll<HTMLElement>(`[${ROW_ATTRIBUTE}]`)) : [];
}

export function hasModifier(event: { altKey: boolean; ctrlKey: boolean; metaKey: boolean }) {
  return event.altKey || event.ctrlKey || event.metaKey;
}

/** Keys meant for a form field, or for an open menu or dialog (their type-ahead), are left alone. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName) ||
    target.closest('[role="menu"], [role="dialog"], [role="listbox"]') !== null
  );
}
