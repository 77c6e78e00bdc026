import { redirect } from "next/navigation";

// GET /<team> - numbers are the team's home until the inbox exists
export default async function TeamHome({ params }: PageProps<"/[team]">) {
  const { team } = await params;
  redirect(`/${team}/numbers`);
}
