import Link from "next/link";
import { Logo } from "@/components/logo";
import { MobileNav } from "@/components/dashboard/mobile-nav";
import { NavLinks } from "@/components/dashboard/nav-links";
import { TeamSwitcher } from "@/components/dashboard/team-switcher";
import { UserMenu } from "@/components/dashboard/user-menu";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { listTeamsForUser } from "@/lib/data/teams";
import { listDisabledByMoshi } from "@/lib/forwarding/endpoints";

export default async function TeamLayout({ children, params }: LayoutProps<"/[team]">) {
  const { team: slug } = await params;
  const { user, team, role, canManage } = await requireTeam(slug);
  const [memberships, turnedOff] = await Promise.all([listTeamsForUser(db(), user.id), listDisabledByMoshi(db(), team.id)]);
  const teams = memberships.map((m) => ({ slug: m.team.slug, name: m.team.name, role: m.role }));
  const current = { slug: team.slug, name: team.name, role };
  const sidebar = (
    <>
      <TeamSwitcher current={current} teams={teams} />
      <nav aria-label="Team" className="flex-1">
        <NavLinks teamSlug={team.slug} canManage={canManage} />
      </nav>
      <UserMenu name={user.name} email={user.email} />
    </>
  );
  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[16rem_1fr]">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      {/* The cell carries the background down the whole page; the sidebar inside stays in view. */}
      <div className="hidden border-r border-zinc-200 bg-zinc-100/60 lg:block dark:border-zinc-800 dark:bg-zinc-900/40">
        <aside className="sticky top-0 flex h-dvh flex-col gap-6 p-4">
          <Logo className="px-1 pt-1" />
          {sidebar}
        </aside>
      </div>
      {/* Below the sidebar's breakpoint: one slim row, and the same sidebar in a sheet behind the menu button. */}
      <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-zinc-200 bg-zinc-50/90 px-2 backdrop-blur sm:px-4 lg:hidden dark:border-zinc-800 dark:bg-zinc-950/90">
        <MobileNav>{sidebar}</MobileNav>
        <Link href={`/${team.slug}/inbox`} className="flex min-w-0 items-center gap-2 rounded-lg px-1 py-1">
          <Logo className="shrink-0" />
          <span aria-hidden="true" className="text-zinc-300 dark:text-zinc-700">
            /
          </span>
          <span className="truncate text-sm font-medium text-zinc-700 dark:text-zinc-300">{team.name}</span>
        </Link>
      </header>
      <main id="main" className="min-w-0 px-4 py-5 sm:px-6 sm:py-6 lg:px-10 lg:py-10">
        {turnedOff.length > 0 && <TurnedOffBanner team={team.slug} endpoints={turnedOff} />}
        {children}
      </main>
    </div>
  );
}

/** Endpoints Moshi turned off (410 Gone, a day of failures): events are not reaching them. */
function TurnedOffBanner({ team, endpoints }: { team: string; endpoints: { id: string; url: string; disabledReason: string | null }[] }) {
  return (
    <div role="status" className="mx-auto mb-6 max-w-6xl space-y-1 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-100">
      {endpoints.map((endpoint) => (
        <p key={endpoint.id} className="wrap-anywhere">
          Forwarding to <span className="font-mono">{endpoint.url}</span> was turned off: {endpoint.disabledReason}{" "}
          <Link href={`/${team}/forwarding/${endpoint.id}`} className="font-medium whitespace-nowrap underline">
            Open the endpoint
          </Link>
        </p>
      ))}
    </div>
  );
}
