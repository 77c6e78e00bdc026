import { parsePhoneNumberWithError } from "libphonenumber-js/max";
import { describePhoneNumber } from "@/lib/phone";

export type SenderDisplay = {
  /** What people read first: the national format for a phone number, else the sender as sent. */
  primary: string;
  country: string | null;
  /** The E.164 form, shown small next to `primary`; null when the sender is not a phone number. */
  e164: string | null;
};

/**
 * How a sender reads to people. Ingestion stores phone numbers as E.164 and keeps alphanumeric
 * IDs ("ACME") and short codes as sent, so only a leading "+" means there is a number to format.
 */
export function describeSender(sender: string): SenderDisplay {
  if (!sender.startsWith("+")) return { primary: sender, country: null, e164: null };
  try {
    const parsed = parsePhoneNumberWithError(sender);
    // Numbers outside the allocated ranges (the UK's 07700 900xxx test numbers, say) have no
    // country of their own; the calling code's main country, listed first, still tells people
    // where the sender is.
    const fallback = parsed.getPossibleCountries()[0];
    const country = describePhoneNumber(sender).country ?? (fallback ? regionNames.of(fallback) ?? null : null);
    return { primary: parsed.formatNational(), country, e164: sender };
  } catch {
    return { primary: sender, country: null, e164: null };
  }
}

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * One line of a message for lists: white space collapsed, cut after `max` user-perceived
 * characters. Cutting by grapheme keeps emoji sequences (👩‍👩‍👧, flags) and surrogate pairs whole.
 * `cut` says the text given is already the start of a longer one, cut anywhere: its last
 * grapheme may be a fragment, so it is dropped and the ellipsis shown. `cutStart` says the same
 * of its beginning (a window around a search match).
 */
export function snippetOf(text: string, max = 120, { cut = false, cutStart = false }: { cut?: boolean; cutStart?: boolean } = {}): string {
  const line = text.replace(/\s+/gu, " ").trim();
  // A grapheme is at least one code unit, so anything this short cannot need cutting.
  if (line.length <= max && !cut && !cutStart) return line;
  let kept = Array.from(graphemes.segment(line), (s) => s.segment);
  if (cutStart) kept = kept.slice(1);
  if (kept.length <= max && !cut) return cutStart ? `…${kept.join("").trimStart()}` : line;
  const body = kept.slice(0, cut ? Math.min(max, kept.length - 1) : max).join("").trim();
  return `${cutStart ? "…" : ""}${body}…`;
}
