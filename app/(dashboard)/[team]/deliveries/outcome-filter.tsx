import Link from "next/link";
import { cn } from "@/components/ui/cn";
import type { DeliveryOutcome } from "@/lib/generated/prisma/enums";

const CHIPS = [
  { outcome: null, label: "All", dot: "bg-zinc-400" },
  { outcome: "STORED", label: "Stored", dot: "bg-emerald-500" },
  { outcome: "DUPLICATE", label: "Retries absorbed", dot: "bg-sky-500" },
  { outcome: "IGNORED", label: "Ignored", dot: "bg-amber-500" },
  { outcome: "REJECTED", label: "Rejected", dot: "bg-red-500" },
] as const satisfies { outcome: DeliveryOutcome | null; label: string; dot: string }[];

/** Counts per outcome that are also the outcome filter: plain links, so they work without JS. */
export function OutcomeFilter({
  counts,
  current,
  hrefFor,
}: {
  counts: Record<DeliveryOutcome, number>;
  current: DeliveryOutcome | null;
  hrefFor: (outcome: DeliveryOutcome | null) => string;
}) {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  return (
    <nav aria-label="Filter by outcome">
      <ul className="flex flex-wrap gap-2">
        {CHIPS.map((chip) => {
          const active = chip.outcome === current;
          const count = chip.outcome ? counts[chip.outcome] : total;
          const alarming = chip.outcome === "REJECTED" && count > 0;
          return (
            <li key={chip.label}>
              <Link
                href={hrefFor(chip.outcome)}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-flex h-9 items-center gap-2 rounded-lg border px-3 text-sm font-medium shadow-sm transition-colors",
                  active
                    ? "border-brand-600 bg-brand-600 text-white dark:border-brand-500 dark:bg-brand-500/25 dark:text-white"
                    : "border-zinc-200 bg-white text-zinc-700 hover:bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800",
                )}
              >
                {chip.outcome && <span aria-hidden="true" className={cn("size-2 rounded-full", chip.dot)} />}
                {chip.label}
                <span
                  className={cn(
                    "rounded-md px-1.5 text-xs tabular-nums",
                    active
                      ? "bg-brand-700 text-white dark:bg-white/15"
                      : alarming
                        ? "bg-red-50 text-red-700 dark:bg-red-500/15 dark:text-red-300"
                        : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
                  )}
                >
                  {count.toLocaleString("en")}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
