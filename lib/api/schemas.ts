/**
 * The REST API's own shapes, beside the ones it shares with forwarded events (Message, Address,
 * the event envelopes: lib/events/schema.ts). Each `.meta({ id })` becomes a named component of
 * the OpenAPI document; the builders in resources.ts are the only code that makes these objects.
 */
import { z } from "zod";
import "zod-openapi";
import { decodePosition, type Position } from "@/lib/data/keyset";
import { addressSchema, EVENT_TYPES, eventSchema, providerSchema } from "@/lib/events/schema";
import { MAX_SEARCH_LENGTH } from "@/lib/inbox";

const timestamp = z.iso.datetime().describe("An instant in UTC, ISO 8601 with milliseconds.");

// ---------------------------------------------------------------------------------------------
// Resources

export const conversationSchema = z
  .object({
    id: z.string(),
    phoneNumberId: z.string().describe("The team's number the sender wrote to."),
    sender: addressSchema,
    lastMessageAt: timestamp,
    messageCount: z.int(),
    unreadCount: z.int().describe("Messages the key's creator has not read (read state is each person's own); 0 once they read it. Without a creator in the team, every message counts."),
    testCount: z.int().describe("Of `messageCount`, the test messages sent with the Numbers page's Test button."),
    done: z.boolean().describe("The team marked it done and no message came since (a new message reopens it)."),
    doneAt: timestamp.nullable().describe("When it was last marked done, if it was and was not reopened by hand."),
    optedOut: z.boolean().describe("The sender texted STOP (or the like) and has not opted back in."),
    optedOutAt: timestamp.nullable(),
  })
  .meta({ id: "Conversation" });

export const phoneNumberSchema = z
  .object({
    id: z.string(),
    provider: providerSchema,
    e164: z.string().describe("The number, E.164."),
    label: z.string(),
    webhookTokenHint: z.string().describe("The last characters of its webhook URL's token, to tell URLs apart. The token itself is never readable."),
    webhookTokenRotatedAt: timestamp,
    signaturesChecked: z
      .boolean()
      .describe("Whether the number has its provider's credentials (an auth token, a public key, a signature secret, …), so that every delivery's signature is checked."),
    createdAt: timestamp,
  })
  .meta({ id: "PhoneNumber" });

export const deliveryOutcomeSchema = z
  .enum(["STORED", "DUPLICATE", "IGNORED", "REJECTED"])
  .describe("STORED: something new was stored; DUPLICATE: a retry, absorbed; IGNORED: not an inbound SMS; REJECTED: refused.");

const deliveryFields = {
  id: z.string(),
  phoneNumberId: z.string(),
  provider: providerSchema,
  method: z.string().describe("The HTTP method the provider used."),
  receivedAt: timestamp,
  outcome: deliveryOutcomeSchema,
  status: z.int().describe("The HTTP status Moshi answered the provider."),
  reasonCode: z.string().nullable().describe("signature_missing, signature_mismatch, invalid_payload, body_too_large, …"),
  reason: z.string().nullable().describe("Why it was rejected or ignored, in words."),
  durationMs: z.int(),
  signed: z.boolean().describe("A signature was checked and held."),
  signatureAgeSeconds: z.int().nullable(),
  toMismatch: z.boolean().describe("It carried messages addressed to another number than the URL's."),
  storedCount: z.int().describe("Parts newly stored."),
  duplicateCount: z.int().describe("Parts stored before (provider retries)."),
  replayOfId: z.string().nullable().describe("The delivery this one replays."),
};

export const deliverySchema = z.object(deliveryFields).meta({ id: "Delivery" });

export const deliveryDetailSchema = z
  .object({
    ...deliveryFields,
    contentType: z.string().nullable(),
    headers: z.record(z.string(), z.string()).describe("The request headers worth keeping (content type, user agent, forwarding, signatures)."),
    query: z.string().describe("The query string, without the leading `?`."),
    body: z
      .object({
        encoding: z.enum(["text", "base64"]).describe("`text` when the body is valid UTF-8 without control characters; else `base64` of the exact bytes."),
        data: z.string(),
        size: z.int().describe("Bytes."),
      })
      .describe("The raw request body, byte for byte; empty once the team's retention removed it."),
    bodyPurgedAt: timestamp.nullable().describe("When the team's retention removed the body, headers and query string; null while they are kept."),
    messageIds: z.array(z.string()).describe("The messages it stored parts of."),
  })
  .meta({ id: "DeliveryDetail" });

