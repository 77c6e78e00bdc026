/**
 * `npm run soak`: does the production server lose, duplicate or corrupt messages under load while
 * its database goes away? Needs DATABASE_URL (a PostgreSQL server, never the embedded one).
 *
 *   tsx scripts/soak.ts [--messages 20000] [--concurrency 32] [--seed 1] [--no-outage] [--no-build]
 *                       [--outage-seconds 10] [--give-up-after 120] [--terminate]
 *
 * 1. Builds the app (unless --no-build), creates a fresh database with a team and one number per
 *    provider (the Vonage one checks SHA-256 signatures), starts `next start` on a free port.
 *    As root with Debian's `pg_createcluster`, all of it runs on a throw-away cluster that the
 *    soak may stop; elsewhere on the DATABASE_URL server.
 * 2. Sends the messages through the webhooks in the providers' real formats (lib/sms/simulate.ts):
 *    40 % in 2 to 4 parts, Japanese and emoji, parts shuffled, 30 % of requests sent twice as a
 *    provider retry. Every non-2xx answer or network error is retried with backoff, as a
 *    provider would (bounded by --give-up-after seconds per request).
 * 3. Halfway through, takes the database away for --outage-seconds: stops the cluster and starts
 *    it again, or (without a cluster of its own) ends every connection to the soak database
 *    over and over (--terminate does that even where a cluster could be made).
 *    Meanwhile a forwarding worker (scripts/worker.ts) sends each Rakuten message's event to a
 *    receiver in this process, through the same outage.
 * 4. Reads the database: every message must be stored exactly once, complete, with its exact
 *    text. Prints sent / stored / lost (every request acknowledged, yet not stored) / refused
 *    (a request never acknowledged within the retry bound) / duplicated / corrupted per provider
 *    and the statuses seen before, during and after the outage; exits 1 on any of them. A server
 *    that accepts nothing for --give-up-after seconds outside the outage is abandoned (exit 1),
 *    and the messages not sent by then are counted apart. Then every complete Rakuten message's
 *    event must have reached the receiver, signed, with the message's text (within 180 s).
 *
 * Every message has its own sender, so the check matches Message rows exactly.
 */
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import type { SimulatedRequest } from "@/lib/sms/simulate";
import type { Provider } from "@/lib/sms/types";
import {
  createMigratedDatabase,
  createThrowawayCluster,
  delay,
  ensureBuild,
  formatCount,
  formatTable,
  type HarnessProvider,
  NUMBERS,
  PROVIDERS,
  requireServerUrl,
  resultLabel,
  runHarness,
  seedTeam,
  sendHttp,
  serverSecrets,
  startLoggedScript,
  startServer,
  terminateConnections,
  VONAGE_SECRET,
  webhookPath,
  type Cluster,
  type HarnessNumber,
} from "./lib/harness";
import { addEndpoint, startEventReceiver, type EventReceiver } from "./lib/event-receiver";
import { allowServerOnlyImports } from "./lib/server-only";

allowServerOnlyImports();
const { buildDeliveries, splitCodeUnits } = await import("@/lib/sms/simulate");
const { seededRandom } = await import("@/lib/demo-traffic");

const MULTIPART_SHARE = 0.4;
const RETRY_SHARE = 0.3;
/** A request that has no answer by then counts as a network error and is sent again. */
const REQUEST_TIMEOUT_MS = 30_000;

// What the messages are made of (see planMessages).
const LATIN = ["Hello", "is the shop open on Sunday?", "Order 4711 arrived,", "thanks!", "Can I move my booking to 3pm?", "YES", "Price: 25 EUR", "@home (back soon)", "ok", "see you {tomorrow}"];
const JAPANESE = ["予約の変更をお願いします。", "明日の午後三時は空いていますか？", "ありがとうございました", "在庫はありますか", "東京駅で待っています", "了解です！", "ｶﾀｶﾅもOK", "𠮷野家"];
const EMOJI = ["🙏", "🎉", "👍🏽", "👨‍👩‍👧", "🇯🇵", "❤️", "😀😀", "🍣"];

