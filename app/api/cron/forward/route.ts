import { refuseUnlessCron } from "@/lib/cron";
import { db, sqlPool } from "@/lib/db";
import { drainDueJobs } from "@/lib/forwarding/worker";

// GET /api/cron/forward - called every minute by Vercel Cron (vercel.json) where no worker
// process runs: gives up on long messages past their window (message.incomplete), evaluates the
// teams' alerts and sends their mail and Slack messages, sends due events, retries, and events
// whose attempt was lost. Vercel sends
// `Authorization: Bearer $CRON_SECRET`; without CRON_SECRET set, the route stays shut.
export const maxDuration = 300;

export async function GET(request: Request): Promise<Response> {
  const refused = refuseUnlessCron(request);
  if (refused) return refused;
  const started = performance.now();
  try {
    await drainDueJobs(sqlPool(db()), undefined, { scheduled: true });
  } catch (error) {
    console.error("[forwarding] cron drain failed", error);
    return Response.json({ error: "The drain failed; the next run retries." }, { status: 503 });
  }
  return Response.json({ ok: true, durationMs: Math.round(performance.now() - started) }, { headers: { "Cache-Control": "no-store" } });
}
