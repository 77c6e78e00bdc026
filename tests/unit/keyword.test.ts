import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { consentChange, extractKeyword, firstWord, KEYWORD_LOOKAHEAD, MAX_KEYWORD_LENGTH, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS, readKeyword } from "@/lib/sms/keyword";
import { isStopWord, JAPANESE_OPENERS, STOP_WORDS } from "@/lib/sms/stop-words";

describe("extractKeyword", () => {
  it.each([
    ["hello world", "WORLD"],
    ["Hello", "HELLO"],
    ["STOP", "STOP"],
    ["world! again", "WORLD"],
    ["stop.", "STOP"],
    ["Hi, I ordered", "ORDERED"],
    ["(info) please", "INFO"],
    ['"yes"', "YES"],
    ["¿qué?", "QUÉ"],
    ["#promo2024 now", "#PROMO2024"],
    ["A-20931: where is it", "A-20931"],
    ["?!", "?!"],
    ["  \t\n join now", "JOIN"],
    ["yes\nplease", "YES"],
    ["yes\tplease", "YES"],
    ["a", "A"],
  ])("%j → %j", (text, keyword) => {
    expect(extractKeyword(text)).toBe(keyword);
  });

  it("finds the first word of Japanese text, written without spaces", () => {
    expect(extractKeyword("予約をお願いします 🙏")).toBe("予約");
    expect(extractKeyword("キャンセルしたい")).toBe("キャンセル");
    expect(extractKeyword("Tokyo東京")).toBe("TOKYO");
  });

  it("takes Japanese punctuation off", () => {
    expect(extractKeyword("はい。 お願いします")).toBe("はい");
    expect(extractKeyword("「予約」")).toBe("予約");
    expect(extractKeyword("ストップ！")).toBe("ストップ");
  });

  it("splits on the ideographic (full-width) space", () => {
    expect(extractKeyword("予約\u3000世界")).toBe("予約");
    expect(extractKeyword("\u3000\u3000予約\u3000する")).toBe("予約");
    expect(extractKeyword("こんにちは\u3000予約")).toBe("予約");
  });

  it("splits on a no-break space and skips a stray byte order mark", () => {
    expect(extractKeyword("info\u00A0please")).toBe("INFO");
    expect(extractKeyword("\uFEFFinfo")).toBe("INFO");
    expect(extractKeyword("hi\u00A0info")).toBe("INFO");
  });

  it("upper-cases accented and non-Latin letters", () => {
    expect(extractKeyword("café au lait")).toBe("CAFÉ");
    expect(extractKeyword("привет мир")).toBe("ПРИВЕТ");
    expect(extractKeyword("straße")).toBe("STRASSE");
  });

  it("keeps emoji whole", () => {
    expect(extractKeyword("😀 hi")).toBe("😀");
    expect(extractKeyword("🎉 party")).toBe("🎉");
    // Not after a stop word, though: an emoji there is a greeting's decoration.
    expect(extractKeyword("Hi 😀")).toBe("HI");
    expect(extractKeyword("Thanks 🙏")).toBe("THANKS");
    expect(extractKeyword("Hello 👋 long text")).toBe("LONG");
  });

  it.each([null, "", " ", "\n\t ", "\u3000"])("returns null for %j", (text) => {
    expect(extractKeyword(text)).toBeNull();
  });

  it(`cuts long words to ${MAX_KEYWORD_LENGTH} characters`, () => {
    expect(extractKeyword("x".repeat(200))).toBe("X".repeat(64));
    expect(extractKeyword("x".repeat(64) + " y")).toBe("X".repeat(64));
    expect(extractKeyword("hi " + "x".repeat(200))).toBe("X".repeat(64));
  });

  it("never splits a surrogate pair when cutting", () => {
    const keyword = extractKeyword("😀".repeat(100));
    expect(keyword).toBe("😀".repeat(64));
    expect(keyword?.isWellFormed()).toBe(true);
  });

  it("never throws, and returns one upper-cased word without white space or nothing", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.constant(null)), (text) => {
        const keyword = extractKeyword(text);
        if (keyword === null) {
          expect(text === null || text.trim() === "").toBe(true);
        } else {
          expect(keyword.length).toBeGreaterThan(0);
          expect(Array.from(keyword).length).toBeLessThanOrEqual(MAX_KEYWORD_LENGTH);
          expect(/\s/.test(keyword)).toBe(false);
          expect(keyword.toUpperCase()).toBe(keyword);
        }
      }),
    );
  });
});

