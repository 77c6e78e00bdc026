/**
 * The keyword of a message: its first meaningful word, upper-cased, without the punctuation
 * people put around it ("Yes!", "stop.", "(info)", "はい。" read as YES, STOP, INFO, はい), so
 * replies count together on the keywords page. Symbols that are part of the word (#PROMO,
 * A-20931, 😀) stay. A provider that computes a keyword of its own has it kept next to ours as
 * `providerKeyword`.
 *
 * "First meaningful" (see {@link extractKeyword}): the words people open a text with that say
 * nothing of what it is about (HI, I, JUST, THANK, KADA, KOJI, ICH, こんにちは; the lists are in
 * stop-words.ts) are skipped, so "Hi, I just wanted to check my order" counts as ORDER rather than
 * HI, and the keywords page ranks what customers write about. A first word that says something of
 * its own is the keyword as it always was: SALE, YES, NO, C, 4711, #PROMO, はい.
 */
import { isStopWord, JAPANESE_OPENERS } from "./stop-words";

/** Longer first words are cut: a keyword is for matching and listing, not for storing text. */
export const MAX_KEYWORD_LENGTH = 64;

/**
 * How many words from the start a keyword is looked for in. A text whose first words are all
 * stop words keeps its first word: a keyword further in would not be what the text opens with.
 */
export const KEYWORD_LOOKAHEAD = 8;

