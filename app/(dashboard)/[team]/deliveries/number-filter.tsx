import { buttonClass } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import type { Provider } from "@/lib/generated/prisma/enums";
import { PROVIDER_INFO } from "@/lib/providers";

/** A GET form, so the filter works without JS and the filtered log has a URL to share. */
export function NumberFilter({
  numbers,
  current,
  outcomeParam,
}: {
  numbers: { id: string; label: string; provider: Provider }[];
  current: string | null;
  outcomeParam: string | null;
}) {
  return (
    <form method="get" className="flex items-center gap-2">
      {outcomeParam && <input type="hidden" name="outcome" value={outcomeParam} />}
      <label htmlFor="number-filter" className="shrink-0 text-sm text-zinc-600 dark:text-zinc-400">
        Number
      </label>
      <Select id="number-filter" name="number" defaultValue={current ?? ""} className="min-w-0 flex-1 sm:w-60 sm:flex-none">
        <option value="">All numbers</option>
        {numbers.map((n) => (
          <option key={n.id} value={n.id}>
            {n.label} ({PROVIDER_INFO[n.provider].label})
          </option>
        ))}
      </Select>
      <button type="submit" className={buttonClass({ variant: "secondary" })}>
        Apply
      </button>
    </form>
  );
}
