import { describe, expect, it } from "vitest";
import { alertContent, testAlert } from "@/lib/alerts/messages";
import { DEFAULT_RULES, describeDuration, endpointCrossed, rejectedCrossed, signatureCrossed, silentFor, silentThreshold } from "@/lib/alerts/rules";

const HOUR = 3_600_000;

describe("alert rules", () => {
  it("reads a number's silence threshold from its gaps, bounded, or takes the team's", () => {
    expect(silentThreshold({ silentHours: null }, { gapCount: 20, p90GapMs: 4 * HOUR })).toEqual({ hours: 12, source: "traffic" });
    expect(silentThreshold({ silentHours: null }, { gapCount: 20, p90GapMs: 60_000 })).toEqual({ hours: 2, source: "traffic" });
    expect(silentThreshold({ silentHours: null }, { gapCount: 20, p90GapMs: 5 * 24 * HOUR })).toEqual({ hours: 168, source: "traffic" });
    expect(silentThreshold({ silentHours: null }, { gapCount: 4, p90GapMs: HOUR })).toEqual({ hours: 168, source: "too_little_traffic" });
    expect(silentThreshold({ silentHours: 6 }, { gapCount: 20, p90GapMs: HOUR })).toEqual({ hours: 6, source: "team" });
  });

  it("calls a number silent only past its threshold, and never one that never spoke", () => {
    const now = new Date("2031-01-01T12:00:00Z");
    const threshold = { hours: 3, source: "traffic" } as const;
    expect(silentFor(threshold, null, now)).toBeNull();
    expect(silentFor(threshold, new Date(now.getTime() - 3 * HOUR), now)).toBeNull();
    expect(silentFor(threshold, new Date(now.getTime() - 3 * HOUR - 1), now)).toBe(3 * HOUR + 1);
  });

  it("needs the minimum volume before a rate of refusals counts", () => {
    expect(rejectedCrossed(DEFAULT_RULES, { total: 1, rejected: 1 })).toBe(false);
    expect(rejectedCrossed(DEFAULT_RULES, { total: 10, rejected: 1 })).toBe(false);
    expect(rejectedCrossed(DEFAULT_RULES, { total: 10, rejected: 2 })).toBe(true);
    expect(rejectedCrossed({ rejectedPercent: 1, rejectedMinimum: 1 }, { total: 5, rejected: 0 })).toBe(false);
    expect(signatureCrossed(DEFAULT_RULES, 4)).toBe(false);
    expect(signatureCrossed(DEFAULT_RULES, 5)).toBe(true);
  });

  it("tells an endpoint Moshi turned off from one a person turned off", () => {
    const now = new Date("2031-01-01T12:00:00Z");
    expect(endpointCrossed(DEFAULT_RULES, { enabled: false, disabledReason: "410 Gone", failingSince: null }, now)).toBe("disabled");
    expect(endpointCrossed(DEFAULT_RULES, { enabled: false, disabledReason: null, failingSince: null }, now)).toBeNull();
    expect(endpointCrossed(DEFAULT_RULES, { enabled: true, disabledReason: null, failingSince: new Date(now.getTime() - 14 * 60_000) }, now)).toBeNull();
    expect(endpointCrossed(DEFAULT_RULES, { enabled: true, disabledReason: null, failingSince: new Date(now.getTime() - 15 * 60_000) }, now)).toBe("failing");
  });

  it("says durations as people do", () => {
    expect(describeDuration(30_000)).toBe("1 minute");
    expect(describeDuration(5 * HOUR + 59 * 60_000)).toBe("5 hours");
    expect(describeDuration(47 * HOUR)).toBe("47 hours");
    expect(describeDuration(6 * 24 * HOUR)).toBe("6 days");
  });

  it("escapes what a team typed in the mail's HTML and Slack's mrkdwn", () => {
    const alert = { ...testAlert(new Date("2031-01-01T00:00:00Z"), { id: "n", label: "<b>Sales</b> & co" }), summary: "<script>x</script>" };
    const content = alertContent("fired", alert, { name: "Acme <Ops>" }, "https://moshi.example.com/acme/alerts");
    expect(content.subject).toBe("[Moshi · Acme <Ops>] A number goes quiet: <b>Sales</b> & co");
    expect(content.html).not.toContain("<script>");
    expect(content.html).toContain("&lt;b&gt;Sales&lt;/b&gt; &amp; co");
    const slack = JSON.parse(content.slack) as { text: string; blocks: { text: { text: string } }[] };
    expect(slack.blocks[0]!.text.text).toContain("&lt;b&gt;Sales&lt;/b&gt; &amp; co");
    expect(slack.blocks[0]!.text.text).toContain("<https://moshi.example.com/acme/alerts|Open the alerts page>");
    expect(content.text).toContain("https://moshi.example.com/acme/alerts");
  });
});
