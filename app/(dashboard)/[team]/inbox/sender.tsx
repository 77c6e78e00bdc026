import type { Provider } from "@/lib/generated/prisma/enums";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import type { SenderDisplay } from "@/lib/format";
import { describePhoneNumber } from "@/lib/phone";
import { PROVIDER_INFO } from "@/lib/providers";

/**
 * A sender as people read it: national format first, then the country and the E.164 form. In
 * list rows the E.164 form waits for wider screens, where it fits on the same line.
 */
export function SenderName({ sender, as: Tag = "span", inRow = false, className }: { sender: SenderDisplay; as?: "span" | "h1"; inRow?: boolean; className?: string }) {
  return (
    <span className="flex min-w-0 flex-wrap items-baseline gap-x-2 gap-y-0.5">
      <Tag className={cn("min-w-0 truncate", className)}>{sender.primary}</Tag>
      {sender.country && <span className="text-xs text-zinc-600 dark:text-zinc-400">{sender.country}</span>}
      {sender.e164 && <span className={cn("font-mono text-[11px] text-zinc-500 dark:text-zinc-400", inRow && "hidden sm:inline")}>{sender.e164}</span>}
    </span>
  );
}

/** Which of our numbers a thread is on: its label, the provider badge, the number on hover. */
export function OurNumber({ number, className }: { number: { label: string; e164: string; provider: Provider }; className?: string }) {
  const info = PROVIDER_INFO[number.provider];
  return (
    <span className={cn("flex min-w-0 items-center gap-1.5 text-xs", className)}>
      <span className="truncate font-medium text-zinc-700 dark:text-zinc-300" title={describePhoneNumber(number.e164).international}>
        {number.label}
      </span>
      <Badge tone={info.tone} className="shrink-0">
        {info.label}
      </Badge>
    </span>
  );
}
