/**
 * Vitest global setup: one migrated database for the whole run, shared by every worker (each
 * integration test seeds a team of its own, so tests never see each other's rows).
 *
 * With DATABASE_URL set (CI, or a developer's server), a fresh database is created on that server
 * and dropped afterwards, so the configured database itself is never touched. Without it, an
 * in-memory embedded PostgreSQL is served on a free port for the length of the run.
 *
 * Workers learn the URL through `inject("databaseUrl")` (see database-env.ts).
 */
import type { TestProject } from "vitest/node";
import { createFreshDatabase, migrateDeploy, startEmbeddedPostgres } from "../../scripts/lib/database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    /** The run's database is the embedded one: there is no server to create more on. */
    databaseEmbedded: boolean;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.DATABASE_URL;
  const database = serverUrl
    ? await createFreshDatabase(serverUrl, "moshi_test").then((db) => ({ url: db.url, release: db.drop }))
    : await startEmbeddedPostgres().then((db) => ({ url: db.url, release: db.stop }));
  try {
    await migrateDeploy(database.url);
  } catch (error) {
    await database.release();
    throw error;
  }
  project.provide("databaseUrl", database.url);
  project.provide("databaseEmbedded", !serverUrl);
  return database.release;
}
