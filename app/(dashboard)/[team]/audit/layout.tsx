import { notFound } from "next/navigation";
import { requireTeam } from "@/lib/auth/guards";

/**
 * Owners and admins only; for members the log is a page that does not exist. Checked here,
 * above the page's loading screen: once that screen has started the response, the not-found
 * page could only be sent with status 200. (The team's pages have no loading screen of their
 * own above this one for the same reason.) The page checks again: a layout is not rendered anew
 * when only its page changes, and a role may have changed in between.
 */
export default async function AuditLayout({ children, params }: LayoutProps<"/[team]/audit">) {
  const { team } = await params;
  const { canManage } = await requireTeam(team);
  if (!canManage) notFound();
  return children;
}
