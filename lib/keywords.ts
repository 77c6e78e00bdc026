import type { Tone as BadgeTone } from "@/lib/tone";

/** The colours a team can give its keywords; each maps to a badge tone that suits both themes. */
export const KEYWORD_COLORS = {
  indigo: { label: "Indigo", tone: "brand" },
  green: { label: "Green", tone: "green" },
  amber: { label: "Amber", tone: "amber" },
  red: { label: "Red", tone: "red" },
  sky: { label: "Sky", tone: "sky" },
  orange: { label: "Orange", tone: "orange" },
  violet: { label: "Violet", tone: "violet" },
  gray: { label: "Gray", tone: "neutral" },
} as const satisfies Record<string, { label: string; tone: BadgeTone }>;

export type KeywordColor = keyof typeof KEYWORD_COLORS;

export const KEYWORD_COLOR_NAMES = Object.keys(KEYWORD_COLORS) as [KeywordColor, ...KeywordColor[]];

export function keywordTone(color: string): BadgeTone {
  return (KEYWORD_COLORS as Record<string, { tone: BadgeTone }>)[color]?.tone ?? "neutral";
}

/**
 * The inbox filtered to conversations with a keyword, and to a number when one is given.
 * Keywords are whatever customers typed first (Japanese, emoji, `&`, `#`…), hence the encoding.
 * The inbox has no period of its own: `period` (the keywords page's, see `periodSearchParams`)
 * rides along so that the inbox links back to the keywords of that period.
 */
export function buildKeywordInboxHref(teamSlug: string, keyword: string, { phoneNumberId = null, period = null }: { phoneNumberId?: string | null; period?: URLSearchParams | null } = {}): string {
  const search = new URLSearchParams({ keyword });
  if (phoneNumberId) search.set("number", phoneNumberId);
  for (const [name, value] of period ?? []) search.set(name, value);
  return `/${teamSlug}/inbox?${search}`;
}
