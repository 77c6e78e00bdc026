"use client";

import { useSyncExternalStore } from "react";

const FORMATS = {
  datetime: { dateStyle: "medium", timeStyle: "medium" },
  short: { dateStyle: "medium", timeStyle: "short" },
  full: { dateStyle: "full", timeStyle: "long" },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * A time in the viewer's locale and time zone. The server cannot know either, so it renders
 * UTC (labelled as such) and the browser swaps in local time right after hydration; React
 * keeps server text on a mismatch, which is why this is not a plain formatted string.
 */
export function LocalTime({ iso, format = "datetime", className }: { iso: string; format?: keyof typeof FORMATS; className?: string }) {
  const text = useSyncExternalStore(
    subscribeToNothing,
    () => new Intl.DateTimeFormat(undefined, FORMATS[format]).format(new Date(iso)),
    () => `${new Intl.DateTimeFormat("en-GB", { ...FORMATS[format], timeZone: "UTC", timeStyle: format === "full" ? "medium" : FORMATS[format].timeStyle }).format(new Date(iso))} UTC`,
  );
  return (
    <time dateTime={iso} suppressHydrationWarning className={className}>
      {text}
    </time>
  );
}

// The locale and time zone do not change while the page is open.
function subscribeToNothing() {
  return () => {};
}
