"use client";

import "./globals.css";

/** The last resort, when even the root layout failed: a plain page with a way to retry. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col items-center justify-center gap-4 bg-zinc-50 p-6 text-center text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
        <h1 className="text-2xl font-semibold tracking-tight">Moshi could not load this page</h1>
        <p className="max-w-sm text-sm text-zinc-600 dark:text-zinc-400">Something went wrong on our side. Please try again in a moment.</p>
        {error.digest && <p className="font-mono text-xs text-zinc-500">Reference: {error.digest}</p>}
        <button type="button" onClick={reset} className="rounded-lg bg-zinc-900 px-4 py-2 text-sm font-medium text-white dark:bg-white dark:text-zinc-900">
          Try again
        </button>
      </body>
    </html>
  );
}
