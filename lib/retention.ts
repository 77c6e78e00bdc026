/**
 * Retention: each team's own schedule for its raw data, applied by the hourly housekeeping job
 * (lib/housekeeping.ts) in bounded batches, each its own short statement or transaction, rows
 * taken with SKIP LOCKED so ingestion never waits long and two runs share the work.
 *
 * - Raw bodies older than `keepBodiesDays`: the delivery row stays (the delivery log and its
 *   counts do not change), its body, headers and query string (they can carry the message and
 *   the sender's address) are cleared and `bodyPurgedAt` says when. Replaying it is refused.
 * - Messages older than `keepMessagesDays` (null: kept for ever) go with their parts, except a
 *   message still assembling (PARTIAL): it waits until it completes or is given up (the
 *   close-incomplete job). Each thread's counters move in the same transaction; a thread left
 *   empty goes. Deliveries that old go too once no part refers to them (a part's delivery
 *   cascades to the part), so the statistics of the window that remains stay consistent.
 * - Forwarding's events carry message text: they follow message retention, and a finished event
 *   (no dispatch still pending) goes after FINISHED_EVENTS_DAYS whatever the team keeps. An
 *   event still being delivered or retried is never removed.
 */
import type pg from "pg";
import { transaction } from "@/lib/sms/store";

const DAY_MS = 24 * 60 * 60 * 1000;

export const RETENTION_LIMITS = {
  /** Bodies are kept this long unless the team says otherwise. */
  defaultBodiesDays: 30,
  minDays: 1,
  /** Ten years: anything longer is "for ever" (messages) or a typo. */
  maxDays: 3650,
} as const;

/** Finished forwarding events (and their dispatches and attempts) go after this many days. */
export const FINISHED_EVENTS_DAYS = 30;

export const RETENTION_BATCH = 1_000;

export type TeamRetention = { id: string; keepBodiesDays: number; keepMessagesDays: number | null };

export type RetentionResult = { bodiesCleared: number; messagesDeleted: number; conversationsDeleted: number; deliveriesDeleted: number; eventsDeleted: number };

const TEAMS_PAGE = 500;

/** Applies every team's retention at `now`; answers what went. `batch` bounds each statement. */
export async function applyRetention(pool: pg.Pool, now: Date = new Date(), { batch = RETENTION_BATCH } = {}): Promise<RetentionResult> {
  const total: RetentionResult = { bodiesCleared: 0, messagesDeleted: 0, conversationsDeleted: 0, deliveriesDeleted: 0, eventsDeleted: 0 };
  let after = "";
  for (;;) {
    const { rows: teams } = await pool.query<TeamRetention>(
      `SELECT "id", "keepBodiesDays", "keepMessagesDays" FROM "Team" WHERE "id" > $1 ORDER BY "id" LIMIT ${TEAMS_PAGE}`,
      [after],
    );
    for (const team of teams) {
      const done = await applyTeamRetention(pool, team, now, { batch });
      for (const key of Object.keys(total) as (keyof RetentionResult)[]) total[key] += done[key];
    }
    if (teams.length < TEAMS_PAGE) return total;
    after = teams.at(-1)!.id;
  }
}

export async function applyTeamRetention(pool: pg.Pool, team: TeamRetention, now: Date, { batch = RETENTION_BATCH } = {}): Promise<RetentionResult> {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const result: RetentionResult = { bodiesCleared: 0, messagesDeleted: 0, conversationsDeleted: 0, deliveriesDeleted: 0, eventsDeleted: 0 };
  if (team.keepMessagesDays !== null) {
    const before = daysAgo(team.keepMessagesDays);
    // Messages first: their parts are what keeps a delivery.
    for (;;) {
      const { messages, conversations } = await deleteMessageBatch(pool, team.id, before, batch);
      result.messagesDeleted += messages;
      result.conversationsDeleted += conversations;
      if (messages < batch) break;
    }
    result.deliveriesDeleted = await repeat((limit) => run(pool, DELETE_DELIVERIES, [team.id, before, limit]), batch);
  }
  const eventDays = Math.min(FINISHED_EVENTS_DAYS, team.keepMessagesDays ?? FINISHED_EVENTS_DAYS);
  result.eventsDeleted = await repeat((limit) => run(pool, DELETE_EVENTS, [team.id, daysAgo(eventDays), limit]), batch);
  result.bodiesCleared = await repeat((limit) => run(pool, CLEAR_BODIES, [team.id, daysAgo(team.keepBodiesDays), now.toISOString(), limit]), batch);
  return result;
}

/** Runs a bounded statement until it does less than a full batch; answers the rows it touched. */
async function repeat(step: (limit: number) => Promise<number>, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const count = await step(batch);
    total += count;
    if (count < batch) return total;
  }
}

