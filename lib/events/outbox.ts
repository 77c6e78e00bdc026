/**
 * Writing events into the outbox (the Event table) from the statements that store what they
 * report, so an event exists exactly when its message does: same statement, same commit. A
 * trigger fans each event out to the team's endpoints and queues a job per endpoint (see the
 * migration 20261202100000_forwarding_and_api_keys); nothing here knows about endpoints.
 *
 * Some values of an event are only known inside the statement (the thread a new message joined,
 * a long message's first arrival and final warnings). The document is built here with *blanks*
 * in their place: JSON strings no message text can produce (a random nonce per process), which
 * the statement replaces with the stored values. Everything else is built once, in TypeScript,
 * by lib/events/resources.ts.
 */
import { randomBytes } from "node:crypto";

const nonce = randomBytes(12).toString("hex");

/** The blanks, as they appear in a document (quoted JSON strings). */
export const BLANKS = {
  conversationId: `@@moshi.${nonce}.conversationId@@`,
  receivedAt: `@@moshi.${nonce}.receivedAt@@`,
  warnings: `@@moshi.${nonce}.warnings@@`,
} as const;

export type Blank = keyof typeof BLANKS;

/** What a blank stands for in a document before it is filled: a string value. */
export function blank(name: Blank): string {
  return BLANKS[name];
}

/** A stored UTC timestamp as ISO text with milliseconds, as JavaScript's toISOString writes it. */
export const ISO_TEXT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * SQL that fills the blanks of `payload` (an SQL expression) with SQL expressions: a text id,
 * a timestamp column, a text[] column. `param` is the placeholder of the blank's own text.
 */
export function fillBlanks(payload: string, fills: Partial<Record<Blank, { param: string; value: string; kind: "text" | "timestamp" | "text[]" }>>): string {
  let sql = payload;
  for (const fill of Object.values(fills)) {
    if (!fill) continue;
    const json =
      fill.kind === "timestamp" ? `to_json(to_char(${fill.value}, ${ISO_TEXT}))::text` : fill.kind === "text[]" ? `to_json(${fill.value})::text` : `to_json(${fill.value}::text)::text`;
    sql = `replace(${sql}, '"' || ${fill.param} || '"', ${json})`;
  }
  return sql;
}
