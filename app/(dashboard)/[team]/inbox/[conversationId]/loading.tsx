import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div className="mx-auto max-w-4xl" role="status" aria-label="Loading the conversation">
      <Skeleton className="mb-4 h-5 w-16" />
      <div className="mb-6 rounded-xl border border-zinc-200 p-4 sm:p-5 dark:border-zinc-800">
        <Skeleton className="h-6 w-56 max-w-full" />
        <Skeleton className="mt-3 h-4 w-72 max-w-full" />
      </div>
      <div className="space-y-5">
        {["h-14 w-64", "h-24 w-96", "h-14 w-48", "h-32 w-[28rem]"].map((size, i) => (
          <div key={i} className="space-y-1.5">
            <Skeleton className={`max-w-[92%] rounded-2xl rounded-bl-md ${size}`} />
            <Skeleton className="h-4 w-40" />
          </div>
        ))}
      </div>
    </div>
  );
}
