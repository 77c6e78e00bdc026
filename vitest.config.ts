import path from "node:path";
import { defineConfig } from "vitest/config";
import { isQueueBookkeepingFailure } from "./lib/forwarding/queue-errors";

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: [
      // The tsconfig "@/*" path.
      { find: /^@\//, replacement: `${root}/` },
      // The real package throws unless bundled by Next for the server (see tests/setup/empty.ts).
      { find: /^server-only$/, replacement: path.join(root, "tests", "setup", "empty.ts") },
    ],
  },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    environment: "node",
    // Integration tests run real queries on shared, sometimes busy machines; the default 5 s is
    // a timing limit in disguise. Hanging tests still fail, just later.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ["tests/setup/global-setup.ts"],
    // The job queue's bookkeeping rejections when a test kills the database's connections: a
    // worker host logs and survives them (lib/forwarding/queue-errors.ts). Nothing else is hidden.
    onUnhandledError: (error) => !isQueueBookkeepingFailure(error),
    setupFiles: ["tests/setup/database-env.ts"],
    // Fixed, test-only values: never used outside this suite.
    env: {
      MOSHI_ENCRYPTION_KEY: "dGVzdC1vbmx5LWtleS1mb3ItbW9zaGktdml0ZXN0czA=",
      AUTH_SECRET: "test-only-auth-secret-for-moshi-vitest-runs",
      AUTH_TRUST_HOST: "true",
    },
    server: {
      // next-auth imports "next/server" without a file extension, which only works once Vite
      // processes it rather than Node loading it directly.
      deps: { inline: ["next-auth"] },
    },
  },
});
