/**
 * `npm run bench:inbox`: how fast the inbox queries of lib/data/conversations.ts answer over a
 * million messages. Loads a fresh database on DATABASE_URL's server (see bench/inbox-data.ts for
 * what is in it), then times each query warm: median and p95 over repeated runs, and the rows it
 * returned. Each query then runs once more under EXPLAIN (ANALYZE, BUFFERS), exactly as the app
 * sent it, and a line per statement shows the scans in its plan and whether the index the query
 * is meant to use is in it, so a fall back to a sequential scan shows.
 *
 * Without DATABASE_URL it runs on the embedded PGlite, at 20,000 messages: PGlite is single-
 * threaded WebAssembly, fine for a smoke run of this script, not for a million rows, and its
 * figures say nothing about a real server.
 *
 *   BENCH_MESSAGES  messages of the big team (default 1,000,000; 20,000 on PGlite); it gets a
 *                   tenth as many conversations, and a second team a tenth of its size
 *   BENCH_RUNS      timed runs per query (default 20; fewer for queries over a few seconds)
 *
 * With --pages (`npm run bench:inbox -- --pages`; needs DATABASE_URL) it also times the dashboard
 * pages as the production server renders them over the same data (bench/inbox-pages.ts): it runs
 * `next build` first, unless --no-build says to use the existing build.
 *
 *   BENCH_PAGE_RUNS timed requests per page (default 20)
 *
 * Figures depend on the machine and its load: compare runs made on the same machine.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { allowServerOnlyImports } from "../scripts/lib/server-only";
import { createFreshDatabase, migrateDeploy, startEmbeddedPostgres } from "../scripts/lib/database";
import { loadTeams, TERMS, type BenchNumber, type LoadedTeam } from "./inbox-data";
import { buildForPages, measurePages, type PageTarget } from "./inbox-pages";

const { values: flags } = parseArgs({ options: { pages: { type: "boolean", default: false }, "no-build": { type: "boolean", default: false } } });

allowServerOnlyImports();
process.env.MOSHI_ENCRYPTION_KEY ||= randomBytes(32).toString("base64");
const { PrismaClient } = await import("@/lib/generated/prisma/client");
const { PrismaPg } = await import("@prisma/adapter-pg");
const { countUnreadConversations, encodeConversationCursor, exportMessages, getConversation, listConversations } = await import("@/lib/data/conversations");
const { createNumber } = await import("@/lib/data/numbers");
const { listRecentKeywords } = await import("@/lib/data/keywords");
const { extractKeyword } = await import("@/lib/sms/keyword");

const onServer = Boolean(process.env.DATABASE_URL);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? (onServer ? 1_000_000 : 20_000));
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 20);
/** A query gets at least MIN_RUNS timed runs, then more while it stays within this budget. */
const MIN_RUNS = 5;
const BUDGET_MS = 4_000;
const EXPORT_CAP = 100_000;
if (!(MESSAGES >= 100 && Number.isInteger(MESSAGES))) throw new Error(`BENCH_MESSAGES must be a whole number of at least 100, not ${process.env.BENCH_MESSAGES}`);
if (!(PAGE_RUNS >= 1 && Number.isInteger(PAGE_RUNS))) throw new Error(`BENCH_PAGE_RUNS must be a whole number of at least 1, not ${process.env.BENCH_PAGE_RUNS}`);
if (flags.pages && !onServer) throw new Error("--pages needs a PostgreSQL server in DATABASE_URL: the production server cannot share the embedded PGlite.");
// Before the database exists: a failed build leaves nothing behind, and its CPU use disturbs nothing measured.
if (flags.pages) await buildForPages(!flags["no-build"]);

if (!onServer) {
  console.log(
    "DATABASE_URL is not set: running on the embedded PGlite with BENCH_MESSAGES=" +
      `${MESSAGES}. PGlite is not meant for a million rows and its timings say little about a server;\n` +
      "for the real figures run: DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:inbox\n",
  );
}

const database = onServer ? await createFreshDatabase(process.env.DATABASE_URL!, "moshi_bench_inbox") : await startEmbeddedPostgres();
const dispose = () => ("drop" in database ? database.drop() : database.stop());
/** Stops the production server of --pages while it runs. */
let stopServer: (() => Promise<void>) | null = null;
// Ctrl-C skips `finally`: stop the server and drop the database on the way out all the same.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: dropping the bench database`);
    void (stopServer?.() ?? Promise.resolve())
      .catch(() => {})
      .then(dispose)
      .finally(() => process.exit(130));
  });
}