/** Sentence punctuation and closing quotes or brackets after a word. */
const TRAILING = /[.,!?;:…。、，！？」』）)\]}"'”’»]+$/u;
/** Opening quotes, brackets and inverted marks before one. */
const LEADING = /^[(\[{"'“‘«「『（¿¡]+/u;
/** A "word" of punctuation alone ("-", "…", "?!"): skipped like a stop word. */
const PUNCTUATION = /^\p{P}+$/u;
/**
 * A "word" without a letter or digit ("👋", "🙏"): skipped like a stop word after the first, so
 * "Thanks 🙏" stays THANKS. As the first word it counts: "🎉 party" is 🎉.
 */
const NO_LETTERS = /^[^\p{L}\p{N}]+$/u;

// JavaScript's \s covers Unicode white space, including the ideographic space U+3000 that
// Japanese text uses between words, and U+FEFF, which a stray byte order mark leaves behind.
const WORD = /\S+/u;
const WORDS = /\S+/gu;

/** Han, hiragana and katakana: scripts written without spaces between words. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
// ICU's dictionary-based word breaks ("予約をお願いします" → 予約 | を | お願い | …).
const JAPANESE_WORDS = new Intl.Segmenter("ja", { granularity: "word" });

export type KeywordOptions = {
  /**
   * The team's named keywords (upper-case): never skipped, so a team that runs a HELLO campaign
   * counts "Hello!" as HELLO.
   */
  named?: ReadonlySet<string>;
};

/**
 * The keyword of `text`, or null when the text is null, empty or only white space. Never throws.
 *
 * 1. The first word is the keyword when it is not a stop word (SALE, YES, "4711", 😀), when it
 *    is an opt-out or opt-in word (STOP, START), or when the team has named it.
 * 2. Otherwise the stop words, punctuation and emoji at the start are skipped, and the keyword is
 *    the first word that is neither ("Hi, my order is late" → ORDER, "Kada je izvlačenje?" →
 *    IZVLAČENJE, "こんにちは。注文した商品が…" → 注文). Opt-out and opt-in words are passed over
 *    there too: they change a sender's consent only as the first word (see
 *    {@link consentChange}), and a keyword STOP means just that: "Please stop texting me" is
 *    TEXTING, not STOP.
 * 3. A text with nothing else within its first {@link KEYWORD_LOOKAHEAD} words keeps its first
 *    word: "Thanks!" is THANKS, "Thank you so much!" THANK, "Hvala" HVALA.
 *
 * A keyword is cut to {@link MAX_KEYWORD_LENGTH} code points, so a surrogate pair is never split.
 */
export function extractKeyword(text: string | null, options: KeywordOptions = {}): string | null {
  return readKeyword(text, options).keyword;
}

/**
 * {@link extractKeyword}, and whether the keyword is settled: true when no text after `head`
 * could change it (a meaningful word was found, or the look-ahead ran out), false when `head` is
 * stop words only so far. For computing the keywords of many texts from their first words.
 */
export function readKeyword(head: string | null, { named }: KeywordOptions = {}): { keyword: string | null; settled: boolean } {
  let read = 0;
  for (const word of wordsOf(head ?? "")) {
    const first = read++ === 0;
    if (consentChange(word) !== null) {
      if (first) return { keyword: word, settled: true };
    } else if (named?.has(word) || !(isStopWord(word) || (first ? PUNCTUATION : NO_LETTERS).test(word))) {
      return { keyword: word, settled: true };
    }
    if (read === KEYWORD_LOOKAHEAD) break;
  }
  return { keyword: firstWord(head), settled: read === KEYWORD_LOOKAHEAD };
}

/**
 * The first word of `text` as a keyword is written: upper-cased, without surrounding punctuation
 * ("world!" → "WORLD"; a word that is nothing but punctuation, like "?!", is kept as it is), or
 * null for no text. Stop words are not skipped: this reads what someone typed as a keyword (an
 * inbox filter, an API query), and it is what a text made only of stop words is counted as.
 */
export function firstWord(text: string | null): string | null {
  if (text === null) return null;
  const first = WORD.exec(text)?.[0];
  if (first === undefined) return null;
  return asKeyword(UNSPACED.test(first) ? firstDictionaryWord(first) : trimPunctuation(first) || first);
}

/** The words of a text in order, each as a keyword would be written. */
function* wordsOf(text: string): Generator<string> {
  for (const [run] of text.matchAll(WORDS)) {
    if (UNSPACED.test(run)) yield* japaneseWords(run);
    else yield asKeyword(trimPunctuation(run) || run);
  }
}

/**
 * Japanese (and Chinese) put no spaces between words, so a run of text can be a whole sentence:
 * its words come from ICU's word breaks. An opener (こんにちは, お世話になっております) comes
 * out as one word, the pieces ICU breaks it into skipped with it. A run without a word (only
 * punctuation or emoji) is one word as it stands, so that every run has at least one.
 */
function* japaneseWords(run: string): Generator<string> {
  let any = false;
  let skipTo = 0;
  for (const { segment, index, isWordLike } of JAPANESE_WORDS.segment(run)) {
    if (index < skipTo) continue;
    // Only where ICU's word does not go on past it: 私 opens 私は, not 私立 (private).
    const opener = JAPANESE_OPENERS.find((phrase) => run.startsWith(phrase, index) && segment.length <= phrase.length);
    if (opener !== undefined) {
      any = true;
      skipTo = index + opener.length;
      yield opener;
    } else if (isWordLike) {
      any = true;
      yield asKeyword(segment);
    }
  }
  if (!any) yield asKeyword(run);
}

function firstDictionaryWord(run: string): string {
  for (const { segment, isWordLike } of JAPANESE_WORDS.segment(run)) if (isWordLike) return segment;
  return run;
}

function trimPunctuation(word: string): string {
  return word.replace(TRAILING, "").replace(LEADING, "");
}

function asKeyword(word: string): string {
  // toUpperCase, not toLocaleUpperCase: the server's locale must not change a keyword (a
  // Turkish locale would turn "i" into "İ").
  return Array.from(word.toUpperCase()).slice(0, MAX_KEYWORD_LENGTH).join("");
}

/** Keywords by which a sender asks to receive no more messages (the carriers' common set). */
export const OPT_OUT_KEYWORDS: ReadonlySet<string> = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
/** Keywords by which a sender who opted out opts back in. */
export const OPT_IN_KEYWORDS: ReadonlySet<string> = new Set(["START", "UNSTOP"]);

/**
 * What a message's keyword says about the sender's consent. The keyword must be the whole first
 * word ("STOPPED" does not count); trailing punctuation is ignored here too, for keywords stored
 * before it was taken off. Since an opt-out or opt-in word is a keyword only as the first word
 * (see {@link extractKeyword}), this reads the first word exactly as it did before stop words
 * were skipped: skipping them never changes consent.
 */
export function consentChange(keyword: string | null): "opt-out" | "opt-in" | null {
  const word = keyword?.replace(TRAILING, "") ?? "";
  if (OPT_OUT_KEYWORDS.has(word)) return "opt-out";
  if (OPT_IN_KEYWORDS.has(word)) return "opt-in";
  return null;
}
