"use client";

import { BarChart3, BellRing, Hash, History, Inbox, KeyRound, Phone, ScrollText, Settings, Users, Webhook } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

const items = [
  { segment: "inbox", label: "Inbox", icon: Inbox },
  { segment: "keywords", label: "Keywords", icon: Hash },
  { segment: "stats", label: "Statistics", icon: BarChart3 },
  { segment: "deliveries", label: "Delivery log", icon: ScrollText },
  { segment: "numbers", label: "Numbers", icon: Phone },
  { segment: "forwarding", label: "Forwarding", icon: Webhook },
  { segment: "alerts", label: "Alerts", icon: BellRing },
  { segment: "members", label: "Members", icon: Users },
  { segment: "api-keys", label: "API keys", icon: KeyRound },
  // Owners and admins only: the page is a 404 for members.
  { segment: "audit", label: "Audit log", icon: History, managers: true },
  { segment: "settings", label: "Settings", icon: Settings },
] as const;

/**
 * The team's sections, in the sidebar and in the phone's menu sheet (one list for both: a new
 * section is one line in `items`). The current one is marked for sighted and screen-reader users.
 */
export function NavLinks({ teamSlug, canManage = false }: { teamSlug: string; canManage?: boolean }) {
  const pathname = usePathname();
  return (
    <ul className="space-y-0.5">
      {items.filter((item) => canManage || !("managers" in item)).map(({ segment, label, icon: Icon }) => {
        const href = `/${teamSlug}/${segment}`;
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={segment}>
            <Link
              href={href}
              aria-current={active ? "page" : undefined}
              className={cn(
                "flex items-center gap-2.5 rounded-lg px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors",
                active
                  ? "bg-zinc-200/70 text-zinc-900 dark:bg-zinc-800 dark:text-white"
                  : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-zinc-100",
              )}
            >
              <Icon className="size-4" aria-hidden="true" />
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
