import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db";
import { prisma } from "../helpers/db";

afterAll(() => prisma.$disconnect());

// Needs a server: the embedded database has no backends to terminate.
describe.skipIf(process.env.MOSHI_TEST_EMBEDDED === "1")("connections that die inside a transaction", () => {
  // Prisma sends ROLLBACK on the dead connection and, as that fails, never returns it to the
  // pool; without lib/db.ts releasing such connections, the pool's 10 slots fill up and every
  // query after waits forever. This kills the connection under 12 transactions in a row.
  it("leave the pool able to serve the next query", async () => {
    const client = createPrismaClient(process.env.DATABASE_URL!);
    try {
      for (let i = 0; i < 12; i++) {
        const failed = client.$transaction(async (tx) => {
          const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          await prisma.$queryRaw`SELECT pg_terminate_backend(${row!.pid}::int)`;
          await tx.$queryRaw`SELECT 1`;
        });
        await expect(failed).rejects.toThrow();
      }
      expect(await client.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    } finally {
      await client.$disconnect();
    }
  });
});
