/*
 * Reporting periods for the statistics and keyword pages.
 *
 * Every date here is a UTC date: custom ranges start and end at UTC midnight, and charts bucket
 * by UTC hour or day. Teams have no time zone setting and the server does not know the viewer's,
 * so UTC is the one choice that gives everyone on a team the same numbers; the pages say
 * "dates in UTC" next to every date.
 */

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The ready-made periods, rolling windows ending now, in days. */
export const PRESETS = { "24h": 1, "7d": 7, "30d": 30 } as const;
export type Preset = keyof typeof PRESETS;
export type Period = Preset | "custom";

const DEFAULT_PRESET: Preset = "7d";
/** Days a custom range covers when none is given, today included. */
const DEFAULT_CUSTOM_DAYS = 7;
/** The longest custom range, in days: a year, leap day included. */
export const MAX_CUSTOM_DAYS = 366;
/** Ranges this long or shorter are charted per hour; longer ones per day. */
const HOURLY_UP_TO = 2 * DAY;

export type Bucket = "hour" | "day";

export type ReportFilters = {
  /** The period applied: "custom" only when the custom range was valid. */
  period: Period;
  phoneNumberId: string | null;
  /** Start of the range, included. */
  from: Date;
  /** End of the range, excluded. */
  to: Date;
  /** How charts group the range. */
  bucket: Bucket;
  /** The custom range's first and last days (YYYY-MM-DD) for the form: as asked, else the last 7 days. */
  custom: { from: string; to: string };
  /** Why the custom range asked for was not applied; the default period is shown instead. */
  customError: { field: "from" | "to" | "range"; message: string } | null;
  /** Today's UTC date (YYYY-MM-DD): the latest day a custom range may include. */
  today: string;
};

type Query = Record<string, string | string[] | undefined>;

export function periodLabel(period: Preset): string {
  return `Last ${period.replace("h", " hours").replace("d", " days")}`;
}

/**
 * The one reader of the report pages' query: `?period=` (24h, 7d, 30d or custom; 7d by default),
 * `?from=` and `?to=` (YYYY-MM-DD, both days included, with `period=custom`) and `?number=`
 * (only one of the team's numbers). A custom range that cannot be applied falls back to the
 * default period and says why in `customError`, rather than failing the page.
 */
export function resolveReportFilters(query: Query, numberIds: string[], now = new Date()): ReportFilters {
  const number = first(query.number);
  const phoneNumberId = number && numberIds.includes(number) ? number : null;
  const requested = first(query.period);
  const today = formatDay(startOfUtcDay(now));

  let custom = { from: addDays(today, 1 - DEFAULT_CUSTOM_DAYS), to: today };
  let customError: ReportFilters["customError"] = null;
  if (requested === "custom") {
    const result = parseCustomRange(first(query.from), first(query.to), today);
    custom = result.days;
    if (result.ok) {
      const from = parseDay(custom.from)!;
      const to = new Date(parseDay(custom.to)!.getTime() + DAY);
      return { period: "custom", phoneNumberId, from, to, bucket: bucketFor(from, to), custom, customError, today };
    }
    customError = result.error;
  }

  const period: Preset = requested && Object.hasOwn(PRESETS, requested) ? (requested as Preset) : DEFAULT_PRESET;
  const from = new Date(now.getTime() - PRESETS[period] * DAY);
  return { period, phoneNumberId, from, to: now, bucket: bucketFor(from, now), custom, customError, today };
}

/**
 * The query that gives a report page its period back (`period`, and `from` and `to` for a custom
 * range), for links that should keep it: `resolveReportFilters` reads it.
 */
export function periodSearchParams({ period, custom }: Pick<ReportFilters, "period" | "custom">): URLSearchParams {
  const search = new URLSearchParams({ period });
  if (period === "custom") {
    search.set("from", custom.from);
    search.set("to", custom.to);
  }
  return search;
}

/** The period as a link names it: "last 7 days", "Mar 1 – 7, 2026". */
export function describePeriodShort(filters: Pick<ReportFilters, "period" | "from" | "to">): string {
  return filters.period === "custom" ? formatRange(filters) : periodLabel(filters.period).toLowerCase();
}

/** The range in words for a sentence: "in the last 7 days", "on Mar 1, 2026", "between Mar 1 and Mar 7, 2026". */
export function describePeriod({ period, from, to }: Pick<ReportFilters, "period" | "from" | "to">): string {
  if (period !== "custom") return periodLabel(period).replace("Last", "in the last");
  const last = new Date(to.getTime() - DAY);
  if (last.getTime() === from.getTime()) return `on ${DAY_FORMAT.format(from)}`;
  const start = (from.getUTCFullYear() === last.getUTCFullYear() ? SHORT_DAY_FORMAT : DAY_FORMAT).format(from);
  return `between ${start} and ${DAY_FORMAT.format(last)}`;
}

/** The exact range for display: "Mar 1 – 7, 2026" for whole days, with times for rolling windows. */
export function formatRange({ period, from, to }: Pick<ReportFilters, "period" | "from" | "to">): string {
  if (period === "custom") return DAY_FORMAT.formatRange(from, new Date(to.getTime() - DAY));
  return TIME_FORMAT.formatRange(from, to);
}

