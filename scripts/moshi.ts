/**
 * One command to run Moshi: `npm run dev` (next dev) or `npm start` (next build + next start).
 *
 *   tsx scripts/moshi.ts <dev|start> [--no-build] [--fresh-db] [--seed-demo | --no-seed]
 *
 * Everything a first run needs is provided when missing, so a fresh clone works with no setup:
 * - Database: DATABASE_URL when set; otherwise an embedded PostgreSQL persisted in .moshi/pglite.
 *   With --fresh-db: a throw-away database instead (on the DATABASE_URL server, or in memory),
 *   removed on exit. End-to-end tests use this for a clean slate on every run.
 * - Secrets: AUTH_SECRET and MOSHI_ENCRYPTION_KEY, generated once into .moshi/secrets.json.
 * - Schema: committed migrations are applied on every start.
 * - Demo data (development only, unless asked for): a demo team to sign in to, with a month of
 *   inbound traffic. `dev` seeds it unless --no-seed or MOSHI_SEED_DEMO=false; `start` only with
 *   --seed-demo or MOSHI_SEED_DEMO=true, since its login and password are published in the README
 *   and must never open a production database.
 *
 * PORT overrides the default port 3000. Signals are forwarded to Next, and the database is
 * stopped or dropped once Next has exited.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { ChildProcess } from "node:child_process";
import { createFreshDatabase, migrateDeploy, startEmbeddedPostgres } from "./lib/database";
import { exitCodeOf, startBin, startScript } from "./lib/processes";
import { localStateDir } from "./lib/project";
import { loadLocalSecrets } from "./lib/secrets";
import { allowServerOnlyImports } from "./lib/server-only";

/** Fixed so that a database tool pointed at the dev database keeps working across restarts. */
const EMBEDDED_DEV_PORT = 54329;

type Mode = "dev" | "start";

interface ProvidedDatabase {
  url: string;
  embedded: boolean;
  /** For the banner; never includes credentials of a configured server. */
  description: string;
}

const cleanups: (() => Promise<void>)[] = [];
/** The child that signals are forwarded to: `next build`, then the server. */
let current: ChildProcess | undefined;
let stopRequested: NodeJS.Signals | undefined;
let stopRequestedAt = 0;
/**
 * Signals closer together than this are one request delivered twice: a terminal or Playwright
 * signals the whole process group, and tsx may relay the same signal to this process as well.
 */
const SAME_REQUEST_MS = 2000;

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, onSignal);

let exitCode: number;
try {
  exitCode = await main();
} catch (error) {
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
}
await cleanUp();
// Exit explicitly: a library handle we do not own must not keep a stopped launcher alive.
process.exit(exitCode);

async function main(): Promise<number> {
  const { mode, build, freshDb, seed } = parseCommandLine();
  const port = parsePort(process.env.PORT);
  const origin = process.env.AUTH_URL ? new URL(process.env.AUTH_URL).origin : `http://localhost:${port}`;

  Object.assign(process.env, loadLocalSecrets(path.join(localStateDir, "secrets.json")), {
    NEXT_TELEMETRY_DISABLED: "1",
    CHECKPOINT_DISABLE: "1",
    PORT: String(port),
  });
  // Auth.js refuses requests for hosts it does not trust; off Vercel, this launcher vouches for them.
  process.env.AUTH_TRUST_HOST ||= "true";

  const database = await provideDatabase(freshDb);
  if (database.url !== process.env.DATABASE_URL) {
    process.env.DATABASE_URL = database.url;
    // Only meaningful for the configured server; it must not steer tools to it instead.
    delete process.env.DIRECT_DATABASE_URL;
  }
  if (stopRequested) return interrupted();

  await migrateDeploy(database.url);
  const demo = seed ? await seedDemoTeam(database.url, origin, demoStateFile(database, freshDb)) : undefined;
  if (stopRequested) return interrupted();

  if (mode === "start" && build) {
    const code = await runTracked(startBin("next", ["build"]));
    if (code !== 0 || stopRequested) return code || interrupted();
  }

  // Forwarding's worker runs here, beside the server: it sends the team's events to its endpoints.
  const worker = await startForwardingWorker(database.url, mode, database.embedded);
  cleanups.push(worker.stop);
  if (stopRequested) return interrupted();

  printBanner({ mode, origin, database, demo });
  // Production runs Moshi's own HTTP server around Next's handler (see scripts/serve.ts).
  return runTracked(mode === "dev" ? startBin("next", ["dev", "-p", String(port)]) : startScript("scripts/serve.ts"));
}

function parseCommandLine() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "no-build": { type: "boolean", default: false },
      "fresh-db": { type: "boolean", default: false },
      "no-seed": { type: "boolean", default: false },
      "seed-demo": { type: "boolean", default: false },
    },
  });
  const mode = positionals[0];
  if ((mode !== "dev" && mode !== "start") || positionals.length > 1 || (values["seed-demo"] && values["no-seed"])) {
    throw new Error("Usage: tsx scripts/moshi.ts <dev|start> [--no-build] [--fresh-db] [--seed-demo | --no-seed]");
  }
  const fromEnv = process.env.MOSHI_SEED_DEMO?.trim().toLowerCase() ?? "";
  const envSays = ["true", "1"].includes(fromEnv) ? true : ["false", "0"].includes(fromEnv) ? false : undefined;
  const flagSays = values["seed-demo"] ? true : values["no-seed"] ? false : undefined;
  return {
    mode: mode as Mode,
    build: !values["no-build"],
    freshDb: values["fresh-db"],
    // A flag beats the environment; with neither, only development gets the demo.
    seed: flagSays ?? envSays ?? mode === "dev",
  };
}

function parsePort(value: string | undefined): number {
  const port = Number(value ?? 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${value}".`);
  }
  return port;
}

