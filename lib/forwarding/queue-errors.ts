/**
 * graphile-worker 0.18 records a finished job (completeJobs / failJobs) without waiting for the
 * result, and retries that write only on a few error codes: when the database goes away at
 * that moment (a restart, a killed connection), the rejection is left unhandled, which would
 * end the process. Nothing is lost by it: the dispatch's own state was written before (or the
 * write failed and the sweep sends it again), and a job whose completion was not recorded is
 * never taken again before the sweep has queued its dispatch anew. So a worker host logs these
 * and keeps running; any other unhandled rejection still ends it, as Node would.
 */
export function isQueueBookkeepingFailure(error: unknown): boolean {
  const stack = typeof error === "object" && error !== null ? String((error as { stack?: unknown }).stack ?? "") : "";
  const frames = typeof error === "object" && error !== null ? JSON.stringify((error as { stacks?: unknown }).stacks ?? []) : "";
  return /graphile-worker/.test(stack + frames) && /(batchCompleteJobs|batchFailJobs)/.test(stack + frames);
}

let installed = false;

export function tolerateQueueBookkeepingFailures(): void {
  if (installed) return;
  installed = true;
  process.on("unhandledRejection", (reason) => {
    if (isQueueBookkeepingFailure(reason)) {
      console.error(`[forwarding] a finished job could not be recorded (${(reason as Error).message}); its dispatch is swept again if needed.`);
      return;
    }
    throw reason;
  });
}