export const eventTypeSchema = z.enum(EVENT_TYPES as [string, ...string[]]).describe("The event's type.");

export const eventRecordSchema = z
  .object({
    id: z.string().describe("`evt_…`: the `webhook-id` every attempt to send it carried."),
    type: eventTypeSchema,
    phoneNumberId: z.string().nullable(),
    test: z.boolean().describe("A test event sent from the dashboard to one endpoint."),
    createdAt: timestamp,
    payload: eventSchema.describe("The JSON document sent as the request body."),
  })
  .meta({ id: "EventRecord" });

export const endpointSchema = z
  .object({
    id: z.string(),
    url: z.url(),
    description: z.string(),
    eventTypes: z.array(z.string()).describe("The event types it receives; empty: every type."),
    phoneNumberIds: z.array(z.string()).describe("The numbers whose events it receives; empty: every number."),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    disabledAt: timestamp.nullable(),
    failingSince: timestamp.nullable().describe("Set by the first failed attempt after a success, cleared by the next success."),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Endpoint" });

export const attemptSchema = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    eventId: z.string(),
    startedAt: timestamp,
    durationMs: z.int(),
    statusCode: z.int().nullable().describe("The status the endpoint answered; null when no answer came."),
    error: z.string().nullable().describe("What went wrong, when it failed."),
    responseBody: z.string().nullable().describe("The first KiB of the answer."),
    succeeded: z.boolean(),
    nextAttemptAt: timestamp.nullable().describe("When the retry it caused is due; null when none follows."),
  })
  .meta({ id: "Attempt" });

export const problemSchema = z
  .object({
    type: z.string().describe("A URI reference naming the kind of problem; it links to its explanation in the API reference."),
    title: z.string().describe("The kind of problem, in words; the same for every problem of a type."),
    status: z.int(),
    detail: z.string().describe("This occurrence, in words."),
    errors: z
      .array(z.object({ parameter: z.string(), detail: z.string() }))
      .optional()
      .describe("For invalid parameters: each one and what is wrong with it."),
  })
  .meta({ id: "Problem", description: "An error, as RFC 9457 `application/problem+json`." });

/** `{ data, nextCursor }`: a page of a list. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
  });
}

// ---------------------------------------------------------------------------------------------
// Query parameters

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

export const pageQuery = {
  limit: z.coerce
    .number({ error: "Give a whole number." })
    .int("Give a whole number.")
    .min(1, `Give at least 1.`)
    .max(MAX_LIMIT, `Give at most ${MAX_LIMIT}.`)
    .default(DEFAULT_LIMIT)
    .meta({ description: `How many items per page, 1 to ${MAX_LIMIT}.` }),
  cursor: z
    .string()
    .transform((value, context): Position => {
      const position = decodePosition(value);
      if (position) return position;
      context.addIssue({ code: "custom", message: "Not a cursor this API gave: pass `nextCursor` from the previous page as it is." });
      return z.NEVER;
    })
    .optional()
    .meta({ description: "The previous page's `nextCursor`." }),
};

/** An ISO 8601 instant between 1970 and 9999 (four-digit years are what PostgreSQL and Prisma both read back). */
export const instant = z.iso
  .datetime({ offset: true, error: "Give an ISO 8601 date and time, e.g. 2026-03-01T00:00:00Z." })
  .transform((value, context) => {
    const date = new Date(value);
    if (date.getTime() >= 0 && date.getTime() <= LATEST_MS) return date;
    context.addIssue({ code: "custom", message: "Give a time between 1970 and 9999." });
    return z.NEVER;
  });

const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A text filter: trimmed, at most MAX_SEARCH_LENGTH characters, never empty. */
export function textParameter(what: string) {
  return z
    .string()
    .trim()
    .min(1, `Give ${what}, or leave the parameter out.`)
    .max(MAX_SEARCH_LENGTH, `Use at most ${MAX_SEARCH_LENGTH} characters.`);
}

export type ListQuery = { limit: number; cursor?: Position };
