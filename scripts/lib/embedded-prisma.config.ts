/**
 * Prisma CLI configuration for commands that introspect the embedded database (PGlite, which is
 * PostgreSQL 18): prisma.config.ts plus one fix.
 *
 * PostgreSQL 18 records NOT NULL as rows of pg_constraint with contype 'n'. Prisma 6.19's schema
 * engine reads "other" constraints with `contype NOT IN ('p', 'u', 'f')`, meets the unknown type
 * and panics ("RuntimeError: unreachable"). NOT NULL is already read from pg_attribute, so those
 * rows carry nothing the engine needs: leave them out of that query.
 *
 * Use with `prisma … --config scripts/lib/embedded-prisma.config.ts` (see check-drift.ts).
 */
import path from "node:path";
import { defineConfig } from "prisma/config";
import { createMigrationAdapter } from "../../prisma/migration-adapter";

const projectRoot = path.resolve(import.meta.dirname, "..", "..");
const url = process.env.DIRECT_DATABASE_URL || process.env.DATABASE_URL;

const PRE_18_FILTER = "contype NOT IN ('p', 'u', 'f')";
const FILTER = "contype NOT IN ('p', 'u', 'f', 'n')";

type Factory = ReturnType<typeof createMigrationAdapter>;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;
type Query = { sql: string };
type Queryable = { performIO: (query: Query, ...rest: unknown[]) => Promise<unknown> };

export default defineConfig({
  schema: path.join(projectRoot, "prisma", "schema.prisma"),
  migrations: { path: path.join(projectRoot, "prisma", "migrations") },
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => {
    if (!url) throw new Error("Set DATABASE_URL to the embedded database.");
    const factory = createMigrationAdapter(url);
    return {
      ...factory,
      connect: async () => skipNotNullConstraints(await factory.connect()),
      connectToShadowDb: async () => skipNotNullConstraints(await factory.connectToShadowDb()),
    };
  },
});

function skipNotNullConstraints(adapter: Adapter): Adapter {
  patch(adapter as unknown as Queryable);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => {
    const tx = await startTransaction(...args);
    patch(tx as unknown as Queryable);
    return tx;
  };
  return adapter;
}

function patch(target: Queryable) {
  const performIO = target.performIO.bind(target);
  target.performIO = (query, ...rest) =>
    performIO({ ...query, sql: query.sql.replace(PRE_18_FILTER, FILTER) }, ...rest);
}
