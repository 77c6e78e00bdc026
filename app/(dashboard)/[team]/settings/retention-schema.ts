import { z } from "zod";
import type { RetentionSettings } from "@/lib/data/teams";
import { RETENTION_LIMITS } from "@/lib/retention";

const { minDays, maxDays } = RETENTION_LIMITS;

/** A whole number of days in the allowed range, as typed in a form field. */
function days(what: string) {
  return z
    .string(`Enter how many days ${what} are kept.`)
    .trim()
    .min(1, `Enter how many days ${what} are kept.`)
    .regex(/^\d+$/, "Enter a whole number of days, such as 30.")
    .transform(Number)
    .pipe(z.number().min(minDays, `Keep ${what} at least ${minDays} day.`).max(maxDays, `Keep ${what} at most ${maxDays.toLocaleString("en")} days (ten years).`));
}

/**
 * The settings form: raw bodies for N days; messages for ever, or for M days. Each field is read
 * on its own, so every wrong one is named at once; the days of messages are needed only when
 * they are not kept for ever.
 */
export const retentionSchema = z
  .object({
    keepBodiesDays: days("raw bodies"),
    keepMessages: z.enum(["forever", "days"], "Choose how long messages are kept."),
    keepMessagesDays: z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), days("messages").optional()),
  })
  .transform((form, context): RetentionSettings => {
    if (form.keepMessages === "forever") return { keepBodiesDays: form.keepBodiesDays, keepMessagesDays: null };
    if (form.keepMessagesDays === undefined) {
      context.addIssue({ code: "custom", path: ["keepMessagesDays"], message: "Enter how many days messages are kept." });
      return z.NEVER;
    }
    return { keepBodiesDays: form.keepBodiesDays, keepMessagesDays: form.keepMessagesDays };
  });

export function describeKeep(days: number | null): string {
  if (days === null) return "for ever";
  return days === 1 ? "1 day" : `${days.toLocaleString("en")} days`;
}