async function run(pool: pg.Pool, sql: string, values: unknown[]): Promise<number> {
  return (await pool.query(sql, values)).rowCount ?? 0;
}

// The partial index Delivery_body_kept_idx holds only the bodies still kept.
const CLEAR_BODIES = `
  UPDATE "Delivery" d SET "body" = '\\x'::bytea, "headers" = '{}'::jsonb, "query" = '', "bodyPurgedAt" = $3::timestamp
  FROM (
    SELECT "id" FROM "Delivery"
    WHERE "teamId" = $1 AND "receivedAt" < $2::timestamp AND "bodyPurgedAt" IS NULL
    ORDER BY "receivedAt" LIMIT $4::int
    FOR UPDATE SKIP LOCKED
  ) due
  WHERE d."id" = due."id"`;

const DELETE_DELIVERIES = `
  DELETE FROM "Delivery" d
  USING (
    SELECT dl."id" FROM "Delivery" dl
    WHERE dl."teamId" = $1 AND dl."receivedAt" < $2::timestamp
      AND NOT EXISTS (SELECT FROM "MessagePart" p WHERE p."deliveryId" = dl."id")
    ORDER BY dl."receivedAt" LIMIT $3::int
    FOR UPDATE SKIP LOCKED
  ) due
  WHERE d."id" = due."id"`;

// Dispatches and attempts go with their event (ON DELETE CASCADE).
const DELETE_EVENTS = `
  DELETE FROM "Event" e
  USING (
    SELECT ev."id" FROM "Event" ev
    WHERE ev."teamId" = $1 AND ev."createdAt" < $2::timestamp
      AND NOT EXISTS (SELECT FROM "EventDispatch" d WHERE d."eventId" = ev."id" AND d."status" = 'PENDING')
    ORDER BY ev."createdAt" LIMIT $3::int
    FOR UPDATE SKIP LOCKED
  ) due
  WHERE e."id" = due."id"`;

const DELETE_MESSAGES = `
  WITH due AS (
    SELECT "id" FROM "Message"
    WHERE "teamId" = $1 AND "receivedAt" < $2::timestamp AND "status" <> 'PARTIAL'
    ORDER BY "receivedAt" LIMIT $3::int
    FOR UPDATE SKIP LOCKED
  ),
  gone AS (DELETE FROM "Message" m USING due WHERE m."id" = due."id" RETURNING m."conversationId", m."isTest")
  SELECT "conversationId" AS "id", count(*)::int AS "count", count(*) FILTER (WHERE "isTest")::int AS "tests"
  FROM gone GROUP BY "conversationId" ORDER BY "conversationId"`;

const UPDATE_THREADS = `
  UPDATE "Conversation" c SET
    "messageCount" = GREATEST(c."messageCount" - g."count", 0),
    "testCount" = GREATEST(c."testCount" - g."tests", 0),
    "lastMessageAt" = coalesce((SELECT max(m."receivedAt") FROM "Message" m WHERE m."conversationId" = c."id"), c."lastMessageAt")
  FROM unnest($1::text[], $2::int[], $3::int[]) AS g("id", "count", "tests")
  WHERE c."id" = g."id"`;

// Each person has read a thread's oldest messages up to their readCount (ConversationRead), and
// the messages deleted are the oldest: each count drops by as many, so the unread stay unread.
const UPDATE_READS = `
  UPDATE "ConversationRead" r SET "readCount" = GREATEST(r."readCount" - g."count", 0)
  FROM unnest($1::text[], $2::int[]) AS g("id", "count")
  WHERE r."conversationId" = g."id" AND r."readCount" > 0`;

// A sender's opt-out outlives their messages: a thread that holds one stays, empty, so a later
// campaign check still finds that they said STOP.
const DELETE_EMPTY_THREADS = `
  DELETE FROM "Conversation" c
  WHERE c."id" = ANY($1::text[]) AND c."optedOutAt" IS NULL AND NOT EXISTS (SELECT FROM "Message" m WHERE m."conversationId" = c."id")`;

/** One batch of old messages, their threads' counters and the threads left empty: all or nothing. */
function deleteMessageBatch(pool: pg.Pool, teamId: string, before: string, batch: number): Promise<{ messages: number; conversations: number }> {
  return transaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; count: number; tests: number }>(DELETE_MESSAGES, [teamId, before, batch]);
    if (rows.length === 0) return { messages: 0, conversations: 0 };
    const ids = rows.map((row) => row.id);
    const counts = rows.map((row) => row.count);
    await client.query(UPDATE_THREADS, [ids, counts, rows.map((row) => row.tests)]);
    await client.query(UPDATE_READS, [ids, counts]);
    const { rowCount } = await client.query(DELETE_EMPTY_THREADS, [ids]);
    return { messages: rows.reduce((sum, row) => sum + row.count, 0), conversations: rowCount ?? 0 };
  });
}
