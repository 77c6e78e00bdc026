/**
 * Builds the API's objects (schemas.ts) from rows: the only code that does. Messages come from
 * `messageResource`, the builder forwarded events use, so both carry exactly the same shape.
 */
import type { z } from "zod";
import type { ConversationSummary } from "@/lib/data/conversations";
import type { DeliveryDetail, DeliverySummary } from "@/lib/data/deliveries";
import type { AttemptRecord, EndpointRecord, EventRecord } from "@/lib/data/event-log";
import type { PhoneNumberSummary } from "@/lib/data/numbers";
import { readStoredBody } from "@/lib/deliveries/body";
import { address } from "@/lib/events/resources";
import type { EventDocument } from "@/lib/events/schema";
import type { attemptSchema, conversationSchema, deliveryDetailSchema, deliverySchema, endpointSchema, eventRecordSchema, phoneNumberSchema } from "./schemas";

type Conversation = z.infer<typeof conversationSchema>;
type PhoneNumber = z.infer<typeof phoneNumberSchema>;
type Delivery = z.infer<typeof deliverySchema>;
type DeliveryDetailResource = z.infer<typeof deliveryDetailSchema>;
type EventResource = z.infer<typeof eventRecordSchema>;
type Endpoint = z.infer<typeof endpointSchema>;
type Attempt = z.infer<typeof attemptSchema>;

export function conversationResource(row: Omit<ConversationSummary, "latest" | "hasIncomplete">): Conversation {
  return {
    id: row.id,
    phoneNumberId: row.phoneNumber.id,
    sender: address(row.sender),
    lastMessageAt: row.lastMessageAt.toISOString(),
    messageCount: row.messageCount,
    unreadCount: row.unreadCount,
    testCount: row.testCount,
    done: row.done,
    doneAt: iso(row.doneAt),
    optedOut: row.optedOutAt !== null,
    optedOutAt: iso(row.optedOutAt),
  };
}

export function phoneNumberResource(row: PhoneNumberSummary): PhoneNumber {
  return {
    id: row.id,
    provider: row.provider,
    e164: row.e164,
    label: row.label,
    webhookTokenHint: row.tokenHint,
    webhookTokenRotatedAt: row.tokenRotatedAt.toISOString(),
    signaturesChecked: row.credentials.state !== "none",
    createdAt: row.createdAt.toISOString(),
  };
}

export function deliveryResource(row: Omit<DeliverySummary, "acceptedUnsignedBy" | "acceptedUnsignedAt">): Delivery {
  return {
    id: row.id,
    phoneNumberId: row.phoneNumber.id,
    provider: row.provider,
    method: row.method,
    receivedAt: row.receivedAt.toISOString(),
    outcome: row.outcome,
    status: row.status,
    reasonCode: row.reasonCode,
    reason: row.reason,
    durationMs: row.durationMs,
    signed: row.signed,
    signatureAgeSeconds: row.signatureAgeSeconds,
    toMismatch: row.toMismatch,
    storedCount: row.storedCount,
    duplicateCount: row.duplicateCount,
    replayOfId: row.replayOfId,
  };
}

export function deliveryDetailResource(row: DeliveryDetail): DeliveryDetailResource {
  const body = readStoredBody(row.body);
  return {
    ...deliveryResource(row),
    contentType: row.contentType,
    headers: stringRecord(row.headers),
    query: row.query,
    body: body.exact
      ? { encoding: "text", data: body.text, size: body.size }
      : { encoding: "base64", data: Buffer.from(row.body).toString("base64"), size: body.size },
    bodyPurgedAt: row.bodyPurgedAt?.toISOString() ?? null,
    messageIds: row.messages.map((message) => message.id),
  };
}

export function eventResource(row: EventRecord): EventResource {
  return {
    id: row.id,
    type: row.type,
    phoneNumberId: row.phoneNumberId,
    test: row.endpointId !== null,
    createdAt: row.createdAt.toISOString(),
    // The outbox keeps the exact text sent; clients get it as the JSON it is.
    payload: JSON.parse(row.payload) as EventDocument,
  };
}

export function endpointResource(row: EndpointRecord): Endpoint {
  return {
    ...row,
    disabledAt: iso(row.disabledAt),
    failingSince: iso(row.failingSince),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function attemptResource(row: AttemptRecord): Attempt {
  return { ...row, startedAt: row.startedAt.toISOString(), nextAttemptAt: iso(row.nextAttemptAt) };
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

/** Stored headers are an object of strings; anything else in the JSON column is left out. */
function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
