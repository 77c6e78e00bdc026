/**
 * `npm run bench`: how fast the production server takes webhook deliveries over HTTP, next to a
 * minimal receiver of the same requests (bench/baseline-server.ts), and how many SQL statements
 * (round trips to the database) each request costs.
 *
 *   tsx bench/webhooks.ts [--duration 5] [--warmup 1] [--rounds 3] [--concurrency 16]
 *                         [--open-duration 5] [--only rakuten,vonage,duplicate,multipart,batch]
 *                         [--quick] [--verbose] [--build | --no-build] [--no-cluster]
 *
 * (or BENCH_DURATION, BENCH_WARMUP, BENCH_ROUNDS, BENCH_CONCURRENCY, BENCH_OPEN_DURATION,
 * BENCH_ONLY; a flag wins). --quick is 1 round of 2 s with 0.5 s of warm-up and 1.5 s open loops.
 *
 * 1. Builds the app when the build is missing or older than its sources (--build always,
 *    --no-build never). As root with Debian's `pg_createcluster`, creates a throw-away cluster
 *    with pg_stat_statements loaded; elsewhere (or with --no-cluster) uses DATABASE_URL's
 *    server, where statements are counted only if it has pg_stat_statements loaded. There: a
 *    fresh migrated database with a team and one number per provider (the Vonage one checks
 *    SHA-256 signatures), the production server (scripts/serve.ts, as `npm start` runs it) and
 *    the baseline, both on that database.
 * 2. For each path, rounds alternating Moshi and the baseline (A B A B …): a warm-up, then a
 *    closed loop of `concurrency` clients for `duration` seconds. Then, after another warm-up,
 *    an open loop per server at half the rate it reached (median over rounds): requests sent on
 *    a fixed schedule, latency counted from the scheduled time, so a queue in the server shows.
 * 3. Prints per path req/s (and messages/s), p50 and p99 (medians over rounds, with the range),
 *    Moshi ÷ baseline, SQL statements per request from pg_stat_statements (every statement run
 *    in the bench database during the round, BEGIN/COMMIT and the token lookup included, except
 *    the bench's own reads of pg_stat_*), SQL execution time and CPU time per request of the
 *    server process, the PostgreSQL backends and the load generator. --verbose adds Moshi's
 *    statements by calls and the open loops' slowest requests. Any answer that is not a 2xx (or
 *    that stored other than what was sent) is an error: listed, and the run exits 1.
 *
 * Paths: rakuten (a new single message, JSON), vonage (a new single message, signed form),
 * duplicate (the same stored Rakuten delivery again), multipart (a 3-part Rakuten message, one
 * part per request, parts of a message sent together), batch (Infobip, 50 messages per request).
 * Senders rotate over 1,000 numbers, so threads are both created and updated.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import type { SimulatedRequest } from "@/lib/sms/simulate";
import type { Provider } from "@/lib/sms/types";
import { projectRoot } from "../scripts/lib/project";
import {
  buildIsStale,
  createMigratedDatabase,
  createThrowawayCluster,
  delay,
  ensureBuild,
  formatTable,
  freePort,
  NUMBERS,
  onCleanup,
  requireServerUrl,
  runHarness,
  seedTeam,
  sendHttp,
  serverSecrets,
  startLoggedScript,
  startServer,
  VONAGE_SECRET,
  webhookPath,
  type HarnessNumber,
} from "../scripts/lib/harness";
import { allowServerOnlyImports } from "../scripts/lib/server-only";
import { closedLoop, openLoop, type Job, type JobSource, type RunResult } from "./load";
import { percentile, spread } from "./stats";

allowServerOnlyImports();
const { buildDeliveries } = await import("@/lib/sms/simulate");

const SERVERS = ["moshi", "baseline"] as const;
type ServerName = (typeof SERVERS)[number];
type Target = { name: ServerName; origin: string; pid: number };

const SENDERS = 1_000;
const BATCH_SIZE = 50;
const PARTS = 3;

// ---------------------------------------------------------------------------------------------
// Options

type Options = ReturnType<typeof parseCommandLine>;

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      duration: { type: "string" },
      warmup: { type: "string" },
      rounds: { type: "string" },
      concurrency: { type: "string" },
      "open-duration": { type: "string" },
      only: { type: "string", multiple: true },
      quick: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      build: { type: "boolean" },
      "no-build": { type: "boolean" },
      "no-cluster": { type: "boolean", default: false },
    },
  });
  const quick = values.quick;
  /** A flag, else its variable, else the (quick) default. */
  const number = (flag: "duration" | "warmup" | "rounds" | "concurrency" | "open-duration", env: string, fallback: number, quickly: number, kind: "whole" | "seconds" | "seconds or 0") => {
    const raw = values[flag] ?? process.env[env];
    if (raw === undefined || raw === "") return quick ? quickly : fallback;
    const value = Number(raw);
    const valid = kind === "whole" ? Number.isInteger(value) && value >= 1 : Number.isFinite(value) && (kind === "seconds" ? value > 0 : value >= 0);
    if (!valid) throw new Error(`--${flag} (${env}) must be ${kind === "whole" ? "a whole number of at least 1" : "a number of seconds"}, got "${raw}"`);
    return value;
  };
  const only = (values.only ?? (process.env.BENCH_ONLY ? [process.env.BENCH_ONLY] : [])).flatMap((list) => list.split(",")).map((name) => name.trim()).filter(Boolean);
  const unknown = only.filter((name) => !PATH_NAMES.includes(name as PathName));
  if (unknown.length) throw new Error(`--only: unknown path ${unknown.join(", ")}; the paths are ${PATH_NAMES.join(", ")}`);
  if (values.build && values["no-build"]) throw new Error("--build and --no-build contradict each other");
  return {
    durationMs: number("duration", "BENCH_DURATION", 5, 2, "seconds") * 1000,
    warmupMs: number("warmup", "BENCH_WARMUP", 1, 0.5, "seconds or 0") * 1000,
    rounds: number("rounds", "BENCH_ROUNDS", 3, 1, "whole"),
    concurrency: number("concurrency", "BENCH_CONCURRENCY", 16, 16, "whole"),
    openDurationMs: number("open-duration", "BENCH_OPEN_DURATION", 5, 1.5, "seconds") * 1000,
    paths: only.length ? PATH_NAMES.filter((name) => only.includes(name)) : [...PATH_NAMES],
    verbose: values.verbose,
    /** Undefined: build when the build is missing or stale. */
    build: values.build ? true : values["no-build"] ? false : undefined,
    cluster: !values["no-cluster"],
  };
}

