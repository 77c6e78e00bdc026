import { describe, expect, it } from "vitest";
import { DEMO_SILENT_MS, planDemoTraffic, seededRandom } from "@/lib/demo-traffic";

const now = new Date("2026-11-20T15:30:00.000Z");
const numbers = {
  RAKUTEN: { e164: "+815012345678", credentials: null },
  INFOBIP: { e164: "+385921004026", credentials: null },
  VONAGE: { e164: "+12192259404", credentials: { signatureMethod: "SHA256", signatureSecret: "demo" } },
} as const;
const plan = (seed?: number) => planDemoTraffic({ now, numbers, seed });
const describeRequests = (deliveries: ReturnType<typeof plan>) =>
  deliveries.map((d) => [d.provider, d.receivedAt.toISOString(), d.request.method, d.request.query.toString(), d.request.body]);

describe("the demo traffic plan", () => {
  it("is the same every time for the same moment, and another seed tells it differently", () => {
    expect(describeRequests(plan())).toEqual(describeRequests(plan()));
    expect(describeRequests(plan(1))).not.toEqual(describeRequests(plan()));
  });

  it("covers thirty days up to now, in arrival order, with the Tokyo line silent lately", () => {
    const deliveries = plan();
    const times = deliveries.map((d) => d.receivedAt.getTime());
    expect(times).toEqual(times.toSorted((a, b) => a - b));
    expect(Math.max(...times)).toBeLessThan(now.getTime());
    expect(Math.min(...times)).toBeGreaterThan(now.getTime() - 31 * 86_400_000);
    const lastTokyo = Math.max(...deliveries.filter((d) => d.provider === "RAKUTEN").map((d) => d.receivedAt.getTime()));
    expect(now.getTime() - lastTokyo).toBeGreaterThan(DEMO_SILENT_MS);
  });

  it("ends with the message still arriving, whatever the time of day it is planned at", () => {
    for (let minutes = 0; minutes < 24 * 60; minutes += 7) {
      const at = new Date(Date.UTC(2026, 10, 23) + minutes * 60_000);
      const last = planDemoTraffic({ now: at, numbers }).at(-1)!;
      expect(last.note, at.toISOString()).toBe("three parts, the last one still on its way");
    }
  });
});

describe("seededRandom", () => {
  it("repeats its sequence for a seed and stays in [0, 1)", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const values = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(values);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBe(1000);
  });
});