describe("the first meaningful word", () => {
  // Texts as customers send them, most of them the demo's (lib/sms/providers/*/demo.ts).
  it.each([
    ["Hi, my order #48213 says delivered but I can't find it", "ORDER"],
    ["Hello from Manchester! Do you ship to the UK?", "MANCHESTER"],
    ["Is the Zagreb store open on public holidays?", "ZAGREB"],
    ["Where is my refund? It has been 3 weeks since I sent the blender back.", "REFUND"],
    ["How do I change my delivery address? I moved last week.", "CHANGE"],
    ["Can the driver leave it with the doorman?", "DRIVER"],
    ["I left my phone charger in room 412, checked out this morning.", "LEFT"],
    ["I'll pick it up Friday, thanks!", "PICK"],
    ["I’m running 10 minutes late", "RUNNING"],
    ["Just got the package and my kids are thrilled!", "GOT"],
    ["Thank you so much for the birthday coupon!! 🎂🎉", "BIRTHDAY"],
    ["Thanks for fitting him in 😊", "FITTING"],
    ["Hi, do you have English support? My Japanese is not great.", "ENGLISH"],
    ["Hi - the parcel is here", "PARCEL"],
  ])("English: %j → %j", (text, keyword) => {
    expect(extractKeyword(text)).toBe(keyword);
  });

  it.each([
    ["Kada je izvlačenje?", "IZVLAČENJE"],
    ["Koji je kod za popust?", "KOD"],
    ["Imate li dostavu na otoke?", "DOSTAVU"],
    ["Kako da promijenim broj mobitela za obavijesti?", "PROMIJENIM"],
    ["Hvala, kupon radi!", "KUPON"],
    ["Bok! Radite li u nedjelju?", "RADITE"],
    ["Dobar dan, izgubio sam karticu vjernosti.", "IZGUBIO"],
    ["Postovani, da li je akcija jos aktivna?", "AKCIJA"],
  ])("Croatian: %j → %j", (text, keyword) => {
    expect(extractKeyword(text)).toBe(keyword);
  });

  it.each([
    ["Hallo, kann ich die Lieferadresse noch ändern?", "LIEFERADRESSE"],
    ["Guten Tag, ist die Bestellung 48290 schon unterwegs?", "BESTELLUNG"],
    ["Guten Morgen, haben Sie am Samstag geöffnet?", "SAMSTAG"],
    ["Danke, perfekt!", "PERFEKT"],
    ["Ich möchte meine Adresse ändern", "MÖCHTE"],
  ])("German: %j → %j", (text, keyword) => {
    expect(extractKeyword(text)).toBe(keyword);
  });

  it.each([
    ["Bonjour, est-ce que vous livrez en France ?", "LIVREZ"],
    ["Bonjour, est-ce que la carte fidélité marche aussi en Slovénie ?", "CARTE"],
    ["Bonsoir, le wifi ne marche pas dans la chambre 903 😕", "WIFI"],
    ["Merci pour le séjour, tout était parfait ✨", "SÉJOUR"],
    ["Salut ! Je voudrais annuler ma réservation de samedi", "ANNULER"],
    ["J'ai reçu un colis abîmé, que faire ?", "REÇU"],
    ["Excusez-moi, quand est-ce que la boutique ouvre ?", "BOUTIQUE"],
    ["Bonjour, pouvez-vous me rappeler s'il vous plaît ?", "RAPPELER"],
  ])("French: %j → %j", (text, keyword) => {
    expect(extractKeyword(text)).toBe(keyword);
  });

  it.each([
    ["Hola, ¿podrían subir más toallas a la habitación 815? Gracias 🙏", "SUBIR"],
    ["Hola, ¿tienen citas el sábado para mi hija? Tiene 8 años.", "CITAS"],
    ["Buenos días, quisiera cambiar mi cita del martes", "CAMBIAR"],
    ["Buenas tardes, ¿dónde está mi pedido 48213?", "PEDIDO"],
    ["Por favor, necesito una factura", "FACTURA"],
    ["Disculpe, ¿a qué hora abren el domingo?", "HORA"],
  ])("Spanish: %j → %j", (text, keyword) => {
    expect(extractKeyword(text)).toBe(keyword);
  });

  it.each([
    ["Dzień dobry, czy mogę prosić o późne wymeldowanie jutro? Pokój 1107.", "PÓŹNE"],
    ["Dzien dobry, gdzie jest moja paczka?", "PACZKA"],
    ["Cześć, kiedy będzie dostawa?", "DOSTAWA"],
    ["Witam, chciałbym zmienić adres dostawy", "ZMIENIĆ"],
    ["Czy macie otwarte w niedzielę?", "OTWARTE"],
    ["Dziękuję, kupon działa!", "KUPON"],
  ])("Polish: %j → %j", (text, keyword) => {
    expect(extractKeyword(text)).toBe(keyword);
  });

  it.each([
    ["こんにちは。注文した商品がまだ届いていません。注文番号は20931です。", "注文"],
    ["こんにちは！注文した商品はいつ届きますか？", "注文"],
    ["お世話になっております。明日の予約を変更したいです。", "明日"],
    ["すみません、予約の変更はできますか", "予約"],
    ["やっぱり明日で大丈夫です。", "明日"],
    ["私は田中です", "田中"],
    // Not an opener where ICU's word goes on: 私立 is "private".
    ["私立の学校", "私立"],
    ["予約の変更をお願いしたいです。明日の15時は空いていますか？", "予約"],
    ["了解です👍 明日受け取ります", "了解"],
    ["はい、15時でお願いします。", "はい"],
    ["いいえ", "いいえ"],
    ["のし紙もお願いできますか🎁", "のし紙"],
    ["届きました！ありがとうございます😊", "届"],
  ])("Japanese: %j → %j", (text, keyword) => {
    expect(extractKeyword(text)).toBe(keyword);
  });

  it("never takes a Japanese particle", () => {
    for (const particle of ["は", "が", "を", "に", "で", "の"]) expect(extractKeyword(`${particle} 予約`)).toBe("予約");
    expect(extractKeyword("こんにちは。の")).toBe("こんにちは");
  });

  it.each([
    ["SALE", "SALE"],
    ["SALE pls", "SALE"],
    ["Yes please", "YES"],
    ["YES thanks", "YES"],
    ["No", "NO"],
    ["NO can we do Thursday instead?", "NO"],
    ["C thanks", "C"],
    ["R please", "R"],
    ["OK thanks", "OK"],
    ["4711", "4711"],
    ["4711 is my code", "4711"],
    ["HELP", "HELP"],
    ["WIN Ana Kovač", "WIN"],
    ["Confirmed for Monday 8am", "CONFIRMED"],
    ["Vrijedi li SALE i u web shopu?", "VRIJEDI"],
    ["Oui, c'est bon pour jeudi", "OUI"],
    ["Non merci", "NON"],
    ["Sí, confirmo", "SÍ"],
    ["Si, gracias", "SI"],
    ["Tak, potwierdzam", "TAK"],
    ["Nie, dziękuję", "NIE"],
  ])("keeps a first word that says something: %j → %j", (text, keyword) => {
    expect(extractKeyword(text)).toBe(keyword);
  });

  it.each([
    ["Thanks!", "THANKS"],
    ["Thank you!", "THANK"],
    ["Hi", "HI"],
    ["Hello there", "HELLO"],
    ["Hvala!", "HVALA"],
    ["Danke schön!", "DANKE"],
    ["Merci beaucoup !", "MERCI"],
    ["¡Muchas gracias!", "MUCHAS"],
    ["Dziękuję bardzo!", "DZIĘKUJĘ"],
    ["ありがとうございます。", "ありがとう"],
    ["こんにちは", "こんにちは"],
    ["Da", "DA"],
    ["... and?", "..."],
  ])("keeps the first word of a text of stop words only: %j → %j", (text, keyword) => {
    expect(extractKeyword(text)).toBe(keyword);
  });

  it(`looks no further than ${KEYWORD_LOOKAHEAD} words`, () => {
    const stops = ["Hi", "I", "just", "wanted", "to", "thank", "you", "so", "much"];
    expect(extractKeyword(`${stops.slice(0, KEYWORD_LOOKAHEAD - 1).join(" ")} parcel`)).toBe("PARCEL");
    expect(extractKeyword(`${stops.slice(0, KEYWORD_LOOKAHEAD).join(" ")} parcel`)).toBe("HI");
  });

  it("passes over opt-out and opt-in words after the first, so the keyword STOP always opted out", () => {
    expect(extractKeyword("Please stop texting me")).toBe("TEXTING");
    expect(extractKeyword("Please stop")).toBe("PLEASE");
    expect(extractKeyword("I want to cancel my order")).toBe("ORDER");
    expect(extractKeyword("Hi, start again please")).toBe("AGAIN");
    expect(extractKeyword("Hi, stop", { named: new Set(["STOP"]) })).toBe("HI");
  });

  it("never skips a keyword the team has named", () => {
    const named = new Set(["HELLO", "THANKS"]);
    expect(extractKeyword("Hello, I want the coupon", { named })).toBe("HELLO");
    expect(extractKeyword("Oh hello!", { named })).toBe("HELLO");
    expect(extractKeyword("Hi, thanks for the coupon", { named })).toBe("THANKS");
    expect(extractKeyword("Hello, I want the coupon")).toBe("COUPON");
  });

  it("says when more text could still change the keyword", () => {
    expect(readKeyword("Hi I")).toEqual({ keyword: "HI", settled: false });
    expect(readKeyword("Hi I want")).toEqual({ keyword: "HI", settled: false });
    expect(readKeyword("Hi I parcel")).toEqual({ keyword: "PARCEL", settled: true });
    expect(readKeyword("SALE")).toEqual({ keyword: "SALE", settled: true });
    expect(readKeyword("a ".repeat(KEYWORD_LOOKAHEAD + 1))).toEqual({ keyword: "A", settled: true });
    expect(readKeyword("a ".repeat(KEYWORD_LOOKAHEAD))).toEqual({ keyword: "A", settled: true });
    expect(readKeyword("a ".repeat(KEYWORD_LOOKAHEAD - 1))).toEqual({ keyword: "A", settled: false });
    expect(readKeyword("")).toEqual({ keyword: null, settled: false });
  });

  it(`depends on a text's first ${KEYWORD_LOOKAHEAD} runs of non-white space at most, each holding a word`, () => {
    const words = ["hi", "I", "the", "…", "🙏", "こんにちは。", "は", "注文", "order", "STOP", "お世話になっております。", "。。"];
    const text = fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ unit: "grapheme", maxLength: 4 })), { maxLength: 14 }).map((picked) => picked.join(" "));
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: "grapheme" })), (t) => {
        const runs = t.match(/\S+/gu) ?? [];
        const head = runs.slice(0, KEYWORD_LOOKAHEAD).join(" ");
        expect(extractKeyword(head)).toBe(extractKeyword(t));
        // A settled head has the keyword of any text it starts.
        for (let n = 1; n <= runs.length; n++) {
          const read = readKeyword(runs.slice(0, n).join(" "));
          if (read.settled) expect(read.keyword).toBe(extractKeyword(t));
        }
      }),
    );
  });

  it("has short lists of upper-case single words", () => {
    // About a hundred words a language, the forms typed without accents included.
    expect(STOP_WORDS.size).toBeLessThan(700);
    for (const word of STOP_WORDS) {
      expect(word).toBe(word.toUpperCase());
      expect(word).toMatch(/^\S+$/u);
      expect(OPT_OUT_KEYWORDS.has(word) || OPT_IN_KEYWORDS.has(word)).toBe(false);
    }
    // Replies and campaign words are never stop words.
    for (const word of ["YES", "NO", "OK", "NEIN", "NE", "OUI", "NON", "SÍ", "SI", "TAK", "NIE", "はい", "いいえ", "SALE", "WIN", "JOIN", "INFO", "HELP", "QUIZ", "C", "R", "Y", "W", "Z", "MON"]) {
      expect(isStopWord(word), word).toBe(false);
    }
    expect(isStopWord("I’M")).toBe(true);
    expect(JAPANESE_OPENERS[0]!.length).toBeGreaterThanOrEqual(JAPANESE_OPENERS.at(-1)!.length);
  });
});

