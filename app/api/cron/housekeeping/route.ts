import { refuseUnlessCron } from "@/lib/cron";
import { db, sqlPool } from "@/lib/db";
import { runHousekeeping } from "@/lib/housekeeping";

// GET /api/cron/housekeeping - called hourly by Vercel Cron (vercel.json): removes rows that only
// mattered for a while (lib/housekeeping.ts). Locally the worker's own cron does the same.
export const maxDuration = 300;

export async function GET(request: Request): Promise<Response> {
  const refused = refuseUnlessCron(request);
  if (refused) return refused;
  try {
    const removed = await runHousekeeping(sqlPool(db()));
    return Response.json({ ok: true, removed }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    console.error("[housekeeping] failed", error);
    return Response.json({ error: "Housekeeping failed; the next run retries." }, { status: 503 });
  }
}
