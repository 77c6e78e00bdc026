/**
 * The Vonage (Nexmo) SMS API inbound webhook, as flat string parameters: the same names arrive
 * in a query string, a form body or a JSON body. Unknown parameters are kept (and signed).
 */
import { z } from "zod";

export const vonageInboundSchema = z.looseObject({
  /** The sender. */
  msisdn: z.string().min(1),
  /** Our number. */
  to: z.string().min(1),
  messageId: z.string().min(1),
  type: z.enum(["text", "unicode", "binary"], { error: (issue) => `must be text, unicode or binary, not "${String(issue.input)}"` }),
  text: z.string().optional(),
  /** Hex octets of a binary message, without the UDH. */
  data: z.string().optional(),
  /** Hex User Data Header of a binary message. */
  udh: z.string().optional(),
  keyword: z.string().optional(),
  /** `YYYY-MM-DD HH:MM:SS` in UTC; an ISO 8601 form is also seen. */
  "message-timestamp": z.string().optional(),
  /** Unix seconds when Vonage started pushing this webhook; reused by its retries. */
  timestamp: z.string().optional(),
  nonce: z.string().optional(),
  sig: z.string().optional(),
  concat: z.string().optional(),
  "concat-ref": z.string().optional(),
  "concat-total": z.string().optional(),
  /** 1-based. */
  "concat-part": z.string().optional(),
});

export type VonageInbound = z.infer<typeof vonageInboundSchema>;

/** Fields only a delivery receipt carries: with a messageId and no message content, a DLR. */
export const VONAGE_RECEIPT_FIELDS = ["status", "err-code", "network-code", "scts", "price"] as const;
