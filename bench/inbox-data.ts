/**
 * The data set of `npm run bench:inbox`, written with set-based SQL (INSERT … SELECT over
 * generate_series), so a million messages load in about a minute rather than an hour.
 *
 * What one team gets:
 *   - conversations spread over its numbers, senders in the numbers' countries;
 *   - messages over the last year, denser lately; every conversation has at least one, the rest
 *     go mostly to a few heavy senders (the biggest thread holds about 1% of the team's messages);
 *   - English texts from a small vocabulary ("order", "please" and "refund" are common words),
 *     15% Japanese (UCS-2), 0.1% binary; a rare word and a rare keyword for selective lookups;
 *   - keywords as the app extracts them; long texts split into parts, a few of them PARTIAL
 *     (within the last day) or INCOMPLETE (older);
 *   - conversations whose lastMessageAt, messageCount, createdAt and opt-out follow from their
 *     messages; most recent ones and a few older ones unread;
 *   - real parts and raw deliveries for the messages of the biggest threads (the ones a thread
 *     view is measured on); other messages have none, which no list query reads.
 *
 * `random()` runs after `setseed`, on one connection, so the same size gives the same data.
 */
import type pg from "pg";
import type { Provider } from "@/lib/generated/prisma/enums";
import { KEYWORD_LOOKAHEAD, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS, readKeyword } from "@/lib/sms/keyword";

export type BenchNumber = { id: string; provider: Provider; e164: string };

export type TeamDataSet = {
  teamId: string;
  /** Part of every generated id, so two teams never collide. */
  idPrefix: string;
  numbers: BenchNumber[];
  conversations: number;
  messages: number;
  /** Threads, biggest first, whose messages get parts and deliveries. */
  threadsWithParts: number;
};

/** Words searches are measured with; the loader makes them as rare or common as their names say. */
export const TERMS = {
  rareWord: "zanzibar",
  commonWord: "order",
  rareKeyword: "AURORA7",
  commonKeyword: "YES",
  japanese2: "予約",
  japanese3: "キャンセル",
  noMatch: "qwxzvy",
  /** Two characters give no trigram of their own (see lib/data/conversations.ts for how they are found). */
  noMatch2: "寿司",
  /** Two characters in mixed case, only in the rare word. */
  rare2: "zA",
  /** For search + keyword: a word that often follows "Yes!". */
  comboWord: "refund",
} as const;

const RARE_WORD_RATE = 0.00005;
const RARE_KEYWORD_RATE = 0.0001;
const JAPANESE_RATE = 0.15;
const BINARY_RATE = 0.001;
/** Of the messages long enough to need several parts, how many never got all of them. */
const MISSING_PART_RATE = 0.04;

// Weights by repetition: a word listed three times is drawn three times as often.
const OPENERS = [
  ...Array(6).fill("Hi"),
  ...Array(3).fill("Hello"),
  ...Array(3).fill("Yes!"),
  ...Array(2).fill("yes"),
  "YES",
  ...Array(2).fill("No"),
  ...Array(2).fill("Thanks"),
  "Thank",
  "STOP",
  "START",
  "INFO",
  "(info)",
  ...Array(3).fill("Can"),
  ...Array(2).fill("Is"),
  ...Array(2).fill("When"),
  "Where",
  ...Array(2).fill("Please"),
  ...Array(4).fill("I"),
  ...Array(3).fill("My"),
  "Order",
  "QUIZ",
  "WIN",
  ...Array(2).fill("Ok"),
  "Sure,",
  "#PROMO",
] as string[];

const WORDS = (
  "the the the a a to to my my your is is are can I I you we it this that for on in at with and but not " +
  "please please please thanks order order order delivery parcel package tomorrow today tonight morning afternoon time " +
  "appointment booking cancel change confirm address number code account payment refund refund price discount offer " +
  "store shop open closed when where what how why still again received arrived late missing wrong size color ticket " +
  "table reservation dinner lunch 2 3 10 pm am Monday Friday Saturday weekend next week last month ok sure great good " +
  "love help need want would like get send call back soon asap thank you very much there here coupon"
).split(" ");