describe("firstWord", () => {
  it("reads the first word as written, stop word or not", () => {
    expect(firstWord("hello world")).toBe("HELLO");
    expect(firstWord("Hi, I ordered")).toBe("HI");
    expect(firstWord("yes!")).toBe("YES");
    expect(firstWord("こんにちは！注文した商品はいつ届きますか？")).toBe("こんにちは");
    expect(firstWord("こんにちは\u3000世界")).toBe("こんにちは");
    expect(firstWord("?!")).toBe("?!");
    expect(firstWord("  ")).toBeNull();
    expect(firstWord(null)).toBeNull();
  });
});

describe("consentChange", () => {
  it.each([
    ["STOP", "opt-out"],
    ["STOP.", "opt-out"],
    ["STOPALL", "opt-out"],
    ["UNSUBSCRIBE!", "opt-out"],
    ["CANCEL", "opt-out"],
    ["END", "opt-out"],
    ["QUIT", "opt-out"],
    ["START", "opt-in"],
    ["UNSTOP", "opt-in"],
    ["STOPPED", null],
    ["HELLO", null],
    [null, null],
  ] as const)("%j → %j", (keyword, expected) => {
    expect(consentChange(keyword)).toBe(expected);
  });

  it("works on the keyword extracted from real text", () => {
    expect(consentChange(extractKeyword("  stop please"))).toBe("opt-out");
    expect(consentChange(extractKeyword("Start again"))).toBe("opt-in");
    expect(consentChange(extractKeyword("STOP"))).toBe("opt-out");
    expect(consentChange(extractKeyword("Stop."))).toBe("opt-out");
  });

  it("is not changed by skipping stop words: only a first word opts out or in", () => {
    for (const text of ["Please stop", "Hi STOP", "I want to unsubscribe", "Thanks, cancel it", "Hvala, stop", "こんにちは STOP", "Oh, start", "Hello start please", "Merci, stop", "Hola STOP", "Dziękuję, stop", "Bonjour, start"]) {
      expect(consentChange(extractKeyword(text))).toBeNull();
      expect(consentChange(extractKeyword(text, { named: new Set(["STOP", "START", "HELLO"]) }))).toBeNull();
    }
  });

  it("reads the keyword exactly as it read the first word, for any text", () => {
    const words = ["STOP", "stop.", "Start", "UNSUBSCRIBE", "cancel", "end", "quit!", "unstop", "hi", "I", "please", "thanks", "こんにちは", "は", "order", "SALE", "yes", "…", "?"];
    const text = fc.array(fc.constantFrom(...words), { maxLength: 12 }).chain((picked) => fc.constantFrom(" ", "\u3000", "\n", ", ").map((gap) => picked.join(gap)));
    const named = fc.subarray(["STOP", "START", "HI", "THANKS", "ORDER"]).map((list) => new Set(list));
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: "grapheme" })), named, (t, names) => {
        expect(consentChange(extractKeyword(t, { named: names }))).toBe(consentChange(firstWord(t)));
      }),
    );
  });
});
