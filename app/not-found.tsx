import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Logo } from "@/components/logo";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 p-6 text-center">
      <Logo />
      <div className="space-y-2">
        <p className="text-sm font-semibold text-brand-600 dark:text-brand-400">404</p>
        <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
        <p className="max-w-sm text-sm text-zinc-600 dark:text-zinc-400">
          This page does not exist, or it belongs to a team you are not part of.
        </p>
      </div>
      <Link href="/" className={buttonClass({ variant: "secondary" })}>
        Back to Moshi
      </Link>
    </main>
  );
}
