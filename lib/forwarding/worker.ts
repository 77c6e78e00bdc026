/**
 * The job queue's side of forwarding: graphile-worker runs the `moshi_forward` jobs that the
 * outbox trigger queues (one per dispatch). Two ways to run them:
 *
 * - startWorker: a long-lived worker (`npm run dev`, `npm start`, `npm run worker`). It hears
 *   new jobs through LISTEN/NOTIFY within milliseconds, polls as a fallback, and sweeps lost
 *   dispatches every SWEEP_EVERY_MS. Any number may run at once: jobs are taken with
 *   SKIP LOCKED, and a dispatch is held by one attempt at a time (dispatch.ts).
 * - drainDueJobs: runs every due job and returns, for platforms without long-lived processes
 *   (Vercel): called right after a webhook's response (after()) and by a cron route.
 */
import { Logger, run, runOnce, type Runner, type TaskList } from "graphile-worker";
import pg from "pg";
import { forwardingConfig, type ForwardingConfig } from "./config";
import { ALERTS_TASK, runAlerts } from "@/lib/alerts/job";
import { HOUSEKEEPING_TASK, runHousekeeping } from "@/lib/housekeeping";
import { closeIncompleteMessages } from "@/lib/sms/close-incomplete";
import { preparedStatements } from "@/lib/sms/store";
import { attemptDispatch, sweepDispatches } from "./dispatch";
import { tolerateQueueBookkeepingFailures } from "./queue-errors";

export const FORWARD_TASK = "moshi_forward";
export const CLOSE_INCOMPLETE_TASK = "moshi_close_incomplete";
/** Scheduled jobs, run once per tick however many workers run (the queue's own cron). */
const CRONTAB = [`*/5 * * * * ${CLOSE_INCOMPLETE_TASK}`, `* * * * * ${ALERTS_TASK}`, `17 * * * * ${HOUSEKEEPING_TASK}`].join("\n");
const SWEEP_EVERY_MS = 30_000;

const logger = new Logger(() => (level, message) => {
  if (level === "error" || level === "warning") console.error(`[forwarding] ${message}`);
});

export function forwardingTasks(pool: pg.Pool, config: ForwardingConfig): TaskList {
  return {
    [FORWARD_TASK]: async (payload) => {
      const dispatchId = (payload as { dispatchId?: unknown } | null)?.dispatchId;
      if (typeof dispatchId !== "string") return;
      await attemptDispatch(pool, dispatchId, config);
    },
    [CLOSE_INCOMPLETE_TASK]: async () => {
      await closeIncompleteMessages(pool);
    },
    [ALERTS_TASK]: async () => {
      await runAlerts(pool, { forwarding: config });
    },
    [HOUSEKEEPING_TASK]: async () => {
      await runHousekeeping(pool);
    },
  };
}

/**
 * A pool for a worker. The queue releases its connections itself, also ones that failed, so it
 * gets a plain pool (not lib/db's, which releases a connection that errors while checked out);
 * errors of a connection that died are swallowed here, as its query fails anyway and the queue
 * retries.
 */
export function createWorkerPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 10_000 });
  pool.on("connect", (client) => client.on("error", () => {}));
  pool.on("error", () => {});
  return pool;
}

export type ForwardingWorker = { stop(): Promise<void>; runner: Runner };

export async function startWorker(options: { pool: pg.Pool; concurrency?: number; config?: ForwardingConfig; pollIntervalMs?: number }): Promise<ForwardingWorker> {
  const config = options.config ?? forwardingConfig();
  tolerateQueueBookkeepingFailures();
  const runner = await run({
    pgPool: options.pool,
    taskList: forwardingTasks(options.pool, config),
    concurrency: options.concurrency ?? 8,
    pollInterval: options.pollIntervalMs ?? 2000,
    crontab: CRONTAB,
    noHandleSignals: true,
    // The embedded database's connections share one session, where a name prepared by one
    // connection already exists for the next (the cron's statement failed every tick).
    noPreparedStatements: !preparedStatements(),
    logger,
  });
  const sweep = () => sweepDispatches(options.pool, config).catch((error: Error) => console.error(`[forwarding] sweep failed: ${error.message}`));
  await sweep();
  const timer = setInterval(sweep, Math.min(SWEEP_EVERY_MS, Math.max(1000, config.sweepAfterMs)));
  timer.unref();
  return {
    runner,
    async stop() {
      clearInterval(timer);
      await runner.stop();
    },
  };
}

/**
 * Sweeps, then runs every job that is due, then returns. `scheduled` also runs the scheduled
 * jobs' work (the cron route, where no worker keeps the queue's cron): long messages given up,
 * and alerts evaluated and sent (the alert events it writes go out in the same drain).
 */
export async function drainDueJobs(pool: pg.Pool, config: ForwardingConfig = forwardingConfig(), { scheduled = false } = {}): Promise<void> {
  tolerateQueueBookkeepingFailures();
  if (scheduled) {
    await closeIncompleteMessages(pool);
    await runAlerts(pool, { forwarding: config });
  }
  await sweepDispatches(pool, config);
  await runOnce({ pgPool: pool, taskList: forwardingTasks(pool, config), concurrency: 4, noHandleSignals: true, noPreparedStatements: !preparedStatements(), logger });
}
