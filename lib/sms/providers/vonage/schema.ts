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

/** How the account signs SMS API webhooks: `MD5HASH` appends the secret, the others are HMACs. */
export const VONAGE_SIGNATURE_METHODS = {
  MD5HASH: "MD5 hash (md5hash, Vonage default)",
  MD5: "HMAC-MD5 (md5)",
  SHA1: "HMAC-SHA1 (sha1)",
  SHA256: "HMAC-SHA256 (sha256)",
  SHA512: "HMAC-SHA512 (sha512)",
} as const;

export type VonageSignatureMethod = keyof typeof VONAGE_SIGNATURE_METHODS;

/**
 * A Vonage number's credentials: the account's signature secret, which signs SMS API webhooks
 * (with the method chosen in the dashboard) and Messages API webhooks (always HS256 JWTs).
 */
export const vonageCredentialsSchema = z
  .object({
    signatureMethod: z
      .enum(Object.keys(VONAGE_SIGNATURE_METHODS) as [VonageSignatureMethod, ...VonageSignatureMethod[]], "Choose one of the signature methods Vonage offers.")
      .optional()
      .meta({
        title: "Signature method",
        description: "As set in the Vonage dashboard (API settings → Signed webhooks). Messages API webhooks are always signed with HS256.",
        options: VONAGE_SIGNATURE_METHODS,
      }),
    signatureSecret: z
      .string()
      .trim()
      .min(1)
      .max(256, "Use at most 256 characters.")
      .optional()
      .meta({ title: "Signature secret", description: "The account's signature secret, from the Vonage dashboard's API settings.", secret: true }),
  })
  .refine((value) => !value.signatureSecret || value.signatureMethod, {
    path: ["signatureMethod"],
    message: "Choose the signature method set in your Vonage account.",
  })
  .refine((value) => !value.signatureMethod || value.signatureSecret, {
    path: ["signatureSecret"],
    message: "Enter the signature secret from your Vonage account.",
  });

export type VonageCredentials = z.infer<typeof vonageCredentialsSchema>;

/**
 * A Vonage Messages API inbound webhook (webhook version 1). Numeric fields of `sms` and `usage`
 * arrive as strings. Only `channel: "sms"` is an SMS; the other channels share the envelope.
 */
export const vonageMessagesSchema = z.looseObject({
  channel: z.string().min(1),
  message_uuid: z.string().min(1),
  to: z.string().min(1),
  from: z.string().min(1),
  timestamp: z.string().optional(),
  message_type: z.string().optional(),
  text: z.string(),
  client_ref: z.string().optional(),
  sms: z.looseObject({ num_messages: z.union([z.string(), z.number()]).optional(), keyword: z.string().optional() }).optional(),
  usage: z.looseObject({ currency: z.string().optional(), price: z.union([z.string(), z.number()]).optional() }).optional(),
});

export type VonageMessagesInbound = z.infer<typeof vonageMessagesSchema>;