type LogicalMessage = { index: number; provider: HarnessProvider; from: string; text: string; parts: number };

type Send = { message: LogicalMessage; request: SimulatedRequest; order: number; attempted?: boolean; accepted?: boolean };

type Window = "before" | "during" | "after";

async function main(): Promise<number> {
  const options = parseCommandLine();
  const serverUrl = requireServerUrl("npm run soak");
  await ensureBuild(options.build);

  const cluster = options.outage && !options.terminate ? await createThrowawayCluster() : null;
  const outageKind = !options.outage ? "none" : cluster ? `cluster stopped for ${options.outageSeconds} s` : `connections ended for ${options.outageSeconds} s`;
  const databaseUrl = await createMigratedDatabase(cluster?.url ?? serverUrl, "moshi_soak");
  const secrets = serverSecrets();
  const numbers = await seedTeam(databaseUrl, secrets.MOSHI_ENCRYPTION_KEY);
  const server = await startServer({ databaseUrl, secrets, name: "soak" });
  // Forwarding through the same outage: a worker process sends each Rakuten message's event to
  // a receiver here, which checks every signature.
  const receiver = await startEventReceiver();
  await addEndpoint(databaseUrl, numbers.RAKUTEN.id, receiver, ["message.received"]);
  startLoggedScript({
    script: path.join("scripts", "worker.ts"),
    // Shorter clocks than production's, so an event whose attempt the outage cut is sent again
    // within the run (the lease and the sweep are what is tested, not their length).
    env: { ...process.env, ...secrets, DATABASE_URL: databaseUrl, NODE_ENV: "production", MOSHI_ALLOW_PRIVATE_ENDPOINTS: "true", MOSHI_FORWARD_LEASE_MS: "10000", MOSHI_FORWARD_SWEEP_AFTER_MS: "5000" },
    logFile: path.join(os.tmpdir(), `moshi-soak-worker-${process.pid}.log`),
    label: "the forwarding worker",
    stopWithinMs: 10_000,
  });

  const messages = planMessages(options.messages, options.seed);
  const sends = planSends(messages, options.seed);
  console.log(
    `Soak: ${formatCount(messages.length)} messages as ${formatCount(sends.length)} requests, concurrency ${options.concurrency}, ` +
      `outage: ${outageKind}${cluster ? ` (cluster ${cluster.name})` : ""}\nServer: ${server.origin} (log: ${server.logFile})`,
  );

  const stats = new SoakStats();
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const started = Date.now();
  let outage: Promise<void> | null = null;
  let next = 0;
  let done = 0;
  const progress = setInterval(() => {
    const seconds = (Date.now() - started) / 1000;
    console.log(`  ${formatCount(done)} / ${formatCount(sends.length)} requests done, ${formatCount(stats.attempts)} sent (${(stats.attempts / seconds).toFixed(0)}/s), outage: ${stats.window}`);
  }, 10_000);

  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < sends.length && !stats.abandoned) {
        const send = sends[next++]!;
        await deliver(server.origin, numbers, send, { agent, stats, giveUpAfterMs: options.giveUpAfter * 1000 });
        done++;
        if (options.outage && !outage && done >= sends.length / 2) {
          outage = interruptDatabase({ cluster, databaseUrl, seconds: options.outageSeconds, stats });
        }
      }
    }),
  );
  await outage;
  clearInterval(progress);
  agent.destroy();
  const seconds = (Date.now() - started) / 1000;

  const check = await checkStored(databaseUrl, numbers, messages, sends);
  printSummary({ messages, sends, stats, check, seconds, outageKind });
  const forwarded = await checkForwarded(databaseUrl, numbers.RAKUTEN.id, receiver);
  return check.failures > 0 || stats.abandoned || forwarded.failures > 0 ? 1 : 0;
}

