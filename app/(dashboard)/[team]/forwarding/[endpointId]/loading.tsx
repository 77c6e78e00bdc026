import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div className="mx-auto max-w-5xl" role="status" aria-label="Loading the endpoint">
      <Skeleton className="h-4 w-24" />
      <Skeleton className="mt-4 h-5 w-16" />
      <Skeleton className="mt-2 h-7 w-full max-w-lg" />
      <Skeleton className="mt-8 h-32 w-full rounded-xl" />
      <Skeleton className="mt-8 h-5 w-24" />
      <div className="mt-4 divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="flex items-center gap-3 px-4 py-3 sm:px-5">
            <Skeleton className="h-5 w-16" />
            <Skeleton className="h-4 w-36" />
            <Skeleton className="ml-auto h-4 w-40" />
          </div>
        ))}
      </div>
    </div>
  );
}
