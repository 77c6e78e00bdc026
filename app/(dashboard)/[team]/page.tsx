import { redirect } from "next/navigation";

// GET /<team> - the inbox is the team's home: what customers texted comes first
export default async function TeamHome({ params }: PageProps<"/[team]">) {
  const { team } = await params;
  redirect(`/${team}/inbox`);
}
