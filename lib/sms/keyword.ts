/**
 * The keyword of a message: its first word, upper-cased, without the punctuation people put
 * around it ("Yes!", "stop.", "(info)", "はい。" read as YES, STOP, INFO, はい), so replies
 * count together on the keywords page. Symbols that are part of the word (#PROMO, A-20931, 😀)
 * stay. A provider that computes a keyword of its own has it kept next to ours as `providerKeyword`.
 */

/** Longer first words are cut: a keyword is for matching and listing, not for storing text. */
export const MAX_KEYWORD_LENGTH = 64;

/** Sentence punctuation and closing quotes or brackets after a word. */
const TRAILING = /[.,!?;:…。、，！？」』）)\]}"'”’»]+$/u;
/** Opening quotes, brackets and inverted marks before one. */
const LEADING = /^[(\[{"'“‘«「『（¿¡]+/u;

// JavaScript's \s covers Unicode white space, including the ideographic space U+3000 that
// Japanese text uses between words, and U+FEFF, which a stray byte order mark leaves behind.
const WORD = /\S+/u;

/** Han, hiragana and katakana: scripts written without spaces between words. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
// ICU's dictionary-based word breaks ("予約をお願いします" → 予約 | を | お願い | …).
const JAPANESE_WORDS = new Intl.Segmenter("ja", { granularity: "word" });

/**
 * Returns the first word of `text`, upper-cased, without surrounding punctuation ("world!" →
 * "WORLD"; a word that is nothing but punctuation, like "?!", is kept as it is), or null when
 * the text is null, empty or only white space. Cut to {@link MAX_KEYWORD_LENGTH} code points,
 * so a surrogate pair is never split. Never throws.
 */
export function extractKeyword(text: string | null): string | null {
  if (text === null) return null;
  const first = WORD.exec(text)?.[0];
  if (first === undefined) return null;
  const word = UNSPACED.test(first) ? firstDictionaryWord(first) : first.replace(TRAILING, "").replace(LEADING, "") || first;
  // toUpperCase, not toLocaleUpperCase: the server's locale must not change a keyword (a
  // Turkish locale would turn "i" into "İ").
  return Array.from(word.toUpperCase()).slice(0, MAX_KEYWORD_LENGTH).join("");
}

/**
 * Japanese (and Chinese) put no spaces between words, so the first run of text would be the
 * whole sentence: the first word comes from ICU's word breaks instead.
 */
function firstDictionaryWord(run: string): string {
  for (const { segment, isWordLike } of JAPANESE_WORDS.segment(run)) if (isWordLike) return segment;
  return run;
}

/** Keywords by which a sender asks to receive no more messages (the carriers' common set). */
export const OPT_OUT_KEYWORDS: ReadonlySet<string> = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
/** Keywords by which a sender who opted out opts back in. */
export const OPT_IN_KEYWORDS: ReadonlySet<string> = new Set(["START", "UNSTOP"]);

/**
 * What a message's keyword says about the sender's consent. The keyword must be the whole first
 * word ("STOPPED" does not count); trailing punctuation is ignored here too, for keywords stored
 * before it was taken off.
 */
export function consentChange(keyword: string | null): "opt-out" | "opt-in" | null {
  const word = keyword?.replace(TRAILING, "") ?? "";
  if (OPT_OUT_KEYWORDS.has(word)) return "opt-out";
  if (OPT_IN_KEYWORDS.has(word)) return "opt-in";
  return null;
}
