import { defineConfig } from "@playwright/test";

// E2E_PORT lets two checkouts of the project run their browser tests side by side.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: "tests/e2e",
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // The longer journeys take 20-30 s on their own; shared CI machines can be twice as slow.
  timeout: 90_000,
  workers: 2,
  reporter: "list",
  use: {
    baseURL,
    browserName: "chromium",
    // Debian's Chromium: Playwright's own browser download cannot run on these machines.
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
    trace: "on-first-retry",
    // Tests save the screenshots worth looking at themselves, into tests/e2e/screenshots.
    screenshot: "off",
  },
  webServer: {
    // Serves the build `npm test` made just before, on a database created for this run (on the
    // DATABASE_URL server when set, else in memory) and removed afterwards. The demo team is
    // seeded for the tour (tour.spec.ts), which `start` does only when asked (`--seed-demo`); the
    // other tests sign up their own accounts. Seeding adds about 4 s to the start on PostgreSQL,
    // about 14 s in memory. The launcher runs in this Node as a single process: the `tsx`
    // command's wrapper process re-sends shutdown signals and may kill the launcher before it
    // has dropped its database.
    command: `${JSON.stringify(process.execPath)} --import tsx scripts/moshi.ts start --no-build --fresh-db --seed-demo`,
    url: baseURL,
    // The forwarding tests send to a receiver on 127.0.0.1, which production refuses otherwise.
    env: { PORT: String(PORT), MOSHI_ALLOW_PRIVATE_ENDPOINTS: "true" },
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    // SIGTERM lets the launcher drop its database; the default SIGKILL would leave it behind.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