/** The start of every chart bucket between `from` (its bucket included) and `to` (excluded). */
export function listBucketStarts(from: Date, to: Date, bucket: Bucket): Date[] {
  const step = bucket === "hour" ? HOUR : DAY;
  const starts: Date[] = [];
  for (let t = Math.floor(from.getTime() / step) * step; t < to.getTime(); t += step) starts.push(new Date(t));
  return starts;
}

/** A bucket's key in chart data: "2026-03-01" for a day, "2026-03-01T13:00Z" for an hour. */
export function bucketKey(start: Date, bucket: Bucket): string {
  return bucket === "day" ? formatDay(start) : `${start.toISOString().slice(0, 13)}:00Z`;
}

/**
 * A chart's series: one entry per bucket of [from, to), each made by `empty` so that a quiet
 * spell shows as zeros, and `at` to find the entry of a row's bucket, given its start in epoch
 * seconds as SQL's `extract(epoch FROM date_trunc(…))` gives it (undefined outside the range).
 */
export function bucketSeries<T>(from: Date, to: Date, bucket: Bucket, empty: (key: string) => T) {
  const keys = listBucketStarts(from, to, bucket).map((start) => bucketKey(start, bucket));
  const entries = new Map(keys.map((key) => [key, empty(key)]));
  return {
    at: (epochSeconds: number) => entries.get(bucketKey(new Date(epochSeconds * 1000), bucket)),
    values: () => [...entries.values()],
  };
}

/** A bucket's label on a chart axis: "Mar 1" for a day or an hourly chart's midnight, else "13:00". */
export function formatBucket(key: string, bucket: Bucket): string {
  const midnight = bucket === "day" || key.slice(11, 13) === "00";
  return (midnight ? SHORT_DAY_FORMAT : HOUR_FORMAT).format(new Date(key));
}

/**
 * The keys an axis labels: on hourly charts every sixth UTC hour, so each day's midnight shows
 * its date and two days' hours cannot be confused; on daily charts, left to the chart.
 */
export function listAxisTicks(keys: string[], bucket: Bucket): string[] | undefined {
  return bucket === "hour" ? keys.filter((key) => Number(key.slice(11, 13)) % 6 === 0) : undefined;
}

/** A bucket in full, for tooltips and screen readers: "Mar 1" or "Mar 1, 13:00 UTC". */
export function formatBucketInFull(key: string, bucket: Bucket): string {
  return bucket === "day" ? SHORT_DAY_FORMAT.format(new Date(key)) : `${TIME_FORMAT.format(new Date(key))} UTC`;
}

const DAY_FORMAT = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
const SHORT_DAY_FORMAT = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
const TIME_FORMAT = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });
const HOUR_FORMAT = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });

type CustomRangeResult = { ok: true; days: { from: string; to: string } } | { ok: false; days: { from: string; to: string }; error: NonNullable<ReportFilters["customError"]> };

/** Checks a custom range; a missing day defaults to today (end) or six days before the end (start). */
function parseCustomRange(fromValue: string | undefined, toValue: string | undefined, today: string): CustomRangeResult {
  const toDay = toValue || today;
  const to = parseDay(toDay);
  const fromDay = fromValue || (to ? addDays(toDay, 1 - DEFAULT_CUSTOM_DAYS) : addDays(today, 1 - DEFAULT_CUSTOM_DAYS));
  const from = parseDay(fromDay);
  const days = { from: fromDay, to: toDay };
  const fail = (field: "from" | "to" | "range", message: string): CustomRangeResult => ({ ok: false, days, error: { field, message } });

  if (!from) return fail("from", `The start date “${fromDay}” is not a valid date (YYYY-MM-DD).`);
  if (!to) return fail("to", `The end date “${toDay}” is not a valid date (YYYY-MM-DD).`);
  if (fromDay > today) return fail("from", `The start date cannot be in the future: today is ${today} (UTC).`);
  if (toDay > today) return fail("to", `The end date cannot be in the future: today is ${today} (UTC).`);
  if (from > to) return fail("range", "The start date must be on or before the end date.");
  const length = Math.round((to.getTime() - from.getTime()) / DAY) + 1;
  if (length > MAX_CUSTOM_DAYS) return fail("range", `A custom period can cover at most ${MAX_CUSTOM_DAYS} days; this one covers ${length}.`);
  return { ok: true, days };
}

/** UTC midnight of a YYYY-MM-DD day, or null unless it is a real calendar day. */
function parseDay(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  // Date rolls impossible days over (Feb 30 → Mar 2); a real day reads back unchanged.
  return Number.isNaN(date.getTime()) || formatDay(date) !== value ? null : date;
}

function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  return formatDay(new Date(parseDay(day)!.getTime() + days * DAY));
}

function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function bucketFor(from: Date, to: Date): Bucket {
  return to.getTime() - from.getTime() <= HOURLY_UP_TO ? "hour" : "day";
}

/** A repeated parameter (`?from=a&from=b`) counts by its first value. */
function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
