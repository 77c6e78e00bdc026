"use client";

import { useSyncExternalStore } from "react";

/**
 * "5 min ago" for the last day, then a short date, with the full local time on hover. Neither
 * the viewer's time zone nor their clock is known to the server, so it renders UTC (labelled
 * as such) and the browser takes over after hydration; the clock is read through
 * useSyncExternalStore so that an inbox left open does not claim a message is newer than it is.
 */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const now = useSyncExternalStore(subscribeToMinutes, currentMinute, () => null);
  const date = new Date(iso);
  const text = now === null ? `${utcFormat.format(date)} UTC` : relativeText(date, now);
  return (
    <time dateTime={iso} title={now === null ? undefined : localFormat.format(date)} suppressHydrationWarning className={className}>
      {text}
    </time>
  );
}

const localFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const utcFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto", style: "short" });
const sameYear = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const otherYear = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

function relativeText(date: Date, now: number): string {
  const minutes = Math.round((now - date.getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return relative.format(-minutes, "minute");
  if (minutes < 24 * 60) return relative.format(-Math.floor(minutes / 60), "hour");
  return (date.getFullYear() === new Date(now).getFullYear() ? sameYear : otherYear).format(date);
}

// The snapshot changes once a minute, so every RelativeTime on the page re-renders together.
function currentMinute(): number {
  return Math.floor(Date.now() / 60_000) * 60_000;
}

function subscribeToMinutes(onChange: () => void) {
  const timer = setInterval(onChange, 15_000);
  return () => clearInterval(timer);
}