// ---------------------------------------------------------------------------------------------
// What is sent

const PATH_NAMES = ["rakuten", "vonage", "duplicate", "multipart", "batch"] as const;
type PathName = (typeof PATH_NAMES)[number];

type BenchPath = {
  name: PathName;
  title: string;
  /** Messages per request: 1/3 for parts of a 3-part message, 50 for a batch. */
  messagesPerRequest: number;
  /** Sent once to each server before the rounds. */
  prepare?: Job;
  /** A fresh supply of requests for one run. */
  source(): JobSource;
};

function definePaths(numbers: Record<Provider, HarnessNumber>): Record<PathName, BenchPath> {
  let sequence = 0;
  const sender = (n: number) => `4477009${String(n % SENDERS).padStart(5, "0")}`;
  const job = (provider: Provider, request: SimulatedRequest, messages: number, expect: Job["expect"]): Job => {
    const query = request.query.toString();
    return {
      request: {
        method: request.method,
        path: webhookPath(provider, numbers[provider].token) + (query ? `?${query}` : ""),
        headers: request.contentType ? { "content-type": request.contentType } : {},
        body: request.body,
      },
      messages,
      expect,
    };
  };
  const fresh = { stored: 1, duplicates: 0 };
  const single = (provider: "RAKUTEN" | "VONAGE") => () => untilStopped(() => {
    const n = sequence++;
    const [request] = buildDeliveries({
      provider,
      from: sender(n),
      to: NUMBERS[provider],
      text: `#${n} Hello! Is the shop open on Sunday? I would like to pick up order 4711.`,
      credentials: provider === "VONAGE" ? { signatureMethod: "SHA256", signatureSecret: VONAGE_SECRET } : null,
    });
    return job(provider, request!, 1, fresh);
  });
  const stored = buildDeliveries({ provider: "RAKUTEN", from: "817012345678", to: NUMBERS.RAKUTEN, text: "Is my order ready? This delivery is sent again and again." })[0]!;
  // Every sentence carries the message's number, so every part differs from every other
  // message's: a part with the same sender, reference, index and text as one stored within a
  // day is a carrier's copy (lib/sms/store.ts) and would count as a duplicate.
  const longText = (n: number) =>
    Array.from({ length: 4 }, (_, i) => `#${n}.${i + 1} About my booking next week: could we move it from Tuesday at 3pm to Thursday at 10am? Any morning works.`).join(" ");

  return {
    rakuten: { name: "rakuten", title: "Rakuten, new message (JSON)", messagesPerRequest: 1, source: single("RAKUTEN") },
    vonage: { name: "vonage", title: "Vonage, new message (signed form)", messagesPerRequest: 1, source: single("VONAGE") },
    duplicate: {
      name: "duplicate",
      title: "Rakuten, a stored delivery again",
      messagesPerRequest: 1,
      prepare: job("RAKUTEN", stored, 1, fresh),
      source: () => untilStopped(() => job("RAKUTEN", stored, 1, { stored: 0, duplicates: 1 })),
    },
    multipart: {
      name: "multipart",
      title: `Rakuten, ${PARTS}-part message (a part per request)`,
      messagesPerRequest: 1 / PARTS,
      source: () => {
        // The parts of a message are handed out one after another, so they travel together.
        const queue: Job[] = [];
        return (stopping) => {
          if (queue.length === 0 && !stopping) {
            const n = sequence++;
            const parts = buildDeliveries({ provider: "RAKUTEN", from: sender(n), to: NUMBERS.RAKUTEN, text: longText(n), parts: PARTS });
            if (parts.length !== PARTS) throw new Error(`the long message made ${parts.length} parts, not ${PARTS}`);
            queue.push(...parts.map((request) => job("RAKUTEN", request, 1 / PARTS, fresh)));
          }
          return queue.shift() ?? null;
        };
      },
    },
    batch: {
      name: "batch",
      title: `Infobip, ${BATCH_SIZE} messages per request`,
      messagesPerRequest: BATCH_SIZE,
      source: () =>
        untilStopped(() => {
          const results = Array.from({ length: BATCH_SIZE }, () => {
            const n = sequence++;
            const [request] = buildDeliveries({ provider: "INFOBIP", from: sender(n), to: NUMBERS.INFOBIP, text: `QUIZ Paris #${n}` });
            return JSON.parse(request!.body!).results[0];
          });
          const body = JSON.stringify({ results, messageCount: results.length, pendingMessageCount: 0 });
          return job("INFOBIP", { method: "POST", query: new URLSearchParams(), body, contentType: "application/json" }, BATCH_SIZE, { stored: BATCH_SIZE, duplicates: 0 });
        }),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Watching the database and the processes

type StatementRow = { query: string; calls: number; ms: number };
type Statements = { calls: number; ms: number; top: StatementRow[] };

/**
 * The bench's own connection to the bench database: pg_stat_statements (when the server has it
 * loaded) and the PostgreSQL backends' process ids (when the server runs on this machine).
 */
class DatabaseWatch {
  private constructor(
    private readonly client: pg.Client,
    readonly version: string,
    /** Why statements cannot be counted, or null when they can. */
    readonly noStatements: string | null,
    readonly trackUtility: boolean,
    private readonly local: boolean,
  ) {}

  static async open(databaseUrl: string): Promise<DatabaseWatch> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    onCleanup("close the bench's connection", () => client.end());
    const { rows } = await client.query<{ version: string }>("SELECT current_setting('server_version') AS version");
    let noStatements: string | null = null;
    let trackUtility = false;
    try {
      await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      await client.query("SELECT 1 FROM pg_stat_statements LIMIT 1");
      trackUtility = (await client.query<{ on: string }>("SELECT current_setting('pg_stat_statements.track_utility') AS on")).rows[0]?.on === "on";
    } catch (error) {
      noStatements = (error as Error).message;
    }
    const host = new URL(databaseUrl).hostname;
    return new DatabaseWatch(client, rows[0]!.version, noStatements, trackUtility, ["127.0.0.1", "localhost", "[::1]"].includes(host));
  }

  /** Forgets the statements run in this database so far. */
  async resetStatements() {
    if (this.noStatements) return;
    await this.client.query("SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)");
  }

  /** Statements run in this database since the reset, except the bench's own. */
  async readStatements(): Promise<Statements | null> {
    if (this.noStatements) return null;
    const { rows } = await this.client.query<{ query: string; calls: string; ms: number }>(
      `SELECT query, calls, total_exec_time AS ms FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query !~ 'pg_stat_(statements|activity)'
       ORDER BY calls DESC, total_exec_time DESC`,
    );
    const top = rows.map((row) => ({ query: row.query.replace(/\s+/g, " ").trim(), calls: Number(row.calls), ms: row.ms }));
    return { calls: top.reduce((sum, row) => sum + row.calls, 0), ms: top.reduce((sum, row) => sum + row.ms, 0), top };
  }

  /** CPU time (ms) of each backend connected to this database but the bench's, when they run here. */
  async backendCpu(): Promise<Map<number, number> | null> {
    if (!this.local) return null;
    const { rows } = await this.client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      // A process of that id here that is not PostgreSQL means the server is elsewhere after all.
      if (readComm(pid) !== "postgres") return null;
      const ms = processCpuMs(pid);
      if (ms !== null) cpu.set(pid, ms);
    }
    return cpu;
  }
}

/** User and system CPU time of a process (ms), from /proc; null where there is none. */
function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): state is the 3rd, utime the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // In clock ticks, 100 per second on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function readComm(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return null;
  }
}

