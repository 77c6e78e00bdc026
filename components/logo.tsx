import { MessagesSquare } from "lucide-react";

export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      <span className="flex size-7 items-center justify-center rounded-lg bg-brand-600 text-white shadow-sm">
        <MessagesSquare className="size-4" aria-hidden="true" />
      </span>
      Moshi
    </span>
  );
}
