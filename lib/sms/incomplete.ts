/**
 * The one rule for long messages whose parts stop arriving: a message still missing parts this
 * long after its first part arrived is incomplete. Storage applies it when a new part meets such
 * a message (the part starts a new message instead of joining a stale one); the inbox and thread
 * queries show such a message as incomplete without waiting for anything to write that state.
 * A pure module: both sides import it, neither imports the other.
 */
import type { MessageStatus } from "@/lib/generated/prisma/enums";

/** Parts still missing this long after the first one arrived are given up on. */
export const INCOMPLETE_AFTER_MS = 24 * 60 * 60 * 1000;

/** Messages first received before this instant and still partial are incomplete at `now`. */
export function incompleteBefore(now: Date | number): Date {
  return new Date(new Date(now).getTime() - INCOMPLETE_AFTER_MS);
}

/** A message's status as people should read it at `now`. */
export function effectiveStatus({ status, receivedAt }: { status: MessageStatus; receivedAt: Date }, now: Date | number): MessageStatus {
  return status === "PARTIAL" && receivedAt < incompleteBefore(now) ? "INCOMPLETE" : status;
}
