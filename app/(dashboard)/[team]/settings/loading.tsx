import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div className="mx-auto max-w-5xl" role="status" aria-label="Loading the settings">
      <Skeleton className="h-7 w-32" />
      <Skeleton className="mt-3 h-4 w-full max-w-xl" />
      <Skeleton className="mt-10 h-5 w-28" />
      <Skeleton className="mt-3 h-72 w-full rounded-xl" />
      <Skeleton className="mt-10 h-5 w-24" />
      <Skeleton className="mt-3 h-24 w-full rounded-xl" />
    </div>
  );
}
