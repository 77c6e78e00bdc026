/**
 * Infobip inbound SMS forwarding: the MO_JSON_2 body (a batch under `results`), and the legacy
 * GET forwarding that sends one message's fields as query parameters. Unknown fields
 * (`applicationId`, `entityId`, `campaignReferenceId`, …) are allowed and ignored.
 */
import { z } from "zod";

// Ids and numbers are strings in Infobip's examples; a JSON number is read the same way.
const text = z.union([z.string(), z.number()]).transform(String);
const nonEmpty = text.pipe(z.string().min(1));

export const infobipResultSchema = z.looseObject({
  messageId: nonEmpty,
  /** The sender. */
  from: nonEmpty,
  /** Our number. */
  to: nonEmpty,
  /** The whole (already reassembled) message, keyword included. */
  text: z.string(),
  /** The text without the keyword. */
  cleanText: z.string().nullish(),
  /** The number's configured keyword this message matched; empty when none did. */
  keyword: z.string().nullish(),
  /** `2016-10-06T09:28:39.220+0000`: the offset has no colon. */
  receivedAt: z.string().nullish(),
  /** How many SMS parts the message used. */
  smsCount: z.number().int().nonnegative().nullish(),
  price: z
    .looseObject({
      pricePerMessage: z.union([z.number(), z.string()]).nullish(),
      currency: z.string().nullish(),
    })
    .nullish(),
  callbackData: z.string().nullish(),
});

/** MO_JSON_2: one request may carry several messages. */
export const infobipInboundSchema = z.looseObject({
  results: z.array(infobipResultSchema),
  messageCount: z.number().nullish(),
  pendingMessageCount: z.number().nullish(),
});

/** Legacy GET forwarding: the same names as a result of MO_JSON_2, all strings. */
export const infobipQuerySchema = z.looseObject({
  messageId: z.string().min(1),
  from: z.string().min(1),
  to: z.string().min(1),
  text: z.string(),
  cleanText: z.string().optional(),
  keyword: z.string().optional(),
  receivedAt: z.string().optional(),
  smsCount: z.string().optional(),
  pricePerMessage: z.string().optional(),
  /** Read like pricePerMessage, for forwarders that flatten `price` to a plain amount. */
  price: z.string().optional(),
  currency: z.string().optional(),
  callbackData: z.string().optional(),
});

export type InfobipResult = z.infer<typeof infobipResultSchema>;
export type InfobipQuery = z.infer<typeof infobipQuerySchema>;

/** Fields of a delivery report result, which never carries `text`. */
export const INFOBIP_REPORT_FIELDS = ["status", "error", "doneAt", "sentAt"] as const;
