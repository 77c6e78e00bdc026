/**
 * `npm test`: the whole suite, cheapest first, stopping at the first failure.
 *
 * 1. vitest run      unit and integration tests (their own database, see tests/setup)
 * 2. next build      end-to-end tests must never run against a stale build
 * 3. playwright test end-to-end tests against `next start` on a fresh database
 */
import type { ChildProcess } from "node:child_process";
import { exitCodeOf, startBin } from "./lib/processes";

const steps: { title: string; bin: string; args: string[] }[] = [
  { title: "Unit and integration tests", bin: "vitest", args: ["run"] },
  { title: "Production build", bin: "next", args: ["build"] },
  { title: "End-to-end tests", bin: "playwright", args: ["test"] },
];

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };

// Pass a stop request on, so each step can clean up (Playwright stops its server, Vitest its
// database) instead of being orphaned when only this process is signalled.
let current: ChildProcess | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => current?.kill(signal));

for (const step of steps) {
  console.log(`\n=== ${step.title}: ${step.bin} ${step.args.join(" ")}\n`);
  current = startBin(step.bin, step.args, { env });
  const code = await exitCodeOf(current);
  current = undefined;
  if (code !== 0) {
    console.error(`\n${step.title} failed (exit ${code}).`);
    process.exit(code);
  }
}
console.log("\nAll tests passed.");
