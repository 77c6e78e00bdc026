"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";

/** How often a visible page asks whether anything changed. */
const POLL_MS = 5_000;
/** The longest wait between attempts while the endpoint keeps failing. */
const MAX_BACKOFF_MS = 60_000;

type LiveState = "live" | "retrying" | "stopped";

const LABELS: Record<LiveState, { text: string; title: string }> = {
  live: { text: "Live", title: "New messages appear here without reloading the page" },
  retrying: { text: "Reconnecting…", title: "Could not check for new messages; trying again" },
  stopped: { text: "Paused", title: "Reload the page to see new messages" },
};

export type LiveRefreshProps = {
  team: string;
  /** Watch one thread instead of the whole inbox. */
  conversationId?: string | null;
  /** The version the server rendered the page at (see `getChangeMarker`). */
  version: string;
  /** The messages the server rendered the page with, to say how many a refresh brought. */
  messageCount: number;
};

/**
 * Keeps a server-rendered page current. While the tab is visible it asks the changes endpoint
 * for the version every few seconds, and refreshes the page's server components when it differs
 * from the one last seen: the page stays the one source of truth, and no connection is held
 * open (serverless functions bill and cut long-lived ones). Hidden tabs do not poll; failures
 * back off. Shows a small "Live" mark, and announces new messages to screen readers.
 */
export function LiveRefresh({ team, conversationId = null, version, messageCount }: LiveRefreshProps) {
  const router = useRouter();
  const [state, setState] = useState<LiveState>("live");
  // What the page was last rendered with, and what that render brought; `count` keys the
  // announcement so the same words said twice are announced twice.
  const [rendered, setRendered] = useState({ version, messageCount, announcement: "", count: 0 });
  if (version !== rendered.version) {
    const added = messageCount - rendered.messageCount;
    setRendered({
      version,
      messageCount,
      announcement: added > 0 ? (added === 1 ? "1 new message" : `${added} new messages`) : rendered.announcement,
      count: added > 0 ? rendered.count + 1 : rendered.count,
    });
  }

  // The version the page is known to show at least. Only a poll moves it: a render's own
  // version is read after the page's data, so a message stored in between would be in the
  // version and missing from the page. A refresh this component asks for renders after the poll
  // that asked, so it shows at least that poll's version. The first render's version is the
  // one exception: there is nothing older to start from, and it is read right after the page's.
  const seen = useRef(version);

  useEffect(() => {
    const url = `/api/teams/${encodeURIComponent(team)}/changes${conversationId ? `?conversation=${encodeURIComponent(conversationId)}` : ""}`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight: AbortController | null = null;
    let failures = 0;
    let stopped = false;

    async function poll() {
      timer = undefined;
      const controller = new AbortController();
      inFlight = controller;
      try {
        const response = await fetch(url, { cache: "no-store", headers: { accept: "application/json" }, signal: controller.signal });
        if (response.status === 401 || response.status === 404) {
          // Signed out, or no longer a member: the page itself says so (sign-in or not found).
          stopped = true;
          setState("stopped");
          router.refresh();
          return;
        }
        const body: unknown = response.ok ? await response.json() : null;
        const latest = typeof body === "object" && body !== null && "version" in body ? body.version : null;
        if (typeof latest !== "string") throw new Error(`Unexpected answer (HTTP ${response.status})`);
        failures = 0;
        setState("live");
        if (latest !== seen.current) {
          seen.current = latest;
          router.refresh();
        }
      } catch {
        if (controller.signal.aborted) return;
        failures++;
        setState("retrying");
      } finally {
        if (inFlight === controller) inFlight = null;
      }
      schedule();
    }

    function schedule() {
      if (stopped || document.visibilityState !== "visible") return;
      clearTimeout(timer);
      timer = setTimeout(poll, failures === 0 ? POLL_MS : Math.min(POLL_MS * 2 ** failures, MAX_BACKOFF_MS));
    }

    function onVisibilityChange() {
      if (document.visibilityState === "visible") {
        // Back on the tab: check at once rather than show what may be minutes old.
        if (!stopped && !inFlight) {
          clearTimeout(timer);
          void poll();
        }
      } else {
        clearTimeout(timer);
        timer = undefined;
        inFlight?.abort();
        inFlight = null;
      }
    }

    document.addEventListener("visibilitychange", onVisibilityChange);
    // At once on arrival too: a page restored by Back may have been rendered long ago.
    if (document.visibilityState === "visible") void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      inFlight?.abort();
      document.removeEventListener("visibilitychange", onVisibilityChange);
    };
  }, [team, conversationId, router]);

  const label = LABELS[state];
  return (
    // No height of its own: the mark sits in the top corner of the page, beside its heading.
    <div className="relative h-0">
      <p title={label.title} className="absolute top-1 right-0 flex items-center gap-1.5 text-xs text-zinc-500 dark:text-zinc-400">
        <span
          aria-hidden="true"
          className={cn("size-1.5 rounded-full", state === "live" ? "bg-emerald-500" : state === "retrying" ? "bg-amber-500" : "bg-zinc-400")}
        />
        {label.text}
        <span className="sr-only"> updates: {label.title.toLowerCase()}</span>
      </p>
      <p role="status" aria-live="polite" className="sr-only">
        <span key={rendered.count}>{rendered.announcement}</span>
      </p>
    </div>
  );
}