const fmt = (n: number) => n.toLocaleString("en-US");
const loadAverage = () => os.loadavg().map((n) => n.toFixed(1)).join(" ");
/** Pads for a terminal, where CJK characters take two columns. */
const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - [...text].reduce((w, c) => w + (c >= "\u2e80" ? 2 : 1), 0)));
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const seconds = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;

// The app's queries go through this pool; while `capturing`, each statement is kept as sent.
type Statement = { text: string; values: unknown[] };
const captured: Statement[] = [];
let capturing = false;
const pool = new pg.Pool({ connectionString: database.url, max: 4 });
const query = pool.query.bind(pool) as (config: unknown, values?: unknown) => Promise<unknown>;
(pool as unknown as { query: typeof query }).query = (config, values) => {
  if (capturing && typeof config === "object" && config && "text" in config) {
    const { text, values: bound } = config as { text: string; values?: unknown[] };
    captured.push({ text, values: bound ?? (values as unknown[]) ?? [] });
  }
  return query(config, values);
};
const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
const admin = new pg.Client({ connectionString: database.url });

try {
  let started = performance.now();
  await migrateDeploy(database.url);
  await admin.connect();
  const { rows: server } = await admin.query<{ version: string; shared_buffers: string; work_mem: string }>(
    `SELECT split_part(version(), ' ', 2) AS version, current_setting('shared_buffers') AS shared_buffers, current_setting('work_mem') AS work_mem`,
  );
  console.log(
    `database: ${onServer ? `PostgreSQL ${server[0]!.version}` : "embedded PGlite"} (shared_buffers ${server[0]!.shared_buffers}, work_mem ${server[0]!.work_mem}); ` +
      `machine: ${os.cpus().length} CPUs, load average ${loadAverage()}; migrated in ${seconds(started)}`,
  );

  // ---------------------------------------------------------------- load
  const makeTeam = async (name: string, e164s: [string, string, string]) => {
    const team = await prisma.team.create({ data: { name, slug: `${name.toLowerCase().replace(/\W+/g, "-")}-${randomBytes(4).toString("hex")}` } });
    const providers = ["RAKUTEN", "VONAGE", "INFOBIP"] as const;
    const numbers: BenchNumber[] = [];
    for (const [i, provider] of providers.entries()) {
      const { number } = await createNumber(prisma, { teamId: team.id, provider, e164: e164s[i]!, label: `${name} ${provider.toLowerCase()}` });
      numbers.push({ id: number.id, provider, e164: number.e164 });
    }
    // The person whose read state the measured pages and queries show (lib/data/conversations.ts).
    const reader = await prisma.user.create({ data: { email: `reader-${randomBytes(4).toString("hex")}@bench.test`, name: "Reader" } });
    await prisma.membership.create({ data: { teamId: team.id, userId: reader.id, role: "OWNER" } });
    return { id: team.id, slug: team.slug, numbers, readerId: reader.id };
  };
  const big = await makeTeam("Big", ["+815012345678", "+12192259404", "+385921004026"]);
  const small = await makeTeam("Small", ["+815012340000", "+12192250000", "+385921000000"]);

  const now = new Date();
  started = performance.now();
  const loader = new pg.Client({ connectionString: database.url });
  await loader.connect();
  let loaded: { big: LoadedTeam; small: LoadedTeam };
  try {
    if (onServer) await loader.query(`SET maintenance_work_mem = '512MB'`);
    await loader.query(`SELECT setseed(0.42)`);
    // Loading into tables without their secondary indexes and building those afterwards is much
    // faster than updating them row by row. The definitions come from the migrations as applied.
    const { rows: indexes } = await loader.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes i
       WHERE schemaname = current_schema() AND tablename IN ('Message', 'Conversation', 'MessagePart', 'Delivery')
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    );
    for (const { indexname } of indexes) await loader.query(`DROP INDEX "${indexname}"`);
    const conversations = Math.max(1, Math.round(MESSAGES / 10));
    const [bigTeam, smallTeam] = await loadTeams(
      loader,
      [
        { teamId: big.id, idPrefix: "big", numbers: big.numbers, conversations, messages: MESSAGES, threadsWithParts: 10 },
        {
          teamId: small.id,
          idPrefix: "small",
          numbers: small.numbers,
          conversations: Math.max(1, Math.round(conversations / 10)),
          messages: Math.max(1, Math.round(MESSAGES / 10)),
          threadsWithParts: 3,
        },
      ],
      now,
    );
    loaded = { big: bigTeam!, small: smallTeam! };
    console.log(`loaded in ${seconds(started)}`);
    started = performance.now();
    for (const { indexdef } of indexes) await loader.query(indexdef);
    console.log(`${indexes.length} indexes built in ${seconds(started)}`);
    started = performance.now();
    // VACUUM as well as ANALYZE: it sets the visibility map, as autovacuum does on a live table,
    // which index-only scans depend on.
    await loader.query(`VACUUM (ANALYZE) "Message", "Conversation", "MessagePart", "Delivery"`);
    console.log(`vacuum analyze in ${seconds(started)}`);
  } finally {
    await loader.end();
  }

  await checkDataSet(big.id);
  for (const [name, team] of Object.entries(loaded)) {
    console.log(
      `team ${name}: ${fmt(team.messages)} messages in ${fmt(team.conversations)} conversations; parts ${fmt(team.parts)}, deliveries ${fmt(team.deliveries)}`,
    );
  }
  await describeDataSet(big.id);

  // ---------------------------------------------------------------- measure
  type Scenario = { name: string; run: () => Promise<string>; expect?: string[] };
  const page = (options: Omit<Parameters<typeof listConversations>[1], "teamId"> & { teamId?: string }) => async () => {
    const result = await listConversations(prisma, { teamId: big.id, userId: big.readerId, now, ...options });
    return `${result.items.length} rows${result.nextCursor ? "" : ", last page"}`;
  };

  const count = (options: Omit<Parameters<typeof countUnreadConversations>[1], "teamId">) => async () => {
    const { count, capped } = await countUnreadConversations(prisma, { teamId: big.id, userId: big.readerId, ...options });
    return `${fmt(count)}${capped ? "+" : ""} (count)`;
  };

  // A cursor 51 pages in, by following them, and one 90% of the way down, built directly.
  started = performance.now();
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) cursor = (await listConversations(prisma, { teamId: big.id, now, cursor })).nextCursor;
  console.log(`\nfollowed 50 cursors in ${seconds(started)}`);
  const conversationCount = await prisma.conversation.count({ where: { teamId: big.id } });
  const at90 = await prisma.conversation.findMany({
    where: { teamId: big.id },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    skip: Math.floor(conversationCount * 0.9),
    take: 1,
    select: { id: true, lastMessageAt: true },
  });
  const cursor90 = at90[0] ? encodeConversationCursor(at90[0]) : null;
  const biggest = await prisma.conversation.findFirstOrThrow({ where: { teamId: big.id }, orderBy: { messageCount: "desc" }, select: { id: true, messageCount: true } });
  const rakuten = big.numbers[0]!;

  const LIST = "Conversation_teamId_lastMessageAt_idx";
  const LATEST = "Message_conversationId_receivedAt_idx";
  const TRGM = "Message_text_trgm_idx";
  /** Searches of 2 characters: the text with every character doubled (lib/data/conversations.ts). */
  const DOUBLED = "Message_text_doubled_trgm_idx";
  const KEYWORD = "Message_teamId_keyword_idx";
  const scenarios: Scenario[] = [
    { name: "first page", run: page({}), expect: [LIST, LATEST] },
    { name: "page 51 (after 50 cursors)", run: page({ cursor }), expect: [LIST] },
    { name: "page at 90% (encoded cursor)", run: page({ cursor: cursor90 }), expect: [LIST] },
    { name: "unread", run: page({ unreadOnly: true }), expect: [LIST] },
    { name: "number (Rakuten)", run: page({ phoneNumberId: rakuten.id }), expect: [LIST] },
    { name: "provider (Vonage)", run: page({ provider: "VONAGE" }), expect: [LIST] },
    { name: `keyword common (${TERMS.commonKeyword})`, run: page({ keyword: TERMS.commonKeyword }), expect: [KEYWORD] },
    { name: `keyword rare (${TERMS.rareKeyword})`, run: page({ keyword: TERMS.rareKeyword }), expect: [KEYWORD] },
    { name: `search rare "${TERMS.rareWord}"`, run: page({ search: TERMS.rareWord }), expect: [TRGM] },
    { name: `search common "${TERMS.commonWord}"`, run: page({ search: TERMS.commonWord }), expect: [TRGM] },
    // Common: PostgreSQL rightly walks the newest conversations rather than look up 40,000 matches.
    { name: `search ja 2 chars "${TERMS.japanese2}"`, run: page({ search: TERMS.japanese2 }) },
    { name: `search ja 5 chars "${TERMS.japanese3}"`, run: page({ search: TERMS.japanese3 }), expect: [TRGM] },
    { name: `search no match "${TERMS.noMatch}"`, run: page({ search: TERMS.noMatch }), expect: [TRGM] },
    { name: `search 2 chars, no match "${TERMS.noMatch2}"`, run: page({ search: TERMS.noMatch2 }), expect: [DOUBLED] },
    { name: `search 2 chars, rare "${TERMS.rare2}"`, run: page({ search: TERMS.rare2 }), expect: [DOUBLED] },
    { name: `search "${TERMS.comboWord}" + keyword ${TERMS.commonKeyword}`, run: page({ search: TERMS.comboWord, keyword: TERMS.commonKeyword }) },
    { name: `search common, page 2`, run: searchPage2(TERMS.commonWord) },
    { name: "count unread", run: count({}) },
    { name: `count unread, search "${TERMS.commonWord}"`, run: count({ search: TERMS.commonWord }) },
    { name: `count unread, search "${TERMS.japanese3}"`, run: count({ search: TERMS.japanese3 }) },
    { name: `count unread, search "${TERMS.rareWord}"`, run: count({ search: TERMS.rareWord }), expect: [TRGM] },
    { name: `count unread, search 2 chars, no match`, run: count({ search: TERMS.noMatch2 }), expect: [DOUBLED] },
    { name: `count unread, keyword ${TERMS.commonKeyword}`, run: count({ keyword: TERMS.commonKeyword }) },
    {
      name: `thread: biggest (${fmt(biggest.messageCount)} msgs)`,
      run: async () => {
        const thread = await getConversation(prisma, { teamId: big.id, conversationId: biggest.id, now });
        return `${thread?.messages.length ?? 0} msgs, ${thread?.messages.reduce((n, m) => n + m.parts.length, 0) ?? 0} parts`;
      },
      expect: [LATEST],
    },
    { name: "small team: first page", run: page({ teamId: small.id }), expect: [LIST] },
    { name: `small team: search common "${TERMS.commonWord}"`, run: page({ teamId: small.id, search: TERMS.commonWord }) },
    { name: `small team: search rare "${TERMS.rareWord}"`, run: page({ teamId: small.id, search: TERMS.rareWord }) },
    { name: `small team: keyword ${TERMS.commonKeyword}`, run: page({ teamId: small.id, keyword: TERMS.commonKeyword }) },
    { name: `small team: search 2 chars, no match`, run: page({ teamId: small.id, search: TERMS.noMatch2 }), expect: [DOUBLED] },
    {
      // Not in conversations.ts, but the inbox page runs it on every load for its keyword menu.
      name: "inbox keyword menu (listRecentKeywords)",
      run: async () => `${(await listRecentKeywords(prisma, big.id)).length} rows`,
    },
  ];

  function searchPage2(search: string) {
    return async () => {
      const first = await listConversations(prisma, { teamId: big.id, now, search });
      return page({ search, cursor: first.nextCursor })();
    };
  }

  console.log(`\ntimes in ms, warm (after one untimed run); ${RUNS} runs per query, fewer (at least ${MIN_RUNS}) when they would take over ${BUDGET_MS / 1000} s\n`);
  console.log(`${pad("query", 44)}${"median".padStart(9)}${"p95".padStart(9)}${"runs".padStart(6)}   result`);
  const plans: { name: string; lines: string[] }[] = [];
  for (const scenario of scenarios) {
    await scenario.run(); // warm-up
    const times: number[] = [];
    let result = "";
    const deadline = performance.now() + BUDGET_MS;
    while (times.length < RUNS && (times.length < MIN_RUNS || performance.now() < deadline)) {
      const t = performance.now();
      result = await scenario.run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.max(0, Math.ceil(q * times.length) - 1)]!;
    const slow = at(0.5) > 100 ? "  << over 100 ms" : "";
    console.log(`${pad(scenario.name, 44)}${ms(at(0.5)).padStart(9)}${ms(at(0.95)).padStart(9)}${String(times.length).padStart(6)}   ${result}${slow}`);
    plans.push({ name: scenario.name, lines: await explain(scenario) });
  }

  console.log(`\nexport (CSV download): rows/s over the first ${fmt(EXPORT_CAP)} rows at most, two runs after a short warm-up`);
  for (const [name, options] of [
    [`export keyword ${TERMS.commonKeyword}`, { keyword: TERMS.commonKeyword }],
    [`export search "${TERMS.comboWord}"`, { search: TERMS.comboWord }],
    [`export number (Rakuten)`, { phoneNumberId: rakuten.id }],
    [`export whole team`, {}],
  ] as const) {
    const { line, plan } = await measureExport(name, options);
    console.log(line);
    plans.push(plan);
  }

  if (flags.pages) await measureDashboardPages();

  console.log(`\nplans (EXPLAIN ANALYZE, BUFFERS of each statement the query sent; ✓/✗: the index it is meant to use)`);
  for (const { name, lines } of plans) {
    console.log(`${name}`);
    for (const line of lines) console.log(`  ${line}`);
  }
  console.log(`\nload average at the end: ${loadAverage()}`);

  /** The dashboard pages as the production server answers them (bench/inbox-pages.ts). */
  async function measureDashboardPages() {
    const base = `/${big.slug}`;
    const newestOf = async (conversationId: string) =>
      (await prisma.message.findFirstOrThrow({ where: { conversationId }, orderBy: [{ receivedAt: "desc" }, { id: "desc" }], select: { receivedAt: true } }))
        .receivedAt;
    const top = (await listConversations(prisma, { teamId: big.id, now, take: 1 })).items[0]!;
    // Each page must show something only its data gives: a sign-in or error page has none of it.
    const pages: PageTarget[] = [
      { name: "inbox", path: `${base}/inbox`, marker: `${base}/inbox/${top.id}"` },
      {
        name: `inbox, search 2 chars, no match "${TERMS.noMatch2}"`,
        path: `${base}/inbox?q=${encodeURIComponent(TERMS.noMatch2)}`,
        marker: "Search looks for the words anywhere in a message",
      },
      {
        name: `thread: newest (${fmt(top.messageCount)} msgs)`,
        path: `${base}/inbox/${top.id}`,
        marker: `dateTime="${(await newestOf(top.id)).toISOString()}"`,
      },
      {
        name: `thread: biggest (${fmt(biggest.messageCount)} msgs)`,
        path: `${base}/inbox/${biggest.id}`,
        marker: `dateTime="${(await newestOf(biggest.id)).toISOString()}"`,
      },
      { name: "keywords", path: `${base}/keywords`, marker: `${base}/inbox?keyword=${TERMS.commonKeyword}` },
      { name: "statistics", path: `${base}/stats`, marker: "how many were provider retries Moshi absorbed" },
    ];
    console.log(`\npages (production build, server-rendered HTML read to its last byte): ms over ${PAGE_RUNS} sequential requests after one untimed`);
    const started = performance.now();
    const timings = await measurePages({
      databaseUrl: database.url,
      encryptionKey: process.env.MOSHI_ENCRYPTION_KEY!,
      addMember: async (email, passwordHash) => {
        const user = await prisma.user.create({ data: { email, name: "Bench", passwordHash } });
        await prisma.membership.create({ data: { teamId: big.id, userId: user.id, role: "OWNER" } });
        // The reader's read state, so the pages show what the queries above measured.
        await prisma.$executeRaw`
          INSERT INTO "ConversationRead" ("conversationId", "userId", "teamId", "readCount", "updatedAt")
          SELECT "conversationId", ${user.id}, "teamId", "readCount", "updatedAt" FROM "ConversationRead" WHERE "userId" = ${big.readerId}`;
      },
      pages,
      runs: PAGE_RUNS,
      onServer: (stop) => (stopServer = stop),
    });
    stopServer = null;
    console.log(`${pad("page", 44)}${"p50".padStart(9)}${"p95".padStart(9)}${"runs".padStart(6)}   HTML`);
    for (const { name, bytes, times } of timings) {
      times.sort((a, b) => a - b);
      const at = (q: number) => times[Math.max(0, Math.ceil(q * times.length) - 1)]!;
      console.log(`${pad(name, 44)}${ms(at(0.5)).padStart(9)}${ms(at(0.95)).padStart(9)}${String(times.length).padStart(6)}   ${fmt(Math.round(bytes / 1024))} KiB`);
    }
    console.log(`(server started, signed in and measured in ${seconds(started)})`);
  }

  async function measureExport(name: string, options: Partial<Parameters<typeof exportMessages>[1]>) {
    /** Runs the export up to `cap` rows; `onBatch` hears of each batch as it arrives. */
    const once = async (cap: number, onBatch?: () => void) => {
      const t = performance.now();
      let rows = 0;
      let first = 0;
      for await (const batch of exportMessages(prisma, { teamId: big.id, now, ...options })) {
        if (rows === 0) first = performance.now() - t;
        rows += batch.length;
        onBatch?.();
        if (rows >= cap) break;
      }
      return { rows, ms: performance.now() - t, first };
    };
    // Warm-up, keeping what the first and the last batch sent for the plans.
    captured.length = 0;
    capturing = true;
    const batches: number[] = [0];
    try {
      await once(EXPORT_CAP / 10, () => batches.push(captured.length));
    } finally {
      capturing = false;
    }
    const statements = captured.splice(0);
    const firstBatch = statements.slice(0, batches[1]);
    const lastBatch = batches.length > 2 ? statements.slice(batches.at(-2), batches.at(-1)) : [];
    const runs = [await once(EXPORT_CAP), await once(EXPORT_CAP)];
    const { rows } = runs[0]!;
    const rates = runs.map((r) => fmt(Math.round(r.rows / (r.ms / 1000))));
    const capped = rows >= EXPORT_CAP ? "+" : "";
    return {
      line: `${pad(name, 44)}${rates.join(", ").padStart(18)} rows/s  (${fmt(rows)}${capped} rows; first batch after ${ms(runs[1]!.first)} ms)`,
      plan: { name: `${name} (first batch, then batch ${batches.length - 2})`, lines: [...(await explainStatements(firstBatch)), ...(await explainStatements(lastBatch))] },
    };
  }

  async function explain(scenario: Scenario): Promise<string[]> {
    captured.length = 0;
    capturing = true;
    try {
      await scenario.run();
    } finally {
      capturing = false;
    }
    return explainStatements(captured.splice(0), scenario.expect);
  }

  async function explainStatements(statements: Statement[], expect: string[] = []): Promise<string[]> {
    const used = new Set<string>();
    const lines: string[] = [];
    for (const { text, values } of statements) {
      const { rows } = await admin.query<{ "QUERY PLAN": PlanOutput[] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values);
      const output = rows[0]!["QUERY PLAN"][0]!;
      const summary = summarizePlan(output.Plan);
      summary.indexes.forEach((i) => used.add(i));
      const buffers = `${fmt(output.Plan["Shared Hit Blocks"] ?? 0)} hit/${fmt(output.Plan["Shared Read Blocks"] ?? 0)} read`;
      lines.push(`${describeStatement(text).padEnd(24)}${ms(output["Execution Time"]).padStart(8)} ms  ${buffers.padEnd(18)} ${summary.scans.join(", ")}`);
    }
    const expected = expect.map((name) => (used.has(name) ? `✓ ${name}` : `✗ ${name} NOT USED`));
    if (expected.length) lines.unshift(expected.join("  "));
    return lines;
  }
} finally {
  await prisma.$disconnect().catch(() => {});
  await pool.end().catch(() => {});
  await admin.end().catch(() => {});
  await dispose();
}

