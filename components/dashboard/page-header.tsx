import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

/**
 * A page's title, what it is for and its main actions. `listFirst` drops the description on a
 * phone, where the page is a list that should start near the top of the screen (the inbox).
 */
export function PageHeader({ title, description, actions, listFirst = false }: { title: string; description?: ReactNode; actions?: ReactNode; listFirst?: boolean }) {
  return (
    <div className={cn("flex flex-col gap-4 sm:mb-8 sm:flex-row sm:items-end sm:justify-between", listFirst ? "mb-4" : "mb-6")}>
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description && <p className={cn("max-w-2xl text-sm text-zinc-600 dark:text-zinc-400", listFirst && "hidden sm:block")}>{description}</p>}
      </div>
      {actions && <div className="flex shrink-0 gap-2">{actions}</div>}
    </div>
  );
}