const JAPANESE_REPLIES = ["はい", "はい。", "はい、お願いします", "いいえ", "了解です", "ありがとうございます", "予約", "キャンセル"];
const JAPANESE_OPENERS = ["こんにちは", "こんにちは。", "お世話になっております。", "すみません、", "予約", "はい"];
const JAPANESE_PHRASES = [
  "明日の予約を変更したいです。",
  "予約をキャンセルしたいです。",
  "ありがとうございます。",
  "よろしくお願いします。",
  "荷物がまだ届いていません。",
  "営業時間を教えてください。",
  "今日は何時まで開いていますか？",
  "注文番号を確認してください。",
  "了解しました。",
  "支払い方法を変更できますか？",
  "クーポンを使いたいです。",
  "住所を変更しました。",
  "在庫はありますか？",
  "明日の10時でお願いします。",
  "領収書をお願いします。",
  "駐車場はありますか？",
];

/**
 * The characters JavaScript's `\s` matches (ECMAScript's WhiteSpace and LineTerminator), as a
 * PostgreSQL bracket expression: what separates the runs of text that extractKeyword reads.
 */
export const JS_WHITE_SPACE = "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]";
const NOT_WHITE_SPACE = `[^${JS_WHITE_SPACE.slice(1)}`;

/**
 * The head of a text: any white space it starts with, then its first `runs` runs of
 * non-white-space characters (and the white space between them). A keyword depends on the first
 * KEYWORD_LOOKAHEAD words at most, and every run holds at least one word, so the head of that
 * many runs has the text's keyword; most texts need fewer (a first word that is not a stop word
 * settles it). Texts share few short heads (an opener, a reply), so the app's own readKeyword
 * runs on each of those, one run longer at a time for the heads still unsettled, not on every text.
 */
export function headPattern(runs: number): string {
  return `^${JS_WHITE_SPACE}*(?:${NOT_WHITE_SPACE}+${JS_WHITE_SPACE}+){0,${runs - 1}}${NOT_WHITE_SPACE}*`;
}

/** Matches a text that is all head: no more than `runs` runs. */
export function wholePattern(runs: number): string {
  return `${headPattern(runs)}${JS_WHITE_SPACE}*$`;
}

/** Sender prefixes by provider: Japanese mobiles on Rakuten, US on Vonage, Croatian on Infobip. */
const SENDER_PREFIX: Partial<Record<Provider, string>> = { RAKUTEN: "8190", VONAGE: "1267", INFOBIP: "38591" };

export type LoadedTeam = { conversations: number; messages: number; parts: number; deliveries: number };

type Step = (sql: string, ms: number) => void;

/**
 * Loads the teams' conversations, messages, parts and deliveries on `client`. Messages of all
 * teams go in together in time order, interleaved as a live table holds them. The caller runs
 * `setseed` first, and may drop indexes around the load.
 */