// ---------------------------------------------------------------- data checks

/** Conversations agree with their messages, and keywords are what the app would extract. */
async function checkDataSet(teamId: string) {
  const { rows } = await admin.query<{ wrong: string }>(
    `SELECT count(*) AS wrong FROM "Conversation" c
     JOIN (SELECT "conversationId", count(*) AS n, max("receivedAt") AS last FROM "Message" WHERE "teamId" = $1 GROUP BY 1) m
       ON m."conversationId" = c."id"
     WHERE c."teamId" = $1 AND (c."messageCount" <> m.n OR c."lastMessageAt" <> m.last
       OR EXISTS (SELECT 1 FROM "ConversationRead" r WHERE r."conversationId" = c."id" AND r."readCount" > c."messageCount"))`,
    [teamId],
  );
  if (Number(rows[0]!.wrong) > 0) throw new Error(`${rows[0]!.wrong} conversations disagree with their messages`);
  const sample = await admin.query<{ text: string; keyword: string | null }>(
    `SELECT "text", "keyword" FROM "Message" WHERE "teamId" = $1 AND "text" IS NOT NULL AND "status" = 'COMPLETE' ORDER BY "id" LIMIT 5000`,
    [teamId],
  );
  const wrong = sample.rows.find((m) => extractKeyword(m.text) !== m.keyword);
  if (wrong) throw new Error(`Keyword ${wrong.keyword} stored for ${JSON.stringify(wrong.text)}, the app says ${extractKeyword(wrong.text)}`);
}