/**
 * Every complete Rakuten message must reach the endpoint as a signed `message.received` with
 * its exact text (repeats under the same webhook-id are allowed: at least once).
 */
async function checkForwarded(databaseUrl: string, phoneNumberId: string, receiver: EventReceiver) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let expected: { id: string; text: string | null }[];
  try {
    ({ rows: expected } = await client.query(`SELECT "id", "text" FROM "Message" WHERE "phoneNumberId" = $1 AND "status" = 'COMPLETE'`, [phoneNumberId]));
  } finally {
    await client.end();
  }
  const byMessage = () => new Map([...receiver.events.values()].map((event) => [event.data.id, event]));
  const started = Date.now();
  await receiver.waitUntil(() => {
    const arrived = byMessage();
    return expected.every((message) => arrived.has(message.id));
  }, 180_000);
  const arrived = byMessage();
  const missing = expected.filter((message) => !arrived.has(message.id));
  const wrong = expected.filter((message) => arrived.has(message.id) && arrived.get(message.id)!.data.text !== message.text);
  const failures = missing.length + wrong.length + receiver.state.refused;
  console.log(
    `\nforwarded: ${formatCount(expected.length - missing.length)} of ${formatCount(expected.length)} Rakuten messages' events arrived, signed ` +
      `(${formatCount(receiver.state.repeats)} repeats under the same webhook-id, ${formatCount(receiver.state.refused)} bad signatures, ` +
      `${formatCount(missing.length)} missing, ${formatCount(wrong.length)} with other text; the last ${((Date.now() - started) / 1000).toFixed(1)} s after the sends ended)`,
  );
  if (failures) console.log(`FAILED: forwarding lost or changed ${formatCount(failures)} events.${missing[0] ? ` First missing: message ${missing[0].id}.` : ""}`);
  return { failures };
}

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      messages: { type: "string", default: "20000" },
      concurrency: { type: "string", default: "32" },
      seed: { type: "string", default: "1" },
      "outage-seconds": { type: "string", default: "10" },
      "give-up-after": { type: "string", default: "120" },
      "no-outage": { type: "boolean", default: false },
      terminate: { type: "boolean", default: false },
      "no-build": { type: "boolean", default: false },
    },
  });
  const count = (name: keyof typeof values, min: number) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number of at least ${min}, got "${values[name]}"`);
    return value;
  };
  return {
    messages: count("messages", 1),
    concurrency: count("concurrency", 1),
    seed: count("seed", 0),
    outageSeconds: count("outage-seconds", 1),
    giveUpAfter: count("give-up-after", 1),
    outage: !values["no-outage"],
    terminate: values.terminate,
    build: !values["no-build"],
  };
}

// ---------------------------------------------------------------------------------------------
// What is sent


/**
 * Seeded, so a run can be repeated: one third plain GSM text, one third Japanese, one third
 * Japanese with emoji (surrogate pairs and joiner sequences that splitting may cut in two).
 */
function planMessages(count: number, seed: number): LogicalMessage[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: count }, (_, index) => {
    const provider = PROVIDERS[index % PROVIDERS.length]!;
    const parts = random() < MULTIPART_SHARE ? 2 + Math.floor(random() * 3) : 1;
    const style = Math.floor(random() * 3);
    const vocabulary = style === 0 ? LATIN : style === 1 ? JAPANESE : [...JAPANESE, ...EMOJI, ...EMOJI];
    // A marker of the message's own, so a text stored under the wrong sender shows as corrupted.
    let text = `S${index}`;
    const length = parts === 1 ? 20 + Math.floor(random() * 100) : parts * (50 + Math.floor(random() * 80));
    while (text.length < length) text += (style === 0 ? " " : "") + pick(vocabulary);
    // Vonage passes each part on as text, so a surrogate pair cut at a part boundary cannot
    // travel in a form or query string; shift the text until no boundary cuts one.
    if (provider === "VONAGE") while (!splitCodeUnits(text, parts).every((chunk) => chunk.isWellFormed())) text = `-${text}`;
    return { index, provider, from: `44770${String(index).padStart(8, "0")}`, text, parts };
  });
}

/**
 * One request per part (Infobip: per message), parts of a message shuffled and spread over
 * the next few messages' requests; 30 % sent a second time a little later, as a provider retry.
 */
function planSends(messages: LogicalMessage[], seed: number): Send[] {
  const random = seededRandom(seed + 1);
  const now = new Date();
  const sends: Send[] = [];
  for (const message of messages) {
    const requests = buildDeliveries({
      provider: message.provider,
      from: message.from,
      to: NUMBERS[message.provider],
      text: message.text,
      parts: message.parts,
      ...(message.provider === "VONAGE" ? { format: (["get", "form", "json"] as const)[Math.floor(random() * 3)] } : {}),
      credentials: message.provider === "VONAGE" ? { signatureMethod: "SHA256", signatureSecret: VONAGE_SECRET } : null,
      now,
      random,
    });
    for (const request of requests) {
      sends.push({ message, request, order: message.index + random() * 8 });
      if (random() < RETRY_SHARE) sends.push({ message, request, order: message.index + random() * 64 });
    }
  }
  return sends.sort((a, b) => a.order - b.order);
}

// ---------------------------------------------------------------------------------------------
// Sending, as a provider does

class SoakStats {
  window: Window = "before";
  outageStartedAt = 0;
  /** When the database was down (or connections were being ended) from. */
  downSince = 0;
  outageEndedAt = 0;
  attempts = 0;
  retries = 0;
  lastSuccessAt = Date.now();
  /** Set when the server stopped accepting anything: the rest is not sent. */
  abandoned: string | null = null;
  gaveUp = 0;
  terminated = 0;
  readonly statuses: Record<Window, Map<string, number>> = { before: new Map(), during: new Map(), after: new Map() };

  record(label: string) {
    this.attempts++;
    const counts = this.statuses[this.window];
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
}

async function deliver(origin: string, numbers: Record<Provider, HarnessNumber>, send: Send, context: { agent: http.Agent; stats: SoakStats; giveUpAfterMs: number }) {
  const { request, message } = send;
  const query = request.query.toString();
  const path = webhookPath(message.provider, numbers[message.provider].token) + (query ? `?${query}` : "");
  const headers: Record<string, string> = request.contentType ? { "content-type": request.contentType } : {};
  const { stats } = context;
  const firstTry = Date.now();
  send.attempted = true;
  for (let attempt = 0; ; attempt++) {
    const result = await sendHttp(origin, { method: request.method, path, headers, body: request.body }, { agent: context.agent, timeoutMs: REQUEST_TIMEOUT_MS });
    stats.record(resultLabel(result));
    if ("status" in result && result.status >= 200 && result.status < 300) {
      stats.lastSuccessAt = Date.now();
      send.accepted = true;
      return;
    }
    // A server that accepts nothing for that long outside the outage is not coming back: stop
    // rather than retry for hours.
    const quietSince = Math.max(stats.lastSuccessAt, stats.outageEndedAt);
    if (stats.window !== "during" && !stats.abandoned && Date.now() - quietSince > context.giveUpAfterMs) {
      stats.abandoned = `no request was accepted for ${Math.round((Date.now() - quietSince) / 1000)} s${stats.outageEndedAt ? " after the outage" : ""}`;
      console.log(`  giving up: ${stats.abandoned}`);
    }
    if (stats.abandoned || Date.now() - firstTry > context.giveUpAfterMs) {
      stats.gaveUp++;
      return;
    }
    stats.retries++;
    // Exponential backoff with jitter, capped: providers back off too, and a herd of retries
    // arriving together is no test of anything.
    await delay(Math.min(5_000, 200 * 2 ** attempt) * (0.5 + Math.random() / 2));
  }
}

async function interruptDatabase({ cluster, databaseUrl, seconds, stats }: { cluster: Cluster | null; databaseUrl: string; seconds: number; stats: SoakStats }) {
  console.log(`  outage: ${cluster ? "stopping the cluster" : "ending every connection"} for ${seconds} s`);
  stats.window = "during";
  stats.outageStartedAt = Date.now();
  if (cluster) {
    // Down for `seconds` from a finished stop; the window also covers the stop and the start.
    await cluster.stop();
    stats.downSince = Date.now();
    await delay(seconds * 1000);
    await cluster.start();
  } else {
    const adminUrl = new URL(databaseUrl);
    const database = decodeURIComponent(adminUrl.pathname.slice(1));
    adminUrl.pathname = "/postgres";
    const client = new pg.Client({ connectionString: adminUrl.toString() });
    await client.connect();
    stats.downSince = Date.now();
    try {
      while (Date.now() - stats.downSince < seconds * 1000) {
        stats.terminated += await terminateConnections(client, database);
        await delay(100);
      }
    } finally {
      await client.end();
    }
  }
  stats.outageEndedAt = Date.now();
  stats.window = "after";
  console.log(`  outage over after ${((stats.outageEndedAt - stats.outageStartedAt) / 1000).toFixed(1)} s (database down ${((stats.outageEndedAt - stats.downSince) / 1000).toFixed(1)} s)`);
}

// ---------------------------------------------------------------------------------------------
// Checking what was stored

type Check = {
  rows: Record<Provider, { sent: number; unsent: number; stored: number; lost: number; refused: number; duplicated: number; corrupted: number }>;
  unexpected: number;
  examples: string[];
  failures: number;
};

async function checkStored(databaseUrl: string, numbers: Record<Provider, HarnessNumber>, messages: LogicalMessage[], sends: Send[]): Promise<Check> {
  // Messages with a request never sent (the run was abandoned) cannot be judged.
  const attempted = new Set(sends.filter((send) => send.attempted).map((send) => send.request));
  const unsent = new Set(sends.filter((send) => !attempted.has(send.request)).map((send) => send.message.index));
  // A message missing with a request never acknowledged was refused (its provider would still
  // retry); missing after every request was acknowledged, it was lost.
  const accepted = new Set(sends.filter((send) => send.accepted).map((send) => send.request));
  const refused = new Set(sends.filter((send) => !accepted.has(send.request)).map((send) => send.message.index));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let stored: { phoneNumberId: string; from: string; status: string; text: string | null; partsExpected: number; partsReceived: number }[];
  try {
    ({ rows: stored } = await client.query(`SELECT "phoneNumberId", "from", "status", "text", "partsExpected", "partsReceived" FROM "Message"`));
  } finally {
    await client.end();
  }
  const byKey = new Map<string, typeof stored>();
  for (const row of stored) {
    const key = `${row.phoneNumberId}|${row.from}`;
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }

  const rows = Object.fromEntries(PROVIDERS.map((p) => [p, { sent: 0, unsent: 0, stored: 0, lost: 0, refused: 0, duplicated: 0, corrupted: 0 }])) as Check["rows"];
  const examples: string[] = [];
  const example = (line: string) => examples.length < 10 && examples.push(line);
  for (const message of messages) {
    const key = `${numbers[message.provider].id}|+${message.from}`;
    const found = byKey.get(key) ?? [];
    byKey.delete(key);
    const row = rows[message.provider];
    if (unsent.has(message.index)) {
      row.unsent++;
      continue;
    }
    row.sent++;
    const complete = found.filter((m) => m.status === "COMPLETE");
    if (complete.length === 0) {
      const verdict = refused.has(message.index) ? "refused" : "lost";
      row[verdict]++;
      const seen = found.map((m) => `${m.status} ${m.partsReceived}/${m.partsExpected}`).join(", ");
      example(`${verdict.padEnd(10)} #${message.index} ${message.provider} +${message.from} (${message.parts} parts)${seen ? `: only ${seen}` : ": no message"}`);
      continue;
    }
    row.stored++;
    if (found.length > 1) {
      row.duplicated++;
      example(`duplicated #${message.index} ${message.provider} +${message.from}: ${found.length} messages`);
    }
    if (complete.some((m) => m.text !== message.text)) {
      row.corrupted++;
      const got = complete.find((m) => m.text !== message.text)!.text;
      example(`corrupted  #${message.index} ${message.provider} +${message.from}: expected ${JSON.stringify(message.text)}, stored ${JSON.stringify(got)}`);
    }
  }
  // Whatever is left was stored under a sender nobody sent from.
  const unexpected = [...byKey.values()].reduce((sum, list) => sum + list.length, 0);
  if (unexpected) example(`unexpected ${unexpected} messages from senders that sent nothing, e.g. ${[...byKey.keys()][0]}`);
  const failures = unexpected + PROVIDERS.reduce((sum, p) => sum + rows[p].lost + rows[p].refused + rows[p].duplicated + rows[p].corrupted, 0);
  return { rows, unexpected, examples, failures };
}

