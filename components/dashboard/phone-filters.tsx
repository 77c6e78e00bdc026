"use client";

import { SlidersHorizontal } from "lucide-react";
import { type ReactNode, useId, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";

/**
 * A filter form's search box with its other fields folded away on a phone, so the list they
 * filter starts near the top of the screen: a "Filters" button beside the box shows them (open
 * from the start when one of them is in force). From the `sm` breakpoint up both sit in one row
 * and the button is gone. Returns two siblings for the form's own flex layout.
 */
export function PhoneFilters({ search, active, children }: { search: ReactNode; /** How many of the folded filters are in force. */ active: number; children: ReactNode }) {
  const [open, setOpen] = useState(active > 0);
  const id = useId();
  return (
    <>
      <div className="flex min-w-0 gap-2 sm:flex-1">
        <div className="min-w-0 flex-1">{search}</div>
        <button type="button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)} className={buttonClass({ variant: "secondary", className: "sm:hidden" })}>
          <SlidersHorizontal className="size-4" aria-hidden="true" />
          Filters
          {active > 0 && (
            <span className="rounded-md bg-brand-600 px-1.5 text-xs tabular-nums text-white">
              {active}
              <span className="sr-only"> in force</span>
            </span>
          )}
        </button>
      </div>
      <div id={id} className={cn("gap-2", open ? "flex" : "hidden sm:flex")}>
        {children}
      </div>
    </>
  );
}
