import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
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
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}

function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set. `npm run dev` starts an embedded database and sets it for you.");
  return url;
}
