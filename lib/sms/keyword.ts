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
