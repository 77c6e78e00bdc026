import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNumber } from "@/lib/data/numbers";
import { extractKeyword } from "@/lib/sms/keyword";
import { HEAD, JS_WHITE_SPACE, loadTeams, type BenchNumber } from "../../bench/inbox-data";
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
    // The sample covers what the generator makes: Japanese texts with their first dictionary
    // word (お世話になっております → お世話), English ones with punctuation taken off.
    const keywords = new Set(messages.map((m) => m.keyword));
    expect(messages.some((m) => m.encoding === "UCS2" && m.keyword && m.text?.startsWith("お世話になっております") && m.keyword === "お世話")).toBe(true);
    expect(keywords).toContain("YES");
    expect(keywords).toContain("INFO");
  });

  it("reads the head of any text so that it has the text's keyword", async () => {
    const texts = [
      "Yes! and more",
      "  (info) please",
      "\u3000\u3000はい。 ありがとう",
      "お世話になっております。明日の予約を変更したいです。",
      "\u00a0stop now",
      "\ufeff START",
      "\t\nHi\u3000there friend",
      "a\u0085b c",
      "word",
      "   ",
      "",
    ];
    const { rows } = await client.query<{ text: string; head: string | null }>(
      `SELECT t AS text, substring(t FROM $2) AS head FROM unnest($1::text[]) t`,
      [texts, HEAD],
    );
    expect(rows.map((r) => extractKeyword(r.head))).toEqual(texts.map((t) => extractKeyword(t)));
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
