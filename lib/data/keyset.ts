/**
 * Keyset pagination on (a time column, id), newest first: a page starts after the last row of
 * the one before, so every page costs the same however deep, and rows with equal times keep a
 * stable order. The cursor is opaque to clients: base64url of the time (ms) and the id.
 */
export type Position = { at: Date; id: string };

export function encodePosition({ at, id }: Position): string {
  return Buffer.from(`${at.getTime()}:${id}`, "utf8").toString("base64url");
}

/** The position in a cursor, or null when it is not one `encodePosition` wrote. */
export function decodePosition(cursor: string): Position | null {
  const match = /^(\d{1,15}):([\w-]{1,64})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) return null;
  const at = new Date(Number(match[1]));
  return Number.isNaN(at.getTime()) ? null : { at, id: match[2]! };
}

type Older<F extends string> = Record<F, { lte: Date }> & { OR: (Record<F, { lt: Date }> | (Record<F, Date> & { id: { lt: string } }))[] };

/**
 * The Prisma condition for the rows after `position` in (`field` desc, id desc) order. The
 * `lte` is implied by the OR, but only a plain range becomes an index bound.
 */
export function olderThan<F extends string>(field: F, { at, id }: Position): Older<F> {
  return { [field]: { lte: at }, OR: [{ [field]: { lt: at } }, { [field]: at, id: { lt: id } }] } as Older<F>;
}
