import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div className="mx-auto max-w-5xl" role="status" aria-label="Loading the forwarding endpoints">
      <Skeleton className="h-7 w-40" />
      <Skeleton className="mt-3 h-4 w-full max-w-xl" />
      <div className="mt-8 space-y-3">
        {Array.from({ length: 2 }, (_, i) => (
          <div key={i} className="rounded-xl border border-zinc-200 p-4 sm:p-5 dark:border-zinc-800">
            <Skeleton className="h-5 w-16" />
            <Skeleton className="mt-2 h-4 w-full max-w-md" />
            <div className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
              {Array.from({ length: 6 }, (_, j) => (
                <Skeleton key={j} className="h-9" />
              ))}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
