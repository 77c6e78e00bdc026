import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div className="mx-auto max-w-5xl" role="status" aria-label="Loading the inbox">
      <Skeleton className="h-7 w-28" />
      <Skeleton className="mt-3 h-4 w-full max-w-xl" />
      <div className="mt-8 flex flex-wrap gap-2">
        {["w-14", "w-24", "w-32", "w-24"].map((width, i) => (
          <Skeleton key={i} className={`h-9 rounded-lg ${width}`} />
        ))}
      </div>
      <div className="mt-4 divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="flex gap-3 px-3 py-3 sm:px-5">
            <div className="min-w-0 flex-1 space-y-2">
              <Skeleton className="h-4 w-52 max-w-full" />
              <Skeleton className="h-3.5 w-full max-w-lg" />
              <Skeleton className="h-5 w-36" />
            </div>
            <Skeleton className="h-3 w-12" />
          </div>
        ))}
      </div>
    </div>
  );
}
