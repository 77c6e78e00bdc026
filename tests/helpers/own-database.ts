import { createFreshDatabase, migrateDeploy } from "../../scripts/lib/database";
import { createPrismaClient, type PrismaClient } from "@/lib/db";

/**
 * A migrated database of the test file's own, for tests that run job workers: a worker takes
 * any due job in its database, so workers of two files sharing one would take each other's.
 */
export async function ownDatabase(): Promise<{ url: string; prisma: PrismaClient; drop(): Promise<void> }> {
  // A database of its own on the server the run's database is on.
  const database = await createFreshDatabase(process.env.DATABASE_URL!, "moshi_test_own");
  await migrateDeploy(database.url);
  const prisma = createPrismaClient(database.url);
  return {
    url: database.url,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await database.drop();
    },
  };
}
