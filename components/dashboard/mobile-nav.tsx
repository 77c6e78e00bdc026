"use client";

import { Menu, X } from "lucide-react";
import { usePathname } from "next/navigation";
import { Dialog as DialogPrimitive } from "radix-ui";
import { type MouseEvent, type ReactNode, useState } from "react";
import { Logo } from "@/components/logo";

/**
 * The team's navigation below the sidebar's breakpoint: a menu button in the compact header
 * opens a sheet from the left holding what the sidebar holds (the team switcher, every section,
 * the account), so no section sits past the edge of a row of tabs. Radix's dialog traps focus,
 * closes on Escape or a tap outside and gives focus back to the button. Following a link closes
 * it, the current page's included.
 */
export function MobileNav({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  // Open on the page it was opened on: arriving on another one (a section, another team) closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const closeOnLink = (event: MouseEvent) => {
    if (event.target instanceof Element && event.target.closest("a[href]")) setOpenOn(null);
  };
  return (
    <DialogPrimitive.Root open={openOn === pathname} onOpenChange={(open) => setOpenOn(open ? pathname : null)}>
      <DialogPrimitive.Trigger className="flex size-10 shrink-0 items-center justify-center rounded-lg text-zinc-700 hover:bg-zinc-200/70 dark:text-zinc-200 dark:hover:bg-zinc-800">
        <Menu className="size-5" aria-hidden="true" />
        <span className="sr-only">Menu</span>
      </DialogPrimitive.Trigger>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-zinc-950/50 backdrop-blur-[2px] lg:hidden" />
        <DialogPrimitive.Content
          aria-describedby={undefined}
          onClick={closeOnLink}
          className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[calc(100vw-3rem)] flex-col gap-6 overflow-y-auto border-r border-zinc-200 bg-zinc-50 p-4 shadow-xl lg:hidden dark:border-zinc-800 dark:bg-zinc-950"
        >
          <div className="flex items-center justify-between gap-3">
            <Logo className="px-1" />
            <DialogPrimitive.Title className="sr-only">Menu</DialogPrimitive.Title>
            <DialogPrimitive.Close className="flex size-10 items-center justify-center rounded-lg text-zinc-600 hover:bg-zinc-200/70 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-zinc-100">
              <X className="size-5" aria-hidden="true" />
              <span className="sr-only">Close menu</span>
            </DialogPrimitive.Close>
          </div>
          {children}
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}
