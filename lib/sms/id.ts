import { randomBytes } from "node:crypto";

/** Ids for rows inserted with raw SQL: sortable by time, unique, URL-safe (like cuid's role). */
export function createId(): string {
  return `c${Date.now().toString(36)}${randomBytes(10).toString("hex")}`;
}
