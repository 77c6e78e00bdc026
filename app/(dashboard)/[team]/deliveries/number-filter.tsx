import { buttonClass } from "@/components/ui/button";
import { type NumberOption, NumberSelect } from "@/components/dashboard/number-select";

/** A GET form, so the filter works without JS and the filtered log has a URL to share. */
export function NumberFilter({
  numbers,
  current,
  outcomeParam,
}: {
  numbers: NumberOption[];
  current: string | null;
  outcomeParam: string | null;
}) {
  return (
    <form method="get" className="flex items-center gap-2">
      {outcomeParam && <input type="hidden" name="outcome" value={outcomeParam} />}
      <label htmlFor="number-filter" className="shrink-0 text-sm text-zinc-600 dark:text-zinc-400">
        Number
      </label>
      <NumberSelect id="number-filter" numbers={numbers} current={current} className="min-w-0 flex-1 sm:w-60 sm:flex-none" />
      <button type="submit" className={buttonClass({ variant: "secondary" })}>
        Apply
      </button>
    </form>
  );
}
