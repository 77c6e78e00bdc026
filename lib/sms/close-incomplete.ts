/**
 * Gives up on long messages whose parts stopped arriving (lib/sms/incomplete.ts's rule): writes
 * the INCOMPLETE state and puts a `message.incomplete` event, with what arrived, in the outbox,
 * in one transaction. A scheduled job runs it every few minutes (lib/forwarding/worker.ts, and
 * the cron route on Vercel). Messages that storage closed on the way (a new part met a stale
 * message) are INCOMPLETE already and only get their event. Bounded batches, rows taken with
 * SKIP LOCKED: two runs at once share the work.
 */
import type pg from "pg";
import { buildEvent, messageResource, type MessageRow } from "@/lib/events/resources";
import { incompleteBefore } from "./incomplete";
import { transaction } from "./store";

const BATCH = 500;

const CLOSE = `
  WITH due AS (
    SELECT "id" FROM "Message"
    WHERE ("status" = 'PARTIAL' AND "receivedAt" < $1::timestamp) OR ("status" = 'INCOMPLETE' AND "incompleteAt" IS NULL)
    ORDER BY "receivedAt" LIMIT $3::int
    FOR UPDATE SKIP LOCKED
  )
  UPDATE "Message" m SET "status" = 'INCOMPLETE', "concatKey" = NULL, "incompleteAt" = $2::timestamp
  FROM due WHERE m."id" = due."id"
  RETURNING m."id", m."teamId", m."conversationId", m."phoneNumberId", m."provider", m."from", m."to", m."status", m."encoding",
    m."text", m."binaryHex", m."keyword", m."partsExpected", m."partsReceived", m."receivedAt",
    m."completedAt", m."providerTimestamp", m."priceAmount", m."priceCurrency", m."warnings", m."isTest"`;

const INSERT_EVENTS = `
  INSERT INTO "Event" ("id", "teamId", "type", "phoneNumberId", "payload", "createdAt")
  SELECT id, team, 'message.incomplete', number, payload, $2::timestamp
  FROM jsonb_to_recordset($1::jsonb) AS e(id text, team text, number text, payload text)`;

/** Closes due messages in batches until none are left; answers how many. */
export async function closeIncompleteMessages(pool: pg.Pool, now: Date = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const closed = await closeBatch(pool, now);
    total += closed;
    if (closed < BATCH) return total;
  }
}

function closeBatch(pool: pg.Pool, now: Date): Promise<number> {
  return transaction(pool, async (client) => {
    const { rows } = await client.query<MessageRow & { teamId: string }>(CLOSE, [incompleteBefore(now).toISOString(), now.toISOString(), BATCH]);
    if (rows.length > 0) {
      const events = rows.map((row) => {
        const event = buildEvent("message.incomplete", messageResource(row, now), { at: now, phoneNumberId: row.phoneNumberId });
        return { id: event.id, team: row.teamId, number: row.phoneNumberId, payload: event.payload };
      });
      await client.query(INSERT_EVENTS, [JSON.stringify(events), now.toISOString()]);
    }
    return rows.length;
  });
}
