import { describe, expect, it } from "vitest";
import { buildKeywordInboxHref } from "@/lib/keywords";

describe("buildKeywordInboxHref", () => {
  it.each([
    ["SALE", null, "/acme/inbox?keyword=SALE"],
    ["SALE", "num_1", "/acme/inbox?keyword=SALE&number=num_1"],
    ["こんにちは", null, "/acme/inbox?keyword=%E3%81%93%E3%82%93%E3%81%AB%E3%81%A1%E3%81%AF"],
    ["🎉", null, "/acme/inbox?keyword=%F0%9F%8E%89"],
    ["A&B=C", null, "/acme/inbox?keyword=A%26B%3DC"],
    ["#PROMO?", null, "/acme/inbox?keyword=%23PROMO%3F"],
    ["100%+", null, "/acme/inbox?keyword=100%25%2B"],
  ])("links %j (number %j)", (keyword, number, href) => {
    expect(buildKeywordInboxHref("acme", keyword, number)).toBe(href);
    expect(new URL(href, "http://moshi.test").searchParams.get("keyword")).toBe(keyword);
  });
});
