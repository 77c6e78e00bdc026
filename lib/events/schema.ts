/**
 * The JSON shapes Moshi sends and serves, defined once: the resources of the REST API
 * (/api/v1) and the events forwarded to a team's endpoints carry the same objects. Types,
 * the OpenAPI document and the docs come from these schemas; the builders in resources.ts are
 * the only code that makes them.
 *
 * Compatibility: fields are only ever added within a version. A change that removes or changes
 * a field gets a new `version` on the event envelope (and a new API path).
 */
import { z } from "zod";
import { ALERT_RULES } from "@/lib/alerts/rules";
import { Provider } from "@/lib/generated/prisma/enums";

export const EVENT_VERSION = 1;

const timestamp = z.iso.datetime().describe("An instant in UTC, ISO 8601 with milliseconds.");

export const providerSchema = z.enum(Provider).describe("The SMS provider that delivered it.");

export const addressSchema = z
  .object({
    address: z.string().describe("E.164 (`+819012345678`) when it is a phone number; otherwise as sent (an alphanumeric sender ID or short code)."),
    country: z.string().length(2).nullable().describe("ISO 3166-1 alpha-2 country of a phone number; null when unknown."),
  })
  .meta({ id: "Address" });

export const messageSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    phoneNumberId: z.string().describe("The team's number it was sent to."),
    provider: providerSchema,
    from: addressSchema.describe("The sender."),
    to: addressSchema.describe("The team's number, as the provider addressed it."),
    status: z.enum(["complete", "arriving", "incomplete"]).describe("`arriving`: a long message still missing parts; `incomplete`: given up 24 hours after its first part."),
    encoding: z.enum(["GSM7", "UCS2", "BINARY"]),
    text: z.string().nullable().describe("The text, parts joined in order; null for a binary message. So far, when not complete."),
    binaryHex: z.string().nullable().describe("The payload of a binary message, hex."),
    keyword: z.string().nullable().describe("The first meaningful word, upper-cased."),
    parts: z.object({
      expected: z.int(),
      received: z.int(),
    }),
    receivedAt: timestamp.describe("When its first part reached Moshi."),
    completedAt: timestamp.nullable(),
    providerTimestamp: timestamp.nullable().describe("When the provider says it was sent or received, if it says."),
    price: z.object({ amount: z.string(), currency: z.string() }).nullable().describe("What the provider charged, as it reported it (where it does)."),
    warnings: z.array(z.string()).describe("Decoding problems worth knowing, in words."),
    test: z
      .boolean()
      .describe("Sent with the Test button of Moshi's Numbers page, not by a customer: left out of statistics, keywords and exports. Forwarded all the same, so a team can test its endpoint."),
  })
  .meta({ id: "Message" });

export const consentSchema = z
  .object({
    conversationId: z.string(),
    phoneNumberId: z.string(),
    sender: addressSchema,
    optedOut: z.boolean().describe("The sender's state after the message: true after STOP (and the like), false after START."),
    keyword: z.string().describe("The keyword that changed it."),
    messageId: z.string(),
    changedAt: timestamp,
  })
  .meta({ id: "ConsentChange" });

export const rejectedDeliverySchema = z
  .object({
    deliveryId: z.string(),
    phoneNumberId: z.string(),
    provider: providerSchema,
    status: z.int().describe("The HTTP status Moshi answered the provider."),
    reasonCode: z.string().nullable().describe("signature_missing, signature_mismatch, invalid_payload, body_too_large, …"),
    reason: z.string().describe("Why, in words the team can act on."),
    receivedAt: timestamp,
  })
  .meta({ id: "RejectedDelivery" });

export const alertSchema = z
  .object({
    id: z.string().describe("The incident's id: the same on its `alert.fired` and `alert.resolved` events."),
    rule: z.enum(ALERT_RULES).describe("`silent_number`, `rejected_rate`, `signature_failures` or `endpoint_failing`."),
    subject: z
      .object({
        type: z.enum(["number", "endpoint"]),
        id: z.string(),
        label: z.string().describe("What it was called when the alert fired."),
      })
      .describe("What the alert is about: one of the team's numbers or forwarding endpoints."),
    summary: z.string().describe("What was seen, in one sentence."),
    observed: z.record(z.string(), z.union([z.number(), z.string(), z.null()])).describe("The figures seen when it fired: counts, hours, the threshold crossed."),
    firedAt: timestamp,
    resolvedAt: timestamp.nullable().describe("When the condition cleared; null while it holds."),
    resolution: z.string().nullable().describe("Why it resolved, in words."),
  })
  .meta({ id: "Alert" });

function envelope<T extends string, D extends z.ZodType>(type: T, data: D, description: string) {
  return z
    .object({
      type: z.literal(type),
      version: z.literal(EVENT_VERSION),
      timestamp: timestamp.describe("When the event happened."),
      test: z.boolean().optional().describe("Present and true on a test event sent from the dashboard."),
      data,
    })
    .describe(description);
}

export const eventSchemas = {
  "message.received": envelope("message.received", messageSchema, "A complete message: a single SMS, or every part of a long one, joined.").meta({ id: "MessageReceivedEvent" }),
  "message.incomplete": envelope("message.incomplete", messageSchema, "A long message given up 24 hours after its first part, with the parts that arrived.").meta({ id: "MessageIncompleteEvent" }),
  "consent.changed": envelope("consent.changed", consentSchema, "A sender texted an opt-out (STOP, …) or opt-in (START, UNSTOP) keyword.").meta({ id: "ConsentChangedEvent" }),
  "delivery.rejected": envelope("delivery.rejected", rejectedDeliverySchema, "A provider's request to a number's webhook URL was refused (bad signature, unreadable body, …).").meta({ id: "DeliveryRejectedEvent" }),
  "alert.fired": envelope("alert.fired", alertSchema, "One of the team's alert rules fired: a number went quiet, deliveries or signatures are failing, an endpoint fails.").meta({ id: "AlertFiredEvent" }),
  "alert.resolved": envelope("alert.resolved", alertSchema, "An alert that fired has cleared.").meta({ id: "AlertResolvedEvent" }),
} as const;

export type EventType = keyof typeof eventSchemas;
export const EVENT_TYPES = Object.keys(eventSchemas) as EventType[];

export const EVENT_TYPE_DESCRIPTIONS: Record<EventType, string> = Object.fromEntries(
  EVENT_TYPES.map((type) => [type, eventSchemas[type].description ?? type]),
) as Record<EventType, string>;

export const eventSchema = z.discriminatedUnion("type", Object.values(eventSchemas) as unknown as [
  (typeof eventSchemas)["message.received"],
  (typeof eventSchemas)["message.incomplete"],
  (typeof eventSchemas)["consent.changed"],
  (typeof eventSchemas)["delivery.rejected"],
  (typeof eventSchemas)["alert.fired"],
  (typeof eventSchemas)["alert.resolved"],
]).meta({ id: "Event" });

export type MessageResource = z.infer<typeof messageSchema>;
export type ConsentChange = z.infer<typeof consentSchema>;
export type RejectedDelivery = z.infer<typeof rejectedDeliverySchema>;
export type AlertResource = z.infer<typeof alertSchema>;
export type EventDocument = z.infer<typeof eventSchema>;
export type EventOf<T extends EventType> = z.infer<(typeof eventSchemas)[T]>;

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as string[]).includes(value);
}