async function describeDataSet(teamId: string) {
  const { rows } = await admin.query<Record<string, string>>(
    `SELECT
       (SELECT max("messageCount") FROM "Conversation" WHERE "teamId" = $1) AS "biggest thread",
       (SELECT count(*) FROM "Conversation" WHERE "teamId" = $1 AND "messageCount" >= 100) AS "threads of 100+",
       (SELECT count(*) FROM "Conversation" c JOIN "ConversationRead" r ON r."conversationId" = c."id"
         WHERE c."teamId" = $1 AND r."readCount" < c."messageCount") AS "unread threads (the reader's)",
       count(*) FILTER (WHERE "encoding" = 'UCS2') AS "UCS-2",
       count(*) FILTER (WHERE "partsExpected" > 1) AS "multi-part",
       count(*) FILTER (WHERE "status" = 'PARTIAL') AS "partial",
       count(*) FILTER (WHERE "status" = 'INCOMPLETE') AS "incomplete",
       count(*) FILTER (WHERE "keyword" = $2) AS "keyword ${TERMS.commonKeyword}",
       count(*) FILTER (WHERE "keyword" = $3) AS "keyword ${TERMS.rareKeyword}",
       count(*) FILTER (WHERE "text" ILIKE '%' || $4 || '%') AS "${TERMS.rareWord}",
       count(*) FILTER (WHERE "text" ILIKE '%' || $5 || '%') AS "${TERMS.commonWord}",
       count(*) FILTER (WHERE "text" ILIKE '%' || $6 || '%') AS "${TERMS.comboWord}",
       count(*) FILTER (WHERE "text" ILIKE '%' || $7 || '%') AS "${TERMS.japanese2}",
       count(*) FILTER (WHERE "text" ILIKE '%' || $8 || '%') AS "${TERMS.japanese3}"
     FROM "Message" WHERE "teamId" = $1`,
    [teamId, TERMS.commonKeyword, TERMS.rareKeyword, TERMS.rareWord, TERMS.commonWord, TERMS.comboWord, TERMS.japanese2, TERMS.japanese3],
  );
  console.log(`team big: ${Object.entries(rows[0]!).map(([k, v]) => `${k} ${fmt(Number(v))}`).join(", ")} (messages)`);
}

