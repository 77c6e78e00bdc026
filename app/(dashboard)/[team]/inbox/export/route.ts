import { findTeamForRequest } from "@/lib/auth/guards";
import { CSV_BOM, csvRecord } from "@/lib/csv";
import { db } from "@/lib/db";
import { exportMessages } from "@/lib/data/conversations";
import { streamBatches } from "@/lib/http/stream-batches";
import { listNumbers } from "@/lib/data/numbers";
import { readInboxFilter } from "@/lib/inbox";

const COLUMNS = [
  "received_at",
  "provider",
  "our_number",
  "our_number_label",
  "sender",
  "text",
  "binary_hex",
  "keyword",
  "encoding",
  "status",
  "parts_received",
  "parts_expected",
  "provider_timestamp",
  "sender_opted_out_at",
  "conversation_id",
  "message_id",
] as const;

// GET /<team>/inbox/export - the messages matching the inbox's filter (same query string), as CSV
export async function GET(request: Request, { params }: RouteContext<"/[team]/inbox/export">) {
  const { team: slug } = await params;
  const url = new URL(request.url);
  const access = await findTeamForRequest(slug);
  if (access.status === 401) {
    // A download link opened while signed out: sign in, then come back to the download.
    const callbackUrl = url.pathname + url.search;
    return Response.redirect(new URL(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`, url), 303);
  }
  // Not a member: the same answer as for a team that does not exist.
  if (access.status !== 200) return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  const { team } = access;

  const numbers = await listNumbers(db(), team.id);
  const { filter } = readInboxFilter(Object.fromEntries(url.searchParams), numbers.map((n) => n.id));
  const batches = exportMessages(db(), { teamId: team.id, userId: access.userId, ...filter });
  const body = streamBatches(
    batches,
    (messages) =>
      messages
        .map((m) =>
          csvRecord([
            m.receivedAt,
            m.provider.toLowerCase(),
            m.to,
            m.phoneNumber.label,
            m.from,
            m.text,
            m.binaryHex,
            m.keyword,
            m.encoding.toLowerCase(),
            m.status.toLowerCase(),
            m.partsReceived,
            m.partsExpected,
            m.providerTimestamp,
            m.conversation.optedOutAt,
            m.conversationId,
            m.id,
          ]),
        )
        .join(""),
    { head: CSV_BOM + csvRecord(COLUMNS) },
  );

  const date = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="moshi-${team.slug}-messages-${date}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
