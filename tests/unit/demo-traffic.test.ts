import { describe, expect, it } from "vitest";
import { DEMO_SILENT_MS, planDemoTraffic, providerDemos, seededRandom } from "@/lib/demo-traffic";
import { adapters, pathSegmentOf } from "@/lib/sms/registry";
import { asRawDelivery } from "@/lib/sms/simulate";
import type { RawDelivery } from "@/lib/sms/types";

const now = new Date("2026-11-20T15:30:00.000Z");
const url = (provider: Parameters<typeof pathSegmentOf>[0]) => `https://demo.moshi.invalid/api/webhooks/${pathSegmentOf(provider)}/token`;
/** Every demo number, signed as the seeding signs them (lib/demo.ts). */
const numbers = Object.fromEntries(providerDemos().map(({ provider, demo }) => [provider, { e164: demo.e164, credentials: demo.signWith ?? demo.credentials ?? null, url: url(provider) }]));
const plan = (seed?: number) => planDemoTraffic({ now, numbers, seed });
const describeRequests = (deliveries: ReturnType<typeof plan>) =>
  deliveries.map((d) => [d.provider, d.receivedAt.toISOString(), d.request.method, d.request.query.toString(), d.request.body, d.request.headers]);

describe("the demo traffic plan", () => {
  it("has a number for each provider with a demo, in the registry's order", () => {
    expect(providerDemos().map(({ provider }) => provider)).toEqual(["RAKUTEN", "INFOBIP", "VONAGE", "TWILIO", "TELNYX"]);
    expect(new Set(providerDemos().map(({ demo }) => demo.e164)).size).toBe(5);
    expect(new Set(plan().map((d) => d.provider))).toEqual(new Set(Object.keys(numbers)));
  });

  it("is the same every time for the same moment, and another seed tells it differently", () => {
    expect(describeRequests(plan())).toEqual(describeRequests(plan()));
    expect(describeRequests(plan(1))).not.toEqual(describeRequests(plan()));
  });

  it("plans only the numbers it is given", () => {
    const { RAKUTEN, VONAGE } = numbers;
    const deliveries = planDemoTraffic({ now, numbers: { RAKUTEN, VONAGE } });
    expect(new Set(deliveries.map((d) => d.provider))).toEqual(new Set(["RAKUTEN", "VONAGE"]));
  });

  it("covers thirty days up to now, in arrival order, with the Tokyo line silent lately", () => {
    const deliveries = plan();
    const times = deliveries.map((d) => d.receivedAt.getTime());
    expect(times).toEqual(times.toSorted((a, b) => a - b));
    expect(Math.max(...times)).toBeLessThan(now.getTime());
    expect(Math.min(...times)).toBeGreaterThan(now.getTime() - 31 * 86_400_000);
    const lastTokyo = Math.max(...deliveries.filter((d) => d.provider === "RAKUTEN").map((d) => d.receivedAt.getTime()));
    expect(now.getTime() - lastTokyo).toBeGreaterThan(DEMO_SILENT_MS);
    // Every other number had something in the last day.
    for (const provider of ["INFOBIP", "VONAGE", "TWILIO", "TELNYX"]) {
      const last = Math.max(...deliveries.filter((d) => d.provider === provider).map((d) => d.receivedAt.getTime()));
      expect(now.getTime() - last, provider).toBeLessThan(86_400_000);
    }
  });

  it("ends with the message still arriving, whatever the time of day it is planned at", () => {
    for (let minutes = 0; minutes < 24 * 60; minutes += 7) {
      const at = new Date(Date.UTC(2026, 10, 23) + minutes * 60_000);
      const last = planDemoTraffic({ now: at, numbers }).at(-1)!;
      expect(last.note, at.toISOString()).toBe("three parts, the last one still on its way");
    }
  });

  it("signs what the numbers' credentials verify, and nothing the plan expects refused", () => {
    const stored = Object.fromEntries(providerDemos().map(({ provider, demo }) => [provider, demo.credentials ?? null]));
    const refused: string[] = [];
    for (const d of plan()) {
      const raw: RawDelivery = asRawDelivery(d.request, url(d.provider));
      const verified = adapters[d.provider].verify(raw, { credentials: stored[d.provider] ?? null, now: d.receivedAt });
      expect(verified.ok, `${d.provider} ${d.note}`).toBe(d.expectedStatus !== 401);
      if (!verified.ok) refused.push(`${d.provider} ${verified.code}`);
      // Where the number has credentials, whatever it accepts was signed.
      if (verified.ok && stored[d.provider]) expect(verified.signed, `${d.provider} ${d.note}`).toBe(true);
    }
    expect(refused.toSorted()).toEqual([
      "TELNYX signature_stale",
      "VONAGE signature_mismatch",
      "VONAGE signature_mismatch",
      "VONAGE signature_mismatch",
      "VONAGE signature_missing",
    ]);
  });

  it("tells the stories of the numbers that joined last: a retry, a joined long message, a status callback, a stale replay", () => {
    const deliveries = plan();
    const of = (provider: string) => deliveries.filter((d) => d.provider === provider);
    const twilio = of("TWILIO");
    // One request per message, whatever its length: Twilio joins them.
    expect(twilio.filter((d) => d.note === "a long message, joined by Twilio").map((d) => new URLSearchParams(d.request.body!).get("NumSegments"))).toEqual(["3"]);
    expect(twilio.filter((d) => d.note === "a message Twilio sent twice (a retry)")).toHaveLength(1);
    expect(twilio.filter((d) => /^a status callback/.test(d.note)).map((d) => new URLSearchParams(d.request.body!).get("MessageStatus"))).toEqual(["delivered"]);
    const telnyx = of("TELNYX");
    const [replay] = telnyx.filter((d) => d.expectedStatus === 401);
    const original = telnyx.find((d) => d !== replay && d.request.body === replay!.request.body)!;
    expect(replay!.receivedAt.getTime() - original.receivedAt.getTime()).toBeGreaterThan(30 * 60_000);
    expect(telnyx.some((d) => /[\uac00-\ud7af]/.test(d.request.body!))).toBe(true);
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
