/**
 * A forwarding worker for a process of its own or a launcher: its own connection pool (the
 * queue keeps one connection listening), stopped cleanly on request.
 */
import "server-only";
import { forwardingConfig, type ForwardingConfig } from "./config";
import { createWorkerPool, startWorker } from "./worker";

export async function runForwardingWorker(options: { databaseUrl: string; concurrency?: number; config?: ForwardingConfig; pollIntervalMs?: number }) {
  const concurrency = options.concurrency ?? 8;
  const pool = createWorkerPool(options.databaseUrl, concurrency + 2);
  try {
    const worker = await startWorker({ pool, concurrency, config: options.config ?? forwardingConfig(), pollIntervalMs: options.pollIntervalMs });
    return {
      async stop() {
        await worker.stop();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
