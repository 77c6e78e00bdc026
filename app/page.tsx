import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { listTeamsForUser } from "@/lib/data/teams";

// GET / - the inbox of the signed-in person's first team, or team creation when they have none
export default async function HomePage() {
  const user = await requireUser();
  const [first] = await listTeamsForUser(db(), user.id);
  redirect(first ? `/${first.team.slug}/inbox` : "/teams/new");
}
