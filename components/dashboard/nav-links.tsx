"use client";

import { BarChart3, BellRing, Hash, History, Inbox, KeyRound, Phone, ScrollText, Users, Webhook } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
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
] as const;

/**
 * The team's sections; the current one is marked for sighted and screen-reader users. In a row
 * (on phones) the current one is scrolled into view: the last sections sit past the edge.
 */
export function NavLinks({ teamSlug, canManage = false, orientation = "vertical" }: { teamSlug: string; canManage?: boolean; orientation?: "vertical" | "horizontal" }) {
  const pathname = usePathname();
  const current = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (orientation === "horizontal") current.current?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [orientation, pathname]);
  return (
    <ul className={cn(orientation === "vertical" ? "space-y-0.5" : "flex gap-1")}>
      {items.filter((item) => canManage || !("managers" in item)).map(({ segment, label, icon: Icon }) => {
        const href = `/${teamSlug}/${segment}`;
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={segment}>
            <Link
              ref={active ? current : undefined}
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
