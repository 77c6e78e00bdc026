import { describe, expect, it } from "vitest";
import { describeKeep, retentionSchema } from "@/app/(dashboard)/[team]/settings/retention-schema";

/** The first error of each field, as the form shows it (lib/actions.ts). */
const errors = (input: Record<string, string>) => {
  const parsed = retentionSchema.safeParse(input);
  if (parsed.success) return null;
  const found: Record<string, string> = {};
  for (const issue of parsed.error.issues) found[issue.path.join(".")] ??= issue.message;
  return found;
};

describe("the retention form", () => {
  it("reads days of bodies, and messages for ever or for days", () => {
    expect(retentionSchema.parse({ keepBodiesDays: " 30 ", keepMessages: "forever" })).toEqual({ keepBodiesDays: 30, keepMessagesDays: null });
    // Days typed before choosing "for ever" do not count.
    expect(retentionSchema.parse({ keepBodiesDays: "7", keepMessages: "forever", keepMessagesDays: "90" })).toEqual({ keepBodiesDays: 7, keepMessagesDays: null });
    expect(retentionSchema.parse({ keepBodiesDays: "1", keepMessages: "days", keepMessagesDays: "3650" })).toEqual({ keepBodiesDays: 1, keepMessagesDays: 3650 });
  });

  it("names every wrong field at once", () => {
    expect(errors({ keepBodiesDays: "", keepMessages: "days", keepMessagesDays: "1.5" })).toEqual({
      keepBodiesDays: "Enter how many days raw bodies are kept.",
      keepMessagesDays: "Enter a whole number of days, such as 30.",
    });
    expect(errors({ keepBodiesDays: "3651", keepMessages: "days", keepMessagesDays: "0" })).toEqual({
      keepBodiesDays: "Keep raw bodies at most 3,650 days (ten years).",
      keepMessagesDays: "Keep messages at least 1 day.",
    });
    expect(errors({ keepBodiesDays: "30", keepMessages: "days", keepMessagesDays: " " })).toEqual({ keepMessagesDays: "Enter how many days messages are kept." });
    expect(errors({ keepBodiesDays: "30", keepMessages: "sometimes" })).toEqual({ keepMessages: "Choose how long messages are kept." });
    expect(errors({ keepBodiesDays: "-5", keepMessages: "forever" })).toEqual({ keepBodiesDays: "Enter a whole number of days, such as 30." });
  });

  it("says a duration in words", () => {
    expect([describeKeep(null), describeKeep(1), describeKeep(1200)]).toEqual(["for ever", "1 day", "1,200 days"]);
  });
});
