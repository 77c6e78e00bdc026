/**
 * What the soak and fuzz runs share: a fresh database on a real PostgreSQL server (optionally a
 * throw-away cluster the run may stop and start), a team with one number per provider, and the
 * production server (scripts/serve.ts, as `npm start` runs it) on a free port, all removed again on exit, failure or Ctrl-C.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Provider } from "@/lib/sms/types";
import { createFreshDatabase, migrateDeploy } from "./database";
import { exitCodeOf, startBin } from "./processes";
import { projectRoot } from "./project";
import { allowServerOnlyImports } from "./server-only";

export const PROVIDERS = ["RAKUTEN", "INFOBIP", "VONAGE"] as const satisfies readonly Provider[];

/** The Vonage number checks SHA-256 signatures with `VONAGE_SECRET`. */
export type HarnessProvider = (typeof PROVIDERS)[number];

/** Our numbers, one per provider the harness drives. */
export const NUMBERS: Record<HarnessProvider, string> = { RAKUTEN: "+815012345678", INFOBIP: "+385921004026", VONAGE: "+12192259404" };
export const VONAGE_SECRET = "harness-signature-secret";

export type HarnessNumber = { id: string; provider: Provider; e164: string; token: string };

// ---------------------------------------------------------------------------------------------
// Cleanup on every way out

const cleanups: { label: string; run: () => Promise<void> }[] = [];
let stopping = false;

/** Registers work to undo on exit (last registered runs first). */
export function onCleanup(label: string, run: () => Promise<void>): void {
  cleanups.push({ label, run });
}

/**
 * Runs a harness's main function and exits with its code, undoing everything registered with
 * `onCleanup` first: also on an exception and on SIGINT/SIGTERM (a second signal exits at once).
 */
export async function runHarness(main: () => Promise<number>): Promise<never> {
  // A closed pipe (`… | head`, a killed parent) must not stop the cleanup halfway.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(128 + os.constants.signals[signal]);
      stopping = true;
      console.error(`\n${signal}: cleaning up…`);
      void cleanUp().then(() => process.exit(128 + os.constants.signals[signal]));
    });
  }
  let code: number;
  try {
    code = await main();
  } catch (error) {
    console.error(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    code = 1;
  }
  await cleanUp();
  process.exit(code);
}

