/**
 * Gives scripts a PostgreSQL URL for a purpose: an embedded PGlite when no server is configured,
 * a throw-away database on a configured server, and `prisma migrate deploy` against either.
 */
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { Logger, runMigrations } from "graphile-worker";
import pg from "pg";
import { acquireDirLock } from "./dir-lock";
import { fixQueryScheduling } from "./pglite-queue";
import { runBinCaptured } from "./processes";

export interface RunningDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder to persist into; in memory when omitted. */
  dataDir?: string;
  /** Preferred port; a free one is used when omitted or taken. */
  port?: number;
}

/**
 * PGlite answers one query at a time, and the socket server accepts a single client unless told
 * otherwise; Prisma and the tests open pools, so allow plenty (queries still queue inside PGlite).
 */
const MAX_CONNECTIONS = 50;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<RunningDatabase> {
  const release = options.dataDir ? acquireDirLock(options.dataDir) : () => {};
  try {
    // pg_trgm backs the inbox search index; PGlite ships it, but only loads what it is given.
    const db = await PGlite.create({ dataDir: options.dataDir ?? "memory://", extensions: { pg_trgm } });
    let server: PGLiteSocketServer;
    try {
      server = await listen(db, options.port ?? 0);
    } catch (error) {
      await db.close();
      throw error;
    }
    const port = server.getServerConn().split(":").at(-1);
    // Every socket connection shares PGlite's one session, so a statement prepared under a name
    // on one connection collides with the same name prepared on another. Ingestion then sends
    // its statements unnamed (lib/sms/store.ts); processes started from here inherit the setting.
    process.env.MOSHI_PREPARED_STATEMENTS = "false";
    return {
      // PGlite ignores user, password and database name; these keep client libraries happy.
      url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
      async stop() {
        try {
          await server.stop();
          // close() checkpoints, so a persisted folder reopens without recovery.
          await db.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

async function listen(db: PGlite, port: number): Promise<PGLiteSocketServer> {
  const start = async (candidate: number) => {
    const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: candidate, maxConnections: MAX_CONNECTIONS });
    fixQueryScheduling(server);
    await server.start();
    return server;
  };
  try {
    return await start(port);
  } catch (error) {
    // A taken preferred port is no reason to fail: the URL we hand out carries the real one.
    if (port !== 0 && (error as NodeJS.ErrnoException).code === "EADDRINUSE") return start(0);
    throw error;
  }
}

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Our databases older than this, with nobody connected, were left behind by killed runs. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Creates `<prefix>_<timestamp>_<random>` on the server `serverUrl` points at, so concurrent runs
 * and leftovers never collide. Also drops this prefix's databases left behind by killed runs.
 */
export async function createFreshDatabase(serverUrl: string, prefix: string): Promise<FreshDatabase> {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix)) throw new Error(`Invalid database prefix: ${prefix}`);
  const name = `${prefix}_${Date.now()}_${randomBytes(4).toString("hex")}`;

  await withClient(serverUrl, async (client) => {
    await dropStaleDatabases(client, prefix);
    await client.query(`CREATE DATABASE "${name}"`);
  });

  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      // FORCE ends connections a crashed app or test worker may have left open.
      await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function dropStaleDatabases(client: pg.Client, prefix: string) {
  const { rows } = await client.query<{ datname: string }>(
    `SELECT datname FROM pg_database d
     WHERE datname LIKE $1 AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    [`${prefix.replaceAll("_", "\\_")}\\_%`],
  );
  for (const { datname } of rows) {
    const createdAt = Number(datname.slice(prefix.length + 1).split("_")[0]);
    if (!(createdAt > 0 && Date.now() - createdAt > STALE_AFTER_MS)) continue;
    // Without FORCE: should anyone connect meanwhile, the drop fails and the database stays.
    await client.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => {});
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  // A wrong host should fail the command, not hang it.
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Applies committed migrations: the job queue's schema first (graphile-worker keeps its own, in
 * the `graphile_worker` schema; the forwarding outbox queues jobs through it), then Moshi's.
 * Throws with the tool's output when that fails.
 */
export async function migrateDeploy(url: string): Promise<string> {
  await migrateJobQueue(url);
  const { code, output } = await runBinCaptured("prisma", ["migrate", "deploy"], {
    // prisma.config.ts prefers DIRECT_DATABASE_URL; pin both so a value inherited from the
    // shell cannot send these migrations to another database.
    env: { ...process.env, DATABASE_URL: url, DIRECT_DATABASE_URL: url, CHECKPOINT_DISABLE: "1" },
  });
  if (code !== 0) throw new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`);
  return output;
}

/** Installs or upgrades graphile-worker's schema; a no-op when it is current. */
export async function migrateJobQueue(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 10_000 });
  pool.on("connect", (client) => client.on("error", () => {}));
  pool.on("error", () => {});
  try {
    await runMigrations({ pgPool: pool, logger: quietLogger });
  } finally {
    await pool.end();
  }
}

const quietLogger = new Logger(() => (level, message) => {
  if (level === "error" || level === "warning") console.error(`[job queue] ${message}`);
});