function printSummary({ messages, sends, stats, check, seconds, outageKind }: { messages: LogicalMessage[]; sends: Send[]; stats: SoakStats; check: Check; seconds: number; outageKind: string }) {
  const table: (string | number)[][] = [["provider", "sent", "stored", "lost", "refused", "duplicated", "corrupted", ...(stats.abandoned ? ["unsent"] : [])]];
  const total = { sent: 0, unsent: 0, stored: 0, lost: 0, refused: 0, duplicated: 0, corrupted: 0 };
  for (const provider of PROVIDERS) {
    const row = check.rows[provider];
    table.push([provider.toLowerCase(), row.sent, row.stored, row.lost, row.refused, row.duplicated, row.corrupted, ...(stats.abandoned ? [row.unsent] : [])]);
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += row[key];
  }
  table.push(["total", total.sent, total.stored, total.lost, total.refused, total.duplicated, total.corrupted, ...(stats.abandoned ? [total.unsent] : [])]);

  const describe = (counts: Map<string, number>) =>
    [...counts].sort((a, b) => b[1] - a[1]).map(([label, n]) => `${label} × ${formatCount(n)}`).join(", ") || "none";
  const multipart = messages.filter((m) => m.parts > 1).length;
  console.log(`\n${formatTable(table)}\n`);
  console.log(`messages: ${formatCount(messages.length)} (${formatCount(multipart)} multi-part); requests planned: ${formatCount(sends.length)}, sent: ${formatCount(stats.attempts)} (${formatCount(stats.retries)} resent after a failure, ${formatCount(stats.gaveUp)} given up)`);
  console.log(`duration: ${seconds.toFixed(1)} s, ${(stats.attempts / seconds).toFixed(0)} requests/s; outage: ${outageKind}${stats.terminated ? ` (${formatCount(stats.terminated)} connections ended)` : ""}`);
  console.log(`statuses before the outage: ${describe(stats.statuses.before)}`);
  if (stats.outageStartedAt) {
    const span = (from: number) => ((stats.outageEndedAt - from) / 1000).toFixed(1);
    console.log(`statuses during the outage (${span(stats.outageStartedAt)} s, database down ${span(stats.downSince)} s): ${describe(stats.statuses.during)}`);
    console.log(`statuses after the outage:  ${describe(stats.statuses.after)}`);
  }
  if (check.unexpected) console.log(`unexpected messages: ${formatCount(check.unexpected)}`);
  if (check.examples.length) console.log(`\nfirst problems:\n  ${check.examples.join("\n  ")}`);
  if (stats.abandoned) console.log(`\nFAILED: abandoned, ${stats.abandoned}; ${formatCount(total.unsent)} messages not (fully) sent.`);
  else console.log(check.failures ? `\nFAILED: ${formatCount(check.failures)} problems.` : "\nOK: every message stored once, complete, with its exact text.");
}

// Started last, once every constant and class above is initialized.
await runHarness(main);
