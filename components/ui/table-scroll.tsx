import type { ReactNode } from "react";
import { cn } from "./cn";

/**
 * The frame of a table that may be wider than a phone: the table scrolls sideways inside it,
 * never the page. A named, focusable region, so keyboard users reach it and scroll it with the
 * arrow keys, and screen readers say what it holds.
 */
export function TableScroll({ label, labelledBy, className, children }: { label?: string; labelledBy?: string; className?: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} aria-labelledby={labelledBy} tabIndex={0} className={cn("overflow-x-auto focus-visible:outline-offset-[-2px]", className)}>
      {children}
    </div>
  );
}
