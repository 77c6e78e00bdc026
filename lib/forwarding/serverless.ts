/**
 * Forwarding where no worker process runs (Vercel): due jobs are drained right after a webhook's
 * response is sent, through Next's after(), and every minute by the cron route in vercel.json,
 * which also picks up retries and lost dispatches. Where a worker runs (`npm run dev`,
 * `npm start`, `npm run worker`), it hears new jobs at once and neither is needed.
 */
import "server-only";
import { after } from "next/server";
import { db, sqlPool } from "@/lib/db";
import { drainDueJobs } from "./worker";

/** On Vercel by default; MOSHI_DRAIN_AFTER_RESPONSE=true|false decides elsewhere. */
export function drainsAfterResponse(env: NodeJS.ProcessEnv = process.env): boolean {
  const setting = env.MOSHI_DRAIN_AFTER_RESPONSE?.trim().toLowerCase();
  return setting === "true" || (setting !== "false" && Boolean(env.VERCEL));
}

/** Schedules a drain after the current response; does nothing outside a request or when off. */
export function drainAfterResponse(): void {
  if (!drainsAfterResponse()) return;
  try {
    after(() => drainDueJobs(sqlPool(db())).catch((error: Error) => console.error(`[forwarding] drain after response failed: ${error.message}`)));
  } catch {
    // Outside a request scope (a script or a test calling the handler): nothing to schedule.
  }
}
