import { describe, expect, it } from "vitest";
import { bucketKey, describePeriod, formatBucket, formatRange, listAxisTicks, listBucketStarts, MAX_CUSTOM_DAYS, resolveReportFilters } from "@/lib/periods";

const NOW = new Date("2026-03-07T15:20:00Z");
const DAY = 86_400_000;
const resolve = (query: Record<string, string | string[] | undefined>, numberIds: string[] = []) => resolveReportFilters(query, numberIds, NOW);

describe("resolveReportFilters: presets", () => {
  it("defaults to the last 7 days up to now, charted per day", () => {
    expect(resolve({})).toMatchObject({
      period: "7d",
      from: new Date(NOW.getTime() - 7 * DAY),
      to: NOW,
      bucket: "day",
      customError: null,
      custom: { from: "2026-03-01", to: "2026-03-07" },
      today: "2026-03-07",
    });
  });

  it("reads 24h (per hour) and 30d (per day)", () => {
    expect(resolve({ period: "24h" })).toMatchObject({ period: "24h", from: new Date(NOW.getTime() - DAY), to: NOW, bucket: "hour" });
    expect(resolve({ period: "30d" })).toMatchObject({ period: "30d", from: new Date(NOW.getTime() - 30 * DAY), to: NOW, bucket: "day" });
  });

  it.each([["90d"], ["toString"], ["__proto__"], [""]])("treats the unknown period %j as the default, without a notice", (period) => {
    expect(resolve({ period })).toMatchObject({ period: "7d", customError: null });
  });

  it("takes the first of repeated parameters", () => {
    expect(resolve({ period: ["30d", "24h"] }).period).toBe("30d");
  });

  it("keeps a number only when it is one of the team's", () => {
    expect(resolve({ number: "n1" }, ["n1", "n2"]).phoneNumberId).toBe("n1");
    expect(resolve({ number: "someone-elses" }, ["n1"]).phoneNumberId).toBeNull();
    expect(resolve({}, ["n1"]).phoneNumberId).toBeNull();
  });
});

describe("resolveReportFilters: custom ranges", () => {
  it("covers both days whole, from UTC midnight to the midnight after the last day", () => {
    const filters = resolve({ period: "custom", from: "2026-02-01", to: "2026-02-28" });
    expect(filters).toMatchObject({
      period: "custom",
      from: new Date("2026-02-01T00:00:00Z"),
      to: new Date("2026-03-01T00:00:00Z"),
      bucket: "day",
      custom: { from: "2026-02-01", to: "2026-02-28" },
      customError: null,
    });
  });

  it("allows a single day, today included, and charts up to two days per hour", () => {
    expect(resolve({ period: "custom", from: "2026-03-07", to: "2026-03-07" })).toMatchObject({
      period: "custom",
      from: new Date("2026-03-07T00:00:00Z"),
      to: new Date("2026-03-08T00:00:00Z"),
      bucket: "hour",
    });
    expect(resolve({ period: "custom", from: "2026-03-05", to: "2026-03-06" }).bucket).toBe("hour");
    expect(resolve({ period: "custom", from: "2026-03-04", to: "2026-03-06" }).bucket).toBe("day");
  });

  it("fills in missing days: the last 7 days, or the 7 days up to the end given", () => {
    expect(resolve({ period: "custom" })).toMatchObject({ period: "custom", custom: { from: "2026-03-01", to: "2026-03-07" }, from: new Date("2026-03-01T00:00:00Z") });
    expect(resolve({ period: "custom", from: "", to: "" })).toMatchObject({ period: "custom", custom: { from: "2026-03-01", to: "2026-03-07" } });
    expect(resolve({ period: "custom", to: "2026-01-10" })).toMatchObject({ period: "custom", custom: { from: "2026-01-04", to: "2026-01-10" } });
    expect(resolve({ period: "custom", from: "2026-02-20" })).toMatchObject({ period: "custom", custom: { from: "2026-02-20", to: "2026-03-07" } });
  });

  it("ignores from and to unless the period is custom", () => {
    expect(resolve({ period: "30d", from: "2026-01-01", to: "2026-01-02" })).toMatchObject({ period: "30d", to: NOW, customError: null });
  });

  it("accepts the longest range and refuses one day more", () => {
    expect(resolve({ period: "custom", from: "2025-03-07", to: "2026-03-07" })).toMatchObject({ period: "custom", customError: null });
    expect(MAX_CUSTOM_DAYS).toBe(366);
    expect(resolve({ period: "custom", from: "2025-03-06", to: "2026-03-07" })).toMatchObject({
      period: "7d",
      customError: { field: "range", message: "A custom period can cover at most 366 days; this one covers 367." },
    });
  });

  it.each([
    [{ from: "2026-03-05", to: "2026-03-01" }, "range", "The start date must be on or before the end date."],
    [{ from: "2026-03-01", to: "2026-03-08" }, "to", "The end date cannot be in the future: today is 2026-03-07 (UTC)."],
    [{ from: "2026-04-01", to: "2026-04-02" }, "from", "The start date cannot be in the future: today is 2026-03-07 (UTC)."],
    [{ from: "2026-02-30", to: "2026-03-01" }, "from", "The start date “2026-02-30” is not a valid date (YYYY-MM-DD)."],
    [{ from: "2026-02-01", to: "2026-13-01" }, "to", "The end date “2026-13-01” is not a valid date (YYYY-MM-DD)."],
    [{ from: "01/03/2026", to: "2026-03-02" }, "from", "The start date “01/03/2026” is not a valid date (YYYY-MM-DD)."],
    [{ from: "2026-3-1", to: "2026-03-02" }, "from", "The start date “2026-3-1” is not a valid date (YYYY-MM-DD)."],
    [{ from: "2026-03-01T00:00", to: "2026-03-02" }, "from", "The start date “2026-03-01T00:00” is not a valid date (YYYY-MM-DD)."],
    [{ from: "<script>", to: "2026-03-02" }, "from", "The start date “<script>” is not a valid date (YYYY-MM-DD)."],
  ])("falls back to the last 7 days and explains %j", (days, field, message) => {
    const filters = resolve({ period: "custom", ...days });
    expect(filters).toMatchObject({ period: "7d", from: new Date(NOW.getTime() - 7 * DAY), to: NOW, customError: { field, message } });
    // The form shows what was asked, so it can be corrected.
    expect(filters.custom).toEqual(days);
  });

  it("accepts the 29th of February in a leap year only", () => {
    const leapNow = new Date("2028-03-10T00:00:00Z");
    expect(resolveReportFilters({ period: "custom", from: "2028-02-29", to: "2028-02-29" }, [], leapNow).customError).toBeNull();
    expect(resolve({ period: "custom", from: "2025-02-29", to: "2025-03-01" }).customError?.field).toBe("from");
  });

  it("reads today as the UTC day, whatever the hour", () => {
    const lateNow = new Date("2026-03-07T23:59:59.999Z");
    expect(resolveReportFilters({ period: "custom", from: "2026-03-07", to: "2026-03-07" }, [], lateNow).customError).toBeNull();
    const earlyNow = new Date("2026-03-07T00:00:00.000Z");
    expect(resolveReportFilters({ period: "custom", from: "2026-03-08", to: "2026-03-08" }, [], earlyNow).customError?.field).toBe("from");
  });
});

