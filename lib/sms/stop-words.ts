/**
 * Words a message's keyword skips at its start (lib/sms/keyword.ts): greetings, thanks, pronouns,
 * articles, auxiliaries, question words and fillers, the words people begin a text with that say
 * nothing about what it is about. "Hi, I just wanted to ask about my order" is about an ORDER,
 * not about I; "Kada je izvlačenje?" is about the draw (IZVLAČENJE), not KADA.
 *
 * The lists are upper-case, as keywords are, and deliberately short: only words that often open
 * a text message. A word that is a reply of its own (YES, NO, OK, NEIN, はい, いいえ) is not listed,
 * nor are opt-out and opt-in words. The language of a message is not known, so every list
 * applies to every message: a word listed for one language is skipped in all (the German JA,
 * "yes", is the Croatian "I"). A text made only of these words keeps its first one: "Thanks!" is
 * THANKS, "Hvala" HVALA.
 */

/** English, with contractions written with ' (a ’ is read as ' before looking a word up). */
const ENGLISH = [
  // Greetings and thanks
  "HI", "HIYA", "HELLO", "HEY", "HEYA", "DEAR", "GOOD", "MORNING", "AFTERNOON", "EVENING",
  "THANKS", "THANK", "THX", "TY", "CHEERS", "PLEASE", "PLS", "PLZ", "SORRY",
  // Pronouns, articles, the little words between them
  "I", "I'M", "IM", "I'LL", "I'VE", "I'D", "ME", "MY", "WE", "WE'RE", "WE'LL", "WE'VE", "OUR", "US",
  "YOU", "YOUR", "YOU'RE", "IT", "IT'S", "ITS", "THIS", "THAT", "THERE", "HERE", "THE", "A", "AN",
  "AND", "OR", "BUT", "SO", "TO", "OF", "FOR", "IN", "ON", "AT", "BY", "WITH", "FROM", "ABOUT", "AS", "NOT",
  // Auxiliaries, and the wishes people start with
  "IS", "ARE", "AM", "WAS", "WERE", "BE", "DO", "DOES", "DID", "DON'T", "HAVE", "HAS", "HAD",
  "CAN", "CAN'T", "COULD", "WOULD", "WILL", "SHOULD", "WANT", "WANTED", "NEED", "LIKE",
  // Question words
  "WHAT", "WHAT'S", "WHERE", "WHEN", "WHY", "HOW", "WHO", "WHICH",
  // Fillers
  "JUST", "ALSO", "STILL", "ACTUALLY", "REALLY", "VERY", "MUCH", "WELL", "OH", "UM", "HMM",
];

/** Croatian, with the forms typed without diacritics where those are common. */
const CROATIAN = [
  // Greetings and thanks
  "BOK", "POZDRAV", "DOBAR", "DOBRO", "DAN", "JUTRO", "VEČER", "VECER", "HVALA", "MOLIM",
  "POŠTOVANI", "POSTOVANI", "POŠTOVANA", "POSTOVANA", "POŠTOVANJE", "POSTOVANJE",
  // Pronouns and the little words ("Da li…", "Kako da…": DA on its own is still DA)
  "JA", "TI", "ON", "ONA", "MI", "VI", "ONI", "MOJ", "MOJA", "MOJE", "VAŠ", "VAŠA", "VAŠE",
  "I", "A", "ALI", "ILI", "DA", "U", "NA", "ZA", "OD", "DO", "S", "SA", "O", "PO", "IZ", "SE",
  // Auxiliaries and question words
  "JE", "SU", "SAM", "SMO", "STE", "LI", "BI", "BIH", "ĆE", "IMA", "IMATE", "MOGU", "MOŽE", "MOŽETE",
  "KOJI", "KOJA", "KOJE", "KADA", "KAD", "GDJE", "KAKO", "ŠTO", "ŠTA", "ZAŠTO", "ZASTO", "KOLIKO",
  // Fillers
  "JOŠ", "SAMO", "TAKOĐER",
];

/** German; ß upper-cases to SS, as keywords do. */
const GERMAN = [
  // Greetings and thanks
  "HALLO", "GUTEN", "TAG", "MORGEN", "ABEND", "SERVUS", "MOIN", "GRÜSS", "GOTT", "LIEBE", "LIEBER",
  "SEHR", "GEEHRTE", "GEEHRTER", "DANKE", "VIELEN", "DANK", "SCHÖN", "BITTE", "ENTSCHULDIGUNG",
  // Pronouns, articles, the little words between them
  "ICH", "DU", "SIE", "ER", "ES", "WIR", "IHR", "MIR", "MICH", "MEIN", "MEINE", "MEINEN", "IHRE", "IHREN",
  "DER", "DIE", "DAS", "DEN", "DEM", "DES", "EIN", "EINE", "EINEN", "UND", "ODER", "ABER",
  "ZU", "IM", "AM", "AN", "AUF", "FÜR", "MIT", "VON", "BEI", "NACH",
  // Auxiliaries and question words
  "IST", "SIND", "BIN", "HABE", "HABEN", "HAT", "KANN", "KÖNNEN", "KÖNNTEN", "WÜRDE", "GIBT",
  "WAS", "WO", "WANN", "WIE", "WARUM", "WELCHE",
  // Fillers
  "AUCH", "NOCH", "SCHON", "MAL", "ALSO",
];

/**
 * Japanese particles: never a keyword. Japanese is written without spaces, so its words come from
 * ICU's word breaks, which split off particles ("予約の変更" → 予約 | の | 変更).
 */
const JAPANESE_PARTICLES = ["は", "が", "を", "に", "で", "と", "も", "の", "へ", "や", "か", "ね", "よ", "な", "から", "まで", "より"];

/**
 * Japanese openers, taken off the start of a text as whole phrases: ICU breaks some of them into
 * pieces that mean nothing alone (ありがとうございます → ありがとう | ご | ざ | い | ます).
 */
export const JAPANESE_OPENERS: readonly string[] = [
  "こんにちは", "こんばんは", "おはようございます", "おはよう", "もしもし",
  "お世話になっております", "お世話になります", "いつもお世話になっております",
  "すみません", "すいません", "失礼します", "恐れ入ります",
  "ありがとうございます", "ありがとうございました", "ありがとう", "どうも",
  "あのー", "あの", "えっと", "ええと", "やっぱり", "ちなみに",
  "私", "わたし", "僕", "俺",
  // Longest first, so that ありがとうございます wins over ありがとう.
].sort((a, b) => b.length - a.length);

/** Every list above, for the keyword's look-up. */
export const STOP_WORDS: ReadonlySet<string> = new Set([...ENGLISH, ...CROATIAN, ...GERMAN, ...JAPANESE_PARTICLES, ...JAPANESE_OPENERS]);

/** Whether `word` (upper-cased, its punctuation off) is one that a keyword skips. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word.replaceAll("’", "'"));
}
