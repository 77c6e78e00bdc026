import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type { PrismaClient };

const globalForPrisma = globalThis as unknown as { moshiPrisma?: PrismaClient };

/**
 * The shared Prisma client, created on first use: creating it at import time would need
 * DATABASE_URL during `next build`. Dev reloads reuse the instance kept on globalThis.
 */
export function db(): PrismaClient {
  globalForPrisma.moshiPrisma ??= createPrismaClient(requireDatabaseUrl());
  return globalForPrisma.moshiPrisma;
}

export function createPrismaClient(connectionString: string): PrismaClient {
  const pool = createPool(connectionString);
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  // Kept on the client itself, not in a module-level map: dev reloads re-evaluate this module
  // while the client on globalThis lives on.
  Object.defineProperty(client, POOL, { value: pool });
  return client;
}

const POOL = Symbol.for("moshi.pool");

/**
 * The connection pool under a client made by {@link createPrismaClient}, for the few hot paths
 * that speak SQL directly (webhook ingestion): one round trip per statement, none of the ORM's
 * per-query work. Everything else goes through Prisma.
 */
export function sqlPool(prisma: PrismaClient): pg.Pool {
  const pool = (prisma as unknown as Record<symbol, pg.Pool | undefined>)[POOL];
  if (!pool) throw new Error("This Prisma client was not made by createPrismaClient, so its connection pool is out of reach.");
  return pool;
}

/** How long a query waits for a free connection before failing (and the webhook answering 503). */
const CONNECTION_WAIT_MS = 10_000;

/**
 * The connection pool under Prisma, made to survive the database going away mid-transaction.
 * When a connection dies inside an interactive transaction, Prisma 6.19 sends ROLLBACK on it
 * and, as that fails, never gives the connection back to the pool: after as many such
 * transactions as the pool has connections, every query waits forever (the soak run's database
 * restart showed it). So a connection that errors while checked out is released here, as
 * broken, which removes it from the pool; and no query waits more than CONNECTION_WAIT_MS for a
 * connection.
 */
export function createPool(connectionString: string, max?: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, connectionTimeoutMillis: CONNECTION_WAIT_MS, ...(max ? { max } : {}) });
  pool.on("connect", (client) => {
    client.on("error", (error) => {
      try {
        // Set by the pool for each checkout; throws when the client was released already.
        (client as pg.PoolClient).release?.(error);
      } catch {
        // Idle in the pool (which removes it itself) or released already.
      }
    });
  });
  // An idle connection that dies is removed by the pool; the error needs a listener.
  pool.on("error", () => {});
  return pool;
}

function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set. `npm run dev` starts an embedded database and sets it for you.");
  return url;
}
