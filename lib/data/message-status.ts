import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { incompleteBefore } from "@/lib/sms/incomplete";

/**
 * The rule of lib/sms/incomplete.ts in SQL, for queries that filter, count or sort on it. `table`
 * is the alias the query gives "Message" (none when it names the columns bare).
 */
export function messageStatusSql(now: Date, table?: string) {
  const column = (name: string) => Prisma.raw(table ? `${table}."${name}"` : `"${name}"`);
  const status = column("status");
  const receivedAt = column("receivedAt");
  const before = incompleteBefore(now);
  return {
    /** Incomplete: given up on, or still partial after the window. */
    incomplete: Prisma.sql`(${status} = 'INCOMPLETE' OR (${status} = 'PARTIAL' AND ${receivedAt} < ${before}))`,
    /** Partial and still within the window: its parts may yet arrive. */
    arriving: Prisma.sql`(${status} = 'PARTIAL' AND ${receivedAt} >= ${before})`,
    /** The status as people should read it (see `effectiveStatus`). */
    effective: Prisma.sql`CASE WHEN ${status} = 'PARTIAL' AND ${receivedAt} < ${before} THEN 'INCOMPLETE'::"MessageStatus" ELSE ${status} END`,
  };
}
