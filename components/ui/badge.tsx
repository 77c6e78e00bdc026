import type { ReactNode } from "react";
import { cn } from "./cn";
import type { Tone } from "@/lib/tone";

export type BadgeTone = Tone;

// The ink (text) of each tone is a theme variable (app/globals.css) that charts draw with too.
const tones: Record<BadgeTone, string> = {
  neutral: "bg-zinc-100 text-(--tone-neutral) ring-zinc-500/20 dark:bg-zinc-800 dark:ring-zinc-400/20",
  brand: "bg-brand-50 text-(--tone-brand) ring-brand-600/20 dark:bg-brand-500/15 dark:ring-brand-400/30",
  green: "bg-emerald-50 text-(--tone-green) ring-emerald-600/20 dark:bg-emerald-500/15 dark:ring-emerald-400/30",
  amber: "bg-amber-50 text-(--tone-amber) ring-amber-600/20 dark:bg-amber-500/15 dark:ring-amber-400/30",
  red: "bg-red-50 text-(--tone-red) ring-red-600/20 dark:bg-red-500/15 dark:ring-red-400/30",
  sky: "bg-sky-50 text-(--tone-sky) ring-sky-600/20 dark:bg-sky-500/15 dark:ring-sky-400/30",
  orange: "bg-orange-50 text-(--tone-orange) ring-orange-600/20 dark:bg-orange-500/15 dark:ring-orange-400/30",
  violet: "bg-violet-50 text-(--tone-violet) ring-violet-600/20 dark:bg-violet-500/15 dark:ring-violet-400/30",
};

/** A tone's ink as a CSS colour, for what is not a badge but must match one (a chart's line). */
export function toneColor(tone: BadgeTone): string {
  return `var(--tone-${tone})`;
}

export function Badge({ tone = "neutral", children, className }: { tone?: BadgeTone; children: ReactNode; className?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-1 rounded-md px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset", tones[tone], className)}>
      {children}
    </span>
  );
}
