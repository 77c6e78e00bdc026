import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { getChangeMarker } from "@/lib/data/conversations";
import { LiveRefresh } from "./live-refresh";

/**
 * Keeps the page it is placed in current (the inbox, or one thread with `conversationId`): reads
 * the version the page is rendered at, right after the page's own reads, and hands it to the
 * browser, which refreshes the page once the version moves on.
 */
export async function LiveUpdates({ team: slug, conversationId = null }: { team: string; conversationId?: string | null }) {
  const { team, user } = await requireTeam(slug);
  const { version, messageCount } = await getChangeMarker(db(), { teamId: team.id, userId: user.id, conversationId });
  // Keyed, so another thread starts from its own version rather than the previous one's.
  return <LiveRefresh key={conversationId ?? "inbox"} team={team.slug} conversationId={conversationId} version={version} messageCount={messageCount} />;
}