export async function loadTeams(client: pg.Client, sets: TeamDataSet[], now: Date, onStep?: Step): Promise<LoadedTeam[]> {
  const q = async (sql: string, values: unknown[] = []) => {
    const started = performance.now();
    const result = await client.query(sql, values);
    onStep?.(sql, performance.now() - started);
    return result;
  };
  await q(`DROP TABLE IF EXISTS bench_conv, bench_rand, bench_body, bench_keyword, bench_pending, bench_head, bench_read, bench_msg, bench_threads`);
  const loaded: LoadedTeam[] = [];
  for (const [i, set] of sets.entries()) {
    const conversations = await planTeam(q, set, now, i === 0);
    loaded.push({ conversations, messages: 0, parts: 0, deliveries: 0 });
  }

  await q(
    `INSERT INTO "Message" ("id", "teamId", "phoneNumberId", "conversationId", "provider", "from", "to", "encoding", "text",
       "binaryHex", "keyword", "providerTimestamp", "receivedAt", "completedAt", "status", "partsExpected", "partsReceived",
       "concatKey", "groupKey", "smsCount", "warnings")
     SELECT m.id, m.team_id, m.number_id, m.conversation_id, m.provider::"Provider", m.sender, m.to_number,
       m.encoding::"Encoding", m.text, m.binary_hex, m.keyword, m.at - interval '2 seconds', m.at,
       CASE WHEN m.status = 'COMPLETE' THEN m.at END, m.status::"MessageStatus", m.expected, m.received,
       CASE WHEN m.status = 'PARTIAL' THEN m.sender || '|16:' || m.n || '|' || m.expected END,
       CASE WHEN m.expected > 1 THEN m.sender || '|16:' || m.n || '|' || m.expected END,
       CASE WHEN m.provider = 'INFOBIP' THEN m.expected END, ARRAY[]::text[]
     FROM bench_msg m
     ORDER BY m.at`,
  );

  for (const [i, set] of sets.entries()) {
    const { rows } = await q(`SELECT count(*)::int AS n FROM bench_msg WHERE team_id = $1`, [set.teamId]);
    // One request per part, as providers send them, for the biggest threads' messages.
    await q(
      `CREATE TEMP TABLE bench_threads AS
       SELECT m.*, i AS part_index, 'c' || substr(md5($1 || ':d:' || m.n || ':' || i), 1, 24) AS delivery_id,
         CASE WHEN m.text IS NULL THEN m.binary_hex
              ELSE substr(m.text, 1 + (i - 1) * ceil(char_length(m.text)::numeric / m.expected)::int, ceil(char_length(m.text)::numeric / m.expected)::int)
         END AS payload
       FROM bench_msg m
       CROSS JOIN LATERAL generate_series(1, m.received) i
       WHERE m.team_id = $3 AND m.k IN (SELECT k FROM bench_msg WHERE team_id = $3 GROUP BY k ORDER BY count(*) DESC LIMIT $2)`,
      [set.idPrefix, set.threadsWithParts, set.teamId],
    );
    const deliveries = await q(
      `INSERT INTO "Delivery" ("id", "teamId", "phoneNumberId", "provider", "method", "contentType", "headers", "query", "body",
         "receivedAt", "outcome", "status", "durationMs", "signed", "storedCount")
       SELECT t.delivery_id, t.team_id, t.number_id, t.provider::"Provider", 'POST', 'application/json',
         '{"content-type": "application/json", "user-agent": "provider-webhooks/1.0"}'::jsonb, '',
         convert_to(json_build_object('from', t.sender, 'to', t.to_number, 'messageId', t.delivery_id, 'text', t.payload, 'receivedAt', t.at)::text, 'UTF8'),
         t.at, 'STORED', 200, 12, t.provider = 'VONAGE', 1
       FROM bench_threads t`,
    );
    const parts = await q(
      `INSERT INTO "MessagePart" ("id", "phoneNumberId", "messageId", "deliveryId", "providerMessageId", "partIndex",
         "payloadFormat", "payload", "udhHex", "providerTimestamp", "receivedAt")
       SELECT 'c' || substr(md5($1 || ':p:' || t.n || ':' || t.part_index), 1, 24), t.number_id, t.id, t.delivery_id,
         t.delivery_id, t.part_index, CASE WHEN t.text IS NULL THEN 'binary-hex' ELSE 'text' END, t.payload,
         CASE WHEN t.expected > 1 THEN '050003' || lpad(to_hex(t.n % 256), 2, '0') || lpad(to_hex(t.expected), 2, '0') || lpad(to_hex(t.part_index), 2, '0') END,
         t.at - interval '2 seconds', t.at
       FROM bench_threads t`,
      [set.idPrefix],
    );
    await q(`DROP TABLE bench_threads`);
    Object.assign(loaded[i]!, { messages: rows[0].n, parts: parts.rowCount ?? 0, deliveries: deliveries.rowCount ?? 0 });
  }
  await q(`DROP TABLE bench_msg`);
  return loaded;
}

