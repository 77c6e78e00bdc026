import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { consentChange, extractKeyword, MAX_KEYWORD_LENGTH } from "@/lib/sms/keyword";

describe("extractKeyword", () => {
  it.each([
    ["hello world", "HELLO"],
    ["Hello", "HELLO"],
    ["STOP", "STOP"],
    ["world! again", "WORLD"],
    ["stop.", "STOP"],
    ["Hi, I ordered", "HI"],
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

  it("reads Japanese words", () => {
    expect(extractKeyword("こんにちは 世界")).toBe("こんにちは");
  });

  it("finds the first word of Japanese text, written without spaces", () => {
    expect(extractKeyword("予約をお願いします 🙏")).toBe("予約");
    expect(extractKeyword("こんにちは！注文した商品はいつ届きますか？")).toBe("こんにちは");
    expect(extractKeyword("キャンセルしたい")).toBe("キャンセル");
    expect(extractKeyword("Tokyo東京")).toBe("TOKYO");
  });

  it("takes Japanese punctuation off", () => {
    expect(extractKeyword("はい。 お願いします")).toBe("はい");
    expect(extractKeyword("「予約」")).toBe("予約");
    expect(extractKeyword("ストップ！")).toBe("ストップ");
  });

  it("splits on the ideographic (full-width) space", () => {
    expect(extractKeyword("こんにちは\u3000世界")).toBe("こんにちは");
    expect(extractKeyword("\u3000\u3000予約\u3000する")).toBe("予約");
  });

  it("splits on a no-break space and skips a stray byte order mark", () => {
    expect(extractKeyword("info\u00A0please")).toBe("INFO");
    expect(extractKeyword("\uFEFFinfo")).toBe("INFO");
  });

  it("upper-cases accented and non-Latin letters", () => {
    expect(extractKeyword("café au lait")).toBe("CAFÉ");
    expect(extractKeyword("привет мир")).toBe("ПРИВЕТ");
    expect(extractKeyword("straße")).toBe("STRASSE");
  });

  it("keeps emoji whole", () => {
    expect(extractKeyword("😀 hi")).toBe("😀");
  });

  it.each([null, "", " ", "\n\t ", "\u3000"])("returns null for %j", (text) => {
    expect(extractKeyword(text)).toBeNull();
  });

  it(`cuts long words to ${MAX_KEYWORD_LENGTH} characters`, () => {
    expect(extractKeyword("x".repeat(200))).toBe("X".repeat(64));
    expect(extractKeyword("x".repeat(64) + " y")).toBe("X".repeat(64));
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
  });
});
