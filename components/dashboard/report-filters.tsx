import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { Select } from "@/components/ui/field";
import { type Period, PERIODS, periodLabel } from "@/lib/periods";

type NumberOption = { id: string; label: string; providerLabel: string };

/** Period tabs and a number filter; plain links and a GET form, so they work without JS. */
export function ReportFilters({ basePath, period, phoneNumberId, numbers }: { basePath: string; period: Period; phoneNumberId: string | null; numbers: NumberOption[] }) {
  const hrefFor = (p: Period) => {
    const search = new URLSearchParams({ period: p });
    if (phoneNumberId) search.set("number", phoneNumberId);
    return `${basePath}?${search}`;
  };
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
      <nav aria-label="Period" className="inline-flex self-start rounded-lg border border-zinc-200 bg-white p-1 text-sm shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        {(Object.keys(PERIODS) as Period[]).map((p) => (
          <Link
            key={p}
            href={hrefFor(p)}
            aria-current={p === period ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-1.5 font-medium",
              p === period ? "bg-brand-600 text-white" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
            )}
          >
            {periodLabel(p)}
          </Link>
        ))}
      </nav>
      <form method="get" className="flex items-center gap-2">
        <input type="hidden" name="period" value={period} />
        <label htmlFor="number" className="text-sm text-zinc-600 dark:text-zinc-400">
          Number
        </label>
        <Select id="number" name="number" defaultValue={phoneNumberId ?? ""} className="w-56">
          <option value="">All numbers</option>
          {numbers.map((n) => (
            <option key={n.id} value={n.id}>
              {n.label} ({n.providerLabel})
            </option>
          ))}
        </Select>
        <button type="submit" className="rounded-lg border border-zinc-300 px-3 py-2 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
          Apply
        </button>
      </form>
    </div>
  );
}
