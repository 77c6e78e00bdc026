import { describe, expect, it } from "vitest";
import { percentile, scheduledAt, spread } from "@/bench/stats";

describe("percentile", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it("answers the nearest rank", () => {
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(hundred, 1)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
  });

  it("sees a single slow request among few at p99", () => {
    expect(percentile([1, 1, 1, 1, 1, 1, 1, 1, 1, 50], 0.99)).toBe(50);
    expect(percentile([7], 0.5)).toBe(7);
  });

  it("is NaN without values", () => {
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe("spread", () => {
  it("answers median and range, in any order", () => {
    expect(spread([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30 });
    expect(spread([4, 2])).toEqual({ median: 3, min: 2, max: 4 });
    expect(spread([5])).toEqual({ median: 5, min: 5, max: 5 });
  });
});

describe("scheduledAt", () => {
  it("spaces requests evenly from the start, whatever happens in between", () => {
    expect(scheduledAt(1000, 200, 0)).toBe(1000);
    expect(scheduledAt(1000, 200, 1)).toBe(1005);
    expect(scheduledAt(1000, 200, 400)).toBe(3000);
  });

  it("refuses a rate that schedules nothing", () => {
    expect(() => scheduledAt(0, 0, 1)).toThrow();
  });
});
