import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Keyset pagination on (a time column, id), newest first: a page starts after the last row of
 * the one before, so every page costs the same however deep, and rows with equal times keep a
 * stable order. The cursor is opaque to clients: base64url of the time (ms) and the id.
 */
export type Position = { at: Date; id: string };

export function encodePosition({ at, id }: Position): string {
  return Buffer.from(`${at.getTime()}:${id}`, "utf8").toString("base64url");
}

/**
 * The position in a cursor, or null when it is not one `encodePosition` wrote: anything else,
 * a crafted date in the year 33658 included, reads as no cursor rather than an error page.
 */
export function decodePosition(cursor: string): Position | null {
  if (cursor.length > MAX_CURSOR_LENGTH) return null;
  const match = /^(0|[1-9]\d{0,14}):([\w-]{1,64})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) return null;
  const ms = Number(match[1]);
  if (ms > LATEST_MS) return null;
  const position = { at: new Date(ms), id: match[2]! };
  // Base64 has other spellings of the same bytes (padding, stray characters): only ours count.
  return encodePosition(position) === cursor ? position : null;
}

/** Longest cursor `encodePosition` writes: 15 digits, a colon and a 64-character id, in base64. */
const MAX_CURSOR_LENGTH = 108;
/** 9999-12-31T23:59:59.999Z: four-digit years are what PostgreSQL and Prisma both read back. */
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

type Older<F extends string> = Record<F, { lte: Date }> & { OR: (Record<F, { lt: Date }> | (Record<F, Date> & { id: { lt: string } }))[] };

/**
 * The Prisma condition for the rows after `position` in (`field` desc, id desc) order. The
 * `lte` is implied by the OR, but only a plain range becomes an index bound.
 */
export function olderThan<F extends string>(field: F, { at, id }: Position): Older<F> {
  return { [field]: { lte: at }, OR: [{ [field]: { lt: at } }, { [field]: at, id: { lt: id } }] } as Older<F>;
}

/** `olderThan` in SQL, for the few queries Prisma cannot express: `at` and `id` are the columns. */
export function olderThanSql(at: Prisma.Sql, id: Prisma.Sql, position: Position): Prisma.Sql {
  return Prisma.sql`${at} <= ${position.at} AND (${at} < ${position.at} OR (${at} = ${position.at} AND ${id} < ${position.id}))`;
}
