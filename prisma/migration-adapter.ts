/**
 * The driver adapter the Prisma CLI uses to run migrations through its WebAssembly schema
 * engine (no native engine binary is downloaded). Used only by `prisma.config.ts`.
 *
 * Each workaround below answers a failure met with Prisma 6.19 + @prisma/adapter-pg:
 * 1. The schema engine reads catalog columns of type `name` and `"char"`, which adapter-pg
 *    refuses to deserialize: report them as text.
 * 2. adapter-pg's shadow connection spreads the pool config and overrides `database`, which a
 *    `connectionString` would win over: pass host, port, user, password, database separately.
 * 3. The shadow pool must be closed before its database is dropped.
 * 4. The wasm engine leaves timers running after the command finishes: unref them so the
 *    process exits as soon as the work is done.
 * 5. PostgreSQL 18 (the embedded PGlite) records NOT NULL as pg_constraint rows of contype 'n',
 *    which the engine's "other constraints" query does not expect: it panics ("unreachable").
 *    NOT NULL is read from pg_attribute anyway, so leave those rows out (a no-op before 18).
 * 6. adapter-pg runs a migration script by splitting it at every `;`, which cuts a function
 *    body (`$$ … $$`), a string or a comment holding one in pieces. Send the script whole
 *    instead: PostgreSQL splits it itself, and runs it as one implicit transaction, so a
 *    migration that fails leaves nothing half applied.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import type { PoolConfig } from "pg";
import pg from "pg";

const PG_NAME = 19;
const PG_CHAR = 18;
const PG_TEXT = 25;
const PG_BPCHAR = 1042;

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Queryable = { performIO: (query: { sql: string }, ...rest: unknown[]) => Promise<{ fields?: { dataTypeID: number }[] }> };

const PRE_18_CONSTRAINT_FILTER = "contype NOT IN ('p', 'u', 'f')";
const CONSTRAINT_FILTER = "contype NOT IN ('p', 'u', 'f', 'n')";

export function createMigrationAdapter(url: string) {
  unrefTimers();
  const config = poolConfigFromUrl(url);
  return {
    provider: "postgres" as const,
    adapterName: "@prisma/adapter-pg",
    async connect() {
      return adaptForSchemaEngine(await new PrismaPg(config).connect());
    },
    async connectToShadowDb() {
      const database = `prisma_migrate_shadow_db_${crypto.randomUUID().replaceAll("-", "")}`;
      await runOnMaintenanceDb(config, `CREATE DATABASE "${database}"`);
      const adapter = await new PrismaPg({ ...config, database }).connect();
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await runOnMaintenanceDb(config, `DROP DATABASE IF EXISTS "${database}"`);
      };
      return adaptForSchemaEngine(adapter);
    },
  };
}

/** Splits a connection URL into separate fields (see workaround 2). */
export function poolConfigFromUrl(url: string): PoolConfig {
  const parsed = new URL(url);
  const sslmode = parsed.searchParams.get("sslmode");
  return {
    host: decodeURIComponent(parsed.hostname),
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || undefined,
    password: decodeURIComponent(parsed.password) || undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
    ssl: sslmode && sslmode !== "disable" && sslmode !== "prefer" ? true : undefined,
    max: 4,
    allowExitOnIdle: true,
  };
}

/** Applies workarounds 1, 5 and 6 to every query, in and out of transactions. */
function adaptForSchemaEngine(adapter: Adapter): Adapter {
  patchQueryable(adapter as unknown as Queryable);
  const scripted = adapter as unknown as { client: { query(sql: string): Promise<unknown> }; onError(error: unknown): never };
  adapter.executeScript = async (script: string) => {
    try {
      await scripted.client.query(script);
    } catch (error) {
      scripted.onError(error);
    }
  };
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => {
    const tx = await startTransaction(...args);
    patchQueryable(tx as unknown as Queryable);
    return tx;
  };
  return adapter;
}

function patchQueryable(target: Queryable) {
  const performIO = target.performIO.bind(target);
  target.performIO = async (query, ...rest) => {
    const result = await performIO({ ...query, sql: query.sql.replace(PRE_18_CONSTRAINT_FILTER, CONSTRAINT_FILTER) }, ...rest);
    // A multi-statement script answers with one result per statement, without `fields`.
    for (const field of result.fields ?? []) {
      if (field.dataTypeID === PG_NAME) field.dataTypeID = PG_TEXT;
      else if (field.dataTypeID === PG_CHAR) field.dataTypeID = PG_BPCHAR;
    }
    return result;
  };
}

async function runOnMaintenanceDb(config: PoolConfig, sql: string) {
  const client = new pg.Client({ ...config, database: config.database });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let timersUnrefed = false;
function unrefTimers() {
  if (timersUnrefed) return;
  timersUnrefed = true;
  const { setTimeout: originalTimeout, setInterval: originalInterval } = globalThis;
  globalThis.setInterval = ((...args: Parameters<typeof originalInterval>) =>
    originalInterval(...args).unref()) as typeof setInterval;
  globalThis.setTimeout = ((...args: Parameters<typeof originalTimeout>) =>
    originalTimeout(...args).unref()) as typeof setTimeout;
}
