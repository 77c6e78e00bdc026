import path from "node:path";
import { defineConfig } from "prisma/config";
import { createMigrationAdapter } from "./prisma/migration-adapter";

// Migrations prefer a direct (non-pooled) connection where the host offers one.
const url = process.env.DIRECT_DATABASE_URL || process.env.DATABASE_URL;

// `prisma generate` needs no database; every other command does.
if (!process.env.DATABASE_URL) process.env.DATABASE_URL = "postgresql://localhost/unused";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => {
    if (!url) throw new Error("Set DATABASE_URL to run migrations (npm run dev starts an embedded database for you).");
    return createMigrationAdapter(url);
  },
});
