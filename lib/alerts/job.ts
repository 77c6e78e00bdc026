/**
 * The scheduled alerts job: evaluate every team's rules, then send what the outbox holds (new
 * alerts, resolutions, and retries that are due). Every minute, from the worker's crontab or the
 * minute cron route on Vercel, so a team is told within a couple of minutes.
 */
import type pg from "pg";
import { evaluateAlerts, type EvaluationResult } from "./evaluate";
import { deliverAlertNotifications, type DeliveryOptions, type DeliveryResult } from "./notify";

export { ALERTS_TASK } from "./evaluate";

export async function runAlerts(pool: pg.Pool, options: Omit<DeliveryOptions, "ids"> = {}): Promise<EvaluationResult & { notifications: DeliveryResult }> {
  const now = options.now ?? new Date();
  const evaluated = await evaluateAlerts(pool, now, { teamId: options.teamId });
  const notifications = await deliverAlertNotifications(pool, { ...options, now });
  return { ...evaluated, notifications };
}