// ---------------------------------------------------------------- plans

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
};
type PlanOutput = { Plan: PlanNode; "Execution Time": number };

/** The scans of a plan in order, with the rows they produced (and threw away); SEQ SCAN stands out. */
function summarizePlan(root: PlanNode) {
  const scans: string[] = [];
  const indexes: string[] = [];
  const visit = (node: PlanNode) => {
    const type = node["Node Type"];
    if (/Scan/.test(type) && type !== "Subquery Scan" && type !== "CTE Scan" && type !== "Function Scan") {
      const rows = (node["Actual Rows"] ?? 0) * (node["Actual Loops"] ?? 1);
      const removed = (node["Rows Removed by Filter"] ?? 0) + (node["Rows Removed by Index Recheck"] ?? 0);
      const loops = (node["Actual Loops"] ?? 1) > 1 ? ` ×${fmt(node["Actual Loops"]!)}` : "";
      const target = node["Index Name"] ?? node["Relation Name"] ?? "";
      const name = type === "Seq Scan" ? `SEQ SCAN ${node["Relation Name"]}` : `${type.replace(" Scan", "")} ${target}`;
      scans.push(`${name}${loops} → ${fmt(rows)}${removed ? ` (−${fmt(removed * (node["Actual Loops"] ?? 1))})` : ""}`);
      if (node["Index Name"]) indexes.push(node["Index Name"]);
    }
    node.Plans?.forEach(visit);
  };
  visit(root);
  return { scans, indexes };
}

/** "list Conversation", "latest (raw)": which of a query's statements a plan line is about. */
function describeStatement(text: string): string {
  if (/^\s*WITH incomplete/.test(text)) return "latest messages";
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? "?";
  const table = /FROM\s+(?:"\w+"\.)?"(\w+)"/.exec(text)?.[1] ?? "?";
  return `${verb} ${table}`;
}
