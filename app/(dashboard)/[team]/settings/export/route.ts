import { recordAudit } from "@/lib/audit";
import { findTeamForRequest, getCurrentUser } from "@/lib/auth/guards";
import { canManage } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { exportTeam, jsonLine } from "@/lib/data/team-export";
import { streamBatches } from "@/lib/http/stream-batches";

const TEXT = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };

// GET /<team>/settings/export[?tests=1] - everything of the team as JSON lines, streamed (test
// messages only with tests=1) - owner/admin
export async function GET(request: Request, { params }: RouteContext<"/[team]/settings/export">) {
  const { team: slug } = await params;
  const url = new URL(request.url);
  const access = await findTeamForRequest(slug);
  if (access.status === 401) {
    // A download link opened while signed out: sign in, then come back to the download.
    return Response.redirect(new URL(`/sign-in?callbackUrl=${encodeURIComponent(url.pathname)}`, url), 303);
  }
  // Not a member: the same answer as for a team that does not exist.
  if (access.status !== 200) return new Response("Not found\n", { status: 404, headers: TEXT });
  if (!canManage(access.role)) return new Response("Only owners and admins can export the team's data.\n", { status: 403, headers: TEXT });
  const user = await getCurrentUser();
  if (!user) return new Response("Not found\n", { status: 404, headers: TEXT });
  const { team } = access;
  const tests = url.searchParams.get("tests") === "1";

  await recordAudit(db(), { team, user }, {
    action: "team.exported",
    target: { type: "team", id: team.id, label: team.name },
    summary: tests ? "downloaded an export of all the team's data, test messages included" : "downloaded an export of all the team's data",
    details: { testMessages: tests },
  });

  // Streamed batch by batch: a large team neither waits for every row nor is held in memory.
  const body = streamBatches(exportTeam(db(), team.id, { tests }), (lines) => lines.map(jsonLine).join(""), { label: "team export" });

  const date = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="moshi-${team.slug}-export-${date}.jsonl"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
