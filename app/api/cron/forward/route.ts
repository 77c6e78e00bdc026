import { timingSafeEqual } from "node:crypto";
import { db, sqlPool } from "@/lib/db";
import { drainDueJobs } from "@/lib/forwarding/worker";

// GET /api/cron/forward - called every minute by Vercel Cron (vercel.json) where no worker
// process runs: gives up on long messages past their window (message.incomplete), sends due
// events, retries, and events whose attempt was lost. Vercel sends
// `Authorization: Bearer $CRON_SECRET`; without CRON_SECRET set, the route stays shut.
export const maxDuration = 300;

export async function GET(request: Request): Promise<Response> {
  const secret = process.env.CRON_SECRET;
  if (!secret) return Response.json({ error: "CRON_SECRET is not set, so this route is off." }, { status: 404 });
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const expected = Buffer.from(`Bearer ${secret}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return Response.json({ error: "Unauthorized." }, { status: 401, headers: { "WWW-Authenticate": "Bearer" } });
  }
  const started = performance.now();
  try {
    await drainDueJobs(sqlPool(db()), undefined, { scheduled: true });
  } catch (error) {
    console.error("[forwarding] cron drain failed", error);
    return Response.json({ error: "The drain failed; the next run retries." }, { status: 503 });
  }
  return Response.json({ ok: true, durationMs: Math.round(performance.now() - started) }, { headers: { "Cache-Control": "no-store" } });
}