type CpuSnapshot = { server: number | null; backends: Map<number, number> | null; client: NodeJS.CpuUsage };

async function cpuSnapshot(target: Target, watch: DatabaseWatch): Promise<CpuSnapshot> {
  return { server: processCpuMs(target.pid), backends: await watch.backendCpu(), client: process.cpuUsage() };
}

/** CPU ms spent between two snapshots by the server process, the backends and this process. */
function cpuSpent(before: CpuSnapshot, after: CpuSnapshot) {
  let backends: number | null = null;
  if (before.backends && after.backends) {
    backends = 0;
    for (const [pid, ms] of after.backends) backends += ms - (before.backends.get(pid) ?? 0);
  }
  const client = process.cpuUsage(before.client);
  return {
    server: before.server !== null && after.server !== null ? after.server - before.server : null,
    backends,
    client: (client.user + client.system) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------
// Running

type Round = { server: ServerName; run: RunResult; statements: Statements | null; cpu: ReturnType<typeof cpuSpent> };
type PathResult = { path: BenchPath; rounds: Round[]; open: Partial<Record<ServerName, { rate: number; run: RunResult }>> };

async function main(): Promise<number> {
  const options = parseCommandLine();
  const started = Date.now();
  const stale = buildIsStale();
  if (options.build === undefined && stale) console.log("The production build is missing or older than the sources.");
  await ensureBuild(options.build ?? stale);

  const cluster = options.cluster ? await createThrowawayCluster({ shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track_utility": "on" }) : null;
  const serverUrl = cluster?.url ?? requireServerUrl("npm run bench");
  const databaseUrl = await createMigratedDatabase(serverUrl, "moshi_bench");
  const secrets = serverSecrets();
  const numbers = await seedTeam(databaseUrl, secrets.MOSHI_ENCRYPTION_KEY);
  const watch = await DatabaseWatch.open(databaseUrl);
  const moshi = await startServer({ databaseUrl, secrets, name: "bench" });
  const baseline = await startBaseline(databaseUrl);
  const targets: Record<ServerName, Target> = {
    moshi: { name: "moshi", origin: moshi.origin, pid: moshi.child.pid! },
    baseline: { name: "baseline", origin: baseline.origin, pid: baseline.pid },
  };

  const header = describeRun(options, watch, cluster ? `throw-away cluster ${cluster.name}` : "DATABASE_URL's server");
  console.log(`\n${header}\nMoshi: ${moshi.origin} (log: ${moshi.logFile}); baseline: ${baseline.origin} (log: ${baseline.logFile})\n`);

  const paths = definePaths(numbers);
  const results: PathResult[] = [];
  const failures: string[] = [];
  const check = (label: string, run: RunResult) => {
    if (run.errors.size) failures.push(`${label}: ${[...run.errors].map(([error, n]) => `${error} × ${n}`).join(", ")}\n    e.g. ${run.examples.join("\n    e.g. ")}`);
  };
  for (const name of options.paths) {
    const path = paths[name];
    console.log(`${path.title}`);
    const result: PathResult = { path, rounds: [], open: {} };
    results.push(result);
    if (path.prepare) {
      for (const server of SERVERS) {
        const run = await closedLoop(targets[server].origin, once(path.prepare), { concurrency: 1, durationMs: 0 });
        if (run.errors.size) throw new Error(`${server}: the delivery to send again was not stored: ${run.examples.join("; ")}`);
      }
    }
    for (let round = 1; round <= options.rounds; round++) {
      for (const server of SERVERS) {
        const target = targets[server];
        if (options.warmupMs > 0) check(`${path.name}, ${server}, warm-up`, await closedLoop(target.origin, path.source(), { concurrency: options.concurrency, durationMs: options.warmupMs }));
        await watch.resetStatements();
        const before = await cpuSnapshot(target, watch);
        const run = await closedLoop(target.origin, path.source(), { concurrency: options.concurrency, durationMs: options.durationMs });
        const cpu = cpuSpent(before, await cpuSnapshot(target, watch));
        const statements = await watch.readStatements();
        result.rounds.push({ server, run, statements, cpu });
        check(`${path.name}, ${server}, round ${round}`, run);
        console.log(`  round ${round}/${options.rounds} ${server.padEnd(8)} ${describeRound(run, statements)}`);
        if (run.requests > 0 && run.errors.size && sum(run.errors.values()) === run.requests) {
          throw new Error(`${server} answered nothing but errors: ${run.examples.join("; ")}`);
        }
      }
    }
    for (const server of SERVERS) {
      const rate = spread(result.rounds.filter((r) => r.server === server).map((r) => r.run.requests / r.run.seconds)).median / 2;
      if (!(rate > 0)) continue;
      // Connections the pools closed while the other server ran are opened again first.
      if (options.warmupMs > 0) check(`${path.name}, ${server}, warm-up`, await closedLoop(targets[server].origin, path.source(), { concurrency: options.concurrency, durationMs: options.warmupMs }));
      const run = await openLoop(targets[server].origin, path.source(), { rate, durationMs: options.openDurationMs });
      result.open[server] = { rate, run };
      check(`${path.name}, ${server}, open loop`, run);
      console.log(`  open loop ${server.padEnd(8)} ${rate.toFixed(0)} req/s scheduled: p50 ${ms(percentile(run.latencies, 0.5))} ms, p99 ${ms(percentile(run.latencies, 0.99))} ms${errorNote(run)}`);
      if (options.verbose) console.log(`    slowest: ${run.slowest.map((slow) => `${ms(slow.ms)} ms (sent at ${slow.at.toFixed(2)} s)`).join(", ")}`);
    }
  }

  console.log(`\n${header}\n`);
  console.log(`Closed loop, ${options.concurrency} concurrent clients, ${options.rounds} × ${seconds(options.durationMs)} s per server and path (median over rounds, range in brackets):\n`);
  console.log(formatTable(closedTable(results, options.rounds > 1)));
  console.log(`\nOpen loop at half the rate each server reached, ${seconds(options.openDurationMs)} s, latency from the scheduled send time:\n`);
  console.log(formatTable(openTable(results)));
  console.log("\nWhere the time goes, per request (all rounds; CPU from /proc: the server process, the PostgreSQL backends, this load generator):\n");
  console.log(formatTable(timeTable(results)));
  if (watch.noStatements) console.log(`\nSQL statements: n/a (pg_stat_statements is not available: ${watch.noStatements})`);
  else if (!watch.trackUtility) console.log("\nSQL statements: pg_stat_statements.track_utility is off on this server, so BEGIN and COMMIT are not counted.");
  if (options.verbose) printTopStatements(results);

  console.log(`\nTook ${seconds(Date.now() - started)} s.`);
  if (failures.length) {
    console.log(`\nFAILED: errors in ${failures.length} runs; the figures above do not count.\n  ${failures.join("\n  ")}`);
    return 1;
  }
  return 0;
}

/** A source of new requests until the run stops. */
function untilStopped(next: () => Job): JobSource {
  return (stopping) => (stopping ? null : next());
}

/** A source of one request. */
function once(job: Job): JobSource {
  let sent = false;
  return () => {
    if (sent) return null;
    sent = true;
    return job;
  };
}

/** Starts bench/baseline-server.ts on a free port and waits until it answers. */
async function startBaseline(databaseUrl: string): Promise<{ origin: string; pid: number; logFile: string }> {
  const port = await freePort();
  const logFile = path.join(os.tmpdir(), `moshi-baseline-${process.pid}.log`);
  const { child, exited } = startLoggedScript({
    script: path.join("bench", "baseline-server.ts"),
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOSTNAME: "127.0.0.1" },
    logFile,
    label: "the baseline",
    stopWithinMs: 5_000,
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    const early = await Promise.race([exited, delay(200).then(() => null)]);
    if (early !== null) throw new Error(`the baseline exited (${early}):\n${fs.readFileSync(logFile, "utf8")}`);
    const result = await sendHttp(origin, { method: "GET", path: "/" }, { timeoutMs: 2_000 });
    if ("status" in result) return { origin, pid: child.pid!, logFile };
    if (tries > 150) throw new Error(`the baseline did not answer within 30 s: ${result.error}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting

function describeRun(options: Options, watch: DatabaseWatch, where: string): string {
  const cpus = os.cpus();
  const models = [...new Set(cpus.map((cpu) => cpu.model.trim()))].join(", ");
  const load = os.loadavg().map((n) => n.toFixed(1)).join(" ");
  const lines = [
    `Date: ${new Date().toISOString().replace("T", " ").slice(0, 16)} UTC; code: ${gitDescription()}`,
    `Machine: ${cpus.length} CPUs (${models}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${load} at the start; Node ${process.version}`,
    `PostgreSQL ${watch.version} (${where}); SQL statements ${watch.noStatements ? "not counted (no pg_stat_statements)" : "from pg_stat_statements"}`,
    `Closed loop: concurrency ${options.concurrency}, ${options.rounds} round(s) of ${seconds(options.durationMs)} s after ${seconds(options.warmupMs)} s of warm-up per server; open loop ${seconds(options.openDurationMs)} s`,
  ];
  return lines.join("\n");
}

function gitDescription(): string {
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: projectRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return `${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain", "--untracked-files=no") ? " with uncommitted changes" : ""}`;
  } catch {
    return "unknown (no git)";
  }
}

function describeRound(run: RunResult, statements: Statements | null): string {
  const rate = run.requests / run.seconds;
  const parts = [`${formatRate(rate).padStart(7)} req/s`, `p50 ${ms(percentile(run.latencies, 0.5)).padStart(5)} ms`, `p99 ${ms(percentile(run.latencies, 0.99)).padStart(5)} ms`];
  if (statements) parts.push(`${(statements.calls / run.requests).toFixed(2)} SQL/req`);
  return parts.join("  ") + errorNote(run);
}

function errorNote(run: RunResult): string {
  return run.errors.size ? `  ERRORS: ${[...run.errors].map(([error, n]) => `${error} × ${n}`).join(", ")}` : "";
}

function closedTable(results: PathResult[], ranges: boolean): (string | number)[][] {
  const rows: (string | number)[][] = [["path", "server", "req/s", "messages/s", "p50 ms", "p99 ms", "SQL/req", "SQL/message"]];
  const cell = (values: number[], format: (n: number) => string) => {
    const { median, min, max } = spread(values);
    return ranges ? `${format(median)} (${format(min)}–${format(max)})` : format(median);
  };
  for (const { path, rounds } of results) {
    const medians: Partial<Record<ServerName, { rate: number; p50: number; p99: number }>> = {};
    for (const server of SERVERS) {
      const mine = rounds.filter((round) => round.server === server);
      const rates = mine.map((round) => round.run.requests / round.run.seconds);
      const p50s = mine.map((round) => percentile(round.run.latencies, 0.5));
      const p99s = mine.map((round) => percentile(round.run.latencies, 0.99));
      medians[server] = { rate: spread(rates).median, p50: spread(p50s).median, p99: spread(p99s).median };
      const perRequest = statementsPerRequest(mine);
      rows.push([
        server === "moshi" ? path.name : "",
        server,
        cell(rates, formatRate),
        formatRate(spread(rates).median * path.messagesPerRequest),
        cell(p50s, ms),
        cell(p99s, ms),
        perRequest === null ? "n/a" : perRequest.toFixed(2),
        perRequest === null ? "n/a" : (perRequest / path.messagesPerRequest).toFixed(2),
      ]);
    }
    const { moshi, baseline } = medians;
    if (moshi && baseline) {
      rows.push(["", "moshi ÷ baseline", ratio(moshi.rate, baseline.rate), "", ratio(moshi.p50, baseline.p50), ratio(moshi.p99, baseline.p99), "", ""]);
    }
  }
  return rows;
}

function openTable(results: PathResult[]): (string | number)[][] {
  const rows: (string | number)[][] = [["path", "server", "scheduled req/s", "requests", "p50 ms", "p99 ms", "max ms", "send lag p99 ms", "errors"]];
  for (const { path, open } of results) {
    for (const server of SERVERS) {
      const result = open[server];
      if (!result) continue;
      const { run, rate } = result;
      rows.push([
        server === "moshi" ? path.name : "",
        server,
        formatRate(rate),
        run.requests,
        ms(percentile(run.latencies, 0.5)),
        ms(percentile(run.latencies, 0.99)),
        ms(run.latencies.at(-1) ?? NaN),
        ms(percentile(run.lags, 0.99)),
        sum(run.errors.values()),
      ]);
    }
  }
  return rows;
}

function timeTable(results: PathResult[]): (string | number)[][] {
  const rows: (string | number)[][] = [["path", "server", "SQL statements", "SQL exec ms", "server CPU ms", "PostgreSQL CPU ms", "load generator CPU ms"]];
  for (const { path, rounds } of results) {
    for (const server of SERVERS) {
      const mine = rounds.filter((round) => round.server === server);
      const requests = sum(mine.map((round) => round.run.requests));
      const perRequest = (values: (number | null | undefined)[], digits = 2) => (values.some((v) => v === null || v === undefined) || !requests ? "n/a" : (sum(values as number[]) / requests).toFixed(digits));
      rows.push([
        server === "moshi" ? path.name : "",
        server,
        perRequest(mine.map((round) => round.statements?.calls)),
        perRequest(mine.map((round) => round.statements?.ms)),
        perRequest(mine.map((round) => round.cpu.server)),
        perRequest(mine.map((round) => round.cpu.backends)),
        perRequest(mine.map((round) => round.cpu.client)),
      ]);
    }
  }
  return rows;
}

function statementsPerRequest(rounds: Round[]): number | null {
  if (rounds.some((round) => !round.statements)) return null;
  const requests = sum(rounds.map((round) => round.run.requests));
  return requests ? sum(rounds.map((round) => round.statements!.calls)) / requests : null;
}

/** Moshi's statements of each path, most frequent first (all rounds together). */
function printTopStatements(results: PathResult[]) {
  for (const { path, rounds } of results) {
    const mine = rounds.filter((round) => round.server === "moshi" && round.statements);
    if (!mine.length) continue;
    const requests = sum(mine.map((round) => round.run.requests));
    const merged = new Map<string, { calls: number; ms: number }>();
    for (const row of mine.flatMap((round) => round.statements!.top)) {
      const seen = merged.get(row.query) ?? { calls: 0, ms: 0 };
      merged.set(row.query, { calls: seen.calls + row.calls, ms: seen.ms + row.ms });
    }
    const top = [...merged].sort((a, b) => b[1].calls - a[1].calls).slice(0, 20);
    const table: (string | number)[][] = [["statement", "per request", "mean ms"]];
    for (const [query, { calls, ms: total }] of top) table.push([query.length > 110 ? `${query.slice(0, 109)}…` : query, (calls / requests).toFixed(2), (total / calls).toFixed(3)]);
    console.log(`\nMoshi's statements, ${path.name} (${requests} requests):\n${formatTable(table)}`);
  }
}

function ratio(moshi: number, baseline: number): string {
  return baseline > 0 ? `${moshi / baseline >= 10 ? (moshi / baseline).toFixed(0) : (moshi / baseline).toFixed(2)}×` : "n/a";
}

function formatRate(rate: number): string {
  if (!Number.isFinite(rate)) return "n/a";
  return rate >= 100 ? Math.round(rate).toLocaleString("en-US") : rate >= 10 ? rate.toFixed(1) : rate.toFixed(2);
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function seconds(milliseconds: number): string {
  return Number((milliseconds / 1000).toFixed(1)).toString();
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

// Started last, once every constant above is initialized.
await runHarness(main);
