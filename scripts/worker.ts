/**
 * `npm run worker`: a forwarding worker on its own, for servers that run the web process
 * elsewhere or want more workers (any number may run against one database). `npm run dev` and
 * `npm start` already run one inside the launcher.
 *
 *   DATABASE_URL=postgres://… MOSHI_ENCRYPTION_KEY=… [WORKER_CONCURRENCY=8] tsx scripts/worker.ts
 */
import { allowServerOnlyImports } from "./lib/server-only";

allowServerOnlyImports();
const { runForwardingWorker } = await import("@/lib/forwarding/run-worker");

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("DATABASE_URL is not set: the worker needs the database the app uses.");
  process.exit(1);
}
const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 8);
const worker = await runForwardingWorker({ databaseUrl, concurrency: Number.isInteger(concurrency) && concurrency > 0 ? concurrency : 8 });
console.log(`Forwarding worker running (pid ${process.pid}, concurrency ${concurrency}).`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) process.exit(1);
    stopping = true;
    await worker.stop();
    process.exit(0);
  });
}
