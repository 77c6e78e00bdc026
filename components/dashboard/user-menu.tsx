import { LogOut } from "lucide-react";
import { signOutAction } from "@/app/(auth)/actions";

export function UserMenu({ name, email }: { name: string | null; email: string }) {
  return (
    <div className="flex items-center gap-2.5 px-1">
      <span
        aria-hidden="true"
        className="flex size-8 shrink-0 items-center justify-center rounded-full bg-zinc-200 text-xs font-semibold text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
      >
        {(name || email).slice(0, 1).toUpperCase()}
      </span>
      <div className="min-w-0 flex-1 text-sm">
        <p className="truncate font-medium">{name || email}</p>
        {name && <p className="truncate text-xs text-zinc-600 dark:text-zinc-400">{email}</p>}
      </div>
      <form action={signOutAction}>
        <button
          type="submit"
          className="rounded-md p-2 text-zinc-500 dark:text-zinc-400 hover:bg-zinc-200/70 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
          title="Sign out"
        >
          <LogOut className="size-4" aria-hidden="true" />
          <span className="sr-only">Sign out</span>
        </button>
      </form>
    </div>
  );
}
