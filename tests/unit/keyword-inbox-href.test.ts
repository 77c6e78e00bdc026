import { describe, expect, it } from "vitest";
import { chartKeywordTones } from "@/lib/keyword-chart";
import { buildKeywordInboxHref } from "@/lib/keywords";
import { periodSearchParams, resolveReportFilters } from "@/lib/periods";

describe("buildKeywordInboxHref", () => {
  it.each([
    ["SALE", null, "/acme/inbox?keyword=SALE"],
    ["SALE", "num_1", "/acme/inbox?keyword=SALE&number=num_1"],
    ["こんにちは", null, "/acme/inbox?keyword=%E3%81%93%E3%82%93%E3%81%AB%E3%81%A1%E3%81%AF"],
    ["🎉", null, "/acme/inbox?keyword=%F0%9F%8E%89"],
    ["A&B=C", null, "/acme/inbox?keyword=A%26B%3DC"],
    ["#PROMO?", null, "/acme/inbox?keyword=%23PROMO%3F"],
    ["100%+", null, "/acme/inbox?keyword=100%25%2B"],
  ])("links %j (number %j)", (keyword, number, href) => {
    expect(buildKeywordInboxHref("acme", keyword, { phoneNumberId: number })).toBe(href);
    expect(new URL(href, "http://moshi.test").searchParams.get("keyword")).toBe(keyword);
  });

  it("carries the keywords page's period, which the keywords page reads back", () => {
    const now = new Date("2026-11-20T12:00:00Z");
    const month = resolveReportFilters({ period: "30d" }, [], now);
    expect(buildKeywordInboxHref("acme", "SALE", { phoneNumberId: "num_1", period: periodSearchParams(month) })).toBe("/acme/inbox?keyword=SALE&number=num_1&period=30d");

    const custom = resolveReportFilters({ period: "custom", from: "2026-11-01", to: "2026-11-07" }, [], now);
    const href = buildKeywordInboxHref("acme", "SALE", { period: periodSearchParams(custom) });
    expect(href).toBe("/acme/inbox?keyword=SALE&period=custom&from=2026-11-01&to=2026-11-07");
    const back = resolveReportFilters(Object.fromEntries(new URL(href, "http://moshi.test").searchParams), [], now);
    expect(back).toMatchObject({ period: "custom", from: custom.from, to: custom.to, customError: null });

    // A custom range that was not applied is not carried: the page showed the default period.
    const invalid = resolveReportFilters({ period: "custom", from: "2026-11-07", to: "2026-11-01" }, [], now);
    expect(periodSearchParams(invalid).toString()).toBe("period=7d");
  });
});

describe("chartKeywordTones", () => {
  const named: Record<string, string> = { SALE: "orange", WIN: "violet", STOP: "red", JOIN: "indigo" };
  const colorOf = (keyword: string) => named[keyword];

  it("draws a named keyword in its own colour, opt-out and opt-in words as their badges", () => {
    expect(chartKeywordTones(["SALE", "WIN", "NO", "STOP", "YES"], colorOf)).toEqual(["orange", "violet", "sky", "red", "green"]);
    expect(chartKeywordTones(["UNSUBSCRIBE", "START", "NO"], colorOf)).toEqual(["red", "green", "brand"]);
  });

  it("gives other keywords tones that no keyword of the chart has, nor one alike", () => {
    // Not violet or sky next to indigo, nor orange next to amber.
    expect(chartKeywordTones(["A", "JOIN", "B"], colorOf)).toEqual(["amber", "brand", "green"]);
    expect(chartKeywordTones(["SALE", "YES", "WIN", "NO", "C"], colorOf)).toEqual(["orange", "sky", "violet", "green", "neutral"]);
    expect(new Set(chartKeywordTones(["A", "B", "C", "D", "E"], colorOf)).size).toBe(5);
    // More keywords than tones: the tones come round again.
    expect(chartKeywordTones(["A", "B", "C", "D", "E", "F", "G", "H", "I"], colorOf).at(-1)).toBe("brand");
  });
});
