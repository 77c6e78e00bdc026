/**
 * Words a message's keyword skips at its start (lib/sms/keyword.ts): greetings, thanks, pronouns,
 * articles, auxiliaries, question words and fillers, the words people begin a text with that say
 * nothing about what it is about. "Hi, I just wanted to ask about my order" is about an ORDER,
 * not about I; "Kada je izvlačenje?" is about the draw (IZVLAČENJE), not KADA.
 *
 * The lists are upper-case, as keywords are, and deliberately short: only words that often open
 * a text message. A word that is a reply of its own (YES, NO, OK, NEIN, OUI, NON, SÍ, SI, TAK,
 * NIE, はい, いいえ) is not listed, nor are opt-out and opt-in words. The language of a message is
 * not known, so every list applies to every message: a word listed for one language is skipped in
 * all (the German JA, "yes", is the Croatian and Polish "I"). A text made only of these words
 * keeps its first one: "Thanks!" is THANKS, "Hvala" HVALA, "Merci beaucoup" MERCI.
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
 * French, with elisions written with ' (J'AI, C'EST) and the forms typed without accents. MON is
 * left out: in English it is a Monday ("Mon 9am works").
 */
const FRENCH = [
  // Greetings and thanks
  "BONJOUR", "BONSOIR", "SALUT", "COUCOU", "MERCI", "BEAUCOUP", "MADAME", "MONSIEUR", "CHER", "CHÈRE", "CHERE",
  "EXCUSEZ-MOI", "EXCUSEZ", "PARDON", "S'IL", "VOUS", "PLAÎT", "PLAIT", "STP", "SVP",
  // Pronouns, articles, the little words between them
  "JE", "J'AI", "J'AIMERAIS", "TU", "IL", "ELLE", "ON", "NOUS", "ILS", "ELLES", "MOI", "MA", "MES", "VOTRE", "VOS",
  "LE", "LA", "LES", "UN", "UNE", "DES", "DU", "DE", "ET", "OU", "MAIS", "DONC", "EN", "DANS", "SUR", "POUR", "AVEC", "CHEZ",
  "CE", "C'EST", "ÇA", "CA", "CETTE", "QUE", "QU'IL", "QUI",
  // Auxiliaries, the wishes people start with, question words
  "EST", "EST-CE", "SONT", "SUIS", "AI", "AVEZ", "A-T-IL", "PEUX", "PEUT", "PEUT-ON", "POUVEZ-VOUS", "POUVEZ", "POURRIEZ-VOUS", "POURRIEZ",
  "VOUDRAIS", "VOULAIS", "AIMERAIS", "QUAND", "OÙ", "COMMENT", "POURQUOI", "COMBIEN", "QUEL", "QUELLE",
  // Fillers
  "ALORS", "AUSSI", "ENCORE", "JUSTE", "EUH",
];

/** Spanish; the inverted marks (¿, ¡) are punctuation the keyword takes off before looking. */
const SPANISH = [
  // Greetings and thanks
  "HOLA", "BUENOS", "BUENAS", "BUEN", "DÍAS", "DIAS", "TARDES", "NOCHES", "SALUDOS", "GRACIAS", "MUCHAS", "MUCHO",
  "POR", "FAVOR", "PERDÓN", "PERDON", "DISCULPE", "DISCULPA", "ESTIMADO", "ESTIMADA", "QUERIDO", "QUERIDA",
  // Pronouns, articles, the little words between them
  "YO", "TÚ", "USTED", "USTEDES", "NOSOTROS", "ÉL", "ELLA", "MI", "MIS", "SU", "SUS", "ME", "LE", "LES", "NOS", "SE",
  "EL", "LA", "LOS", "LAS", "UN", "UNA", "UNOS", "UNAS", "DE", "DEL", "AL", "EN", "CON", "PARA", "PERO", "QUE", "ESTE", "ESTA", "ESTO", "ESO",
  // Auxiliaries, the wishes people start with, question words
  "ES", "ESTÁ", "ESTÁN", "ESTOY", "SOY", "HAY", "TENGO", "TIENEN", "TIENE", "PUEDO", "PUEDE", "PUEDEN", "PODRÍA", "PODRIA",
  "PODRÍAN", "PODRIAN", "QUERÍA", "QUERIA", "QUIERO", "QUISIERA", "NECESITO",
  "QUÉ", "CUÁNDO", "CUANDO", "DÓNDE", "DONDE", "CÓMO", "COMO", "CUÁL", "CUAL", "CUÁNTO", "CUANTO",
  // Fillers
  "TAMBIÉN", "TAMBIEN", "TODAVÍA", "TODAVIA", "PUES", "BUENO", "OYE", "OIGA",
];

/**
 * Polish, with the forms typed without diacritics where those are common. The one-letter
 * prepositions (W, Z) are left out: a letter on its own is an answer to a quiz (A, B, C…).
 */
const POLISH = [
  // Greetings and thanks
  "DZIEŃ", "DZIEN", "DOBRY", "WIECZÓR", "WIECZOR", "CZEŚĆ", "CZESC", "WITAM", "WITAJ", "HEJ", "SIEMA",
  "DZIĘKUJĘ", "DZIEKUJE", "DZIĘKI", "DZIEKI", "BARDZO", "PROSZĘ", "PROSZE", "PRZEPRASZAM", "SZANOWNI", "SZANOWNY", "SZANOWNA", "PAŃSTWO", "PANSTWO",
  // Pronouns and the little words between them
  "JA", "TY", "MY", "WY", "ONI", "PANI", "MÓJ", "MOJ", "MOJA", "MOJE", "MNIE", "MI", "SIĘ", "SIE",
  "I", "A", "ALE", "LUB", "ALBO", "CZY", "ŻE", "ZE", "NA", "DO", "OD", "PO", "ZA", "DLA", "PRZY", "TO", "TEN", "TA",
  // Auxiliaries, the wishes people start with, question words
  "JEST", "SĄ", "SA", "JESTEM", "MAM", "MACIE", "MA", "MOGĘ", "MOGE", "MOŻNA", "MOZNA", "MOŻE", "MOZE", "MOGĄ", "BĘDZIE", "BEDZIE", "PROSIĆ", "PROSIC", "CHCIAŁBYM", "CHCIALBYM", "CHCIAŁABYM", "CHCIALABYM",
  "KIEDY", "GDZIE", "JAK", "DLACZEGO", "ILE", "KTÓRY", "KTORY", "KTÓRA", "KTORA", "CO",
  // Fillers
  "JESZCZE", "TEŻ", "TEZ", "TYLKO", "WŁAŚNIE", "WLASNIE",
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
export const STOP_WORDS: ReadonlySet<string> = new Set([...ENGLISH, ...CROATIAN, ...GERMAN, ...FRENCH, ...SPANISH, ...POLISH, ...JAPANESE_PARTICLES, ...JAPANESE_OPENERS]);

/** Whether `word` (upper-cased, its punctuation off) is one that a keyword skips. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word.replaceAll("’", "'"));
}