describe("describing periods", () => {
  it("says the range in words", () => {
    expect(describePeriod(resolve({}))).toBe("in the last 7 days");
    expect(describePeriod(resolve({ period: "24h" }))).toBe("in the last 24 hours");
    expect(describePeriod(resolve({ period: "custom", from: "2026-03-01", to: "2026-03-01" }))).toBe("on Mar 1, 2026");
    expect(describePeriod(resolve({ period: "custom", from: "2026-02-01", to: "2026-03-05" }))).toBe("between Feb 1 and Mar 5, 2026");
    expect(describePeriod(resolve({ period: "custom", from: "2025-12-30", to: "2026-01-02" }))).toBe("between Dec 30, 2025 and Jan 2, 2026");
  });

  it("formats the exact range, days for custom ranges and times for rolling ones", () => {
    // Intl puts thin spaces around the dash.
    const plain = (text: string) => text.replace(/\s/gu, " ");
    expect(plain(formatRange(resolve({ period: "custom", from: "2026-03-01", to: "2026-03-07" })))).toBe("Mar 1 – 7, 2026");
    expect(plain(formatRange(resolve({ period: "custom", from: "2026-03-01", to: "2026-03-01" })))).toBe("Mar 1, 2026");
    expect(plain(formatRange(resolve({ period: "24h" })))).toBe("Mar 6, 15:20 – Mar 7, 15:20");
  });
});

describe("chart buckets", () => {
  it("lists every UTC hour or day the range touches", () => {
    const from = new Date("2026-03-06T15:20:00Z");
    const hours = listBucketStarts(from, NOW, "hour");
    expect(hours).toHaveLength(25);
    expect(hours[0]).toEqual(new Date("2026-03-06T15:00:00Z"));
    expect(hours.at(-1)).toEqual(new Date("2026-03-07T15:00:00Z"));
    expect(listBucketStarts(new Date("2026-03-01T00:00:00Z"), new Date("2026-03-08T00:00:00Z"), "day").map((d) => bucketKey(d, "day"))).toEqual([
      "2026-03-01",
      "2026-03-02",
      "2026-03-03",
      "2026-03-04",
      "2026-03-05",
      "2026-03-06",
      "2026-03-07",
    ]);
  });

  it("keys and labels buckets", () => {
    expect(bucketKey(new Date("2026-03-06T09:00:00Z"), "hour")).toBe("2026-03-06T09:00Z");
    expect(formatBucket("2026-03-06T09:00Z", "hour")).toBe("09:00");
    expect(formatBucket("2026-03-06", "day")).toBe("Mar 6");
    // An hourly chart's midnight shows the day it starts.
    expect(formatBucket("2026-03-06T00:00Z", "hour")).toBe("Mar 6");
  });

  it("labels every sixth hour on hourly charts, and leaves daily ones to the chart", () => {
    const keys = listBucketStarts(new Date("2026-03-06T00:00:00Z"), new Date("2026-03-08T00:00:00Z"), "hour").map((d) => bucketKey(d, "hour"));
    expect(listAxisTicks(keys, "hour")?.map((key) => formatBucket(key, "hour"))).toEqual(["Mar 6", "06:00", "12:00", "18:00", "Mar 7", "06:00", "12:00", "18:00"]);
    expect(listAxisTicks(["2026-03-06", "2026-03-07"], "day")).toBeUndefined();
  });
});
