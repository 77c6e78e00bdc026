import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div className="mx-auto max-w-6xl" role="status" aria-label="Loading the delivery log">
      <Skeleton className="h-7 w-40" />
      <Skeleton className="mt-3 h-4 w-full max-w-xl" />
      <div className="mt-8 flex flex-wrap gap-2">
        {["w-14", "w-24", "w-40", "w-24", "w-28"].map((width, i) => (
          <Skeleton key={i} className={`h-9 rounded-lg ${width}`} />
        ))}
      </div>
      <div className="mt-6 space-y-2 md:space-y-0 md:divide-y md:divide-zinc-200 md:rounded-xl md:border md:border-zinc-200 dark:md:divide-zinc-800 dark:md:border-zinc-800">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="flex items-center gap-4 rounded-xl border border-zinc-200 p-3 md:rounded-none md:border-0 md:px-5 dark:border-zinc-800">
            <Skeleton className="h-10 w-24" />
            <div className="flex-1 space-y-2">
              <Skeleton className="h-4 w-48" />
              <Skeleton className="h-3 w-full max-w-md" />
            </div>
            <Skeleton className="hidden h-8 w-32 md:block" />
          </div>
        ))}
      </div>
    </div>
  );
}
