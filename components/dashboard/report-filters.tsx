import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/field";
import { formatRange, type Period, periodLabel, type Preset, PRESETS, type ReportFilters as Filters } from "@/lib/periods";
import { type NumberOption, NumberSelect } from "./number-select";

/**
 * Period tabs, a custom range form and a number filter: plain links and GET forms, so they work
 * without JS and every report has a URL to share. The query they produce is read back by
 * `resolveReportFilters`.
 */
export function ReportFilters({ basePath, filters, numbers }: { basePath: string; filters: Filters; numbers: NumberOption[] }) {
  const { period, phoneNumberId, custom, customError, today } = filters;
  const hrefFor = (p: Period) => {
    const search = new URLSearchParams({ period: p });
    if (phoneNumberId) search.set("number", phoneNumberId);
    return `${basePath}?${search}`;
  };
  const showCustom = period === "custom" || customError !== null;
  const tabs: { period: Period; label: string }[] = [
    ...(Object.keys(PRESETS) as Preset[]).map((p) => ({ period: p, label: periodLabel(p) })),
    { period: "custom", label: "Custom" },
  ];
  const invalid = (field: "from" | "to") => (customError && (customError.field === field || customError.field === "range") ? true : undefined);
  const describedBy = customError ? "custom-period-error" : "custom-period-hint";

  return (
    <div className="space-y-3">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <nav aria-label="Period" className="inline-flex flex-wrap self-start rounded-lg border border-zinc-200 bg-white p-1 text-sm shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          {tabs.map((tab) => (
            <Link
              key={tab.period}
              href={hrefFor(tab.period)}
              aria-current={tab.period === period ? "page" : undefined}
              className={cn(
                "rounded-md px-3 py-1.5 font-medium",
                tab.period === period ? "bg-brand-600 text-white" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
              )}
            >
              {/* "Last" is read but not shown on phones, where four tabs would not fit on a line. */}
              {tab.label.startsWith("Last ") ? (
                <>
                  <span className="sr-only sm:not-sr-only">Last </span>
                  {tab.label.slice("Last ".length)}
                </>
              ) : (
                tab.label
              )}
            </Link>
          ))}
        </nav>
        <form method="get" className="flex min-w-0 items-center gap-2">
          <input type="hidden" name="period" value={period} />
          {period === "custom" && (
            <>
              <input type="hidden" name="from" value={custom.from} />
              <input type="hidden" name="to" value={custom.to} />
            </>
          )}
          <label htmlFor="number" className="text-sm text-zinc-600 dark:text-zinc-400">
            Number
          </label>
          <NumberSelect id="number" numbers={numbers} current={phoneNumberId} className="min-w-0 flex-1 sm:w-56 sm:flex-none" />
          <button type="submit" className={buttonClass({ variant: "secondary" })}>
            Apply
          </button>
        </form>
      </div>

      {customError && (
        <Alert tone="warning" title="The custom period was not applied">
          <p id="custom-period-error">
            {customError.message} Showing the {periodLabel(period as Preset).toLowerCase()} instead.
          </p>
        </Alert>
      )}

      {showCustom && (
        <form method="get" className="rounded-lg border border-zinc-200 bg-white p-3 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <fieldset className="flex flex-wrap items-end gap-3">
            <legend className="mb-2 text-sm font-medium text-zinc-800 dark:text-zinc-200">Custom period</legend>
            <input type="hidden" name="period" value="custom" />
            {phoneNumberId && <input type="hidden" name="number" value={phoneNumberId} />}
            <div className="space-y-1">
              <label htmlFor="period-from" className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
                From
              </label>
              <Input id="period-from" name="from" type="date" required max={today} defaultValue={custom.from} aria-invalid={invalid("from")} aria-describedby={describedBy} className="w-44" />
            </div>
            <div className="space-y-1">
              <label htmlFor="period-to" className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
                To
              </label>
              <Input id="period-to" name="to" type="date" required max={today} defaultValue={custom.to} aria-invalid={invalid("to")} aria-describedby={describedBy} className="w-44" />
            </div>
            <button type="submit" className={buttonClass()}>
              Show period
            </button>
            <p id="custom-period-hint" className="basis-full text-xs text-zinc-500 dark:text-zinc-400">
              Dates in UTC, both days included, up to a year.
            </p>
          </fieldset>
        </form>
      )}

      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Showing <span className="font-medium text-zinc-900 dark:text-zinc-100">{formatRange(filters)}</span> (UTC)
      </p>
    </div>
  );
}
