import type { NextRequest } from "next/server";
import { findTeamForRequest } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { getChangeMarker } from "@/lib/data/conversations";

// Every answer is one member's view of this moment: no browser or CDN may keep it.
const NO_STORE = { "Cache-Control": "no-store" };
const ERRORS = { 401: "Sign in to see this team.", 404: "Not found" } as const;

// GET /api/teams/<team>/changes - the version of what the inbox (or ?conversation=<id>) shows, polled by open pages
export async function GET(request: NextRequest, { params }: RouteContext<"/api/teams/[team]/changes">) {
  const { team: slug } = await params;
  const access = await findTeamForRequest(slug);
  if (access.status !== 200) return Response.json({ error: ERRORS[access.status] }, { status: access.status, headers: NO_STORE });
  const conversationId = request.nextUrl.searchParams.get("conversation");
  if (conversationId !== null && !/^[\w-]{1,64}$/.test(conversationId)) {
    return Response.json({ error: "Not a conversation id" }, { status: 400, headers: NO_STORE });
  }
  const { version } = await getChangeMarker(db(), { teamId: access.team.id, userId: access.userId, conversationId });
  return Response.json({ version }, { headers: NO_STORE });
}