async function cleanUp() {
  while (cleanups.length) {
    const { label, run } = cleanups.pop()!;
    try {
      await run();
    } catch (error) {
      console.error(`Cleanup (${label}) failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Database server

/** The configured PostgreSQL server; the embedded database cannot stand in for a soak. */
export function requireServerUrl(command: string): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      `${command} needs a PostgreSQL server: set DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres). ` +
        "The embedded database is not made for this load.",
    );
  }
  return url;
}

export type Cluster = {
  name: string;
  version: string;
  /** The cluster's `postgres` database over TCP, trust authentication. */
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
};

const CLUSTER_PREFIX = "moshi_harness_";

/**
 * Creates and starts a throw-away PostgreSQL cluster (Debian's postgresql-common tools) that the
 * run may stop and start at will; dropped on exit. Null where that is not possible: not root, or
 * no `pg_createcluster`. `settings` go into its postgresql.conf (e.g. `shared_preload_libraries`).
 */
export async function createThrowawayCluster(settings: Record<string, string> = {}): Promise<Cluster | null> {
  if (process.getuid?.() !== 0 || !hasCommand("pg_createcluster")) return null;
  const version = newestPostgresVersion();
  if (!version) return null;
  await dropAbandonedClusters();

  const name = `${CLUSTER_PREFIX}${process.pid}`;
  const port = await freePort();
  const options = Object.entries(settings).flatMap(([key, value]) => ["-o", `${key}=${value}`]);
  await run("pg_createcluster", [version, name, "--port", String(port), ...options, "--", "--auth=trust"]);
  onCleanup(`drop cluster ${name}`, async () => void (await run("pg_dropcluster", [version, name, "--stop"])));
  const ctl = async (action: string, ...extra: string[]) => void (await run("pg_ctlcluster", ["--skip-systemctl-redirect", version, name, action, ...extra]));
  await ctl("start");
  return {
    name,
    version,
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    // Fast shutdown: what a crash or a failover looks like to the clients, connections cut.
    stop: () => ctl("stop", "-m", "fast"),
    start: () => ctl("start"),
  };
}

/** Clusters of runs that were killed (their process is gone) are dropped, so they never pile up. */
async function dropAbandonedClusters() {
  const output = await run("pg_lsclusters", ["--no-header"]);
  for (const line of output.split("\n")) {
    const [version, name] = line.trim().split(/\s+/);
    const pid = Number(name?.startsWith(CLUSTER_PREFIX) ? name.slice(CLUSTER_PREFIX.length) : NaN);
    if (!version || !name || !Number.isInteger(pid) || isAlive(pid)) continue;
    await run("pg_dropcluster", [version, name, "--stop"]).catch(() => {});
  }
}

function newestPostgresVersion(): string | null {
  try {
    const versions = fs.readdirSync("/usr/lib/postgresql").filter((v) => /^\d+$/.test(v));
    return versions.sort((a, b) => Number(b) - Number(a))[0] ?? null;
  } catch {
    return null;
  }
}

/** A fresh database with the committed migrations applied, dropped on exit. */
export async function createMigratedDatabase(serverUrl: string, prefix: string): Promise<string> {
  const database = await createFreshDatabase(serverUrl, prefix);
  onCleanup("drop database", database.drop);
  await migrateDeploy(database.url);
  return database.url;
}

/**
 * Ends every other connection to the database, as a failover or a pooler restart does. Answers
 * how many it ended.
 */
export async function terminateConnections(client: pg.Client, database: string): Promise<number> {
  const { rowCount } = await client.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  return rowCount ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Team and numbers

/** The environment the server and the seeding share, so secrets encrypted by one open in the other. */
export function serverSecrets() {
  return { AUTH_SECRET: randomBytes(32).toString("base64url"), MOSHI_ENCRYPTION_KEY: randomBytes(32).toString("base64") };
}

/**
 * Signs up an owner with a team and registers one number per provider through the app's own
 * data functions; answers the numbers with their webhook tokens.
 */
export async function seedTeam(databaseUrl: string, encryptionKey: string): Promise<Record<Provider, HarnessNumber>> {
  allowServerOnlyImports();
  process.env.MOSHI_ENCRYPTION_KEY = encryptionKey;
  const [{ createPrismaClient }, { createUserWithPassword }, { createNumber }] = await Promise.all([
    import("@/lib/db"),
    import("@/lib/data/users"),
    import("@/lib/data/numbers"),
  ]);
  const prisma = createPrismaClient(databaseUrl);
  try {
    const { team } = await createUserWithPassword(prisma, {
      name: "Harness",
      email: `harness-${randomBytes(4).toString("hex")}@moshi.test`,
      password: randomBytes(16).toString("hex"),
      teamName: "Harness",
    });
    if (!team) throw new Error("The team was not created");
    const numbers = {} as Record<Provider, HarnessNumber>;
    for (const provider of PROVIDERS) {
      const { number, token } = await createNumber(prisma, {
        teamId: team.id,
        provider,
        e164: NUMBERS[provider],
        label: provider.toLowerCase(),
        ...(provider === "VONAGE" ? { credentials: { signatureMethod: "SHA256", signatureSecret: VONAGE_SECRET } } : {}),
      });
      numbers[provider] = { id: number.id, provider, e164: NUMBERS[provider], token };
    }
    return numbers;
  } finally {
    await prisma.$disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// The production server

/** Runs `next build` (when asked) or checks that a build exists. */
export async function ensureBuild(build: boolean): Promise<void> {
  if (build) {
    console.log("Building (next build; --no-build to use the existing build)…");
    const code = await exitCodeOf(startBin("next", ["build"], { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } }));
    if (code !== 0) throw new Error(`next build failed (exit ${code})`);
    return;
  }
  if (!fs.existsSync(path.join(projectRoot, ".next", "BUILD_ID"))) {
    throw new Error("No production build: run `npx next build` first, or drop --no-build.");
  }
}

/** What the production build is made from; a file newer than the build means it is stale. */
const BUILD_INPUTS = ["app", "components", "lib", "types", "public", "proxy.ts", "instrumentation.ts", "next.config.mjs", "postcss.config.mjs", "tsconfig.json", "package.json", "package-lock.json"];

/** Whether there is no production build, or a source file changed after it was made. */
export function buildIsStale(): boolean {
  const built = fs.statSync(path.join(projectRoot, ".next", "BUILD_ID"), { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return true;
  const newer = (entry: string): boolean => {
    const stat = fs.statSync(entry, { throwIfNoEntry: false });
    if (!stat) return false;
    if (!stat.isDirectory()) return stat.mtimeMs > built;
    return fs.readdirSync(entry).some((name) => newer(path.join(entry, name)));
  };
  return BUILD_INPUTS.some((input) => newer(path.join(projectRoot, input)));
}

export type Server = { origin: string; logFile: string; child: ChildProcess };

/**
 * Runs a TypeScript file of the project (through tsx) in the background, its output in
 * `logFile`; stopped when the run ends (SIGTERM, then SIGKILL after `stopWithinMs`).
 */
export function startLoggedScript(options: { script: string; env: NodeJS.ProcessEnv; logFile: string; label: string; stopWithinMs: number }) {
  const log = fs.openSync(options.logFile, "w");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, options.script)], {
    cwd: projectRoot,
    env: options.env,
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  const exited = exitCodeOf(child);
  onCleanup(`stop ${options.label}`, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), options.stopWithinMs);
    await exited.catch(() => {});
    clearTimeout(timer);
  });
  return { child, exited };
}

/**
 * Starts the production server against the database on a free port and waits until it answers a webhook
 * request (a 404 for an unknown token needs the database too). Its output goes to a log file:
 * a soak makes it log thousands of lines.
 */
export async function startServer(options: { databaseUrl: string; secrets: ReturnType<typeof serverSecrets>; name: string }): Promise<Server> {
  const port = await freePort();
  const logFile = path.join(os.tmpdir(), `moshi-${options.name}-${process.pid}.log`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.secrets,
    DATABASE_URL: options.databaseUrl,
    AUTH_TRUST_HOST: "true",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
  };
  delete env.DIRECT_DATABASE_URL;
  delete env.MOSHI_PUBLIC_URL;
  // The server `npm start` runs: Next's handler behind Moshi's own node:http server.
  const { child, exited } = startLoggedScript({ script: path.join("scripts", "serve.ts"), env: { ...env, HOSTNAME: "127.0.0.1" }, logFile, label: "the server", stopWithinMs: 10_000 });

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([exited.then((code) => code), delay(250).then(() => null)]);
    if (early !== null) throw new Error(`the server exited (${early}) before answering:\n${tail(logFile)}`);
    const status = await probe(`${origin}/api/webhooks/rakuten/harness-probe`);
    if (status === 404) return { origin, logFile, child };
    if (Date.now() > deadline) throw new Error(`the server did not answer within 60 s (last: ${status}):\n${tail(logFile)}`);
  }
}

function probe(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: 5_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", (error) => resolve((error as NodeJS.ErrnoException).code ?? error.message));
  });
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

// ---------------------------------------------------------------------------------------------
// Sending requests

export type HttpRequest = {
  method: string;
  /** Path and query string. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer | null;
};

/** A status, or why there was none: `timeout`, or the socket error's code (ECONNRESET, …). */
export type HttpResult = { status: number; body: string } | { error: string };

/**
 * Sends one request and reads the whole answer. Never throws: a connection error or no answer
 * within `timeoutMs` becomes `{ error }`.
 */
export function sendHttp(origin: string, request: HttpRequest, options: { agent?: http.Agent; timeoutMs: number }): Promise<HttpResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: HttpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const url = new URL(origin);
    const outgoing = http.request(
      { host: url.hostname, port: url.port, method: request.method, path: request.path, headers: request.headers, agent: options.agent ?? false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => settle({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", (error) => settle({ error: errorCode(error) }));
      },
    );
    const timer = setTimeout(() => {
      settle({ error: "timeout" });
      outgoing.destroy();
    }, options.timeoutMs);
    outgoing.on("error", (error) => settle({ error: errorCode(error) }));
    outgoing.end(request.body ?? undefined);
  });
}

export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message ?? String(error);
}

/** The label a result is counted under: its status, or its error. */
export function resultLabel(result: HttpResult): string {
  return "status" in result ? String(result.status) : result.error;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

export function webhookPath(provider: string, token: string): string {
  return `/api/webhooks/${provider.toLowerCase()}/${token}`;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Thousands separators, for summaries. */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** A table with a header row; the first column left-aligned, the others right-aligned. */
export function formatTable(rows: (string | number)[][]): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === "number" ? formatCount(cell) : cell)));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  return cells.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")).join("\n");
}

function hasCommand(name: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, name)));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Runs a system command; answers its output, or throws with it. */
function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(" ")} failed (${code}):\n${output}`))));
  });
}