async function provideDatabase(fresh: boolean): Promise<ProvidedDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl && !fresh) {
    return { url: serverUrl, embedded: false, description: `DATABASE_URL (${withoutCredentials(serverUrl)})` };
  }
  if (serverUrl) {
    const database = await createFreshDatabase(serverUrl, "moshi_fresh");
    cleanups.push(database.drop);
    const description = `${withoutCredentials(database.url)} (fresh, dropped on exit)`;
    return { url: database.url, embedded: false, description };
  }
  const dataDir = path.join(localStateDir, "pglite");
  const embedded = await startEmbeddedPostgres(fresh ? {} : { dataDir, port: EMBEDDED_DEV_PORT });
  cleanups.push(embedded.stop);
  const where = fresh ? "in memory, discarded on exit" : path.relative(process.cwd(), dataDir) || dataDir;
  return { url: embedded.url, embedded: true, description: `embedded PostgreSQL at ${embedded.url} (${where})` };
}

function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  parsed.username = "";
  parsed.password = "";
  return parsed.toString();
}

type DemoResult = Awaited<ReturnType<typeof import("@/lib/demo").seedDemo>>;

/**
 * The demo's webhook tokens exist in plain text only in this file, so each database gets its own:
 * seeding one must not overwrite the tokens remembered for another. A throw-away database's file
 * goes with it.
 */
function demoStateFile(database: ProvidedDatabase, fresh: boolean): string {
  if (fresh) {
    const file = path.join(os.tmpdir(), `moshi-demo-${process.pid}.json`);
    cleanups.push(() => fs.promises.rm(file, { force: true }));
    return file;
  }
  if (database.embedded) return path.join(localStateDir, "demo.json");
  const id = createHash("sha256").update(withoutCredentials(database.url)).digest("hex").slice(0, 12);
  return path.join(localStateDir, `demo-${id}.json`);
}

async function seedDemoTeam(url: string, origin: string, stateFile: string): Promise<DemoResult> {
  // Imported late: app modules need the server-only hook in place, and seeding may be skipped.
  allowServerOnlyImports();
  const [{ seedDemo }, { createPrismaClient }] = await Promise.all([import("@/lib/demo"), import("@/lib/db")]);
  const prisma = createPrismaClient(url);
  try {
    return await seedDemo({ prisma, origin, stateFile, onCreate: () => console.log("Creating the demo team and a month of its inbound traffic…") });
  } finally {
    await prisma.$disconnect();
  }
}

async function startForwardingWorker(url: string, mode: Mode, embedded: boolean) {
  allowServerOnlyImports();
  const [{ runForwardingWorker }, { forwardingConfig }] = await Promise.all([import("@/lib/forwarding/run-worker"), import("@/lib/forwarding/config")]);
  // The launcher itself has no NODE_ENV: the worker follows the server it runs beside.
  const config = forwardingConfig({ ...process.env, NODE_ENV: mode === "start" ? "production" : "development" });
  // The embedded database's one shared session does not pass LISTEN/NOTIFY on to the worker, so
  // it looks for new jobs more often instead.
  return runForwardingWorker({ databaseUrl: url, config, pollIntervalMs: embedded ? 500 : undefined });
}

function printBanner(options: { mode: Mode; origin: string; database: ProvidedDatabase; demo?: DemoResult }) {
  const { mode, origin, database, demo } = options;
  const lines = [
    "",
    `  Moshi (${mode === "dev" ? "development" : "production build"}): ${origin}`,
    `  Database: ${database.description}`,
    "  Forwarding: a worker runs here; `npm run events:listen` starts a local endpoint to try it.",
  ];
  if (demo) {
    lines.push("", `  Demo sign-in: ${demo.login.email} / ${demo.login.password}`);
    lines.push("  Demo numbers and their inbound webhook URLs:");
    for (const number of demo.numbers) {
      lines.push(`    ${number.provider} ${number.e164} (${number.label})`);
      // Tokens are stored hashed; a URL not remembered locally cannot be shown again.
      const url = number.webhookUrl ?? "URL not available here: rotate the webhook token in the app to get a new one";
      lines.push(`      ${url}`);
      if (number.signWith) {
        const flags = Object.entries(number.signWith).map(([name, value]) => `--credential ${name}=${String(value)}`);
        lines.push(`      signed webhooks: npm run sms:send -- <this URL> ${flags.join(" ")}`);
      }
    }
    if (demo.traffic) {
      const { messages, conversations, deliveries, durationMs } = demo.traffic;
      lines.push(
        "",
        `  Seeded ${messages} demo messages in ${conversations} conversations over 30 days`,
        `  (${deliveries} webhook deliveries through the pipeline, ${(durationMs / 1000).toFixed(1)} s).`,
      );
    }
  }
  console.log(lines.join("\n") + "\n");
}

function runTracked(child: ChildProcess): Promise<number> {
  current = child;
  return exitCodeOf(child).finally(() => {
    current = undefined;
  });
}

function onSignal(signal: NodeJS.Signals) {
  // A group-wide signal reaches Next directly too; forwarding covers `kill <launcher pid>`.
  current?.kill(signal);
  if (!stopRequested) {
    stopRequested = signal;
    stopRequestedAt = Date.now();
  } else if (!current && Date.now() - stopRequestedAt >= SAME_REQUEST_MS) {
    // Asked again while setting up or cleaning up: stop waiting. A fresh database left behind is
    // dropped by a later run (see createFreshDatabase); the data folder lock is released on exit.
    process.exit(128 + os.constants.signals[signal]);
  }
}

function interrupted(): number {
  return 128 + (stopRequested ? os.constants.signals[stopRequested] : 0);
}

async function cleanUp() {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error(`Cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
