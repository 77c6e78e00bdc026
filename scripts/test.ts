/**
 * `npm test`: the whole suite, cheapest first, stopping at the first failure.
 *
 * 1. vitest run      unit and integration tests (their own database, see tests/setup)
 * 2. next build      end-to-end tests must never run against a stale build
 * 3. playwright test end-to-end tests against the production server on a fresh database
 * 4. soak, fuzz      small runs of `npm run soak` and `npm run fuzz` against the same build; only
 *                    with DATABASE_URL, since they need a real PostgreSQL server
 */
import type { ChildProcess } from "node:child_process";
import { exitCodeOf, startBin } from "./lib/processes";

type Step = { title: string; bin: string; args: string[]; needsServer?: boolean };

// Small enough for a CI machine, large enough that a lost or duplicated message, a 5xx or a
// hang shows (`npm run soak` defaults to 10 times as many messages, `npm run fuzz` to 10 times
// as many bodies). The soak runs twice: the database stopped, then its connections killed.
const steps: Step[] = [
  { title: "Unit and integration tests", bin: "vitest", args: ["run"] },
  { title: "Production build", bin: "next", args: ["build"] },
  { title: "End-to-end tests", bin: "playwright", args: ["test"] },
  { title: "Soak (small), database stopped", bin: "tsx", args: ["scripts/soak.ts", "--messages", "2000", "--no-build"], needsServer: true },
  { title: "Soak (small), connections killed", bin: "tsx", args: ["scripts/soak.ts", "--messages", "500", "--terminate", "--no-build"], needsServer: true },
  { title: "Fuzz (small)", bin: "tsx", args: ["scripts/fuzz.ts", "--bodies", "1000", "--no-build"], needsServer: true },
];

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };

// Pass a stop request on, so each step can clean up (Playwright stops its server, Vitest its
// database) instead of being orphaned when only this process is signalled.
let current: ChildProcess | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => current?.kill(signal));

for (const step of steps) {
  console.log(`\n=== ${step.title}: ${step.bin} ${step.args.join(" ")}\n`);
  if (step.needsServer && !process.env.DATABASE_URL) {
    console.log("Skipped: DATABASE_URL is not set. The embedded database is not for soak or fuzz runs.");
    continue;
  }
  current = startBin(step.bin, step.args, { env });
  const code = await exitCodeOf(current);
  current = undefined;
  if (code !== 0) {
    console.error(`\n${step.title} failed (exit ${code}).`);
    process.exit(code);
  }
}
console.log("\nAll tests passed.");
