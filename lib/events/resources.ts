/**
 * Builds the shapes of schema.ts from stored rows: the only code that does, so the REST API and
 * the forwarded events cannot drift apart. Pure: no database access.
 */
import { randomBytes } from "node:crypto";
import type { MessageStatus } from "@/lib/generated/prisma/enums";
import { countryOf } from "@/lib/phone";
import { effectiveStatus } from "@/lib/sms/incomplete";
import { type AlertResource, EVENT_VERSION, type ConsentChange, type EventOf, type EventType, type MessageResource, type RejectedDelivery } from "./schema";

/** A message row as the builders need it (Prisma's Message has these fields). */
export type MessageRow = {
  id: string;
  conversationId: string;
  phoneNumberId: string;
  provider: MessageResource["provider"];
  from: string;
  to: string;
  status: MessageStatus;
  encoding: MessageResource["encoding"];
  text: string | null;
  binaryHex: string | null;
  keyword: string | null;
  partsExpected: number;
  partsReceived: number;
  receivedAt: Date;
  completedAt: Date | null;
  providerTimestamp: Date | null;
  priceAmount: string | null;
  priceCurrency: string | null;
  warnings: string[];
  isTest: boolean;
};

/**
 * Countries of recent addresses: parsing a number costs about 15 µs, and a batch of a thousand
 * messages, or a busy thread, names the same ones again and again.
 */
const countries = new Map<string, string | null>();
const COUNTRY_CACHE_SIZE = 10_000;

export function address(value: string) {
  let country = countries.get(value);
  if (country === undefined) {
    country = countryOf(value);
    if (countries.size >= COUNTRY_CACHE_SIZE) countries.delete(countries.keys().next().value!);
    countries.set(value, country);
  }
  return { address: value, country };
}

const STATUS: Record<MessageStatus, MessageResource["status"]> = { COMPLETE: "complete", PARTIAL: "arriving", INCOMPLETE: "incomplete" };

export function messageResource(row: MessageRow, now: Date = new Date()): MessageResource {
  return {
    id: row.id,
    conversationId: row.conversationId,
    phoneNumberId: row.phoneNumberId,
    provider: row.provider,
    from: address(row.from),
    to: address(row.to),
    status: STATUS[effectiveStatus(row, now)],
    encoding: row.encoding,
    text: row.text,
    binaryHex: row.binaryHex,
    keyword: row.keyword,
    parts: { expected: row.partsExpected, received: row.partsReceived },
    receivedAt: row.receivedAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    providerTimestamp: row.providerTimestamp?.toISOString() ?? null,
    price: row.priceAmount !== null && row.priceCurrency !== null ? { amount: row.priceAmount, currency: row.priceCurrency } : null,
    warnings: row.warnings,
    test: row.isTest,
  };
}

/** Event ids are the `webhook-id` of every attempt: unique, sortable by time, URL-safe. */
export function createEventId(): string {
  return `evt_${Date.now().toString(36)}${randomBytes(10).toString("hex")}`;
}

type DataOf<T extends EventType> = EventOf<T>["data"];

/** An event ready to insert into the outbox: its id and the exact body every attempt sends. */
export type OutboxEvent = { id: string; type: EventType; phoneNumberId: string | null; payload: string; createdAt: Date };

export function buildEvent<T extends EventType>(type: T, data: DataOf<T>, options: { at: Date; phoneNumberId: string | null; test?: boolean }): OutboxEvent {
  const document = { type, version: EVENT_VERSION, timestamp: options.at.toISOString(), ...(options.test ? { test: true } : {}), data };
  return { id: createEventId(), type, phoneNumberId: options.phoneNumberId, payload: JSON.stringify(document), createdAt: options.at };
}

export function consentChange(input: { conversationId: string; phoneNumberId: string; sender: string; optedOut: boolean; keyword: string; messageId: string; at: Date }): ConsentChange {
  return {
    conversationId: input.conversationId,
    phoneNumberId: input.phoneNumberId,
    sender: address(input.sender),
    optedOut: input.optedOut,
    keyword: input.keyword,
    messageId: input.messageId,
    changedAt: input.at.toISOString(),
  };
}

export function rejectedDelivery(input: Omit<RejectedDelivery, "receivedAt"> & { receivedAt: Date }): RejectedDelivery {
  return { ...input, receivedAt: input.receivedAt.toISOString() };
}

/** An alert incident row as the builder needs it (Prisma's AlertIncident has these fields). */
export type AlertIncidentRow = {
  id: string;
  rule: AlertResource["rule"];
  subjectType: AlertResource["subject"]["type"];
  subjectId: string;
  subjectLabel: string;
  summary: string;
  observed: AlertResource["observed"];
  firedAt: Date;
  resolvedAt: Date | null;
  resolution: string | null;
};

export function alertResource(row: AlertIncidentRow): AlertResource {
  return {
    id: row.id,
    rule: row.rule,
    subject: { type: row.subjectType, id: row.subjectId, label: row.subjectLabel },
    summary: row.summary,
    observed: row.observed,
    firedAt: row.firedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolution: row.resolution,
  };
}
