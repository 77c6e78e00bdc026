/**
 * The colours of the keywords page's trend chart. Apart from lib/keywords.ts, which the
 * browser's keyword form loads too: this needs the opt-out and opt-in words of lib/sms/keyword.ts.
 */
import { keywordTone } from "@/lib/keywords";
import { OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from "@/lib/sms/keyword";
import type { Tone as BadgeTone } from "@/lib/tone";

/** Tones for keywords without a colour of their own, in the order a chart hands them out. */
const SPARE_TONES: readonly BadgeTone[] = ["brand", "sky", "violet", "amber", "green", "orange", "red", "neutral"];

/** Tones too alike to tell apart as thin lines, in the light theme's shades or the dark one's. */
const ALIKE: Partial<Record<BadgeTone, readonly BadgeTone[]>> = {
  brand: ["violet", "sky"],
  violet: ["brand"],
  sky: ["brand"],
  orange: ["amber", "red"],
  amber: ["orange"],
  red: ["orange"],
};

/**
 * The tone each keyword of a chart is drawn in, in the order given: a named keyword's own colour,
 * as its chip shows it; an opt-out word red and an opt-in word green, as their badges; any other
 * keyword the first spare tone that no keyword of the chart has yet and that is not too alike to
 * one it has (indigo next to violet, amber next to orange), so that lines stay apart. Two named
 * keywords may still share a colour, as their chips do.
 */
export function chartKeywordTones(keywords: readonly string[], colorOf: (keyword: string) => string | undefined): BadgeTone[] {
  const own = keywords.map((keyword): BadgeTone | null => {
    const color = colorOf(keyword);
    if (color !== undefined) return keywordTone(color);
    if (OPT_OUT_KEYWORDS.has(keyword)) return "red";
    if (OPT_IN_KEYWORDS.has(keyword)) return "green";
    return null;
  });
  const taken = new Set(own.filter((tone) => tone !== null));
  let next = 0;
  return own.map((tone) => {
    if (tone !== null) return tone;
    const spare =
      SPARE_TONES.find((t) => !taken.has(t) && !ALIKE[t]?.some((alike) => taken.has(alike))) ??
      SPARE_TONES.find((t) => !taken.has(t)) ??
      SPARE_TONES[next++ % SPARE_TONES.length]!;
    taken.add(spare);
    return spare;
  });
}
