/**
 * One attempt to deliver one event to one endpoint (a dispatch), as a job runs it:
 *
 * 1. Claim: one statement takes the dispatch if it is still pending and due, holding it for
 *    `leaseMs` (a second job for the same dispatch, from a sweep or a second worker, finds it
 *    held and does nothing), and reads the event and the endpoint.
 * 2. Send: POST the stored body, signed (signing.ts), through http.ts's safe client.
 * 3. Record: one statement writes the attempt, moves the dispatch (delivered, failed, or due
 *    again after a backoff), keeps the endpoint's failing streak (disabling it after 410 Gone
 *    or a whole window of failures), and queues the retry's job: all or nothing.
 *
 * A worker that dies between 1 and 3 leaves the dispatch held; once the hold is over by
 * `sweepAfterMs`, sweepDispatches queues it again (the event goes out again, same webhook-id).
 * A database that fails at 3 fails the job, which the queue retries: at least once, never lost.
 */
import type pg from "pg";
import { openSecret } from "@/lib/crypto";
import { createId } from "@/lib/sms/id";
import { forwardingConfig, retryDelayMs, type ForwardingConfig } from "./config";
import { postJson, type PostResult } from "./http";
import { signatureHeaders } from "./signing";

type Sql = Pick<pg.Pool, "query">;

type Claimed = {
  id: string;
  teamId: string;
  eventId: string;
  endpointId: string;
  attemptCount: number;
  retryFrom: Date;
  payload: string;
  url: string;
  enabled: boolean;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousValid: boolean | null;
  failingSince: Date | null;
  now: Date;
};

const UTC_NOW = `(now() AT TIME ZONE 'UTC')`;

const CLAIM = `
  WITH claimed AS (
    UPDATE "EventDispatch" SET "nextAttemptAt" = ${UTC_NOW} + $2::int * interval '1 millisecond'
    WHERE "id" = $1 AND "status" = 'PENDING' AND "nextAttemptAt" <= ${UTC_NOW} + interval '1 second'
    RETURNING "id", "teamId", "eventId", "endpointId", "attemptCount", "retryFrom"
  )
  SELECT d.*, e."payload", w."url", w."enabled", w."secretSealed", w."previousSecretSealed",
    w."previousSecretExpiresAt" > ${UTC_NOW} AS "previousValid", w."failingSince", ${UTC_NOW} AS "now"
  FROM claimed d JOIN "Event" e ON e."id" = d."eventId" JOIN "WebhookEndpoint" w ON w."id" = d."endpointId"`;

const RECORD = `
  WITH attempt AS (
    INSERT INTO "EndpointAttempt" ("id", "teamId", "endpointId", "dispatchId", "eventId", "startedAt", "durationMs",
      "statusCode", "error", "responseBody", "succeeded", "nextAttemptAt")
    SELECT $1, $2, $3, $4, $5, $6::timestamp, $7::int, $8::int, $9, $10, $11::boolean, $12::timestamp WHERE $16::boolean
  ),
  dispatch AS (
    UPDATE "EventDispatch" SET "status" = $13::"DispatchStatus",
      "attemptCount" = "attemptCount" + CASE WHEN $16::boolean THEN 1 ELSE 0 END,
      "lastAttemptAt" = CASE WHEN $16::boolean THEN $6::timestamp ELSE "lastAttemptAt" END,
      "nextAttemptAt" = $12::timestamp,
      "deliveredAt" = CASE WHEN $11::boolean THEN ${UTC_NOW} ELSE "deliveredAt" END,
      "failureReason" = $14
    WHERE "id" = $4
  ),
  endpoint AS (
    UPDATE "WebhookEndpoint" SET
      "failingSince" = CASE WHEN $11::boolean THEN NULL ELSE coalesce("failingSince", $6::timestamp) END,
      "enabled" = CASE WHEN $15::text IS NOT NULL THEN false ELSE "enabled" END,
      "disabledReason" = coalesce($15::text, "disabledReason"),
      "disabledAt" = CASE WHEN $15::text IS NOT NULL THEN ${UTC_NOW} ELSE "disabledAt" END
    WHERE "id" = $3 AND $16::boolean
  )
  SELECT moshi_queue_dispatches(ARRAY[$4], $12::timestamp AT TIME ZONE 'UTC') WHERE $12::timestamp IS NOT NULL`;

export type AttemptOutcome = "delivered" | "retrying" | "failed" | "skipped";

/** Requests in flight per endpoint in this process (ForwardingConfig.perEndpointConcurrency). */
const inFlight = new Map<string, { active: number; waiting: (() => void)[] }>();

async function withEndpointSlot<T>(endpointId: string, limit: number, work: () => Promise<T>): Promise<T> {
  let slot = inFlight.get(endpointId);
  if (!slot) inFlight.set(endpointId, (slot = { active: 0, waiting: [] }));
  const held = slot;
  if (held.active >= limit) await new Promise<void>((resolve) => held.waiting.push(resolve));
  held.active++;
  try {
    return await work();
  } finally {
    held.active--;
    const next = held.waiting.shift();
    if (next) next();
    else if (held.active === 0) inFlight.delete(endpointId);
  }
}

