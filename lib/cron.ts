import "server-only";
import { timingSafeEqual } from "node:crypto";

/**
 * The gate of the cron routes Vercel calls (vercel.json): `Authorization: Bearer $CRON_SECRET`.
 * Answers the refusal to send, or null to go on. Without CRON_SECRET set, the routes stay shut.
 */
export function refuseUnlessCron(request: Request): Response | null {
  const secret = process.env.CRON_SECRET;
  if (!secret) return Response.json({ error: "CRON_SECRET is not set, so this route is off." }, { status: 404 });
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const expected = Buffer.from(`Bearer ${secret}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return Response.json({ error: "Unauthorized." }, { status: 401, headers: { "WWW-Authenticate": "Bearer" } });
  }
  return null;
}
