/**
 * The keyword of a message, computed the way Vonage does so that ours and the provider's can
 * be compared: the first word, upper-cased, punctuation kept.
 */

/** Longer first words are cut: a keyword is for matching and listing, not for storing text. */
export const MAX_KEYWORD_LENGTH = 64;

// JavaScript's \s covers Unicode white space, including the ideographic space U+3000 that
// Japanese text uses between words, and U+FEFF, which a stray byte order mark leaves behind.
const WORD = /\S+/u;

/**
 * Returns the first word of `text`, upper-cased, with its punctuation ("world!" → "WORLD!"),
 * or null when the text is null, empty or only white space. Cut to {@link MAX_KEYWORD_LENGTH}
 * code points, so a surrogate pair is never split. Never throws.
 */
export function extractKeyword(text: string | null): string | null {
  if (text === null) return null;
  const word = WORD.exec(text)?.[0];
  if (word === undefined) return null;
  // toUpperCase, not toLocaleUpperCase: the server's locale must not change a keyword (a
  // Turkish locale would turn "i" into "İ").
  return Array.from(word.toUpperCase()).slice(0, MAX_KEYWORD_LENGTH).join("");
}

/** Keywords by which a sender asks to receive no more messages (the carriers' common set). */
export const OPT_OUT_KEYWORDS: ReadonlySet<string> = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
/** Keywords by which a sender who opted out opts back in. */
export const OPT_IN_KEYWORDS: ReadonlySet<string> = new Set(["START", "UNSTOP"]);

/**
 * What a message's keyword says about the sender's consent. Trailing punctuation is ignored
 * ("STOP." and "Stop!" count), but the keyword must be the whole first word ("STOPPED" does not).
 */
export function consentChange(keyword: string | null): "opt-out" | "opt-in" | null {
  const word = keyword?.replace(/[.!?,;:]+$/u, "") ?? "";
  if (OPT_OUT_KEYWORDS.has(word)) return "opt-out";
  if (OPT_IN_KEYWORDS.has(word)) return "opt-in";
  return null;
}