export async function attemptDispatch(sql: Sql, dispatchId: string, config: ForwardingConfig = forwardingConfig()): Promise<AttemptOutcome> {
  const { rows } = await sql.query<Claimed>(CLAIM, [dispatchId, config.leaseMs]);
  const claimed = rows[0];
  // Delivered, given up, deleted, or held by another attempt: nothing to do.
  if (!claimed) return "skipped";

  const record = (values: { started: Date; result: PostResult | null; status: "PENDING" | "DELIVERED" | "FAILED"; next: Date | null; reason: string | null; disable: string | null }) =>
    sql.query(RECORD, [
      createId(),
      claimed.teamId,
      claimed.endpointId,
      claimed.id,
      claimed.eventId,
      values.started.toISOString(),
      values.result?.durationMs ?? 0,
      values.result?.statusCode ?? null,
      values.result?.error ?? null,
      values.result?.body ?? null,
      values.status === "DELIVERED",
      values.next?.toISOString() ?? null,
      values.status,
      values.reason,
      values.disable,
      values.result !== null,
    ]);

  if (!claimed.enabled) {
    await record({ started: new Date(), result: null, status: "FAILED", next: null, reason: "The endpoint is disabled: enable it and resend.", disable: null });
    return "failed";
  }

  const started = new Date();
  const result = await send(claimed, started, config);
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  if (ok) {
    await record({ started, result, status: "DELIVERED", next: null, reason: null, disable: null });
    return "delivered";
  }

  const now = claimed.now.getTime() + (Date.now() - started.getTime());
  if (result.statusCode === 410) {
    const reason = "It answered 410 Gone, which asks senders to stop.";
    await record({ started, result, status: "FAILED", next: null, reason, disable: reason });
    return "failed";
  }
  const failingFor = claimed.failingSince ? now - claimed.failingSince.getTime() : 0;
  if (failingFor >= config.windowMs) {
    const reason = `Every attempt failed for ${describeWindow(config.windowMs)}.`;
    await record({ started, result, status: "FAILED", next: null, reason, disable: reason });
    return "failed";
  }
  if (now - claimed.retryFrom.getTime() >= config.windowMs) {
    await record({ started, result, status: "FAILED", next: null, reason: `Retried for ${describeWindow(config.windowMs)} without success.`, disable: null });
    return "failed";
  }
  const next = new Date(now + retryDelayMs(config, claimed.attemptCount + 1));
  await record({ started, result, status: "PENDING", next, reason: null, disable: null });
  return "retrying";
}

async function send(claimed: Claimed, at: Date, config: ForwardingConfig): Promise<PostResult> {
  const secrets: string[] = [];
  for (const sealed of [claimed.secretSealed, claimed.previousValid ? claimed.previousSecretSealed : null]) {
    if (!sealed) continue;
    const opened = openSecret(sealed);
    if (!opened.ok) return { statusCode: null, body: null, error: `The endpoint's signing secret cannot be read: ${opened.reason}`, durationMs: 0 };
    secrets.push(opened.value);
  }
  let url: URL;
  try {
    url = new URL(claimed.url);
  } catch {
    return { statusCode: null, body: null, error: "The endpoint's URL is not a valid URL.", durationMs: 0 };
  }
  const headers = {
    "content-type": "application/json",
    "user-agent": "Moshi-Webhooks/1",
    ...signatureHeaders(claimed.eventId, at, claimed.payload, secrets),
  };
  return withEndpointSlot(claimed.endpointId, config.perEndpointConcurrency, () =>
    postJson(url, headers, claimed.payload, { timeoutMs: config.timeoutMs, allowNonPublic: config.allowNonPublic }),
  );
}

function describeWindow(ms: number): string {
  const hours = ms / 3_600_000;
  return hours >= 1 ? `${Math.round(hours)} hours` : `${Math.round(ms / 1000)} seconds`;
}

/**
 * Queues again every pending dispatch whose hold or due time is more than `sweepAfterMs` past:
 * its worker died, or its job was lost. Queueing one whose job still waits only moves that job.
 * A dispatch still pending an hour past its retry window never got as far as recording an
 * attempt (its job fails every time): it is given up instead of being queued forever.
 */
export async function sweepDispatches(sql: Sql, config: ForwardingConfig = forwardingConfig()): Promise<number> {
  const { rows } = await sql.query<{ count: number }>(
    `WITH stuck AS (
       UPDATE "EventDispatch" SET "status" = 'FAILED', "nextAttemptAt" = NULL,
         "failureReason" = 'No attempt could be made or recorded within the retry window.'
       WHERE "status" = 'PENDING' AND "retryFrom" < ${UTC_NOW} - ($2::bigint + 3600000) * interval '1 millisecond'
     ),
     overdue AS (
       SELECT "id" FROM "EventDispatch"
       WHERE "status" = 'PENDING' AND "nextAttemptAt" < ${UTC_NOW} - $1::int * interval '1 millisecond'
         AND "retryFrom" >= ${UTC_NOW} - ($2::bigint + 3600000) * interval '1 millisecond'
       ORDER BY "nextAttemptAt" LIMIT 1000
     )
     SELECT (SELECT count(*) FROM overdue)::int AS count, moshi_queue_dispatches(ARRAY(SELECT "id" FROM overdue))`,
    [config.sweepAfterMs, config.windowMs],
  );
  return rows[0]?.count ?? 0;
}
