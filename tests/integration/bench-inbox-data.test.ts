import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNumber } from "@/lib/data/numbers";
import { extractKeyword, KEYWORD_LOOKAHEAD, readKeyword } from "@/lib/sms/keyword";
import { headPattern, JS_WHITE_SPACE, loadTeams, wholePattern, type BenchNumber } from "../../bench/inbox-data";
import { prisma, seedTeam } from "../helpers/db";

/**
 * The data set of `npm run bench:inbox` must hold the keywords the app would have stored for its
 * texts, or its keyword filters measure something the app never does (the bench stops at load
 * when a sample disagrees; this finds it without loading a million messages).
 */
describe("bench:inbox data set", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  let teamId: string;

  beforeAll(async () => {
    await client.connect();
    teamId = (await seedTeam("Bench data")).team.id;
    const numbers: BenchNumber[] = [];
    for (const [provider, e164] of [
      ["RAKUTEN", "+815012349999"],
      ["VONAGE", "+12192259999"],
      ["INFOBIP", "+385921009999"],
    ] as const) {
      const { number } = await createNumber(prisma, { teamId, provider, e164, label: provider });
      numbers.push({ id: number.id, provider, e164: number.e164 });
    }
    await client.query(`SELECT setseed(0.42)`);
    const idPrefix = `t${randomBytes(4).toString("hex")}`;
    await loadTeams(client, [{ teamId, idPrefix, numbers, conversations: 300, messages: 4_000, threadsWithParts: 2 }], new Date("2026-12-02T00:00:00Z"));
  }, 120_000);

  afterAll(async () => {
    await client.end();
    await prisma.$disconnect();
  });

  it("stores for every message the keyword extractKeyword gives its text", async () => {
    const messages = await prisma.message.findMany({ where: { teamId }, select: { text: true, keyword: true, encoding: true } });
    expect(messages).toHaveLength(4_000);
    const wrong = messages.filter((m) => m.keyword !== extractKeyword(m.text)).map((m) => `${JSON.stringify(m.text)} stored ${m.keyword}, app ${extractKeyword(m.text)}`);
    expect(wrong).toEqual([]);
    // The sample covers what the generator makes: Japanese texts past their opener
    // (お世話になっております。明日の予約を… → 明日), English ones past their stop words, with
    // punctuation taken off.
    const keywords = new Set(messages.map((m) => m.keyword));
    const formal = messages.filter((m) => m.encoding === "UCS2" && m.text?.startsWith("お世話になっております"));
    expect(formal.length).toBeGreaterThan(0);
    expect(formal.some((m) => m.keyword !== "お世話")).toBe(true);
    expect(keywords).toContain("YES");
    expect(keywords).toContain("INFO");
    expect(keywords).toContain("ORDER");
  });

  it("reads heads of any text so that a settled one, or one that is the whole text, has the text's keyword", async () => {
    const texts = [
      "Yes! and more",
      "  (info) please",
      "\u3000\u3000はい。 ありがとう",
      "お世話になっております。明日の予約を変更したいです。",
      "\u00a0stop now",
      "\ufeff START",
      "\t\nHi\u3000there friend",
      "a\u0085b c",
      "Hi I just wanted to say that the order is late",
      "Thank you so much for the the the a a a coupon",
      "Hvala, kupon radi!",
      "こんにちは。注文した商品が\u3000まだ",
      "word",
      "   ",
      "",
    ];
    for (let runs = 1; runs <= KEYWORD_LOOKAHEAD; runs++) {
      const { rows } = await client.query<{ text: string; head: string; whole: boolean }>(
        `SELECT t AS text, substring(t FROM $2) AS head, t ~ $3 AS whole FROM unnest($1::text[]) t`,
        [texts, headPattern(runs), wholePattern(runs)],
      );
      for (const { text, head, whole } of rows) {
        const read = readKeyword(head);
        if (read.settled || whole) expect([runs, text, read.keyword]).toEqual([runs, text, extractKeyword(text)]);
        // Every text is settled by its head of KEYWORD_LOOKAHEAD runs, or is all head.
        if (runs === KEYWORD_LOOKAHEAD) expect(read.settled || whole).toBe(true);
      }
    }
  });

  it("takes as white space exactly what JavaScript's \\s does", () => {
    const ours = new RegExp(`^${JS_WHITE_SPACE}$`, "u");
    const differ: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      if (ours.test(c) !== /^\s$/u.test(c)) differ.push(cp.toString(16));
    }
    expect(differ).toEqual([]);
  });
});