/** Draws one team's messages into bench_msg and inserts its conversations; answers how many. */
async function planTeam(q: (sql: string, values?: unknown[]) => Promise<pg.QueryResult>, set: TeamDataSet, now: Date, first: boolean) {
  if (set.conversations > 99_999_999) throw new Error("At most 99,999,999 conversations: senders have 8 digits.");
  const numberIds = set.numbers.map((n) => n.id);
  const providers = set.numbers.map((n) => n.provider);
  const to = set.numbers.map((n) => n.e164.replace(/^\+/, ""));
  const prefixes = set.numbers.map((n) => SENDER_PREFIX[n.provider]);

  await q(
    `CREATE TEMP TABLE bench_conv AS
     SELECT k, 'c' || substr(md5($1 || ':c:' || k), 1, 24) AS id, 1 + k % cardinality($3::text[]) AS num,
       ($3::text[])[1 + k % cardinality($3::text[])] || lpad(k::text, 8, '0') AS sender
     FROM generate_series(1, $2::int) k`,
    [set.idPrefix, set.conversations, prefixes],
  );
  await q(`ALTER TABLE bench_conv ADD PRIMARY KEY (k)`);

  // The numbers every message is made of. The first `conversations` messages open one thread
  // each; the others go to thread 1 + floor(C * r^2.5), so low-numbered threads get most.
  await q(
    `CREATE TEMP TABLE bench_rand AS
     SELECT n,
       CASE WHEN n <= $1 THEN n ELSE 1 + floor($1 * power(random(), 2.5))::int END AS k,
       date_trunc('milliseconds', ($3::timestamptz AT TIME ZONE 'UTC') - power(random(), 1.6) * interval '365 days') AS at,
       random() < $4 AS japanese, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
     FROM generate_series(1, $2::int) n`,
    [set.conversations, set.messages, now, JAPANESE_RATE],
  );

  // Texts. Each subquery mentions the outer row (b.n), so it runs per message, not once.
  await q(
    `CREATE TEMP TABLE bench_body AS
     SELECT b.n, b.k, b.at, b.japanese, b.r4,
       CASE
         WHEN b.r1 < $1 THEN NULL
         WHEN b.japanese AND b.r2 < 0.35 THEN ($2::text[])[1 + floor(b.r3 * cardinality($2::text[]))::int]
         WHEN b.japanese THEN ($3::text[])[1 + floor(b.r3 * cardinality($3::text[]))::int]
           || CASE WHEN b.r2 < 0.65 THEN ' ' ELSE '' END
           || (SELECT string_agg(($4::text[])[1 + floor(random() * cardinality($4::text[]))::int], '')
               FROM generate_series(1, 1 + b.n % 3))
         ELSE
           CASE WHEN b.r3 < $7 THEN 'Aurora7' ELSE ($5::text[])[1 + floor(b.r3 * cardinality($5::text[]))::int] END
           || ' ' || (SELECT string_agg(($6::text[])[1 + floor(random() * cardinality($6::text[]))::int], ' ')
                      FROM generate_series(1, 2 + b.n % 7 + floor(power(b.r2, 3) * 40)::int))
           || CASE WHEN b.r5 < $8 THEN ' Zanzibar' ELSE '' END
           || CASE WHEN b.n % 4 = 0 THEN '?' WHEN b.n % 4 = 1 THEN '.' ELSE '' END
       END AS text
     FROM bench_rand b`,
    [BINARY_RATE, JAPANESE_REPLIES, JAPANESE_OPENERS, JAPANESE_PHRASES, OPENERS, WORDS, RARE_KEYWORD_RATE, RARE_WORD_RATE],
  );

  // Keywords: the app's readKeyword on each distinct head (see headPattern), one run longer at a
  // time for the texts whose head so far is stop words only.
  await q(`CREATE TEMP TABLE bench_keyword (n int PRIMARY KEY, keyword text)`);
  await q(`CREATE TEMP TABLE bench_pending AS SELECT n, text FROM bench_body WHERE text IS NOT NULL`);
  for (let runs = 1; runs <= KEYWORD_LOOKAHEAD; runs++) {
    await q(`CREATE TEMP TABLE bench_head AS SELECT n, text, substring(text FROM $1) AS head, text ~ $2 AS whole FROM bench_pending`, [headPattern(runs), wholePattern(runs)]);
    const { rows: heads } = await q(`SELECT DISTINCT head FROM bench_head`);
    const read = heads.map((h) => readKeyword(h.head));
    await q(`CREATE TEMP TABLE bench_read AS SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[]) AS r(head, keyword, settled)`, [
      heads.map((h) => h.head),
      read.map((r) => r.keyword),
      read.map((r) => r.settled),
    ]);
    await q(`INSERT INTO bench_keyword SELECT h.n, r.keyword FROM bench_head h JOIN bench_read r ON r.head = h.head WHERE r.settled OR h.whole`);
    await q(`DROP TABLE bench_pending`);
    const pending = await q(
      `CREATE TEMP TABLE bench_pending AS SELECT h.n, h.text FROM bench_head h JOIN bench_read r ON r.head = h.head WHERE NOT (r.settled OR h.whole)`,
    );
    await q(`DROP TABLE bench_head, bench_read`);
    if (pending.rowCount === 0) break;
  }
  const { rows: left } = await q(`SELECT count(*)::int AS n FROM bench_pending`);
  // A head of KEYWORD_LOOKAHEAD runs is settled or the whole text: nothing can be left.
  if (left[0].n > 0) throw new Error(`${left[0].n} texts without a keyword after ${KEYWORD_LOOKAHEAD} runs`);
  await q(`DROP TABLE bench_pending`);

  // Everything else a message row needs, as ingestion would have stored it.
  await q(
    `${first ? "CREATE TEMP TABLE bench_msg AS" : "INSERT INTO bench_msg"}
     SELECT $4::text AS team_id, b.n, b.k, b.at, c.id AS conversation_id, c.sender,
       ($5::text[])[c.num] AS number_id, ($6::text[])[c.num] AS provider, ($7::text[])[c.num] AS to_number,
       'c' || substr(md5($1 || ':m:' || b.n), 1, 24) AS id,
       x.encoding, x.expected,
       CASE WHEN x.missing THEN x.expected - 1 ELSE x.expected END AS received,
       CASE WHEN NOT x.missing THEN 'COMPLETE' WHEN b.at > ($2::timestamptz AT TIME ZONE 'UTC') - interval '1 day' THEN 'PARTIAL' ELSE 'INCOMPLETE' END AS status,
       CASE WHEN x.missing THEN b.text || ' …' ELSE b.text END AS text,
       CASE WHEN b.text IS NULL THEN md5(b.n::text) END AS binary_hex,
       h.keyword
     FROM bench_body b
     JOIN bench_conv c ON c.k = b.k
     LEFT JOIN bench_keyword h ON h.n = b.n
     CROSS JOIN LATERAL (
       SELECT e.encoding, e.expected, e.expected > 1 AND b.r4 < $3 AS missing
       FROM (SELECT CASE WHEN b.text IS NULL THEN 'BINARY' WHEN b.japanese THEN 'UCS2' ELSE 'GSM7' END AS encoding,
               CASE WHEN b.text IS NULL THEN 1
                    WHEN b.japanese THEN CASE WHEN char_length(b.text) <= 70 THEN 1 ELSE ceil(char_length(b.text) / 67.0)::int END
                    ELSE CASE WHEN char_length(b.text) <= 160 THEN 1 ELSE ceil(char_length(b.text) / 153.0)::int END
               END AS expected) e
     ) x`,
    [set.idPrefix, now, MISSING_PART_RATE, set.teamId, numberIds, providers, to],
  );

  // Threads: counts, first and last times, and consent from the latest STOP/START-like message.
  const conversations = await q(
    `INSERT INTO "Conversation" ("id", "teamId", "phoneNumberId", "sender", "lastMessageAt", "messageCount", "optedOutAt", "createdAt")
     SELECT c.id, $1, ($2::text[])[c.num], c.sender, a.last_at,
       a.count, CASE WHEN s.keyword = ANY($3::text[]) THEN s.at END, a.first_at
     FROM bench_conv c
     JOIN (SELECT k, count(*)::int AS count, max(at) AS last_at, min(at) AS first_at FROM bench_msg WHERE team_id = $1 GROUP BY k) a ON a.k = c.k
     LEFT JOIN (
       SELECT DISTINCT ON (k) k, keyword, at FROM bench_msg
       WHERE team_id = $1 AND status = 'COMPLETE' AND (keyword = ANY($3::text[]) OR keyword = ANY($4::text[]))
       ORDER BY k, at DESC, id DESC
     ) s ON s.k = c.k
     ORDER BY c.k`,
    [set.teamId, numberIds, [...OPT_OUT_KEYWORDS], [...OPT_IN_KEYWORDS]],
  );
  // Each member's read state: unread are 60% of the threads active in the last 3 days and 3% of
  // the rest, by 1 to 3 messages; the others read to the end.
  await q(
    `INSERT INTO "ConversationRead" ("conversationId", "userId", "teamId", "readCount", "updatedAt")
     SELECT c."id", m."userId", c."teamId",
       c."messageCount" - CASE WHEN random() < CASE WHEN c."lastMessageAt" > ($2::timestamptz AT TIME ZONE 'UTC') - interval '3 days' THEN 0.6 ELSE 0.03 END
            THEN least(c."messageCount", 1 + floor(random() * 3)::int) ELSE 0 END,
       $2::timestamptz
     FROM "Conversation" c JOIN "Membership" m ON m."teamId" = c."teamId"
     WHERE c."teamId" = $1`,
    [set.teamId, now],
  );
  await q(`DROP TABLE bench_conv, bench_rand, bench_body, bench_keyword`);
  return conversations.rowCount ?? 0;
}
